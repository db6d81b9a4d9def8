//! Mattermost's system bot (`GetSystemBot`): the `system-bot` account the server writes as
//! when no person does (post reminders). It is created on first use, owned by the first
//! active system admin, as in Mattermost.

use crate::bus::Event;
use crate::{App, AppResult};
use utmost_model::roles::SYSTEM_USER;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::users::{self as user_store, UserFilter};
use utmost_store::StoreError;

/// `BotSystemBotUsername`.
pub const SYSTEM_BOT_USERNAME: &str = "system-bot";

/// The system bot's account, created if it does not exist yet. Fails (404
/// `app.bot.get_system_bot.empty_admin_list.app_error`) while there is no system admin to
/// own it.
pub async fn get_or_create(app: &App) -> AppResult<User> {
    if let Some(bot) = user_store::get_by_username(&app.store, SYSTEM_BOT_USERNAME).await? {
        return Ok(bot);
    }
    let admins = user_store::list(
        &app.store,
        &UserFilter {
            role: Some(utmost_model::roles::SYSTEM_ADMIN.to_string()),
            active: Some(true),
            limit: 1,
            ..UserFilter::default()
        },
    )
    .await?;
    let Some(owner) = admins.first() else {
        return Err(AppError::not_found(
            "app.bot.get_system_bot.empty_admin_list.app_error",
            "List of admins is empty.",
        ));
    };
    let now = now_millis();
    let bot = User {
        id: new_id(),
        create_at: now,
        update_at: now,
        username: SYSTEM_BOT_USERNAME.to_string(),
        email: format!("{SYSTEM_BOT_USERNAME}@localhost"),
        email_verified: true,
        first_name: "System".to_string(),
        roles: SYSTEM_USER.to_string(),
        locale: app
            .config()
            .localization_settings
            .default_client_locale
            .clone(),
        notify_props: User::default_notify_props(""),
        timezone: User::default_timezone(),
        is_bot: true,
        bot_description: "Created by the system.".to_string(),
        ..User::default()
    };
    match utmost_store::bots::insert(&app.store, &bot, &owner.id).await {
        Ok(()) => {
            app.publish(Event::UserCreated {
                user_id: bot.id.clone(),
            })
            .await;
            Ok(bot)
        }
        // Another request created it first.
        Err(StoreError::Conflict(_)) => {
            user_store::get_by_username(&app.store, SYSTEM_BOT_USERNAME)
                .await?
                .ok_or_else(|| AppError::internal("app.bot.createbot.internal_error", "system bot"))
        }
        Err(e) => Err(e.into()),
    }
}

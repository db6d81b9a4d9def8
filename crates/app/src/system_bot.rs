//! Mattermost's system bot (`GetSystemBot`): the `system-bot` account the server writes as
//! when no person does (post reminders). It is created on first use, owned by the first
//! active system admin, as in Mattermost.

use crate::{App, AppResult};
use utmost_model::user::User;
use utmost_model::AppError;
use utmost_store::users::{self as user_store, UserFilter};

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
    crate::bots::ensure(
        app,
        SYSTEM_BOT_USERNAME,
        "System",
        "Created by the system.",
        &owner.id,
    )
    .await
}

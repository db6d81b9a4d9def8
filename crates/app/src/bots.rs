//! Bot accounts (Mattermost's `app/bot.go` and `api4/bot.go`'s checks): a bot is a user
//! with a `bots` row; it signs in only with personal access tokens (`access_tokens`).
//! Reads hide a bot the caller may not see as "not found", as Mattermost does, so that
//! whether a user is a bot is not revealed.

use crate::authorization::{has_system_permission, require, require_system};
use crate::bus::Event;
use crate::errors::UserError;
use crate::{App, AppResult};
use utmost_model::bot::{Bot, BotPatch, BOT_DESCRIPTION_MAX_RUNES, BOT_DISPLAY_NAME_MAX_RUNES};
use utmost_model::permissions::{
    ASSIGN_BOT, CREATE_BOT, MANAGE_BOTS, MANAGE_OTHERS_BOTS, MANAGE_SYSTEM, READ_BOTS,
    READ_OTHERS_BOTS,
};
use utmost_model::roles::SYSTEM_USER;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::bots::{self as store, BotFilter};
use utmost_store::{Deleted, StoreError};

/// What bots refuse, each with its Mattermost status and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotError {
    /// No such bot, or one the caller may not see.
    NotFound(String),
    /// `EnableBotAccountCreation` is off.
    CreateDisabled,
    InvalidUsername,
    InvalidDisplayName,
    InvalidDescription,
    UsernameTaken,
    /// The user to convert is a bot already.
    AlreadyBot,
}

impl From<BotError> for AppError {
    fn from(e: BotError) -> Self {
        match e {
            BotError::NotFound(id) => AppError::not_found(
                "store.sql_bot.get.missing.app_error",
                "Unable to find the bot.",
            )
            .with_detail(format!("bot_user_id={id}")),
            BotError::CreateDisabled => AppError::new(
                403,
                "api.bot.create_disabled",
                "Bot creation has been disabled.",
            ),
            BotError::InvalidUsername => {
                AppError::bad_request("model.bot.is_valid.username.app_error", "Invalid username.")
            }
            BotError::InvalidDisplayName => AppError::bad_request(
                "model.bot.is_valid.display_name.app_error",
                "Invalid display name.",
            ),
            BotError::InvalidDescription => AppError::bad_request(
                "model.bot.is_valid.description.app_error",
                "Invalid description.",
            ),
            BotError::UsernameTaken => AppError::bad_request(
                "app.user.save.username_exists.app_error",
                "An account with that username already exists.",
            ),
            BotError::AlreadyBot => AppError::invalid_param("user_id"),
        }
    }
}

fn apply(bot: &mut Bot, patch: BotPatch) {
    if let Some(username) = patch.username {
        bot.username = username.to_lowercase();
    }
    if let Some(display_name) = patch.display_name {
        bot.display_name = display_name;
    }
    if let Some(description) = patch.description {
        bot.description = description;
    }
}

/// `Bot.IsValid` over what a client sets.
fn validate(bot: &Bot) -> AppResult<()> {
    if crate::users::validate_username(&bot.username).is_err() {
        return Err(BotError::InvalidUsername.into());
    }
    if bot.display_name.chars().count() > BOT_DISPLAY_NAME_MAX_RUNES {
        return Err(BotError::InvalidDisplayName.into());
    }
    if bot.description.chars().count() > BOT_DESCRIPTION_MAX_RUNES {
        return Err(BotError::InvalidDescription.into());
    }
    Ok(())
}

fn taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(c) if c == "username" || c == "email" => {
            BotError::UsernameTaken.into()
        }
        other => other.into(),
    }
}

async fn find(app: &App, bot_id: &str, deleted: Deleted) -> AppResult<Bot> {
    Ok(store::get(&app.store, bot_id, deleted)
        .await?
        .ok_or_else(|| BotError::NotFound(bot_id.to_string()))?)
}

/// `SessionHasPermissionToManageBot`: `manage_bots` for one's own bots, `manage_others_bots`
/// for the rest; a caller who may not even read the bot is told it does not exist.
pub async fn require_manage(app: &App, session: &Session, bot_id: &str) -> AppResult<Bot> {
    let bot = find(app, bot_id, Deleted::Include).await?;
    let (manage, read) = if bot.owner_id == session.user_id {
        (MANAGE_BOTS, READ_BOTS)
    } else {
        (MANAGE_OTHERS_BOTS, READ_OTHERS_BOTS)
    };
    if !has_system_permission(app, session, manage) {
        if !has_system_permission(app, session, read) {
            return Err(BotError::NotFound(bot_id.to_string()).into());
        }
        return Err(AppError::permission_denied(manage));
    }
    Ok(bot)
}

async fn caller_is_bot(app: &App, session: &Session) -> AppResult<bool> {
    Ok(crate::caches::users::get(app, &session.user_id)
        .await?
        .is_some_and(|u| u.is_bot))
}

/// `POST /bots`: a bot owned by the caller.
pub async fn create(app: &App, session: &Session, patch: BotPatch) -> AppResult<Bot> {
    require_system(app, session, CREATE_BOT)?;
    if caller_is_bot(app, session).await? {
        return Err(AppError::permission_denied(CREATE_BOT));
    }
    let config = app.config();
    if !config.service_settings.enable_bot_account_creation {
        return Err(BotError::CreateDisabled.into());
    }
    let mut bot = Bot {
        owner_id: session.user_id.clone(),
        ..Bot::default()
    };
    apply(&mut bot, patch);
    validate(&bot)?;
    let user = bot_user(app, &bot);
    store::insert(&app.store, &user, &bot.owner_id)
        .await
        .map_err(taken)?;
    app.publish(Event::UserCreated {
        user_id: user.id.clone(),
    })
    .await;
    find(app, &user.id, Deleted::Include).await
}

/// `GET /bots/{bot_user_id}`: any bot with `read_others_bots`, one's own with `read_bots`;
/// any other is "not found".
pub async fn get(
    app: &App,
    session: &Session,
    bot_id: &str,
    include_deleted: bool,
) -> AppResult<Bot> {
    let bot = find(app, bot_id, Deleted::included_if(include_deleted)).await?;
    let visible = has_system_permission(app, session, READ_OTHERS_BOTS)
        || (bot.owner_id == session.user_id && has_system_permission(app, session, READ_BOTS));
    if !visible {
        return Err(BotError::NotFound(bot_id.to_string()).into());
    }
    Ok(bot)
}

/// `GET /bots`: every bot with `read_others_bots`, one's own with `read_bots`.
pub async fn list(
    app: &App,
    session: &Session,
    include_deleted: bool,
    only_orphaned: bool,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Bot>> {
    let owner_id = if has_system_permission(app, session, READ_OTHERS_BOTS) {
        None
    } else if has_system_permission(app, session, READ_BOTS) {
        Some(session.user_id.as_str())
    } else {
        return Err(AppError::permission_denied(READ_BOTS));
    };
    Ok(store::list(
        &app.store,
        &BotFilter {
            owner_id,
            deleted: Deleted::included_if(include_deleted),
            only_orphaned,
            limit,
            offset,
        },
    )
    .await?)
}

async fn publish_user(app: &App, user_id: &str) -> AppResult<()> {
    let user = utmost_store::users::get(&app.store, user_id)
        .await?
        .ok_or(UserError::NotFound)?;
    app.publish(Event::UserUpdated { user }).await;
    Ok(())
}

/// `PUT /bots/{bot_user_id}`.
pub async fn patch(app: &App, session: &Session, bot_id: &str, patch: BotPatch) -> AppResult<Bot> {
    let mut bot = require_manage(app, session, bot_id).await?;
    apply(&mut bot, patch);
    validate(&bot)?;
    store::patch(&app.store, &bot, now_millis())
        .await
        .map_err(taken)?;
    publish_user(app, bot_id).await?;
    find(app, bot_id, Deleted::Include).await
}

/// `POST /bots/{bot_user_id}/disable` and `/enable`: the bot's user is deactivated (its
/// sessions, tokens' sessions included, end) or reactivated with it.
pub async fn set_active(
    app: &App,
    session: &Session,
    bot_id: &str,
    active: bool,
) -> AppResult<Bot> {
    let bot = require_manage(app, session, bot_id).await?;
    if (bot.delete_at == 0) != active {
        let user = utmost_store::users::get(&app.store, bot_id)
            .await?
            .ok_or(UserError::NotFound)?;
        let now = now_millis();
        store::set_delete_at(&app.store, bot_id, if active { 0 } else { now }, now).await?;
        crate::users::write_active(app, user, active).await?;
    }
    find(app, bot_id, Deleted::Include).await
}

/// `POST /bots/{bot_user_id}/assign/{user_id}`: a bot is never given to a bot.
pub async fn assign(app: &App, session: &Session, bot_id: &str, user_id: &str) -> AppResult<Bot> {
    require_manage(app, session, bot_id).await?;
    if let Some(user) = crate::caches::users::get(app, user_id).await? {
        if user.is_bot {
            return Err(AppError::permission_denied(ASSIGN_BOT));
        }
    }
    store::set_owner(&app.store, bot_id, user_id, now_millis()).await?;
    find(app, bot_id, Deleted::Include).await
}

/// `POST /users/{user_id}/convert_to_bot`: system admins only; the bot owns itself.
pub async fn convert_user_to_bot(app: &App, session: &Session, user_id: &str) -> AppResult<Bot> {
    require(
        has_system_permission(app, session, MANAGE_SYSTEM),
        MANAGE_SYSTEM,
    )?;
    let user = utmost_store::users::get(&app.store, user_id)
        .await?
        .ok_or(UserError::NotFound)?;
    if user.is_bot {
        return Err(BotError::AlreadyBot.into());
    }
    store::insert_for_user(&app.store, user_id, user_id, "", now_millis()).await?;
    publish_user(app, user_id).await?;
    find(app, user_id, Deleted::Include).await
}

/// `POST /bots/{bot_user_id}/convert_to_user` (`ConvertBotToUser`): system admins only; the
/// patch must set a password; `set_system_admin` adds that role. The `bots` row goes, so
/// the account signs in as a person from then on.
pub async fn convert_bot_to_user(
    app: &App,
    session: &Session,
    bot_id: &str,
    mut user_patch: utmost_model::user::UserPatch,
    set_system_admin: bool,
) -> AppResult<User> {
    find(app, bot_id, Deleted::Exclude).await?;
    let password = match user_patch.password.take() {
        Some(password) if !password.is_empty() => password,
        _ => return Err(AppError::invalid_param("userPatch")),
    };
    require(
        has_system_permission(app, session, MANAGE_SYSTEM),
        MANAGE_SYSTEM,
    )?;
    let user = utmost_store::users::get(&app.store, bot_id)
        .await?
        .ok_or(UserError::NotFound)?;
    if set_system_admin && !user.is_system_admin() {
        let roles = format!("{} {}", user.roles, utmost_model::roles::SYSTEM_ADMIN);
        crate::users::set_roles(app, bot_id, roles.trim()).await?;
    }
    crate::users::patch(app, session, bot_id, user_patch).await?;
    crate::users::update_password(app, session, bot_id, "", &password).await?;
    store::delete_row(&app.store, bot_id).await?;
    publish_user(app, bot_id).await?;
    Ok(utmost_store::users::get(&app.store, bot_id)
        .await?
        .ok_or(UserError::NotFound)?)
}

/// A bot account by username, created owned by `owner_id` (a user or a plugin's id) if it
/// does not exist yet (Mattermost's `EnsureBot`); an existing user of that name that is not
/// a bot is refused.
pub async fn ensure(
    app: &App,
    username: &str,
    display_name: &str,
    description: &str,
    owner_id: &str,
) -> AppResult<User> {
    let existing = || utmost_store::users::get_by_username(&app.store, username);
    if let Some(user) = existing().await? {
        if !user.is_bot {
            return Err(AppError::bad_request(
                "app.bot.ensure_bot.username_taken",
                "A user with this username exists and is not a bot.",
            ));
        }
        return Ok(user);
    }
    let bot = Bot {
        username: username.to_lowercase(),
        display_name: display_name.to_string(),
        description: description.to_string(),
        owner_id: owner_id.to_string(),
        ..Bot::default()
    };
    validate(&bot)?;
    let user = bot_user(app, &bot);
    match store::insert(&app.store, &user, owner_id).await {
        Ok(()) => {
            app.publish(Event::UserCreated {
                user_id: user.id.clone(),
            })
            .await;
            Ok(user)
        }
        // Another request or node created it first.
        Err(StoreError::Conflict(_)) => existing()
            .await?
            .ok_or_else(|| AppError::internal("app.bot.createbot.internal_error", username)),
        Err(e) => Err(e.into()),
    }
}

/// The user account of a new bot.
fn bot_user(app: &App, bot: &Bot) -> User {
    let now = now_millis();
    User {
        id: new_id(),
        create_at: now,
        update_at: now,
        username: bot.username.clone(),
        email: format!("{}@localhost", bot.username),
        email_verified: true,
        first_name: bot.display_name.clone(),
        roles: SYSTEM_USER.to_string(),
        locale: app
            .config()
            .localization_settings
            .default_client_locale
            .clone(),
        notify_props: User::default_notify_props(""),
        timezone: User::default_timezone(),
        is_bot: true,
        bot_description: bot.description.clone(),
        ..User::default()
    }
}

//! Managing incoming webhooks (`api4/webhook.go` and `app/webhook.go`): each function runs
//! Mattermost's checks in its order: the channel or hook, `manage_incoming_webhooks` in
//! its team, read access to a private channel, `manage_others_incoming_webhooks` for
//! someone else's hook, and `bypass_incoming_webhook_channel_lock` to leave a hook unlocked.

use super::{too_long, WebhookError};
use crate::authorization::{has_system_permission, has_team_permission, require};
use crate::bus::Event;
use crate::errors::{ChannelError, UserError};
use crate::{App, AppResult};
use utmost_model::channel::Channel;
use utmost_model::permissions::{
    BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK, MANAGE_INCOMING_WEBHOOKS,
    MANAGE_OTHERS_INCOMING_WEBHOOKS, READ_CHANNEL_CONTENT,
};
use utmost_model::session::Session;
use utmost_model::webhook::IncomingWebhook;
use utmost_model::{is_valid_id, new_id, now_millis};
use utmost_store::webhooks::{self as store, Scope};

/// Without `bypass_incoming_webhook_channel_lock` in the channel's team, the hook is locked
/// to `channel` (Mattermost 11's rule, for a create and an update alike).
async fn lock_unless_bypassing(
    app: &App,
    session: &Session,
    channel: &Channel,
    hook: &mut IncomingWebhook,
) -> AppResult<()> {
    let bypass = BYPASS_INCOMING_WEBHOOK_CHANNEL_LOCK;
    if !has_team_permission(app, session, &channel.team_id, bypass).await? {
        hook.channel_locked = true;
        hook.channel_id = channel.id.clone();
    }
    Ok(())
}

fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.enable_incoming_webhooks {
        Ok(())
    } else {
        Err(WebhookError::IncomingDisabled.into())
    }
}

async fn channel(app: &App, channel_id: &str) -> AppResult<Channel> {
    Ok(crate::caches::channels::get(app, channel_id)
        .await?
        .map(|c| Channel::clone(&c))
        .ok_or(ChannelError::NotFound)?)
}

/// `GetIncomingWebhook`: 501 when disabled, 404 when there is no live hook.
async fn get_hook(app: &App, hook_id: &str) -> AppResult<IncomingWebhook> {
    require_enabled(app)?;
    Ok(store::get_incoming(&app.store, hook_id)
        .await?
        .ok_or(WebhookError::IncomingNotFound)?)
}

/// `IncomingWebhook.IsValid` over what a client can set.
fn validate(hook: &IncomingWebhook) -> AppResult<()> {
    let invalid = if !is_valid_id(&hook.channel_id) {
        Some("model.incoming_hook.channel_id.app_error")
    } else if too_long(&hook.display_name, 64) {
        Some("model.incoming_hook.display_name.app_error")
    } else if too_long(&hook.description, 500) {
        Some("model.incoming_hook.description.app_error")
    } else if too_long(&hook.username, 64) {
        Some("model.incoming_hook.username.app_error")
    } else if too_long(&hook.icon_url, 1024) {
        Some("model.incoming_hook.icon_url.app_error")
    } else {
        None
    };
    match invalid {
        Some(id) => Err(WebhookError::Invalid(id).into()),
        None => Ok(()),
    }
}

/// The overrides a hook may keep: cleared (on create) or kept as they were (on update)
/// while the settings are off; a username must be a valid one.
fn check_username(hook: &IncomingWebhook) -> AppResult<()> {
    if !hook.username.is_empty() && crate::users::validate_username(&hook.username).is_err() {
        return Err(WebhookError::InvalidUsername.into());
    }
    Ok(())
}

/// `POST /hooks/incoming`.
pub async fn create(
    app: &App,
    session: &Session,
    mut hook: IncomingWebhook,
) -> AppResult<IncomingWebhook> {
    let channel = channel(app, &hook.channel_id).await?;
    require(
        has_team_permission(app, session, &channel.team_id, MANAGE_INCOMING_WEBHOOKS).await?,
        MANAGE_INCOMING_WEBHOOKS,
    )?;
    if !crate::posts::can_read_channel(app, session, &channel).await? {
        return Err(utmost_model::AppError::permission_denied(
            READ_CHANNEL_CONTENT,
        ));
    }
    let mut creator = session.user_id.clone();
    if !hook.user_id.is_empty() && hook.user_id != session.user_id {
        require(
            has_team_permission(
                app,
                session,
                &channel.team_id,
                MANAGE_OTHERS_INCOMING_WEBHOOKS,
            )
            .await?,
            MANAGE_OTHERS_INCOMING_WEBHOOKS,
        )?;
        crate::caches::users::get(app, &hook.user_id)
            .await?
            .ok_or(UserError::NotFound)?;
        creator = hook.user_id.clone();
    }
    lock_unless_bypassing(app, session, &channel, &mut hook).await?;
    require_enabled(app)?;
    let config = app.config();
    hook.user_id = creator;
    hook.team_id = channel.team_id.clone();
    if !config.service_settings.enable_post_username_override {
        hook.username = String::new();
    }
    if !config.service_settings.enable_post_icon_override {
        hook.icon_url = String::new();
    }
    check_username(&hook)?;
    hook.id = new_id();
    hook.create_at = now_millis();
    hook.update_at = hook.create_at;
    hook.delete_at = 0;
    validate(&hook)?;
    store::insert_incoming(&app.store, &hook).await?;
    Ok(hook)
}

/// `GET /hooks/incoming`: a team's hooks, or every team's; only the caller's own without
/// `manage_others_incoming_webhooks`. Returns the page and, when asked, the total.
pub async fn list(
    app: &App,
    session: &Session,
    team_id: Option<&str>,
    limit: i64,
    offset: i64,
    with_total: bool,
) -> AppResult<(Vec<IncomingWebhook>, Option<i64>)> {
    let others = match team_id {
        Some(team_id) => {
            require(
                has_team_permission(app, session, team_id, MANAGE_INCOMING_WEBHOOKS).await?,
                MANAGE_INCOMING_WEBHOOKS,
            )?;
            has_team_permission(app, session, team_id, MANAGE_OTHERS_INCOMING_WEBHOOKS).await?
        }
        None => {
            require(
                has_system_permission(app, session, MANAGE_INCOMING_WEBHOOKS),
                MANAGE_INCOMING_WEBHOOKS,
            )?;
            has_system_permission(app, session, MANAGE_OTHERS_INCOMING_WEBHOOKS)
        }
    };
    require_enabled(app)?;
    let scope = Scope {
        team_id,
        channel_id: None,
        user_id: (!others).then_some(session.user_id.as_str()),
    };
    let hooks = store::list_incoming(&app.store, &scope, limit, offset).await?;
    let total = if with_total {
        Some(store::count_incoming(&app.store, &scope).await?)
    } else {
        None
    };
    Ok((hooks, total))
}

/// The checks `getIncomingHook` and `deleteIncomingHook` share: `manage_incoming_webhooks`
/// in the hook's team and read access to a private channel (403 naming the former), then
/// `manage_others_incoming_webhooks` for someone else's hook.
async fn require_manage(app: &App, session: &Session, hook: &IncomingWebhook) -> AppResult<()> {
    let channel = channel(app, &hook.channel_id).await?;
    let restricted =
        !channel.is_open() && !crate::posts::can_read_channel(app, session, &channel).await?;
    require(
        has_team_permission(app, session, &hook.team_id, MANAGE_INCOMING_WEBHOOKS).await?
            && !restricted,
        MANAGE_INCOMING_WEBHOOKS,
    )?;
    if session.user_id != hook.user_id {
        require(
            has_team_permission(app, session, &hook.team_id, MANAGE_OTHERS_INCOMING_WEBHOOKS)
                .await?,
            MANAGE_OTHERS_INCOMING_WEBHOOKS,
        )?;
    }
    Ok(())
}

/// `GET /hooks/incoming/{hook_id}`.
pub async fn get(app: &App, session: &Session, hook_id: &str) -> AppResult<IncomingWebhook> {
    let hook = get_hook(app, hook_id).await?;
    require_manage(app, session, &hook).await?;
    Ok(hook)
}

/// `DELETE /hooks/incoming/{hook_id}`.
pub async fn delete(app: &App, session: &Session, hook_id: &str) -> AppResult<()> {
    let hook = get_hook(app, hook_id).await?;
    require_manage(app, session, &hook).await?;
    require_enabled(app)?;
    if !store::delete_incoming(&app.store, &hook.id, now_millis()).await? {
        return Err(WebhookError::IncomingNotFound.into());
    }
    app.publish(Event::IncomingWebhookChanged { hook_id: hook.id })
        .await;
    Ok(())
}

/// `PUT /hooks/incoming/{hook_id}`: `updated.id` must be the path's.
pub async fn update(
    app: &App,
    session: &Session,
    hook_id: &str,
    mut updated: IncomingWebhook,
) -> AppResult<IncomingWebhook> {
    if updated.id != hook_id {
        return Err(utmost_model::AppError::invalid_param("hook_id"));
    }
    let old = get_hook(app, hook_id).await?;
    if updated.team_id.is_empty() {
        updated.team_id = old.team_id.clone();
    }
    if updated.team_id != old.team_id {
        return Err(WebhookError::TeamMismatch.into());
    }
    let channel = channel(app, &updated.channel_id).await?;
    if channel.team_id != updated.team_id {
        return Err(utmost_model::AppError::invalid_param("channel_id"));
    }
    require(
        has_team_permission(app, session, &channel.team_id, MANAGE_INCOMING_WEBHOOKS).await?,
        MANAGE_INCOMING_WEBHOOKS,
    )?;
    if session.user_id != old.user_id {
        require(
            has_team_permission(
                app,
                session,
                &channel.team_id,
                MANAGE_OTHERS_INCOMING_WEBHOOKS,
            )
            .await?,
            MANAGE_OTHERS_INCOMING_WEBHOOKS,
        )?;
    }
    if !channel.is_open() && !crate::posts::can_read_channel(app, session, &channel).await? {
        return Err(utmost_model::AppError::permission_denied(
            READ_CHANNEL_CONTENT,
        ));
    }
    lock_unless_bypassing(app, session, &channel, &mut updated).await?;
    require_enabled(app)?;
    let config = app.config();
    if !config.service_settings.enable_post_username_override {
        updated.username = old.username.clone();
    }
    if !config.service_settings.enable_post_icon_override {
        updated.icon_url = old.icon_url.clone();
    }
    check_username(&updated)?;
    updated.id = old.id;
    updated.user_id = old.user_id;
    updated.create_at = old.create_at;
    updated.update_at = now_millis();
    updated.team_id = old.team_id;
    updated.delete_at = old.delete_at;
    validate(&updated)?;
    if !store::update_incoming(&app.store, &updated).await? {
        return Err(WebhookError::IncomingNotFound.into());
    }
    app.publish(Event::IncomingWebhookChanged {
        hook_id: updated.id.clone(),
    })
    .await;
    Ok(updated)
}

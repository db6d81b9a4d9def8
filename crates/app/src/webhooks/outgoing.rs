//! Managing outgoing webhooks (`api4/webhook.go` and `app/webhook.go`): the hook's team's
//! `manage_outgoing_webhooks`, and `manage_others_outgoing_webhooks` for someone else's.

use super::{too_long, WebhookError};
use crate::authorization::{
    has_channel_permission, has_system_permission, has_team_permission, require,
};
use crate::errors::{ChannelError, UserError};
use crate::{App, AppResult};
use utmost_model::channel::Channel;
use utmost_model::channel_bookmark::is_valid_http_url;
use utmost_model::permissions::{MANAGE_OTHERS_OUTGOING_WEBHOOKS, MANAGE_OUTGOING_WEBHOOKS};
use utmost_model::session::Session;
use utmost_model::webhook::OutgoingWebhook;
use utmost_model::{is_valid_id, new_id, now_millis};
use utmost_store::webhooks::{self as store, Scope};

fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().service_settings.enable_outgoing_webhooks {
        Ok(())
    } else {
        Err(WebhookError::OutgoingDisabled.into())
    }
}

/// `GetOutgoingWebhook`: 501 when disabled, 404 when there is no live hook.
async fn get_hook(app: &App, hook_id: &str) -> AppResult<OutgoingWebhook> {
    require_enabled(app)?;
    Ok(store::get_outgoing(&app.store, hook_id)
        .await?
        .ok_or(WebhookError::OutgoingNotFound)?)
}

/// Go's `fmt.Sprintf("%s", list)`: `[a b c]`.
fn go_list_len(list: &[String]) -> usize {
    2 + list.iter().map(String::len).sum::<usize>() + list.len().saturating_sub(1)
}

/// `OutgoingWebhook.IsValid` over what a client can set.
fn validate(hook: &OutgoingWebhook) -> AppResult<()> {
    let invalid = if !hook.channel_id.is_empty() && !is_valid_id(&hook.channel_id) {
        Some("model.outgoing_hook.is_valid.channel_id.app_error")
    } else if !is_valid_id(&hook.team_id) {
        Some("model.outgoing_hook.is_valid.team_id.app_error")
    } else if go_list_len(&hook.trigger_words) > 1024 {
        Some("model.outgoing_hook.is_valid.words.app_error")
    } else if hook.trigger_words.iter().any(String::is_empty) {
        Some("model.outgoing_hook.is_valid.trigger_words.app_error")
    } else if hook.callback_urls.is_empty() || go_list_len(&hook.callback_urls) > 1024 {
        Some("model.outgoing_hook.is_valid.callback.app_error")
    } else if !hook.callback_urls.iter().all(|u| is_valid_http_url(u)) {
        Some("model.outgoing_hook.is_valid.url.app_error")
    } else if too_long(&hook.display_name, 64) {
        Some("model.outgoing_hook.is_valid.display_name.app_error")
    } else if too_long(&hook.description, 500) {
        Some("model.outgoing_hook.is_valid.description.app_error")
    } else if too_long(&hook.content_type, 128) || !(0..=1).contains(&hook.trigger_when) {
        // Mattermost gives a bad `trigger_when` the content type's id too.
        Some("model.outgoing_hook.is_valid.content_type.app_error")
    } else if too_long(&hook.username, 64) {
        Some("model.outgoing_hook.username.app_error")
    } else if too_long(&hook.icon_url, 1024) {
        Some("model.outgoing_hook.icon_url.app_error")
    } else {
        None
    };
    match invalid {
        Some(id) => Err(WebhookError::Invalid(id).into()),
        None => Ok(()),
    }
}

/// The hook's channel, when it names one, must be a public channel of its team; without
/// one it needs trigger words. Then no other hook of the same channel may share a trigger
/// word and a callback with it.
async fn check_scope(app: &App, hook: &OutgoingWebhook, on_update: bool) -> AppResult<()> {
    if !hook.channel_id.is_empty() {
        let channel = crate::caches::channels::get(app, &hook.channel_id)
            .await?
            .map(|c| Channel::clone(&c))
            .ok_or(ChannelError::NotFound)?;
        if !channel.is_open() {
            return Err(if on_update {
                WebhookError::UpdateNotOpen
            } else {
                WebhookError::CreateNotOpen
            }
            .into());
        }
        if channel.team_id != hook.team_id {
            return Err(WebhookError::OtherTeamChannel.into());
        }
    } else if hook.trigger_words.is_empty() {
        return Err(WebhookError::NoTriggers { on_update }.into());
    }
    let team = Scope {
        team_id: Some(&hook.team_id),
        ..Scope::default()
    };
    let shares = |other: &OutgoingWebhook| {
        other.id != hook.id
            && other.channel_id == hook.channel_id
            && other
                .callback_urls
                .iter()
                .any(|u| hook.callback_urls.contains(u))
            && other
                .trigger_words
                .iter()
                .any(|w| hook.trigger_words.contains(w))
    };
    if store::list_outgoing(&app.store, &team, -1, 0)
        .await?
        .iter()
        .any(shares)
    {
        return Err(WebhookError::Intersect { on_update }.into());
    }
    Ok(())
}

async fn require_manage(
    app: &App,
    session: &Session,
    team_id: &str,
    creator_id: &str,
) -> AppResult<()> {
    require(
        has_team_permission(app, session, team_id, MANAGE_OUTGOING_WEBHOOKS).await?,
        MANAGE_OUTGOING_WEBHOOKS,
    )?;
    if session.user_id != creator_id {
        require(
            has_team_permission(app, session, team_id, MANAGE_OTHERS_OUTGOING_WEBHOOKS).await?,
            MANAGE_OTHERS_OUTGOING_WEBHOOKS,
        )?;
    }
    Ok(())
}

/// `POST /hooks/outgoing`.
pub async fn create(
    app: &App,
    session: &Session,
    mut hook: OutgoingWebhook,
) -> AppResult<OutgoingWebhook> {
    require(
        has_team_permission(app, session, &hook.team_id, MANAGE_OUTGOING_WEBHOOKS).await?,
        MANAGE_OUTGOING_WEBHOOKS,
    )?;
    if hook.creator_id.is_empty() {
        hook.creator_id = session.user_id.clone();
    } else {
        require(
            has_team_permission(app, session, &hook.team_id, MANAGE_OTHERS_OUTGOING_WEBHOOKS)
                .await?,
            MANAGE_OTHERS_OUTGOING_WEBHOOKS,
        )?;
        crate::caches::users::get(app, &hook.creator_id)
            .await?
            .ok_or(UserError::NotFound)?;
    }
    require_enabled(app)?;
    check_scope(app, &hook, false).await?;
    hook.id = new_id();
    if hook.token.len() != 26 {
        hook.token = new_id();
    }
    hook.create_at = now_millis();
    hook.update_at = hook.create_at;
    hook.delete_at = 0;
    validate(&hook)?;
    store::insert_outgoing(&app.store, &hook).await?;
    Ok(hook)
}

/// `GET /hooks/outgoing`: a channel's, a team's or every team's hooks; only the caller's own
/// without `manage_others_outgoing_webhooks`.
pub async fn list(
    app: &App,
    session: &Session,
    channel_id: Option<&str>,
    team_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<OutgoingWebhook>> {
    let others = if let Some(channel_id) = channel_id {
        require(
            has_channel_permission(app, session, channel_id, MANAGE_OUTGOING_WEBHOOKS).await?,
            MANAGE_OUTGOING_WEBHOOKS,
        )?;
        has_channel_permission(app, session, channel_id, MANAGE_OTHERS_OUTGOING_WEBHOOKS).await?
    } else if let Some(team_id) = team_id {
        require(
            has_team_permission(app, session, team_id, MANAGE_OUTGOING_WEBHOOKS).await?,
            MANAGE_OUTGOING_WEBHOOKS,
        )?;
        has_team_permission(app, session, team_id, MANAGE_OTHERS_OUTGOING_WEBHOOKS).await?
    } else {
        require(
            has_system_permission(app, session, MANAGE_OUTGOING_WEBHOOKS),
            MANAGE_OUTGOING_WEBHOOKS,
        )?;
        has_system_permission(app, session, MANAGE_OTHERS_OUTGOING_WEBHOOKS)
    };
    require_enabled(app)?;
    let scope = Scope {
        team_id: if channel_id.is_some() { None } else { team_id },
        channel_id,
        user_id: (!others).then_some(session.user_id.as_str()),
    };
    Ok(store::list_outgoing(&app.store, &scope, limit, offset).await?)
}

/// `GET /hooks/outgoing/{hook_id}`.
pub async fn get(app: &App, session: &Session, hook_id: &str) -> AppResult<OutgoingWebhook> {
    let hook = get_hook(app, hook_id).await?;
    require_manage(app, session, &hook.team_id, &hook.creator_id).await?;
    Ok(hook)
}

/// `DELETE /hooks/outgoing/{hook_id}`.
pub async fn delete(app: &App, session: &Session, hook_id: &str) -> AppResult<()> {
    let hook = get_hook(app, hook_id).await?;
    require_manage(app, session, &hook.team_id, &hook.creator_id).await?;
    require_enabled(app)?;
    if !store::delete_outgoing(&app.store, &hook.id, now_millis()).await? {
        return Err(WebhookError::OutgoingNotFound.into());
    }
    Ok(())
}

/// `POST /hooks/outgoing/{hook_id}/regen_token`.
pub async fn regen_token(
    app: &App,
    session: &Session,
    hook_id: &str,
) -> AppResult<OutgoingWebhook> {
    let mut hook = get_hook(app, hook_id).await?;
    require_manage(app, session, &hook.team_id, &hook.creator_id).await?;
    require_enabled(app)?;
    hook.token = new_id();
    if !store::update_outgoing(&app.store, &hook).await? {
        return Err(WebhookError::OutgoingNotFound.into());
    }
    Ok(hook)
}

/// `PUT /hooks/outgoing/{hook_id}`: `updated.id` must be the path's. The creator, team,
/// times and token stay the hook's.
pub async fn update(
    app: &App,
    session: &Session,
    hook_id: &str,
    mut updated: OutgoingWebhook,
) -> AppResult<OutgoingWebhook> {
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
    require_manage(app, session, &updated.team_id, &old.creator_id).await?;
    require_enabled(app)?;
    check_scope(app, &updated, true).await?;
    updated.creator_id = old.creator_id;
    updated.create_at = old.create_at;
    updated.delete_at = old.delete_at;
    updated.token = old.token;
    updated.update_at = now_millis();
    validate(&updated)?;
    if !store::update_outgoing(&app.store, &updated).await? {
        return Err(WebhookError::OutgoingNotFound.into());
    }
    Ok(updated)
}

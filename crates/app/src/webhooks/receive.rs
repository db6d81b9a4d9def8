//! `POST /hooks/{id}` (Mattermost's `web/webhook.go` and `HandleIncomingWebhook`): the
//! request decoded from JSON or a form's `payload` field, the hook found, the channel it
//! posts to (its own, or the `channel` the request names unless the hook is locked), the
//! creator's access to that channel, then the post.

use super::post::{self, WebhookPost};
use super::{slack, WebhookError};
use crate::{App, AppResult};
use serde_json::Value;
use utmost_model::channel::Channel;
use utmost_model::permissions;
use utmost_model::webhook::{IncomingWebhookRequest, POST_TYPE_SLACK_ATTACHMENT};
use utmost_store::Deleted;

/// Decodes a hook's body by its media type: a form's `payload` field, or the body itself
/// as JSON (the default: the header is optional).
pub fn decode_request(content_type: &str, body: &[u8]) -> AppResult<IncomingWebhookRequest> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media == "application/x-www-form-urlencoded" {
        let payload = url::form_urlencoded::parse(body)
            .find(|(name, _)| name == "payload")
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default();
        return decode_json(payload.as_bytes());
    }
    decode_json(body)
}

/// `IncomingWebhookRequestFromJSON`: JSON, and when that fails, the same with raw newlines
/// and tabs inside strings escaped (some senders put them there).
fn decode_json(body: &[u8]) -> AppResult<IncomingWebhookRequest> {
    if let Ok(request) = serde_json::from_slice(body) {
        return Ok(request);
    }
    serde_json::from_slice(&escape_controls_in_strings(body))
        .map_err(|e| AppError::from(WebhookError::ParseData).with_detail(e.to_string()))
}

use utmost_model::AppError;

fn escape_controls_in_strings(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let (mut in_string, mut escaped) = (false, false);
    for &b in body {
        if in_string {
            match b {
                b'\n' if !escaped => out.extend_from_slice(b"\\n"),
                b'\t' if !escaped => out.extend_from_slice(b"\\t"),
                b'\r' if !escaped => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            out.push(b);
            if b == b'"' {
                in_string = true;
            }
        }
    }
    out
}

/// Posts `request` through incoming hook `hook_id`.
pub async fn handle(app: &App, hook_id: &str, request: IncomingWebhookRequest) -> AppResult<()> {
    if !app.config().service_settings.enable_incoming_webhooks {
        return Err(WebhookError::ReceiveDisabled.into());
    }
    if request.text.is_empty() && request.attachments.is_none() {
        return Err(WebhookError::NoText.into());
    }
    let hook = crate::caches::incoming_hooks::get(app, hook_id)
        .await?
        .ok_or(WebhookError::InvalidHook)?;
    let mut props = request.props.unwrap_or_default();
    props.insert(
        "webhook_display_name".into(),
        Value::String(hook.display_name.clone()),
    );
    let text = slack::process_text(app, &request.text).await?;
    let attachments = slack::process_attachments(app, request.attachments).await?;
    let mut post_type = request.post_type;
    if !attachments.is_empty() {
        post_type = POST_TYPE_SLACK_ATTACHMENT.into();
    }

    let creator = crate::caches::users::get(app, &hook.user_id).await?;
    let channel = target_channel(app, &hook, &request.channel_name, creator.as_deref()).await?;
    let creator = creator.ok_or(WebhookError::CreatorGone)?;
    if !channel.is_open() {
        let session = crate::posts::acting_as(&creator);
        let readable = crate::authorization::has_channel_permission(
            app,
            &session,
            &channel.id,
            permissions::READ_CHANNEL_CONTENT,
        )
        .await?;
        if !readable {
            return Err(WebhookError::ChannelPermission.into());
        }
    }
    let override_username = if request.username.is_empty() {
        hook.username.clone()
    } else {
        request.username
    };
    let override_icon_url = if request.icon_url.is_empty() {
        hook.icon_url.clone()
    } else {
        request.icon_url
    };
    post::create(
        app,
        &channel,
        WebhookPost {
            user_id: hook.user_id.clone(),
            text,
            override_username,
            override_icon_url,
            override_icon_emoji: request.icon_emoji,
            props,
            attachments,
            post_type,
            root_id: String::new(),
            priority: request.priority,
        },
    )
    .await?;
    Ok(())
}

/// The hook's channel, or the one `channel_name` names: `@username` (the DM between the
/// creator and that user, created on first use), `#name` or `name` in the hook's team. A
/// locked hook posts only to its own channel (checked before a DM would be created).
async fn target_channel(
    app: &App,
    hook: &utmost_model::webhook::IncomingWebhook,
    channel_name: &str,
    creator: Option<&utmost_model::user::User>,
) -> AppResult<Channel> {
    let channel = if let Some(username) = channel_name.strip_prefix('@') {
        let other = utmost_store::users::get_by_username(&app.store, username)
            .await?
            .ok_or(WebhookError::UnknownUser)?;
        let name = utmost_model::id::direct_channel_name(&hook.user_id, &other.id);
        match utmost_store::channels::get_by_name(&app.store, "", &name, Deleted::Include).await? {
            Some(existing) => locked_check(hook, existing)?,
            None if hook.channel_locked => return Err(WebhookError::ChannelLocked.into()),
            None => {
                let creator = creator.ok_or(WebhookError::CreatorGone)?;
                let session = crate::posts::acting_as(creator);
                crate::channels::get_or_create_direct(app, &session, &hook.user_id, &other.id)
                    .await?
            }
        }
    } else if !channel_name.is_empty() {
        let name = channel_name.strip_prefix('#').unwrap_or(channel_name);
        let found =
            utmost_store::channels::get_by_name(&app.store, &hook.team_id, name, Deleted::Include)
                .await?
                .ok_or(WebhookError::ChannelNotFound)?;
        locked_check(hook, found)?
    } else {
        let cached = crate::caches::channels::get(app, &hook.channel_id)
            .await?
            .ok_or(crate::errors::ChannelError::NotFound)?;
        Channel::clone(&cached)
    };
    Ok(channel)
}

fn locked_check(
    hook: &utmost_model::webhook::IncomingWebhook,
    channel: Channel,
) -> AppResult<Channel> {
    if hook.channel_locked && hook.channel_id != channel.id {
        return Err(WebhookError::ChannelLocked.into());
    }
    Ok(channel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_payload_and_raw_newlines_are_read() {
        let form = b"payload=%7B%22text%22%3A%22hi%22%7D";
        let r = decode_request("application/x-www-form-urlencoded; charset=utf-8", form).unwrap();
        assert_eq!(r.text, "hi");
        let raw = b"{\"text\": \"two\nlines\tand tab\"}";
        assert_eq!(decode_request("", raw).unwrap().text, "two\nlines\tand tab");
        let bad = decode_request("application/json", b"{").unwrap_err();
        assert_eq!(bad.id, "model.incoming_hook.parse_data.app_error");
        assert_eq!(bad.status_code, 400);
    }
}

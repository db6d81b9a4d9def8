//! `POST /notifications/ack` (Mattermost's `pushNotificationAck`): the app reports that a push
//! arrived; the receipt goes on to the push proxy, and for an ID-only push the answer is the
//! notification with its content, for a post the session's user may read.

use super::decide::{PushStyle, ReplyKind};
use super::message::{self, PushNotification, Source};
use crate::errors::PushError;
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use utmost_model::post::Post;
use utmost_model::session::Session;

/// `model.PushNotificationAck`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushNotificationAck {
    pub id: String,
    pub received_at: i64,
    pub platform: String,
    #[serde(rename = "type")]
    pub notification_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub post_id: String,
    pub is_id_loaded: bool,
}

/// What the route answers.
#[derive(Debug, Clone, PartialEq)]
pub enum AckAnswer {
    /// `{"status": "OK"}`.
    Received,
    /// An ID-only receipt without a message post: an empty answer, as Mattermost's.
    Nothing,
    /// The ID-only push with its content.
    Content(Box<PushNotification>),
}

/// Forwards the receipt; for an ID-only message, answers its content once the session's
/// user is shown to be allowed to read the post.
pub async fn ack(app: &App, session: &Session, ack: &PushNotificationAck) -> AppResult<AckAnswer> {
    if !app.config().email_settings.send_push_notifications {
        return Err(PushError::Disabled.into());
    }
    let receipt = serde_json::to_value(ack).unwrap_or_default();
    let forwarded = app.push.forward_ack(app, &receipt).await;
    if !ack.is_id_loaded {
        forwarded?;
        return Ok(AckAnswer::Received);
    }
    if let Err(e) = forwarded {
        tracing::error!(ack_id = %ack.id, error = %e, "notification ack not sent to the push proxy");
    }
    if ack.post_id.is_empty() || ack.notification_type != message::TYPE_MESSAGE {
        return Ok(AckAnswer::Nothing);
    }
    let post = crate::posts::get_if_authorized(app, session, &ack.post_id, false).await?;
    let mut content = content_of(app, &session.user_id, &post)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "building an ID-only notification's content failed");
            PushError::IdLoadedFetch
        })?;
    content.ack_id.clone_from(&ack.id);
    content.platform.clone_from(&ack.platform);
    Ok(AckAnswer::Content(Box::new(content)))
}

/// The post's push as `full` contents would have sent it to `user_id`.
async fn content_of(app: &App, user_id: &str, post: &Post) -> AppResult<PushNotification> {
    let channel = crate::posts::get_channel(app, &post.channel_id).await?;
    let sender_name = if post.is_system_message() {
        "System".to_string()
    } else {
        let author = crate::users::get(app, &post.user_id).await?;
        format!("@{}", author.username)
    };
    let members = crate::caches::member_profiles::member_profiles(app, &channel.id).await?;
    let channel_name = super::channel_name_for(&channel, &sender_name, &members, user_id);
    let collapsed = super::collapsed_threads_of(app, user_id).await?;
    let config = app.config();
    let mut content = message::build(&Source {
        contents: message::FULL,
        post,
        channel: &channel,
        channel_name: &channel_name,
        sender_name: &sender_name,
        recipient_id: user_id,
        recipient_collapsed_threads: collapsed,
        style: PushStyle {
            explicit: false,
            channel_wide: false,
            reply: ReplyKind::None,
        },
        username_override: config.service_settings.enable_post_username_override,
        icon_override: config.service_settings.enable_post_icon_override,
    });
    content.badge =
        utmost_store::notifications::badge_count(&app.store, user_id, collapsed).await?;
    content.server_id = crate::system::telemetry_id(app).await?;
    Ok(content)
}

//! The push proxy's message (`model.PushNotification`) and how a post becomes one for a
//! recipient (`BuildPushNotificationMessage`, `getPushNotificationMessage`), in each
//! `EmailSettings.PushNotificationContents` mode. Pure.

use super::decide::{PushStyle, ReplyKind};
use serde::{Deserialize, Serialize};
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::post::Post;

/// `PushNotificationContents`: the message text in full.
pub const FULL: &str = "full";
/// Who posted and where, not what.
pub const GENERIC: &str = "generic";
/// Who posted, not where or what.
pub const GENERIC_NO_CHANNEL: &str = "generic_no_channel";
/// Only ids: the app fetches the content through `POST /notifications/ack`.
pub const ID_LOADED: &str = "id_loaded";

pub const TYPE_MESSAGE: &str = "message";
pub const TYPE_CLEAR: &str = "clear";
pub const TYPE_SESSION: &str = "session";
pub const TYPE_UPDATE_BADGE: &str = "update_badge";
/// `model.PushMessageV2`.
const VERSION: &str = "v2";
/// `model.CategoryCanReply`: the app offers a reply action.
const CATEGORY_CAN_REPLY: &str = "CAN_REPLY";

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// `model.PushNotification` exactly as Mattermost sends it to `/api/v1/send_push`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PushNotification {
    pub ack_id: String,
    pub platform: String,
    pub server_id: String,
    pub device_id: String,
    pub post_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub category: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sound: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub badge: i64,
    #[serde(rename = "cont_ava", skip_serializing_if = "is_zero")]
    pub content_available: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub team_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub root_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel_name: String,
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub notification_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sub_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sender_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub sender_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub override_username: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub override_icon_url: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from_webhook: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub version: String,
    pub is_crt_enabled: bool,
    pub is_id_loaded: bool,
    /// Mattermost signs `{ack_id, device_id}` with the server's key; Utmost has no signing
    /// key yet and sends it empty (apps that verify it reject the push).
    pub signature: String,
}

impl PushNotification {
    /// `SetDeviceIdAndPlatform`: a session's `android_rn:token` gives the platform and the
    /// device; an id without a platform leaves both empty, as in Mattermost.
    pub fn set_device(&mut self, session_device_id: &str) {
        if let Some((platform, device)) = session_device_id.split_once(':') {
            self.platform = platform.to_string();
            self.device_id = device.to_string();
        }
    }
}

/// What a message push is built from, for one recipient.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// `PushNotificationContents`.
    pub contents: &'a str,
    pub post: &'a Post,
    pub channel: &'a Channel,
    /// The channel as the recipient names it (`GetChannelName`).
    pub channel_name: &'a str,
    /// The sender as shown (`GetSenderName`: `@username`, or `System`).
    pub sender_name: &'a str,
    pub recipient_id: &'a str,
    pub recipient_collapsed_threads: bool,
    pub style: PushStyle,
    /// `ServiceSettings.EnablePostUsernameOverride` and `EnablePostIconOverride`.
    pub username_override: bool,
    pub icon_override: bool,
}

/// The message push for one recipient, without device, ack id, server id or badge.
pub fn build(source: &Source) -> PushNotification {
    if source.contents == ID_LOADED {
        return id_loaded(source);
    }
    let (post, channel) = (source.post, source.channel);
    let direct = channel.channel_type == CHANNEL_DIRECT;
    let mut msg = PushNotification {
        category: CATEGORY_CAN_REPLY.into(),
        version: VERSION.into(),
        notification_type: TYPE_MESSAGE.into(),
        team_id: channel.team_id.clone(),
        channel_id: channel.id.clone(),
        post_id: post.id.clone(),
        root_id: post.root_id.clone(),
        sender_id: post.user_id.clone(),
        ..PushNotification::default()
    };
    if source.contents != GENERIC_NO_CHANNEL || direct {
        msg.channel_name = source.channel_name.to_string();
    }
    if source.recipient_collapsed_threads {
        msg.is_crt_enabled = true;
        if !post.root_id.is_empty() && source.contents != GENERIC_NO_CHANNEL {
            msg.channel_name = if direct {
                "Reply in Direct Message".into()
            } else {
                format!("Reply in {}", source.channel_name)
            };
        }
    }
    msg.sender_name = source.sender_name.to_string();
    if let (Some(name), true) = (post.prop_str("override_username"), source.username_override) {
        msg.override_username = name.to_string();
        msg.sender_name = name.to_string();
    }
    if let (Some(url), true) = (post.prop_str("override_icon_url"), source.icon_override) {
        msg.override_icon_url = url.to_string();
    }
    if let Some(from_webhook) = post.prop_str("from_webhook") {
        msg.from_webhook = from_webhook.to_string();
    }
    msg.message = text(source, &msg.sender_name, direct);
    msg
}

/// `buildIdLoadedPushNotificationMessage`: ids and a fixed text. Mattermost puts the
/// recipient's id in `sender_id` here; so does Utmost, since apps read it that way.
fn id_loaded(source: &Source) -> PushNotification {
    PushNotification {
        post_id: source.post.id.clone(),
        channel_id: source.post.channel_id.clone(),
        root_id: source.post.root_id.clone(),
        is_crt_enabled: source.recipient_collapsed_threads,
        category: CATEGORY_CAN_REPLY.into(),
        version: VERSION.into(),
        team_id: source.channel.team_id.clone(),
        notification_type: TYPE_MESSAGE.into(),
        is_id_loaded: true,
        sender_id: source.recipient_id.to_string(),
        message: "You've received a new message.".into(),
        ..PushNotification::default()
    }
}

/// `getPushNotificationMessage`.
fn text(source: &Source, sender: &str, direct: bool) -> String {
    let message = post_text(source.post);
    if message.is_empty() && !source.post.file_ids.is_empty() {
        let attached = " attached a file.";
        return if direct {
            attached.trim().to_string()
        } else {
            format!("{sender}{attached}")
        };
    }
    let collapsed = source.style.reply == ReplyKind::CollapsedThread;
    if source.contents == FULL {
        return if direct && !collapsed {
            clear_mention_tags(&message)
        } else {
            format!("{sender}: {}", clear_mention_tags(&message))
        };
    }
    if direct {
        return match (collapsed, source.contents == GENERIC_NO_CHANNEL) {
            (true, true) => format!("{sender} replied to a thread you're following."),
            (true, false) => format!("{sender} replied to a thread."),
            (false, _) => "sent you a message.".into(),
        };
    }
    let what = if collapsed {
        " replied to a thread you're following."
    } else if source.style.channel_wide {
        " notified the channel."
    } else if source.style.explicit {
        " mentioned you."
    } else if source.style.reply == ReplyKind::Root {
        " commented on your post."
    } else if source.style.reply == ReplyKind::Any {
        " commented on a thread you participated in."
    } else {
        " posted a message."
    };
    format!("{sender}{what}")
}

/// The post's text and its attachments' fallback texts. Mattermost also strips the
/// Markdown first; Utmost sends the text as written.
fn post_text(post: &Post) -> String {
    let mut text = post.message.clone();
    let attachments = post.props.get("attachments").and_then(|a| a.as_array());
    for fallback in attachments
        .into_iter()
        .flatten()
        .filter_map(|a| a.get("fallback").and_then(|f| f.as_str()))
        .filter(|f| !f.is_empty())
    {
        text.push('\n');
        text.push_str(fallback);
    }
    text
}

/// `model.ClearMentionTags`: Slack-style `<!channel>` tags lose their brackets.
fn clear_mention_tags(text: &str) -> String {
    text.replace("<!", "").replace('>', "")
}

/// `clearPushNotificationSync`: the app removes the channel's notifications and shows the
/// new badge.
pub fn clear(channel_id: &str, badge: i64, collapsed_threads: bool) -> PushNotification {
    PushNotification {
        notification_type: TYPE_CLEAR.into(),
        version: VERSION.into(),
        channel_id: channel_id.to_string(),
        content_available: 1,
        badge,
        is_crt_enabled: collapsed_threads,
        ..PushNotification::default()
    }
}

/// The push that sets the app's badge after the user read threads (`UpdateMobileAppBadge`).
pub fn update_badge(badge: i64, collapsed_threads: bool) -> PushNotification {
    PushNotification {
        notification_type: TYPE_UPDATE_BADGE.into(),
        version: VERSION.into(),
        content_available: 1,
        badge,
        is_crt_enabled: collapsed_threads,
        ..PushNotification::default()
    }
}

/// The push that tells a device its session expired (`NotifySessionsExpired`).
pub fn session_expired(site_name: &str, hours: i64) -> PushNotification {
    PushNotification {
        notification_type: TYPE_SESSION.into(),
        version: VERSION.into(),
        message: format!(
            "Session Expired: Please log in to continue receiving notifications. Sessions for \
             {site_name} are configured by your System Administrator to expire every {hours} hours."
        ),
        ..PushNotification::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn channel(kind: &str) -> Channel {
        Channel {
            id: "c1".into(),
            team_id: "t1".into(),
            channel_type: kind.into(),
            display_name: "Town Square".into(),
            ..Channel::default()
        }
    }

    fn post(message: &str, root: &str) -> Post {
        Post {
            id: "p1".into(),
            channel_id: "c1".into(),
            user_id: "u1".into(),
            root_id: root.into(),
            message: message.into(),
            ..Post::default()
        }
    }

    const MENTION: PushStyle = PushStyle {
        explicit: true,
        channel_wide: false,
        reply: ReplyKind::None,
    };

    fn source<'a>(contents: &'a str, post: &'a Post, channel: &'a Channel) -> Source<'a> {
        Source {
            contents,
            post,
            channel,
            channel_name: "Town Square",
            sender_name: "@alice",
            recipient_id: "r1",
            recipient_collapsed_threads: false,
            style: MENTION,
            username_override: false,
            icon_override: false,
        }
    }

    #[test]
    fn each_contents_mode_on_the_wire() {
        let (p, c) = (post("hi @bob", ""), channel("O"));
        let full = serde_json::to_value(build(&source(FULL, &p, &c))).unwrap();
        assert_eq!(
            full,
            json!({"ack_id": "", "platform": "", "server_id": "", "device_id": "", "post_id": "p1",
                   "category": "CAN_REPLY", "message": "@alice: hi @bob", "team_id": "t1",
                   "channel_id": "c1", "channel_name": "Town Square", "type": "message",
                   "sender_id": "u1", "sender_name": "@alice", "version": "v2",
                   "is_crt_enabled": false, "is_id_loaded": false, "signature": ""})
        );
        let generic = build(&source(GENERIC, &p, &c));
        assert_eq!(generic.message, "@alice mentioned you.");
        assert_eq!(generic.channel_name, "Town Square");
        let no_channel = build(&source(GENERIC_NO_CHANNEL, &p, &c));
        assert_eq!(no_channel.message, "@alice mentioned you.");
        assert_eq!(no_channel.channel_name, "");
        let ids = serde_json::to_value(build(&source(ID_LOADED, &p, &c))).unwrap();
        assert_eq!(
            ids,
            json!({"ack_id": "", "platform": "", "server_id": "", "device_id": "", "post_id": "p1",
                   "category": "CAN_REPLY", "message": "You've received a new message.",
                   "team_id": "t1", "channel_id": "c1", "type": "message", "sender_id": "r1",
                   "version": "v2", "is_crt_enabled": false, "is_id_loaded": true,
                   "signature": ""})
        );
    }

    #[test]
    fn generic_texts_follow_the_reason() {
        let (p, c) = (post("x", ""), channel("O"));
        let with = |style: PushStyle| {
            build(&Source {
                style,
                ..source(GENERIC, &p, &c)
            })
            .message
        };
        let none = PushStyle {
            explicit: false,
            channel_wide: false,
            reply: ReplyKind::None,
        };
        assert_eq!(with(none), "@alice posted a message.");
        assert_eq!(
            with(PushStyle {
                channel_wide: true,
                ..MENTION
            }),
            "@alice notified the channel."
        );
        assert_eq!(
            with(PushStyle {
                reply: ReplyKind::Root,
                ..none
            }),
            "@alice commented on your post."
        );
        assert_eq!(
            with(PushStyle {
                reply: ReplyKind::Any,
                ..none
            }),
            "@alice commented on a thread you participated in."
        );
    }

    #[test]
    fn direct_messages_threads_files_and_overrides() {
        let c = channel("D");
        let p = post("hello <!channel>", "");
        assert_eq!(build(&source(FULL, &p, &c)).message, "hello channel");
        assert_eq!(
            build(&source(GENERIC, &p, &c)).message,
            "sent you a message."
        );
        let reply = post("r", "root1");
        let crt = Source {
            recipient_collapsed_threads: true,
            ..source(FULL, &reply, &c)
        };
        let msg = build(&crt);
        assert!(msg.is_crt_enabled);
        assert_eq!(msg.channel_name, "Reply in Direct Message");
        let open = channel("O");
        let msg = build(&Source {
            channel: &open,
            ..crt
        });
        assert_eq!(msg.channel_name, "Reply in Town Square");
        let file_only = Post {
            file_ids: vec!["f1".into()],
            ..post("", "")
        };
        assert_eq!(
            build(&source(FULL, &file_only, &c)).message,
            "attached a file."
        );
        let mut hook = post("deploy done", "");
        hook.props
            .insert("override_username".into(), json!("ci-bot"));
        hook.props.insert("from_webhook".into(), json!("true"));
        let msg = build(&Source {
            username_override: true,
            ..source(FULL, &hook, &open)
        });
        assert_eq!(
            (msg.sender_name.as_str(), msg.override_username.as_str()),
            ("ci-bot", "ci-bot")
        );
        assert_eq!(msg.from_webhook, "true");
        assert_eq!(msg.message, "ci-bot: deploy done");
    }

    #[test]
    fn the_device_id_carries_the_platform() {
        let mut msg = PushNotification::default();
        msg.set_device("android_rn:abc:def");
        assert_eq!(
            (msg.platform.as_str(), msg.device_id.as_str()),
            ("android_rn", "abc:def")
        );
        let mut bare = PushNotification::default();
        bare.set_device("nocolon");
        assert_eq!((bare.platform.as_str(), bare.device_id.as_str()), ("", ""));
    }
}

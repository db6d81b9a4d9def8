//! WebSocket events as Mattermost's clients expect them (`model/websocket_message.go`):
//! `{"event", "data", "broadcast", "seq"}`. Replies to client actions are `{"status",
//! "seq_reply", "data"|"error"}`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Who an event goes to. Empty strings mean "not restricted by this field".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Broadcast {
    pub omit_users: Option<BTreeMap<String, bool>>,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub connection_id: String,
    pub omit_connection_id: String,
    /// Never sent: the hub's filter for events that exist in an admin and a public copy.
    #[serde(skip)]
    pub audience: Audience,
    /// Never sent: guests' connections skip this copy (news of users they may not see;
    /// the guests who may are sent their own copy).
    #[serde(skip)]
    pub not_to_guests: bool,
}

/// Which connections an event may reach by their user's right to see private data
/// (`manage_system`), as Mattermost's `ContainsSensitiveData` / `ContainsSanitizedData`.
/// One enum rather than two flags, so an event cannot be meant for nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    #[default]
    Everyone,
    /// The sanitized copy: admins get the admin copy instead.
    NonAdmins,
    /// The copy with private data.
    Admins,
}

impl Audience {
    pub fn admits(self, is_admin: bool) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::NonAdmins => !is_admin,
            Audience::Admins => is_admin,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WsEvent {
    pub event: String,
    pub data: Map<String, Value>,
    pub broadcast: Broadcast,
}

impl WsEvent {
    pub fn new(event: &str, broadcast: Broadcast) -> Self {
        Self {
            event: event.to_string(),
            data: Map::new(),
            broadcast,
        }
    }

    /// An event for every connection of one user.
    pub fn to_user(event: &str, user_id: &str) -> Self {
        Self::new(
            event,
            Broadcast {
                user_id: user_id.to_string(),
                ..Broadcast::default()
            },
        )
    }

    /// An event for every member of a channel.
    pub fn to_channel(event: &str, channel_id: &str) -> Self {
        Self::new(
            event,
            Broadcast {
                channel_id: channel_id.to_string(),
                ..Broadcast::default()
            },
        )
    }

    /// An event for every member of a team.
    pub fn to_team(event: &str, team_id: &str) -> Self {
        Self::new(
            event,
            Broadcast {
                team_id: team_id.to_string(),
                ..Broadcast::default()
            },
        )
    }

    /// An event for everyone connected.
    pub fn to_all(event: &str) -> Self {
        Self::new(event, Broadcast::default())
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.to_string(), value.into());
        self
    }

    /// Adds `value` serialised as a JSON string, as Mattermost sends posts, channels, etc.
    pub fn with_json_string(self, key: &str, value: &impl Serialize) -> Self {
        let s = serde_json::to_string(value).unwrap_or_default();
        self.with(key, s)
    }

    /// Names the team an event to one user belongs to (the user's connections hear it
    /// whatever team they are looking at, as in Mattermost).
    pub fn in_team(mut self, team_id: &str) -> Self {
        self.broadcast.team_id = team_id.to_string();
        self
    }

    pub fn omit_user(mut self, user_id: &str) -> Self {
        self.broadcast
            .omit_users
            .get_or_insert_with(BTreeMap::new)
            .insert(user_id.to_string(), true);
        self
    }

    pub fn omit_connection(mut self, connection_id: &str) -> Self {
        self.broadcast.omit_connection_id = connection_id.to_string();
        self
    }

    pub fn only_to(mut self, audience: Audience) -> Self {
        self.broadcast.audience = audience;
        self
    }

    pub fn not_to_guests(mut self) -> Self {
        self.broadcast.not_to_guests = true;
        self
    }
}

/// Event names (`model/websocket_message.go`).
pub mod events {
    pub const HELLO: &str = "hello";
    pub const POSTED: &str = "posted";
    pub const POST_EDITED: &str = "post_edited";
    pub const POST_DELETED: &str = "post_deleted";
    pub const POST_UNREAD: &str = "post_unread";
    pub const REACTION_ADDED: &str = "reaction_added";
    pub const REACTION_REMOVED: &str = "reaction_removed";
    pub const EMOJI_ADDED: &str = "emoji_added";
    pub const TYPING: &str = "typing";
    pub const STATUS_CHANGE: &str = "status_change";
    pub const CHANNEL_VIEWED: &str = "channel_viewed";
    pub const MULTIPLE_CHANNELS_VIEWED: &str = "multiple_channels_viewed";
    pub const CHANNEL_CREATED: &str = "channel_created";
    pub const CHANNEL_UPDATED: &str = "channel_updated";
    pub const CHANNEL_CONVERTED: &str = "channel_converted";
    pub const CHANNEL_DELETED: &str = "channel_deleted";
    pub const CHANNEL_RESTORED: &str = "channel_restored";
    pub const CHANNEL_MEMBER_UPDATED: &str = "channel_member_updated";
    pub const DIRECT_ADDED: &str = "direct_added";
    pub const GROUP_ADDED: &str = "group_added";
    pub const USER_ADDED: &str = "user_added";
    pub const USER_REMOVED: &str = "user_removed";
    pub const ADDED_TO_TEAM: &str = "added_to_team";
    pub const LEAVE_TEAM: &str = "leave_team";
    pub const UPDATE_TEAM: &str = "update_team";
    pub const DELETE_TEAM: &str = "delete_team";
    pub const RESTORE_TEAM: &str = "restore_team";
    pub const NEW_USER: &str = "new_user";
    pub const USER_UPDATED: &str = "user_updated";
    pub const USER_ROLE_UPDATED: &str = "user_role_updated";
    pub const USER_ACTIVATION_STATUS_CHANGE: &str = "user_activation_status_change";
    pub const MEMBERROLE_UPDATED: &str = "memberrole_updated";
    pub const PREFERENCE_CHANGED: &str = "preference_changed";
    pub const PREFERENCES_CHANGED: &str = "preferences_changed";
    pub const PREFERENCES_DELETED: &str = "preferences_deleted";
    pub const ROLE_UPDATED: &str = "role_updated";
    pub const CONFIG_CHANGED: &str = "config_changed";
    pub const THREAD_UPDATED: &str = "thread_updated";
    pub const THREAD_READ_CHANGED: &str = "thread_read_changed";
    pub const THREAD_FOLLOW_CHANGED: &str = "thread_follow_changed";
    pub const SIDEBAR_CATEGORY_CREATED: &str = "sidebar_category_created";
    pub const SIDEBAR_CATEGORY_UPDATED: &str = "sidebar_category_updated";
    pub const SIDEBAR_CATEGORY_DELETED: &str = "sidebar_category_deleted";
    pub const SIDEBAR_CATEGORY_ORDER_UPDATED: &str = "sidebar_category_order_updated";
    pub const ACKNOWLEDGEMENT_ADDED: &str = "post_acknowledgement_added";
    pub const ACKNOWLEDGEMENT_REMOVED: &str = "post_acknowledgement_removed";
    pub const EPHEMERAL_MESSAGE: &str = "ephemeral_message";
    pub const PERSISTENT_NOTIFICATION_TRIGGERED: &str = "persistent_notification_triggered";
    pub const DRAFT_CREATED: &str = "draft_created";
    pub const DRAFT_DELETED: &str = "draft_deleted";
    pub const SCHEDULED_POST_CREATED: &str = "scheduled_post_created";
    pub const SCHEDULED_POST_UPDATED: &str = "scheduled_post_updated";
    pub const SCHEDULED_POST_DELETED: &str = "scheduled_post_deleted";
    pub const CHANNEL_BOOKMARK_CREATED: &str = "channel_bookmark_created";
    pub const CHANNEL_BOOKMARK_UPDATED: &str = "channel_bookmark_updated";
    pub const CHANNEL_BOOKMARK_DELETED: &str = "channel_bookmark_deleted";
    pub const CHANNEL_BOOKMARK_SORTED: &str = "channel_bookmark_sorted";
    pub const RECEIVED_GROUP: &str = "received_group";
    pub const RECEIVED_GROUP_ASSOCIATED_TO_TEAM: &str = "received_group_associated_to_team";
    pub const RECEIVED_GROUP_NOT_ASSOCIATED_TO_TEAM: &str = "received_group_not_associated_to_team";
    pub const RECEIVED_GROUP_ASSOCIATED_TO_CHANNEL: &str = "received_group_associated_to_channel";
    pub const RECEIVED_GROUP_NOT_ASSOCIATED_TO_CHANNEL: &str =
        "received_group_not_associated_to_channel";
    pub const GROUP_MEMBER_ADD: &str = "group_member_add";
    pub const GROUP_MEMBER_DELETED: &str = "group_member_deleted";
    pub const OPEN_DIALOG: &str = "open_dialog";
}

/// A client → server request: `{"seq", "action", "data"}`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct WsRequest {
    pub seq: i64,
    pub action: String,
    pub data: Map<String, Value>,
}

/// The reply to a client request.
#[derive(Debug, Clone, Serialize)]
pub struct WsResponse {
    pub status: &'static str,
    pub seq_reply: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

impl WsResponse {
    pub fn ok(seq_reply: i64, data: Option<Value>) -> Self {
        Self {
            status: "OK",
            seq_reply,
            data,
            error: None,
        }
    }

    pub fn fail(seq_reply: i64, id: &str, message: &str) -> Self {
        Self {
            status: "FAIL",
            seq_reply,
            data: None,
            error: Some(serde_json::json!({"id": id, "message": message})),
        }
    }
}

//! The lines of Mattermost's bulk-import JSONL, version 1 (`app/imports/import_types.go`):
//! one object per line, `{"type": "<kind>", "<kind>": {…}}`. Field names are Mattermost's,
//! so files written by `mmctl export` or `mmetl` read here and ours read there. Every field
//! is optional on the wire; what a kind needs is checked by `validate`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The only version of the format.
pub const VERSION: i64 = 1;

/// One line as read: its `type` and the object named after it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Line {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ChannelLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<PostLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_channel: Option<DirectChannelLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_post: Option<DirectPostLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<EmojiLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotLine>,
}

impl Line {
    pub fn version() -> Self {
        Line {
            kind: "version".into(),
            version: Some(VERSION),
            info: Some(
                serde_json::json!({"generator": "utmost", "version": utmost_model::UTMOST_VERSION}),
            ),
            ..Line::default()
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TeamLine {
    pub name: Option<String>,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub team_type: Option<String>,
    pub description: Option<String>,
    pub allow_open_invite: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ChannelLine {
    pub team: Option<String>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub channel_type: Option<String>,
    pub header: Option<String>,
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UserLine {
    pub username: Option<String>,
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    pub nickname: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub position: Option<String>,
    pub roles: Option<String>,
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_props: Option<BTreeMap<String, String>>,
    /// The preference shortcuts (`theme`, `military_time`, …) of [`super::preferences`].
    #[serde(flatten)]
    pub preferences: BTreeMap<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<UserTeamLine>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UserTeamLine {
    pub name: Option<String>,
    pub roles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<UserChannelLine>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UserChannelLine {
    pub name: Option<String>,
    pub roles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_props: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorite: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReactionLine {
    pub user: Option<String>,
    pub emoji_name: Option<String>,
    pub create_at: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AttachmentLine {
    /// Relative to the zip's `data/` directory (or to the `.jsonl` file's directory).
    pub path: Option<String>,
}

/// A post's own fields; also a reply's (which has no replies of its own).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PostBody {
    pub user: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub post_type: Option<String>,
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<serde_json::Map<String, serde_json::Value>>,
    pub create_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flagged_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_pinned: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Vec<ReactionLine>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<AttachmentLine>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PostLine {
    pub team: Option<String>,
    pub channel: Option<String>,
    #[serde(flatten)]
    pub body: PostBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<PostBody>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DirectChannelLine {
    pub members: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favorited_by: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DirectPostLine {
    pub channel_members: Option<Vec<String>>,
    #[serde(flatten)]
    pub body: PostBody,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<PostBody>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct EmojiLine {
    pub name: Option<String>,
    /// The image, relative like an attachment.
    pub image: Option<String>,
}

/// A role: a built-in one's permissions changed, or a custom role.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RoleLine {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<String>>,
}

/// A bot account; `owner` is a username (or, when no user has it, a plugin's id).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct BotLine {
    pub username: Option<String>,
    pub owner: Option<String>,
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_at: Option<i64>,
}

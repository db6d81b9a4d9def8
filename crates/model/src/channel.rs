use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const CHANNEL_OPEN: &str = "O";
pub const CHANNEL_PRIVATE: &str = "P";
pub const CHANNEL_DIRECT: &str = "D";
pub const CHANNEL_GROUP: &str = "G";

/// Every team's first channel; it can be neither left, archived nor made private.
pub const DEFAULT_CHANNEL_NAME: &str = "town-square";
pub const DEFAULT_CHANNEL_DISPLAY_NAME: &str = "Town Square";
pub const OFF_TOPIC_CHANNEL_NAME: &str = "off-topic";
pub const OFF_TOPIC_CHANNEL_DISPLAY_NAME: &str = "Off-Topic";

pub const CHANNEL_NAME_MAX_LENGTH: usize = 64;
pub const CHANNEL_DISPLAY_NAME_MAX_RUNES: usize = 64;
pub const CHANNEL_HEADER_MAX_RUNES: usize = 1024;
pub const CHANNEL_PURPOSE_MAX_RUNES: usize = 250;
pub const GROUP_CHANNEL_MIN_USERS: usize = 3;
pub const GROUP_CHANNEL_MAX_USERS: usize = 8;

/// A channel of any type (`model/channel.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Channel {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub team_id: String,
    #[serde(rename = "type")]
    pub channel_type: String,
    pub display_name: String,
    pub name: String,
    pub header: String,
    pub purpose: String,
    pub last_post_at: i64,
    pub total_msg_count: i64,
    pub extra_update_at: i64,
    pub creator_id: String,
    pub scheme_id: Option<String>,
    /// Mattermost always sends the key, `null` when there are no props.
    pub props: Option<BTreeMap<String, serde_json::Value>>,
    pub group_constrained: Option<bool>,
    pub shared: Option<bool>,
    pub total_msg_count_root: i64,
    pub policy_id: Option<String>,
    pub last_root_post_at: i64,
}

impl Channel {
    pub fn is_group_or_direct(&self) -> bool {
        self.channel_type == CHANNEL_DIRECT || self.channel_type == CHANNEL_GROUP
    }

    pub fn is_open(&self) -> bool {
        self.channel_type == CHANNEL_OPEN
    }

    pub fn is_private(&self) -> bool {
        self.channel_type == CHANNEL_PRIVATE
    }

    pub fn is_deleted(&self) -> bool {
        self.delete_at != 0
    }

    pub fn is_group_constrained(&self) -> bool {
        self.group_constrained == Some(true)
    }

    /// Applies the fields a patch carries (`Channel.Patch`).
    pub fn apply(&mut self, patch: &ChannelPatch) {
        if let Some(v) = &patch.display_name {
            self.display_name.clone_from(v);
        }
        if let Some(v) = &patch.name {
            self.name.clone_from(v);
        }
        if let Some(v) = &patch.header {
            self.header.clone_from(v);
        }
        if let Some(v) = &patch.purpose {
            self.purpose.clone_from(v);
        }
        if patch.group_constrained.is_some() {
            self.group_constrained = patch.group_constrained;
        }
    }
}

/// The value a member's hidden timestamps carry once sanitised for another viewer.
const HIDDEN_TIMESTAMP: i64 = -1;

fn is_hidden(ts: &i64) -> bool {
    *ts == HIDDEN_TIMESTAMP
}

/// Channel membership and read state (`model/channel_member.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ChannelMember {
    pub channel_id: String,
    pub user_id: String,
    /// Effective roles: the explicit ones plus the scheme roles the flags stand for.
    pub roles: String,
    #[serde(skip_serializing_if = "is_hidden")]
    pub last_viewed_at: i64,
    pub msg_count: i64,
    pub mention_count: i64,
    pub mention_count_root: i64,
    pub urgent_mention_count: i64,
    pub msg_count_root: i64,
    pub notify_props: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "is_hidden")]
    pub last_update_at: i64,
    pub scheme_guest: bool,
    pub scheme_user: bool,
    pub scheme_admin: bool,
    pub explicit_roles: String,
}

impl ChannelMember {
    /// Mattermost's default channel notify props.
    pub fn default_notify_props() -> BTreeMap<String, String> {
        [
            ("desktop", "default"),
            ("push", "default"),
            ("email", "default"),
            ("mark_unread", "all"),
            ("ignore_channel_mentions", "default"),
            ("channel_auto_follow_threads", "off"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    /// Hides when someone else last read the channel (`SanitizeForCurrentUser`): the two
    /// timestamps are left out of the JSON for any viewer but the member.
    pub fn sanitize_for(&mut self, viewer_id: &str) {
        if self.user_id != viewer_id {
            self.last_viewed_at = HIDDEN_TIMESTAMP;
            self.last_update_at = HIDDEN_TIMESTAMP;
        }
    }
}

/// A membership with the names of its channel's team (`ChannelMemberWithTeamData`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ChannelMemberWithTeamData {
    #[serde(flatten)]
    pub member: ChannelMember,
    pub team_display_name: String,
    pub team_name: String,
    pub team_update_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ChannelPatch {
    pub display_name: Option<String>,
    pub name: Option<String>,
    pub header: Option<String>,
    pub purpose: Option<String>,
    pub group_constrained: Option<bool>,
}

impl ChannelPatch {
    pub fn is_empty(&self) -> bool {
        self.display_name.is_none()
            && self.name.is_none()
            && self.header.is_none()
            && self.purpose.is_none()
            && self.group_constrained.is_none()
    }
}

/// `GET /channels/{channel_id}/stats`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ChannelStats {
    pub channel_id: String,
    pub member_count: i64,
    pub guest_count: i64,
    pub pinnedpost_count: i64,
    pub files_count: i64,
}

/// The body of `POST /channels/members/{user_id}/view`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ChannelView {
    pub channel_id: String,
    pub prev_channel_id: String,
    pub collapsed_threads_supported: bool,
}

/// What viewing channels answers: the new `last_viewed_at` of each channel marked read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ChannelViewResponse {
    pub status: String,
    pub last_viewed_at_times: BTreeMap<String, i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_members_hide_read_times() {
        let mut m = ChannelMember {
            user_id: "a".into(),
            last_viewed_at: 5,
            last_update_at: 6,
            ..ChannelMember::default()
        };
        m.sanitize_for("a");
        let own = serde_json::to_value(&m).unwrap();
        assert_eq!(own["last_viewed_at"], 5);
        m.sanitize_for("b");
        let other = serde_json::to_value(&m).unwrap();
        assert!(other.get("last_viewed_at").is_none());
        assert!(other.get("last_update_at").is_none());
        assert_eq!(other["msg_count"], 0);
    }

    #[test]
    fn channels_always_carry_props() {
        let v = serde_json::to_value(Channel::default()).unwrap();
        assert!(v.get("props").is_some_and(serde_json::Value::is_null));
        assert_eq!(v["type"], "");
    }
}

/// A channel with the names of its team (`ChannelWithTeamData`), as the system-wide channel
/// search returns it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ChannelWithTeamData {
    #[serde(flatten)]
    pub channel: Channel,
    pub team_display_name: String,
    pub team_name: String,
    pub team_update_at: i64,
}

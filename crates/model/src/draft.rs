//! `model.Draft` (a message being written, kept per user, channel and thread) and
//! `model.ScheduledPost` (a draft with a time to be sent at).

use crate::post::{PostMetadata, PostPriority, PostProps};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `model.StringInterface`, as drafts carry their priority: `{"priority", "requested_ack",
/// "persistent_notifications"}`.
pub type DraftPriority = BTreeMap<String, serde_json::Value>;

/// A server-synced draft. Mattermost omits `file_ids`, `metadata` and `priority` when empty.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Draft {
    pub create_at: i64,
    pub update_at: i64,
    /// Deprecated in Mattermost: rows are deleted outright; always 0.
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub root_id: String,
    pub message: String,
    pub props: PostProps,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PostMetadata>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub priority: DraftPriority,
}

/// `ScheduledPost.error_code` values (`model/scheduled_post.go`): why the job did not send it.
pub mod scheduled_error {
    pub const UNKNOWN: &str = "unknown";
    pub const CHANNEL_ARCHIVED: &str = "channel_archived";
    pub const CHANNEL_NOT_FOUND: &str = "channel_not_found";
    pub const USER_MISSING: &str = "user_missing";
    pub const USER_DELETED: &str = "user_deleted";
    pub const NO_CHANNEL_PERMISSION: &str = "no_channel_permission";
    pub const THREAD_DELETED: &str = "thread_deleted";
    pub const UNABLE_TO_SEND: &str = "unable_to_send";
    pub const INVALID_POST: &str = "invalid_post";
}

/// A post to be sent at `scheduled_at` (ms). `processed_at` and `error_code` say when and why
/// the job could not send it; a sent one is deleted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ScheduledPost {
    #[serde(flatten)]
    pub draft: Draft,
    pub id: String,
    pub scheduled_at: i64,
    pub processed_at: i64,
    pub error_code: String,
}

impl ScheduledPost {
    /// `ScheduledPost.GetPriority`: the priority the client sent in `metadata`.
    pub fn metadata_priority(&self) -> Option<&PostPriority> {
        self.draft
            .metadata
            .as_ref()
            .and_then(|m| m.priority.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_optional_fields_are_left_out_as_mattermost_does() {
        let draft = Draft {
            channel_id: "c".into(),
            ..Draft::default()
        };
        let json = serde_json::to_value(&draft).unwrap_or_default();
        for absent in ["file_ids", "metadata", "priority"] {
            assert!(json.get(absent).is_none(), "{absent}");
        }
        assert_eq!(json["props"], serde_json::json!({}));
    }

    #[test]
    fn a_scheduled_post_is_a_draft_with_its_schedule_beside_it() {
        let scheduled: ScheduledPost = serde_json::from_value(serde_json::json!({
            "id": "i", "channel_id": "c", "message": "m", "scheduled_at": 5
        }))
        .unwrap_or_default();
        assert_eq!(scheduled.draft.channel_id, "c");
        assert_eq!(scheduled.draft.message, "m");
        assert_eq!(scheduled.scheduled_at, 5);
        let json = serde_json::to_value(&scheduled).unwrap_or_default();
        assert_eq!(json["id"], "i");
        assert_eq!(json["error_code"], "");
        assert_eq!(json["channel_id"], "c");
    }
}

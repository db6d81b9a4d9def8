//! Data retention policies (Mattermost's `model/data_retention_policy.go`) as the API shows
//! them. A custom policy keeps the posts of its teams and channels `post_duration` days
//! (less than 0: for ever); the global policy comes from `DataRetentionSettings`.

use serde::{Deserialize, Serialize};

/// `GlobalRetentionPolicy`: what the deletion job removes without a custom policy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct GlobalRetentionPolicy {
    pub message_deletion_enabled: bool,
    pub file_deletion_enabled: bool,
    /// Posts created before this time (ms) are deleted; 0 when message deletion is off.
    pub message_retention_cutoff: i64,
    pub file_retention_cutoff: i64,
    pub boards_deletion_enabled: bool,
    pub boards_retention_cutoff: i64,
}

/// One custom policy (`RetentionPolicy`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct RetentionPolicy {
    pub id: String,
    pub display_name: String,
    /// Days a post is kept; below 0, for ever.
    pub post_duration: i64,
}

/// A policy with how many teams and channels it covers
/// (`RetentionPolicyWithTeamAndChannelCounts`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct RetentionPolicyWithCounts {
    #[serde(flatten)]
    pub policy: RetentionPolicy,
    pub team_count: i64,
    pub channel_count: i64,
}

/// The body of a policy's creation or patch (`RetentionPolicyWithTeamAndChannelIDs`): a
/// field left out stays as it is; `team_ids` or `channel_ids`, when given, replace the set.
#[derive(Debug, Clone, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct RetentionPolicyPatch {
    pub display_name: Option<String>,
    pub post_duration: Option<i64>,
    pub team_ids: Option<Vec<String>>,
    pub channel_ids: Option<Vec<String>>,
}

/// `RetentionPolicyForTeam`: the policy over one of a user's teams.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PolicyForTeam {
    pub team_id: String,
    pub post_duration: i64,
}

/// `RetentionPolicyForChannel`: the policy over one of a user's channels.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PolicyForChannel {
    pub channel_id: String,
    pub post_duration: i64,
}

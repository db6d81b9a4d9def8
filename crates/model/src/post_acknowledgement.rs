//! `model.PostAcknowledgement`: a user's acknowledgement of a post that asked for one.

use serde::{Deserialize, Serialize};

/// How long an acknowledgement may be taken back, in milliseconds (Mattermost's five
/// minutes).
pub const ACKNOWLEDGEMENT_UNDO_WINDOW_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PostAcknowledgement {
    pub user_id: String,
    pub post_id: String,
    /// Milliseconds; 0 once taken back.
    pub acknowledged_at: i64,
}

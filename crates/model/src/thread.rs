//! Collapsed reply threads as one user sees them (`model/thread.go`).

use crate::post::Post;
use crate::user::User;
use serde::{Deserialize, Serialize};

/// `model.ThreadResponse`: a followed thread with the user's unread state in it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ThreadResponse {
    /// The root post's id.
    pub id: String,
    pub reply_count: i64,
    pub last_reply_at: i64,
    pub last_viewed_at: i64,
    /// Full (sanitised) profiles when extended, else users carrying only their id.
    pub participants: Vec<User>,
    pub post: Post,
    pub unread_replies: i64,
    pub unread_mentions: i64,
    pub is_urgent: bool,
    pub delete_at: i64,
}

/// `model.Threads`: one page of a user's threads and the totals over all of them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Threads {
    pub total: i64,
    pub total_unread_threads: i64,
    pub total_unread_mentions: i64,
    pub total_unread_urgent_mentions: i64,
    pub threads: Vec<ThreadResponse>,
}

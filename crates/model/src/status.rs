use serde::{Deserialize, Serialize};

pub const ONLINE: &str = "online";
pub const AWAY: &str = "away";
pub const DND: &str = "dnd";
pub const OFFLINE: &str = "offline";
pub const OUT_OF_OFFICE: &str = "ooo";

/// A user's presence (`model/status.go`). `dnd_end_time` is Unix seconds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Status {
    pub user_id: String,
    pub status: String,
    pub manual: bool,
    pub last_activity_at: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub active_channel: String,
    pub dnd_end_time: i64,
    #[serde(skip)]
    pub prev_status: String,
}

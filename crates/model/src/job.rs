//! Background jobs (`model.Job`), as `/api/v4/jobs` shows them.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const TYPE_DATA_RETENTION: &str = "data_retention";
pub const TYPE_MESSAGE_EXPORT: &str = "message_export";
pub const TYPE_ELASTICSEARCH_POST_INDEXING: &str = "elasticsearch_post_indexing";
pub const TYPE_ELASTICSEARCH_POST_AGGREGATION: &str = "elasticsearch_post_aggregation";
pub const TYPE_BLEVE_POST_INDEXING: &str = "bleve_post_indexing";
pub const TYPE_LDAP_SYNC: &str = "ldap_sync";

/// Mattermost's `AllJobTypes`: what `GET /jobs` lists and `job_type` may name.
pub const ALL_TYPES: [&str; 20] = [
    TYPE_DATA_RETENTION,
    TYPE_MESSAGE_EXPORT,
    TYPE_ELASTICSEARCH_POST_INDEXING,
    TYPE_ELASTICSEARCH_POST_AGGREGATION,
    TYPE_BLEVE_POST_INDEXING,
    TYPE_LDAP_SYNC,
    "migrations",
    "plugins",
    "expiry_notify",
    "product_notices",
    "active_users",
    "import_process",
    "import_delete",
    "export_process",
    "export_delete",
    "cloud",
    "extract_content",
    "last_accessible_post",
    "last_accessible_file",
    "cleanup_desktop_tokens",
];

pub const STATUS_PENDING: &str = "pending";
pub const STATUS_IN_PROGRESS: &str = "in_progress";
pub const STATUS_SUCCESS: &str = "success";
pub const STATUS_ERROR: &str = "error";
pub const STATUS_CANCEL_REQUESTED: &str = "cancel_requested";
pub const STATUS_CANCELED: &str = "canceled";
pub const STATUS_WARNING: &str = "warning";

pub const ALL_STATUSES: [&str; 7] = [
    STATUS_PENDING,
    STATUS_IN_PROGRESS,
    STATUS_SUCCESS,
    STATUS_ERROR,
    STATUS_CANCEL_REQUESTED,
    STATUS_CANCELED,
    STATUS_WARNING,
];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Job {
    pub id: String,
    #[serde(rename = "type")]
    pub job_type: String,
    pub priority: i64,
    pub create_at: i64,
    pub start_at: i64,
    pub last_activity_at: i64,
    pub status: String,
    /// Percent done; -1 after an error.
    pub progress: i64,
    pub data: BTreeMap<String, String>,
}

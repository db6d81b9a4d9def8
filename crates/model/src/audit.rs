//! One row of Mattermost's legacy audit table (`model/audit.go` `Audit`), as `/audits` and
//! `/users/{user_id}/audits` answer it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Audit {
    pub id: String,
    pub create_at: i64,
    pub user_id: String,
    pub action: String,
    pub extra_info: String,
    pub ip_address: String,
    pub session_id: String,
}

use serde::{Deserialize, Serialize};

/// A personal access token (`model/user_access_token.go`). `token` is only ever sent once,
/// in the answer to its creation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct UserAccessToken {
    pub id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub token: String,
    pub user_id: String,
    pub description: String,
    pub is_active: bool,
}

/// Session props that mark a personal-access-token session (`SessionPropType` and friends).
pub const SESSION_PROP_TYPE: &str = "type";
pub const SESSION_TYPE_USER_ACCESS_TOKEN: &str = "UserAccessToken";
pub const SESSION_PROP_USER_ACCESS_TOKEN_ID: &str = "user_access_token_id";

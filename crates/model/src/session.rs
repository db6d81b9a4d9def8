use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A login session, personal-access-token session or OAuth session (`model/session.go`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Session {
    pub id: String,
    /// Blanked before a session is sent to a client.
    pub token: String,
    pub create_at: i64,
    pub expires_at: i64,
    pub last_activity_at: i64,
    pub user_id: String,
    pub device_id: String,
    pub roles: String,
    pub is_oauth: bool,
    pub expired_notify: bool,
    pub props: BTreeMap<String, String>,
    #[serde(default)]
    pub team_members: Vec<serde_json::Value>,
    #[serde(default)]
    pub local: bool,
}

impl Session {
    pub fn csrf_token(&self) -> &str {
        self.props.get("csrf").map(String::as_str).unwrap_or("")
    }

    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at > 0 && self.expires_at <= now
    }

    pub fn is_user_access_token(&self) -> bool {
        self.props
            .get(crate::access_token::SESSION_PROP_TYPE)
            .map(String::as_str)
            == Some(crate::access_token::SESSION_TYPE_USER_ACCESS_TOKEN)
    }

    /// The session as clients may see it: without the token.
    pub fn sanitized(mut self) -> Self {
        self.token = String::new();
        self
    }
}

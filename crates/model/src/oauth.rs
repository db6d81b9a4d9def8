//! The OAuth 2.0 provider's wire types (`model/oauth.go`, `model/access.go`).

use serde::{Deserialize, Serialize};

/// The preference category that records which apps a user authorised (name: the app id,
/// value: the scope), as Mattermost's `PreferenceCategoryAuthorizedOAuthApp`.
pub const CATEGORY_AUTHORIZED_OAUTH_APP: &str = "oauth_app";

/// An app registered with the provider (`model.OAuthApp`). `client_secret` is only ever
/// filled in the answer of a registration or a regeneration: Utmost stores it hashed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct OAuthApp {
    pub id: String,
    pub creator_id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub client_secret: String,
    pub name: String,
    pub description: String,
    pub icon_url: String,
    pub callback_urls: Vec<String>,
    pub homepage: String,
    pub is_trusted: bool,
    pub mattermost_app_id: String,
}

/// The token endpoint's answer (`model.AccessResponse`, RFC 6749 section 5.1).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AccessResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub scope: String,
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub refresh_token: String,
}

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub type StringMap = BTreeMap<String, String>;

/// A user account as Mattermost serialises it (`model/user.go`).
/// Secret fields never leave the server: `password` and `mfa_secret` are skipped on output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct User {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub username: String,
    #[serde(skip_serializing)]
    pub password: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub auth_data: String,
    pub auth_service: String,
    pub email: String,
    pub email_verified: bool,
    pub nickname: String,
    pub first_name: String,
    pub last_name: String,
    pub position: String,
    pub roles: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_marketing: bool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub props: StringMap,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub notify_props: StringMap,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_password_update: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_picture_update: i64,
    #[serde(skip_serializing_if = "is_zero")]
    pub failed_attempts: i64,
    pub locale: String,
    pub timezone: StringMap,
    pub mfa_active: bool,
    #[serde(skip_serializing)]
    pub mfa_secret: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote_id: Option<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_activity_at: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub is_bot: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub bot_description: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub bot_last_icon_update: i64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub terms_of_service_id: String,
    #[serde(skip_serializing_if = "is_zero")]
    pub terms_of_service_create_at: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable_welcome_email: bool,
    #[serde(skip_serializing_if = "is_zero")]
    pub last_login: i64,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

impl User {
    pub fn is_system_admin(&self) -> bool {
        has_role(&self.roles, crate::roles::SYSTEM_ADMIN)
    }

    pub fn is_guest(&self) -> bool {
        has_role(&self.roles, crate::roles::SYSTEM_GUEST)
    }

    pub fn is_active(&self) -> bool {
        self.delete_at == 0
    }

    /// Mattermost's default user notify props (`SetDefaultNotifications`).
    pub fn default_notify_props(first_name: &str) -> StringMap {
        let mut m = StringMap::new();
        for (k, v) in [
            ("email", "true"),
            ("push", "mention"),
            ("desktop", "mention"),
            ("desktop_sound", "true"),
            ("mention_keys", ""),
            ("channel", "true"),
            ("push_status", "online"),
            ("comments", "never"),
            ("first_name", "false"),
            ("desktop_threads", "all"),
            ("email_threads", "all"),
            ("push_threads", "all"),
        ] {
            m.insert(k.into(), v.into());
        }
        if !first_name.is_empty() {
            m.insert("first_name".into(), "false".into());
        }
        m
    }

    pub fn default_timezone() -> StringMap {
        let mut m = StringMap::new();
        m.insert("useAutomaticTimezone".into(), "true".into());
        m.insert("automaticTimezone".into(), String::new());
        m.insert("manualTimezone".into(), String::new());
        m
    }

    /// Mattermost's `User.Etag`: changes whenever the profile or what the viewer may see of it does.
    pub fn etag(&self, show_full_name: bool, show_email: bool) -> String {
        format!(
            "{}.{}.{}.{}.{}.{}.{}.{}",
            crate::MATTERMOST_VERSION,
            self.id,
            self.update_at,
            self.terms_of_service_id,
            self.terms_of_service_create_at,
            show_full_name,
            show_email,
            self.bot_last_icon_update
        )
    }

    /// Full name as Mattermost's `GetFullName`.
    pub fn full_name(&self) -> String {
        match (self.first_name.is_empty(), self.last_name.is_empty()) {
            (false, false) => format!("{} {}", self.first_name, self.last_name),
            (false, true) => self.first_name.clone(),
            (true, false) => self.last_name.clone(),
            (true, true) => String::new(),
        }
    }
}

/// True when the space-separated `roles` contains `role`.
pub fn has_role(roles: &str, role: &str) -> bool {
    roles.split_whitespace().any(|r| r == role)
}

/// `PUT /users/{id}/patch` body: every field optional.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct UserPatch {
    pub username: Option<String>,
    pub password: Option<String>,
    pub nickname: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
    pub props: Option<StringMap>,
    pub notify_props: Option<StringMap>,
    pub locale: Option<String>,
    pub timezone: Option<StringMap>,
    pub remote_id: Option<String>,
}

/// `POST /users/search` body (`model.UserSearch`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct UserSearch {
    pub term: String,
    pub team_id: String,
    pub not_in_team_id: String,
    pub in_channel_id: String,
    pub not_in_channel_id: String,
    pub allow_inactive: bool,
    pub without_team: bool,
    pub limit: i64,
    pub role: String,
}

/// Default and maximum result counts of user search and autocomplete.
pub const USER_SEARCH_DEFAULT_LIMIT: i64 = 100;
pub const USER_SEARCH_MAX_LIMIT: i64 = 1000;

/// `GET /users/autocomplete` answer (`model.UserAutocomplete`).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct UserAutocomplete {
    pub users: Vec<User>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub out_of_channel: Vec<User>,
}

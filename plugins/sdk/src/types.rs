//! The JSON shapes of hooks and API calls: Mattermost's field names. Fields a plugin does
//! not name are kept in `rest`, so a post read, changed and written back loses nothing.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Post {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub channel_id: String,
    #[serde(default)]
    pub root_id: String,
    #[serde(default)]
    pub message: String,
    #[serde(default, rename = "type")]
    pub post_type: String,
    #[serde(default)]
    pub props: Map<String, Value>,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    #[serde(default)]
    pub roles: String,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Channel {
    pub id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default, rename = "type")]
    pub channel_type: String,
}

/// `message_will_be_posted`'s input and `message_has_been_posted`'s.
#[derive(Clone, Debug, Deserialize)]
pub struct PostEvent {
    pub post: Post,
}

/// What `message_will_be_posted` decides: keep the post, post another in its place, or
/// refuse it (the poster reads `rejection`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct PostDecision {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<Post>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection: Option<String>,
}

impl PostDecision {
    pub fn keep() -> Self {
        Self::default()
    }
    pub fn replace(post: Post) -> Self {
        Self {
            post: Some(post),
            rejection: None,
        }
    }
    pub fn reject(reason: impl Into<String>) -> Self {
        Self {
            post: None,
            rejection: Some(reason.into()),
        }
    }
}

/// `user_has_joined_channel`'s input.
#[derive(Clone, Debug, Deserialize)]
pub struct ChannelJoin {
    pub channel_id: String,
    pub user_id: String,
}

/// A slash command the plugin answers (`api::register_command`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Command {
    pub trigger: String,
    #[serde(default)]
    pub auto_complete: bool,
    #[serde(default)]
    pub auto_complete_desc: String,
    #[serde(default)]
    pub auto_complete_hint: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
}

/// `execute_command`'s input (Mattermost's `CommandArgs`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CommandArgs {
    pub user_id: String,
    pub channel_id: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub root_id: String,
    /// The whole line typed, from the slash.
    pub command: String,
    #[serde(default)]
    pub trigger_id: String,
}

/// `execute_command`'s answer (Mattermost's `CommandResponse`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct CommandResponse {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub response_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub goto_location: String,
}

impl CommandResponse {
    /// Text only the one who ran the command sees.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        Self {
            response_type: "ephemeral".into(),
            text: text.into(),
            ..Self::default()
        }
    }
}

/// A request to `/plugins/{id}/…` (`serve_http`'s input); `path` is below the plugin's
/// prefix, `user_id` is the signed-in user or empty.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub headers: Map<String, Value>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub user_id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Map<String, Value>,
    pub body: String,
}

impl HttpResponse {
    pub fn json(status: u16, body: &impl Serialize) -> Self {
        let mut headers = Map::new();
        headers.insert("Content-Type".into(), "application/json".into());
        Self {
            status,
            headers,
            body: serde_json::to_string(body).unwrap_or_default(),
        }
    }
}

/// An API call's refusal, in Mattermost's error shape.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ApiError {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub status_code: u16,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.id)
    }
}

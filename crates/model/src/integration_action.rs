//! Interactive messages and dialogs on the wire (`model/integration_action.go`): the buttons
//! and menus of a post's message attachments, what the server sends an integration when one
//! is used, and the dialogs an integration opens.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const POST_ACTION_TYPE_BUTTON: &str = "button";
pub const POST_ACTION_TYPE_SELECT: &str = "select";
/// `PostActionRetainPropKeys`: an integration's update keeps these props of the post as they
/// were (present or absent).
pub const POST_ACTION_RETAIN_PROP_KEYS: [&str; 3] =
    ["from_webhook", "override_username", "override_icon_url"];

/// The body of `POST /posts/{post_id}/actions/{action_id}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DoPostActionRequest {
    pub selected_option: String,
    pub cookie: String,
}

/// Where a button or menu calls, and the context the integration gave it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PostActionIntegration {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Map<String, Value>>,
}

/// One button or menu of an attachment (only the fields the server reads).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PostAction {
    pub id: String,
    #[serde(rename = "type")]
    pub action_type: String,
    pub data_source: String,
    pub integration: Option<PostActionIntegration>,
}

/// `PostActionCookie`: what an ephemeral post's action carries, sealed, since the post is
/// not stored for the server to find the action in.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PostActionCookie {
    #[serde(rename = "type", skip_serializing_if = "String::is_empty")]
    pub action_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub post_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub root_post_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub channel_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration: Option<PostActionIntegration>,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub retain_props: Map<String, Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub remove_props: Vec<String>,
}

/// What the server POSTs to an action's URL.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PostActionIntegrationRequest {
    pub user_id: String,
    pub user_name: String,
    pub channel_id: String,
    pub channel_name: String,
    pub team_id: String,
    pub team_domain: String,
    pub post_id: String,
    pub trigger_id: String,
    #[serde(rename = "type")]
    pub action_type: String,
    pub data_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<Map<String, Value>>,
}

/// The integration's answer to an action.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PostActionIntegrationResponse {
    pub update: Option<crate::post::Post>,
    pub ephemeral_text: String,
    pub skip_slack_parsing: bool,
    pub goto_location: String,
}

/// `PostActionAPIResponse`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PostActionApiResponse {
    pub status: &'static str,
    pub trigger_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub goto_location: String,
}

/// `PostActionOptions`: one entry of a static menu.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PostActionOption {
    pub text: String,
    pub value: String,
}

/// `Dialog`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Dialog {
    pub callback_id: String,
    pub title: String,
    pub introduction_text: String,
    pub icon_url: String,
    pub elements: Option<Vec<DialogElement>>,
    pub submit_label: String,
    pub notify_on_cancel: bool,
    pub state: String,
}

/// `DialogElement`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct DialogElement {
    pub display_name: String,
    pub name: String,
    #[serde(rename = "type")]
    pub element_type: String,
    pub subtype: String,
    pub default: String,
    pub placeholder: String,
    pub help_text: String,
    pub optional: bool,
    pub min_length: i64,
    pub max_length: i64,
    pub data_source: String,
    pub options: Option<Vec<PostActionOption>>,
}

/// The body of `POST /actions/dialogs/open`, and (with the client's trigger id) the
/// `open_dialog` event's `dialog`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OpenDialogRequest {
    pub trigger_id: String,
    pub url: String,
    pub dialog: Dialog,
}

/// The body of `POST /actions/dialogs/submit`, and what the integration receives.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitDialogRequest {
    #[serde(rename = "type")]
    pub request_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
    pub callback_id: String,
    pub state: String,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub submission: Map<String, Value>,
    pub cancelled: bool,
}

/// The integration's answer to a submission: a general error, or one per field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SubmitDialogResponse {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub error: String,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub errors: Map<String, Value>,
}

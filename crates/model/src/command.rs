//! Slash commands (`model/command.go`, `command_args.go`, `command_response.go`,
//! `command_autocomplete.go`). The autocomplete types keep Go's field names on the wire
//! (`Trigger`, `HelpText`, …): Mattermost gives them no JSON tags.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::webhook::SlackAttachment;

/// `CommandMethodPost` and `CommandMethodGet`.
pub const METHOD_POST: &str = "P";
pub const METHOD_GET: &str = "G";
/// `CommandResponseTypeInChannel` and `CommandResponseTypeEphemeral`.
pub const RESPONSE_IN_CHANNEL: &str = "in_channel";
pub const RESPONSE_EPHEMERAL: &str = "ephemeral";
/// `CommandWebhookLifetime`: how long a response URL takes delayed responses.
pub const COMMAND_WEBHOOK_LIFETIME_MILLIS: i64 = 30 * 60 * 1000;
/// How many delayed responses one response URL takes.
pub const COMMAND_WEBHOOK_MAX_USES: i64 = 5;

/// The autocomplete argument types.
pub const ARG_TEXT: &str = "TextInput";
pub const ARG_STATIC_LIST: &str = "StaticList";
pub const ARG_DYNAMIC_LIST: &str = "DynamicList";

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A custom slash command (or one a provider offers, without a row).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct Command {
    pub id: String,
    pub token: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub creator_id: String,
    pub team_id: String,
    pub trigger: String,
    pub method: String,
    pub username: String,
    pub icon_url: String,
    pub auto_complete: bool,
    pub auto_complete_desc: String,
    pub auto_complete_hint: String,
    pub display_name: String,
    pub description: String,
    pub url: String,
    pub plugin_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autocomplete_data: Option<AutocompleteData>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub autocomplete_icon_data: String,
}

impl Command {
    /// `Sanitize`: what anyone who may list the team's commands may see.
    pub fn sanitize(&mut self) {
        self.token.clear();
        self.creator_id.clear();
        self.method.clear();
        self.url.clear();
        self.username.clear();
        self.icon_url.clear();
    }
}

/// `POST /commands/execute`'s body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct CommandArgs {
    #[serde(deserialize_with = "null_as_empty")]
    pub channel_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub team_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub root_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub parent_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub command: String,
}

/// What a command answers (`CommandResponse`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct CommandResponse {
    #[serde(deserialize_with = "null_as_empty")]
    pub response_type: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub text: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub username: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub channel_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub icon_url: String,
    #[serde(rename = "type", deserialize_with = "null_as_empty")]
    pub post_type: String,
    pub props: Option<Map<String, Value>>,
    #[serde(deserialize_with = "null_as_empty")]
    pub goto_location: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub trigger_id: String,
    pub skip_slack_parsing: bool,
    pub attachments: Option<Vec<Option<SlackAttachment>>>,
    pub extra_responses: Option<Vec<CommandResponse>>,
}

impl CommandResponse {
    /// An ephemeral answer with `text`.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        CommandResponse {
            response_type: RESPONSE_EPHEMERAL.into(),
            text: text.into(),
            ..CommandResponse::default()
        }
    }

    /// A post in the channel with `text`.
    pub fn in_channel(text: impl Into<String>) -> Self {
        CommandResponse {
            response_type: RESPONSE_IN_CHANNEL.into(),
            text: text.into(),
            ..CommandResponse::default()
        }
    }

    /// An answer that only moves the client to `location`.
    pub fn goto(location: impl Into<String>) -> Self {
        CommandResponse {
            goto_location: location.into(),
            ..CommandResponse::default()
        }
    }

    /// `CommandResponseFromHTTPBody`: JSON when the media type says so, else the body is the
    /// text. `None` when JSON does not decode.
    pub fn from_http_body(content_type: &str, body: &[u8]) -> Option<CommandResponse> {
        let media = content_type.split(';').next().unwrap_or("").trim();
        if media.eq_ignore_ascii_case("application/json") {
            serde_json::from_slice(body).ok()
        } else {
            Some(CommandResponse {
                text: String::from_utf8_lossy(body).into_owned(),
                ..CommandResponse::default()
            })
        }
    }
}

/// A command's autocomplete description: its arguments or its subcommands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct AutocompleteData {
    pub trigger: String,
    pub hint: String,
    pub help_text: String,
    /// "system_user", "system_admin" or "" (everyone).
    #[serde(rename = "RoleID")]
    pub role_id: String,
    pub arguments: Vec<AutocompleteArg>,
    pub sub_commands: Vec<AutocompleteData>,
}

impl AutocompleteData {
    /// `NewAutocompleteData`: for everyone, no arguments yet.
    pub fn new(trigger: &str, hint: &str, help_text: &str) -> Self {
        AutocompleteData {
            trigger: trigger.into(),
            hint: hint.into(),
            help_text: help_text.into(),
            role_id: crate::roles::SYSTEM_USER.into(),
            ..AutocompleteData::default()
        }
    }
}

/// One argument; `data` is `{Hint, Pattern}` for text, `{PossibleArguments}` for a static
/// list, `{FetchURL}` for a dynamic one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct AutocompleteArg {
    /// Empty for a positional argument; else it is typed `--name value`.
    pub name: String,
    pub help_text: String,
    #[serde(rename = "Type")]
    pub arg_type: String,
    pub required: bool,
    pub data: Value,
}

impl AutocompleteArg {
    /// A text argument's hint.
    pub fn hint(&self) -> &str {
        self.data["Hint"].as_str().unwrap_or("")
    }

    /// A static list's items.
    pub fn possible_arguments(&self) -> Vec<AutocompleteListItem> {
        serde_json::from_value(self.data["PossibleArguments"].clone()).unwrap_or_default()
    }

    /// A dynamic list's URL.
    pub fn fetch_url(&self) -> &str {
        self.data["FetchURL"].as_str().unwrap_or("")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct AutocompleteListItem {
    pub item: String,
    pub hint: String,
    pub help_text: String,
}

/// One suggestion for what the user typed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, rename_all = "PascalCase")]
pub struct AutocompleteSuggestion {
    pub complete: String,
    pub suggestion: String,
    pub hint: String,
    pub description: String,
    pub icon_data: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_text_body_is_an_ephemeral_text_and_json_is_read_by_its_type() {
        let text = CommandResponse::from_http_body("text/plain", b"hello").unwrap();
        assert_eq!(text.text, "hello");
        let json = CommandResponse::from_http_body(
            "application/json; charset=utf-8",
            br#"{"response_type":"in_channel","text":null,"extra_responses":[{"text":"b"}]}"#,
        )
        .unwrap();
        assert_eq!(json.response_type, RESPONSE_IN_CHANNEL);
        assert_eq!(json.extra_responses.unwrap()[0].text, "b");
        assert!(CommandResponse::from_http_body("application/json", b"{").is_none());
    }

    #[test]
    fn autocomplete_data_keeps_gos_field_names() {
        let data = AutocompleteData::new("jira", "[action]", "Jira");
        let json = serde_json::to_value(&data).unwrap();
        assert_eq!(json["Trigger"], "jira");
        assert_eq!(json["RoleID"], "system_user");
        assert!(json["SubCommands"].is_array());
    }
}

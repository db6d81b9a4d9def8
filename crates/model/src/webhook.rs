//! Incoming and outgoing webhooks (`model/incoming_webhook.go`, `model/outgoing_webhook.go`)
//! and the Slack message attachments both carry (`model/slack_attachment.go`).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `DefaultWebhookUsername`: the name a webhook post shows when overrides are allowed and
/// neither the hook nor the request names one.
pub const DEFAULT_WEBHOOK_USERNAME: &str = "webhook";

/// `OutgoingHookResponseTypeComment`: the response is a reply to the triggering post.
pub const RESPONSE_TYPE_COMMENT: &str = "comment";

/// `TriggerwordsExactMatch` and `TriggerwordsStartsWith`.
pub const TRIGGER_WHEN_EXACT: i64 = 0;
pub const TRIGGER_WHEN_STARTS_WITH: i64 = 1;

pub const CONTENT_TYPE_JSON: &str = "application/json";
pub const CONTENT_TYPE_FORM: &str = "application/x-www-form-urlencoded";

/// `PostTypeSlackAttachment`.
pub const POST_TYPE_SLACK_ATTACHMENT: &str = "slack_attachment";

/// An incoming webhook; its id is the secret in `/hooks/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct IncomingWebhook {
    pub id: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub user_id: String,
    pub channel_id: String,
    pub team_id: String,
    pub display_name: String,
    pub description: String,
    pub username: String,
    pub icon_url: String,
    pub channel_locked: bool,
}

/// An outgoing webhook.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct OutgoingWebhook {
    pub id: String,
    pub token: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub creator_id: String,
    pub channel_id: String,
    pub team_id: String,
    #[serde(deserialize_with = "null_as_empty_list")]
    pub trigger_words: Vec<String>,
    pub trigger_when: i64,
    #[serde(deserialize_with = "null_as_empty_list")]
    pub callback_urls: Vec<String>,
    pub display_name: String,
    pub description: String,
    pub content_type: String,
    pub username: String,
    pub icon_url: String,
}

fn null_as_empty_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<String>>::deserialize(d)?.unwrap_or_default())
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

impl OutgoingWebhook {
    /// The trigger word the first word of a message matches under `trigger_when`, if any
    /// (`TriggerWordExactMatch`/`TriggerWordStartsWith` and `GetTriggerWord`).
    pub fn matched_trigger(&self, first_word: &str) -> Option<&str> {
        if first_word.is_empty() {
            return None;
        }
        self.trigger_words
            .iter()
            .find(|t| match self.trigger_when {
                TRIGGER_WHEN_STARTS_WITH => first_word.starts_with(t.as_str()),
                _ => first_word == t.as_str(),
            })
            .map(String::as_str)
    }

    /// Whether the callbacks get JSON (anything else is a form).
    pub fn sends_json(&self) -> bool {
        self.content_type == CONTENT_TYPE_JSON
    }
}

/// What `POST /hooks/{id}` takes (`IncomingWebhookRequest`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct IncomingWebhookRequest {
    #[serde(deserialize_with = "null_as_empty")]
    pub text: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub username: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub icon_url: String,
    #[serde(rename = "channel", deserialize_with = "null_as_empty")]
    pub channel_name: String,
    pub props: Option<serde_json::Map<String, Value>>,
    pub attachments: Option<Vec<Option<SlackAttachment>>>,
    #[serde(rename = "type", deserialize_with = "null_as_empty")]
    pub post_type: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub icon_emoji: String,
    pub priority: Option<crate::post::PostPriority>,
}

/// What a callback gets (`OutgoingWebhookPayload`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct OutgoingWebhookPayload {
    pub token: String,
    pub team_id: String,
    pub team_domain: String,
    pub channel_id: String,
    pub channel_name: String,
    /// Milliseconds in JSON; the form sends seconds (`ToFormValues`).
    pub timestamp: i64,
    pub user_id: String,
    pub user_name: String,
    pub post_id: String,
    pub text: String,
    pub trigger_word: String,
    /// The post's file ids joined by commas.
    pub file_ids: String,
}

impl OutgoingWebhookPayload {
    /// The form fields, in Mattermost's names, with the time in seconds.
    pub fn form_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("token", self.token.clone()),
            ("team_id", self.team_id.clone()),
            ("team_domain", self.team_domain.clone()),
            ("channel_id", self.channel_id.clone()),
            ("channel_name", self.channel_name.clone()),
            ("timestamp", (self.timestamp / 1000).to_string()),
            ("user_id", self.user_id.clone()),
            ("user_name", self.user_name.clone()),
            ("post_id", self.post_id.clone()),
            ("text", self.text.clone()),
            ("trigger_word", self.trigger_word.clone()),
            ("file_ids", self.file_ids.clone()),
        ]
    }
}

/// What a callback may answer (`OutgoingWebhookResponse`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct OutgoingWebhookResponse {
    pub text: Option<String>,
    #[serde(deserialize_with = "null_as_empty")]
    pub username: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub icon_url: String,
    pub props: Option<serde_json::Map<String, Value>>,
    pub attachments: Option<Vec<Option<SlackAttachment>>>,
    #[serde(rename = "type", deserialize_with = "null_as_empty")]
    pub post_type: String,
    #[serde(deserialize_with = "null_as_empty")]
    pub response_type: String,
    pub priority: Option<crate::post::PostPriority>,
}

/// A Slack message attachment, stored in a post's `attachments` prop with every field, as
/// Mattermost stores its struct.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct SlackAttachment {
    pub id: Value,
    pub fallback: String,
    pub color: String,
    pub pretext: String,
    pub author_name: String,
    pub author_link: String,
    pub author_icon: String,
    pub title: String,
    pub title_link: String,
    pub text: String,
    #[serde(deserialize_with = "fields")]
    pub fields: Option<Vec<SlackAttachmentField>>,
    pub image_url: String,
    pub thumb_url: String,
    pub footer: String,
    pub footer_icon: String,
    /// A string or a number, as Slack sends it.
    pub ts: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<Value>>,
}

/// `StringifySlackFieldValue`: null fields dropped.
fn fields<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<SlackAttachmentField>>, D::Error> {
    let fields = Option::<Vec<Option<SlackAttachmentField>>>::deserialize(d)?;
    Ok(fields.map(|f| f.into_iter().flatten().collect()))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct SlackAttachmentField {
    pub title: String,
    /// Any JSON value in; a string (or null) once stored (`StringifySlackFieldValue`).
    pub value: Value,
    /// Slack sends a boolean or a string ("true").
    #[serde(deserialize_with = "slack_bool")]
    pub short: bool,
}

/// `SlackCompatibleBool`: true, "true" (any case) or "1"... as Mattermost reads it.
fn slack_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => b,
        Value::String(s) => matches!(s.as_str(), "true" | "True" | "TRUE" | "1" | "t" | "T"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigger_words_match_the_first_word_exactly_or_as_its_start() {
        let mut hook = OutgoingWebhook {
            trigger_words: vec!["build".into(), "deploy".into()],
            ..OutgoingWebhook::default()
        };
        assert_eq!(hook.matched_trigger("build"), Some("build"));
        assert_eq!(hook.matched_trigger("builds"), None);
        assert_eq!(hook.matched_trigger(""), None);
        hook.trigger_when = TRIGGER_WHEN_STARTS_WITH;
        assert_eq!(hook.matched_trigger("deployment"), Some("deploy"));
        assert_eq!(hook.matched_trigger("xdeploy"), None);
    }

    #[test]
    fn the_form_sends_seconds() {
        let payload = OutgoingWebhookPayload {
            timestamp: 1_700_000_123_456,
            ..OutgoingWebhookPayload::default()
        };
        let fields = payload.form_fields();
        assert!(fields.contains(&("timestamp", "1700000123".to_string())));
    }

    #[test]
    fn a_slack_field_takes_a_string_short_and_null_entries_are_dropped() {
        let a: SlackAttachment = serde_json::from_str(
            r#"{"fields":[null,{"title":"T","value":3,"short":"true"}],"ts":123}"#,
        )
        .unwrap();
        let fields = a.fields.unwrap();
        assert_eq!(fields.len(), 1);
        assert!(fields[0].short);
        assert_eq!(a.ts, serde_json::json!(123));
    }
}

//! Slack's markup in webhook posts, as Mattermost converts it (`ProcessSlackText`,
//! `ProcessSlackAttachments`, `ParseSlackAttachment`, and `CreateWebhookPost`'s links).

use crate::{App, AppResult};
use serde_json::Value;
use utmost_model::webhook::SlackAttachment;

/// `expandAnnouncement` then `replaceUserIds`: `<!channel>`, `<!here>`, `<!all>` become
/// `@channel`, `@here`, `@all`; `<@userid>` becomes `@username` for the users that exist.
pub async fn process_text(app: &App, text: &str) -> AppResult<String> {
    let mut text = text
        .replace("<!channel>", "@channel")
        .replace("<!here>", "@here")
        .replace("<!all>", "@all");
    for id in user_id_mentions(&text) {
        if let Some(user) = crate::caches::users::get(app, &id).await? {
            text = text.replace(&format!("<@{id}>"), &format!("@{}", user.username));
        }
    }
    Ok(text)
}

/// The ids of `<@id>` mentions (ASCII letters and digits), each once; at most 100, so one
/// message costs a bounded number of lookups.
fn user_id_mentions(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<@") {
        rest = &rest[at + 2..];
        let id: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if !id.is_empty() && rest[id.len()..].starts_with('>') && !ids.contains(&id) {
            ids.push(id);
            if ids.len() == 100 {
                break;
            }
        }
    }
    ids.retain(|id| utmost_model::is_valid_id(id));
    ids
}

/// `ProcessSlackAttachments`: null attachments and fields dropped, field values made
/// strings, and `process_text` over each pretext, text, title and field value.
pub async fn process_attachments(
    app: &App,
    attachments: Option<Vec<Option<SlackAttachment>>>,
) -> AppResult<Vec<SlackAttachment>> {
    let mut kept = Vec::new();
    for mut a in attachments.unwrap_or_default().into_iter().flatten() {
        a.pretext = process_text(app, &a.pretext).await?;
        a.text = process_text(app, &a.text).await?;
        a.title = process_text(app, &a.title).await?;
        for field in a.fields.iter_mut().flatten() {
            if let Some(value) = stringified(&field.value) {
                field.value = Value::String(process_text(app, &value).await?);
            }
        }
        kept.push(a);
    }
    Ok(kept)
}

/// Go's `fmt.Sprintf("%v", value)` of a JSON value; `None` for null.
fn stringified(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// `ParseSlackAttachment`'s link conversion over text, pretext and field values.
pub fn links_in_attachments(attachments: &mut [SlackAttachment]) {
    for a in attachments {
        a.text = attachment_links(&a.text);
        a.pretext = attachment_links(&a.pretext);
        for field in a.fields.iter_mut().flatten() {
            if let Value::String(s) = &field.value {
                field.value = Value::String(attachment_links(s));
            }
        }
    }
}

/// A post's text: `<url|text>` becomes `[text](url)` (neither part across a line, the
/// link without `<`, `|` or `>`, the text without `|` or `>`).
pub fn text_links(text: &str) -> String {
    replace_links(text, &['\n', '<', '|', '>'], &['|', '\n', '>'])
}

/// An attachment's text: the same, the link without `<` or `|`, the text without `>`.
pub fn attachment_links(text: &str) -> String {
    replace_links(text, &['<', '|'], &['>'])
}

/// Replaces each `<link|label>` by `[label](link)`, scanning left to right: `link` is one
/// or more characters outside `link_stop`, `label` one or more outside `label_stop`.
fn replace_links(text: &str, link_stop: &[char], label_stop: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match link_at(after, link_stop, label_stop) {
            Some((link, label, used)) => {
                out.push_str(&format!("[{label}]({link})"));
                rest = &after[used..];
            }
            None => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn link_at<'a>(
    s: &'a str,
    link_stop: &[char],
    label_stop: &[char],
) -> Option<(&'a str, &'a str, usize)> {
    let link_end = s.find(|c| link_stop.contains(&c))?;
    if link_end == 0 || !s[link_end..].starts_with('|') {
        return None;
    }
    let label_start = link_end + 1;
    let label_len = s[label_start..].find(|c| label_stop.contains(&c))?;
    let label_end = label_start + label_len;
    if label_len == 0 || !s[label_end..].starts_with('>') {
        return None;
    }
    Some((&s[..link_end], &s[label_start..label_end], label_end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_links_become_markdown() {
        assert_eq!(
            text_links("see <https://example.com|the site> and <http://a.b|b>"),
            "see [the site](https://example.com) and [b](http://a.b)"
        );
        assert_eq!(text_links("a <b> c < d | e >"), "a <b> c [ e ]( d )");
        assert_eq!(text_links("<x|>"), "<x|>");
        assert_eq!(text_links("<<http://a|b>"), "<[b](http://a)");
        assert_eq!(text_links("<http://a\n|b>"), "<http://a\n|b>");
        assert_eq!(attachment_links("<http://a\n|b|c>"), "[b|c](http://a\n)");
    }

    #[test]
    fn user_mentions_are_found_once() {
        let id = "abcdefghijklmnopqrstuvwxyz";
        let text = format!("<@{id}> hi <@{id}> <@short> <@{id}");
        assert_eq!(user_id_mentions(&text), vec![id.to_string()]);
    }
}

//! Slack's message markup turned into Mattermost's Markdown (as Mattermost's `slackimport`
//! converters do): `<@U123>` → `@username`, `<#C123|name>` → `~channel`,
//! `<!channel>`/`<!here>`/`<!everyone>` → `@channel`/`@here`/`@all`, `<url|label>` →
//! `[label](url)`, and the three HTML entities Slack escapes (`&amp;`, `&lt;`, `&gt;`).

use std::collections::HashMap;

/// What a message's references resolve to: Slack user ids to usernames, Slack channel ids
/// to channel names.
#[derive(Debug, Default)]
pub struct Names {
    pub users: HashMap<String, String>,
    pub channels: HashMap<String, String>,
}

/// A Slack message's text in Mattermost's Markdown.
pub fn convert(text: &str, names: &Names) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&unescape(&rest[..start]));
        let after = &rest[start + 1..];
        match after.find('>') {
            Some(end) => {
                out.push_str(&reference(&after[..end], names));
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&unescape(&rest[start..]));
                rest = "";
            }
        }
    }
    out.push_str(&unescape(rest));
    out
}

/// One `<…>` of Slack's markup (without the brackets).
fn reference(inner: &str, names: &Names) -> String {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(unescape(l))),
        None => (inner, None),
    };
    let named = |prefix: &str, found: Option<&String>| match (found, &label) {
        (Some(name), _) => format!("{prefix}{name}"),
        (None, Some(l)) => format!("{prefix}{}", l.trim_start_matches(['@', '#'])),
        (None, None) => format!("<{}>", unescape(inner)),
    };
    if let Some(id) = target.strip_prefix('@') {
        return named("@", names.users.get(id));
    }
    if let Some(id) = target.strip_prefix('#') {
        return named("~", names.channels.get(id));
    }
    if let Some(command) = target.strip_prefix('!') {
        return match command {
            "channel" => "@channel".into(),
            "here" => "@here".into(),
            "everyone" => "@all".into(),
            // `<!subteam^ID|@group>`, `<!date^…|fallback>`: the label is what people read.
            _ => label.unwrap_or_else(|| format!("<{}>", unescape(inner))),
        };
    }
    let url = unescape(target);
    match label {
        Some(l) if l != url => format!("[{l}]({url})"),
        _ => url,
    }
}

/// Slack escapes only these three; `&amp;` last so `&amp;lt;` stays `&lt;`.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `message` cut into pieces of at most `max` characters (Mattermost's `oldImportPost`
/// posts the rest of a long message as more posts).
pub fn split(message: &str, max: usize) -> Vec<String> {
    let chars: Vec<char> = message.chars().collect();
    if chars.len() <= max {
        return vec![message.to_string()];
    }
    chars.chunks(max).map(|c| c.iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names {
            users: [("U1".to_string(), "alice".to_string())].into(),
            channels: [("C1".to_string(), "general".to_string())].into(),
        }
    }

    #[test]
    fn references_become_mattermost_mentions_and_links() {
        let n = names();
        let cases = [
            ("hi <@U1>", "hi @alice"),
            ("hi <@U1|alice.s>", "hi @alice"),
            ("hi <@U9|ghost>", "hi @ghost"),
            ("hi <@U9>", "hi <@U9>"),
            ("see <#C1|general>", "see ~general"),
            ("see <#C9|old-name>", "see ~old-name"),
            (
                "<!channel> <!here> <!here|@here> <!everyone>",
                "@channel @here @here @all",
            ),
            ("<!subteam^S1|@devs> look", "@devs look"),
            (
                "<https://x.org/a?b=1&amp;c=2|the docs>",
                "[the docs](https://x.org/a?b=1&c=2)",
            ),
            ("<https://x.org>", "https://x.org"),
            ("<https://x.org|https://x.org>", "https://x.org"),
            ("<mailto:a@b.org|a@b.org>", "[a@b.org](mailto:a@b.org)"),
            (
                "1 &lt; 2 &amp;&amp; 3 &gt; 2, &amp;lt;",
                "1 < 2 && 3 > 2, &lt;",
            ),
            ("a < b", "a < b"),
        ];
        for (slack, mattermost) in cases {
            assert_eq!(convert(slack, &n), mattermost, "{slack}");
        }
    }

    #[test]
    fn long_messages_are_split_by_characters() {
        assert_eq!(split("abc", 3), vec!["abc"]);
        assert_eq!(split("ééééé", 2), vec!["éé", "éé", "é"]);
    }
}

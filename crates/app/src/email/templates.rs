//! The emails' words and layout. Every string is looked up by id in one table per locale
//! (English only so far; a locale without a table, or without the id, falls back to
//! English), with `{name}` placeholders. Each email is a `Content` (title, paragraphs, an
//! optional button) rendered once as HTML and once as plain text.

/// An email ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

const EN: &[(&str, &str)] = &[
    ("footer", "This email was sent by {site}."),
    ("reset.subject", "[{site}] Reset your password"),
    ("reset.title", "You requested a password reset"),
    (
        "reset.body",
        "Use the button below to choose a new password. The link works once, for 24 hours. \
         If you did not ask for it, ignore this email: your password stays as it is.",
    ),
    ("reset.button", "Reset password"),
    ("changed.subject", "[{site}] Your password has been updated"),
    ("changed.title", "Your password has been updated"),
    (
        "changed.body",
        "Your password on {site} was changed by {method}. If this was not you, contact \
         your system administrator.",
    ),
    ("changed.method.reset", "a password reset link"),
    ("verify.subject", "[{site}] Verify your email address"),
    ("verify.title", "Verify your email address"),
    (
        "verify.body",
        "Use the button below to confirm that {email} is your address. The link works once, \
         for 24 hours.",
    ),
    ("verify.button", "Verify email"),
    (
        "invite.subject",
        "[{site}] {sender} invited you to join {team}",
    ),
    ("invite.title", "{sender} invited you to join {team}"),
    (
        "invite.body",
        "Use the button below to create your account and join the team. The invitation \
         works once, for 48 hours.",
    ),
    ("invite.button", "Join team"),
    (
        "guest_invite.subject",
        "[{site}] {sender} invited you to join {team} as a guest",
    ),
    (
        "guest_invite.title",
        "{sender} invited you to join {team} as a guest",
    ),
    (
        "guest_invite.body",
        "Use the button below to create your guest account. You will be a member of \
         {channels}. The invitation works once, for 48 hours.",
    ),
    ("guest_invite.button", "Join as a guest"),
    ("test.subject", "[{site}] Test email"),
    ("test.title", "Your email settings work"),
    (
        "test.body",
        "This is a test email from {site}: the SMTP settings deliver mail.",
    ),
    (
        "mention.subject",
        "[{site}] Notification in {team} on {date}",
    ),
    (
        "dm.subject",
        "[{site}] New Direct Message from {sender} on {date}",
    ),
    (
        "gm.subject",
        "[{site}] New Group Message from {sender} on {date}",
    ),
    ("mention.title", "{sender} mentioned you in {channel}"),
    ("dm.title", "{sender} sent you a direct message"),
    ("gm.title", "{sender} sent a message to your group"),
    (
        "mention.generic",
        "You have a new notification from {sender}.",
    ),
    ("notice.button", "View message"),
    ("digest.subject", "[{site}] New notifications for {date}"),
    ("digest.title", "You have new notifications"),
    ("digest.line", "{sender} in {channel} at {time}"),
    ("digest.button", "Open {site}"),
];

type Table = &'static [(&'static str, &'static str)];

/// Each locale's table; a new locale is one more entry.
const LOCALES: &[(&str, Table)] = &[("en", EN)];

/// The table of `locale`; every locale falls back to English for what it lacks.
fn table(locale: &str) -> Table {
    LOCALES
        .iter()
        .find(|(l, _)| *l == locale)
        .map_or(EN, |(_, t)| t)
}

/// The string `id` in `locale`, with each `{name}` replaced by its value.
pub fn text(locale: &str, id: &str, values: &[(&str, &str)]) -> String {
    let lookup = |t: Table| t.iter().find(|(k, _)| *k == id).map(|(_, v)| *v);
    let mut out = lookup(table(locale))
        .or_else(|| lookup(EN))
        .unwrap_or(id)
        .to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// What one email says, before it is laid out.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub subject: String,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Quoted text (a message's contents), shown apart from the paragraphs.
    pub quote: Option<String>,
    /// The call to action: label and link.
    pub button: Option<(String, String)>,
    pub footer: String,
}

impl Content {
    pub fn render(&self) -> Rendered {
        Rendered {
            subject: self.subject.clone(),
            html: self.html(),
            text: self.plain(),
        }
    }

    fn html(&self) -> String {
        let mut body = format!(
            "<h2 style=\"font-family:sans-serif\">{}</h2>\n",
            escape(&self.title)
        );
        for p in &self.paragraphs {
            body.push_str(&format!(
                "<p style=\"font-family:sans-serif\">{}</p>\n",
                escape(p)
            ));
        }
        if let Some(quote) = &self.quote {
            body.push_str(&format!(
                "<blockquote style=\"font-family:sans-serif;white-space:pre-wrap\">{}</blockquote>\n",
                escape(quote)
            ));
        }
        if let Some((label, link)) = &self.button {
            body.push_str(&format!(
                "<p><a href=\"{}\" style=\"font-family:sans-serif;background:#1c58d9;\
                 color:#ffffff;padding:10px 20px;text-decoration:none;border-radius:4px\">{}</a></p>\n",
                escape(link),
                escape(label)
            ));
        }
        format!(
            "<!DOCTYPE html>\n<html><body>\n{body}<p style=\"font-family:sans-serif;\
             color:#777777;font-size:12px\">{}</p>\n</body></html>\n",
            escape(&self.footer)
        )
    }

    fn plain(&self) -> String {
        let mut out = format!("{}\n\n", self.title);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        if let Some(quote) = &self.quote {
            for line in quote.lines() {
                out.push_str(&format!("> {line}\n"));
            }
            out.push('\n');
        }
        if let Some((label, link)) = &self.button {
            out.push_str(&format!("{label}: {link}\n\n"));
        }
        out.push_str(&self.footer);
        out.push('\n');
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The strings every email of one locale and site shares.
pub struct Words<'a> {
    pub locale: &'a str,
    pub site: &'a str,
}

impl Words<'_> {
    pub fn get(&self, id: &str, values: &[(&str, &str)]) -> String {
        let mut all = vec![("site", self.site)];
        all.extend_from_slice(values);
        text(self.locale, id, &all)
    }

    /// An email whose strings are `<kind>.subject`, `.title`, `.body` and, with a link,
    /// `.button`.
    pub fn simple(&self, kind: &str, values: &[(&str, &str)], link: Option<&str>) -> Rendered {
        Content {
            subject: self.get(&format!("{kind}.subject"), values),
            title: self.get(&format!("{kind}.title"), values),
            paragraphs: vec![self.get(&format!("{kind}.body"), values)],
            quote: None,
            button: link.map(|l| (self.get(&format!("{kind}.button"), values), l.to_string())),
            footer: self.get("footer", &[]),
        }
        .render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_locale_falls_back_to_english_and_fills_placeholders() {
        let words = Words {
            locale: "fr",
            site: "Utmost",
        };
        assert_eq!(
            words.get("reset.subject", &[]),
            "[Utmost] Reset your password"
        );
        assert_eq!(text("en", "no.such.id", &[]), "no.such.id");
    }

    #[test]
    fn html_is_escaped_and_text_carries_the_link() {
        let words = Words {
            locale: "en",
            site: "<Site>",
        };
        let r = words.simple("reset", &[], Some("https://x/reset?token=a&b"));
        assert!(r.html.contains("&lt;Site&gt;"));
        assert!(r.html.contains("https://x/reset?token=a&amp;b"));
        assert!(r.text.contains("Reset password: https://x/reset?token=a&b"));
        assert!(!r.text.contains("<p"));
    }
}

//! What a Slack import did and what it left out, for the operator (printed by `utmost import
//! slack`, base64-encoded in `/teams/{team_id}/import`'s `results`).

use serde::Serialize;

/// The most entries listed; the rest are only counted.
const MAX_LISTED: usize = 10_000;

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Where: a user or channel name, or `folder ts` for a message.
    pub place: String,
    pub reason: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub users: u64,
    pub channels: u64,
    pub direct_channels: u64,
    pub posts: u64,
    pub reactions: u64,
    pub files: u64,
    /// What was not imported, and why.
    pub skipped: Vec<Entry>,
    /// What was imported differently from Slack (a renamed user, a made-up email, …).
    pub notes: Vec<Entry>,
    /// Entries beyond the listed ones.
    pub unlisted: u64,
}

impl Report {
    pub fn skip(&mut self, place: &str, reason: String) {
        if self.skipped.len() + self.notes.len() < MAX_LISTED {
            self.skipped.push(Entry {
                place: place.to_string(),
                reason,
            });
        } else {
            self.unlisted += 1;
        }
    }

    pub fn note(&mut self, place: &str, reason: String) {
        if self.skipped.len() + self.notes.len() < MAX_LISTED {
            self.notes.push(Entry {
                place: place.to_string(),
                reason,
            });
        } else {
            self.unlisted += 1;
        }
    }

    /// The plain-text report in base64, as Mattermost's `/teams/{team_id}/import` answers
    /// its log in `results`.
    pub fn log_base64(&self) -> String {
        data_encoding::BASE64.encode(self.log().as_bytes())
    }

    /// The report as plain text, one fact a line.
    pub fn log(&self) -> String {
        let mut log = String::from("Slack import\n\n");
        for (what, n) in [
            ("users", self.users),
            ("channels", self.channels),
            ("direct and group messages", self.direct_channels),
            ("posts", self.posts),
            ("reactions", self.reactions),
            ("files", self.files),
        ] {
            log.push_str(&format!("{what}: {n}\n"));
        }
        for (title, entries) in [("Skipped", &self.skipped), ("Notes", &self.notes)] {
            if !entries.is_empty() {
                log.push_str(&format!("\n{title}:\n"));
                for e in entries {
                    log.push_str(&format!("{}: {}\n", e.place, e.reason));
                }
            }
        }
        if self.unlisted > 0 {
            log.push_str(&format!("… and {} more\n", self.unlisted));
        }
        log
    }
}

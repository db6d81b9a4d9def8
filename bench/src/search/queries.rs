//! The query mix, and each query written three ways: Mattermost's search language (for
//! Utmost), a PostgreSQL `to_tsquery` with SQL filters as Mattermost's database search
//! builds them, and an SQLite FTS5 MATCH with the same filters.

use super::dataset::{channel_name, username, START, VOCABULARY};
use crate::corpus::{lit, Rng, Vocabulary};

const DAY: i64 = 86_400_000;

/// The shapes, used in turn.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    Word,
    TwoWords,
    Phrase,
    Prefix,
    From,
    In,
    Dates,
    Excluded,
}

const SHAPES: [Shape; 8] = [
    Shape::Word,
    Shape::TwoWords,
    Shape::Phrase,
    Shape::Prefix,
    Shape::From,
    Shape::In,
    Shape::Dates,
    Shape::Excluded,
];

pub struct Query {
    pub shape: Shape,
    words: Vec<String>,
    phrase: bool,
    prefix: bool,
    excluded: Option<String>,
    from: Option<usize>,
    channel: Option<usize>,
    /// Whole days since START: posts after the first and before the second.
    days: Option<(i64, i64)>,
}

/// `count` queries, the shapes in turn; words skip the 40 most common (stop words mostly).
pub fn mix(count: usize, users: usize, member_channels: &[usize]) -> Vec<Query> {
    let vocabulary = Vocabulary::new(VOCABULARY);
    let mut rng = Rng::new(2026);
    let word = |rng: &mut Rng| loop {
        let w = vocabulary.sample(rng);
        if !vocabulary.words[..40].iter().any(|c| c == w) {
            return w.to_string();
        }
    };
    (0..count)
        .map(|n| {
            let shape = SHAPES[n % SHAPES.len()];
            let mut q = Query {
                shape,
                words: vec![word(&mut rng)],
                phrase: false,
                prefix: false,
                excluded: None,
                from: None,
                channel: None,
                days: None,
            };
            match shape {
                Shape::Word => {}
                Shape::TwoWords => q.words.push(word(&mut rng)),
                Shape::Phrase => {
                    q.words.push(word(&mut rng));
                    q.phrase = true;
                }
                Shape::Prefix => {
                    let w = &q.words[0];
                    let keep = w.len().saturating_sub(2).max(3).min(w.len());
                    q.words[0] = w[..keep].to_string();
                    q.prefix = true;
                }
                Shape::From => q.from = Some(rng.below(users)),
                Shape::In => q.channel = Some(member_channels[rng.below(member_channels.len())]),
                Shape::Dates => {
                    let first = rng.below(300) as i64;
                    q.days = Some((first, first + 15 + rng.below(45) as i64));
                }
                Shape::Excluded => q.excluded = Some(word(&mut rng)),
            }
            q
        })
        .collect()
}

/// `YYYY-MM-DD` of `days` after START (2025-01-01).
fn date(days: i64) -> String {
    const MONTHS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut rest = days;
    for (month, length) in MONTHS.iter().enumerate() {
        if rest < *length {
            return format!("2025-{:02}-{:02}", month + 1, rest + 1);
        }
        rest -= length;
    }
    format!("2026-01-{:02}", rest + 1)
}

impl Query {
    /// The terms as a user types them.
    pub fn terms(&self) -> String {
        let mut parts = Vec::new();
        if let Some(u) = self.from {
            parts.push(format!("from:{}", username(u)));
        }
        if let Some(c) = self.channel {
            parts.push(format!("in:{}", channel_name(c)));
        }
        if let Some((after, before)) = self.days {
            parts.push(format!("after:{} before:{}", date(after), date(before)));
        }
        if self.phrase {
            parts.push(format!("\"{}\"", self.words.join(" ")));
        } else if self.prefix {
            parts.push(format!("{}*", self.words[0]));
        } else {
            parts.extend(self.words.iter().cloned());
        }
        if let Some(w) = &self.excluded {
            parts.push(format!("-{w}"));
        }
        parts.join(" ")
    }

    /// The filters beside the text match, on `posts p`; `reader` and `team` are literals.
    fn filters(&self, reader: &str, team: &str) -> String {
        let mut sql = format!(
            "p.deleteat = 0 AND p.type NOT LIKE 'system_%' AND p.channelid IN \
             (SELECT c.id FROM channels c JOIN channelmembers cm ON cm.channelid = c.id \
             WHERE cm.userid = {} AND c.deleteat = 0 AND (c.teamid = {} OR c.teamid = ''))",
            lit(reader),
            lit(team)
        );
        if let Some(u) = self.from {
            sql.push_str(&format!(
                " AND p.userid IN (SELECT id FROM users WHERE username = {})",
                lit(&username(u))
            ));
        }
        if let Some(c) = self.channel {
            sql.push_str(&format!(
                " AND p.channelid IN (SELECT id FROM channels WHERE name = {} AND teamid = {})",
                lit(&channel_name(c)),
                lit(team)
            ));
        }
        if let Some((after, before)) = self.days {
            // after: the end of that day; before: its start (Mattermost's bounds).
            let from = START + (after + 1) * DAY;
            let to = START + before * DAY - 1;
            sql.push_str(&format!(" AND p.createat >= {from} AND p.createat <= {to}"));
        }
        sql
    }

    /// Mattermost's PostgreSQL database search: a `to_tsquery` on the GIN-indexed
    /// `to_tsvector('english', message)`, newest first.
    pub fn postgres(&self, reader: &str, team: &str, limit: usize) -> String {
        let joiner = if self.phrase { " <-> " } else { " & " };
        let mut tsquery = self.words.join(joiner);
        if self.prefix {
            tsquery.push_str(":*");
        }
        if let Some(w) = &self.excluded {
            tsquery.push_str(&format!(" & !{w}"));
        }
        format!(
            "SELECT p.id FROM posts p WHERE {} AND to_tsvector('english', p.message) @@ \
             to_tsquery('english', {}) ORDER BY p.createat DESC LIMIT {limit}",
            self.filters(reader, team),
            lit(&tsquery)
        )
    }

    /// The same search on an FTS5 table `posts_fts` over `posts.message`.
    pub fn sqlite(&self, reader: &str, team: &str, limit: usize) -> String {
        let mut expr = if self.phrase {
            format!("\"{}\"", self.words.join(" "))
        } else if self.prefix {
            format!("{}*", self.words[0])
        } else {
            self.words.join(" AND ")
        };
        if let Some(w) = &self.excluded {
            expr.push_str(&format!(" NOT {w}"));
        }
        format!(
            "SELECT p.id FROM posts_fts f JOIN posts p ON p.rowid = f.rowid \
             WHERE posts_fts MATCH {} AND {} ORDER BY p.createat DESC LIMIT {limit}",
            lit(&expr),
            self.filters(reader, team)
        )
    }
}

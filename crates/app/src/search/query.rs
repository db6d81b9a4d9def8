//! Mattermost's search language (`model.ParseSearchParams`): words, "phrases", `prefix*`,
//! `-excluded` words, `#hashtags` and the `from:`, `in:`/`channel:`, `before:`, `after:`,
//! `on:` and `ext:` modifiers, each of which may be negated with a leading `-`.
//!
//! As in Mattermost, plain words and hashtags become separate parameter sets whose results
//! are merged, and a query of modifiers only still searches (every post they allow).

/// One search term as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word (or a word with punctuation inside, such as `host.example.com`); a trailing
    /// `*` is dropped: every word matches as a prefix.
    Word(String),
    /// A "quoted phrase": its words in order, whole.
    Phrase(String),
}

/// One parameter set (Mattermost's `SearchParams`), before names are resolved to ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub terms: Vec<Term>,
    pub excluded_terms: Vec<Term>,
    /// The terms are hashtags (`#tag`), matched against posts' hashtags.
    pub is_hashtag: bool,
    pub in_channels: Vec<String>,
    pub excluded_channels: Vec<String>,
    pub from_users: Vec<String>,
    pub excluded_users: Vec<String>,
    pub after_date: String,
    pub excluded_after_date: String,
    pub before_date: String,
    pub excluded_before_date: String,
    pub on_date: String,
    pub excluded_date: String,
    pub extensions: Vec<String>,
    pub excluded_extensions: Vec<String>,
}

use utmost_model::post::is_valid_hashtag;

const FLAGS: [&str; 7] = ["from", "channel", "in", "before", "after", "on", "ext"];

/// Parses a query into Mattermost's parameter sets: plain terms first, then hashtags, or one
/// set of filters alone when the query has no term.
pub fn parse(text: &str) -> Vec<SearchParams> {
    let (words, flags) = split_flags(&split_words(text.trim()));
    let mut filters = SearchParams::default();
    for Flag {
        name,
        value,
        exclude,
    } in flags
    {
        let value = value.to_string();
        match (name, exclude) {
            ("in" | "channel", false) => filters.in_channels.push(value),
            ("in" | "channel", true) => filters.excluded_channels.push(value),
            ("from", false) => filters.from_users.push(value),
            ("from", true) => filters.excluded_users.push(value),
            ("after", false) => filters.after_date = value,
            ("after", true) => filters.excluded_after_date = value,
            ("before", false) => filters.before_date = value,
            ("before", true) => filters.excluded_before_date = value,
            ("on", false) => filters.on_date = value,
            ("on", true) => filters.excluded_date = value,
            ("ext", false) => filters.extensions.push(value),
            _ => filters.excluded_extensions.push(value),
        }
    }
    let (mut plain, mut hashtags) = (filters.clone(), filters.clone());
    hashtags.is_hashtag = true;
    for word in words {
        let set = if is_valid_hashtag(&word.text) {
            &mut hashtags
        } else {
            &mut plain
        };
        let Some(term) = term(&word.text, set.is_hashtag) else {
            continue;
        };
        if word.exclude {
            set.excluded_terms.push(term);
        } else {
            set.terms.push(term);
        }
    }
    let has_terms = |p: &SearchParams| !p.terms.is_empty() || !p.excluded_terms.is_empty();
    let mut sets = Vec::new();
    if has_terms(&plain) {
        sets.push(plain);
    }
    if has_terms(&hashtags) {
        sets.push(hashtags);
    }
    if sets.is_empty() && filters != SearchParams::default() {
        sets.push(filters);
    }
    sets
}

/// A typed word as a term; `None` for words of punctuation only, which Mattermost drops
/// (a quoted phrase is kept whatever it holds, as long as it has a letter or digit).
fn term(word: &str, hashtag: bool) -> Option<Term> {
    if hashtag {
        return Some(Term::Word(word.to_lowercase()));
    }
    let inner = word
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .filter(|_| word.len() >= 2);
    let term = match inner {
        Some(phrase) => Term::Phrase(phrase.to_string()),
        None => Term::Word(word.trim_end_matches('*').replace('"', "")),
    };
    let text = match &term {
        Term::Word(t) | Term::Phrase(t) => t,
    };
    text.chars().any(char::is_alphanumeric).then_some(term)
}

/// Splits on white space, keeping a "quoted section" (with a `-` just before it) whole.
fn split_words(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut in_quote = false;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c != '"' {
            continue;
        }
        if in_quote {
            words.push(&text[start..=i]);
            start = i + 1;
        } else {
            let quote_start = if text[..i].ends_with('-') { i - 1 } else { i };
            words.extend(text[start..quote_start].split_whitespace());
            start = quote_start;
        }
        in_quote = !in_quote;
    }
    words.extend(text[start..].split_whitespace());
    words
}

struct Word {
    text: String,
    exclude: bool,
}

struct Flag<'a> {
    name: &'static str,
    value: &'a str,
    exclude: bool,
}

/// Separates modifiers (`name:value` or `name: value`) from words, and trims the words'
/// surrounding punctuation (keeping a leading `#` or `"` and a trailing `*` or `"`).
fn split_flags<'a>(input: &[&'a str]) -> (Vec<Word>, Vec<Flag<'a>>) {
    let mut words = Vec::new();
    let mut flags = Vec::new();
    let mut i = 0;
    while i < input.len() {
        let word = input[i];
        i += 1;
        if let Some((name, value)) = word.split_once(':') {
            let (name, exclude) = match name.strip_prefix('-') {
                Some(name) => (name, true),
                None => (name, false),
            };
            if let Some(name) = FLAGS.iter().copied().find(|f| f.eq_ignore_ascii_case(name)) {
                if !value.is_empty() {
                    flags.push(Flag {
                        name,
                        value,
                        exclude,
                    });
                    continue;
                }
                if let Some(next) = input.get(i) {
                    flags.push(Flag {
                        name,
                        value: next,
                        exclude,
                    });
                    i += 1;
                    continue;
                }
            }
        }
        let exclude = word.starts_with('-');
        let trimmed = word
            .trim_start_matches(|c: char| {
                !(c.is_alphanumeric() || c.is_whitespace() || c == '#' || c == '"')
            })
            .trim_end_matches(|c: char| {
                !(c.is_alphanumeric() || c.is_whitespace() || c == '*' || c == '"')
            });
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        let text = if hashes > 1 {
            &trimmed[hashes - 1..]
        } else {
            trimmed
        };
        if !text.is_empty() {
            words.push(Word {
                text: text.to_string(),
                exclude,
            });
        }
    }
    (words, flags)
}

/// The calendar day `date` ("YYYY-M-D", zeros optional) as a millisecond range in the zone
/// `offset_secs` east of UTC: `(start, end)` inclusive, as Mattermost's
/// `GetStartOfDayMillis`/`GetEndOfDayMillis`. `None` when the date does not parse.
pub fn day_millis(date: &str, offset_secs: i64) -> Option<(i64, i64)> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // A day past the month's end (2024-02-30) lands in the next month: refused, as Go does.
    let (y, m, d, _) = utmost_model::time::utc_date(days * 86_400);
    if (y, m, d) != (year, month as usize, i64::from(day)) {
        return None;
    }
    let start = days * 86_400_000 - offset_secs * 1000;
    Some((start, start + 86_400_000 - 1))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests;

//! Channel search by word beginnings: each word typed must begin a word of the channel's
//! name or display name (searches: or purpose), as Mattermost's full-text channel search
//! matches `word:*`. Read through an index on both databases (migration 0020): PostgreSQL's
//! GIN indexes over `utmost_search_words`, SQLite's FTS5 table `channelsearchwords`. The
//! one place channel queries differ by database (as `users/listing.rs` does for users).

use crate::db::{query_rows, Bind, DbKind};
use crate::full_text::words;
use crate::{Result, Store};

/// Which of a channel's texts a search looks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fields {
    /// Name and display name (autocomplete).
    Names,
    /// Name, display name and purpose (searches).
    NamesAndPurpose,
}

impl Fields {
    /// The texts of alias `c`, joined by spaces, as migration 0020 indexes them (PostgreSQL).
    fn pg_text(self) -> &'static str {
        match self {
            Fields::Names => "coalesce(c.name, '') || ' ' || coalesce(c.displayname, '')",
            Fields::NamesAndPurpose => {
                "coalesce(c.name, '') || ' ' || coalesce(c.displayname, '') || ' ' \
                 || coalesce(c.purpose, '')"
            }
        }
    }

    /// Their indexed words (PostgreSQL, migration 0020).
    fn pg_words(self) -> &'static str {
        match self {
            Fields::Names => "utmost_channel_name_words(c.name, c.displayname)",
            Fields::NamesAndPurpose => "utmost_channel_words(c.name, c.displayname, c.purpose)",
        }
    }

    /// The FTS5 column filter (SQLite).
    fn fts_columns(self) -> &'static str {
        match self {
            Fields::Names => "{name displayname}",
            Fields::NamesAndPurpose => "{name displayname purpose}",
        }
    }
}

/// Lower-cased; a piece of symbols alone is no word to either database's tokenizer.
fn lower_words(pieces: Vec<String>) -> Vec<String> {
    pieces
        .into_iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| w.to_lowercase())
        .collect()
}

/// Which channels a search lists in display-name order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Listing {
    /// One team's: SQLite can walk them through `(teamid, displayname)`.
    Team,
    /// Every team's: no index gives that order, so the matches are always read and sorted.
    AllTeams,
}

/// What a typed term asks of a channel's words.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// An empty term: every channel.
    Everything,
    /// A term of symbols alone: no channel.
    Nothing,
    /// Its words, lower-cased and cut as the database's index cuts text.
    Words(Vec<String>),
}

fn wanted(kind: DbKind, term: &str) -> Wanted {
    let term = term.trim();
    if term.is_empty() {
        return Wanted::Everything;
    }
    let words = lower_words(match kind {
        DbKind::Postgres => words(term),
        // unicode61 keeps a run of Chinese or Japanese characters as one word.
        DbKind::Sqlite => term
            .split(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
            .map(str::to_string)
            .collect(),
    });
    if words.is_empty() {
        Wanted::Nothing
    } else {
        Wanted::Words(words)
    }
}

// ASCII punctuation, quotes included, is gone from the words: none needs escaping.

/// `'w1':* & 'w2':*`
fn tsquery(words: &[String]) -> String {
    let query: Vec<String> = words.iter().map(|w| format!("'{w}':*")).collect();
    query.join(" & ")
}

/// `{columns} : ("w1"* AND "w2"*)`
fn fts_query(fields: Fields, words: &[String]) -> String {
    let query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
    format!("{} : ({})", fields.fts_columns(), query.join(" AND "))
}

/// Up to this many matching channels, SQLite reads them from the FTS5 index and sorts them;
/// beyond, a team's search walks the team's channels in display-name order, checking each
/// against the matches, until the page is full. Measured at 100,000 channels: 10,000 matches read and
/// sorted took 33 ms, walked 2 ms; 20 matches walked 50 ms, read 0.1 ms.
const FEW_MATCHES: i64 = 2_000;

/// Whether more than `FEW_MATCHES` channels match the FTS5 `query`: at most that many
/// index entries read (SQLite).
async fn many_matches(store: &Store, query: &str) -> Result<bool> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT rowid FROM channelsearchwords \
               WHERE channelsearchwords MATCH $1 LIMIT $2) AS found";
    let binds = [Bind::Str(query), Bind::Int(FEW_MATCHES + 1)];
    let counted = query_rows::<(i64,), (i64,)>(store, sql, &binds).await?;
    Ok(counted.first().is_some_and(|(n,)| *n > FEW_MATCHES))
}

/// The WHERE condition (with its leading ` AND`) keeping the channels (alias `c`) in which
/// every word of `term` begins a word of `fields`, and its binds, numbered from `$n`. An
/// empty term keeps every channel; a term without words (only punctuation) keeps none.
pub(super) async fn word_filter(
    store: &Store,
    fields: Fields,
    listing: Listing,
    term: &str,
    n: usize,
) -> Result<(String, Vec<String>)> {
    let words = match wanted(store.kind(), term) {
        Wanted::Everything => return Ok((String::new(), Vec::new())),
        Wanted::Nothing => return Ok((" AND 1 = 0".into(), Vec::new())),
        Wanted::Words(words) => words,
    };
    match store.kind() {
        DbKind::Postgres => {
            // PostgreSQL walks the team's channels in display-name order when it expects
            // many matches, and cutting a channel's words takes tens of microseconds; the
            // longest word contained in the text, a test a hundred times cheaper and true
            // of every match, spares most channels the cutting.
            let longest = words
                .iter()
                .max_by_key(|w| w.len())
                .cloned()
                .unwrap_or_default();
            let sql = format!(
                " AND strpos(lower({}), ${n}) > 0 AND {} @@ to_tsquery('simple', ${})",
                fields.pg_text(),
                fields.pg_words(),
                n + 1
            );
            Ok((sql, vec![longest, tsquery(&words)]))
        }
        DbKind::Sqlite => {
            let query = fts_query(fields, &words);
            // `+` keeps SQLite from reading the channels through the matches.
            let rowid = if listing == Listing::Team && many_matches(store, &query).await? {
                "+c.rowid"
            } else {
                "c.rowid"
            };
            let sql = format!(
                " AND {rowid} IN (SELECT rowid FROM channelsearchwords \
                 WHERE channelsearchwords MATCH ${n})"
            );
            Ok((sql, vec![query]))
        }
    }
}

/// The same rule in memory, for searches of a user's own channels: whether every word of
/// `term` begins a word of one of `texts` (words cut as `utmost_search_words` cuts them). An
/// empty term matches; a term without words does not.
pub fn words_begin(term: &str, texts: &[&str]) -> bool {
    let term = term.trim();
    if term.is_empty() {
        return true;
    }
    let wanted = lower_words(words(term));
    let have = lower_words(texts.iter().flat_map(|t| words(t)).collect());
    !wanted.is_empty() && wanted.iter().all(|w| have.iter().any(|h| h.starts_with(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_of(kind: DbKind, term: &str) -> Vec<String> {
        match wanted(kind, term) {
            Wanted::Words(words) => words,
            other => panic!("{term}: {other:?}"),
        }
    }

    #[test]
    fn typed_words_become_word_beginnings() {
        let town = words_of(DbKind::Postgres, " Town-SQ ");
        assert_eq!(tsquery(&town), "'town':* & 'sq':*");
        let cjk = words_of(DbKind::Sqlite, "it's 东京%");
        assert_eq!(
            fts_query(Fields::NamesAndPurpose, &cjk),
            "{name displayname purpose} : (\"it\"* AND \"s\"* AND \"东京\"*)"
        );
        assert_eq!(
            tsquery(&words_of(DbKind::Postgres, "东京")),
            "'东':* & '京':*"
        );
        assert_eq!(wanted(DbKind::Sqlite, "  "), Wanted::Everything);
        assert_eq!(wanted(DbKind::Postgres, "%_ …"), Wanted::Nothing);
    }

    #[test]
    fn own_channels_are_matched_by_the_same_rule() {
        assert!(words_begin(
            "rel PLAN",
            &["launch-crew", "Release Planning"]
        ));
        assert!(words_begin("crew", &["launch-crew", ""]));
        assert!(!words_begin("elease", &["Release"]));
        assert!(!words_begin("rel nothing", &["Release"]));
        assert!(words_begin(" ", &["x"]));
        assert!(!words_begin("%", &["%"]));
    }
}

//! Post search over PostgreSQL full text: the engine for several nodes, whose index is the
//! `posts` table itself (`idx_posts_search_words_by_channel`, migration 0034, over
//! `utmost_post_search_words(channelid, message)`: a post's words and its channel as the
//! lexeme `#<channel id>`; hashtags through Mattermost's `idx_posts_hashtags_txt`).
//!
//! A query word is cut as the index cuts messages (ASCII punctuation separates words, each
//! Chinese or Japanese character is a word) and its parts must follow each other, the last
//! as a beginning (`'host' <-> 'example' <-> 'co':*`); a quoted phrase's words match whole.
//! The words are ANDed with the channels searched (`'#c1' | '#c2'`), so the index keeps
//! only the reader's hits and a common word costs what it matches in those channels.
//! PostgreSQL only: on SQLite every search here is refused.

use crate::db::Db;
use crate::replicas::ReplicaUse;
use crate::{Result, Store, StoreError};
use sqlx::{Postgres, QueryBuilder};
use utmost_model::post::is_cjk;

/// One typed search term.
#[derive(Debug, Clone, Copy)]
pub enum Text<'a> {
    /// Its words in order, the last one as a beginning.
    Word(&'a str),
    /// Its words in order, whole.
    Phrase(&'a str),
}

/// One parameter set, names already resolved to ids (`app::search::index::PostFilter`).
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub terms: Vec<Text<'a>>,
    pub excluded_terms: Vec<Text<'a>>,
    /// The terms are hashtags, matched whole against the post's tags.
    pub hashtags: bool,
    /// Every term must match (false: any one).
    pub all_terms: bool,
    pub channels: &'a [String],
    pub excluded_channels: &'a [String],
    pub users: &'a [String],
    pub excluded_users: &'a [String],
    /// Inclusive `createat` ranges a post must fall in, and must not.
    pub within: &'a [(i64, i64)],
    pub outside: &'a [(i64, i64)],
}

/// Ids of the live, non-system posts in `scope` matching any of `filters`, newest first,
/// `limit` from `offset`.
pub async fn search(
    store: &Store,
    scope: &[String],
    filters: &[Filter<'_>],
    offset: i64,
    limit: i64,
) -> Result<Vec<String>> {
    let Db::Postgres(pool) = &store.db else {
        return Err(StoreError::Corrupt(
            "PostgreSQL full-text search needs PostgreSQL".into(),
        ));
    };
    if scope.is_empty() || filters.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    // A search tolerates a replica's lag (see `replicas`); a failed replica hands over.
    let ids = match store.replica(ReplicaUse::Search) {
        Some(replica) => match fetch_ids(replica.pool(), scope, filters, offset, limit).await {
            Err(e) if replica.failed(&e) => fetch_ids(pool, scope, filters, offset, limit).await?,
            done => done?,
        },
        None => fetch_ids(pool, scope, filters, offset, limit).await?,
    };
    Ok(ids.into_iter().map(|(id,)| id).collect())
}

/// Memory a search may sort and gather its hits in. PostgreSQL's default (4 MB) makes the
/// bitmap of a common word's posts lossy past about 80,000 table pages (a few million
/// posts), and PostgreSQL then re-cuts every post of those pages to check it.
const SEARCH_WORK_MEM: &str = "SET LOCAL work_mem = '64MB'";

/// Runs the search's query on `pool`, in a transaction of its own for `SEARCH_WORK_MEM`.
async fn fetch_ids(
    pool: &sqlx::PgPool,
    scope: &[String],
    filters: &[Filter<'_>],
    offset: i64,
    limit: i64,
) -> Result<Vec<(String,)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(SEARCH_WORK_MEM).execute(&mut *tx).await?;
    let ids = search_query(scope, filters, offset, limit)
        .build_query_as()
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ids)
}

/// The post search's query (see `search`).
fn search_query<'a>(
    scope: &[String],
    filters: &[Filter<'a>],
    offset: i64,
    limit: i64,
) -> QueryBuilder<'a, Postgres> {
    let mut q = QueryBuilder::<Postgres>::new("SELECT id FROM posts WHERE channelid = ANY(");
    q.push_bind(scope.to_vec())
        .push(") AND deleteat = 0 AND COALESCE(type, '') NOT LIKE 'system\\_%' AND (");
    for (i, filter) in filters.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        push_filter(&mut q, scope, filter);
    }
    q.push(") ORDER BY createat DESC, id DESC LIMIT ")
        .push_bind(limit)
        .push(" OFFSET ")
        .push_bind(offset);
    q
}

fn push_filter(q: &mut QueryBuilder<'_, Postgres>, scope: &[String], f: &Filter<'_>) {
    q.push("(TRUE");
    if f.hashtags {
        push_hashtags(q, f);
    } else if let Some(tsquery) = tsquery(f) {
        q.push(" AND utmost_post_search_words(channelid, message) @@ (to_tsquery('simple', ")
            .push_bind(tsquery)
            .push(")");
        let channels = if f.channels.is_empty() {
            scope
        } else {
            f.channels
        };
        if let Some(channels) = channels_query(channels) {
            q.push(" && ").push_bind(channels).push("::tsquery");
        }
        q.push(")");
    }
    for (column, ids, negate) in [
        ("channelid", f.channels, false),
        ("channelid", f.excluded_channels, true),
        ("userid", f.users, false),
        ("userid", f.excluded_users, true),
    ] {
        if !ids.is_empty() {
            q.push(if negate { " AND NOT " } else { " AND " })
                .push(column)
                .push(" = ANY(")
                .push_bind(ids.to_vec())
                .push(")");
        }
    }
    for (ranges, negate) in [(f.within, false), (f.outside, true)] {
        for (from, to) in ranges {
            q.push(if negate { " AND NOT " } else { " AND " })
                .push("(createat BETWEEN ")
                .push_bind(*from)
                .push(" AND ")
                .push_bind(*to)
                .push(")");
        }
    }
    q.push(")");
}

/// Hashtags match a whole tag, case aside. Mattermost's index finds the candidates (a tag of
/// stop words only has no lexeme to look up, so it is checked on every post of the scope).
fn push_hashtags(q: &mut QueryBuilder<'_, Postgres>, f: &Filter<'_>) {
    let tag = |t: &Text<'_>| match t {
        Text::Word(t) | Text::Phrase(t) => t.to_lowercase(),
    };
    let join = if f.all_terms { " AND " } else { " OR " };
    if !f.terms.is_empty() {
        q.push(" AND (");
        for (i, term) in f.terms.iter().enumerate() {
            if i > 0 {
                q.push(join);
            }
            let tag = tag(term);
            q.push("((numnode(phraseto_tsquery('english', ")
                .push_bind(tag.clone())
                .push(")) = 0 OR to_tsvector('english', hashtags) @@ phraseto_tsquery('english', ")
                .push_bind(tag.clone())
                .push(")) AND ")
                .push_bind(tag)
                .push(" = ANY(string_to_array(lower(COALESCE(hashtags, '')), ' ')))");
        }
        q.push(")");
    }
    for term in &f.excluded_terms {
        q.push(" AND NOT (")
            .push_bind(tag(term))
            .push(" = ANY(string_to_array(lower(COALESCE(hashtags, '')), ' ')))");
    }
}

/// The filter's words as a `tsquery`; `None` when it names no word.
fn tsquery(f: &Filter<'_>) -> Option<String> {
    let terms: Vec<String> = f.terms.iter().filter_map(term_query).collect();
    let mut parts = Vec::new();
    if !terms.is_empty() {
        let join = if f.all_terms { " & " } else { " | " };
        parts.push(format!("({})", terms.join(join)));
    }
    parts.extend(
        f.excluded_terms
            .iter()
            .filter_map(term_query)
            .map(|t| format!("!({t})")),
    );
    (!parts.is_empty()).then(|| parts.join(" & "))
}

/// Channels searched beyond this many are left to the SQL filter: each is an index lookup,
/// and a scope this wide (public channels searched without membership) narrows little.
const MAX_CHANNELS_IN_INDEX: usize = 1_000;

/// `channels` as the `tsquery` of their lexemes (`'#c1' | '#c2'`); `None` past
/// `MAX_CHANNELS_IN_INDEX` or for an id that is not a plain id.
fn channels_query(channels: &[String]) -> Option<String> {
    let plain = |id: &String| !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric());
    if channels.is_empty() || channels.len() > MAX_CHANNELS_IN_INDEX || !channels.iter().all(plain)
    {
        return None;
    }
    let lexemes: Vec<String> = channels.iter().map(|id| format!("'#{id}'")).collect();
    Some(lexemes.join(" | "))
}

/// One term as a `tsquery` phrase of its words; `None` for a term with no word.
fn term_query(term: &Text<'_>) -> Option<String> {
    let (text, prefix) = match term {
        Text::Word(t) => (t, true),
        Text::Phrase(t) => (t, false),
    };
    let words = words(text);
    let last = words.len().checked_sub(1)?;
    let quoted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let suffix = if prefix && i == last { ":*" } else { "" };
            // ASCII punctuation, quotes included, is gone: a word needs no escaping.
            format!("'{w}'{suffix}")
        })
        .collect();
    Some(quoted.join(" <-> "))
}

/// The words of `text` as `utmost_search_words` cuts a message: ASCII punctuation is a
/// space, each Chinese or Japanese character (`is_cjk`, the migration's pattern) a word. PostgreSQL's parser cuts what is left
/// (a piece it cuts further becomes a phrase inside `to_tsquery`) and folds case.
pub fn words(text: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            spaced.push(' ');
        } else if is_cjk(c) {
            spaced.extend([' ', c, ' ']);
        } else {
            spaced.push(c);
        }
    }
    spaced.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cut_as_the_index_cuts_messages() {
        assert_eq!(
            words("Hostname.example.com, ops-team@example.org 东京 a_b"),
            ["Hostname", "example", "com", "ops", "team", "example", "org", "东", "京", "a", "b"]
        );
    }

    #[test]
    fn terms_become_phrases_whose_last_word_is_a_beginning() {
        let filter = Filter {
            terms: vec![Text::Word("host.exa"), Text::Phrase("release notes")],
            excluded_terms: vec![Text::Word("it's")],
            all_terms: true,
            ..Filter::default()
        };
        assert_eq!(
            tsquery(&filter).as_deref(),
            Some("('host' <-> 'exa':* & 'release' <-> 'notes') & !('it' <-> 's':*)")
        );
        let nothing = Filter {
            terms: vec![Text::Word("***")],
            ..Filter::default()
        };
        assert_eq!(tsquery(&nothing), None);
    }

    #[test]
    fn channels_become_lexemes_any_of_which_may_match() {
        let ids = |n: usize| (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>();
        assert_eq!(channels_query(&ids(2)).as_deref(), Some("'#c0' | '#c1'"));
        assert_eq!(channels_query(&[]), None);
        assert!(channels_query(&ids(MAX_CHANNELS_IN_INDEX)).is_some());
        assert_eq!(channels_query(&ids(MAX_CHANNELS_IN_INDEX + 1)), None);
        assert_eq!(channels_query(&["c0".into(), "x' | 'y".into()]), None);
    }
}

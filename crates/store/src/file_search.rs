//! The reads file search needs: `fileinfo` rows changed since the file index's watermark
//! (its catch-up), and the PostgreSQL full-text search of files that an engine for several
//! nodes answers with (Mattermost's `SqlFileInfoStore.Search`, over its GIN indexes
//! `idx_fileinfo_name_txt`, `idx_fileinfo_name_splitted` and `idx_fileinfo_content_txt`).

use crate::db::{placeholders, read, Bind};
use crate::{DbKind, Result, Store, StoreError};

/// A file's searchable state.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangedFile {
    pub id: String,
    pub channelid: Option<String>,
    pub creatorid: Option<String>,
    pub postid: Option<String>,
    pub createat: Option<i64>,
    pub updateat: Option<i64>,
    pub deleteat: Option<i64>,
    pub name: Option<String>,
    pub extension: Option<String>,
    pub content: Option<String>,
}

/// Up to `limit` files changed after (`update_at`, `id`), in that order: the keyset the
/// indexer walks (`idx_fileinfo_update_at`), as for posts.
pub async fn files_changed_after(
    store: &Store,
    update_at: i64,
    id: &str,
    limit: i64,
) -> Result<Vec<ChangedFile>> {
    let sql = "SELECT id, channelid, creatorid, postid, createat, updateat, deleteat, name, \
               extension, content FROM fileinfo \
               WHERE updateat >= $1 AND (updateat > $1 OR id > $2) ORDER BY updateat, id LIMIT $3";
    Ok(read!(store, |p| sqlx::query_as(sql)
        .bind(update_at)
        .bind(id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// One parameter set of a full-text file search; the sets of a search are alternatives.
#[derive(Debug, Clone, Default)]
pub struct FullTextFileFilter {
    /// Each term's words (letters and digits only); a term matches when its words follow
    /// one another in the name or the content, the last as a prefix unless `phrase`.
    pub terms: Vec<FullTextTerm>,
    pub excluded_terms: Vec<FullTextTerm>,
    /// Any term is enough (`is_or_search`).
    pub any_term: bool,
    pub extensions: Vec<String>,
    pub excluded_extensions: Vec<String>,
    pub channels: Vec<String>,
    pub excluded_channels: Vec<String>,
    pub creators: Vec<String>,
    pub excluded_creators: Vec<String>,
    /// Inclusive `createat` ranges a file must fall in, and must not.
    pub within: Vec<(i64, i64)>,
    pub outside: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, Default)]
pub struct FullTextTerm {
    pub words: Vec<String>,
    pub phrase: bool,
}

impl FullTextTerm {
    /// The term as `to_tsquery` text; its words hold no tsquery operator.
    fn tsquery(&self) -> Option<String> {
        let words: Vec<String> = self
            .words
            .iter()
            .filter(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))
            .cloned()
            .collect();
        let (last, before) = words.split_last()?;
        let mut parts: Vec<String> = before.to_vec();
        parts.push(if self.phrase {
            last.clone()
        } else {
            format!("{last}:*")
        });
        Some(format!("({})", parts.join(" <-> ")))
    }
}

impl FullTextFileFilter {
    /// What a file must match (every term, or any with `any_term`) and what it must not
    /// (any excluded term), each as `to_tsquery` text; the excluded terms are kept apart so
    /// a word in the content excludes a file whose name matched.
    fn tsqueries(&self) -> (Option<String>, Option<String>) {
        let join = |terms: &[FullTextTerm], op: &str| {
            let parts: Vec<String> = terms.iter().filter_map(FullTextTerm::tsquery).collect();
            (!parts.is_empty()).then(|| format!("({})", parts.join(op)))
        };
        let op = if self.any_term { " | " } else { " & " };
        (join(&self.terms, op), join(&self.excluded_terms, " | "))
    }
}

/// Ids of the live files attached to posts in `scope` (channel ids) that match any of
/// `filters`, newest first, `limit` from `offset`. PostgreSQL only.
pub async fn search_files_full_text(
    store: &Store,
    scope: &[String],
    filters: &[FullTextFileFilter],
    offset: i64,
    limit: i64,
) -> Result<Vec<String>> {
    if store.kind() != DbKind::Postgres {
        return Err(StoreError::Unsupported("full-text file search"));
    }
    if scope.is_empty() || filters.is_empty() || limit <= 0 {
        return Ok(Vec::new());
    }
    let mut binds: Vec<Bind> = scope.iter().map(|id| Bind::Str(id)).collect();
    let mut sql = format!(
        "SELECT f.id FROM fileinfo f WHERE f.channelid IN ({}) AND f.deleteat = 0 \
         AND f.postid <> '' AND (",
        placeholders(1, scope.len())
    );
    for (i, filter) in filters.iter().enumerate() {
        if i > 0 {
            sql.push_str(" OR ");
        }
        sql.push_str(&filter_sql(filter, &mut binds));
    }
    sql.push_str(&format!(
        ") ORDER BY f.createat DESC, f.id DESC LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    ));
    binds.push(Bind::Int(limit));
    binds.push(Bind::Int(offset.max(0)));
    let rows: Vec<FileId> = crate::replicas::query_rows_replica::<FileId, FileId>(
        store,
        crate::replicas::ReplicaUse::Search,
        &sql,
        &binds,
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// One filter's condition, its values appended to `binds`.
fn filter_sql<'a>(filter: &'a FullTextFileFilter, binds: &mut Vec<Bind<'a>>) -> String {
    let mut conditions = vec!["TRUE".to_string()];
    let (matching, excluded) = filter.tsqueries();
    for (tsquery, excluding) in [(matching, false), (excluded, true)] {
        let Some(tsquery) = tsquery else { continue };
        binds.push(Bind::Text(tsquery));
        let n = binds.len();
        // The expressions of Mattermost's GIN indexes, so a match is an index scan.
        let any_column = format!(
            "to_tsvector('english', f.name) @@ to_tsquery('english', ${n}) \
             OR to_tsvector('english', translate(f.name, '.,-', '   ')) @@ to_tsquery('english', ${n}) \
             OR to_tsvector('english', f.content) @@ to_tsquery('english', ${n})"
        );
        conditions.push(if excluding {
            // A file without extracted content (NULL) is not excluded by it.
            format!("NOT COALESCE({any_column}, FALSE)")
        } else {
            format!("({any_column})")
        });
    }
    for (column, values, negate) in [
        ("f.extension", &filter.extensions, ""),
        ("f.extension", &filter.excluded_extensions, "NOT "),
        ("f.channelid", &filter.channels, ""),
        ("f.channelid", &filter.excluded_channels, "NOT "),
        ("f.creatorid", &filter.creators, ""),
        ("f.creatorid", &filter.excluded_creators, "NOT "),
    ] {
        if values.is_empty() {
            continue;
        }
        let first = binds.len() + 1;
        binds.extend(values.iter().map(|v| Bind::Str(v)));
        conditions.push(format!(
            "{column} {negate}IN ({})",
            placeholders(first, values.len())
        ));
    }
    for (ranges, negate) in [(&filter.within, ""), (&filter.outside, "NOT ")] {
        for (from, to) in ranges {
            binds.push(Bind::Int(*from));
            binds.push(Bind::Int(*to));
            let n = binds.len();
            conditions.push(format!("{negate}(f.createat BETWEEN ${} AND ${n})", n - 1));
        }
    }
    format!("({})", conditions.join(" AND "))
}

#[derive(sqlx::FromRow)]
struct FileId {
    id: String,
}

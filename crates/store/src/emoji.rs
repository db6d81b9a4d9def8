//! The `emoji` table: custom emoji (Mattermost's `SqlEmojiStore`). A deleted emoji keeps its
//! row with `deleteat` set; `UNIQUE (name, deleteat)` lets one live emoji hold a name, so a
//! name is free again once its emoji is deleted. Every read here sees live emoji only.

use crate::db::{escape_like, placeholders, query_rows, transaction, Bind};
use crate::{Result, Store, StoreError};
use utmost_model::emoji::Emoji;

#[derive(sqlx::FromRow)]
struct EmojiRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    creatorid: Option<String>,
    name: Option<String>,
}

impl From<EmojiRow> for Emoji {
    fn from(r: EmojiRow) -> Self {
        Emoji {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            creator_id: r.creatorid.unwrap_or_default(),
            name: r.name.unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT id, createat, updateat, deleteat, creatorid, name FROM emoji";

/// What `insert` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    Saved,
    /// A live emoji already has the name.
    NameTaken,
}

/// Inserts a new live emoji.
pub async fn insert(store: &Store, emoji: &Emoji) -> Result<Inserted> {
    let result = transaction!(store, |tx| {
        sqlx::query(
            "INSERT INTO emoji (id, createat, updateat, deleteat, creatorid, name) \
             VALUES ($1, $2, $3, 0, $4, $5)",
        )
        .bind(&emoji.id)
        .bind(emoji.create_at)
        .bind(emoji.update_at)
        .bind(&emoji.creator_id)
        .bind(&emoji.name)
        .execute(&mut *tx)
        .await?;
    });
    match result {
        Ok(()) => Ok(Inserted::Saved),
        Err(StoreError::Conflict(constraint)) if constraint.contains("name") => {
            Ok(Inserted::NameTaken)
        }
        Err(e) => Err(e),
    }
}

/// The live emoji with this id.
pub async fn get(store: &Store, id: &str) -> Result<Option<Emoji>> {
    let sql = format!("{SELECT} WHERE id = $1 AND deleteat = 0");
    Ok(query_rows::<EmojiRow, Emoji>(store, &sql, &[Bind::Str(id)])
        .await?
        .pop())
}

/// The live emoji with this name.
pub async fn get_by_name(store: &Store, name: &str) -> Result<Option<Emoji>> {
    let sql = format!("{SELECT} WHERE name = $1 AND deleteat = 0");
    Ok(
        query_rows::<EmojiRow, Emoji>(store, &sql, &[Bind::Str(name)])
            .await?
            .pop(),
    )
}

/// The live emoji with any of these names, by name; names without one are left out.
pub async fn get_by_names(store: &Store, names: &[String]) -> Result<Vec<Emoji>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE name IN ({}) AND deleteat = 0 ORDER BY name",
        placeholders(1, names.len())
    );
    let binds: Vec<Bind> = names.iter().map(|n| Bind::Str(n)).collect();
    query_rows::<EmojiRow, Emoji>(store, &sql, &binds).await
}

/// The order of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Oldest first (Mattermost leaves an unsorted page in the database's order; creation
    /// order is that order, made stable).
    Created,
    Name,
}

/// One page of the live emoji.
pub async fn list(store: &Store, sort: Sort, limit: i64, offset: i64) -> Result<Vec<Emoji>> {
    let order = match sort {
        Sort::Created => "createat, id",
        Sort::Name => "name",
    };
    let sql = format!("{SELECT} WHERE deleteat = 0 ORDER BY {order} LIMIT $1 OFFSET $2");
    query_rows::<EmojiRow, Emoji>(store, &sql, &[Bind::Int(limit), Bind::Int(offset)]).await
}

/// Where `search` looks for its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    Prefix,
    Anywhere,
}

/// The live emoji whose name has `term` (ignoring case, wildcards taken literally), by name,
/// at most `limit`.
pub async fn search(store: &Store, term: &str, at: Match, limit: i64) -> Result<Vec<Emoji>> {
    let escaped = escape_like(&term.to_lowercase());
    let pattern = match at {
        Match::Prefix => format!("{escaped}%"),
        Match::Anywhere => format!("%{escaped}%"),
    };
    let sql = format!(
        "{SELECT} WHERE LOWER(name) LIKE $1 ESCAPE '\\' AND deleteat = 0 ORDER BY name LIMIT $2"
    );
    query_rows::<EmojiRow, Emoji>(store, &sql, &[Bind::Text(pattern), Bind::Int(limit)]).await
}

/// Deletes the live emoji `id` (named `name`) at `at`, and with it every live reaction of that
/// name, as Mattermost's `DeleteEmoji` and `DeleteAllWithEmojiName` do: each post that had one
/// is updated at `at` and says whether it still has reactions. False when no live emoji has
/// the id.
pub async fn delete(store: &Store, id: &str, name: &str, at: i64) -> Result<bool> {
    transaction!(store, |tx| {
        let deleted = sqlx::query(
            "UPDATE emoji SET deleteat = $1, updateat = $1 WHERE id = $2 AND deleteat = 0",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if deleted > 0 {
            sqlx::query(
                "UPDATE reactions SET updateat = $1, deleteat = $1 \
                 WHERE emojiname = $2 AND COALESCE(deleteat, 0) = 0",
            )
            .bind(at)
            .bind(name)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE posts SET updateat = $1, hasreactions = EXISTS \
                   (SELECT 1 FROM reactions r WHERE r.postid = posts.id \
                    AND COALESCE(r.deleteat, 0) = 0) \
                 WHERE id IN (SELECT postid FROM reactions WHERE emojiname = $2 AND deleteat = $1)",
            )
            .bind(at)
            .bind(name)
            .execute(&mut *tx)
            .await?;
        }
        deleted > 0
    })
}

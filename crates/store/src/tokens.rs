//! Mattermost's `tokens` table: one-shot tokens (password recovery, email verification, team
//! invitations) with their type and JSON `extra`. The `token` column holds what the app hands
//! in, which is the token's hash, never the token itself.

use crate::db::{execute, read};
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub token: String,
    pub create_at: i64,
    pub kind: String,
    pub extra: String,
}

pub async fn insert(store: &Store, row: &TokenRow) -> Result<()> {
    execute!(
        store,
        "INSERT INTO tokens (token, createat, type, extra) VALUES ($1, $2, $3, $4)",
        &row.token,
        row.create_at,
        &row.kind,
        &row.extra,
    )?;
    Ok(())
}

/// A `tokens` row as read: every column but the key may be NULL in Mattermost's layout.
type Row = (String, Option<i64>, Option<String>, Option<String>);

pub async fn get(store: &Store, token: &str) -> Result<Option<TokenRow>> {
    let row: Option<Row> = read!(store, |p| sqlx::query_as(
        "SELECT token, createat, type, extra FROM tokens WHERE token = $1"
    )
    .bind(token)
    .fetch_optional(p)
    .await)?;
    Ok(row.map(|(token, create_at, kind, extra)| TokenRow {
        token,
        create_at: create_at.unwrap_or(0),
        kind: kind.unwrap_or_default(),
        extra: extra.unwrap_or_default(),
    }))
}

/// Deletes the token; false when it was already gone (used by a concurrent request), which
/// makes a token good for one use.
pub async fn take(store: &Store, token: &str) -> Result<bool> {
    Ok(execute!(store, "DELETE FROM tokens WHERE token = $1", token)? == 1)
}

/// Deletes the tokens of `kind` whose `extra` holds `needle` (a user's earlier recovery
/// tokens, as Mattermost's `InvalidatePasswordRecoveryTokensForUser`).
pub async fn delete_of_kind_containing(store: &Store, kind: &str, needle: &str) -> Result<()> {
    let pattern = format!("%{}%", crate::db::escape_like(needle));
    execute!(
        store,
        "DELETE FROM tokens WHERE type = $1 AND extra LIKE $2 ESCAPE '\\'",
        kind,
        pattern,
    )?;
    Ok(())
}

//! The `systems` key/value table (Mattermost keeps install-wide facts here).

use crate::db::{execute, read};
use crate::{Result, Store};

pub async fn get(store: &Store, name: &str) -> Result<Option<String>> {
    value(store, "SELECT value FROM systems WHERE name = $1", name).await
}

/// The cache epoch row (the outside-writes watch of the app), read by a statement of its own so the
/// every-few-seconds poll is told apart from a request's reads in the statement log.
pub async fn cache_epoch(store: &Store, name: &str) -> Result<Option<String>> {
    let sql = "SELECT value AS utmost_cache_epoch FROM systems WHERE name = $1";
    value(store, sql, name).await
}

async fn value(store: &Store, sql: &'static str, name: &str) -> Result<Option<String>> {
    let v: Option<Option<String>> = read!(store, |p| sqlx::query_scalar(sql)
        .bind(name)
        .fetch_optional(p)
        .await)?;
    Ok(v.flatten())
}

pub async fn set(store: &Store, name: &str, value: &str) -> Result<()> {
    let sql = "INSERT INTO systems (name, value) VALUES ($1, $2)
               ON CONFLICT (name) DO UPDATE SET value = excluded.value";
    execute!(store, sql, name, value)?;
    Ok(())
}

pub async fn delete(store: &Store, name: &str) -> Result<()> {
    let sql = "DELETE FROM systems WHERE name = $1";
    execute!(store, sql, name)?;
    Ok(())
}

/// Sets `name` unless it is already set; the first writer wins.
pub async fn insert_if_absent(store: &Store, name: &str, value: &str) -> Result<()> {
    let sql = "INSERT INTO systems (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
    execute!(store, sql, name, value)?;
    Ok(())
}

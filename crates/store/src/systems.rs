//! The `systems` key/value table (Mattermost keeps install-wide facts here).

use crate::db::{execute, read};
use crate::{Result, Store};

pub async fn get(store: &Store, name: &str) -> Result<Option<String>> {
    let sql = "SELECT value FROM systems WHERE name = $1";
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

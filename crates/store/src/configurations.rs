//! Mattermost's database config store (`config/database.go`): `configurations` holds every
//! saved version of the whole config JSON (`active` TRUE on the current one, NULL on the
//! others; UNIQUE(active) allows one TRUE) and `configurationfiles` the config's named files
//! (certificates). The tables are created when missing, exactly as Mattermost creates them,
//! so a Mattermost config database opens in place and Mattermost opens Utmost's.

use crate::db::{execute, read, transaction, Db};
use crate::{Result, Store};

/// Creates the two tables if they are missing (Mattermost's config migrations).
pub async fn ensure_tables(store: &Store) -> Result<()> {
    match &store.db {
        Db::Postgres(_) => {
            execute!(
                store,
                "CREATE TABLE IF NOT EXISTS configurations (
                    id varchar(26),
                    value text NOT NULL,
                    createat bigint NOT NULL,
                    active boolean DEFAULT NULL,
                    PRIMARY KEY (id),
                    UNIQUE (active)
                )"
            )?;
            execute!(
                store,
                "ALTER TABLE configurations ADD COLUMN IF NOT EXISTS sha char(64) DEFAULT ''"
            )?;
        }
        // SQLite has no ADD COLUMN IF NOT EXISTS; only Utmost creates these tables there.
        Db::Sqlite { .. } => {
            execute!(
                store,
                "CREATE TABLE IF NOT EXISTS configurations (
                    id varchar(26),
                    value text NOT NULL,
                    createat bigint NOT NULL,
                    active boolean DEFAULT NULL,
                    sha char(64) DEFAULT '',
                    PRIMARY KEY (id),
                    UNIQUE (active)
                )"
            )?;
        }
    }
    execute!(
        store,
        "CREATE TABLE IF NOT EXISTS configurationfiles (
            name varchar(64),
            data text NOT NULL,
            createat bigint NOT NULL,
            updateat bigint NOT NULL,
            PRIMARY KEY (name)
        )"
    )?;
    Ok(())
}

/// The active configuration's JSON, if any was saved.
pub async fn active(store: &Store) -> Result<Option<String>> {
    let sql = "SELECT value FROM configurations WHERE active";
    let value: Option<String> = read!(store, |p| sqlx::query_scalar(sql).fetch_optional(p).await)?;
    Ok(value)
}

/// Saves `value` as the active configuration: the old row is deactivated and a new one
/// inserted, in one transaction. Nothing is written when `value` is the active one already
/// (same SHA-256, as Mattermost compares). Returns whether a row was written.
pub async fn save(store: &Store, id: &str, value: &str, sha: &str, now: i64) -> Result<bool> {
    let sql = "SELECT sha FROM configurations WHERE active";
    let current: Option<Option<String>> =
        read!(store, |p| sqlx::query_scalar(sql).fetch_optional(p).await)?;
    if current.flatten().is_some_and(|old| old.trim() == sha) {
        return Ok(false);
    }
    transaction!(store, |tx| {
        sqlx::query("UPDATE configurations SET active = NULL WHERE active")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO configurations (id, value, createat, active, sha)
             VALUES ($1, $2, $3, TRUE, $4)",
        )
        .bind(id)
        .bind(value)
        .bind(now)
        .bind(sha)
        .execute(&mut *tx)
        .await?;
    })?;
    Ok(true)
}

/// How many configurations were saved (the history included).
pub async fn count(store: &Store) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM configurations";
    let count: i64 = read!(store, |p| sqlx::query_scalar(sql).fetch_one(p).await)?;
    Ok(count)
}

/// A configuration file's contents.
pub async fn get_file(store: &Store, name: &str) -> Result<Option<String>> {
    let sql = "SELECT data FROM configurationfiles WHERE name = $1";
    let data: Option<String> = read!(store, |p| sqlx::query_scalar(sql)
        .bind(name)
        .fetch_optional(p)
        .await)?;
    Ok(data)
}

/// Sets or replaces a configuration file.
pub async fn set_file(store: &Store, name: &str, data: &str, now: i64) -> Result<()> {
    let sql = "INSERT INTO configurationfiles (name, data, createat, updateat)
               VALUES ($1, $2, $3, $3)
               ON CONFLICT (name) DO UPDATE SET data = excluded.data, updateat = excluded.updateat";
    execute!(store, sql, name, data, now)?;
    Ok(())
}

/// Deletes a configuration file; one already gone is no error.
pub async fn delete_file(store: &Store, name: &str) -> Result<()> {
    execute!(
        store,
        "DELETE FROM configurationfiles WHERE name = $1",
        name
    )?;
    Ok(())
}

/// The names of the stored configuration files.
pub async fn file_names(store: &Store) -> Result<Vec<String>> {
    let sql = "SELECT name FROM configurationfiles ORDER BY name";
    let names: Vec<String> = read!(store, |p| sqlx::query_scalar(sql).fetch_all(p).await)?;
    Ok(names)
}

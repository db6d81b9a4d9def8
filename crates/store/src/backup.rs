//! What a backup and a restore need of the database itself: a consistent SQLite snapshot,
//! the migration version, whether a database is empty, and PostgreSQL's server version (to
//! pick a `pg_dump` that can read it). These statements differ per database by nature.

use crate::db::Db;
use crate::{Result, Store, StoreError};
use std::path::Path;

/// Writes a consistent snapshot of a SQLite database to `dest` (a new file) with
/// `VACUUM INTO` on a reader: it reads inside one read transaction, so writers carry on
/// (WAL) and the copy is whole and already compacted.
pub async fn sqlite_snapshot(store: &Store, dest: &Path) -> Result<()> {
    let Db::Sqlite { read, .. } = &store.db else {
        return Err(StoreError::Unsupported("a SQLite snapshot of PostgreSQL"));
    };
    let dest = dest
        .to_str()
        .ok_or_else(|| StoreError::Corrupt(format!("{} is not UTF-8", dest.display())))?;
    sqlx::query("VACUUM INTO $1")
        .bind(dest)
        .execute(read)
        .await?;
    Ok(())
}

const SCHEMA_VERSION: &str =
    "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM _sqlx_migrations WHERE success";

/// The highest migration applied (`_sqlx_migrations`), 0 when none is.
pub async fn schema_version(store: &Store) -> Result<i64> {
    if table_names(store)
        .await?
        .iter()
        .all(|t| t != "_sqlx_migrations")
    {
        return Ok(0);
    }
    Ok(crate::db::read!(store, |p| sqlx::query_scalar(
        SCHEMA_VERSION
    )
    .fetch_one(p)
    .await)?)
}

/// The tables of the database (of the current schema on PostgreSQL); none in a database no
/// server has started on.
pub async fn table_names(store: &Store) -> Result<Vec<String>> {
    Ok(match &store.db {
        Db::Sqlite { read, .. } => {
            sqlx::query_scalar(
                "SELECT name FROM sqlite_master
                 WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(read)
            .await?
        }
        Db::Postgres(pool) => {
            sqlx::query_scalar(
                "SELECT CAST(tablename AS TEXT) FROM pg_tables
                 WHERE schemaname = current_schema() ORDER BY tablename",
            )
            .fetch_all(pool)
            .await?
        }
    })
}

/// PostgreSQL's major version (15 for 15.4); `None` on SQLite.
pub async fn postgres_major_version(store: &Store) -> Result<Option<u32>> {
    let Db::Postgres(pool) = &store.db else {
        return Ok(None);
    };
    let number: String = sqlx::query_scalar("SHOW server_version_num")
        .fetch_one(pool)
        .await?;
    let number: u32 = number
        .parse()
        .map_err(|_| StoreError::Corrupt(format!("server_version_num {number:?}")))?;
    Ok(Some(number / 10_000))
}

/// The last migration this build carries: a backup of a later schema was made by a newer
/// Utmost and is not restored by this one.
pub fn latest_schema_version(store: &Store) -> i64 {
    let migrator = match store.kind() {
        crate::DbKind::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        crate::DbKind::Postgres => sqlx::migrate!("./migrations/postgres"),
    };
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Opens a SQLite snapshot without changing a byte of it, checks its pages and indexes
/// (`quick_check`) and returns its migration version.
pub async fn check_sqlite_snapshot(path: &Path) -> Result<i64> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let pool = sqlx::SqlitePool::connect_with(options).await?;
    let checked = async {
        let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&pool)
            .await?;
        if verdict != "ok" {
            return Err(StoreError::Corrupt(verdict));
        }
        let version: i64 = sqlx::query_scalar(SCHEMA_VERSION).fetch_one(&pool).await?;
        Ok(version)
    }
    .await;
    pool.close().await;
    checked
}

//! The baseline: single-row INSERTs straight into the same database with sqlx, with the
//! server's own connection settings (SQLite: one WAL writer connection, synchronous=NORMAL,
//! busy_timeout; PostgreSQL: a pool as large as the server's). Each INSERT is its own
//! transaction, as each created post is.

use crate::load::{self, Stats};
use crate::server::{Kind, Target};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

const CREATE: &str = "CREATE TABLE IF NOT EXISTS bench_baseline \
    (id VARCHAR(32) PRIMARY KEY, message TEXT NOT NULL)";
const INSERT: &str = "INSERT INTO bench_baseline (id, message) VALUES ($1, $2)";

/// The server's PostgreSQL pool size (SqlSettings.MaxOpenConns, default 300).
const PG_POOL: u32 = 300;

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    async fn open(target: &Target) -> anyhow::Result<Self> {
        Ok(match target.kind {
            Kind::Sqlite => {
                let options = SqliteConnectOptions::from_str(&target.database)?
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await?;
                Pool::Sqlite(pool)
            }
            Kind::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(PG_POOL)
                    .connect(&target.database)
                    .await?;
                Pool::Postgres(pool)
            }
        })
    }

    async fn execute(&self, sql: &str, binds: &[&str]) -> anyhow::Result<()> {
        match self {
            Pool::Sqlite(p) => {
                let mut q = sqlx::query(sql);
                for b in binds {
                    q = q.bind(*b);
                }
                q.execute(p).await?;
            }
            Pool::Postgres(p) => {
                let mut q = sqlx::query(sql);
                for b in binds {
                    q = q.bind(*b);
                }
                q.execute(p).await?;
            }
        }
        Ok(())
    }

    async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

pub async fn inserts(
    target: &Target,
    workers: usize,
    total: usize,
    message: &str,
) -> anyhow::Result<Stats> {
    let pool = Pool::open(target).await?;
    pool.execute(CREATE, &[]).await?;
    let (shared, message) = (pool.clone(), message.to_string());
    let stats = load::run(workers, total, move |_| {
        let (pool, message) = (shared.clone(), message.clone());
        async move {
            let id = uuid::Uuid::new_v4().simple().to_string();
            pool.execute(INSERT, &[&id, &message]).await
        }
    })
    .await;
    pool.close().await;
    stats
}

use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// SQLite gets a single-connection writer pool so writers queue in-process instead of
/// failing with SQLITE_BUSY, and a reader pool for everything else (WAL lets them run together).
#[derive(Clone)]
pub(crate) enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite` or `postgres`.
    pub driver: String,
    /// A file path (or `sqlite://` URL) for SQLite, a `postgres://` URL for PostgreSQL.
    pub data_source: String,
    pub max_connections: u32,
    pub query_timeout: Duration,
}

/// Connections of a pool: open (idle and in use), idle, and the most it may open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

#[derive(Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// The read replicas' pools and which are in rotation (see `replicas`).
    pub(crate) replicas: crate::replicas::Rotation,
}

impl Store {
    pub async fn connect(opts: &StoreOptions) -> Result<Self> {
        let db = match opts.driver.as_str() {
            "sqlite" | "sqlite3" => connect_sqlite(&opts.data_source, opts.max_connections).await?,
            "postgres" | "postgresql" => {
                let options = PgConnectOptions::from_str(&opts.data_source)?;
                let pool = PgPoolOptions::new()
                    .max_connections(opts.max_connections.max(2))
                    .acquire_timeout(opts.query_timeout)
                    .connect_with(options)
                    .await?;
                Db::Postgres(pool)
            }
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unsupported SqlSettings.DriverName {other:?} (use sqlite or postgres)"
                )))
            }
        };
        Ok(Self {
            db,
            replicas: Default::default(),
        })
    }

    pub fn kind(&self) -> DbKind {
        match self.db {
            Db::Sqlite { .. } => DbKind::Sqlite,
            Db::Postgres(_) => DbKind::Postgres,
        }
    }

    /// Applies the embedded migrations of the running database. Migrations the database has
    /// and this build does not know (a newer release migrated it: a rolling upgrade, or a
    /// rollback) are left alone rather than refused, so an older node still starts on the
    /// newer schema: migrations only add (ARCHITECTURE.md, "Invariants"; docs/upgrading.md).
    /// A known migration whose text changed is still refused (sqlx's checksum).
    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite { write, .. } => {
                let mut migrator = sqlx::migrate!("./migrations/sqlite");
                migrator.set_ignore_missing(true);
                migrator.run(write).await?
            }
            Db::Postgres(pool) => {
                let mut migrator = sqlx::migrate!("./migrations/postgres");
                migrator.set_ignore_missing(true);
                migrator.run(pool).await?
            }
        }
        Ok(())
    }

    /// Refreshes SQLite's query-planner statistics where they are missing or stale; SQLite's
    /// advice is to do so at start and then hourly. Without statistics SQLite guesses, and can
    /// guess badly: it looked a user's team memberships up through the delete-time index,
    /// reading every member of the team. PostgreSQL's autovacuum keeps its own statistics.
    pub async fn optimize(&self) -> Result<()> {
        if let Db::Sqlite { write, .. } = &self.db {
            // 0x10000: every table, not only those this connection queried; 0x02: analyse.
            sqlx::query("PRAGMA optimize=0x10002")
                .execute(write)
                .await?;
        }
        Ok(())
    }

    /// Writes and deletes a row, as Mattermost's `get_server_status` database check does.
    pub async fn health_check(&self) -> Result<()> {
        let key = format!("health_check_{}", utmost_model::new_id());
        crate::systems::set(self, &key, "ok").await?;
        crate::systems::delete(self, &key).await
    }

    /// The primary's connection pools now (both SQLite pools added up), for the metrics.
    pub fn pool_stats(&self) -> PoolStats {
        fn one<D: sqlx::Database>(pool: &sqlx::Pool<D>) -> PoolStats {
            let open = pool.size();
            let idle = u32::try_from(pool.num_idle()).unwrap_or(open).min(open);
            PoolStats {
                open,
                idle,
                max: pool.options().get_max_connections(),
            }
        }
        match &self.db {
            Db::Sqlite { read, write } => {
                let (r, w) = (one(read), one(write));
                PoolStats {
                    open: r.open + w.open,
                    idle: r.idle + w.idle,
                    max: r.max + w.max,
                }
            }
            Db::Postgres(pool) => one(pool),
        }
    }

    /// Closes every connection; used on graceful shutdown.
    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
        self.close_replicas().await;
    }
}

async fn connect_sqlite(data_source: &str, max_connections: u32) -> Result<Db> {
    let path = data_source
        .strip_prefix("sqlite://")
        .or_else(|| data_source.strip_prefix("sqlite:"))
        .unwrap_or(data_source);
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Corrupt(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await?;
    // Readers open on first use, after the migrations and `optimize` have run, so they load
    // the planner statistics; later statistics reach them as the pool renews its connections.
    let read = SqlitePoolOptions::new()
        .max_connections(max_connections.clamp(2, 16))
        .connect_lazy_with(options.read_only(true));
    Ok(Db::Sqlite { read, write })
}

/// Runs `$body` with `$pool` bound to a pool for reading, on whichever database runs.
/// The body is compiled once per database, so the same SQL and row types serve both; that is
/// why this is a macro. It evaluates to the body's value (a `Result`), so the caller's `?`
/// stays visible and nothing returns from the caller behind its back.
macro_rules! read {
    ($store:expr, |$pool:ident| $body:expr) => {
        $crate::db::timed!($crate::db::read_db!($store, |$pool| $body))
    };
}

/// [`read!`] without its timing, for a macro that times the whole of its own work
/// (`read_replica!`).
macro_rules! read_db {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite { read: $pool, .. } => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Evaluates `$body` (a `Result`) and records its duration and outcome under the store
/// function it is written in: `mattermost_db_store_time{method="posts::create"}`, and the
/// slow-call log (`utmost_metrics::StoreCall`). The series are resolved once per call site
/// (a `static` here), so a call costs a clock read and an atomic add. A function whose
/// statements run through several macros records each of them.
macro_rules! timed {
    ($body:expr) => {{
        fn here() {}
        static CALL: ::utmost_metrics::StoreCall =
            ::utmost_metrics::StoreCall::new(|| ::std::any::type_name_of_val(&here));
        let started = ::std::time::Instant::now();
        let out = $body;
        CALL.record(
            ::utmost_metrics::Outcome::succeeded(&out),
            started.elapsed(),
        );
        out
    }};
}

/// Runs `$body` inside one transaction; `$conn` is the transaction (`&mut *$conn` is an
/// executor, and a [`for_each_connection!`] trait's steps are its methods). Evaluates to
/// `Result<T, StoreError>`: the body's value after commit, or the first error, in which case
/// the transaction is rolled back when dropped. A macro because the body is compiled once per
/// database; `?` and `return` inside it leave the transaction's own async block, never the
/// caller.
///
/// On PostgreSQL a transaction that the server aborted to break a deadlock or a serialization
/// conflict runs once more: such an abort says nothing about the request, and the second run
/// meets the other transaction already committed. Write transactions take their row locks in
/// one order (channels, then a thread's root post, then other posts, then threads, then
/// channel members) so that deadlocks stay rare; this is the safety net for the rest.
/// SQLite needs neither: its single writer runs transactions one at a time.
macro_rules! transaction {
    ($store:expr, |$conn:ident| $body:expr) => {
        $crate::db::timed!(async {
            match &$store.db {
                $crate::db::Db::Sqlite { write, .. } => {
                    let mut $conn = write.begin().await?;
                    let out = $body;
                    $conn.commit().await?;
                    Ok::<_, $crate::StoreError>(out)
                }
                $crate::db::Db::Postgres(pool) => {
                    let mut retried = false;
                    loop {
                        let attempt = async {
                            let mut $conn = pool.begin().await?;
                            let out = $body;
                            $conn.commit().await?;
                            Ok::<_, $crate::StoreError>(out)
                        }
                        .await;
                        match attempt {
                            Err(e) if !retried && e.is_transient_conflict() => {
                                tracing::debug!(error = %e, "retrying an aborted transaction");
                                retried = true;
                            }
                            done => break done,
                        }
                    }
                }
            }
        }
        .await)
    };
}

/// Runs one statement with its binds on the writer and evaluates to
/// `Result<u64 /* rows affected */, sqlx::Error>`; a macro because the binds are compiled once
/// per database.
macro_rules! execute {
    ($store:expr, $sql:expr $(, $bind:expr)* $(,)?) => {
        $crate::db::timed!(match &$store.db {
            $crate::db::Db::Sqlite { write, .. } => sqlx::query($sql)
                $(.bind($bind))*
                .execute(write)
                .await
                .map(|r| r.rows_affected()),
            $crate::db::Db::Postgres(pool) => sqlx::query($sql)
                $(.bind($bind))*
                .execute(pool)
                .await
                .map(|r| r.rows_affected()),
        })
    };
}

/// Implements `$trait`, whose methods are steps of a write transaction, for both databases'
/// connections (what `&mut *tx` is inside [`transaction!`]) from one body, compiled once per
/// database like the SQL it runs. It generates items only: a step is an ordinary method
/// whose `?` returns from that method, and its callers write `tx.step(..).await?`.
macro_rules! for_each_connection {
    (impl $trait:ident { $($body:tt)* }) => {
        impl $trait for sqlx::SqliteConnection {
            $($body)*
        }
        impl $trait for sqlx::PgConnection {
            $($body)*
        }
    };
}

pub(crate) use {execute, for_each_connection, read, read_db, timed, transaction};

/// `q` with each of `binds` bound, in order. A macro, as `read!`: the query's type differs
/// per database.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                $crate::db::Bind::Str(s) => q.bind(*s),
                $crate::db::Bind::Text(t) => q.bind(t.as_str()),
                $crate::db::Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// A value bound into a query built at run time, in `$1…$N` order.
#[derive(Debug, Clone)]
pub(crate) enum Bind<'a> {
    Str(&'a str),
    /// A string the query builder made (a LIKE pattern, a copied key).
    Text(String),
    Int(i64),
}

/// Runs a SELECT built at run time with `binds`, decoding each row as `R` and mapping it to
/// `T` (the row types map their NULLable columns to the model's defaults).
pub(crate) async fn query_rows<R, T>(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<T>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
    T: From<R>,
{
    static CALL: utmost_metrics::RuntimeQuery = utmost_metrics::RuntimeQuery::new("query_rows");
    let started = std::time::Instant::now();
    let rows = read_db!(store, |p| {
        bind_all!(sqlx::query_as::<_, R>(sql), binds)
            .fetch_all(p)
            .await
    });
    CALL.record(sql, rows.is_ok(), started.elapsed());
    Ok(rows?.into_iter().map(T::from).collect())
}

/// Runs a `SELECT CAST(COUNT(*) AS BIGINT) …` built at run time with `binds`.
pub(crate) async fn count_rows(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<i64> {
    static CALL: utmost_metrics::RuntimeQuery = utmost_metrics::RuntimeQuery::new("count_rows");
    let started = std::time::Instant::now();
    let count = read_db!(store, |p| {
        bind_all!(sqlx::query_scalar::<_, i64>(sql), binds)
            .fetch_one(p)
            .await
    });
    CALL.record(sql, count.is_ok(), started.elapsed());
    Ok(count?)
}

/// `$first, $first+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `term` with the LIKE wildcards escaped, for a pattern written with `ESCAPE '\'`.
pub(crate) fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A migrated SQLite store in a fresh temporary directory, for this crate's tests.
#[cfg(test)]
pub(crate) async fn test_store() -> (Store, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("utmost-store-{}", utmost_model::new_id()));
    let store = Store::connect(&StoreOptions {
        driver: "sqlite".into(),
        data_source: dir.join("t.db").display().to_string(),
        max_connections: 2,
        query_timeout: Duration::from_secs(5),
    })
    .await
    .unwrap_or_else(|e| panic!("opening a test store: {e}"));
    store
        .migrate()
        .await
        .unwrap_or_else(|e| panic!("migrating a test store: {e}"));
    (store, dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_placeholders() {
        assert_eq!(placeholders(2, 3), "$2, $3, $4");
        assert_eq!(placeholders(1, 0), "");
    }

    /// Two transactions that lock rows `1` and `2` in opposite orders deadlock on their first
    /// run; PostgreSQL aborts one, `transaction!` runs it again, and both succeed.
    #[tokio::test]
    async fn a_deadlocked_transaction_runs_once_more() {
        let Some(url) = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        else {
            eprintln!("skipping: TEST_DATABASE_URL is unset");
            return;
        };
        let store = Store::connect(&StoreOptions {
            driver: "postgres".into(),
            data_source: url,
            max_connections: 4,
            query_timeout: Duration::from_secs(10),
        })
        .await
        .unwrap();
        let table = format!("deadlock_probe_{}", utmost_model::new_id());
        execute!(
            store,
            &format!("CREATE TABLE {table} (id INT PRIMARY KEY, n INT)")
        )
        .unwrap();
        execute!(store, &format!("INSERT INTO {table} VALUES (1, 0), (2, 0)")).unwrap();
        let update = format!("UPDATE {table} SET n = n + 1 WHERE id = $1");
        let both_hold_one = tokio::sync::Barrier::new(2);
        let attempts = std::sync::atomic::AtomicUsize::new(0);
        let one_committed = tokio::sync::Notify::new();
        let (shared, update, both_hold_one, attempts, one_committed) =
            (&store, &update, &both_hold_one, &attempts, &one_committed);
        let locking = move |first: i32, second: i32| async move {
            let done = transaction!(shared, |tx| {
                let attempt = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                // Only the first runs meet. The rerun waits for the other to commit: started
                // at once, it could take its first row before the waiting transaction does and
                // deadlock a second time, which one rerun does not cover.
                if attempt >= 2 {
                    one_committed.notified().await;
                }
                sqlx::query(update).bind(first).execute(&mut *tx).await?;
                if attempt < 2 {
                    both_hold_one.wait().await;
                }
                sqlx::query(update).bind(second).execute(&mut *tx).await?;
            });
            one_committed.notify_one();
            done
        };
        let (a, b) = tokio::join!(locking(1, 2), locking(2, 1));
        let totals: Vec<(i32,)> = read!(store, |pool| sqlx::query_as(&format!(
            "SELECT n FROM {table} ORDER BY id"
        ))
        .fetch_all(pool)
        .await)
        .unwrap();
        execute!(store, &format!("DROP TABLE {table}")).unwrap();
        assert!(a.is_ok() && b.is_ok(), "{a:?} {b:?}");
        // Two first runs and one rerun.
        assert_eq!(attempts.load(std::sync::atomic::Ordering::SeqCst), 3);
        assert_eq!(totals, vec![(2,), (2,)]);
    }

    async fn team_members_plan(pool: &SqlitePool) -> String {
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
            "EXPLAIN QUERY PLAN SELECT teamid FROM teammembers WHERE userid = 'u7' AND deleteat = 0",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; ")
    }

    #[tokio::test]
    async fn optimize_gives_sqlite_the_statistics_to_pick_the_right_index() {
        let (store, dir) = test_store().await;
        let Db::Sqlite { read, write } = &store.db else {
            unreachable!("a SQLite store")
        };
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO teammembers (teamid, userid, roles, deleteat) \
             SELECT 't1', 'u' || i, '', 0 FROM n",
        )
        .execute(write)
        .await
        .unwrap();
        // Without statistics SQLite reads the team's every member through the deleteat index.
        assert!(team_members_plan(write)
            .await
            .contains("idx_teammembers_delete_at"));
        store.optimize().await.unwrap();
        assert!(team_members_plan(write)
            .await
            .contains("idx_teammembers_user_id"));
        // The readers open lazily, after start-up's optimize, so they load the statistics too.
        let plan = team_members_plan(read).await;
        assert!(plan.contains("idx_teammembers_user_id"), "{plan}");
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A database a newer release migrated (a migration this build does not carry) still
    /// migrates: an older node restarts during a rolling upgrade. A known migration whose
    /// text differs from the applied one is still refused.
    #[tokio::test]
    async fn a_newer_schema_migrates_and_a_changed_migration_is_refused() {
        let (store, dir) = test_store().await;
        execute!(
            store,
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99999, 'from a newer release', TRUE, X'00', 0)"
        )
        .unwrap();
        store.migrate().await.expect("a newer schema migrates");
        execute!(
            store,
            "UPDATE _sqlx_migrations SET checksum = X'00' WHERE version = 1"
        )
        .unwrap();
        let refused = store
            .migrate()
            .await
            .expect_err("a changed migration is refused");
        assert!(
            matches!(
                refused,
                StoreError::Migrate(sqlx::migrate::MigrateError::VersionMismatch(1))
            ),
            "{refused}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}

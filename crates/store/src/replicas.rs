//! Read replicas (`SqlSettings.DataSourceReplicas`, `DataSourceSearchReplicas`): PostgreSQL
//! hot standbys that serve the reads which tolerate a little lag.
//!
//! The rule: [`read!`](crate::db::read) reads the primary, always, so a caller sees its own
//! writes. Only the reads written with [`read_replica!`] go to a replica: heavy read-only
//! listings and searches whose caller did not just write what they read (the post, user and
//! channel searches, the System Console's statistics). A replica is in rotation only while
//! [`Store::check_replicas`] finds it healthy: reachable, in recovery, and having replayed
//! everything the primary had written at the previous check. So a replica lags by at most
//! about one check interval (`ReplicaMonitorIntervalSeconds`), one that falls further behind
//! (replay paused or delayed, streaming cut) or dies leaves the rotation at the next check,
//! and comes back when it has caught up. A replica read that fails with a connection error
//! takes that replica out at once and runs again on the primary; with no replica healthy,
//! every read goes to the primary.

use crate::{Result, Store};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Which replicas a read may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaUse {
    /// `DataSourceReplicas`.
    General,
    /// `DataSourceSearchReplicas`, or `DataSourceReplicas` when there are none.
    Search,
}

/// Where the replicas are and how big their pools are.
#[derive(Debug, Clone, Default)]
pub struct ReplicaOptions {
    pub replicas: Vec<String>,
    pub search_replicas: Vec<String>,
    pub max_connections: u32,
    pub query_timeout: Duration,
}

/// One replica's state after a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaHealth {
    /// `host:port/database`, without credentials.
    pub name: String,
    pub healthy: bool,
    /// Why it is out of rotation (empty when healthy).
    pub reason: String,
}

/// The replicas once connected: `Store`'s one piece of state beside its primary, shared by
/// the store's clones.
pub(crate) type Rotation = Arc<std::sync::OnceLock<Replicas>>;

pub(crate) struct Replica {
    name: String,
    pool: PgPool,
    healthy: AtomicBool,
}

#[derive(Default)]
pub(crate) struct Replicas {
    general: Vec<Arc<Replica>>,
    search: Vec<Arc<Replica>>,
    next: AtomicUsize,
    /// The primary's WAL position at the previous check, which a healthy replica has replayed.
    primary_lsn: Mutex<Option<String>>,
}

impl Replicas {
    fn pick(&self, kind: ReplicaUse) -> Option<Arc<Replica>> {
        let list = match kind {
            ReplicaUse::Search if !self.search.is_empty() => &self.search,
            _ => &self.general,
        };
        let healthy: Vec<&Arc<Replica>> = list
            .iter()
            .filter(|r| r.healthy.load(Ordering::Relaxed))
            .collect();
        if healthy.is_empty() {
            return None;
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % healthy.len();
        healthy.get(i).map(|r| Arc::clone(r))
    }

    fn all(&self) -> impl Iterator<Item = &Arc<Replica>> {
        self.general.iter().chain(self.search.iter())
    }
}

/// A replica picked for one read; `failed` takes it out of rotation.
pub(crate) struct PickedReplica(Arc<Replica>);

impl PickedReplica {
    pub(crate) fn pool(&self) -> &PgPool {
        &self.0.pool
    }

    /// Whether `e` says the replica cannot serve (it is gone, shutting down or unreachable);
    /// if so it leaves the rotation until the next healthy check.
    pub(crate) fn failed(&self, e: &sqlx::Error) -> bool {
        let gone = match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // Class 57 (operator intervention, e.g. shutdown), 08 (connection exception),
            // 40001 on a standby (a conflict with recovery cancelled the query).
            sqlx::Error::Database(db) => db
                .code()
                .is_some_and(|c| c.starts_with("57") || c.starts_with("08") || c == "40001"),
            _ => false,
        };
        if gone && self.0.healthy.swap(false, Ordering::Relaxed) {
            tracing::warn!(replica = %self.0.name, error = %e,
                "a read replica failed; out of rotation, reading from the primary");
        }
        gone
    }
}

/// `host:port/database` of a PostgreSQL URL, for the logs.
fn display_name(url: &str) -> String {
    match PgConnectOptions::from_str(url) {
        Ok(o) => format!(
            "{}:{}/{}",
            o.get_host(),
            o.get_port(),
            o.get_database().unwrap_or("")
        ),
        Err(_) => "(unparsable replica URL)".into(),
    }
}

impl Store {
    /// Opens pools (lazily: a replica down at start does not stop the server) on the
    /// configured replicas. They stay out of rotation until the first [`check_replicas`]
    /// finds them healthy. Replicas need PostgreSQL; on SQLite they are ignored with a warning.
    ///
    /// [`check_replicas`]: Store::check_replicas
    pub fn connect_replicas(&self, opts: &ReplicaOptions) -> Result<()> {
        if opts.replicas.is_empty() && opts.search_replicas.is_empty() {
            return Ok(());
        }
        if self.kind() != crate::DbKind::Postgres {
            tracing::warn!("read replicas need PostgreSQL; DataSourceReplicas is ignored");
            return Ok(());
        }
        let open = |url: &String| -> Result<Arc<Replica>> {
            let options = PgConnectOptions::from_str(url)?.application_name("utmost-replica");
            let pool = PgPoolOptions::new()
                .max_connections(opts.max_connections.max(2))
                .acquire_timeout(opts.query_timeout.min(Duration::from_secs(5)))
                .connect_lazy_with(options);
            Ok(Arc::new(Replica {
                name: display_name(url),
                pool,
                healthy: AtomicBool::new(false),
            }))
        };
        let replicas = Replicas {
            general: opts.replicas.iter().map(open).collect::<Result<_>>()?,
            search: opts
                .search_replicas
                .iter()
                .map(open)
                .collect::<Result<_>>()?,
            ..Replicas::default()
        };
        if self.replicas.set(replicas).is_err() {
            tracing::warn!("the read replicas were already connected");
        }
        Ok(())
    }

    /// A healthy replica for a read of `kind`, if any.
    pub(crate) fn replica(&self, kind: ReplicaUse) -> Option<PickedReplica> {
        self.replicas.get()?.pick(kind).map(PickedReplica)
    }

    /// How many replicas are in rotation now.
    pub fn replicas_in_rotation(&self) -> usize {
        self.replicas.get().map_or(0, |r| {
            r.all()
                .filter(|replica| replica.healthy.load(Ordering::Relaxed))
                .count()
        })
    }

    /// Connections open to the read replicas (general and search), for the metrics.
    pub fn replica_connections(&self) -> u32 {
        self.replicas
            .get()
            .map_or(0, |r| r.all().map(|replica| replica.pool.size()).sum())
    }

    /// Whether replicas are configured (and the database is PostgreSQL).
    pub fn has_replicas(&self) -> bool {
        self.replicas.get().is_some()
    }

    /// Checks every replica and puts each in or out of rotation; returns their states, and
    /// logs each change. A replica is healthy when it answers within `timeout`, is in
    /// recovery, and has replayed the primary's WAL position of the previous check.
    pub async fn check_replicas(&self, timeout: Duration) -> Result<Vec<ReplicaHealth>> {
        let Some(replicas) = self.replicas.get() else {
            return Ok(Vec::new());
        };
        let crate::db::Db::Postgres(primary) = &self.db else {
            return Ok(Vec::new());
        };
        let primary_now: String = sqlx::query_scalar("SELECT CAST(pg_current_wal_lsn() AS TEXT)")
            .fetch_one(primary)
            .await?;
        let wanted = replicas
            .primary_lsn
            .lock()
            .ok()
            .and_then(|mut seen| seen.replace(primary_now.clone()))
            .unwrap_or(primary_now);
        let mut states = Vec::new();
        for replica in replicas.all() {
            let reason =
                match tokio::time::timeout(timeout, replica_state(&replica.pool, &wanted)).await {
                    Err(_) => "no answer within the check's timeout".to_string(),
                    Ok(Err(e)) => format!("unreachable: {e}"),
                    Ok(Ok((false, _))) => "not in recovery (not a standby)".to_string(),
                    Ok(Ok((true, behind))) if behind > 0 => {
                        format!("{behind} bytes of WAL behind the primary's previous position")
                    }
                    Ok(Ok(_)) => String::new(),
                };
            let healthy = reason.is_empty();
            let was = replica.healthy.swap(healthy, Ordering::Relaxed);
            if was != healthy {
                if healthy {
                    tracing::info!(replica = %replica.name, "read replica healthy; in rotation");
                } else {
                    tracing::warn!(replica = %replica.name, %reason,
                        "read replica out of rotation");
                }
            }
            states.push(ReplicaHealth {
                name: replica.name.clone(),
                healthy,
                reason,
            });
        }
        Ok(states)
    }

    /// Runs a `ReplicaLagSettings` query on `data_source` (rows of node, value), for the
    /// lag the operator asked to watch. The connection is opened for the query and closed.
    pub async fn replica_lag_query(data_source: &str, sql: &str) -> Result<Vec<(String, f64)>> {
        use sqlx::Connection;
        let mut conn =
            sqlx::PgConnection::connect_with(&PgConnectOptions::from_str(data_source)?).await?;
        // Whatever types the query returns (`pg_wal_lsn_diff` gives numeric), read as text
        // and double precision.
        let wrapped = format!(
            "SELECT CAST(t.node AS TEXT), CAST(t.lag AS DOUBLE PRECISION) FROM ({}) AS t(node, lag)",
            sql.trim().trim_end_matches(';')
        );
        let rows: std::result::Result<Vec<(Option<String>, Option<f64>)>, _> =
            sqlx::query_as(&wrapped).fetch_all(&mut conn).await;
        let _ = conn.close().await;
        let out = rows?
            .into_iter()
            .map(|(node, lag)| (node.unwrap_or_default(), lag.unwrap_or(f64::NAN)))
            .collect();
        Ok(out)
    }

    /// Closes the replicas' pools (with the primary's, at shutdown).
    pub(crate) async fn close_replicas(&self) {
        if let Some(replicas) = self.replicas.get() {
            for replica in replicas.all() {
                replica.pool.close().await;
            }
        }
    }
}

/// Whether the replica is in recovery, and how many bytes of WAL it has still to replay to
/// reach `wanted`.
async fn replica_state(
    pool: &PgPool,
    wanted: &str,
) -> std::result::Result<(bool, i64), sqlx::Error> {
    sqlx::query_as(
        "SELECT pg_is_in_recovery(), \
         COALESCE(CAST(pg_wal_lsn_diff(CAST($1 AS pg_lsn), pg_last_wal_replay_lsn()) AS BIGINT), 0)",
    )
    .bind(wanted)
    .fetch_one(pool)
    .await
}

/// Runs `$body` with `$pool` bound to a healthy replica's pool when the store has one for
/// `$kind`, else to the primary, as [`read!`](crate::db::read) does. The body must evaluate to
/// `Result<_, sqlx::Error>`; when the replica fails with a connection error, the replica
/// leaves the rotation and the body runs again on the primary. For reads that tolerate lag
/// only (see the module's rule).
macro_rules! read_replica {
    ($store:expr, $kind:expr, |$pool:ident| $body:expr) => {
        $crate::db::timed!(match $store.replica($kind) {
            Some(replica) => {
                let first = {
                    let $pool = replica.pool();
                    $body
                };
                match first {
                    Err(e) if replica.failed(&e) => $crate::db::read_db!($store, |$pool| $body),
                    done => done,
                }
            }
            None => $crate::db::read_db!($store, |$pool| $body),
        })
    };
}

// For the store modules whose reads tolerate lag (see the module's rule).
#[allow(unused_imports)]
pub(crate) use read_replica;

/// [`query_rows`](crate::db::query_rows) on a healthy replica for `kind`, else the primary.
pub(crate) async fn query_rows_replica<R, T>(
    store: &Store,
    kind: ReplicaUse,
    sql: &str,
    binds: &[crate::db::Bind<'_>],
) -> Result<Vec<T>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
    T: From<R>,
{
    let rows: Vec<R> = read_replica!(store, kind, |p| {
        crate::db::bind_all!(sqlx::query_as::<_, R>(sql), binds)
            .fetch_all(p)
            .await
    })?;
    Ok(rows.into_iter().map(T::from).collect())
}

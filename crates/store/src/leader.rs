//! The leader lock: one node of a cluster at a time holds it and runs the schedulers.
//!
//! On PostgreSQL it is a session advisory lock taken on a connection of its own, outside the
//! pool: PostgreSQL releases it when that session ends, so a node that dies, or whose
//! connection is cut (`pg_terminate_backend`, a network failure), loses it at once and
//! another node's next try takes it. Advisory locks live in their database, so two
//! installations on one server do not share a leader. On SQLite there is one node, which
//! always leads.

use crate::db::Db;
use crate::{Result, Store};
use sqlx::{Connection, PgConnection};
use std::time::{Duration, Instant};

/// The advisory lock's key ("utmost-leader"); an application-chosen 64-bit number.
const LEADER_LOCK: i64 = 0x7574_6d6c_6561_6472;

/// How long a try or a check may take before the connection is given up as dead.
const STATEMENT_BOUND: Duration = Duration::from_secs(5);

/// How long the lock's session may stay idle before the server ends it (and drops the lock):
/// the holder's checks, every couple of seconds, keep it well inside this.
const SESSION_IDLE_LIMIT: Duration = Duration::from_secs(20);

/// How long a node that lost the lock with its session waits before trying again.
const QUIET_AFTER_LOSS: Duration = Duration::from_secs(5);

/// One node's claim on the leader lock.
pub struct LeaderLock {
    store: Store,
    /// The dedicated session; `None` until connected or after it failed.
    conn: Option<PgConnection>,
    held: bool,
    /// After losing the lock to a failed session, no try before this: the other nodes get
    /// the first go, so a node with a flaky connection does not win the lock straight back.
    quiet_until: Option<Instant>,
}

impl LeaderLock {
    pub fn new(store: &Store) -> Self {
        Self {
            store: store.clone(),
            conn: None,
            held: false,
            quiet_until: None,
        }
    }

    /// Tries to take the lock, or, when held, checks that its session is still alive.
    /// Returns whether this node holds it now. A failed session is dropped (the lock with
    /// it) and `false` returned; the next call connects again.
    pub async fn try_hold(&mut self) -> bool {
        let Db::Postgres(pool) = &self.store.db else {
            return true;
        };
        if self.quiet_until.is_some_and(|until| Instant::now() < until) {
            return false;
        }
        let outcome = tokio::time::timeout(STATEMENT_BOUND, async {
            if self.conn.is_none() {
                let options = pool.connect_options().as_ref().clone();
                let options = options.application_name("utmost-leader-lock");
                let mut conn = PgConnection::connect_with(&options).await?;
                // A node cut off without a word (a silent network partition) would keep the
                // lock until the server's TCP keepalive noticed, hours later; an idle session
                // ends after SESSION_IDLE_LIMIT instead (PostgreSQL 14 and later; an older
                // server refuses the setting and keeps the default).
                let limit = format!(
                    "SET idle_session_timeout = '{}s'",
                    SESSION_IDLE_LIMIT.as_secs()
                );
                if let Err(e) = sqlx::query(&limit).execute(&mut conn).await {
                    tracing::debug!(error = %e, "idle_session_timeout is not available");
                }
                self.conn = Some(conn);
            }
            let Some(conn) = self.conn.as_mut() else {
                return Ok(false);
            };
            if self.held {
                // Still ours while our session lives; ask the server, not our memory.
                sqlx::query_scalar::<_, bool>(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                     AND pid = pg_backend_pid() AND granted \
                     AND ((CAST(classid AS BIGINT) << 32) | CAST(objid AS BIGINT)) = $1)",
                )
                .bind(LEADER_LOCK)
                .fetch_one(&mut *conn)
                .await
            } else {
                sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
                    .bind(LEADER_LOCK)
                    .fetch_one(&mut *conn)
                    .await
            }
        })
        .await;
        let failure = match outcome {
            Ok(Ok(held)) => {
                self.held = held;
                return held;
            }
            Ok(Err(e)) => e.to_string(),
            Err(_) => "no answer in time".to_string(),
        };
        if self.held {
            tracing::warn!(error = %failure, "the leader lock's connection failed");
            self.quiet_until = Some(Instant::now() + QUIET_AFTER_LOSS);
        } else {
            tracing::debug!(error = %failure, "the leader lock's connection failed");
        }
        self.conn = None;
        self.held = false;
        false
    }

    /// Lets the lock go (at shutdown), so another node takes over at its next try.
    pub async fn release(&mut self) -> Result<()> {
        self.held = false;
        if let Some(conn) = self.conn.take() {
            let _ = tokio::time::timeout(STATEMENT_BOUND, conn.close()).await;
        }
        Ok(())
    }
}

//! The `cluster publisher` service: sends this node's events to Redis one at a time, in the
//! order they were numbered, and every [`HEARTBEAT`] the heartbeat (the last number handled)
//! and this node's [`ClusterInfo`] under its expiring key.
//!
//! Redis unreachable: the event in hand is dropped and counted (its number is skipped, which
//! the other nodes see), the node keeps serving, and the connection is tried again at most
//! once per heartbeat; the queue in front is bounded, so a publisher never waits on Redis.

use super::{Cluster, ClusterInfo, Outgoing, HEARTBEAT, NODE_TTL_SECONDS};
use crate::services::{Run, Service, Stop};
use crate::App;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// How long one Redis command or connection attempt may take.
const REDIS_TIMEOUT: Duration = Duration::from_millis(1500);

pub(crate) struct Publisher {
    pub cluster: Arc<Cluster>,
    pub app: Weak<App>,
    pub queue: mpsc::Receiver<Outgoing>,
}

/// The connection, made when first needed and again after a failure.
struct Link {
    cluster: Arc<Cluster>,
    conn: Option<ConnectionManager>,
    /// No new attempt before this.
    next_attempt: Instant,
    /// Since when Redis is unreachable (logged once per outage).
    down_since: Option<Instant>,
}

impl Link {
    async fn connection(&mut self) -> Option<ConnectionManager> {
        if let Some(conn) = &self.conn {
            return Some(conn.clone());
        }
        if Instant::now() < self.next_attempt {
            return None;
        }
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let made = tokio::time::timeout(
            REDIS_TIMEOUT * 2,
            self.cluster
                .client
                .get_connection_manager_with_config(config),
        )
        .await;
        match made {
            Ok(Ok(conn)) => {
                self.conn = Some(conn.clone());
                Some(conn)
            }
            Ok(Err(e)) => {
                self.failed(&e.to_string());
                None
            }
            Err(_) => {
                self.failed("connecting timed out");
                None
            }
        }
    }

    fn failed(&mut self, error: &str) {
        self.conn = None;
        self.next_attempt = Instant::now() + HEARTBEAT;
        if self.down_since.is_none() {
            self.down_since = Some(Instant::now());
            tracing::error!(
                error,
                "cluster bus: Redis is unreachable; this node serves on alone and tries again"
            );
        }
    }

    fn succeeded(&mut self) {
        if let Some(since) = self.down_since.take() {
            tracing::info!(
                down_ms = u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX),
                dropped = self.cluster.dropped.load(Ordering::Relaxed),
                "cluster bus: Redis is reachable again"
            );
        }
    }

    /// Runs `cmd` on the connection; false if Redis could not be reached or refused it.
    async fn run(&mut self, cmd: &redis::Cmd) -> bool {
        let Some(mut conn) = self.connection().await else {
            return false;
        };
        match tokio::time::timeout(REDIS_TIMEOUT * 2, cmd.query_async::<()>(&mut conn)).await {
            Ok(Ok(())) => {
                self.succeeded();
                true
            }
            Ok(Err(e)) => {
                self.failed(&e.to_string());
                false
            }
            Err(_) => {
                self.failed("the command timed out");
                false
            }
        }
    }
}

impl Service for Publisher {
    fn name(&self) -> &'static str {
        "cluster publisher"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let Publisher {
                cluster,
                app,
                mut queue,
            } = *self;
            let channel = cluster.channel();
            let key = cluster.node_key(&cluster.node_id);
            let mut link = Link {
                cluster: cluster.clone(),
                conn: None,
                next_attempt: Instant::now(),
                down_since: None,
            };
            let mut info = cluster.info.clone();
            if let Some(app) = app.upgrade() {
                info.schema_version = utmost_store::backup::schema_version(&app.store)
                    .await
                    .map(|v| v.to_string())
                    .unwrap_or_default();
            }
            cluster.publishing.store(true, Ordering::Release);
            let mut last_seq = 0;
            let mut tick = tokio::time::interval(HEARTBEAT);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    () = stop.requested() => break,
                    item = queue.recv() => {
                        let Some(item) = item else { break };
                        last_seq = item.seq;
                        let publish = redis::cmd("PUBLISH").arg(&channel).arg(&item.payload).clone();
                        if !link.run(&publish).await {
                            cluster.dropped.fetch_add(1, Ordering::Relaxed);
                        }
                        cluster.handled.send_replace(item.seq);
                    }
                    _ = tick.tick() => {
                        let heartbeat = cluster.heartbeat_payload(last_seq);
                        link.run(redis::cmd("PUBLISH").arg(&channel).arg(heartbeat)).await;
                        if let Some(app) = app.upgrade() {
                            info.config_hash = app.config_hash().to_string();
                        }
                        announce(&mut link, &key, &info).await;
                    }
                }
            }
            cluster.publishing.store(false, Ordering::Release);
            // What was queued before the stop still goes out (bounded by the service's
            // stop bound), then this node leaves `/cluster/status` at once.
            while let Ok(item) = queue.try_recv() {
                let publish = redis::cmd("PUBLISH")
                    .arg(&channel)
                    .arg(&item.payload)
                    .clone();
                if !link.run(&publish).await {
                    break;
                }
                cluster.handled.send_replace(item.seq);
            }
            link.run(redis::cmd("DEL").arg(&key)).await;
        })
    }
}

/// Writes this node's info under its key, expiring after [`NODE_TTL_SECONDS`].
async fn announce(link: &mut Link, key: &str, info: &ClusterInfo) {
    let Ok(json) = serde_json::to_string(info) else {
        return;
    };
    link.run(
        redis::cmd("SET")
            .arg(key)
            .arg(json)
            .arg("EX")
            .arg(NODE_TTL_SECONDS),
    )
    .await;
}

//! The `replica monitor` service: every `SqlSettings.ReplicaMonitorIntervalSeconds` it checks
//! the read replicas, putting each in or out of rotation (`store::replicas`), and runs the
//! `ReplicaLagSettings` queries, logging the lag they report. Each node checks its own pools.

use crate::services::{Run, Service, Stop};
use crate::App;
use std::sync::Weak;
use std::time::Duration;

/// The check interval in force (at least a second).
pub(crate) fn interval(app: &App) -> Duration {
    let seconds = app.config().sql_settings.replica_monitor_interval_seconds;
    Duration::from_secs(u64::try_from(seconds).unwrap_or(5).max(1))
}

/// Checks the replicas once and runs the lag queries.
pub(crate) async fn check(app: &App) {
    // A replica that does not answer within this is out; a long interval does not make a
    // hung replica hold the check.
    let timeout = interval(app).clamp(Duration::from_secs(2), Duration::from_secs(10));
    if let Err(e) = app.store.check_replicas(timeout).await {
        tracing::error!(error = %e, "checking the read replicas failed");
    }
    let config = app.config();
    for lag in &config.sql_settings.replica_lag_settings {
        for (what, sql) in [
            ("absolute", &lag.query_absolute_lag),
            ("time", &lag.query_time_lag),
        ] {
            if sql.is_empty() {
                continue;
            }
            match utmost_store::Store::replica_lag_query(&lag.data_source, sql).await {
                Ok(rows) => {
                    for (node, value) in rows {
                        tracing::debug!(node, value, what, "replica lag");
                    }
                }
                Err(e) => tracing::warn!(error = %e, what, "a ReplicaLagSettings query failed"),
            }
        }
    }
}

pub(crate) struct ReplicaMonitor {
    pub app: Weak<App>,
}

impl Service for ReplicaMonitor {
    fn name(&self) -> &'static str {
        "replica monitor"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            loop {
                let Some(period) = self.app.upgrade().map(|app| interval(&app)) else {
                    return;
                };
                tokio::select! {
                    () = stop.requested() => return,
                    () = tokio::time::sleep(period) => {}
                }
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                check(&app).await;
            }
        })
    }
}

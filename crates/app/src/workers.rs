//! The app's own background workers, each a `Service`: presence and the status sweep, and the
//! database's statistics. They hold the app weakly, so an app dropped without a shutdown
//! (tests) ends them too.

use crate::services::{Run, Service, Stop};
use crate::{realtime, status, App};
use std::sync::Weak;
use std::time::Duration;
use tokio::sync::mpsc;

/// Applies presence changes from the hub and runs the away/DND sweep.
pub(crate) struct Presence {
    pub app: Weak<App>,
    pub changes: mpsc::Receiver<realtime::Presence>,
}

impl Service for Presence {
    fn name(&self) -> &'static str {
        "presence"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        let Presence { app, mut changes } = *self;
        Box::pin(async move {
            let mut sweep = tokio::time::interval(Duration::from_secs(30));
            loop {
                tokio::select! {
                    () = stop.requested() => break,
                    change = changes.recv() => {
                        let Some(change) = change else { return };
                        apply(&app, change).await;
                    }
                    _ = sweep.tick() => {
                        let Some(app) = app.upgrade() else { return };
                        if let Err(e) = status::sweep(&app).await {
                            tracing::error!(error = %e, "status sweep failed");
                        }
                    }
                }
            }
            // What the hub reported while stopping (the users whose sockets it closed went
            // offline) is written, so the status table holds no stale "online".
            while let Ok(change) = changes.try_recv() {
                apply(&app, change).await;
            }
        })
    }
}

async fn apply(app: &Weak<App>, change: realtime::Presence) {
    let Some(app) = app.upgrade() else { return };
    if let Err(e) = status::on_presence(&app, change).await {
        tracing::error!(error = %e, "updating presence failed");
    }
}

/// Refreshes the database's planner statistics every hour, as SQLite advises.
pub(crate) struct StoreMaintenance {
    pub app: Weak<App>,
}

impl Service for StoreMaintenance {
    fn name(&self) -> &'static str {
        "database maintenance"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut hourly = tokio::time::interval(Duration::from_secs(3600));
            hourly.tick().await; // the first tick is immediate; start-up has just optimised
            loop {
                tokio::select! {
                    () = stop.requested() => return,
                    _ = hourly.tick() => {
                        let Some(app) = self.app.upgrade() else { return };
                        if let Err(e) = app.store.optimize().await {
                            tracing::error!(error = %e, "refreshing the database statistics failed");
                        }
                    }
                }
            }
        })
    }
}

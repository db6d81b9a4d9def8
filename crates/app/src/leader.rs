//! Leader election: of the nodes sharing one PostgreSQL database, one at a time is the
//! leader and runs the leader-only services (the schedulers, and the sweeps that would do
//! their work twice; ARCHITECTURE.md lists which and why).
//!
//! The leader is whichever node holds the database's leader lock (`store::leader`, a session
//! advisory lock on a connection of its own). The `leader election` service tries to take it
//! every `ELECT_EVERY`; the leader checks as often that its session is alive. When the leader
//! stops it lets the lock go; when it dies or loses its connection, PostgreSQL ends the
//! session and the lock with it. Either way another node holds it at its next try, within
//! `ELECT_EVERY`. A leader cut off from the database notices at its next check and stops
//! leading, so two nodes can both believe they lead for at most `ELECT_EVERY`; the
//! schedulers tolerate that, since each looks at what the database already holds (the
//! newest job of its type) before creating anything. On SQLite the one node always leads.
//!
//! A leader-only service keeps running everywhere and does its work only on the ticks
//! when `App::is_leader` holds (`Ticks::next_led`), so a change of leader needs no restart
//! of anything.

use crate::services::{Run, Service, Stop};
use crate::App;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Weak;
use std::time::Duration;
use utmost_store::leader::LeaderLock;

/// How often a node tries to take the lock, and the leader checks it still holds it.
pub const ELECT_EVERY: Duration = Duration::from_secs(2);

/// Whether this node leads; written by the election only.
#[derive(Default)]
pub struct Leadership(AtomicBool);

impl Leadership {
    pub(crate) fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Records the outcome of a try and logs a change.
    fn set(&self, leading: bool) {
        let was = self.0.swap(leading, Ordering::Relaxed);
        if was != leading {
            if leading {
                tracing::info!("this node is now the cluster leader");
            } else {
                tracing::warn!("this node is no longer the cluster leader");
            }
        }
    }
}

/// The first try, at start, so the services start knowing whether they lead.
pub(crate) async fn first_try(app: &App) -> LeaderLock {
    let mut lock = LeaderLock::new(&app.store);
    app.leadership.set(lock.try_hold().await);
    lock
}

/// The `leader election` service: tries (or checks) the lock every `ELECT_EVERY`, and lets
/// it go when stopped. Started before the leader-only services, so it stops after them.
pub(crate) struct Election {
    pub app: Weak<App>,
    pub lock: LeaderLock,
}

impl Service for Election {
    fn name(&self) -> &'static str {
        "leader election"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        let Election { app, mut lock } = *self;
        Box::pin(async move {
            let mut tick = tokio::time::interval(ELECT_EVERY);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            tick.tick().await; // the first tick is immediate; `first_try` has just tried
            loop {
                tokio::select! {
                    () = stop.requested() => break,
                    _ = tick.tick() => {}
                }
                let held = lock.try_hold().await;
                let Some(app) = app.upgrade() else { break };
                app.leadership.set(held);
            }
            if let Some(app) = app.upgrade() {
                app.leadership.0.store(false, Ordering::Relaxed);
            }
            let _ = lock.release().await;
            tracing::info!("the leader lock is released");
        })
    }
}

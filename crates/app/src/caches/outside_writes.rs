//! Writes another process makes to the same database reach a running server's caches.
//!
//! The admin commands of `utmost` open the database directly, like mmctl's local mode, and
//! publish their events on a bus of their own that no server hears. So such a process adds
//! [`Announce`] to its bus: after each committed event it changes one `systems` row. Every
//! server runs [`Watch`], which reads that row every [`POLL`] and, when it changed, empties
//! its caches; the next requests read the database again. A user deactivated or a session
//! revoked from the command line is therefore refused by a running server within seconds,
//! and its open WebSockets close then too (`close_ended_sockets`).

use crate::bus::{BoxFuture, Event, Subscriber};
use crate::services::{Run, Service, Stop};
use crate::App;
use std::sync::Weak;
use std::time::Duration;
use utmost_store::systems;

/// The `systems` row whose value changes after every announced write.
pub const EPOCH: &str = "UtmostCacheEpoch";
/// How often a server looks at the row: the longest a change made elsewhere stays unseen.
pub const POLL: Duration = Duration::from_secs(2);

/// Announces every committed event of this process to the servers on the same database.
pub struct Announce;

impl Subscriber for Announce {
    fn name(&self) -> &'static str {
        "announce to running servers"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if matches!(event, Event::Typing { .. }) {
                return; // nothing was written
            }
            let epoch = utmost_model::new_id();
            if let Err(e) = systems::set(&app.store, EPOCH, &epoch).await {
                tracing::error!(error = %e, "announcing a change to running servers failed");
            }
        })
    }
}

/// Empties the caches when another process announced a write.
pub(crate) struct Watch {
    pub app: Weak<App>,
}

impl Service for Watch {
    fn name(&self) -> &'static str {
        "outside writes"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut seen = None;
            let mut poll = tokio::time::interval(POLL);
            loop {
                tokio::select! {
                    () = stop.requested() => return,
                    _ = poll.tick() => {}
                }
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                let epoch = match systems::cache_epoch(&app.store, EPOCH).await {
                    Ok(epoch) => epoch,
                    Err(e) => {
                        tracing::error!(error = %e, "reading the outside-writes epoch failed");
                        continue;
                    }
                };
                // The first read only learns where things stand: the caches start empty.
                if seen.as_ref().is_some_and(|seen| *seen != epoch) {
                    tracing::info!("another process wrote to the database; the caches start over");
                    app.caches.clear();
                    // A user deactivated or a session revoked there: its sockets close here.
                    if let Err(e) = close_ended_sockets(&app).await {
                        tracing::error!(error = %e, "checking the sockets' sessions failed");
                    }
                    // An import may have changed roles' permissions too.
                    if let Err(e) = crate::roles::reload(&app).await {
                        tracing::error!(error = %e, "reloading the roles failed");
                    }
                }
                seen = Some(epoch);
            }
        })
    }
}

/// Sessions looked up per query.
const SESSIONS_PER_QUERY: usize = 500;

/// Closes the sockets whose session is gone from the database (another process revoked it
/// or deactivated its user): the hub hears of this process's revokes only.
async fn close_ended_sockets(app: &App) -> crate::AppResult<()> {
    let open = app.hub.sessions().await;
    for chunk in open.chunks(SESSIONS_PER_QUERY) {
        let ids: Vec<String> = chunk.iter().map(|(_, session)| session.clone()).collect();
        let live = utmost_store::sessions::existing(&app.store, &ids).await?;
        for (user_id, session_id) in chunk.iter().filter(|(_, s)| !live.contains(s)) {
            tracing::info!(%user_id, "session ended by another process; its socket closes");
            app.hub.close_session(user_id, session_id).await;
        }
    }
    Ok(())
}

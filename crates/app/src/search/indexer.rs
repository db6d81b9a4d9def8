//! The `search indexer` service: keeps the index in step with the `posts` table.
//!
//! The database is the only source: a post event only wakes the indexer, which reads every
//! post changed since its watermark, in bounded batches ordered by (update time, id), and
//! commits each batch with the new watermark. A crash loses at most an uncommitted batch,
//! which the next start reads again; nothing is indexed twice in a way that matters, since a
//! document replaces the one of its id.
//!
//! A transaction may commit after a later one (its update time was taken before it began),
//! so each pass reads again the last `LAG` before the watermark, and every `SWEEP_EVERY`
//! (and at start) the last `SWEEP_LAG`; posts already indexed at the same update time are
//! skipped, so a re-read costs a query, not a commit.

use super::index::{IndexError, IndexedPost, Watermark, WrittenIndex};
use crate::services::{Run, Service, Stop};
use crate::App;
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use utmost_store::search::{posts_by_ids, posts_changed_after, ChangedPost};

/// Posts read and committed at a time.
pub const BATCH: i64 = 2_000;
/// How far behind the watermark every pass looks again.
const LAG: i64 = 5_000;
/// How far behind the watermark a sweep (and the first pass) looks again.
const SWEEP_LAG: i64 = 5 * 60_000;
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// How long a wake-up waits for more changes to come, so a burst is one commit.
const GATHER: Duration = Duration::from_millis(20);
/// A pass runs at least this often even with no event (writes by another process).
const POLL: Duration = Duration::from_secs(2);
/// After a failure, how long before the next attempt.
const RETRY: Duration = Duration::from_secs(5);

/// Most back-dated posts waiting; past it they are found only once the index is rebuilt
/// (docs/search.md), which a bulk import of old posts should do anyway.
const MAX_BACKDATED: usize = 10_000;

pub struct Indexer {
    pub app: Weak<App>,
    pub index: Arc<dyn WrittenIndex>,
    pub wake: Arc<Notify>,
    pub backdated: Arc<Backdated>,
    /// Shared with `rebuild`, which holds it for its whole run: one writer at a time, and
    /// the pass after a rebuild starts from where the rebuild's last commit left the index.
    pub state: Arc<tokio::sync::Mutex<State>>,
}

/// Ids of new posts whose update time is already older than a pass looks back: the
/// watermark walk would never reach them, so they are indexed by id.
#[derive(Default)]
pub struct Backdated(std::sync::Mutex<Vec<String>>);

impl Backdated {
    pub(crate) fn note(&self, post: &utmost_model::post::Post) {
        let horizon = utmost_model::time::now_millis() - LAG;
        if post.update_at >= horizon {
            return;
        }
        if let Ok(mut ids) = self.0.lock() {
            if ids.len() < MAX_BACKDATED {
                ids.push(post.id.clone());
            } else {
                tracing::warn!(post_id = %post.id, "too many back-dated posts waiting; this one is searchable only after the index is rebuilt");
            }
        }
    }

    fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut ids| std::mem::take(&mut *ids))
            .unwrap_or_default()
    }
}

impl Service for Indexer {
    fn name(&self) -> &'static str {
        "search indexer"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut last_sweep: Option<Instant> = None;
            loop {
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                if !app.config().bleve_settings.enable_indexing {
                    drop(app);
                    tokio::select! {
                        _ = stop.requested() => return,
                        _ = tokio::time::sleep(POLL) => continue,
                    }
                }
                let sweep = last_sweep.is_none_or(|at| at.elapsed() >= SWEEP_EVERY);
                let mut state = self.state.lock().await;
                let until = |_| stop.is_requested();
                let pass = state.catch_up(&app, &self.index, &self.backdated, sweep, &until);
                let outcome = pass.await;
                drop(state);
                let pause = match outcome {
                    Ok(_) => {
                        if sweep {
                            last_sweep = Some(Instant::now());
                        }
                        POLL
                    }
                    // Another process (a server, or an admin command that started first) writes
                    // the index; this one tries again later, in case that process ends.
                    Err(Failure::Locked) => {
                        tracing::info!("the search index is held by another process; waiting");
                        RETRY
                    }
                    Err(Failure::Other(e)) => {
                        tracing::error!(error = %e, "search indexing failed; retrying");
                        RETRY
                    }
                };
                drop(app);
                tokio::select! {
                    _ = stop.requested() => return,
                    _ = self.wake.notified() => tokio::time::sleep(GATHER).await,
                    _ = tokio::time::sleep(pause) => {}
                }
            }
        })
    }
}

enum Failure {
    Locked,
    Other(String),
}

impl From<IndexError> for Failure {
    fn from(e: IndexError) -> Self {
        match e {
            IndexError::Locked => Failure::Locked,
            e => Failure::Other(e.to_string()),
        }
    }
}

/// Empties the index and indexes every post again (`utmost search reindex`, the
/// `bleve_post_indexing` job): the number of posts indexed. `until` is asked after each
/// committed batch, with the count so far, whether to stop there; the indexer then goes on
/// from that batch. The indexer waits meanwhile. An engine without an index of its own has
/// nothing to rebuild. The index must not be held by another process.
pub async fn rebuild(
    app: &App,
    until: &(dyn Fn(usize) -> bool + Sync),
) -> Result<usize, IndexError> {
    let Some(index) = app.search.written.clone() else {
        return Ok(0);
    };
    let mut state = app.search.state.lock().await;
    *state = State::default();
    let cleared = index.clone();
    match tokio::task::spawn_blocking(move || cleared.clear()).await {
        Ok(result) => result?,
        Err(e) => return Err(IndexError::Engine(e.to_string())),
    }
    state
        .catch_up(app, &index, &app.search.backdated, false, until)
        .await
        .map_err(|failure| match failure {
            Failure::Locked => IndexError::Locked,
            Failure::Other(cause) => IndexError::Engine(cause),
        })
}

/// What the indexer knows between passes.
#[derive(Default)]
pub struct State {
    /// The last committed watermark; read from the index on the first pass.
    watermark: Option<Watermark>,
    /// Posts indexed within the look-back window, with the update time indexed.
    recent: HashMap<String, i64>,
}

impl State {
    /// Indexes everything changed since the watermark (less the look-back), batch by batch,
    /// until `until` (asked after each commit with the count so far) says to stop.
    async fn catch_up(
        &mut self,
        app: &App,
        index: &Arc<dyn WrittenIndex>,
        backdated: &Backdated,
        sweep: bool,
        until: &(dyn Fn(usize) -> bool + Sync),
    ) -> Result<usize, Failure> {
        let mut indexed_count = 0;
        let mark = match &self.watermark {
            Some(mark) => mark.clone(),
            None => {
                let index = index.clone();
                blocking(move || index.watermark())
                    .await?
                    .unwrap_or_default()
            }
        };
        let look_back = if sweep { SWEEP_LAG } else { LAG };
        let mut cursor = (mark.update_at.saturating_sub(look_back), String::new());
        let mut newest = mark;
        loop {
            let rows = posts_changed_after(&app.store, cursor.0, &cursor.1, BATCH)
                .await
                .map_err(|e| Failure::Other(e.to_string()))?;
            let full = rows.len() as i64 == BATCH;
            // Taken after the read: a back-dated post noted before a change this read saw
            // lands in the same commit, so what a search finds is never older than it.
            let mut changed = backdated_posts(app, backdated).await?;
            let Some(last) = rows.last() else {
                if !changed.is_empty() {
                    indexed_count += changed.len();
                    let (index, mark) = (index.clone(), newest.clone());
                    blocking(move || index.apply(&changed, &mark)).await?;
                }
                break;
            };
            cursor = (last.updateat.unwrap_or(0), last.id.clone());
            changed.extend(
                rows.into_iter()
                    .map(indexed)
                    .filter(|p| self.recent.get(&p.id) != Some(&p.update_at)),
            );
            let reached = Watermark {
                update_at: cursor.0,
                post_id: cursor.1.clone(),
            };
            if reached > newest {
                newest = reached;
            }
            if !changed.is_empty() {
                indexed_count += changed.len();
                let (index, mark) = (index.clone(), newest.clone());
                let posts = changed.clone();
                blocking(move || index.apply(&posts, &mark)).await?;
                self.recent
                    .extend(changed.into_iter().map(|p| (p.id, p.update_at)));
            }
            if !full || until(indexed_count) {
                break;
            }
        }
        let horizon = newest.update_at.saturating_sub(SWEEP_LAG);
        self.recent.retain(|_, at| *at >= horizon);
        self.watermark = Some(newest);
        Ok(indexed_count)
    }
}

/// The back-dated posts noted since the last read, as the database has them now.
async fn backdated_posts(app: &App, backdated: &Backdated) -> Result<Vec<IndexedPost>, Failure> {
    let ids = backdated.take();
    let mut posts = Vec::with_capacity(ids.len());
    for ids in ids.chunks(BATCH as usize) {
        let rows = posts_by_ids(&app.store, ids)
            .await
            .map_err(|e| Failure::Other(e.to_string()))?;
        posts.extend(rows.into_iter().map(indexed));
    }
    Ok(posts)
}

fn indexed(row: ChangedPost) -> IndexedPost {
    IndexedPost {
        id: row.id,
        channel_id: row.channelid.unwrap_or_default(),
        user_id: row.userid.unwrap_or_default(),
        create_at: row.createat.unwrap_or(0),
        update_at: row.updateat.unwrap_or(0),
        delete_at: row.deleteat.unwrap_or(0),
        post_type: row.post_type.unwrap_or_default(),
        message: row.message.unwrap_or_default(),
        hashtags: row.hashtags.unwrap_or_default(),
    }
}

/// Runs index work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, IndexError> + Send + 'static,
) -> Result<T, Failure> {
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Failure::from),
        Err(e) => Err(Failure::Other(e.to_string())),
    }
}

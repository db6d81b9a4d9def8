//! The `search indexer` service: keeps the indexes in step with the `posts` and
//! `fileinfo` tables (each a `Feed` with its own watermark, walked the same way).
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

use super::index::{
    Bulk, FileIndex, IndexError, IndexedFile, IndexedPost, Watermark, WrittenIndex,
};
use crate::services::{Run, Service, Stop};
use crate::App;
use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use utmost_store::file_search::{files_changed_after, ChangedFile};
use utmost_store::search::{posts_by_ids, posts_changed_after, ChangedPost};

/// Posts read at a time.
pub const BATCH: i64 = 2_000;
/// Documents gathered from several reads before a commit, at most (a pass commits what it
/// has when it reaches the end).
const COMMIT_EVERY: usize = 20_000;
/// The same in a rebuild: fewer, larger segments, and a crash loses at most this much work.
const REBUILD_COMMIT_EVERY: usize = 100_000;
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
    pub wake: Arc<Notify>,
    /// Shared with `rebuild`, which holds it for its whole run: one writer at a time, and
    /// the pass after a rebuild starts from where the rebuild's last commit left the index.
    state: Arc<tokio::sync::Mutex<States>>,
}

impl Indexer {
    /// The indexer of `search`'s own indexes; `None` for an engine without one.
    pub fn new(app: Weak<App>, search: &super::Search) -> Option<Self> {
        search.written.as_ref()?;
        Some(Self {
            app,
            wake: search.wake.clone(),
            state: search.state.clone(),
        })
    }
}

/// The indexer's progress over posts and over files, between passes.
#[derive(Default)]
pub struct States {
    posts: Option<State<PostFeed>>,
    files: Option<State<FileFeed>>,
}

impl States {
    /// Fresh states over `search`'s indexes (read their watermarks on the first pass).
    fn reset(
        &mut self,
        search: &super::Search,
    ) -> Option<(&mut State<PostFeed>, &mut State<FileFeed>)> {
        let (index, files) = (search.written.clone()?, search.files.clone()?);
        self.posts = Some(State::new(PostFeed {
            index,
            backdated: search.backdated.clone(),
            purged: search.purged.clone(),
        }));
        self.files = Some(State::new(FileFeed {
            index: files,
            purged: search.purged.clone(),
        }));
        self.both()
    }

    fn both(&mut self) -> Option<(&mut State<PostFeed>, &mut State<FileFeed>)> {
        Some((self.posts.as_mut()?, self.files.as_mut()?))
    }
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

/// Most purged ids waiting; past it their documents stay until the index is rebuilt (a
/// search never shows them: hits are read back from the database).
const MAX_PURGED: usize = 100_000;

/// Ids of posts and files deleted for good (data retention, permanent deletion): the walk
/// never sees a row that is gone, so their documents are removed by id.
#[derive(Default)]
pub struct Purged {
    posts: std::sync::Mutex<Vec<String>>,
    files: std::sync::Mutex<Vec<String>>,
}

impl Purged {
    pub(crate) fn note(&self, post_ids: &[String], file_ids: &[String]) {
        for (waiting, ids) in [(&self.posts, post_ids), (&self.files, file_ids)] {
            if let Ok(mut waiting) = waiting.lock() {
                let room = MAX_PURGED.saturating_sub(waiting.len());
                if ids.len() > room {
                    tracing::warn!(
                        left = ids.len() - room,
                        "too many deleted documents waiting; the rest leave the index when it is rebuilt"
                    );
                }
                waiting.extend(ids.iter().take(room).cloned());
            }
        }
    }

    fn take(ids: &std::sync::Mutex<Vec<String>>) -> Vec<String> {
        ids.lock()
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
                let mut states = self.state.lock().await;
                if states.both().is_none() {
                    states.reset(&app.search);
                }
                let until = |_| stop.is_requested();
                let walk = Walk::Pass { sweep };
                let outcome = match states.both() {
                    Some((posts, files)) => match posts.catch_up(&app, walk, &until).await {
                        Ok(_) => files.catch_up(&app, walk, &until).await,
                        Err(e) => Err(e),
                    },
                    None => Ok(0),
                };
                drop(states);
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

/// How many documents `rebuild` indexed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub posts: usize,
    pub files: usize,
}

/// Empties both indexes and indexes every post and file again (`utmost search reindex`,
/// the `bleve_post_indexing` job). `until` is asked as it goes, with the number of documents
/// so far, whether to stop there; the indexer then goes on from the last commit. The
/// indexer waits meanwhile. An engine without indexes of its own has nothing to rebuild.
/// The indexes must not be held by another process.
///
/// Merges wait until the end (`Bulk`), and each commit carries its watermark as usual, so
/// a rebuild cut short leaves a consistent index that the indexer completes.
pub async fn rebuild(
    app: &App,
    until: &(dyn Fn(usize) -> bool + Sync),
) -> Result<Rebuilt, IndexError> {
    let search = &app.search;
    let mut states = search.state.lock().await;
    let Some((posts, files)) = states.reset(search) else {
        return Ok(Rebuilt::default());
    };
    let (post_index, file_index) = (posts.feed.index.clone(), files.feed.index.clone());
    let cleared_at = utmost_model::time::now_millis();
    let (p, f) = (post_index.clone(), file_index.clone());
    blocking(move || {
        p.clear()?;
        f.clear_files()?;
        p.bulk(Bulk::Start)?;
        f.bulk_files(Bulk::Start)
    })
    .await
    .map_err(Failure::into_index_error)?;
    let walk = Walk::Rebuild { cleared_at };
    let walked = async {
        let posts = posts.catch_up(app, walk, until).await?;
        let after_posts = |n: usize| until(posts + n);
        let files = files.catch_up(app, walk, &after_posts).await?;
        Ok::<_, Failure>(Rebuilt { posts, files })
    }
    .await;
    // Merged whether or not the walk finished: the indexer goes on from its last commit.
    let merged = blocking(move || {
        post_index.bulk(Bulk::End)?;
        file_index.bulk_files(Bulk::End)
    })
    .await;
    let rebuilt = walked.map_err(Failure::into_index_error)?;
    merged.map_err(Failure::into_index_error)?;
    Ok(rebuilt)
}

/// What a walk over a feed is for.
#[derive(Debug, Clone, Copy)]
enum Walk {
    /// The indexer's pass (a sweep looks further back).
    Pass { sweep: bool },
    /// A rebuild of an index emptied at `cleared_at`.
    Rebuild { cleared_at: i64 },
}

impl Walk {
    /// How far behind the watermark the walk starts.
    fn look_back(self) -> i64 {
        match self {
            Walk::Pass { sweep: true } => SWEEP_LAG,
            Walk::Pass { sweep: false } => LAG,
            Walk::Rebuild { .. } => 0,
        }
    }

    fn commit_every(self) -> usize {
        match self {
            Walk::Pass { .. } => COMMIT_EVERY,
            Walk::Rebuild { .. } => REBUILD_COMMIT_EVERY,
        }
    }

    /// Documents updated before this are known not to be in the index. A rebuild's walk
    /// moves forward only, so it reads a document twice only if it changed after the walk
    /// passed it, i.e. after the index was emptied (less `SWEEP_LAG` for late commits and
    /// clocks); everything older is new to the emptied index.
    fn new_before(self) -> i64 {
        match self {
            Walk::Pass { .. } => i64::MIN,
            Walk::Rebuild { cleared_at } => cleared_at.saturating_sub(SWEEP_LAG),
        }
    }
}

impl Failure {
    fn into_index_error(self) -> IndexError {
        match self {
            Failure::Locked => IndexError::Locked,
            Failure::Other(cause) => IndexError::Engine(cause),
        }
    }
}

/// A table the indexer walks by (update time, id), and the index it feeds.
trait Feed: Clone + Send + Sync + 'static {
    type Doc: Clone + Send + Sync + 'static;

    /// (update time, id) of a document.
    fn key(doc: &Self::Doc) -> (i64, &str);

    /// Up to `BATCH` rows changed after (`update_at`, `id`).
    fn changed_after(
        &self,
        app: &App,
        update_at: i64,
        id: &str,
    ) -> impl std::future::Future<Output = Result<Vec<Self::Doc>, Failure>> + Send;

    /// Documents to index besides the walk (the back-dated posts).
    fn extra(
        &self,
        app: &App,
    ) -> impl std::future::Future<Output = Result<Vec<Self::Doc>, Failure>> + Send;

    /// Blocking, like the index calls below it.
    fn watermark(&self) -> Result<Option<Watermark>, IndexError>;
    fn apply(
        &self,
        docs: &[Self::Doc],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError>;
}

#[derive(Clone)]
struct PostFeed {
    index: Arc<dyn WrittenIndex>,
    backdated: Arc<Backdated>,
    purged: Arc<Purged>,
}

impl Feed for PostFeed {
    type Doc = IndexedPost;

    fn key(doc: &IndexedPost) -> (i64, &str) {
        (doc.update_at, &doc.id)
    }

    async fn changed_after(
        &self,
        app: &App,
        update_at: i64,
        id: &str,
    ) -> Result<Vec<IndexedPost>, Failure> {
        let rows = posts_changed_after(&app.store, update_at, id, BATCH)
            .await
            .map_err(|e| Failure::Other(e.to_string()))?;
        Ok(rows.into_iter().map(indexed).collect())
    }

    async fn extra(&self, app: &App) -> Result<Vec<IndexedPost>, Failure> {
        let mut docs = backdated_posts(app, &self.backdated).await?;
        docs.extend(
            Purged::take(&self.purged.posts)
                .into_iter()
                .map(|id| IndexedPost {
                    id,
                    delete_at: 1,
                    ..IndexedPost::default()
                }),
        );
        Ok(docs)
    }

    fn watermark(&self) -> Result<Option<Watermark>, IndexError> {
        self.index.watermark()
    }

    fn apply(
        &self,
        docs: &[IndexedPost],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError> {
        self.index.apply(docs, new_before, watermark)
    }
}

/// Files: their update time moves when they are attached to a post and deleted with it,
/// and it is always the server's clock, so no file is back-dated.
#[derive(Clone)]
struct FileFeed {
    index: Arc<dyn FileIndex>,
    purged: Arc<Purged>,
}

impl Feed for FileFeed {
    type Doc = IndexedFile;

    fn key(doc: &IndexedFile) -> (i64, &str) {
        (doc.update_at, &doc.id)
    }

    async fn changed_after(
        &self,
        app: &App,
        update_at: i64,
        id: &str,
    ) -> Result<Vec<IndexedFile>, Failure> {
        let rows = files_changed_after(&app.store, update_at, id, BATCH)
            .await
            .map_err(|e| Failure::Other(e.to_string()))?;
        Ok(rows.into_iter().map(indexed_file).collect())
    }

    async fn extra(&self, _app: &App) -> Result<Vec<IndexedFile>, Failure> {
        let purged = Purged::take(&self.purged.files).into_iter();
        Ok(purged
            .map(|id| IndexedFile {
                id,
                delete_at: 1,
                ..IndexedFile::default()
            })
            .collect())
    }

    fn watermark(&self) -> Result<Option<Watermark>, IndexError> {
        self.index.files_watermark()
    }

    fn apply(
        &self,
        docs: &[IndexedFile],
        new_before: i64,
        watermark: &Watermark,
    ) -> Result<(), IndexError> {
        self.index.apply_files(docs, new_before, watermark)
    }
}

struct State<F: Feed> {
    feed: F,
    /// The last committed watermark; read from the index on the first pass.
    watermark: Option<Watermark>,
    /// Documents indexed within the look-back window, with the update time indexed.
    recent: HashMap<String, i64>,
}

impl<F: Feed> State<F> {
    fn new(feed: F) -> Self {
        Self {
            feed,
            watermark: None,
            recent: HashMap::new(),
        }
    }

    /// Writes `docs` and `newest` in one commit; remembers them for the look-back window.
    async fn commit(
        &mut self,
        docs: Vec<F::Doc>,
        walk: Walk,
        newest: &Watermark,
    ) -> Result<(), Failure> {
        let (feed, mark) = (self.feed.clone(), newest.clone());
        let written = Arc::new(docs);
        let applied = written.clone();
        let new_before = walk.new_before();
        blocking(move || feed.apply(&applied, new_before, &mark)).await?;
        // Only the window is kept, so a rebuild of millions of documents holds only it.
        let horizon = newest.update_at.saturating_sub(SWEEP_LAG);
        self.recent.retain(|_, at| *at >= horizon);
        self.recent.extend(written.iter().filter_map(|doc| {
            let (update_at, id) = F::key(doc);
            (update_at >= horizon).then(|| (id.to_string(), update_at))
        }));
        Ok(())
    }

    /// Indexes everything changed since the watermark (less the look-back), batch by batch.
    async fn catch_up(
        &mut self,
        app: &App,
        walk: Walk,
        until: &(dyn Fn(usize) -> bool + Sync),
    ) -> Result<usize, Failure> {
        let mut indexed_count = 0;
        let mark = match &self.watermark {
            Some(mark) => mark.clone(),
            None => {
                let feed = self.feed.clone();
                blocking(move || feed.watermark())
                    .await?
                    .unwrap_or_default()
            }
        };
        let mut cursor = (
            mark.update_at.saturating_sub(walk.look_back()),
            String::new(),
        );
        let mut newest = mark;
        // Reads are committed together up to COMMIT_EVERY documents: a tantivy commit costs
        // far more than a read, and many small segments cost merges.
        let mut pending: Vec<F::Doc> = Vec::new();
        loop {
            let rows = self.feed.changed_after(app, cursor.0, &cursor.1).await?;
            let full = rows.len() as i64 == BATCH;
            // Taken after the read: a back-dated post noted before a change this read saw
            // lands in the same commit, so what a search finds is never older than it. A
            // rebuild leaves them to the next pass (which replaces what it reads): the walk
            // may reach them too, and knows nothing of them.
            if let Walk::Pass { .. } = walk {
                pending.extend(self.feed.extra(app).await?);
            }
            if let Some(last) = rows.last() {
                let (update_at, id) = F::key(last);
                cursor = (update_at, id.to_string());
                pending.extend(rows.into_iter().filter(|doc| {
                    let (update_at, id) = F::key(doc);
                    self.recent.get(id) != Some(&update_at)
                }));
                let reached = Watermark {
                    update_at: cursor.0,
                    post_id: cursor.1.clone(),
                };
                if reached > newest {
                    newest = reached;
                }
            }
            let last_read = !full || until(indexed_count + pending.len());
            if pending.len() >= walk.commit_every() || (last_read && !pending.is_empty()) {
                indexed_count += pending.len();
                self.commit(std::mem::take(&mut pending), walk, &newest)
                    .await?;
            }
            if last_read {
                break;
            }
        }
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

fn indexed_file(row: ChangedFile) -> IndexedFile {
    IndexedFile {
        id: row.id,
        channel_id: row.channelid.unwrap_or_default(),
        creator_id: row.creatorid.unwrap_or_default(),
        post_id: row.postid.unwrap_or_default(),
        create_at: row.createat.unwrap_or(0),
        update_at: row.updateat.unwrap_or(0),
        delete_at: row.deleteat.unwrap_or(0),
        name: row.name.unwrap_or_default(),
        extension: row.extension.unwrap_or_default(),
        content: row.content.unwrap_or_default(),
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

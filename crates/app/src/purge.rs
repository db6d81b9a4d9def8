//! Deleting posts and files for good, in bounded batches (the data retention job and the
//! permanent deletion of users, teams and channels; Mattermost's `PermanentDelete…`). Each
//! batch is one transaction over at most `BatchSize` posts or files with every row that
//! hangs off them (`store::purge`), so posting waits for one batch at most; once it has
//! committed, the files' bytes leave the file store and `Event::PostsPurged` takes the
//! documents out of the search index.
//!
//! A crash between a batch's commit and the removal of its bytes leaves those bytes
//! behind, unreferenced (docs/data-retention.md).

use crate::bus::Event;
use crate::files::upload::remove_bytes;
use crate::{App, AppResult};
use std::time::Duration;
use utmost_store::purge::{self as store, Expiry, Owner};

/// What a run removed (the counts a job reports).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Removed {
    pub posts: u64,
    pub reactions: u64,
    pub files: u64,
}

impl Removed {
    fn add(&mut self, other: Removed) {
        self.posts += other.posts;
        self.reactions += other.reactions;
        self.files += other.files;
    }
}

/// What a run deletes, batch after batch, until none is left.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Posts the retention rules expire (with their files).
    ExpiredPosts(Expiry),
    /// Files created before this time (ms).
    ExpiredFiles { before: i64 },
    /// Every post of a channel or a user (with their files).
    PostsOf(Owner<'a>),
    /// Every file of a channel or a user.
    FilesOf(Owner<'a>),
}

/// How a run paces itself.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Posts or files per transaction.
    pub batch: i64,
    /// The pause after each batch, so other writers get their turn.
    pub pause: Duration,
}

impl Pace {
    /// `DataRetentionSettings.BatchSize` and `TimeBetweenBatchesMilliseconds`.
    pub fn configured(app: &App) -> Self {
        let s = &app.config().data_retention_settings;
        Pace {
            batch: s.batch_size.max(1),
            pause: Duration::from_millis(
                u64::try_from(s.time_between_batches_milliseconds).unwrap_or(0),
            ),
        }
    }

    /// A request's own deletion: configured batches, no pause.
    pub fn unpaused(app: &App) -> Self {
        Pace {
            pause: Duration::ZERO,
            ..Self::configured(app)
        }
    }
}

/// Deletes what `selection` picks, one batch at a time, until nothing is left or `go_on`
/// (told the totals so far) says stop.
pub async fn run(
    app: &App,
    selection: Selection<'_>,
    pace: Pace,
    go_on: &(dyn Fn(&Removed) -> bool + Sync),
) -> AppResult<Removed> {
    let mut total = Removed::default();
    loop {
        let ids = match selection {
            Selection::ExpiredPosts(expiry) => {
                store::expired_posts(&app.store, expiry, pace.batch).await?
            }
            Selection::ExpiredFiles { before } => {
                store::expired_files(&app.store, before, pace.batch).await?
            }
            Selection::PostsOf(owner) => store::posts_of(&app.store, owner, pace.batch).await?,
            Selection::FilesOf(owner) => store::files_of(&app.store, owner, pace.batch).await?,
        };
        if ids.is_empty() {
            return Ok(total);
        }
        let removed = match selection {
            Selection::ExpiredPosts(_) | Selection::PostsOf(_) => posts(app, &ids).await?,
            Selection::ExpiredFiles { .. } | Selection::FilesOf(_) => files(app, &ids).await?,
        };
        total.add(removed);
        if !go_on(&total) {
            return Ok(total);
        }
        if !pace.pause.is_zero() {
            tokio::time::sleep(pace.pause).await;
        }
    }
}

/// Deletes the posts `ids` with their rows and files, then the files' bytes.
async fn posts(app: &App, ids: &[String]) -> AppResult<Removed> {
    let purged = store::purge_posts(&app.store, ids).await?;
    let removed = Removed {
        posts: purged.posts,
        reactions: purged.reactions,
        files: purged.files.len() as u64,
    };
    forget(app, ids.to_vec(), purged.files).await;
    Ok(removed)
}

/// Deletes the file rows `ids`, then their bytes.
async fn files(app: &App, ids: &[String]) -> AppResult<Removed> {
    let gone = store::purge_files(&app.store, ids).await?;
    let removed = Removed {
        files: gone.len() as u64,
        ..Removed::default()
    };
    forget(app, Vec::new(), gone).await;
    Ok(removed)
}

/// After the commit: the bytes, then the search index.
async fn forget(app: &App, post_ids: Vec<String>, files: Vec<utmost_model::file_info::FileInfo>) {
    for file in &files {
        remove_bytes(app, file).await;
    }
    let file_ids = files.into_iter().map(|f| f.id).collect();
    app.publish(Event::PostsPurged { post_ids, file_ids }).await;
}

/// Every post and file of a channel (before its rows go, in `channels::permanent_delete_channel`).
pub async fn channel_contents(app: &App, channel_id: &str) -> AppResult<Removed> {
    let pace = Pace::unpaused(app);
    let owner = Owner::Channel(channel_id);
    let mut removed = run(app, Selection::PostsOf(owner), pace, &|_| true).await?;
    removed.add(run(app, Selection::FilesOf(owner), pace, &|_| true).await?);
    Ok(removed)
}

/// Deletes a user for good (`PermanentDeleteUser`): their posts and uploaded files, then
/// their sessions, tokens, memberships, preferences, reactions, drafts and every other row,
/// then the user. The caller checked that the user exists and may be deleted.
pub async fn user(app: &App, user_id: &str) -> AppResult<Removed> {
    let pace = Pace::unpaused(app);
    let owner = Owner::User(user_id);
    let mut removed = run(app, Selection::PostsOf(owner), pace, &|_| true).await?;
    removed.add(run(app, Selection::FilesOf(owner), pace, &|_| true).await?);
    store::purge_user(&app.store, user_id).await?;
    app.publish(Event::UserPermanentlyDeleted {
        user_id: user_id.to_string(),
    })
    .await;
    Ok(removed)
}

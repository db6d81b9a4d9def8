//! The `reindex jobs` service: runs the `bleve_post_indexing` jobs of `/api/v4/jobs`
//! (Mattermost's name for rebuilding its own search index) with `indexer::rebuild`, which
//! the indexer waits for, so the index has one writer. Progress (percent of the posts) is
//! written every second; a cancellation is seen at the next batch, and the indexer goes on
//! from where the rebuild stopped, so the index is never left short. With PostgreSQL full
//! text there is no index to rebuild and a job succeeds at once.

use super::indexer;
use crate::services::{Run, Service, Stop};
use crate::{App, AppResult};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;
use tokio::sync::Notify;
use utmost_model::job::{self, Job};
use utmost_model::now_millis;
use utmost_store::jobs as store;

/// How often pending jobs are looked for without a wake-up (jobs created by another node).
const POLL: Duration = Duration::from_secs(5);
/// How often a running job's progress is written (and its cancellation looked for).
const REPORT_EVERY: Duration = Duration::from_secs(1);

pub struct ReindexJobs {
    pub app: Weak<App>,
    pub wake: Arc<Notify>,
}

impl Service for ReindexJobs {
    fn name(&self) -> &'static str {
        "reindex jobs"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            loop {
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                if let Err(e) = run_pending(&app, &stop).await {
                    tracing::error!(error = %e, "a reindexing job failed to run");
                }
                drop(app);
                tokio::select! {
                    _ = stop.requested() => return,
                    _ = self.wake.notified() => {}
                    _ = tokio::time::sleep(POLL) => {}
                }
            }
        })
    }
}

async fn run_pending(app: &App, stop: &Stop) -> AppResult<()> {
    while !stop.is_requested() {
        let claimed =
            store::claim_pending(&app.store, job::TYPE_BLEVE_POST_INDEXING, now_millis()).await?;
        let Some(job) = claimed else {
            return Ok(());
        };
        run(app, job, stop).await?;
    }
    Ok(())
}

async fn run(app: &App, mut job: Job, stop: &Stop) -> AppResult<()> {
    tracing::info!(job_id = %job.id, "reindexing posts");
    let total = utmost_store::search::count_posts(&app.store).await?.max(1);
    let indexed = AtomicUsize::new(0);
    let canceled = AtomicBool::new(false);
    let until = |n: usize| {
        indexed.store(n, Ordering::Relaxed);
        canceled.load(Ordering::Relaxed) || stop.is_requested()
    };
    let rebuild = indexer::rebuild(app, &until);
    tokio::pin!(rebuild);
    let mut report = tokio::time::interval(REPORT_EVERY);
    let outcome = loop {
        tokio::select! {
            outcome = &mut rebuild => break outcome,
            _ = report.tick() => {
                let progress = percent(indexed.load(Ordering::Relaxed), total);
                // Not in progress any more: a cancellation was asked for.
                if !store::set_progress(&app.store, &job.id, progress, now_millis()).await? {
                    canceled.store(true, Ordering::Relaxed);
                }
            }
        }
    };
    let now = now_millis();
    let status = match outcome {
        // A job cut short by a shutdown runs again at the next start.
        _ if stop.is_requested() && !canceled.load(Ordering::Relaxed) => {
            store::update_status_if(
                &app.store,
                &job.id,
                job::STATUS_IN_PROGRESS,
                job::STATUS_PENDING,
                now,
            )
            .await?;
            return Ok(());
        }
        _ if canceled.load(Ordering::Relaxed) => job::STATUS_CANCELED,
        Ok(_) => {
            job.progress = 100;
            job::STATUS_SUCCESS
        }
        Err(e) => {
            tracing::error!(job_id = %job.id, error = %e, "reindexing failed");
            job.progress = -1;
            job.data.insert("error".into(), e.to_string());
            job::STATUS_ERROR
        }
    };
    if status != job::STATUS_CANCELED {
        job.progress = job
            .progress
            .max(percent(indexed.load(Ordering::Relaxed), total));
    }
    // From in progress, or from a cancellation asked for after the last batch.
    for from in [job::STATUS_IN_PROGRESS, job::STATUS_CANCEL_REQUESTED] {
        if store::finish(&app.store, &job, from, status, now).await? {
            break;
        }
    }
    tracing::info!(job_id = %job.id, status, "reindexing ended");
    Ok(())
}

fn percent(done: usize, total: i64) -> i64 {
    let done = i64::try_from(done).unwrap_or(i64::MAX);
    (done.saturating_mul(100) / total).clamp(0, 100)
}

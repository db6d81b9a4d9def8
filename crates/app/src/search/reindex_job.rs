//! The `bleve_post_indexing` jobs of `/api/v4/jobs` (Mattermost's name for rebuilding its
//! own search index), run by `jobs::runner` with `indexer::rebuild`, which the indexer
//! waits for, so the index has one writer. Progress is the percent of the posts indexed; a
//! cancellation is seen at the next batch, and the indexer goes on from where the rebuild
//! stopped, so the index is never left short. With PostgreSQL full text there is no index
//! to rebuild and a job succeeds at once.

use super::indexer;
use crate::jobs::runner::{JobRun, Progress, Worker};
use crate::App;
use utmost_model::job::{self, Job};
use utmost_model::AppError;

pub struct ReindexJobs;

impl Worker for ReindexJobs {
    fn job_type(&self) -> &'static str {
        job::TYPE_BLEVE_POST_INDEXING
    }

    fn service_name(&self) -> &'static str {
        "reindex jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(async move {
            tracing::info!(job_id = %job.id, "reindexing posts");
            let total = utmost_store::search::count_posts(&app.store).await?;
            let total = u64::try_from(total).unwrap_or(0);
            let until = |n: usize| {
                progress.set(n as u64, total);
                !progress.go_on()
            };
            indexer::rebuild(app, &until)
                .await
                .map_err(|e| AppError::internal("app.search.reindex.app_error", e))?;
            Ok(())
        })
    }
}

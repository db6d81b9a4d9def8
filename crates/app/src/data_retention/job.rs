//! The `data_retention` job (Mattermost's data retention worker): deletes the posts the
//! channel policies, then the team policies, then the global policy have expired, then the
//! files past the global file retention, each through `purge` in bounded batches. "Now"
//! is `App::retention_clock`. Progress is the share of those four steps done; a
//! cancellation is seen after each batch. `job.data` reports what went: `deleted_posts`,
//! `deleted_reactions`, `deleted_files`.

use super::global_policy;
use crate::jobs::runner::{JobRun, Progress, Worker};
use crate::purge::{self, Pace, Removed, Selection};
use crate::App;
use utmost_model::job::{self, Job};
use utmost_store::purge::Expiry;

pub struct RetentionJobs;

impl Worker for RetentionJobs {
    fn job_type(&self) -> &'static str {
        job::TYPE_DATA_RETENTION
    }

    fn service_name(&self) -> &'static str {
        "data retention jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(async move {
            let now = app.retention_clock.now();
            let steps = steps(app, now);
            let pace = Pace::configured(app);
            let mut total = Removed::default();
            for (done, selection) in steps.iter().enumerate() {
                if !progress.go_on() {
                    break;
                }
                let removed = purge::run(app, *selection, pace, &|_| progress.go_on()).await?;
                total.posts += removed.posts;
                total.reactions += removed.reactions;
                total.files += removed.files;
                progress.set(done as u64 + 1, steps.len() as u64);
            }
            tracing::info!(
                job_id = %job.id,
                posts = total.posts,
                reactions = total.reactions,
                files = total.files,
                "data retention deleted"
            );
            for (key, n) in [
                ("deleted_posts", total.posts),
                ("deleted_reactions", total.reactions),
                ("deleted_files", total.files),
            ] {
                job.data.insert(key.to_string(), n.to_string());
            }
            Ok(())
        })
    }
}

/// What a run at `now` deletes, in order: custom policies first (they override the
/// global one, which leaves their channels alone anyway), then the global policy's posts
/// and files when they are on.
fn steps(app: &App, now: i64) -> Vec<Selection<'static>> {
    let global = global_policy(app, now);
    let mut steps = vec![
        Selection::ExpiredPosts(Expiry::ChannelPolicies { now }),
        Selection::ExpiredPosts(Expiry::TeamPolicies { now }),
    ];
    if global.message_deletion_enabled {
        steps.push(Selection::ExpiredPosts(Expiry::Global {
            before: global.message_retention_cutoff,
        }));
    }
    if global.file_deletion_enabled {
        steps.push(Selection::ExpiredFiles {
            before: global.file_retention_cutoff,
        });
    }
    steps
}

//! The worker side of `/api/v4/jobs` (Mattermost's job server): one `JobRunner` service per
//! job type takes its pending jobs one at a time, oldest first, and runs them with the
//! type's `Worker`. While a job runs, its progress is written every second, which is also
//! when a cancellation is seen; a job cut short by a shutdown goes back to pending and runs
//! again at the next start. A job left in progress by a node that died (no progress written
//! for `ABANDONED_AFTER`) is taken back to pending by whichever node looks next.

use super::Wakes;
use crate::services::{Run, Service, Services, Stop};
use crate::{App, AppResult};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
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
/// How long a job in progress may go without a progress report before it counts as
/// abandoned: far longer than `REPORT_EVERY`, so a busy node's jobs are never taken.
pub const ABANDONED_AFTER: Duration = Duration::from_secs(60);

/// A job's work, boxed so workers of every type fit in one runner.
pub type JobRun<'a> = Pin<Box<dyn Future<Output = AppResult<()>> + Send + 'a>>;

/// What runs the jobs of one type.
pub trait Worker: Send + Sync + 'static {
    /// The job type it runs (`utmost_model::job::TYPE_…`).
    fn job_type(&self) -> &'static str;
    /// Names its runner in the logs.
    fn service_name(&self) -> &'static str;
    /// Runs one job: reports through `progress`, returns early once `progress.go_on()` is
    /// false, and may record what it did in `job.data`, which is saved with the outcome.
    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a>;
}

/// A running job's progress, and whether it should go on.
pub struct Progress<'a> {
    percent: AtomicI64,
    canceled: AtomicBool,
    stop: &'a Stop,
}

impl Progress<'_> {
    /// Records `done` of `total` as a percentage.
    pub fn set(&self, done: u64, total: u64) {
        let percent = (u128::from(done) * 100 / u128::from(total.max(1))).min(100);
        self.percent.store(percent as i64, Ordering::Relaxed);
    }

    /// `false` once the job is canceled or the server is stopping: the worker returns at
    /// the next point where stopping leaves nothing half-done.
    pub fn go_on(&self) -> bool {
        !self.canceled.load(Ordering::Relaxed) && !self.stop.is_requested()
    }

    fn percent(&self) -> i64 {
        self.percent.load(Ordering::Relaxed)
    }
}

/// Starts the runner of `worker`'s type; from then on `jobs::create` accepts that type.
pub(crate) fn start(services: &mut Services, app: &Arc<App>, worker: impl Worker) {
    let wake = app.jobs.register(worker.job_type());
    // `mattermost_jobs_active{type}` shows the types this process runs, at 0 while idle.
    utmost_metrics::metrics().jobs_active.get(worker.job_type());
    services.start(JobRunner {
        app: Arc::downgrade(app),
        worker: Box::new(worker),
        wake,
    });
}

struct JobRunner {
    app: Weak<App>,
    worker: Box<dyn Worker>,
    wake: Arc<Notify>,
}

impl Service for JobRunner {
    fn name(&self) -> &'static str {
        self.worker.service_name()
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            loop {
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                if let Err(e) = self.run_pending(&app, &stop).await {
                    tracing::error!(error = %e, job_type = self.worker.job_type(), "a job failed to run");
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

impl JobRunner {
    async fn run_pending(&self, app: &App, stop: &Stop) -> AppResult<()> {
        let job_type = self.worker.job_type();
        let now = now_millis();
        let abandoned_before = now - ABANDONED_AFTER.as_millis() as i64;
        let reclaimed =
            store::reclaim_abandoned(&app.store, job_type, abandoned_before, now).await?;
        if reclaimed > 0 {
            tracing::warn!(
                job_type,
                reclaimed,
                "jobs abandoned in progress go back to pending"
            );
        }
        while !stop.is_requested() {
            let Some(job) = store::claim_pending(&app.store, job_type, now_millis()).await? else {
                return Ok(());
            };
            self.run_one(app, job, stop).await?;
        }
        Ok(())
    }

    async fn run_one(&self, app: &App, mut job: Job, stop: &Stop) -> AppResult<()> {
        let job_type = self.worker.job_type();
        tracing::info!(job_id = %job.id, job_type, "job started");
        let _active = Active::new(job_type);
        let progress = Progress {
            percent: AtomicI64::new(0),
            canceled: AtomicBool::new(false),
            stop,
        };
        let id = job.id.clone();
        let outcome = {
            let work = self.worker.run(app, &mut job, &progress);
            tokio::pin!(work);
            let mut report = tokio::time::interval(REPORT_EVERY);
            loop {
                tokio::select! {
                    outcome = &mut work => break outcome,
                    _ = report.tick() => {
                        // The work is polled while the progress is written: it may hold the
                        // database's only writer (SQLite) in a transaction that ends only if
                        // polled.
                        let write = store::set_progress(&app.store, &id, progress.percent(), now_millis());
                        tokio::pin!(write);
                        let in_progress = tokio::select! {
                            written = &mut write => written?,
                            outcome = &mut work => {
                                write.await?;
                                break outcome;
                            }
                        };
                        // Not in progress any more: a cancellation was asked for.
                        if !in_progress {
                            progress.canceled.store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
        };
        let canceled = progress.canceled.load(Ordering::Relaxed);
        let now = now_millis();
        let status = match outcome {
            // Cut short by a shutdown: it runs again at the next start.
            _ if stop.is_requested() && !canceled => {
                store::update_status_if(
                    &app.store,
                    &job.id,
                    job::STATUS_IN_PROGRESS,
                    job::STATUS_PENDING,
                    now,
                )
                .await?;
                tracing::info!(job_id = %job.id, job_type, "job stopped by the shutdown, pending again");
                return Ok(());
            }
            _ if canceled => job::STATUS_CANCELED,
            Ok(()) => {
                job.progress = 100;
                job::STATUS_SUCCESS
            }
            Err(e) => {
                tracing::error!(job_id = %job.id, job_type, error = %e, "job failed");
                job.progress = -1;
                job.data.insert("error".into(), e.to_string());
                job::STATUS_ERROR
            }
        };
        if status == job::STATUS_CANCELED {
            job.progress = progress.percent();
        }
        // From in progress, or from a cancellation asked for after the last report.
        for from in [job::STATUS_IN_PROGRESS, job::STATUS_CANCEL_REQUESTED] {
            if store::finish(&app.store, &job, from, status, now).await? {
                break;
            }
        }
        tracing::info!(job_id = %job.id, job_type, status, "job ended");
        Ok(())
    }
}

impl Wakes {
    /// Notes that this process runs jobs of `job_type`; the runner's wake-up.
    fn register(&self, job_type: &'static str) -> Arc<Notify> {
        let mut types = self.0.lock().unwrap_or_else(|e| e.into_inner());
        types.entry(job_type).or_default().clone()
    }
}

/// `mattermost_jobs_active{type}` counts a job while this process runs it.
struct Active(utmost_metrics::IntGauge);

impl Active {
    fn new(job_type: &str) -> Self {
        let gauge = utmost_metrics::metrics().jobs_active.get(job_type);
        gauge.inc();
        Self(gauge)
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        self.0.dec();
    }
}

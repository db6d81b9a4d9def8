//! Background jobs as `/api/v4/jobs` shows them (Mattermost's `app/job.go` and the job
//! server): who may read, create and cancel each type, and the jobs' lifecycle. A job is a
//! row of `jobs`; the runner of its type (`runner`, with the type's `Worker`, e.g.
//! `search::reindex_job` for `bleve_post_indexing`) takes it from `pending` to
//! `in_progress`, then to `success`, `error` or, after a cancellation, `canceled`.

pub mod daily;
pub mod runner;

use crate::authorization::{has_system_permission, require_system};
use crate::errors::JobError;
use crate::{App, AppResult};
use std::sync::Arc;
use tokio::sync::Notify;
use utmost_model::job::{self, Job};
use utmost_model::permissions as p;
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis};
use utmost_store::jobs as store;

/// The types whose permission is `manage_jobs` to create and `read_jobs` to read.
const GENERIC_TYPES: [&str; 11] = [
    "migrations",
    "plugins",
    "product_notices",
    "expiry_notify",
    "active_users",
    "import_process",
    "import_delete",
    "export_process",
    "export_delete",
    "cloud",
    "extract_content",
];

/// The permission that reads jobs of `job_type` (`SessionHasPermissionToReadJob`); `None`
/// for a type no permission reads.
pub fn read_permission(job_type: &str) -> Option<&'static str> {
    Some(match job_type {
        job::TYPE_DATA_RETENTION => p::READ_DATA_RETENTION_JOB,
        job::TYPE_MESSAGE_EXPORT => p::READ_COMPLIANCE_EXPORT_JOB,
        job::TYPE_ELASTICSEARCH_POST_INDEXING => p::READ_ELASTICSEARCH_POST_INDEXING_JOB,
        job::TYPE_ELASTICSEARCH_POST_AGGREGATION => p::READ_ELASTICSEARCH_POST_AGGREGATION_JOB,
        job::TYPE_LDAP_SYNC => p::READ_LDAP_SYNC_JOB,
        job::TYPE_BLEVE_POST_INDEXING | "mobile_session_metadata" => p::READ_JOBS,
        t if GENERIC_TYPES.contains(&t) => p::READ_JOBS,
        _ => return None,
    })
}

/// The permission that creates (and cancels) jobs of `job_type`
/// (`SessionHasPermissionToCreateJob`); `None` for a type nobody creates.
pub fn create_permission(job_type: &str) -> Option<&'static str> {
    Some(match job_type {
        job::TYPE_BLEVE_POST_INDEXING => p::CREATE_POST_BLEVE_INDEXES_JOB,
        job::TYPE_DATA_RETENTION => p::CREATE_DATA_RETENTION_JOB,
        job::TYPE_MESSAGE_EXPORT => p::CREATE_COMPLIANCE_EXPORT_JOB,
        job::TYPE_ELASTICSEARCH_POST_INDEXING => p::CREATE_ELASTICSEARCH_POST_INDEXING_JOB,
        job::TYPE_ELASTICSEARCH_POST_AGGREGATION => p::CREATE_ELASTICSEARCH_POST_AGGREGATION_JOB,
        job::TYPE_LDAP_SYNC => p::CREATE_LDAP_SYNC_JOB,
        t if GENERIC_TYPES.contains(&t) => p::MANAGE_JOBS,
        _ => return None,
    })
}

/// The permission that changes the status of jobs of `job_type`
/// (`SessionHasPermissionToManageJob`); `None` for a type nobody manages.
pub fn manage_permission(job_type: &str) -> Option<&'static str> {
    Some(match job_type {
        job::TYPE_BLEVE_POST_INDEXING => p::MANAGE_POST_BLEVE_INDEXES_JOB,
        job::TYPE_DATA_RETENTION => p::MANAGE_DATA_RETENTION_JOB,
        job::TYPE_MESSAGE_EXPORT => p::MANAGE_COMPLIANCE_EXPORT_JOB,
        job::TYPE_ELASTICSEARCH_POST_INDEXING => p::MANAGE_ELASTICSEARCH_POST_INDEXING_JOB,
        job::TYPE_ELASTICSEARCH_POST_AGGREGATION => p::MANAGE_ELASTICSEARCH_POST_AGGREGATION_JOB,
        job::TYPE_LDAP_SYNC => p::MANAGE_LDAP_SYNC_JOB,
        t if GENERIC_TYPES.contains(&t) => p::MANAGE_JOBS,
        _ => return None,
    })
}

/// `Err` unless the session may change the status of jobs of `job_type` (400 for a type
/// nobody manages).
pub fn require_manage(app: &App, session: &Session, job_type: &str) -> AppResult<()> {
    let permission = manage_permission(job_type).ok_or(JobError::UnmanageableType)?;
    require_system(app, session, permission)
}

/// Mattermost's `IsValidStatusChange`: the moves an administrator may ask for without
/// `force`.
pub fn is_valid_status_change(from: &str, to: &str) -> bool {
    match from {
        job::STATUS_IN_PROGRESS => to == job::STATUS_PENDING || to == job::STATUS_CANCEL_REQUESTED,
        job::STATUS_PENDING => to == job::STATUS_CANCEL_REQUESTED,
        job::STATUS_CANCEL_REQUESTED => to == job::STATUS_CANCELED,
        _ => false,
    }
}

/// `UpdateJobStatus` (`PATCH /jobs/{job_id}/status`): moves `job` to `status`, a move
/// `is_valid_status_change` allows unless `force`. The write is a compare-and-set from the
/// status read, so a worker's concurrent move is never overwritten blindly: the job is read
/// again and the change judged anew.
pub async fn update_status(app: &App, mut job: Job, status: &str, force: bool) -> AppResult<()> {
    if !job::ALL_STATUSES.contains(&status) {
        return Err(JobError::InvalidStatus.into());
    }
    for _ in 0..3 {
        if !force && !is_valid_status_change(&job.status, status) {
            return Err(JobError::InvalidStatus.into());
        }
        if store::update_status_if(&app.store, &job.id, &job.status, status, now_millis()).await? {
            if status == job::STATUS_PENDING {
                app.jobs.wake(&job.job_type);
            }
            return Ok(());
        }
        job = get(app, &job.id).await?;
    }
    Err(JobError::InvalidStatus.into())
}

/// `Err` unless the session may read jobs of `job_type` (400 for a type nobody reads).
pub fn require_read(app: &App, session: &Session, job_type: &str) -> AppResult<()> {
    let permission = read_permission(job_type).ok_or(JobError::UnreadableType)?;
    require_system(app, session, permission)
}

/// `Err` unless the session may create and cancel jobs of `job_type` (400 for a type
/// nobody creates).
pub fn require_create(app: &App, session: &Session, job_type: &str) -> AppResult<()> {
    let permission = create_permission(job_type).ok_or(JobError::UncreatableType)?;
    require_system(app, session, permission)
}

/// Whether the session may read or create jobs of some type: what a request about one
/// job (whose type is known only once it is read) needs before it reads anything.
pub fn may_touch_any(
    app: &App,
    session: &Session,
    permission: fn(&str) -> Option<&'static str>,
) -> bool {
    job::ALL_TYPES
        .iter()
        .filter_map(|t| permission(t))
        .any(|perm| has_system_permission(app, session, perm))
}

/// The types whose jobs the session may read.
pub fn readable_types(app: &App, session: &Session) -> Vec<&'static str> {
    job::ALL_TYPES
        .into_iter()
        .filter(|t| {
            read_permission(t).is_some_and(|perm| has_system_permission(app, session, perm))
        })
        .collect()
}

/// The job types this process has a runner for, with each runner's wake-up.
#[derive(Default)]
pub(crate) struct Wakes(std::sync::Mutex<std::collections::BTreeMap<&'static str, Arc<Notify>>>);

impl Wakes {
    /// Whether this process runs jobs of `job_type`.
    fn runs(&self, job_type: &str) -> bool {
        let types = self.0.lock().unwrap_or_else(|e| e.into_inner());
        types.contains_key(job_type)
    }

    /// Wakes the runner of `job_type`, if this process has one.
    fn wake(&self, job_type: &str) {
        let types = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wake) = types.get(job_type) {
            wake.notify_one();
        }
    }
}

/// `CreateJob`: a pending job of `job_type`, which its worker picks up.
pub async fn create(
    app: &App,
    job_type: &str,
    data: std::collections::BTreeMap<String, String>,
) -> AppResult<Job> {
    if !app.jobs.runs(job_type) {
        return Err(JobError::NoWorker.into());
    }
    let job = Job {
        id: new_id(),
        job_type: job_type.to_string(),
        create_at: now_millis(),
        status: job::STATUS_PENDING.into(),
        data,
        ..Job::default()
    };
    store::insert(&app.store, &job).await?;
    app.jobs.wake(job_type);
    Ok(job)
}

pub async fn get(app: &App, id: &str) -> AppResult<Job> {
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| JobError::NotFound.into())
}

/// A page of the jobs of `types`, newest first.
pub async fn list(
    app: &App,
    types: &[&str],
    status: Option<&str>,
    page: i64,
    per_page: i64,
) -> AppResult<Vec<Job>> {
    Ok(store::list(&app.store, types, status, page * per_page, per_page).await?)
}

/// `RequestCancellation`: a pending job is canceled at once, a running one is asked to
/// stop (its worker sees it between batches); a finished one cannot be.
pub async fn cancel(app: &App, id: &str) -> AppResult<()> {
    let now = now_millis();
    for (from, to) in [
        (job::STATUS_PENDING, job::STATUS_CANCELED),
        (job::STATUS_IN_PROGRESS, job::STATUS_CANCEL_REQUESTED),
    ] {
        if store::update_status_if(&app.store, id, from, to, now).await? {
            return Ok(());
        }
    }
    Err(JobError::NotCancellable.into())
}

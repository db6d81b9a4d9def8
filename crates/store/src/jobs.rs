//! The `jobs` table (Mattermost's `SqlJobStore`): background jobs as `/api/v4/jobs` shows
//! them. Status changes are compare-and-set on the current status, so a worker and a
//! cancellation (from any node) never overwrite each other.

use crate::db::{execute, placeholders, query_rows, Bind};
use crate::{Result, Store};
use sqlx::types::Json;
use std::collections::BTreeMap;
use utmost_model::job::{self, Job};

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    #[sqlx(rename = "type")]
    kind: Option<String>,
    priority: Option<i64>,
    createat: Option<i64>,
    startat: Option<i64>,
    lastactivityat: Option<i64>,
    status: Option<String>,
    progress: Option<i64>,
    data: Option<Json<BTreeMap<String, String>>>,
}

impl From<JobRow> for Job {
    fn from(r: JobRow) -> Self {
        Job {
            id: r.id,
            job_type: r.kind.unwrap_or_default(),
            priority: r.priority.unwrap_or(0),
            create_at: r.createat.unwrap_or(0),
            start_at: r.startat.unwrap_or(0),
            last_activity_at: r.lastactivityat.unwrap_or(0),
            status: r.status.unwrap_or_default(),
            progress: r.progress.unwrap_or(0),
            data: r.data.map(|d| d.0).unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT id, type, priority, createat, startat, lastactivityat, status, \
    progress, data FROM jobs";

pub async fn insert(store: &Store, job: &Job) -> Result<()> {
    execute!(
        store,
        "INSERT INTO jobs (id, type, priority, createat, startat, lastactivityat, status, \
         progress, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &job.id,
        &job.job_type,
        job.priority,
        job.create_at,
        job.start_at,
        job.last_activity_at,
        &job.status,
        job.progress,
        Json(&job.data),
    )?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<Job>> {
    let sql = format!("{SELECT} WHERE id = $1");
    Ok(query_rows::<JobRow, Job>(store, &sql, &[Bind::Str(id)])
        .await?
        .pop())
}

/// A page of the jobs of `types` (with `status`, when given), newest first.
pub async fn list(
    store: &Store,
    types: &[&str],
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<Job>> {
    if types.is_empty() {
        return Ok(Vec::new());
    }
    let mut binds: Vec<Bind> = types.iter().map(|t| Bind::Str(t)).collect();
    let mut sql = format!("{SELECT} WHERE type IN ({})", placeholders(1, types.len()));
    if let Some(status) = status {
        binds.push(Bind::Str(status));
        sql.push_str(&format!(" AND status = ${}", binds.len()));
    }
    sql.push_str(&format!(
        " ORDER BY createat DESC, id DESC LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    ));
    binds.extend([Bind::Int(limit), Bind::Int(offset)]);
    query_rows::<JobRow, Job>(store, &sql, &binds).await
}

/// Moves the job from `from` to `to` if it is still in `from`; starting it records the
/// start time. Whether it moved.
pub async fn update_status_if(
    store: &Store,
    id: &str,
    from: &str,
    to: &str,
    now: i64,
) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE jobs SET status = $3, lastactivityat = $4, \
         startat = CASE WHEN $3 = 'in_progress' THEN $4 ELSE startat END \
         WHERE id = $1 AND status = $2",
        id,
        from,
        to,
        now,
    )?;
    Ok(changed > 0)
}

/// The oldest pending job of `job_type`, now in progress (`None` when there is none, or
/// another worker took it first).
pub async fn claim_pending(store: &Store, job_type: &str, now: i64) -> Result<Option<Job>> {
    let sql = format!("{SELECT} WHERE type = $1 AND status = $2 ORDER BY createat, id LIMIT 1");
    let binds = [Bind::Str(job_type), Bind::Str(job::STATUS_PENDING)];
    let Some(job) = query_rows::<JobRow, Job>(store, &sql, &binds).await?.pop() else {
        return Ok(None);
    };
    let claimed = update_status_if(
        store,
        &job.id,
        job::STATUS_PENDING,
        job::STATUS_IN_PROGRESS,
        now,
    )
    .await?;
    if !claimed {
        return Ok(None);
    }
    get(store, &job.id).await
}

/// Records a running job's progress (percent); `false` when it is no longer in progress
/// (a cancellation was asked for).
pub async fn set_progress(store: &Store, id: &str, progress: i64, now: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE jobs SET progress = $2, lastactivityat = $3 WHERE id = $1 AND status = $4",
        id,
        progress,
        now,
        job::STATUS_IN_PROGRESS,
    )?;
    Ok(changed > 0)
}

/// Ends a job that is still in `from` with `to`, its last progress and its data. Whether
/// it was still in `from`.
pub async fn finish(store: &Store, job: &Job, from: &str, to: &str, now: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE jobs SET status = $3, progress = $4, data = $5, lastactivityat = $6 \
         WHERE id = $1 AND status = $2",
        &job.id,
        from,
        to,
        job.progress,
        Json(&job.data),
        now,
    )?;
    Ok(changed > 0)
}

/// Puts back to pending the jobs of `job_type` still in progress with no activity since
/// `before` (their node died); how many.
pub async fn reclaim_abandoned(
    store: &Store,
    job_type: &str,
    before: i64,
    now: i64,
) -> Result<u64> {
    let changed = execute!(
        store,
        "UPDATE jobs SET status = $3, lastactivityat = $5 \
         WHERE type = $1 AND status = $2 AND lastactivityat < $4",
        job_type,
        job::STATUS_IN_PROGRESS,
        job::STATUS_PENDING,
        before,
        now,
    )?;
    Ok(changed)
}

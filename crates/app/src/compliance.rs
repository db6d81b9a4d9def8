//! Compliance reports (Mattermost's enterprise `compliance` service behind
//! `api4/compliance.go`): a report is saved `running` and handed to the `compliance
//! reports` service, which walks the posts it covers in batches and streams them as a CSV
//! (`CompliancePostHeader` columns) into a zip on the file store, `compliance/<job
//! name>.zip`; the report ends `finished` with its row count, or `failed`. A report still
//! `running` when the server stops (or dies) is run again from the start at the next start.

use crate::errors::ComplianceError;
use crate::files::zip_upload::{deflated, ZipUpload};
use crate::services::{Run, Service, Stop};
use crate::{App, AppResult};
use std::collections::VecDeque;
use std::io::Write;
use std::sync::{Arc, Weak};
use tokio::sync::mpsc;
use utmost_model::compliance::{self as model, Compliance};
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::compliance::{self as store, ExportedPost, ReportFilter};

/// The most posts one batch of a report reads, whatever `ComplianceSettings.BatchSize` says.
const MAX_BATCH: i64 = 30_000;

/// `Err(Disabled)` unless `ComplianceSettings.Enable`.
pub fn require_enabled(app: &App) -> AppResult<()> {
    if app.config().compliance_settings.enable {
        Ok(())
    } else {
        Err(ComplianceError::Disabled.into())
    }
}

/// Reports waiting for the service at most; a report past it stays `running` in the
/// database and runs at the next start (as one cut short by a shutdown).
const QUEUE: usize = 1024;

/// The reports this process created, on their way to the `compliance reports` service.
pub(crate) struct Queue(mpsc::Sender<String>);

impl Queue {
    /// The queue and its receiving end, for the `compliance reports` service.
    pub(crate) fn new() -> (Self, mpsc::Receiver<String>) {
        let (sender, created) = mpsc::channel(QUEUE);
        (Self(sender), created)
    }
}

/// `SaveComplianceReport`: saves the report asked for by `user_id` and queues it.
pub async fn create(app: &Arc<App>, user_id: &str, asked: Compliance) -> AppResult<Compliance> {
    require_enabled(app)?;
    let mut report = Compliance {
        id: new_id(),
        create_at: now_millis(),
        user_id: user_id.to_string(),
        status: model::STATUS_RUNNING.into(),
        count: 0,
        kind: model::TYPE_ADHOC.into(),
        ..asked
    };
    report.normalize();
    report.validate()?;
    store::insert(&app.store, &report).await?;
    // A closed queue means the server is stopping, a full one that reports pile up: either
    // way the report stays `running` and the next start runs it.
    if app.compliance.0.try_send(report.id.clone()).is_err() {
        tracing::warn!(report = %report.id, "compliance report queued for the next start");
    }
    Ok(report)
}

/// A page of reports, newest first.
pub async fn list(app: &App, page: i64, per_page: i64) -> AppResult<Vec<Compliance>> {
    require_enabled(app)?;
    Ok(store::list(&app.store, page * per_page, per_page).await?)
}

pub async fn get(app: &App, id: &str) -> AppResult<Compliance> {
    require_enabled(app)?;
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| ComplianceError::NotFound.into())
}

/// The file store key of a report's zip.
pub fn file_path(report: &Compliance) -> String {
    format!("compliance/{}.zip", report.job_name())
}

/// `GetComplianceFile`: the report's zip, opened for streaming.
pub async fn file(app: &App, report: &Compliance) -> AppResult<crate::files::storage::Opened> {
    app.files
        .store
        .open(&file_path(report), None)
        .await
        .map_err(|_| ComplianceError::FileMissing.into())
}

/// Runs the reports: first those left `running` by an earlier start, then each one this
/// process creates, one at a time.
pub(crate) struct ComplianceReports {
    pub app: Weak<App>,
    pub created: mpsc::Receiver<String>,
}

impl Service for ComplianceReports {
    fn name(&self) -> &'static str {
        "compliance reports"
    }

    fn run(mut self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            // The reports left running by a stopped server are run again by the leader only:
            // a node starting beside others must not run a report another node is running.
            let mut due: VecDeque<String> = match self.app.upgrade() {
                Some(app) if !app.is_leader() => VecDeque::new(),
                Some(app) => match store::running(&app.store).await {
                    Ok(left) => left.into_iter().map(|r| r.id).collect(),
                    Err(e) => {
                        tracing::error!(error = %e, "the reports left running cannot be read");
                        VecDeque::new()
                    }
                },
                None => return,
            };
            loop {
                while let Some(id) = due.pop_front() {
                    let Some(app) = self.app.upgrade() else {
                        return;
                    };
                    run_report(&app, &id, &stop).await;
                    if stop.is_requested() {
                        return;
                    }
                }
                tokio::select! {
                    () = stop.requested() => return,
                    id = self.created.recv() => match id {
                        Some(id) => due.push_back(id),
                        None => return,
                    },
                }
            }
        })
    }
}

/// Runs report `id` if it is still `running` and records how it ended; one cut short by
/// the shutdown stays `running`.
async fn run_report(app: &App, id: &str, stop: &Stop) {
    let report = match store::get(&app.store, id).await {
        Ok(Some(report)) if report.status == model::STATUS_RUNNING => report,
        Ok(_) => return,
        Err(e) => {
            tracing::error!(report_id = %id, error = %e, "a compliance report cannot be read");
            return;
        }
    };
    let outcome = match run(app, &report, stop).await {
        Ok(Some(count)) => (model::STATUS_FINISHED, count),
        Ok(None) => {
            tracing::info!(report_id = %id, "compliance report stopped by the shutdown, runs at the next start");
            return;
        }
        Err(e) => {
            tracing::error!(report_id = %id, error = %e, "compliance report failed");
            (model::STATUS_FAILED, 0)
        }
    };
    if let Err(e) = store::set_outcome(&app.store, id, outcome.0, outcome.1).await {
        tracing::error!(report_id = %id, error = %e, "compliance report outcome not saved");
    }
}

/// Streams the report's zip to the file store; the number of rows written, or `None` when
/// the shutdown came first (nothing is stored then).
async fn run(app: &App, report: &Compliance, stop: &Stop) -> AppResult<Option<i64>> {
    let (emails, keywords) = (report.email_list(), report.keyword_list());
    let filter = ReportFilter {
        start_at: report.start_at,
        end_at: report.end_at,
        emails: &emails,
        keywords: &keywords,
    };
    let batch = app
        .config()
        .compliance_settings
        .batch_size
        .clamp(1, MAX_BATCH);
    let mut zip = ZipUpload::start(&app.files.store, &file_path(report));
    zip.write(|z| {
        z.start_file("posts.csv", deflated(true))?;
        write_rows(z, [model::POST_HEADER.map(String::from).to_vec()])
    })
    .await
    .map_err(failed)?;
    let (mut count, mut after) = (0i64, (i64::MIN, String::new()));
    loop {
        if stop.is_requested() {
            return Ok(None);
        }
        let posts = store::report_posts(&app.store, &filter, (after.0, &after.1), batch).await?;
        count += posts.len() as i64;
        let full = posts.len() as i64 == batch;
        if let Some(last) = posts.last() {
            after = (last.createat, last.id.clone());
        }
        zip.write(move |z| write_rows(z, posts.iter().map(report_row)))
            .await
            .map_err(failed)?;
        if !full {
            break;
        }
    }
    zip.finish().await.map_err(failed)?;
    Ok(Some(count))
}

/// Writes CSV rows into the zip's open entry.
fn write_rows(
    out: &mut impl Write,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(out);
    for row in rows {
        csv.write_record(row)?;
    }
    csv.flush()
}

/// A row of the report: `CompliancePost.Row`.
fn report_row(p: &ExportedPost) -> Vec<String> {
    let props = p
        .props
        .as_ref()
        .map(|j| j.0.to_string())
        .unwrap_or_default();
    vec![
        p.teamname.clone(),
        p.teamdisplayname.clone(),
        p.channelname.clone(),
        p.channeldisplayname.clone(),
        p.username.clone(),
        p.useremail.clone(),
        p.usernickname.clone(),
        p.id.clone(),
        rfc3339(p.createat),
        rfc3339(p.updateat),
        rfc3339(p.deleteat),
        p.rootid.clone(),
        p.rootid.clone(),
        p.originalid.clone(),
        p.message.clone(),
        p.post_type.clone(),
        props,
        p.hashtags.clone(),
        p.filenames.clone(),
    ]
}

/// A millisecond time as RFC 3339 in UTC, to the second (Go's `time.RFC3339`).
pub(crate) fn rfc3339(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

pub(crate) fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal("ent.compliance.run_failed.app_error", e)
}

//! Compliance reports (Mattermost's enterprise `compliance` service behind
//! `api4/compliance.go`): a report is saved `running`, then a background task walks the
//! posts it covers in batches and writes them as a CSV (`CompliancePostHeader` columns) in
//! a zip on the file store, `compliance/<job name>.zip`, and the report ends `finished`
//! with its row count, or `failed`.

use crate::errors::ComplianceError;
use crate::{App, AppResult};
use std::io::Write;
use std::sync::Arc;
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

/// `SaveComplianceReport`: saves the report asked for by `user_id` and starts it.
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
    let (app, running) = (Arc::clone(app), report.clone());
    tokio::spawn(async move {
        let outcome = match run(&app, &running).await {
            Ok(count) => (model::STATUS_FINISHED, count),
            Err(e) => {
                tracing::error!(report_id = %running.id, error = %e, "compliance report failed");
                (model::STATUS_FAILED, 0)
            }
        };
        if let Err(e) = store::set_outcome(&app.store, &running.id, outcome.0, outcome.1).await {
            tracing::error!(report_id = %running.id, error = %e, "compliance report outcome not saved");
        }
    });
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

/// `GetComplianceFile`: the report's zip.
pub async fn file(app: &App, report: &Compliance) -> AppResult<Vec<u8>> {
    app.files
        .store
        .read(&file_path(report))
        .await
        .map_err(|_| ComplianceError::FileMissing.into())
}

/// Writes the report's zip; the number of rows written.
async fn run(app: &App, report: &Compliance) -> AppResult<i64> {
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
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(model::POST_HEADER).map_err(failed)?;
    let (mut count, mut after) = (0i64, (i64::MIN, String::new()));
    loop {
        let posts = store::report_posts(&app.store, &filter, (after.0, &after.1), batch).await?;
        for post in &posts {
            csv.write_record(report_row(post)).map_err(failed)?;
        }
        count += posts.len() as i64;
        match posts.last() {
            Some(last) if posts.len() as i64 == batch => after = (last.createat, last.id.clone()),
            _ => break,
        }
    }
    let csv = csv.into_inner().map_err(failed)?;
    let zip = zip_of(&[("posts.csv", &csv)]).map_err(failed)?;
    app.files
        .store
        .write(&file_path(report), zip)
        .await
        .map_err(failed)?;
    Ok(count)
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

/// A deflated zip of `(name, bytes)` entries.
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

pub(crate) fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal("ent.compliance.run_failed.app_error", e)
}

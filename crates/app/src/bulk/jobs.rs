//! The `import_process` and `export_process` jobs (Mattermost's `jobs/import_process` and
//! `jobs/export_process`). An import job reads `data.import_file` from the import
//! directory, validates it whole, then applies it; a bad line fails the job with
//! `data.error` and `data.line_number`, and nothing is written. An export job writes
//! `{job id}_export.zip` to the export directory (`data.include_attachments` "false" leaves
//! the files out) and names it in `data.export_file`.

use super::files::{self, temporary};
use super::source::Source;
use super::{apply, export, validate};
use crate::jobs::runner::{JobRun, Progress, Worker};
use crate::App;
use utmost_model::job::Job;
use utmost_model::AppError;

pub const TYPE_IMPORT: &str = "import_process";
pub const TYPE_EXPORT: &str = "export_process";

pub struct ImportJobs;

fn line_failed(job: &mut Job, line: usize, error: String) -> AppError {
    job.data.insert("line_number".into(), line.to_string());
    AppError::bad_request(
        "app.import.bulk_import.line_error",
        format!("line {line}: {error}"),
    )
}

impl Worker for ImportJobs {
    fn job_type(&self) -> &'static str {
        TYPE_IMPORT
    }

    fn service_name(&self) -> &'static str {
        "import jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(async move {
            let name = job.data.get("import_file").cloned().unwrap_or_default();
            let local = files::fetch_import(app, &name).await?;
            let source = Source::open(&local.0).map_err(|e| {
                AppError::bad_request("app.import.bulk_import.file_error", e.to_string())
            })?;
            let report = validate::validate(app, &source).await;
            if let Some(first) = report.errors.first() {
                let error = format!(
                    "{} ({} bad lines; nothing was imported)",
                    first.error,
                    report.errors.len() as u64 + report.unlisted_errors
                );
                return Err(line_failed(job, first.line, error));
            }
            let total: u64 = report.lines.values().sum();
            let applied = apply::apply(app, &source, &|done| {
                progress.set(done, total);
                progress.go_on()
            })
            .await;
            match applied {
                Ok(_) => Ok(()),
                Err(e) => Err(line_failed(job, e.line, e.error)),
            }
        })
    }
}

pub struct ExportJobs;

impl Worker for ExportJobs {
    fn job_type(&self) -> &'static str {
        TYPE_EXPORT
    }

    fn service_name(&self) -> &'static str {
        "export jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(async move {
            let with_files =
                job.data.get("include_attachments").map(String::as_str) != Some("false");
            let name = format!("{}_export.zip", job.id);
            let local = temporary(&name);
            export::export(app, &local.0, with_files, &|_| progress.go_on()).await?;
            files::store_export(app, &local.0, &name).await?;
            job.data.insert("export_file".into(), name);
            Ok(())
        })
    }
}

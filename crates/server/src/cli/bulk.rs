//! `utmost import validate|apply FILE` and `utmost export FILE`: Mattermost's bulk import
//! and export (JSONL version 1, or a zip with the files), on the database directly.
//! `utmost import slack --team TEAM FILE` converts a Slack export and imports it.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::progress::Reporter;
use super::remote::{local_only, Remote};
use super::GlobalArgs;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use utmost_app::backup::Progress;
use utmost_app::bulk::{apply, export, slack, source::Source, validate};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Check every line of a .jsonl or .zip and list the bad ones; writes nothing.
    Validate { file: PathBuf },
    /// Check the whole file, then (if every line is good) import it. Running it again
    /// changes nothing, so a run cut short is finished by running it again.
    Apply { file: PathBuf },
    /// Import a Slack export zip into an existing team: convert it to the bulk format,
    /// check it whole, then import it (running it again changes nothing). Prints what was
    /// skipped and why.
    Slack {
        /// The name of the team the export goes into.
        #[arg(long)]
        team: String,
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write: a .jsonl, or a .zip (holding `import.jsonl`).
    pub file: PathBuf,
    /// Also write the posts' files and the custom emoji images (the file must be a .zip).
    #[arg(long)]
    pub attachments: bool,
}

/// Lines done so far, as the import and export report them, turned into the steps of a
/// `progress::Reporter` (a bar on a terminal, plain lines otherwise).
fn lines_done(reporter: &Reporter) -> impl Fn(u64) -> bool + '_ {
    let reported = AtomicU64::new(0);
    move |lines| {
        let before = reported.swap(lines, Ordering::Relaxed);
        reporter.advance(lines.saturating_sub(before), 0);
        true
    }
}

trait Counts {
    fn rows<'a>(self, counts: impl Iterator<Item = (&'a String, &'a u64)>) -> Self;
}

impl Counts for Table {
    fn rows<'a>(self, counts: impl Iterator<Item = (&'a String, &'a u64)>) -> Self {
        counts.fold(self, |t, (k, n)| t.row(vec![k.clone(), n.to_string()]))
    }
}

pub async fn run_import(global: &GlobalArgs, command: ImportCommand) -> anyhow::Result<()> {
    let json = global.json;
    Local::run(global, async |local: &Local| {
        let (file, apply_after) = match &command {
            ImportCommand::Validate { file } => (file, false),
            ImportCommand::Apply { file } => (file, true),
            ImportCommand::Slack { team, file } => return run_slack(local, json, team, file).await,
        };
        let source = Source::open(file)?;
        let report = validate::validate(&local.app, &source).await;
        if !report.is_valid() {
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                for e in &report.errors {
                    eprintln!("{e}");
                }
                if report.unlisted_errors > 0 {
                    eprintln!("… and {} more bad lines", report.unlisted_errors);
                }
            }
            bail!(
                "{} has {} bad lines; nothing was imported",
                file.display(),
                report.errors.len() as u64 + report.unlisted_errors
            );
        }
        if !apply_after {
            return emit(json, serde_json::to_value(&report)?, || {
                Table::new(&["line type", "lines"]).rows(report.lines.iter())
            });
        }
        let reporter = Reporter::new("import");
        reporter.step("importing lines", Some(report.lines.values().sum()));
        let applied = apply::apply(&local.app, &source, &lines_done(&reporter)).await;
        reporter.finish();
        let lines = applied
            .map_err(|e| anyhow!("{e}; the lines before it are imported, run again to finish"))?;
        emit(json, serde_json::json!({ "imported_lines": lines }), || {
            Table::new(&["imported lines"]).row(vec![lines.to_string()])
        })
    })
    .await
}

async fn run_slack(local: &Local, json: bool, team: &str, file: &Path) -> anyhow::Result<()> {
    let reporter = Reporter::new("import");
    reporter.step("converting the Slack export", None);
    let started = AtomicBool::new(false);
    let reported = AtomicU64::new(0);
    let progress = |done: u64, total: u64| {
        if !started.swap(true, Ordering::Relaxed) {
            reporter.step("importing lines", Some(total));
        }
        let before = reported.swap(done, Ordering::Relaxed);
        reporter.advance(done.saturating_sub(before), 0);
        true
    };
    let imported = slack::import(&local.app, file, team, &progress).await;
    reporter.finish();
    let report = imported.map_err(app_error)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.log());
    }
    Ok(())
}

pub async fn run_export(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<()> {
    let json = global.json;
    if args.attachments && args.file.extension().is_none_or(|e| e != "zip") {
        bail!("--attachments writes a .zip");
    }
    Local::run(global, async |local: &Local| {
        let reporter = Reporter::new("export");
        reporter.step("exporting lines", None);
        let exported = export::export(
            &local.app,
            &args.file,
            args.attachments,
            &lines_done(&reporter),
        )
        .await;
        reporter.finish();
        let done = exported.map_err(app_error)?;
        emit(json, serde_json::to_value(&done)?, || {
            Table::new(&["line type", "lines"])
                .rows(done.lines.iter())
                .row(vec!["files".to_string(), done.files.to_string()])
        })
    })
    .await
}

/// `import apply` through a running server (`--remote`): the file uploaded into the server's
/// import directory (an `import` upload session, as mmctl's `import upload`), then an
/// `import_process` job, waited for (mmctl's `import process`). Validating alone reads the
/// file where it is: run `import validate` locally.
pub async fn remote_import(r: &Remote, command: ImportCommand, json: bool) -> anyhow::Result<()> {
    let ImportCommand::Apply { file } = command else {
        return Err(local_only("utmost import validate and import slack"));
    };
    let size = std::fs::metadata(&file)
        .map_err(|e| anyhow!("{}: {e}", file.display()))?
        .len();
    let filename = file
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| anyhow!("{}: not a file name", file.display()))?;
    let body = serde_json::json!({"type": "import", "filename": filename, "file_size": size});
    let upload: serde_json::Value = r.post("/uploads", body).await?;
    let upload_id = upload["id"].as_str().unwrap_or_default();
    r.upload_file(&format!("/uploads/{upload_id}"), &file)
        .await?;
    let data = serde_json::json!({"import_file": format!("{upload_id}_{filename}")});
    let job = r.run_job("import_process", data).await?;
    super::output::show_job(json, &job)
}

/// `export` through a running server (`--remote`): an `export_process` job, waited for,
/// and its zip downloaded into `file` (mmctl's `export create` and `export download`).
pub async fn remote_export(r: &Remote, args: ExportArgs, json: bool) -> anyhow::Result<()> {
    if args.file.extension().is_none_or(|e| e != "zip") {
        bail!("a server exports a .zip: name the file …/name.zip");
    }
    let data = serde_json::json!({"include_attachments": args.attachments.to_string()});
    let job = r.run_job("export_process", data).await?;
    let name = job["data"]["export_file"]
        .as_str()
        .ok_or_else(|| anyhow!("the export job named no file: {job}"))?;
    let bytes = r.download(&format!("/exports/{name}"), &args.file).await?;
    emit(
        json,
        serde_json::json!({"file": args.file, "bytes": bytes, "job": job}),
        || {
            Table::new(&["file", "bytes", "job"]).row(vec![
                args.file.display().to_string(),
                bytes.to_string(),
                job["id"].as_str().unwrap_or_default().to_string(),
            ])
        },
    )
}

//! `utmost import validate|apply FILE` and `utmost export FILE`: Mattermost's bulk import
//! and export (JSONL version 1, or a zip with the files), on the database directly.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::progress::Reporter;
use super::GlobalArgs;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use utmost_app::backup::Progress;
use utmost_app::bulk::{apply, export, source::Source, validate};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Check every line of a .jsonl or .zip and list the bad ones; writes nothing.
    Validate { file: PathBuf },
    /// Check the whole file, then (if every line is good) import it. Running it again
    /// changes nothing, so a run cut short is finished by running it again.
    Apply { file: PathBuf },
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

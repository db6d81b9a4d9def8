//! `utmost import validate|apply FILE` and `utmost export FILE`: Mattermost's bulk import
//! and export (JSONL version 1, or a zip with the files), on the database directly.

use super::local::{app_error, Local};
use super::output::{emit, Table};
use super::GlobalArgs;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
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

/// Progress of a long command: a bar (or, with no known total, a counter) with the rate
/// on a terminal, else a plain line to stderr every [`EVERY`] lines, for logs.
enum Progress {
    Bar(ProgressBar),
    Lines {
        what: &'static str,
        started: Instant,
        last: AtomicU64,
    },
}

const EVERY: u64 = 10_000;

impl Progress {
    fn new(what: &'static str, total: Option<u64>) -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress::Lines {
                what,
                started: Instant::now(),
                last: AtomicU64::new(0),
            };
        }
        let (bar, template) = match total {
            Some(total) => (
                ProgressBar::new(total),
                "{msg} [{bar:40}] {pos}/{len} lines, {per_sec}, {eta} left",
            ),
            None => (
                ProgressBar::new_spinner(),
                "{msg} {spinner} {pos} lines, {per_sec}",
            ),
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        bar.set_message(what);
        Progress::Bar(bar)
    }

    fn tell(&self, lines: u64) -> bool {
        match self {
            Progress::Bar(bar) => bar.set_position(lines),
            Progress::Lines {
                what,
                started,
                last,
            } => {
                if lines / EVERY > last.load(Ordering::Relaxed) / EVERY {
                    let rate = lines as f64 / started.elapsed().as_secs_f64().max(0.001);
                    eprintln!("{what}: {lines} lines ({rate:.0} lines/s)");
                }
                last.store(lines, Ordering::Relaxed);
            }
        }
        true
    }

    fn finish(&self) {
        if let Progress::Bar(bar) = self {
            bar.finish();
        }
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
        let progress = Progress::new("importing", Some(report.lines.values().sum()));
        let applied = apply::apply(&local.app, &source, &|n| progress.tell(n)).await;
        progress.finish();
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
        let progress = Progress::new("exporting", None);
        let exported = export::export(&local.app, &args.file, args.attachments, &|n| {
            progress.tell(n)
        })
        .await;
        progress.finish();
        let done = exported.map_err(app_error)?;
        emit(json, serde_json::to_value(&done)?, || {
            Table::new(&["line type", "lines"])
                .rows(done.lines.iter())
                .row(vec!["files".to_string(), done.files.to_string()])
        })
    })
    .await
}

//! `utmost backup DEST`, `utmost backup verify DEST` and `utmost restore DIR`: they work on
//! the configured database and file store directly, and `backup` while the server runs.

use super::output::{emit, Table};
use super::progress::Reporter;
use super::GlobalArgs;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use std::path::PathBuf;
use utmost_app::backup::{self, BackupError, Manifest, PgTools};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub check: Option<BackupCheck>,
    /// The directory to write the backup into (new or empty).
    pub dest: Option<PathBuf>,
    #[command(flatten)]
    pub tools: ToolArgs,
}

#[derive(Debug, Subcommand)]
pub enum BackupCheck {
    /// Check every file of a backup against its manifest and that its database opens.
    Verify {
        /// The backup directory.
        dest: PathBuf,
        #[command(flatten)]
        tools: ToolArgs,
    },
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup directory (it is verified first).
    pub dir: PathBuf,
    #[command(flatten)]
    pub tools: ToolArgs,
}

#[derive(Debug, Args)]
pub struct ToolArgs {
    /// The directory of the PostgreSQL client programs (pg_dump, pg_restore) to use instead
    /// of those on the PATH.
    #[arg(long)]
    pub pg_bin_dir: Option<PathBuf>,
}

impl ToolArgs {
    fn tools(&self) -> PgTools {
        PgTools {
            bin_dir: self.pg_bin_dir.clone(),
        }
    }
}

pub async fn run_backup(global: &GlobalArgs, args: BackupArgs) -> anyhow::Result<()> {
    let reporter = Reporter::new("backup");
    match (args.check, args.dest) {
        (Some(BackupCheck::Verify { dest, tools }), _) => {
            let verified = backup::verify(&dest, &tools.tools(), &reporter).await;
            reporter.finish();
            let manifest = verified.map_err(explain)?;
            report(global.json, "verified", &dest, &manifest)
        }
        (None, Some(dest)) => {
            let config = global.load_config()?.config;
            let taken = backup::take(&config, &dest, &args.tools.tools(), &reporter).await;
            reporter.finish();
            let manifest = taken.map_err(explain)?;
            report(global.json, "backed up", &dest, &manifest)
        }
        (None, None) => Err(anyhow!(
            "name the directory to back up into: utmost backup DEST"
        )),
    }
}

pub async fn run_restore(global: &GlobalArgs, args: RestoreArgs) -> anyhow::Result<()> {
    let config = global.load_config()?.config;
    let reporter = Reporter::new("restore");
    let restored = backup::restore(&config, &args.dir, &args.tools.tools(), &reporter).await;
    reporter.finish();
    let manifest = restored.map_err(explain)?;
    report(global.json, "restored", &args.dir, &manifest)
}

/// A failure as the operator reads it: each problem of a damaged backup on its own line.
fn explain(e: BackupError) -> anyhow::Error {
    match e {
        BackupError::Damaged(problems) => {
            let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
            anyhow!(
                "the backup is damaged ({} problems):\n{}",
                problems.len(),
                lines.join("\n")
            )
        }
        e => anyhow!(e),
    }
}

fn report(
    json: bool,
    done: &str,
    dir: &std::path::Path,
    manifest: &Manifest,
) -> anyhow::Result<()> {
    let bytes: u64 = manifest.files.iter().map(|f| f.size).sum();
    emit(
        json,
        serde_json::json!({
            "status": done,
            "directory": dir,
            "created_at": manifest.created_at,
            "database": manifest.database.kind,
            "schema_version": manifest.database.schema_version,
            "database_bytes": manifest.database.snapshot.size,
            "files": manifest.files.len(),
            "file_bytes": bytes,
        }),
        || {
            Table::new(&[
                "status",
                "directory",
                "database",
                "schema",
                "files",
                "file bytes",
            ])
            .row(vec![
                done.to_string(),
                dir.display().to_string(),
                manifest.database.kind.clone(),
                manifest.database.schema_version.to_string(),
                manifest.files.len().to_string(),
                bytes.to_string(),
            ])
        },
    )
}

//! `utmost audit verify [--file PATH]`: walks the audit file and its rotated files, oldest
//! first, and checks that each line carries the SHA-256 of the line before it
//! (`app::audit::file`). Reads files only; no database, no server.

use super::GlobalArgs;
use anyhow::anyhow;
use clap::Subcommand;
use std::path::PathBuf;
use utmost_app::audit::file::{self, Verdict};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit file's hash chain: "ok, N records", or the first broken link (file and
    /// line) with a non-zero exit.
    Verify {
        /// The audit file (default: `ExperimentalAuditSettings.FileName` of the configuration).
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

pub async fn run(global: &GlobalArgs, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify { file } => {
            let path = match file {
                Some(path) => path,
                None => file::configured_path(&global.load_config()?.config),
            };
            if file::chain_files(&path).is_empty() {
                return Err(anyhow!("no audit file at {}", path.display()));
            }
            let verdict = tokio::task::spawn_blocking(move || file::verify(&path)).await??;
            match verdict {
                Verdict::Ok {
                    records,
                    files,
                    first_seq,
                } => {
                    if global.json {
                        println!(
                            "{}",
                            serde_json::json!({"ok": true, "records": records, "files": files, "first_seq": first_seq})
                        );
                    } else {
                        println!("ok, {records} records");
                        if first_seq > 1 {
                            println!(
                                "(the chain starts at record {first_seq}: older files were deleted by rotation)"
                            );
                        }
                    }
                    Ok(())
                }
                Verdict::Broken { file, line, reason } => Err(anyhow!(
                    "broken link at {} line {line}: {reason}",
                    file.display()
                )),
            }
        }
    }
}

//! `utmost logs [--number N]`: mmctl's `logs`, the last lines of the server's log file.

use super::remote::Remote;
use super::GlobalArgs;
use anyhow::{bail, Context};
use clap::Args;

/// Bytes read from the end of the file to find the last lines.
const TAIL_BYTES: u64 = 4 << 20;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// How many lines, the newest last.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub number: u32,
}

/// The server's log file (`LogSettings.FileLocation`), read here.
pub fn run(global: &GlobalArgs, args: &LogsArgs) -> anyhow::Result<()> {
    let config = global.load_config()?.config;
    if !config.log_settings.enable_file {
        bail!("LogSettings.EnableFile is off: the server writes no log file");
    }
    let path = utmost_app::logs::file_path(&config.log_settings);
    let bytes = utmost_app::logs::tail(&path, TAIL_BYTES)
        .with_context(|| format!("reading {}", path.display()))?
        .with_context(|| format!("no log file at {}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(args.number as usize);
    print(
        &lines[from..]
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>(),
    );
    Ok(())
}

/// `GET /logs` of a running server.
pub async fn remote(r: &Remote, args: &LogsArgs) -> anyhow::Result<()> {
    let lines: Vec<String> = r
        .get(&format!("/logs?page=0&logs_per_page={}", args.number))
        .await?;
    print(&lines);
    Ok(())
}

fn print(lines: &[String]) {
    for line in lines.iter().filter(|l| !l.is_empty()) {
        println!("{line}");
    }
}

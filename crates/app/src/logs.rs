//! The server's logs (Mattermost's `LogSettings`, `platform/log.go`): the console and the
//! log file as tracing layers (`init`), both following a saved configuration without a
//! restart (`Logging::follow`), and the reads of the file that `/api/v4/logs`,
//! `/logs/query`, `/logs/download` and the support packet make.
//!
//! The file is `mattermost.log` in `FileLocation` (a directory; empty: `./logs`), rotated by
//! size (`rotate`). It is written line by line as events happen, so a read sees every line
//! logged before it.

pub mod file_log;
pub use file_log::REQUEST_SPAN;
pub mod rotate;

use crate::AppResult;
use file_log::FileLog;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Layer, Registry};
use utmost_config::{Config, LogSettings};
use utmost_model::AppError;

/// Mattermost's file name in `FileLocation`.
pub const LOG_FILENAME: &str = "mattermost.log";

/// The default and the maximum of `logs_per_page`.
pub const LOGS_PER_PAGE: usize = 10_000;

/// The log file `settings` name.
pub fn file_path(settings: &LogSettings) -> PathBuf {
    let dir = if settings.file_location.trim().is_empty() {
        PathBuf::from("logs")
    } else {
        PathBuf::from(settings.file_location.trim())
    };
    dir.join(LOG_FILENAME)
}

type ConsoleFilter = reload::Handle<EnvFilter, Registry>;

/// The logging installed by `init`: what follows a configuration change.
#[derive(Clone)]
pub struct Logging {
    /// The console's level, unless `RUST_LOG` fixed it (then it wins, so an operator can turn
    /// up one module without a config change).
    console: Option<ConsoleFilter>,
    file: Arc<FileLog>,
}

/// Installs the process's logging from `config`: the console (stderr; JSON with
/// `ConsoleJson`, colours with `EnableColor`) and the log file, each with its own level.
/// `None` when a subscriber was already installed (tests, a second init).
pub fn init(config: &Config) -> Option<Logging> {
    let log = &config.log_settings;
    let from_env = EnvFilter::try_from_default_env().ok();
    let fixed = from_env.is_some();
    let filter = from_env.unwrap_or_else(|| console_filter(log));
    let (filter, handle) = reload::Layer::new(filter);
    let console: Option<Box<dyn Layer<Registry> + Send + Sync>> = if !log.enable_console {
        None
    } else if log.console_json {
        Some(
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(std::io::stderr)
                .with_filter(filter)
                .boxed(),
        )
    } else {
        Some(
            tracing_subscriber::fmt::layer()
                .with_ansi(log.enable_color)
                .with_writer(std::io::stderr)
                .with_filter(filter)
                .boxed(),
        )
    };
    let file = FileLog::new(log);
    let file_layer = file.layer::<Registry>().boxed();
    let layers: Vec<Box<dyn Layer<Registry> + Send + Sync>> =
        console.into_iter().chain([file_layer]).collect();
    Registry::default().with(layers).try_init().ok()?;
    Some(Logging {
        console: (!fixed && log.enable_console).then_some(handle),
        file,
    })
}

fn console_filter(log: &LogSettings) -> EnvFilter {
    EnvFilter::new(file_log::parse_level(&log.console_level).to_string())
}

impl Logging {
    /// Takes `settings` in force: the console's level, and everything of the file.
    pub fn apply(&self, settings: &LogSettings) {
        if let Some(console) = &self.console {
            let _ = console.reload(console_filter(settings));
        }
        self.file.apply(settings);
    }

    /// Follows every saved configuration change of `app` from now on.
    pub fn follow(&self, app: &crate::App) {
        let logging = self.clone();
        app.add_config_listener(move |old, new| {
            if old.log_settings != new.log_settings {
                logging.apply(&new.log_settings);
            }
        });
    }
}

/// The lines read from the end of a file, newest first, without their newlines; empty
/// lines are skipped. Reads backwards a block at a time, so a page near the end costs
/// little whatever the file's size.
struct Backwards {
    file: File,
    pos: u64,
    /// The start of the block last read: a line that may continue in the block before.
    carry: Vec<u8>,
    /// Whole lines of the last block, oldest first (taken from the end).
    ready: Vec<Vec<u8>>,
}

const BLOCK: u64 = 64 * 1024;
/// A line longer than this is cut to its end (no line the server writes comes near).
const MAX_LINE: usize = 1024 * 1024;

impl Backwards {
    fn open(path: &Path) -> std::io::Result<Backwards> {
        let file = File::open(path)?;
        let pos = file.metadata()?.len();
        Ok(Backwards {
            file,
            pos,
            carry: Vec::new(),
            ready: Vec::new(),
        })
    }

    fn next_line(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(line) = self.ready.pop() {
                if !line.is_empty() {
                    return Ok(Some(line));
                }
                continue;
            }
            if self.pos == 0 {
                let last = std::mem::take(&mut self.carry);
                return Ok((!last.is_empty()).then_some(last));
            }
            let start = self.pos.saturating_sub(BLOCK);
            let mut block = vec![0u8; usize::try_from(self.pos - start).unwrap_or(0)];
            self.file.seek(SeekFrom::Start(start))?;
            self.file.read_exact(&mut block)?;
            self.pos = start;
            block.extend_from_slice(&self.carry);
            let mut parts: Vec<Vec<u8>> =
                block.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
            // The first part may begin in the block before.
            let mut first = parts.remove(0);
            if first.len() > MAX_LINE {
                first.drain(..first.len() - MAX_LINE);
            }
            self.carry = first;
            self.ready = parts;
        }
    }
}

/// Mattermost's `LogFilter` (`POST /logs/query`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LogFilter {
    pub server_names: Vec<String>,
    pub log_levels: Vec<String>,
    pub date_from: String,
    pub date_to: String,
}

impl LogFilter {
    /// Whether the JSON line `entry` passes (a line that is not a log entry always does).
    fn passes(&self, entry: &serde_json::Value) -> bool {
        if !self.log_levels.is_empty() {
            let level = entry["level"].as_str().unwrap_or_default();
            if !self.log_levels.iter().any(|l| l == level) {
                return false;
            }
        }
        if self.date_from.is_empty() && self.date_to.is_empty() {
            return true;
        }
        let Some(at) = entry["timestamp"].as_str().and_then(parse_timestamp) else {
            return true;
        };
        let from =
            parse_timestamp(&self.date_from).unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let to = parse_timestamp(&self.date_to).unwrap_or_else(chrono::Utc::now);
        at >= from && at <= to
    }
}

/// `2026-01-02 15:04:05.000 Z` or with an offset (`+01:00`), as Mattermost writes and
/// its filter takes them.
fn parse_timestamp(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = text.trim();
    let normalized = text.strip_suffix(" Z").map(|t| format!("{t} +00:00"));
    let text = normalized.as_deref().unwrap_or(text);
    chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f %:z")
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// A page of the file's lines (Mattermost's `GetLogsSkipSend`): page 0 is the last
/// `per_page` lines, page 1 the ones before, each page oldest first. With `filter`, only
/// the JSON lines it passes count (lines that are not JSON always do).
fn page_of(
    path: &Path,
    page: usize,
    per_page: usize,
    filter: Option<&LogFilter>,
) -> std::io::Result<Vec<String>> {
    let mut lines = Vec::new();
    if per_page == 0 {
        return Ok(lines);
    }
    let mut reader = match Backwards::open(path) {
        Ok(reader) => reader,
        // Nothing logged yet.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(lines),
        Err(e) => return Err(e),
    };
    let skip = page.saturating_mul(per_page);
    let mut seen = 0usize;
    while let Some(line) = reader.next_line()? {
        if let Some(filter) = filter {
            if let Ok(entry) = serde_json::from_slice::<serde_json::Value>(&line) {
                if !filter.passes(&entry) {
                    continue;
                }
            }
        }
        seen += 1;
        if seen <= skip {
            continue;
        }
        lines.push(String::from_utf8_lossy(&line).into_owned());
        if lines.len() == per_page {
            break;
        }
    }
    lines.reverse();
    Ok(lines)
}

/// Mattermost's 500 for a log file that cannot be read.
fn read_error(e: std::io::Error) -> AppError {
    AppError::internal("api.admin.file_read_error", e)
}

/// `GET /logs`: a page of the log file's lines; `[""]` when the file log is off, as
/// Mattermost answers.
pub async fn page(app: &crate::App, page: usize, per_page: usize) -> AppResult<Vec<String>> {
    let settings = app.config().log_settings.clone();
    if !settings.enable_file {
        return Ok(vec![String::new()]);
    }
    let path = file_path(&settings);
    tokio::task::spawn_blocking(move || page_of(&path, page, per_page, None))
        .await
        .map_err(|e| read_error(std::io::Error::other(e)))?
        .map_err(read_error)
}

/// `POST /logs/query`: the lines `filter` passes, parsed, under this server's name
/// (`default`, Mattermost's name of a server outside a cluster). A line that is not JSON is
/// left out, as Mattermost does.
pub async fn query(
    app: &crate::App,
    page: usize,
    per_page: usize,
    filter: LogFilter,
) -> AppResult<serde_json::Map<String, serde_json::Value>> {
    let settings = app.config().log_settings.clone();
    let mut answer = serde_json::Map::new();
    if !filter.server_names.is_empty() && !filter.server_names.iter().any(|n| n == "default") {
        return Ok(answer);
    }
    let lines = if settings.enable_file {
        let path = file_path(&settings);
        tokio::task::spawn_blocking(move || page_of(&path, page, per_page, Some(&filter)))
            .await
            .map_err(|e| read_error(std::io::Error::other(e)))?
            .map_err(read_error)?
    } else {
        Vec::new()
    };
    let entries: Vec<serde_json::Value> = lines
        .iter()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    answer.insert("default".into(), serde_json::Value::Array(entries));
    Ok(answer)
}

/// The last `max` bytes of the log file from a line's start (the whole file when smaller);
/// `None` when there is no file.
pub fn tail(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let start = len.saturating_sub(max);
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes)?;
    if start > 0 {
        let cut = bytes.iter().position(|b| *b == b'\n').map_or(0, |i| i + 1);
        bytes.drain(..cut);
    }
    Ok(Some(bytes))
}

/// `GET /logs/download`: the log file's path, for streaming; an error when the file log is
/// off or has no file (Mattermost's `GetLogFile` fails the same way).
pub fn download_path(app: &crate::App) -> AppResult<PathBuf> {
    let settings = app.config().log_settings.clone();
    if !settings.enable_file {
        return Err(AppError::internal(
            "api.system.logs.download_bytes_buffer.app_error",
            "Unable to retrieve the logs because LogSettings.EnableFile is set to false",
        ));
    }
    let path = file_path(&settings);
    if !path.exists() {
        return Err(AppError::internal(
            "api.system.logs.download_bytes_buffer.app_error",
            "The log file does not exist yet",
        ));
    }
    Ok(path)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn file_with(lines: &[String]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("utmost-logs-unit-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(LOG_FILENAME);
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn pages_count_from_the_end_and_read_oldest_first() {
        // Long lines, so pages cross the 64 KiB blocks.
        let lines: Vec<String> = (0..3000)
            .map(|n| format!("{n:05} {}", "x".repeat(100)))
            .collect();
        let path = file_with(&lines);
        let last = page_of(&path, 0, 10, None).unwrap();
        assert_eq!(last, lines[2990..].to_vec());
        let before = page_of(&path, 1, 1000, None).unwrap();
        assert_eq!(before, lines[1000..2000].to_vec());
        let first = page_of(&path, 2, 1000, None).unwrap();
        assert_eq!(first, lines[..1000].to_vec());
        assert!(page_of(&path, 3, 1000, None).unwrap().is_empty());
        let all = page_of(&path, 0, 10_000, None).unwrap();
        assert_eq!(all, lines);
        assert!(page_of(&path.with_file_name("missing.log"), 0, 10, None)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn the_query_filter_takes_levels_and_dates() {
        let entry = |ts: &str, level: &str| {
            format!(r#"{{"timestamp":"{ts}","level":"{level}","msg":"m","caller":"c"}}"#)
        };
        let lines = vec![
            entry("2026-01-01 10:00:00.000 Z", "info"),
            entry("2026-01-02 10:00:00.000 Z", "error"),
            "not json".to_string(),
            entry("2026-01-03 10:00:00.000 Z", "info"),
        ];
        let path = file_with(&lines);
        let errors = LogFilter {
            log_levels: vec!["error".into()],
            ..LogFilter::default()
        };
        assert_eq!(
            page_of(&path, 0, 10, Some(&errors)).unwrap(),
            vec![lines[1].clone(), lines[2].clone()]
        );
        let dates = LogFilter {
            date_from: "2026-01-01 12:00:00.000 +00:00".into(),
            date_to: "2026-01-02 12:00:00.000 +00:00".into(),
            ..LogFilter::default()
        };
        assert_eq!(
            page_of(&path, 0, 10, Some(&dates)).unwrap(),
            vec![lines[1].clone(), lines[2].clone()]
        );
    }

    #[test]
    fn the_tail_starts_at_a_line() {
        let lines: Vec<String> = (0..100).map(|n| format!("line {n:03}")).collect();
        let path = file_with(&lines);
        let end = String::from_utf8(tail(&path, 30).unwrap().unwrap()).unwrap();
        assert_eq!(end, "line 097\nline 098\nline 099\n");
        assert!(tail(&path.with_file_name("none.log"), 30)
            .unwrap()
            .is_none());
    }
}

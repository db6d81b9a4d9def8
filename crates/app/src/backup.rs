//! Backup and restore of an installation: the database (a SQLite snapshot or a `pg_dump`
//! archive) and every file of the file store, described by a manifest with each file's
//! size and SHA-256. The search index is not in a backup: the indexer rebuilds it from the
//! database on a fresh index directory.
//!
//! A backup directory holds `manifest.json` (written last: a directory without it is an
//! unfinished backup), the database snapshot and `files/` with the file store's keys.

mod postgres;
mod restore;
mod take;
mod verify;

pub use postgres::PgTools;
pub use restore::restore;
pub use take::take;
pub use verify::{verify, Problem};

use crate::files::storage::StorageError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;
use utmost_config::Config;
use utmost_store::{DbKind, Store, StoreError};

pub const MANIFEST: &str = "manifest.json";
/// The layout this code writes and reads; a newer one is refused.
pub const FORMAT_VERSION: u32 = 1;
const FILES_DIR: &str = "files";
const SQLITE_SNAPSHOT: &str = "database.sqlite";
const POSTGRES_ARCHIVE: &str = "database.pgdump";

/// The `systems` row naming the last backup taken, which `utmost doctor` reads.
const LAST_BACKUP: &str = "UtmostLastBackup";

/// The last backup `take` finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastBackup {
    /// When its database snapshot was taken (milliseconds since the epoch).
    pub created_at: i64,
    /// Where it was written, as the command was given it.
    pub path: String,
}

async fn record_last(store: &Store, dest: &Path, created_at: i64) -> Result<(), StoreError> {
    let last = LastBackup {
        created_at,
        path: dest.display().to_string(),
    };
    let value = serde_json::to_string(&last).unwrap_or_default();
    utmost_store::systems::set(store, LAST_BACKUP, &value).await
}

/// The last backup taken of this database; `None` before the first (or when the row is not
/// readable).
pub async fn last_taken(store: &Store) -> Result<Option<LastBackup>, StoreError> {
    let value = utmost_store::systems::get(store, LAST_BACKUP).await?;
    Ok(value.and_then(|v| serde_json::from_str(&v).ok()))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    /// The Utmost version that took the backup.
    pub utmost_version: String,
    /// When the database snapshot was taken (milliseconds since the epoch).
    pub created_at: i64,
    pub database: Database,
    /// `FileSettings.DriverName` of the store the files came from.
    pub file_store: String,
    /// The file store's files, by their keys (Mattermost's paths), under `files/`.
    pub files: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Database {
    /// `sqlite` or `postgres`.
    pub kind: String,
    /// The last migration applied to the database when it was copied.
    pub schema_version: i64,
    /// The snapshot, by its path in the backup directory.
    pub snapshot: Entry,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The operation would be unsafe or cannot work as asked; the message says why and what
    /// to do.
    #[error("{0}")]
    Refused(String),
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("file store: {0}")]
    Storage(#[from] StorageError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A PostgreSQL client program failed.
    #[error("{0}")]
    Tool(String),
    #[error("{} problem(s) found in the backup", .0.len())]
    Damaged(Vec<Problem>),
}

/// Where a long operation reports: the CLI draws a bar on a terminal and plain lines
/// otherwise.
pub trait Progress: Send + Sync {
    /// A new step begins: what it does and, when known, how many items it has.
    fn step(&self, name: &str, total: Option<u64>);
    /// `items` more items (and `bytes` more bytes) of the step are done.
    fn advance(&self, items: u64, bytes: u64);
    /// Something the operator should read (a file that vanished during the copy).
    fn warn(&self, message: &str);
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn kind_name(kind: DbKind) -> &'static str {
    match kind {
        DbKind::Sqlite => "sqlite",
        DbKind::Postgres => "postgres",
    }
}

/// A file store key as a path under `root`; a key that would leave `root` is refused (a
/// manifest is read from disk and trusted no further than that).
fn local_path(root: &Path, key: &str) -> Result<PathBuf, BackupError> {
    let mut path = root.to_path_buf();
    for segment in key.split('/') {
        if segment.is_empty() || segment == "." || segment == ".." || segment.contains('\\') {
            return Err(BackupError::Refused(format!(
                "the file path {key:?} in the manifest is not a file store key"
            )));
        }
        path.push(segment);
    }
    Ok(path)
}

/// The size and SHA-256 of the file at `path`, read in bounded memory.
async fn checksum(path: &Path) -> Result<(u64, String), BackupError> {
    let mut file = tokio::fs::File::open(path).await.map_err(io_error(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).await.map_err(io_error(path))?;
        if n == 0 {
            return Ok((size, hex::encode(hasher.finalize())));
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
}

/// The keys a listing of the file store must skip: on a local store, whatever of the
/// server's own lives in its directory (the SQLite database, the search index) and the
/// backup directory itself.
struct NotFiles {
    prefixes: Vec<String>,
}

impl NotFiles {
    fn of(config: &Config, backup_dir: &Path) -> Self {
        let mut prefixes = Vec::new();
        let settings = &config.file_settings;
        if settings.driver_name == crate::files::storage::DRIVER_LOCAL {
            if let Ok(root) = std::path::absolute(&settings.directory) {
                let mut own = vec![crate::search::index_dir(config), backup_dir.to_path_buf()];
                if let Some(db) = sqlite_file(config) {
                    own.extend(sqlite_companions(&db));
                }
                prefixes = own
                    .iter()
                    .filter_map(|p| std::path::absolute(p).ok())
                    .filter_map(|p| {
                        let rel = p.strip_prefix(&root).ok()?;
                        let parts: Vec<_> = rel.iter().map(|s| s.to_string_lossy()).collect();
                        (!parts.is_empty()).then(|| parts.join("/"))
                    })
                    .collect();
            }
        }
        Self { prefixes }
    }

    fn skips(&self, key: &str) -> bool {
        self.prefixes.iter().any(|p| {
            key == p
                || key
                    .strip_prefix(p.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

/// The configured SQLite database file; `None` on PostgreSQL.
fn sqlite_file(config: &Config) -> Option<PathBuf> {
    if !config.sql_settings.driver_name.starts_with("sqlite") {
        return None;
    }
    let url = config.database_url();
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(&url);
    Some(PathBuf::from(path))
}

/// A SQLite database file and the files SQLite keeps beside it.
fn sqlite_companions(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

/// Every file of the store a backup copies, with its size.
async fn list_files(
    files: &crate::files::storage::FileStore,
    not_files: &NotFiles,
) -> Result<Vec<(String, u64)>, BackupError> {
    use futures_util::TryStreamExt;
    let mut listed: Vec<(String, u64)> = files
        .list_all()
        .try_filter(|(key, _)| std::future::ready(!not_files.skips(key)))
        .try_collect()
        .await?;
    listed.sort();
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_that_climbs_out_of_the_backup_is_refused() {
        let root = Path::new("/backup/files");
        assert_eq!(
            local_path(root, "20260101/teams/t/f.txt").unwrap(),
            root.join("20260101/teams/t/f.txt")
        );
        for bad in ["../etc/passwd", "a/../../x", "/abs", "a//b", "a\\..\\b", ""] {
            assert!(local_path(root, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_database_index_and_backup_in_the_data_directory_are_not_files() {
        let mut config = Config::default();
        config.file_settings.directory = "/srv/utmost/data".into();
        config.sql_settings.driver_name = "sqlite".into();
        let not_files = NotFiles::of(&config, Path::new("/srv/utmost/data/backups/monday"));
        for skipped in [
            "utmost.db",
            "utmost.db-wal",
            "search/meta.json",
            "backups/monday/manifest.json",
        ] {
            assert!(not_files.skips(skipped), "{skipped}");
        }
        for kept in [
            "utmost.dbx",
            "20260101/teams/t/f.txt",
            "searching/x",
            "backups/tuesday",
        ] {
            assert!(!not_files.skips(kept), "{kept}");
        }
    }
}

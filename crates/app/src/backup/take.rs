//! `utmost backup DEST`: a consistent copy of a running installation.
//!
//! The database is copied first, in one snapshot, then the file store is listed and copied.
//! A file is written before the row that names it, so every file the snapshot refers to is
//! already in the store when the listing runs: the backup never holds a row without its file.
//! Files written after the snapshot are copied too, and are simply unreferenced.

use super::{
    checksum, io_error, kind_name, list_files, local_path, BackupError, Database, Entry, Manifest,
    NotFiles, PgTools, Progress, FILES_DIR, FORMAT_VERSION, MANIFEST, POSTGRES_ARCHIVE,
    SQLITE_SNAPSHOT,
};
use crate::files::storage::{FileStore, StorageError};
use futures_util::{StreamExt, TryStreamExt};
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;
use utmost_config::Config;
use utmost_store::{backup as db, DbKind, Store};

/// Files copied at once: enough to keep an S3 connection pool busy, few enough for a disk.
const COPIES_IN_FLIGHT: usize = 4;

/// Backs the configured installation up into `dest`, a new or empty directory.
pub async fn take(
    config: &Config,
    dest: &Path,
    tools: &PgTools,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    prepare(dest).await?;
    let files = FileStore::from_settings(&config.file_settings)?;
    let store = Store::connect(&crate::store_options(config)).await?;
    let result = take_from(config, &store, &files, dest, tools, progress).await;
    store.close().await;
    result
}

async fn take_from(
    config: &Config,
    store: &Store,
    files: &FileStore,
    dest: &Path,
    tools: &PgTools,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    let (database, created_at) = snapshot_database(config, store, dest, tools, progress).await?;

    progress.step("listing the file store", None);
    let listed = list_files(files, &NotFiles::of(config, dest)).await?;
    progress.step("copying files", Some(listed.len() as u64));
    let root = dest.join(FILES_DIR);
    let mut copied: Vec<Entry> = futures_util::stream::iter(listed)
        .map(|(key, _)| copy_out(files, &root, key, progress))
        .buffer_unordered(COPIES_IN_FLIGHT)
        .try_filter_map(|entry| std::future::ready(Ok(entry)))
        .try_collect()
        .await?;
    copied.sort_by(|a, b| a.path.cmp(&b.path));

    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        utmost_version: utmost_model::UTMOST_VERSION.to_string(),
        created_at,
        database,
        file_store: files.driver().to_string(),
        files: copied,
    };
    write_manifest(dest, &manifest).await?;
    super::record_last(store, dest, created_at).await?;
    Ok(manifest)
}

/// `dest` must be new or empty: a backup never mixes with another's files.
async fn prepare(dest: &Path) -> Result<(), BackupError> {
    match std::fs::read_dir(dest) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(BackupError::Refused(format!(
                    "{} is not empty: back up into a new directory",
                    dest.display()
                )));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => tokio::fs::create_dir_all(dest)
            .await
            .map_err(io_error(dest)),
        Err(e) => Err(io_error(dest)(e)),
    }
}

/// The database's snapshot in `dest`, and when it was taken.
async fn snapshot_database(
    config: &Config,
    store: &Store,
    dest: &Path,
    tools: &PgTools,
    progress: &dyn Progress,
) -> Result<(Database, i64), BackupError> {
    progress.step("copying the database", None);
    let schema_version = db::schema_version(store).await?;
    if schema_version == 0 {
        return Err(BackupError::Refused(
            "the configured database has no Utmost tables: there is nothing to back up".into(),
        ));
    }
    let created_at = utmost_model::time::now_millis();
    let name = match store.kind() {
        DbKind::Sqlite => {
            db::sqlite_snapshot(store, &dest.join(SQLITE_SNAPSHOT)).await?;
            SQLITE_SNAPSHOT
        }
        DbKind::Postgres => {
            let server = db::postgres_major_version(store).await?.unwrap_or_default();
            let archive = dest.join(POSTGRES_ARCHIVE);
            tools.dump(&config.database_url(), server, &archive).await?;
            POSTGRES_ARCHIVE
        }
    };
    let (size, sha256) = checksum(&dest.join(name)).await?;
    progress.advance(1, size);
    let database = Database {
        kind: kind_name(store.kind()).to_string(),
        schema_version,
        snapshot: Entry {
            path: name.to_string(),
            size,
            sha256,
        },
    };
    Ok((database, created_at))
}

/// Copies one file out of the store, hashing it on the way; `None` when it was deleted
/// since the listing (its row, if the snapshot has one, was deleted after the snapshot).
async fn copy_out(
    files: &FileStore,
    root: &Path,
    key: String,
    progress: &dyn Progress,
) -> Result<Option<Entry>, BackupError> {
    let mut opened = match files.open(&key, None).await {
        Ok(opened) => opened,
        Err(StorageError::NotFound) => {
            progress.warn(&format!("{key} was deleted during the backup; not copied"));
            progress.advance(1, 0);
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    let path = local_path(root, &key)?;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(io_error(dir))?;
    }
    let mut out = tokio::fs::File::create(&path)
        .await
        .map_err(io_error(&path))?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = opened.body.try_next().await? {
        hasher.update(&chunk);
        size += chunk.len() as u64;
        out.write_all(&chunk).await.map_err(io_error(&path))?;
    }
    out.flush().await.map_err(io_error(&path))?;
    progress.advance(1, size);
    Ok(Some(Entry {
        path: key,
        size,
        sha256: hex::encode(hasher.finalize()),
    }))
}

/// Writes the manifest last, whole (temporary file, flushed, renamed): a directory with a
/// manifest holds a finished backup.
async fn write_manifest(dest: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let json = serde_json::to_vec_pretty(manifest)
        .map_err(|e| BackupError::Refused(format!("the manifest cannot be written: {e}")))?;
    let partial = dest.join(format!("{MANIFEST}.partial"));
    let mut out = tokio::fs::File::create(&partial)
        .await
        .map_err(io_error(&partial))?;
    out.write_all(&json).await.map_err(io_error(&partial))?;
    out.sync_all().await.map_err(io_error(&partial))?;
    let path = dest.join(MANIFEST);
    tokio::fs::rename(&partial, &path)
        .await
        .map_err(io_error(&path))
}

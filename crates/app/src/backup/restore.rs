//! `utmost restore DIR`: a verified backup into an empty installation of the same database
//! kind. There is no forcing it over existing data: an overwritten database cannot be
//! brought back, and files restored over another installation's would mix the two. The
//! operator empties (or creates) the database and the file store first, knowingly.
//!
//! The files go in first and the database last, as the server writes them: once the
//! database is there, every file it refers to is too.

use super::{
    io_error, kind_name, list_files, local_path, sqlite_companions, sqlite_file, verify,
    BackupError, Entry, Manifest, NotFiles, PgTools, Progress, FILES_DIR,
};
use crate::files::storage::{FileStore, WriteError};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use std::path::Path;
use tokio::io::AsyncReadExt;
use utmost_config::Config;
use utmost_store::{backup as db, DbKind, Store};

/// Files written at once.
const WRITES_IN_FLIGHT: usize = 4;
/// The size of each piece a file is read and sent in.
const CHUNK: usize = 256 * 1024;

/// Restores the backup in `dir` into the configured installation, which must be empty.
pub async fn restore(
    config: &Config,
    dir: &Path,
    tools: &PgTools,
    progress: &dyn Progress,
) -> Result<Manifest, BackupError> {
    let manifest = verify(dir, tools, progress).await?;
    let store = Store::connect(&crate::store_options(config)).await?;
    let kind = store.kind();
    let checked = check_database(&store, &manifest).await;
    store.close().await;
    checked?;
    let files = FileStore::from_settings(&config.file_settings)?;
    check_file_store(config, &files, dir).await?;

    progress.step("restoring files", Some(manifest.files.len() as u64));
    let root = dir.join(FILES_DIR);
    futures_util::stream::iter(&manifest.files)
        .map(|entry| copy_in(&files, &root, entry, progress))
        .buffer_unordered(WRITES_IN_FLIGHT)
        .try_collect::<()>()
        .await?;

    progress.step("restoring the database", None);
    let snapshot = dir.join(&manifest.database.snapshot.path);
    match kind {
        DbKind::Sqlite => {
            let target = sqlite_file(config).ok_or_else(|| {
                BackupError::Refused("SqlSettings names no SQLite database file".into())
            })?;
            place_sqlite(&snapshot, &target).await?;
        }
        DbKind::Postgres => tools.restore(&config.database_url(), &snapshot).await?,
    }
    progress.advance(1, manifest.database.snapshot.size);
    Ok(manifest)
}

/// The backup is of this database kind and schema, and the database is empty.
async fn check_database(store: &Store, manifest: &Manifest) -> Result<(), BackupError> {
    let kind = kind_name(store.kind());
    if manifest.database.kind != kind {
        return Err(BackupError::Refused(format!(
            "this backup is of a {} database and this installation is configured for {kind}: \
             a restore goes into the same kind of database (moving between them is what \
             export and import are for)",
            manifest.database.kind
        )));
    }
    let latest = db::latest_schema_version(store);
    if manifest.database.schema_version > latest {
        return Err(BackupError::Refused(format!(
            "this backup's database is at migration {} and this Utmost knows migrations up to \
             {latest}: restore it with Utmost {} or later",
            manifest.database.schema_version, manifest.utmost_version
        )));
    }
    let tables = db::table_names(store).await?;
    if let Some(first) = tables.first() {
        return Err(BackupError::Refused(format!(
            "the configured database already has {} tables ({first}, …): a restore goes only \
             into an empty database. Create a new database (PostgreSQL: createdb; SQLite: \
             a new SqlSettings.DataSource file), or drop this one yourself if it is meant to \
             be replaced",
            tables.len()
        )));
    }
    Ok(())
}

/// The file store holds nothing (on a local store, nothing but the database and index).
async fn check_file_store(
    config: &Config,
    files: &FileStore,
    dir: &Path,
) -> Result<(), BackupError> {
    let present = list_files(files, &NotFiles::of(config, dir)).await?;
    if let Some((first, _)) = present.first() {
        return Err(BackupError::Refused(format!(
            "the file store ({}) already holds {} files ({first}, …): a restore goes only \
             into an empty file store. Point FileSettings at an empty directory or bucket, \
             or empty this one yourself if it is meant to be replaced",
            files.driver(),
            present.len()
        )));
    }
    Ok(())
}

/// Writes one file of the backup to its key in the store, in bounded memory.
async fn copy_in(
    files: &FileStore,
    root: &Path,
    entry: &Entry,
    progress: &dyn Progress,
) -> Result<(), BackupError> {
    let path = local_path(root, &entry.path)?;
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(io_error(&path))?;
    let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
        let mut buf = vec![0u8; CHUNK];
        let n = file.read(&mut buf).await?;
        buf.truncate(n);
        Ok::<_, std::io::Error>((n > 0).then(|| (Bytes::from(buf), file)))
    });
    match files
        .write_stream(&entry.path, Box::pin(chunks), u64::MAX)
        .await
    {
        Ok(_) => {
            progress.advance(1, entry.size);
            Ok(())
        }
        Err(WriteError::Input(e)) => Err(io_error(&path)(e)),
        Err(WriteError::Storage(e)) => Err(e.into()),
        Err(WriteError::TooLarge) => Err(BackupError::Refused(format!(
            "{} is larger than the file store accepts",
            entry.path
        ))),
    }
}

/// Puts the SQLite snapshot in place of the (empty) database file: copied beside it,
/// flushed, then renamed over it, so the file is either the empty one or the whole snapshot.
async fn place_sqlite(snapshot: &Path, target: &Path) -> Result<(), BackupError> {
    let mut partial = target.as_os_str().to_owned();
    partial.push(".restoring");
    let partial = std::path::PathBuf::from(partial);
    tokio::fs::copy(snapshot, &partial)
        .await
        .map_err(io_error(&partial))?;
    let file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(&partial)
        .await
        .map_err(io_error(&partial))?;
    file.sync_all().await.map_err(io_error(&partial))?;
    // The empty database's journal files would be read as the snapshot's.
    for companion in sqlite_companions(target).iter().skip(1) {
        match tokio::fs::remove_file(companion).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(companion)(e)),
        }
    }
    tokio::fs::rename(&partial, target)
        .await
        .map_err(io_error(target))
}

//! Import and export files on the file store, in Mattermost's directories
//! (`ImportSettings.Directory` `./import`, `ExportSettings.Directory` `./export`, both
//! inside the file store): what `/imports` and `/exports` list, download and delete, and
//! what the `import_process` and `export_process` jobs read and write. A job works on a
//! local copy in the temporary directory (a zip needs random access; S3 has none).

use crate::errors::BulkError;
use crate::files::storage::StorageError;
use crate::{App, AppResult};
use bytes::Bytes;
use futures_util::StreamExt;
use std::path::{Path, PathBuf};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use utmost_model::AppError;

pub const IMPORT_DIR: &str = "import";
pub const EXPORT_DIR: &str = "export";

/// Bytes read per chunk when a local file goes up to the store.
const CHUNK: usize = 1024 * 1024;

pub fn import_path(name: &str) -> String {
    format!("{IMPORT_DIR}/{name}")
}

pub fn export_path(name: &str) -> String {
    format!("{EXPORT_DIR}/{name}")
}

/// A name of a file directly in one of the directories (no folders, nothing hidden).
pub fn check_name(name: &str) -> AppResult<()> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && name.len() <= 512;
    if ok {
        Ok(())
    } else {
        Err(BulkError::InvalidName.into())
    }
}

fn storage_error(e: StorageError) -> AppError {
    match e {
        StorageError::NotFound => BulkError::NotFound.into(),
        e => AppError::internal("app.import.files.app_error", e),
    }
}

/// The names of the files in `dir` (`IMPORT_DIR` or `EXPORT_DIR`).
pub async fn list(app: &App, dir: &str) -> AppResult<Vec<String>> {
    let files = app
        .files
        .store
        .list_files(dir)
        .await
        .map_err(storage_error)?;
    Ok(files
        .into_iter()
        .map(|(name, _, _)| name)
        .filter(|name| !name.starts_with('.'))
        .collect())
}

/// Deletes `name` from `dir`; a missing file is no error (Mattermost's `DeleteImport`).
pub async fn delete(app: &App, dir: &str, name: &str) -> AppResult<()> {
    check_name(name)?;
    app.files
        .store
        .remove(&format!("{dir}/{name}"))
        .await
        .map_err(storage_error)
}

/// A local copy of a file, removed on drop.
pub struct LocalCopy(pub PathBuf);

impl Drop for LocalCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A temporary path ending like `name` (its extension tells a zip from a `.jsonl`).
pub fn temporary(name: &str) -> LocalCopy {
    let ext = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default();
    LocalCopy(std::env::temp_dir().join(format!("utmost-bulk-{}.{ext}", utmost_model::new_id())))
}

/// Copies import file `name` out of the store.
pub async fn fetch_import(app: &App, name: &str) -> AppResult<LocalCopy> {
    check_name(name)?;
    let copy = temporary(name);
    let opened = app
        .files
        .store
        .open(&import_path(name), None)
        .await
        .map_err(storage_error)?;
    let failed = |e: std::io::Error| AppError::internal("app.import.files.app_error", e);
    let mut file = tokio::fs::File::create(&copy.0).await.map_err(failed)?;
    let mut body = opened.body;
    while let Some(chunk) = body.next().await {
        file.write_all(&chunk.map_err(storage_error)?)
            .await
            .map_err(failed)?;
    }
    file.flush().await.map_err(failed)?;
    Ok(copy)
}

/// Puts a local file into the export directory as `name`.
pub async fn store_export(app: &App, local: &Path, name: &str) -> AppResult<u64> {
    let failed = |e: std::io::Error| AppError::internal("app.export.files.app_error", e);
    let file = tokio::fs::File::open(local).await.map_err(failed)?;
    let chunks = futures_util::stream::unfold(file, |mut file| async move {
        let mut buf = vec![0; CHUNK];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    app.files
        .store
        .write_stream(&export_path(name), Box::pin(chunks), u64::MAX)
        .await
        .map_err(|e| match e {
            crate::files::storage::WriteError::Input(e) => failed(e),
            crate::files::storage::WriteError::Storage(e) => storage_error(e),
            crate::files::storage::WriteError::TooLarge => {
                failed(std::io::ErrorKind::FileTooLarge.into())
            }
        })
}

/// Opens export `name` for download.
pub async fn open_export(app: &App, name: &str) -> AppResult<crate::files::storage::Opened> {
    check_name(name)?;
    app.files
        .store
        .open(&export_path(name), None)
        .await
        .map_err(storage_error)
}

//! `FileStore`: where uploaded files, their thumbnails and previews, and emoji images live,
//! over the `object_store` crate: a local directory (`FileSettings.DriverName` `local`) or an
//! S3 bucket (`amazons3`). Keys are Mattermost's paths, so an existing Mattermost data
//! directory or bucket is used as it is.

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{Stream, StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ClientOptions, GetOptions, GetRange, ObjectStore, PutPayload, WriteMultipart};
use std::sync::Arc;
use std::time::Duration;
use utmost_config::FileSettings;

/// Below this size a file is written with one request; above it, in parts of this size
/// (S3's smallest part is 5 MiB), so memory per upload stays bounded.
pub const PART_SIZE: usize = 8 * 1024 * 1024;

pub const DRIVER_LOCAL: &str = "local";
pub const DRIVER_S3: &str = "amazons3";

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("no such file")]
    NotFound,
    #[error("invalid path {0:?}")]
    BadPath(String),
    #[error("unsupported FileSettings.DriverName {0:?}")]
    UnknownDriver(String),
    #[error("the S3 bucket {0:?} does not exist")]
    NoBucket(String),
    #[error("the S3 credentials were refused: {0}")]
    Auth(String),
    #[error("file store: {0}")]
    Backend(#[from] object_store::Error),
    #[error("file store directory: {0}")]
    Io(#[from] std::io::Error),
}

/// Why a streamed write stopped; nothing is left behind in any case.
#[derive(Debug)]
pub enum WriteError<E> {
    /// The input went past the limit it was given.
    TooLarge,
    /// Reading the input failed.
    Input(E),
    Storage(StorageError),
}

/// A file opened for reading: its total size and the bytes of the range asked for.
pub struct Opened {
    pub size: u64,
    pub range: Option<std::ops::Range<u64>>,
    pub last_modified_ms: i64,
    pub body: BoxStream<'static, Result<Bytes, StorageError>>,
}

#[derive(Clone)]
pub struct FileStore {
    objects: Arc<dyn ObjectStore>,
    driver: &'static str,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileStore({}: {})", self.driver, self.objects)
    }
}

impl FileStore {
    /// The store `settings` describe. A local directory is created when missing; one that
    /// cannot be created is logged and the server still starts, as Mattermost's does: the
    /// health check (`/system/ping?get_server_status=true`) reports the store unhealthy.
    pub fn from_settings(settings: &FileSettings) -> Result<Self, StorageError> {
        match settings.driver_name.as_str() {
            DRIVER_LOCAL => {
                if let Err(e) = std::fs::create_dir_all(&settings.directory) {
                    tracing::error!(directory = %settings.directory, error = %e,
                        "the file store's directory cannot be created");
                }
                let root = std::path::absolute(&settings.directory)?;
                let root = Path::from_absolute_path(&root)
                    .map_err(|_| StorageError::BadPath(settings.directory.clone()))?;
                Ok(Self {
                    objects: Arc::new(PrefixStore::new(LocalFileSystem::new(), root)),
                    driver: DRIVER_LOCAL,
                })
            }
            DRIVER_S3 => Ok(Self {
                objects: s3(settings)?,
                driver: DRIVER_S3,
            }),
            other => Err(StorageError::UnknownDriver(other.to_string())),
        }
    }

    pub fn driver(&self) -> &'static str {
        self.driver
    }

    /// Writes a whole file at once (small files: emoji images, thumbnails).
    pub async fn write(&self, path: &str, bytes: Vec<u8>) -> Result<(), StorageError> {
        let at = key(path)?;
        self.objects
            .put(&at, PutPayload::from(bytes))
            .await
            .map_err(|e| counted("write", e))?;
        Ok(())
    }

    /// Writes `input` to `path` and returns its length; past `limit` bytes it stops with
    /// `TooLarge`. Either the whole file is written or nothing is: a local file appears by
    /// rename, an S3 object when its multipart upload completes.
    pub async fn write_stream<S, E>(
        &self,
        path: &str,
        mut input: S,
        limit: u64,
    ) -> Result<u64, WriteError<E>>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let at = key(path).map_err(WriteError::Storage)?;
        let mut written: u64 = 0;
        let mut first = Vec::new();
        // Small files (most) take one request; the first PART_SIZE bytes decide.
        while first.len() < PART_SIZE {
            match input.next().await {
                Some(chunk) => {
                    let chunk = chunk.map_err(WriteError::Input)?;
                    written += chunk.len() as u64;
                    if written > limit {
                        return Err(WriteError::TooLarge);
                    }
                    first.extend_from_slice(&chunk);
                }
                None => {
                    self.objects
                        .put(&at, PutPayload::from(first))
                        .await
                        .map_err(|e| WriteError::Storage(counted("write", e).into()))?;
                    return Ok(written);
                }
            }
        }
        let upload = self
            .objects
            .put_multipart(&at)
            .await
            .map_err(|e| WriteError::Storage(counted("write", e).into()))?;
        let mut parts = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
        parts.write(&first);
        drop(first);
        let streamed = async {
            while let Some(chunk) = input.next().await {
                let chunk = chunk.map_err(WriteError::Input)?;
                written += chunk.len() as u64;
                if written > limit {
                    return Err(WriteError::TooLarge);
                }
                // At most two parts in flight: the memory an upload holds stays bounded.
                parts
                    .wait_for_capacity(2)
                    .await
                    .map_err(|e| WriteError::Storage(counted("write", e).into()))?;
                parts.write(&chunk);
            }
            Ok(())
        }
        .await;
        match streamed {
            Ok(()) => {
                parts
                    .finish()
                    .await
                    .map_err(|e| WriteError::Storage(counted("write", e).into()))?;
                Ok(written)
            }
            Err(e) => {
                if let Err(abort) = parts.abort().await {
                    tracing::warn!(path, error = %abort, "could not abort a partial upload");
                }
                Err(e)
            }
        }
    }

    /// The whole file (emoji images, images to make thumbnails of: both bounded in size).
    pub async fn read(&self, path: &str) -> Result<Vec<u8>, StorageError> {
        let got = self
            .objects
            .get(&key(path)?)
            .await
            .map_err(|e| not_found(counted("read", e)))?;
        Ok(got.bytes().await.map_err(|e| counted("read", e))?.to_vec())
    }

    /// Opens `path`, optionally at a byte range already checked against its size.
    pub async fn open(
        &self,
        path: &str,
        range: Option<std::ops::Range<u64>>,
    ) -> Result<Opened, StorageError> {
        let options = GetOptions {
            range: range.clone().map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let got = self
            .objects
            .get_opts(&key(path)?, options)
            .await
            .map_err(|e| not_found(counted("read", e)))?;
        let size = got.meta.size;
        let last_modified_ms = got.meta.last_modified.timestamp_millis();
        Ok(Opened {
            size,
            range,
            last_modified_ms,
            body: got.into_stream().map_err(StorageError::from).boxed(),
        })
    }

    /// The size of `path`.
    pub async fn size(&self, path: &str) -> Result<u64, StorageError> {
        Ok(self
            .objects
            .head(&key(path)?)
            .await
            .map_err(|e| not_found(counted("head", e)))?
            .size)
    }

    /// Removes `path`; a missing file is not an error.
    pub async fn remove(&self, path: &str) -> Result<(), StorageError> {
        match self.objects.delete(&key(path)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(counted("delete", e).into()),
        }
    }

    /// Removes every file under the folder `prefix`.
    pub async fn remove_all(&self, prefix: &str) -> Result<(), StorageError> {
        let under = key(prefix)?;
        let mut listed = self.objects.list(Some(&under));
        while let Some(meta) = listed.next().await {
            match self.objects.delete(&meta?.location).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// The files directly in the folder `dir` (not in its sub-folders): name, size and
    /// last modification in milliseconds, by name.
    pub async fn list_files(&self, dir: &str) -> Result<Vec<(String, u64, i64)>, StorageError> {
        let listed = self.objects.list_with_delimiter(Some(&key(dir)?)).await?;
        let mut files: Vec<(String, u64, i64)> = listed
            .objects
            .into_iter()
            .filter_map(|meta| {
                let name = meta.location.filename()?.to_string();
                Some((name, meta.size, meta.last_modified.timestamp_millis()))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    /// Moves `from` to `to`, replacing it.
    pub async fn rename(&self, from: &str, to: &str) -> Result<(), StorageError> {
        self.objects
            .rename(&key(from)?, &key(to)?)
            .await
            .map_err(not_found)
    }

    /// Concatenates `parts`, in order, into `path` (the end of a resumable upload), in bounded
    /// memory. Nothing is left at `path` if it fails.
    pub async fn concatenate(&self, parts: &[String], path: &str) -> Result<u64, StorageError> {
        let mut streams = Vec::with_capacity(parts.len());
        for part in parts {
            let got = self.objects.get(&key(part)?).await.map_err(not_found)?;
            streams.push(got.into_stream());
        }
        let joined = futures_util::stream::iter(streams).flatten();
        match self.write_stream(path, joined, u64::MAX).await {
            Ok(n) => Ok(n),
            Err(WriteError::Input(e)) => Err(e.into()),
            Err(WriteError::Storage(e)) => Err(e),
            Err(WriteError::TooLarge) => Err(StorageError::BadPath(path.to_string())),
        }
    }

    /// Every file in the store with its size, in no particular order (what a backup copies).
    pub fn list_all(&self) -> BoxStream<'static, Result<(String, u64), StorageError>> {
        self.objects
            .list(None)
            .map_ok(|meta| (meta.location.to_string(), meta.size))
            .map_err(StorageError::from)
            .boxed()
    }

    /// Mattermost's `TestConnection`: the bucket (or directory) can be listed.
    pub async fn test_connection(&self) -> Result<(), StorageError> {
        let mut listed = self.objects.list(None);
        match listed.next().await {
            None | Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(classify(counted("list", e))),
        }
    }
}

/// Counts a failed operation in `utmost_filestore_errors_total{operation}` (a missing file
/// is an answer, not a failure) and hands the error back.
fn counted(operation: &str, e: object_store::Error) -> object_store::Error {
    if !matches!(e, object_store::Error::NotFound { .. }) {
        utmost_metrics::metrics()
            .filestore_errors
            .get(operation)
            .inc();
    }
    e
}

/// A Mattermost path as a key; `..`, `.` and empty segments are refused.
fn key(path: &str) -> Result<Path, StorageError> {
    let bad = || StorageError::BadPath(path.to_string());
    if path
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err(bad());
    }
    Path::parse(path).map_err(|_| bad())
}

fn not_found(e: object_store::Error) -> StorageError {
    match e {
        object_store::Error::NotFound { .. } => StorageError::NotFound,
        other => other.into(),
    }
}

/// S3's answers to a listing, as Mattermost's connection test names them.
fn classify(e: object_store::Error) -> StorageError {
    let text = e.to_string();
    if text.contains("NoSuchBucket") {
        StorageError::NoBucket(text)
    } else if text.contains("SignatureDoesNotMatch")
        || text.contains("InvalidAccessKeyId")
        || text.contains("AccessDenied")
    {
        StorageError::Auth(text)
    } else {
        e.into()
    }
}

/// The S3 client of `settings`. An endpoint other than AWS's is addressed path-style
/// (`{endpoint}/{bucket}/{key}`), as Mattermost's S3 client does for it; AWS itself
/// virtual-hosted style.
fn s3(settings: &FileSettings) -> Result<Arc<dyn ObjectStore>, StorageError> {
    let region = if settings.amazon_s3_region.is_empty() {
        "us-east-1"
    } else {
        settings.amazon_s3_region.as_str()
    };
    let timeout = u64::try_from(settings.amazon_s3_request_timeout_milliseconds)
        .unwrap_or(30_000)
        .max(1);
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&settings.amazon_s3_bucket)
        .with_region(region)
        .with_client_options(ClientOptions::new().with_timeout(Duration::from_millis(timeout)));
    if !settings.amazon_s3_access_key_id.is_empty() {
        builder = builder
            .with_access_key_id(&settings.amazon_s3_access_key_id)
            .with_secret_access_key(&settings.amazon_s3_secret_access_key);
    }
    let endpoint = settings.amazon_s3_endpoint.trim_end_matches('/');
    if endpoint.is_empty() || endpoint.ends_with("amazonaws.com") {
        builder = builder.with_virtual_hosted_style_request(false);
    } else {
        let scheme = if settings.amazon_s3_ssl {
            "https"
        } else {
            "http"
        };
        builder = builder
            .with_endpoint(format!("{scheme}://{endpoint}"))
            .with_allow_http(!settings.amazon_s3_ssl)
            .with_virtual_hosted_style_request(false);
    }
    if settings.amazon_s3_sse {
        // SSE-S3 (AES256), what Mattermost's `AmazonS3SSE` asks for.
        let sse: AmazonS3ConfigKey = "aws_server_side_encryption".parse()?;
        builder = builder.with_config(sse, "AES256");
    }
    let bucket = builder.build()?;
    let prefix = settings.amazon_s3_path_prefix.trim_matches('/');
    if prefix.is_empty() {
        Ok(Arc::new(bucket))
    } else {
        Ok(Arc::new(PrefixStore::new(bucket, key(prefix)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> (FileStore, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("utmost-files-{}", utmost_model::new_id()));
        let settings = FileSettings {
            directory: dir.display().to_string(),
            ..FileSettings::default()
        };
        (FileStore::from_settings(&settings).unwrap(), dir)
    }

    fn chunks(
        total: usize,
        size: usize,
    ) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Unpin {
        let data: Vec<u8> = (0..total).map(|i| (i % 251) as u8).collect();
        let pieces: Vec<Result<Bytes, std::io::Error>> = data
            .chunks(size)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        futures_util::stream::iter(pieces)
    }

    #[tokio::test]
    async fn a_streamed_file_lands_at_mattermosts_path_on_disk() {
        let (store, dir) = local();
        let path = "20260101/teams/noteam/channels/c/users/u/f/report one.pdf";
        let total = PART_SIZE * 2 + 123;
        let n = store
            .write_stream(path, chunks(total, 65536), u64::MAX)
            .await
            .unwrap();
        assert_eq!(n, total as u64);
        let on_disk = std::fs::read(dir.join(path)).unwrap();
        assert_eq!(on_disk.len(), total);
        assert_eq!(store.size(path).await.unwrap(), total as u64);
        let opened = store.open(path, Some(10..20)).await.unwrap();
        let bytes: Vec<Bytes> = opened.body.try_collect().await.unwrap();
        assert_eq!(bytes.concat(), on_disk[10..20].to_vec());
    }

    #[tokio::test]
    async fn a_file_over_its_limit_leaves_nothing() {
        let (store, dir) = local();
        for total in [100, PART_SIZE * 2] {
            let path = format!("big/{total}");
            let refused = store
                .write_stream(&path, chunks(total, 4096), total as u64 - 1)
                .await;
            assert!(matches!(refused, Err(WriteError::TooLarge)));
            assert!(!dir.join(&path).exists());
            assert!(matches!(
                store.size(&path).await,
                Err(StorageError::NotFound)
            ));
        }
    }

    #[tokio::test]
    async fn paths_that_climb_out_are_refused() {
        let (store, _dir) = local();
        for bad in ["../x", "a/../../x", "a//b", "/abs"] {
            assert!(matches!(
                store.write(bad, b"x".to_vec()).await,
                Err(StorageError::BadPath(_))
            ));
        }
    }
}

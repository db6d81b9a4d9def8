//! `GET /jobs/{job_id}/download` (Mattermost's `downloadJob`): a finished message export's
//! directory (`export_dir`, its batch zips) as one zip named after it, streamed while it is
//! made. The entries are stored, not compressed again (each is a zip already), so the zip
//! is written on the task that reads the files, a chunk at a time: memory stays bounded by
//! a chunk whatever the export's size. A job from before the directories (`export_dir`
//! missing) is `export/{job_id}.zip` itself, as Mattermost falls back to.

use crate::errors::JobError;
use crate::files::storage::{FileStore, StorageError};
use crate::{App, AppResult};
use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt};
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use utmost_model::job::{self, Job};
use utmost_model::AppError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// What the download answers: the file name and its bytes as they are made.
pub struct Download {
    pub file_name: String,
    pub body: BoxStream<'static, io::Result<Bytes>>,
}

/// Checks the job (`DownloadExportResults`, its type, `is_downloadable`, its directory)
/// and starts the zip. The caller has checked `download_compliance_export_result`.
pub async fn download(app: &App, job: &Job) -> AppResult<Download> {
    if !app.config().message_export_settings.download_export_results {
        return Err(JobError::DownloadDisabled.into());
    }
    if job.job_type != job::TYPE_MESSAGE_EXPORT {
        return Err(JobError::NotDownloadableType.into());
    }
    if job.data.get("is_downloadable").map(String::as_str) != Some("true") {
        return Err(JobError::NotDownloadable.into());
    }
    let store = app.files.store.clone();
    let dir = job
        .data
        .get("export_dir")
        .map(|d| d.trim_end_matches('/'))
        .filter(|d| !d.is_empty());
    let Some(dir) = dir else {
        // Mattermost's jobs before export directories: one zip named after the job.
        let path = format!("export/{}.zip", job.id);
        let opened = store.open(&path, None).await.map_err(missing)?;
        return Ok(Download {
            file_name: format!("{}.zip", job.id),
            body: opened.body.map(|c| c.map_err(io::Error::other)).boxed(),
        });
    };
    // Only a folder of the export directory, never a path out of it.
    let name = dir.rsplit('/').next().unwrap_or_default().to_string();
    if !dir.starts_with("export/")
        || dir
            .split('/')
            .any(|p| p == ".." || p == "." || p.is_empty())
    {
        return Err(JobError::DownloadMissing.into());
    }
    let files = store.list_files(dir).await.map_err(missing)?;
    if files.is_empty() {
        return Err(JobError::DownloadMissing.into());
    }
    let (sender, received) = mpsc::channel::<io::Result<Bytes>>(2);
    let dir = dir.to_string();
    tokio::spawn(async move {
        if let Err(e) = write_zip(&store, &dir, files, &sender).await {
            let _ = sender.send(Err(e)).await;
        }
    });
    let body = futures_util::stream::unfold(received, |mut received| async move {
        received.recv().await.map(|chunk| (chunk, received))
    })
    .boxed();
    Ok(Download {
        file_name: format!("{name}.zip"),
        body,
    })
}

fn missing(e: StorageError) -> AppError {
    match e {
        StorageError::NotFound => JobError::DownloadMissing.into(),
        e => AppError::internal("api.job.unable_to_download_job", e),
    }
}

/// The zip writer's output, taken after each step.
#[derive(Clone, Default)]
struct Spill(Arc<Mutex<Vec<u8>>>);

impl Spill {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Spill {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Sends what the writer produced; `Err` once the client went away.
async fn send(spill: &Spill, sender: &mpsc::Sender<io::Result<Bytes>>) -> io::Result<()> {
    let bytes = spill.take();
    if bytes.is_empty() {
        return Ok(());
    }
    sender
        .send(Ok(bytes.into()))
        .await
        .map_err(|_| io::Error::other("the download was abandoned"))
}

async fn write_zip(
    store: &FileStore,
    dir: &str,
    files: Vec<(String, u64, i64)>,
    sender: &mpsc::Sender<io::Result<Bytes>>,
) -> io::Result<()> {
    let spill = Spill::default();
    let mut zip = ZipWriter::new_stream(spill.clone());
    for (name, size, _) in files {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .large_file(size >= u64::from(u32::MAX));
        zip.start_file(name.as_str(), options)
            .map_err(io::Error::other)?;
        let mut body = store
            .open(&format!("{dir}/{name}"), None)
            .await
            .map_err(io::Error::other)?
            .body;
        while let Some(chunk) = body.next().await {
            zip.write_all(&chunk.map_err(io::Error::other)?)?;
            send(&spill, sender).await?;
        }
    }
    zip.finish().map_err(io::Error::other)?;
    send(&spill, sender).await
}

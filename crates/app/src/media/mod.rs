//! What an upload's bytes yield beyond the bytes themselves (Mattermost's `app/imaging` and
//! `docextractor`): an image's size, thumbnail, preview and mini preview, and a document's
//! text for search. Both are CPU-bound and read attacker-chosen bytes, so each runs on the
//! blocking pool, a bounded number at a time, within bounds on memory, size and time.

mod images;
mod svg;
mod text;

pub(crate) use images::limits as decoder_limits;
pub use svg::svg_size;

use std::sync::{Arc, LazyLock};
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What an uploaded image gives its `FileInfo` and the file store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageOutputs {
    /// The upright size (after the EXIF orientation is applied), as `FileInfo` reports it.
    pub width: u32,
    pub height: u32,
    /// `<name>_thumb.<ext>`: PNG for a PNG upload, JPEG otherwise (see `ImageOutputs::extension`).
    pub thumbnail: Vec<u8>,
    /// `<name>_preview.<ext>`, in the same format as the thumbnail. Mattermost writes one for
    /// every raster image, GIFs included (its mobile app shows it).
    pub preview: Option<Vec<u8>>,
    /// `FileInfo.MiniPreview`: a 16×16 JPEG the clients blur while the image loads.
    pub mini_preview: Vec<u8>,
    /// `FileInfo.HasPreviewImage`: false for GIFs, whose clients play the original.
    pub has_preview_image: bool,
    /// Whether thumbnail and preview are PNG (else JPEG).
    pub png: bool,
}

impl ImageOutputs {
    /// The extension of the thumbnail and preview paths (Mattermost's `getFileExtFromMimeType`).
    pub fn extension(&self) -> &'static str {
        if self.png {
            "png"
        } else {
            "jpg"
        }
    }
}

/// Why an image gave no outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaError {
    /// Its header declares more pixels than `FileSettings.MaxImageResolution` (Mattermost answers
    /// 400 `api.file.upload_file.large_image_detailed.app_error`). Nothing was decoded.
    TooLarge { width: u32, height: u32 },
    /// Its bytes are not a decodable image of the kind its name says (Mattermost keeps such an
    /// upload as a plain file, without previews).
    Corrupt(String),
    /// Encoding an output failed, or the worker died: a server fault.
    Internal(String),
}

impl std::fmt::Display for MediaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { width, height } => {
                write!(
                    f,
                    "image of {width}x{height} exceeds the maximum resolution"
                )
            }
            Self::Corrupt(cause) => write!(f, "image cannot be decoded: {cause}"),
            Self::Internal(cause) => write!(f, "image processing failed: {cause}"),
        }
    }
}

impl std::error::Error for MediaError {}

/// Mattermost's `MaxImageDecoderConcurrency` default, one job per core, for image decoding
/// and text extraction alike: a burst of uploads queues here rather than holding every
/// image's pixels at once. A job keeps its permit until its thread is done, even when its
/// caller stopped waiting.
static WORKERS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    Arc::new(Semaphore::new(
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    ))
});

/// Runs `job` on the blocking pool once a worker permit is free.
async fn on_worker<T: Send + 'static>(
    job: impl FnOnce() -> T + Send + 'static,
) -> Result<T, MediaError> {
    let permit: OwnedSemaphorePermit = WORKERS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| MediaError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let result = job();
        drop(permit);
        result
    })
    .await
    .map_err(|e| MediaError::Internal(e.to_string()))
}

/// The outputs of an upload named `*.{extension}`, or `None` when it is not a raster image
/// Mattermost renders (JPEG, PNG, GIF, BMP, TIFF, WebP). `max_resolution` is
/// `FileSettings.MaxImageResolution` in pixels.
pub async fn process_image(
    bytes: Vec<u8>,
    extension: &str,
    max_resolution: u64,
) -> Result<Option<ImageOutputs>, MediaError> {
    if !images::is_raster_extension(extension) {
        return Ok(None);
    }
    on_worker(move || images::process(&bytes, max_resolution))
        .await?
        .map(Some)
}

/// A profile picture made of an uploaded image (`images::profile_picture`), on the worker pool.
pub async fn profile_picture(bytes: Vec<u8>, max_resolution: u64) -> Result<Vec<u8>, MediaError> {
    on_worker(move || images::profile_picture(&bytes, max_resolution)).await?
}

/// The searchable text of a document named `name` (`FileInfo.Content`), at most `max_chars`
/// characters, or `None` when it has none, is an image, or cannot be read within the bounds
/// (a zip bomb, more than `text::TIME_LIMIT` of work).
pub async fn extract_text(name: &str, bytes: Vec<u8>, max_chars: usize) -> Option<String> {
    extract_text_by(name, bytes, max_chars, text::TIME_LIMIT).await
}

async fn extract_text_by(
    name: &str,
    bytes: Vec<u8>,
    max_chars: usize,
    time_limit: std::time::Duration,
) -> Option<String> {
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    if images::is_raster_extension(extension) || extension.eq_ignore_ascii_case("svg") {
        return None;
    }
    let name = name.to_owned();
    // The clock starts when the job does; the timeout also covers the wait for a worker.
    let job = on_worker(move || {
        let deadline = Instant::now() + time_limit;
        text::extract(&name, &bytes, max_chars, deadline)
    });
    match tokio::time::timeout(time_limit * 2, job).await {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "text extraction failed");
            None
        }
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests;

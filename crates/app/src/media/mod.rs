//! What an upload's bytes yield beyond the bytes themselves (Mattermost's `app/imaging` and
//! `docextractor`): an image's size, thumbnail, preview and mini preview, and a document's
//! text for search. Both are CPU-bound and read attacker-chosen bytes, so each runs on the
//! blocking pool, a bounded number at a time, within bounds on memory, size and time.

mod images;

use std::sync::LazyLock;
use tokio::sync::Semaphore;

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

/// Mattermost's `MaxImageDecoderConcurrency` default: one decode per core, so a burst of
/// uploads queues here rather than holding every image's pixels at once.
static DECODERS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

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
    let _permit = DECODERS
        .acquire()
        .await
        .map_err(|e| MediaError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || images::process(&bytes, max_resolution))
        .await
        .map_err(|e| MediaError::Internal(e.to_string()))?
        .map(Some)
}

/// The searchable text of a document named `name` (`FileInfo.Content`), at most `max_chars`
/// characters, or `None` when it has none or cannot be read.
pub async fn extract_text(name: &str, bytes: Vec<u8>, max_chars: usize) -> Option<String> {
    let _ = name;
    let text = String::from_utf8(bytes).ok()?;
    let kept: String = text.chars().take(max_chars).collect();
    (!kept.trim().is_empty()).then_some(kept)
}

#[cfg(test)]
mod tests;

//! What a stored upload yields before its row is saved (`UploadFileX`'s image and content
//! steps, through `media`): an image's size, thumbnail, preview and mini preview at
//! Mattermost's paths, and a document's text for file search.

use crate::errors::FileError;
use crate::media::{self, MediaError};
use crate::{App, AppResult};
use utmost_model::file_info::FileInfo;
use utmost_model::AppError;

/// Mattermost's `maxContentExtractionSize`: the most text kept for search.
const MAX_CONTENT_CHARS: usize = 1 << 20;

/// Documents larger than this are not read for their text (their bytes would be held in
/// memory whole).
const MAX_EXTRACT_BYTES: i64 = 20 * 1024 * 1024;

/// Fills in `info` from its bytes in the store. Thumbnail and preview written before an
/// error are named in the returned info, so the caller removes them with the file.
pub(crate) async fn process(
    app: &App,
    mut info: FileInfo,
    too_large: FileError,
) -> (FileInfo, AppResult<()>) {
    let result = process_into(app, &mut info, too_large).await;
    (info, result)
}

async fn process_into(app: &App, info: &mut FileInfo, too_large: FileError) -> AppResult<()> {
    let settings = app.config().file_settings.clone();
    let image = info.is_image() && info.extension != "svg";
    let extract = settings.extract_content && !info.is_image() && info.size <= MAX_EXTRACT_BYTES;
    if !image && !extract {
        return Ok(());
    }
    let bytes = app
        .files
        .store
        .read(&info.path)
        .await
        .map_err(|e| AppError::internal("api.file.file_reader.app_error", e))?;
    if extract {
        if let Some(text) = media::extract_text(&info.name, bytes, MAX_CONTENT_CHARS).await {
            info.content = text;
        }
        return Ok(());
    }
    let max_resolution = u64::try_from(settings.max_image_resolution).unwrap_or(0);
    let outputs = match media::process_image(bytes, &info.extension, max_resolution).await {
        Ok(Some(outputs)) => outputs,
        // Not an image Mattermost renders, or not decodable: kept as a plain file.
        Ok(None) | Err(MediaError::Corrupt(_)) => return Ok(()),
        Err(MediaError::TooLarge { .. }) => return Err(too_large.into()),
        Err(e @ MediaError::Internal(_)) => {
            return Err(AppError::internal("app.file.image_processing.app_error", e))
        }
    };
    let dir = info
        .path
        .rsplit_once('/')
        .map_or("", |(dir, _)| dir)
        .to_string();
    let stem = info
        .name
        .rsplit_once('.')
        .map_or(info.name.as_str(), |(stem, _)| stem)
        .to_string();
    let ext = outputs.extension();
    let write_failed = |e| AppError::internal("api.file.write_file.app_error", e);
    info.thumbnail_path = format!("{dir}/{stem}_thumb.{ext}");
    app.files
        .store
        .write(&info.thumbnail_path, outputs.thumbnail)
        .await
        .map_err(write_failed)?;
    if let Some(preview) = outputs.preview {
        info.preview_path = format!("{dir}/{stem}_preview.{ext}");
        app.files
            .store
            .write(&info.preview_path, preview)
            .await
            .map_err(write_failed)?;
    }
    info.width = i64::from(outputs.width);
    info.height = i64::from(outputs.height);
    info.has_preview_image = outputs.has_preview_image;
    info.mini_preview = Some(outputs.mini_preview);
    Ok(())
}

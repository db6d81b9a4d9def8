//! `UploadFileX`: one file streamed into the file store, then its row. A file over
//! `FileSettings.MaxFileSize` is refused while it streams, and a failure at any step leaves
//! neither bytes nor row behind.

use super::storage::WriteError;
use super::{file_dir, sanitize_name};
use crate::authorization::require_channel;
use crate::errors::FileError;
use crate::{App, AppResult};
use bytes::Bytes;
use futures_util::Stream;
use utmost_model::file_info::FileInfo;
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::{new_id, AppError};

/// `upload_file` in the channel, and the channel not archived; checked before any body is
/// read.
pub async fn require_upload_to(app: &App, session: &Session, channel_id: &str) -> AppResult<()> {
    require_channel(app, session, channel_id, permissions::UPLOAD_FILE).await?;
    match crate::caches::channels::get(app, channel_id).await? {
        Some(channel) if channel.delete_at == 0 => Ok(()),
        Some(_) => Err(FileError::DeletedChannel.into()),
        None => Err(AppError::permission_denied(permissions::UPLOAD_FILE)),
    }
}

/// `FileSettings.MaxFileSize`.
pub fn max_file_size(app: &App) -> i64 {
    app.config().file_settings.max_file_size.max(0)
}

/// Refuses a declared length over `MaxFileSize` before reading the body.
pub fn check_declared_length(app: &App, length: Option<u64>) -> AppResult<()> {
    let limit = max_file_size(app);
    match length.and_then(|n| i64::try_from(n).ok()) {
        Some(n) if n > limit => Err(FileError::TooLarge { length: n, limit }.into()),
        _ => Ok(()),
    }
}

/// Streams one file of `session`'s user into `channel_id` and saves its row; the caller has
/// run [`require_upload_to`]. `read_failed` turns an input error into the request's error.
pub async fn upload<S, E>(
    app: &App,
    session: &Session,
    channel_id: &str,
    name: &str,
    input: S,
    read_failed: impl Fn(E) -> AppError,
) -> AppResult<FileInfo>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let name = sanitize_name(name).ok_or(FileError::InvalidName)?;
    let (id, now) = (new_id(), utmost_model::now_millis());
    let path = format!(
        "{}/{name}",
        file_dir(now, channel_id, &session.user_id, &id)
    );
    let size = write(app, &path, input, read_failed).await?;
    save(
        app,
        row(session, channel_id, id, now, path, &name, size),
        FileError::ImageTooLarge,
    )
    .await
}

/// A file received before its request named a channel (Mattermost's
/// `uploadFileMultipartLegacy`): its bytes wait under `.staged/` until the channel is known
/// and the upload there allowed, then [`place`] moves them to their place, or [`unstage`]
/// removes them.
#[derive(Debug)]
pub struct Staged {
    id: String,
    name: String,
    at: i64,
    path: String,
    size: u64,
}

/// Streams one file of `session`'s user to the staging area, held to `MaxFileSize`.
pub async fn stage<S, E>(
    app: &App,
    session: &Session,
    name: &str,
    input: S,
    read_failed: impl Fn(E) -> AppError,
) -> AppResult<Staged>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let name = sanitize_name(name).ok_or(FileError::InvalidName)?;
    let (id, at) = (new_id(), utmost_model::now_millis());
    let path = format!(".staged/{}/{id}/{name}", session.user_id);
    let size = write(app, &path, input, read_failed).await?;
    Ok(Staged {
        id,
        name,
        at,
        path,
        size,
    })
}

/// Moves a staged file into `channel_id` and saves its row; the caller has run
/// [`require_upload_to`]. On failure nothing of it is left.
pub async fn place(
    app: &App,
    session: &Session,
    channel_id: &str,
    staged: Staged,
) -> AppResult<FileInfo> {
    let path = format!(
        "{}/{}",
        file_dir(staged.at, channel_id, &session.user_id, &staged.id),
        staged.name
    );
    if let Err(e) = app.files.store.rename(&staged.path, &path).await {
        unstage(app, std::slice::from_ref(&staged)).await;
        return Err(AppError::internal("api.file.write_file.app_error", e));
    }
    let info = row(
        session,
        channel_id,
        staged.id,
        staged.at,
        path,
        &staged.name,
        staged.size,
    );
    save(app, info, FileError::ImageTooLarge).await
}

/// Removes staged files that will not be placed.
pub async fn unstage(app: &App, staged: &[Staged]) {
    for file in staged {
        if let Err(e) = app.files.store.remove(&file.path).await {
            tracing::warn!(path = %file.path, error = %e, "could not remove a staged file");
        }
    }
}

/// Streams `input` to `path` within `MaxFileSize`; nothing is left at `path` on failure.
async fn write<S, E>(
    app: &App,
    path: &str,
    input: S,
    read_failed: impl Fn(E) -> AppError,
) -> AppResult<u64>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let limit = max_file_size(app);
    match app
        .files
        .store
        .write_stream(path, input, u64::try_from(limit).unwrap_or(0))
        .await
    {
        Ok(size) => Ok(size),
        Err(WriteError::TooLarge) => Err(FileError::TooLarge {
            length: limit.saturating_add(1),
            limit,
        }
        .into()),
        Err(WriteError::Input(e)) => Err(read_failed(e)),
        Err(WriteError::Storage(e)) => Err(AppError::internal("api.file.write_file.app_error", e)),
    }
}

/// The row of a file of `session`'s user whose bytes are at `path`.
fn row(
    session: &Session,
    channel_id: &str,
    id: String,
    at: i64,
    path: String,
    name: &str,
    size: u64,
) -> FileInfo {
    FileInfo {
        id,
        creator_id: session.user_id.clone(),
        channel_id: channel_id.to_string(),
        create_at: at,
        update_at: at,
        path,
        size: i64::try_from(size).unwrap_or(i64::MAX),
        ..described(name)
    }
}

/// Name, extension and MIME type as Mattermost derives them from the name.
pub(crate) fn described(name: &str) -> FileInfo {
    let extension = std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let mime_type = if extension.is_empty() {
        String::new()
    } else {
        mime_guess::from_ext(&extension)
            .first()
            .map(|m| m.essence_str().to_string())
            .unwrap_or_default()
    };
    FileInfo {
        name: name.to_string(),
        extension,
        mime_type,
        ..FileInfo::default()
    }
}

/// Processes (images, text) and saves the row of a file whose bytes are in the store at
/// `info.path`; if either fails, the bytes go too. `too_large` answers an image over
/// `MaxImageResolution`.
pub(crate) async fn save(app: &App, info: FileInfo, too_large: FileError) -> AppResult<FileInfo> {
    let (info, processed) = super::processing::process(app, info, too_large).await;
    if let Err(e) = processed {
        remove_bytes(app, &info).await;
        return Err(e);
    }
    if let Err(e) = utmost_store::fileinfo::insert(&app.store, &info).await {
        remove_bytes(app, &info).await;
        return Err(AppError::internal("app.file_info.save.app_error", e));
    }
    Ok(info)
}

/// Forgets files saved by a request that failed afterwards: the client never learned their
/// ids, so neither rows nor bytes stay.
pub async fn discard(app: &App, infos: &[FileInfo]) {
    for info in infos {
        if let Err(e) = utmost_store::fileinfo::delete_unattached(&app.store, &info.id).await {
            tracing::warn!(file_id = %info.id, error = %e, "could not discard a file");
            continue;
        }
        remove_bytes(app, info).await;
    }
}

/// Removes a file's bytes (its row was never saved, or is gone); a failure is logged.
pub(crate) async fn remove_bytes(app: &App, info: &FileInfo) {
    for path in [&info.path, &info.thumbnail_path, &info.preview_path] {
        if path.is_empty() {
            continue;
        }
        if let Err(e) = app.files.store.remove(path).await {
            tracing::warn!(path = %path, error = %e, "could not remove a file's bytes");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_and_extension_come_from_the_name() {
        let info = described("Report.PDF");
        assert_eq!(
            (info.extension.as_str(), info.mime_type.as_str()),
            ("pdf", "application/pdf")
        );
        let info = described("README");
        assert_eq!((info.extension.as_str(), info.mime_type.as_str()), ("", ""));
        assert_eq!(described("x.png").mime_type, "image/png");
    }
}

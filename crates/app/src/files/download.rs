//! Reading files back: Mattermost's rule (the uploader, or whoever may read the channel of
//! the post the file is attached to) and the bytes of the original, thumbnail or preview.

use super::storage::{Opened, StorageError};
use crate::authorization::has_channel_permission;
use crate::errors::FileError;
use crate::{App, AppResult};
use utmost_model::file_info::FileInfo;
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;

/// Which of a file's stored images to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumbnail,
    Preview,
}

/// A byte range as a `Range` header asks for it, before the size is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// `bytes=a-b` (inclusive) or `bytes=a-`.
    From(u64, Option<u64>),
    /// `bytes=-n`: the last n bytes.
    Last(u64),
}

/// Why a download could not start.
pub enum OpenError {
    App(AppError),
    /// The range lies outside a file of this size (416).
    Unsatisfiable(u64),
}

impl From<AppError> for OpenError {
    fn from(e: AppError) -> Self {
        OpenError::App(e)
    }
}

/// `GetFileInfo` then the permission check of api4/file.go: 404 for no live file, 403 for
/// someone who is neither its uploader nor a reader of its post's channel.
pub async fn readable(app: &App, session: &Session, file_id: &str) -> AppResult<FileInfo> {
    let info = get(app, file_id).await?;
    if info.creator_id != session.user_id && !can_read_post_files(app, session, &info).await? {
        return Err(AppError::permission_denied(permissions::READ_CHANNEL));
    }
    Ok(info)
}

/// The live file `file_id`.
pub async fn get(app: &App, file_id: &str) -> AppResult<FileInfo> {
    utmost_store::fileinfo::get(&app.store, file_id)
        .await?
        .ok_or_else(|| FileError::NotFound.into())
}

/// `SessionHasPermissionToChannelByPost`: the file is on a post, in a channel the session
/// may read.
async fn can_read_post_files(app: &App, session: &Session, info: &FileInfo) -> AppResult<bool> {
    if info.post_id.is_empty() || info.channel_id.is_empty() {
        return Ok(false);
    }
    has_channel_permission(app, session, &info.channel_id, permissions::READ_CHANNEL).await
}

/// The stored path of `variant`, or Mattermost's 400 when the file has no such image.
pub fn path_of(info: &FileInfo, variant: Variant) -> AppResult<&str> {
    let path = match variant {
        Variant::Original => &info.path,
        Variant::Thumbnail => &info.thumbnail_path,
        Variant::Preview => &info.preview_path,
    };
    match (variant, path.is_empty()) {
        (_, false) => Ok(path),
        (Variant::Thumbnail, true) => Err(FileError::NoThumbnail.into()),
        (Variant::Preview, true) => Err(FileError::NoPreview.into()),
        (Variant::Original, true) => Err(FileError::Unreadable.into()),
    }
}

/// Opens `path`, at `wanted` when a range was asked for.
pub async fn open(app: &App, path: &str, wanted: Option<Wanted>) -> Result<Opened, OpenError> {
    let store = &app.files.store;
    let range = match wanted {
        None => None,
        Some(wanted) => {
            let size = store.size(path).await.map_err(unreadable)?;
            Some(resolve(wanted, size).ok_or(OpenError::Unsatisfiable(size))?)
        }
    };
    Ok(store.open(path, range).await.map_err(unreadable)?)
}

/// Missing bytes are Mattermost's 404 `api.file.file_reader.app_error`; anything else a 500.
fn unreadable(e: StorageError) -> AppError {
    match e {
        StorageError::NotFound => FileError::Unreadable.into(),
        other => AppError::internal("api.file.file_reader.app_error", other),
    }
}

/// The half-open byte range `wanted` names in a file of `size` bytes (RFC 9110 §14.1.2).
pub fn resolve(wanted: Wanted, size: u64) -> Option<std::ops::Range<u64>> {
    match wanted {
        Wanted::From(start, _) if start >= size => None,
        Wanted::From(start, Some(end)) if end < start => None,
        Wanted::From(start, end) => {
            Some(start..end.map_or(size, |e| e.saturating_add(1).min(size)))
        }
        Wanted::Last(0) => None,
        Wanted::Last(n) => Some(size.saturating_sub(n)..size).filter(|r| !r.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_resolve_as_rfc_9110_says() {
        assert_eq!(resolve(Wanted::From(0, Some(9)), 100), Some(0..10));
        assert_eq!(resolve(Wanted::From(90, None), 100), Some(90..100));
        assert_eq!(resolve(Wanted::From(90, Some(500)), 100), Some(90..100));
        assert_eq!(resolve(Wanted::Last(10), 100), Some(90..100));
        assert_eq!(resolve(Wanted::Last(500), 100), Some(0..100));
        assert_eq!(resolve(Wanted::From(100, None), 100), None);
        assert_eq!(resolve(Wanted::From(5, Some(4)), 100), None);
        assert_eq!(resolve(Wanted::Last(0), 100), None);
        assert_eq!(resolve(Wanted::Last(5), 0), None);
    }
}

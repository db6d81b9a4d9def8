//! Resumable uploads (`/uploads`, Mattermost's `app/upload.go`): a session names the file
//! and its size, the client sends the bytes in chunks, and the last chunk turns the upload
//! into a file. Each chunk is kept as its own object beside the file (`.parts/{offset}`),
//! since neither S3 nor `object_store` can append; the last chunk joins them in order.

use super::storage::WriteError;
use super::upload::{described, max_file_size, save};
use super::{file_dir, require_uploads, sanitize_name};
use crate::authorization::{has_channel_permission, is_system_admin, require_channel};
use crate::errors::FileError;
use crate::{App, AppResult};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use utmost_model::file_info::{
    FileInfo, UploadSession, UPLOAD_TYPE_ATTACHMENT, UPLOAD_TYPE_IMPORT,
};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis, AppError};

/// `minFirstPartSize`: a first chunk smaller than this must be the whole file.
pub const MIN_FIRST_PART: i64 = 5 * 1024 * 1024;

/// Mattermost's longest file name in an upload session.
const MAX_FILENAME_LENGTH: usize = 256;

/// `POST /uploads`: a new upload of `requested.filename` (`file_size` bytes) into
/// `requested.channel_id`, owned by the session's user.
pub async fn create(
    app: &App,
    session: &Session,
    requested: UploadSession,
) -> AppResult<UploadSession> {
    require_uploads(app, FileError::UploadsDisabled)?;
    if requested.upload_type == UPLOAD_TYPE_IMPORT {
        // Bulk-import files are for system administrators, and go to the import directory.
        if !is_system_admin(app, session) {
            return Err(AppError::permission_denied(permissions::MANAGE_SYSTEM));
        }
        return create_import(app, session, requested).await;
    }
    if requested.upload_type != UPLOAD_TYPE_ATTACHMENT && !requested.upload_type.is_empty() {
        return Err(FileError::UploadInvalid("type").into());
    }
    require_channel(
        app,
        session,
        &requested.channel_id,
        permissions::UPLOAD_FILE,
    )
    .await?;
    if requested.file_size > max_file_size(app) {
        return Err(FileError::UploadTooLarge.into());
    }
    let filename = sanitize_name(&requested.filename)
        .filter(|n| n.chars().count() <= MAX_FILENAME_LENGTH)
        .ok_or(FileError::UploadInvalid("filename"))?;
    if requested.file_size <= 0 {
        return Err(FileError::UploadInvalid("file_size").into());
    }
    match crate::caches::channels::get(app, &requested.channel_id).await? {
        None => return Err(FileError::UploadIncorrectChannel.into()),
        Some(channel) if channel.delete_at != 0 => {
            return Err(FileError::UploadDeletedChannel.into())
        }
        Some(_) => {}
    }
    let now = now_millis();
    let id = new_id();
    let path = format!(
        "{}/{filename}",
        file_dir(now, &requested.channel_id, &session.user_id, &id)
    );
    let created = UploadSession {
        id,
        upload_type: UPLOAD_TYPE_ATTACHMENT.to_string(),
        create_at: now,
        user_id: session.user_id.clone(),
        channel_id: requested.channel_id,
        filename,
        path,
        file_size: requested.file_size,
        file_offset: 0,
        remote_id: String::new(),
        req_file_id: String::new(),
    };
    utmost_store::upload_sessions::insert(&app.store, &created).await?;
    Ok(created)
}

/// A bulk-import upload: `{import dir}/{id}_{filename}` (Mattermost's name), no channel.
async fn create_import(
    app: &App,
    session: &Session,
    requested: UploadSession,
) -> AppResult<UploadSession> {
    let filename = sanitize_name(&requested.filename)
        .filter(|n| n.chars().count() <= MAX_FILENAME_LENGTH)
        .ok_or(FileError::UploadInvalid("filename"))?;
    if requested.file_size <= 0 {
        return Err(FileError::UploadInvalid("file_size").into());
    }
    let id = new_id();
    let created = UploadSession {
        path: crate::bulk::files::import_path(&format!("{id}_{filename}")),
        id,
        upload_type: UPLOAD_TYPE_IMPORT.to_string(),
        create_at: now_millis(),
        user_id: session.user_id.clone(),
        channel_id: String::new(),
        filename,
        file_size: requested.file_size,
        file_offset: 0,
        remote_id: String::new(),
        req_file_id: String::new(),
    };
    utmost_store::upload_sessions::insert(&app.store, &created).await?;
    Ok(created)
}

async fn load(app: &App, upload_id: &str) -> AppResult<UploadSession> {
    utmost_store::upload_sessions::get(&app.store, upload_id)
        .await?
        .ok_or_else(|| FileError::UploadNotFound.into())
}

/// The most uploads `GET /users/{user_id}/uploads` lists (Mattermost lists them all; the
/// abandoned ones are deleted after `ABANDONED_AFTER_MS`, so a user has few).
pub const MAX_LISTED: i64 = 200;

/// `GET /users/{user_id}/uploads` (`getUploadsForUser`): the caller's own uploads in
/// progress, oldest first; anyone else's are refused, administrators' requests included.
pub async fn for_user(
    app: &App,
    session: &Session,
    user_id: &str,
) -> AppResult<Vec<UploadSession>> {
    if user_id != session.user_id {
        return Err(FileError::UploadsOfOtherUser.into());
    }
    Ok(utmost_store::upload_sessions::for_user(&app.store, user_id, MAX_LISTED).await?)
}

/// `GET /uploads/{id}`: the upload, for its owner or a system administrator.
pub async fn get(app: &App, session: &Session, upload_id: &str) -> AppResult<UploadSession> {
    let us = load(app, upload_id).await?;
    if us.user_id != session.user_id && !is_system_admin(app, session) {
        return Err(FileError::UploadForbidden.into());
    }
    Ok(us)
}

/// The upload a session may send data to: its own, into a channel it may still upload to.
pub async fn for_data(app: &App, session: &Session, upload_id: &str) -> AppResult<UploadSession> {
    require_uploads(app, FileError::UploadsDisabled)?;
    let us = load(app, upload_id).await?;
    let allowed = us.user_id == session.user_id
        && if us.upload_type == UPLOAD_TYPE_IMPORT {
            is_system_admin(app, session)
        } else {
            has_channel_permission(app, session, &us.channel_id, permissions::UPLOAD_FILE).await?
        };
    if !allowed {
        return Err(AppError::permission_denied(permissions::UPLOAD_FILE));
    }
    Ok(us)
}

/// Refuses a raw chunk declared longer than what the upload still expects.
pub fn check_declared_length(us: &UploadSession, length: Option<u64>) -> AppResult<()> {
    let remaining = us.file_size - us.file_offset;
    match length.and_then(|n| i64::try_from(n).ok()) {
        Some(n) if n > remaining => Err(FileError::InvalidContentLength.into()),
        _ => Ok(()),
    }
}

/// Where the chunk received at `offset` is kept.
fn part_path(us: &UploadSession, offset: i64) -> String {
    format!("{}/{offset:020}", parts_dir(us))
}

pub(super) fn parts_dir(us: &UploadSession) -> String {
    if us.upload_type == UPLOAD_TYPE_IMPORT {
        // Import files share one directory; their chunks must not.
        return crate::bulk::files::import_path(&format!(".parts/{}", us.id));
    }
    let dir = us.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    format!("{dir}/.parts")
}

/// Unmarks an upload as receiving when the request ends, however it ends.
struct Receiving<'a> {
    app: &'a App,
    id: String,
}

impl Drop for Receiving<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.app.files.receiving.lock() {
            set.remove(&self.id);
        }
    }
}

fn start_receiving<'a>(app: &'a App, id: &str) -> AppResult<Receiving<'a>> {
    let mut set =
        app.files.receiving.lock().map_err(|_| {
            AppError::internal("app.upload.upload_data.concurrent.app_error", "lock")
        })?;
    if !set.insert(id.to_string()) {
        return Err(FileError::UploadConcurrent.into());
    }
    Ok(Receiving {
        app,
        id: id.to_string(),
    })
}

/// `UploadData`: appends `input` (at most what the upload still expects; more is ignored,
/// as Mattermost's `LimitedReader` does). Returns the file once the last byte is in.
pub async fn upload_data<S, E>(
    app: &App,
    us: UploadSession,
    input: S,
    read_failed: impl Fn(E) -> AppError,
) -> AppResult<Option<FileInfo>>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let _receiving = start_receiving(app, &us.id)?;
    // Read again under the mark: another request may have moved it meanwhile.
    let current = load(app, &us.id).await?;
    if current.file_offset != us.file_offset {
        return Err(FileError::UploadConcurrent.into());
    }
    let offset = current.file_offset;
    let remaining = u64::try_from(current.file_size - offset).unwrap_or(0);
    let part = part_path(&current, offset);
    let written = match app
        .files
        .store
        .write_stream(&part, truncated(input, remaining), u64::MAX)
        .await
    {
        Ok(n) => i64::try_from(n).unwrap_or(i64::MAX),
        Err(WriteError::Input(e)) => return Err(read_failed(e)),
        Err(WriteError::TooLarge) => return Err(FileError::InvalidContentLength.into()),
        Err(WriteError::Storage(e)) => {
            return Err(AppError::internal("api.file.append_file.app_error", e))
        }
    };
    if offset == 0 && written < MIN_FIRST_PART && written != current.file_size {
        remove_quietly(app, &part).await;
        return Err(FileError::FirstPartTooSmall.into());
    }
    if written == 0 {
        remove_quietly(app, &part).await;
        return Ok(None);
    }
    let end = offset + written;
    if !utmost_store::upload_sessions::advance(&app.store, &current.id, offset, end).await? {
        remove_quietly(app, &part).await;
        return Err(FileError::UploadConcurrent.into());
    }
    if end < current.file_size {
        return Ok(None);
    }
    finish(
        app,
        UploadSession {
            file_offset: end,
            ..current
        },
    )
    .await
}

/// Joins the chunks into the file, saves its row (none for an import file) and forgets the
/// upload.
async fn finish(app: &App, us: UploadSession) -> AppResult<Option<FileInfo>> {
    let store = &app.files.store;
    let mut parts = Vec::new();
    let mut offset = 0;
    while offset < us.file_size {
        let part = part_path(&us, offset);
        let size = store
            .size(&part)
            .await
            .map_err(|e| AppError::internal("app.upload.upload_data.read_file.app_error", e))?;
        parts.push(part);
        offset += i64::try_from(size).unwrap_or(i64::MAX).max(1);
    }
    let size = store
        .concatenate(&parts, &us.path)
        .await
        .map_err(|e| AppError::internal("app.upload.upload_data.read_file.app_error", e))?;
    if us.upload_type == UPLOAD_TYPE_IMPORT {
        forget(app, &us).await?;
        return Ok(None);
    }
    let now = now_millis();
    let info = FileInfo {
        id: new_id(),
        creator_id: us.user_id.clone(),
        channel_id: us.channel_id.clone(),
        create_at: now,
        update_at: now,
        path: us.path.clone(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        ..described(&us.filename)
    };
    let info = save(app, info, FileError::UploadImageTooLarge).await?;
    forget(app, &us).await?;
    Ok(Some(info))
}

/// Deletes a finished upload's session and chunks.
async fn forget(app: &App, us: &UploadSession) -> AppResult<()> {
    utmost_store::upload_sessions::delete(&app.store, &us.id).await?;
    if let Err(e) = app.files.store.remove_all(&parts_dir(us)).await {
        tracing::warn!(upload_id = %us.id, error = %e, "could not remove an upload's chunks");
    }
    Ok(())
}

async fn remove_quietly(app: &App, path: &str) {
    if let Err(e) = app.files.store.remove(path).await {
        tracing::warn!(path, error = %e, "could not remove a refused chunk");
    }
}

/// `input` cut after `limit` bytes; the rest is not read.
fn truncated<S, E>(input: S, limit: u64) -> impl Stream<Item = Result<Bytes, E>> + Unpin
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    Box::pin(input.scan(limit, |left, chunk| {
        let out = match chunk {
            Err(e) => Some(Err(e)),
            Ok(_) if *left == 0 => None,
            Ok(mut bytes) => {
                let keep = usize::try_from(*left)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                bytes.truncate(keep);
                *left -= keep as u64;
                Some(Ok(bytes))
            }
        };
        futures_util::future::ready(out)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;

    #[tokio::test]
    async fn a_chunk_is_cut_at_what_the_upload_expects() {
        let input = futures_util::stream::iter(vec![
            Ok::<_, std::io::Error>(Bytes::from_static(b"abcd")),
            Ok(Bytes::from_static(b"efgh")),
        ]);
        let out: Vec<Bytes> = truncated(input, 6).try_collect().await.unwrap();
        assert_eq!(out.concat(), b"abcdef");
    }

    #[test]
    fn chunks_sit_beside_the_file() {
        let us = UploadSession {
            path: "20260101/teams/noteam/channels/c/users/u/up/name.bin".into(),
            ..UploadSession::default()
        };
        assert_eq!(
            part_path(&us, 5),
            "20260101/teams/noteam/channels/c/users/u/up/.parts/00000000000000000005"
        );
    }
}

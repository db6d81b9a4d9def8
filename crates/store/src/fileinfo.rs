//! The `fileinfo` table: uploaded files' metadata (Mattermost's `SqlFileInfoStore`). A file
//! is saved unattached (`postid` ''), attached to one post once, and soft-deleted with it.

use crate::db::{execute, placeholders, query_rows, Bind};
use crate::{Deleted, Result, Store};
use utmost_model::file_info::FileInfo;

#[derive(sqlx::FromRow)]
struct FileInfoRow {
    id: String,
    creatorid: Option<String>,
    postid: Option<String>,
    channelid: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    path: Option<String>,
    thumbnailpath: Option<String>,
    previewpath: Option<String>,
    name: Option<String>,
    extension: Option<String>,
    size: Option<i64>,
    mimetype: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    haspreviewimage: Option<bool>,
    minipreview: Option<Vec<u8>>,
    remoteid: Option<String>,
    archived: bool,
}

impl From<FileInfoRow> for FileInfo {
    fn from(r: FileInfoRow) -> Self {
        FileInfo {
            id: r.id,
            creator_id: r.creatorid.unwrap_or_default(),
            post_id: r.postid.unwrap_or_default(),
            channel_id: r.channelid.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            path: r.path.unwrap_or_default(),
            thumbnail_path: r.thumbnailpath.unwrap_or_default(),
            preview_path: r.previewpath.unwrap_or_default(),
            name: r.name.unwrap_or_default(),
            extension: r.extension.unwrap_or_default(),
            size: r.size.unwrap_or(0),
            mime_type: r.mimetype.unwrap_or_default(),
            width: r.width.map_or(0, i64::from),
            height: r.height.map_or(0, i64::from),
            has_preview_image: r.haspreviewimage.unwrap_or(false),
            mini_preview: r.minipreview.filter(|b| !b.is_empty()),
            content: String::new(),
            remote_id: r.remoteid.filter(|id| !id.is_empty()),
            archived: r.archived,
        }
    }
}

const SELECT: &str = "SELECT id, creatorid, postid, channelid, createat, updateat, deleteat, \
    path, thumbnailpath, previewpath, name, extension, size, mimetype, width, height, \
    haspreviewimage, minipreview, remoteid, archived FROM fileinfo";

/// Saves a new file's metadata, with the text extracted from it (searched, never sent).
pub async fn insert(store: &Store, info: &FileInfo) -> Result<()> {
    execute!(
        store,
        "INSERT INTO fileinfo (id, creatorid, postid, channelid, createat, updateat, deleteat, \
         path, thumbnailpath, previewpath, name, extension, size, mimetype, width, height, \
         haspreviewimage, minipreview, content, remoteid, archived) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18, $19, $20, $21)",
        &info.id,
        &info.creator_id,
        &info.post_id,
        &info.channel_id,
        info.create_at,
        info.update_at,
        info.delete_at,
        &info.path,
        &info.thumbnail_path,
        &info.preview_path,
        &info.name,
        &info.extension,
        info.size,
        &info.mime_type,
        i32::try_from(info.width).unwrap_or(0),
        i32::try_from(info.height).unwrap_or(0),
        info.has_preview_image,
        info.mini_preview.as_deref(),
        &info.content,
        info.remote_id.as_deref().unwrap_or(""),
        info.archived,
    )?;
    Ok(())
}

/// The live file with this id.
pub async fn get(store: &Store, id: &str) -> Result<Option<FileInfo>> {
    let sql = format!("{SELECT} WHERE id = $1 AND deleteat = 0");
    Ok(
        query_rows::<FileInfoRow, FileInfo>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// The files attached to `post_id`, oldest first (Mattermost's `GetForPost`).
pub async fn for_post(store: &Store, post_id: &str, deleted: Deleted) -> Result<Vec<FileInfo>> {
    let live = match deleted {
        Deleted::Exclude => " AND deleteat = 0",
        Deleted::Include => "",
    };
    let sql = format!("{SELECT} WHERE postid = $1{live} ORDER BY createat, id");
    query_rows::<FileInfoRow, FileInfo>(store, &sql, &[Bind::Str(post_id)]).await
}

/// The live files attached to any of `post_ids` (at most a page of posts), oldest first.
pub async fn for_posts(store: &Store, post_ids: &[String]) -> Result<Vec<FileInfo>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE postid IN ({}) AND deleteat = 0 ORDER BY createat, id",
        placeholders(1, post_ids.len())
    );
    let binds: Vec<Bind> = post_ids.iter().map(|id| Bind::Str(id)).collect();
    query_rows::<FileInfoRow, FileInfo>(store, &sql, &binds).await
}

/// Attaches file `id` to a post of `channel_id` at time `at`, as Mattermost's
/// `AttachToPost`: only a live file of `creator_id` that no post has yet. False when nothing
/// was attached. The update time moves (Mattermost's does not) so the search indexer, which
/// walks `updateat`, sees the file become searchable.
pub async fn attach_to_post(
    store: &Store,
    id: &str,
    post_id: &str,
    channel_id: &str,
    creator_id: &str,
    at: i64,
) -> Result<bool> {
    let attached = execute!(
        store,
        "UPDATE fileinfo SET postid = $1, channelid = $2, updateat = $5 \
         WHERE id = $3 AND creatorid = $4 AND (postid = '' OR postid IS NULL) AND deleteat = 0",
        post_id,
        channel_id,
        id,
        creator_id,
        at,
    )?;
    Ok(attached > 0)
}

/// Soft-deletes the files of `post_id` at `at` (`DeleteForPost`); the bytes stay in the
/// file store, as Mattermost keeps them. Returns how many were deleted.
pub async fn delete_for_post(store: &Store, post_id: &str, at: i64) -> Result<u64> {
    Ok(execute!(
        store,
        "UPDATE fileinfo SET deleteat = $1, updateat = $1 WHERE postid = $2 AND deleteat = 0",
        at,
        post_id,
    )?)
}

/// The live files among `ids` (at most a post's worth), in no particular order.
pub async fn get_many(store: &Store, ids: &[String]) -> Result<Vec<FileInfo>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE id IN ({}) AND deleteat = 0",
        placeholders(1, ids.len())
    );
    let binds: Vec<Bind> = ids.iter().map(|id| Bind::Str(id)).collect();
    query_rows::<FileInfoRow, FileInfo>(store, &sql, &binds).await
}

/// Deletes the row of a file no post has (an upload whose request failed after it).
pub async fn delete_unattached(store: &Store, id: &str) -> Result<()> {
    execute!(
        store,
        "DELETE FROM fileinfo WHERE id = $1 AND (postid = '' OR postid IS NULL)",
        id,
    )?;
    Ok(())
}

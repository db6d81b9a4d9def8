//! The `uploadsessions` table: resumable uploads in progress (Mattermost's
//! `SqlUploadSessionStore`). A row lives from the upload's creation to its last chunk.

use crate::db::{execute, query_rows, Bind};
use crate::types::UploadSessionType;
use crate::{Result, Store};
use utmost_model::file_info::UploadSession;

#[derive(sqlx::FromRow)]
struct UploadSessionRow {
    id: String,
    #[sqlx(rename = "type")]
    kind: Option<String>,
    createat: Option<i64>,
    userid: Option<String>,
    channelid: Option<String>,
    filename: Option<String>,
    path: Option<String>,
    filesize: Option<i64>,
    fileoffset: Option<i64>,
    remoteid: Option<String>,
    reqfileid: Option<String>,
}

impl From<UploadSessionRow> for UploadSession {
    fn from(r: UploadSessionRow) -> Self {
        UploadSession {
            id: r.id,
            upload_type: r.kind.unwrap_or_default(),
            create_at: r.createat.unwrap_or(0),
            user_id: r.userid.unwrap_or_default(),
            channel_id: r.channelid.unwrap_or_default(),
            filename: r.filename.unwrap_or_default(),
            path: r.path.unwrap_or_default(),
            file_size: r.filesize.unwrap_or(0),
            file_offset: r.fileoffset.unwrap_or(0),
            remote_id: r.remoteid.unwrap_or_default(),
            req_file_id: r.reqfileid.unwrap_or_default(),
        }
    }
}

// `type::text`: the enum column reads as text on PostgreSQL, as it is on SQLite.
const SELECT: &str = "SELECT id, CAST(type AS TEXT) AS type, createat, userid, channelid, \
    filename, path, filesize, fileoffset, remoteid, reqfileid FROM uploadsessions";

pub async fn insert(store: &Store, us: &UploadSession) -> Result<()> {
    execute!(
        store,
        "INSERT INTO uploadsessions (id, type, createat, userid, channelid, filename, path, \
         filesize, fileoffset, remoteid, reqfileid) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &us.id,
        UploadSessionType(us.upload_type.clone()),
        us.create_at,
        &us.user_id,
        &us.channel_id,
        &us.filename,
        &us.path,
        us.file_size,
        us.file_offset,
        &us.remote_id,
        &us.req_file_id,
    )?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<UploadSession>> {
    let sql = format!("{SELECT} WHERE id = $1");
    Ok(
        query_rows::<UploadSessionRow, UploadSession>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// A user's uploads in progress, oldest first (`GetForUser`), at most `limit`.
pub async fn for_user(store: &Store, user_id: &str, limit: i64) -> Result<Vec<UploadSession>> {
    let sql = format!("{SELECT} WHERE userid = $1 ORDER BY createat, id LIMIT $2");
    query_rows::<UploadSessionRow, UploadSession>(
        store,
        &sql,
        &[Bind::Str(user_id), Bind::Int(limit)],
    )
    .await
}

/// Up to `limit` uploads created before `before`, oldest first: the abandoned ones.
pub async fn created_before(store: &Store, before: i64, limit: i64) -> Result<Vec<UploadSession>> {
    let sql = format!("{SELECT} WHERE createat < $1 ORDER BY createat, id LIMIT $2");
    query_rows::<UploadSessionRow, UploadSession>(
        store,
        &sql,
        &[Bind::Int(before), Bind::Int(limit)],
    )
    .await
}

/// Moves the received length from `from` to `to`; false when another request moved it first
/// (so two chunks never both land at the same offset).
pub async fn advance(store: &Store, id: &str, from: i64, to: i64) -> Result<bool> {
    let moved = execute!(
        store,
        "UPDATE uploadsessions SET fileoffset = $1 WHERE id = $2 AND fileoffset = $3",
        to,
        id,
        from,
    )?;
    Ok(moved > 0)
}

pub async fn delete(store: &Store, id: &str) -> Result<()> {
    execute!(store, "DELETE FROM uploadsessions WHERE id = $1", id)?;
    Ok(())
}

//! The reads of the `message_export` job: posts changed in a window (new, edited, deleted),
//! their files, and the channel membership history (`channelmemberhistory`) of their
//! channels over that window.

use crate::compliance::{ExportedPost, EXPORTED_POST_FROM};
use crate::db::{placeholders, query_rows, Bind};
use crate::{Result, Store};

/// Up to `limit` posts whose `updateat` is in (`since`, `until`], after (`update_at`, `id`)
/// in that order: an edit or a deletion moves `updateat`, so each change is exported once.
pub async fn changed_posts(
    store: &Store,
    since: i64,
    until: i64,
    after: (i64, &str),
    limit: i64,
) -> Result<Vec<ExportedPost>> {
    let sql = format!(
        "{EXPORTED_POST_FROM} WHERE p.updateat >= $1 AND (p.updateat > $1 OR p.id > $2) \
         AND p.updateat > $3 AND p.updateat <= $4 ORDER BY p.updateat, p.id LIMIT $5"
    );
    let binds = [
        Bind::Int(after.0),
        Bind::Str(after.1),
        Bind::Int(since),
        Bind::Int(until),
        Bind::Int(limit),
    ];
    query_rows::<ExportedPost, ExportedPost>(store, &sql, &binds).await
}

/// A file attached to an exported post.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedFile {
    pub id: String,
    pub postid: String,
    pub name: String,
    pub path: String,
    pub size: i64,
    pub mimetype: String,
    pub createat: i64,
    pub deleteat: i64,
}

/// The files of `post_ids`, deleted ones included.
pub async fn files_of_posts(store: &Store, post_ids: &[&str]) -> Result<Vec<ExportedFile>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, COALESCE(postid, '') AS postid, COALESCE(name, '') AS name, \
         COALESCE(path, '') AS path, COALESCE(size, 0) AS size, \
         COALESCE(mimetype, '') AS mimetype, COALESCE(createat, 0) AS createat, \
         COALESCE(deleteat, 0) AS deleteat FROM fileinfo WHERE postid IN ({}) \
         ORDER BY createat, id",
        placeholders(1, post_ids.len())
    );
    let binds: Vec<Bind> = post_ids.iter().map(|id| Bind::Str(id)).collect();
    query_rows::<ExportedFile, ExportedFile>(store, &sql, &binds).await
}

/// A stay of a user in a channel, as `channelmemberhistory` records it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberStay {
    pub channelid: String,
    pub userid: String,
    pub username: String,
    pub email: String,
    pub isbot: bool,
    pub jointime: i64,
    /// `None` while still a member.
    pub leavetime: Option<i64>,
}

/// The stays in `channel_ids` that overlap [`since`, `until`]: who was in each channel
/// during the window, with the joins and leaves inside it.
pub async fn member_stays(
    store: &Store,
    channel_ids: &[&str],
    since: i64,
    until: i64,
) -> Result<Vec<MemberStay>> {
    if channel_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT h.channelid, h.userid, COALESCE(u.username, '') AS username, \
         COALESCE(u.email, '') AS email, \
         (EXISTS (SELECT 1 FROM bots b WHERE b.userid = h.userid)) AS isbot, \
         h.jointime, h.leavetime FROM channelmemberhistory h \
         LEFT JOIN users u ON u.id = h.userid \
         WHERE h.jointime <= $1 AND (h.leavetime IS NULL OR h.leavetime >= $2) \
         AND h.channelid IN ({}) ORDER BY h.channelid, h.jointime, h.userid",
        placeholders(3, channel_ids.len())
    );
    let mut binds = vec![Bind::Int(until), Bind::Int(since)];
    binds.extend(channel_ids.iter().map(|id| Bind::Str(id)));
    query_rows::<MemberStay, MemberStay>(store, &sql, &binds).await
}

/// The end of the window of the last successful message export, if any
/// (its job data's `job_end_time`).
pub async fn last_export_end(store: &Store) -> Result<Option<i64>> {
    let done = crate::jobs::list(
        store,
        &[utmost_model::job::TYPE_MESSAGE_EXPORT],
        Some(utmost_model::job::STATUS_SUCCESS),
        0,
        1,
    )
    .await?;
    Ok(done
        .first()
        .and_then(|j| j.data.get("job_end_time"))
        .and_then(|t| t.parse().ok()))
}

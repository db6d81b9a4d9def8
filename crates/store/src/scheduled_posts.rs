//! The `scheduledposts` table (`sqlstore/scheduled_post_store.go`): drafts with a time to be
//! sent at. A pending row has no `errorcode` (Mattermost's rule: it sets `processedat` on every
//! edit, so that column says nothing). The sending job claims a row (`errorcode` `sending`)
//! before it sends, deletes it once sent, and records an `errorcode` on the rows it could not
//! send.

use crate::db::{execute, query_rows, Bind};
use crate::drafts::{DraftColumns, DraftJson};
use crate::{Result, Store};
use utmost_model::draft::{Draft, ScheduledPost};

#[derive(sqlx::FromRow)]
struct ScheduledPostRow {
    id: String,
    #[sqlx(flatten)]
    draft: DraftColumns,
    scheduledat: i64,
    processedat: Option<i64>,
    errorcode: Option<String>,
}

impl From<ScheduledPostRow> for ScheduledPost {
    fn from(r: ScheduledPostRow) -> Self {
        ScheduledPost {
            draft: Draft::from(r.draft),
            id: r.id,
            scheduled_at: r.scheduledat,
            processed_at: r.processedat.unwrap_or(0),
            error_code: r.errorcode.unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT d.id, d.createat, d.updateat, d.userid, d.channelid, d.rootid, \
    d.message, d.props, d.fileids, d.priority, d.scheduledat, d.processedat, d.errorcode \
    FROM scheduledposts d";

async fn query(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<ScheduledPost>> {
    query_rows::<ScheduledPostRow, ScheduledPost>(store, sql, binds).await
}

/// Neither claimed by the job nor failed.
const PENDING: &str = "COALESCE(d.errorcode, '') = ''";

/// The `errorcode` of a row the job is sending; one left so was being sent when the process
/// stopped. Clients see it only for those moments.
const SENDING: &str = "sending";

pub async fn create(store: &Store, post: &ScheduledPost) -> Result<()> {
    let d = &post.draft;
    let json = DraftJson::of(d)?;
    execute!(
        store,
        "INSERT INTO scheduledposts (id, createat, updateat, userid, channelid, rootid, message, \
         props, fileids, priority, scheduledat, processedat, errorcode) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &post.id,
        d.create_at,
        d.update_at,
        &d.user_id,
        &d.channel_id,
        &d.root_id,
        &d.message,
        &json.props,
        &json.file_ids,
        &json.priority,
        post.scheduled_at,
        post.processed_at,
        &post.error_code,
    )?;
    Ok(())
}

pub async fn get(store: &Store, id: &str) -> Result<Option<ScheduledPost>> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    Ok(query(store, &sql, &[Bind::Str(id)]).await?.pop())
}

/// Writes what an update may change: the content, the time, and the processing state.
pub async fn update(store: &Store, post: &ScheduledPost) -> Result<bool> {
    let d = &post.draft;
    let json = DraftJson::of(d)?;
    let updated = execute!(
        store,
        "UPDATE scheduledposts SET updateat = $1, message = $2, props = $3, fileids = $4, \
         priority = $5, scheduledat = $6, processedat = $7, errorcode = $8 WHERE id = $9",
        d.update_at,
        &d.message,
        &json.props,
        &json.file_ids,
        &json.priority,
        post.scheduled_at,
        post.processed_at,
        &post.error_code,
        &post.id,
    )?;
    Ok(updated > 0)
}

/// Deletes the row; true when there was one.
pub async fn delete(store: &Store, id: &str) -> Result<bool> {
    Ok(execute!(store, "DELETE FROM scheduledposts WHERE id = $1", id)? > 0)
}

/// `GetScheduledPostsForUser`: the user's scheduled posts in the team's channels, or with
/// `team_id` `""` in direct and group messages, failed ones and those of channels the user
/// left included (they show why they were not sent), the soonest first, at most `limit`.
pub async fn for_user(
    store: &Store,
    user_id: &str,
    team_id: &str,
    limit: i64,
) -> Result<Vec<ScheduledPost>> {
    let sql = format!(
        "{SELECT} JOIN channels c ON c.id = d.channelid \
         WHERE d.userid = $1 AND COALESCE(c.teamid, '') = $2 \
         ORDER BY d.scheduledat, d.createat, d.id LIMIT $3"
    );
    query(
        store,
        &sql,
        &[Bind::Str(user_id), Bind::Str(team_id), Bind::Int(limit)],
    )
    .await
}

/// Pending posts due between `after` and `before` (ms, inclusive), the oldest first, at most
/// `limit`.
pub async fn due(store: &Store, after: i64, before: i64, limit: i64) -> Result<Vec<ScheduledPost>> {
    let sql = format!(
        "{SELECT} WHERE {PENDING} AND d.scheduledat >= $1 AND d.scheduledat <= $2 \
         ORDER BY d.scheduledat, d.id LIMIT $3"
    );
    query(
        store,
        &sql,
        &[Bind::Int(after), Bind::Int(before), Bind::Int(limit)],
    )
    .await
}

/// Claims a pending post for sending at `at`; false when it is no longer pending (deleted,
/// failed, or claimed already).
pub async fn claim(store: &Store, id: &str, at: i64) -> Result<bool> {
    let sql = format!(
        "UPDATE scheduledposts SET errorcode = $1, processedat = $2 WHERE id = $3 AND {PENDING}"
    )
    .replace("d.", "");
    Ok(execute!(store, &sql, SENDING, at, id)? > 0)
}

/// Claimed posts that were neither sent (deleted) nor failed: the process stopped between
/// claiming and deleting them, at most `limit`.
pub async fn unfinished(store: &Store, limit: i64) -> Result<Vec<ScheduledPost>> {
    let sql = format!("{SELECT} WHERE d.errorcode = $1 ORDER BY d.scheduledat, d.id LIMIT $2");
    query(store, &sql, &[Bind::Str(SENDING), Bind::Int(limit)]).await
}

/// Records why a post was not sent, at `at`.
pub async fn fail(store: &Store, id: &str, error_code: &str, at: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE scheduledposts SET errorcode = $1, processedat = $2, updateat = $2 WHERE id = $3",
        error_code,
        at,
        id,
    )?;
    Ok(())
}

/// `UpdateOldScheduledPosts`: pending posts due before `before` are given up with
/// `error_code` at `at` (the job sends nothing more than a day late).
pub async fn expire(store: &Store, before: i64, error_code: &str, at: i64) -> Result<u64> {
    let sql = format!(
        "UPDATE scheduledposts SET errorcode = $1, processedat = $2, updateat = $2 \
         WHERE {PENDING} AND scheduledat < $3"
    )
    .replace("d.", "");
    Ok(execute!(store, &sql, error_code, at, before)?)
}

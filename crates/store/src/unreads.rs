//! Marking a channel unread from a post (`UpdateLastViewedAtPost`, `CountPostsAfter`).

use crate::db::{read, transaction};
use crate::{Result, Store, StoreError};
use utmost_model::post::JOIN_LEAVE_POST_TYPES;

/// Join/leave system messages never count as unread messages.
fn not_join_leave() -> String {
    let quoted: Vec<String> = JOIN_LEAVE_POST_TYPES
        .iter()
        .map(|t| format!("'{t}'"))
        .collect();
    format!("COALESCE(type, '') NOT IN ({})", quoted.join(", "))
}

/// A post after the unread point, as mention counting needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnreadPost {
    pub userid: String,
    pub rootid: String,
    pub message: String,
}

/// Live posts of a channel created after `after` (ms), oldest first, at most `limit`.
pub async fn posts_after(
    store: &Store,
    channel_id: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<UnreadPost>> {
    let sql = format!(
        "SELECT COALESCE(userid, '') AS userid, COALESCE(rootid, '') AS rootid, \
         COALESCE(message, '') AS message FROM posts \
         WHERE channelid = $1 AND createat > $2 AND deleteat = 0 AND {} \
         ORDER BY createat LIMIT $3",
        not_join_leave()
    );
    Ok(read!(store, |p| sqlx::query_as(&sql)
        .bind(channel_id)
        .bind(after)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// What a member's read state became (`model.ChannelUnreadAt`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnreadAt {
    pub teamid: String,
    pub msgcount: i64,
    pub msgcountroot: i64,
    pub mentioncount: i64,
    pub mentioncountroot: i64,
    pub urgentmentioncount: i64,
    pub lastviewedat: i64,
}

pub struct Mentions {
    pub all: i64,
    pub root: i64,
    pub urgent: i64,
}

/// Moves a member's read point to just before `unread_from` (ms): message counts drop by
/// the live, non-join/leave posts after it, mention counts become `mentions`.
pub async fn set_unread_from(
    store: &Store,
    channel_id: &str,
    user_id: &str,
    unread_from: i64,
    mentions: &Mentions,
    now: i64,
) -> Result<UnreadAt> {
    let counted = format!(
        "FROM posts WHERE channelid = $1 AND createat > $2 AND deleteat = 0 AND {}",
        not_join_leave()
    );
    let count = format!("SELECT CAST(COUNT(*) AS BIGINT) {counted}");
    let count_root = format!("SELECT CAST(COUNT(*) AS BIGINT) {counted} AND rootid = ''");
    let last_viewed = unread_from - 1;
    transaction!(store, |tx| {
        let unread: i64 = sqlx::query_scalar(&count)
            .bind(channel_id)
            .bind(last_viewed)
            .fetch_one(&mut *tx)
            .await?;
        let unread_root: i64 = sqlx::query_scalar(&count_root)
            .bind(channel_id)
            .bind(last_viewed)
            .fetch_one(&mut *tx)
            .await?;
        let updated = sqlx::query(
            "UPDATE channelmembers SET mentioncount = $1, mentioncountroot = $2, \
             urgentmentioncount = $3, \
             msgcount = (SELECT COALESCE(totalmsgcount, 0) FROM channels WHERE id = $4) - $5, \
             msgcountroot = (SELECT COALESCE(totalmsgcountroot, 0) FROM channels WHERE id = $4) - $6, \
             lastviewedat = $7, lastupdateat = $8 WHERE userid = $9 AND channelid = $4",
        )
        .bind(mentions.all)
        .bind(mentions.root)
        .bind(mentions.urgent)
        .bind(channel_id)
        .bind(unread)
        .bind(unread_root)
        .bind(last_viewed)
        .bind(now)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound("channel member"));
        }
        let row: UnreadAt = sqlx::query_as(
            "SELECT COALESCE(c.teamid, '') AS teamid, COALESCE(m.msgcount, 0) AS msgcount, \
             COALESCE(m.msgcountroot, 0) AS msgcountroot, \
             COALESCE(m.mentioncount, 0) AS mentioncount, \
             COALESCE(m.mentioncountroot, 0) AS mentioncountroot, \
             COALESCE(m.urgentmentioncount, 0) AS urgentmentioncount, \
             COALESCE(m.lastviewedat, 0) AS lastviewedat \
             FROM channelmembers m JOIN channels c ON c.id = m.channelid \
             WHERE m.channelid = $1 AND m.userid = $2",
        )
        .bind(channel_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        row
    })
}

//! The reads notifications need: who follows a thread, the sessions of mobile devices, a
//! user's badge count, and whether an automatic reply was already sent today.

use crate::db::{execute, placeholders, query_rows, read, Bind};
use crate::{Result, Store};

/// A session of a mobile app that registered a device for push notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSession {
    pub id: String,
    pub user_id: String,
    /// `<platform>:<token>` as the app registered it.
    pub device_id: String,
    pub expires_at: i64,
}

#[derive(sqlx::FromRow)]
struct DeviceSessionRow {
    id: String,
    userid: Option<String>,
    deviceid: Option<String>,
    expiresat: Option<i64>,
}

impl From<DeviceSessionRow> for DeviceSession {
    fn from(r: DeviceSessionRow) -> Self {
        DeviceSession {
            id: r.id,
            user_id: r.userid.unwrap_or_default(),
            device_id: r.deviceid.unwrap_or_default(),
            expires_at: r.expiresat.unwrap_or(0),
        }
    }
}

/// `GetSessionsWithActiveDeviceIds` for several users at once: their unexpired sessions
/// with a device id, oldest first.
pub async fn device_sessions(
    store: &Store,
    user_ids: &[String],
    now: i64,
) -> Result<Vec<DeviceSession>> {
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, userid, deviceid, expiresat FROM sessions \
         WHERE userid IN ({}) AND deviceid <> '' AND expiresat <> 0 AND expiresat >= $1 \
         ORDER BY createat, id",
        placeholders(2, user_ids.len())
    );
    let mut binds = vec![Bind::Int(now)];
    binds.extend(user_ids.iter().map(|id| Bind::Str(id)));
    query_rows::<DeviceSessionRow, _>(store, &sql, &binds).await
}

/// Device sessions that expired after `since` and by `now` whose device was not told yet
/// (`GetSessionsExpired(threshold, mobileOnly, unnotifiedOnly)`), at most `limit`.
pub async fn expired_unnotified(
    store: &Store,
    since: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<DeviceSession>> {
    let sql = "SELECT id, userid, deviceid, expiresat FROM sessions \
         WHERE deviceid <> '' AND expiresat <> 0 AND expiresat > $1 AND expiresat < $2 \
         AND (expirednotify IS NULL OR expirednotify = FALSE) ORDER BY expiresat, id LIMIT $3";
    query_rows::<DeviceSessionRow, _>(
        store,
        sql,
        &[Bind::Int(since), Bind::Int(now), Bind::Int(limit)],
    )
    .await
}

/// Records that a session's device was told of its expiry (`UpdateExpiredNotify`).
pub async fn mark_expiry_told(store: &Store, session_id: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE sessions SET expirednotify = TRUE WHERE id = $1",
        session_id
    )?;
    Ok(())
}

/// Forgets a session's device (the push proxy said the app was removed from it).
pub async fn forget_device(store: &Store, session_id: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE sessions SET deviceid = '' WHERE id = $1",
        session_id
    )?;
    Ok(())
}

/// A user's badge: `GetUnreadCount` (unread messages of direct channels, mentions
/// elsewhere, counted over root posts only under collapsed threads) plus, under collapsed
/// threads, the unread mentions of the threads they follow (`GetTotalUnreadMentions`).
pub async fn badge_count(store: &Store, user_id: &str, collapsed_threads: bool) -> Result<i64> {
    let channels = if collapsed_threads {
        "c.totalmsgcountroot - cm.msgcountroot"
    } else {
        "c.totalmsgcount - cm.msgcount"
    };
    let mentions = if collapsed_threads {
        "cm.mentioncountroot"
    } else {
        "cm.mentioncount"
    };
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN c.type = 'D' THEN {channels} ELSE {mentions} END), 0) \
         AS BIGINT) FROM channels c JOIN channelmembers cm ON cm.channelid = c.id \
         WHERE cm.userid = $1 AND c.deleteat = 0"
    );
    let mut badge: i64 = read!(store, |p| sqlx::query_scalar(&sql)
        .bind(user_id)
        .fetch_one(p)
        .await)?;
    if collapsed_threads {
        let sql = "SELECT CAST(COALESCE(SUM(tm.unreadmentions), 0) AS BIGINT) \
             FROM threadmemberships tm JOIN threads t ON t.postid = tm.postid \
             JOIN channels c ON c.id = t.channelid \
             WHERE tm.userid = $1 AND tm.following = TRUE AND c.deleteat = 0";
        let threads: i64 = read!(store, |p| sqlx::query_scalar(sql)
            .bind(user_id)
            .fetch_one(p)
            .await)?;
        badge += threads;
    }
    Ok(badge)
}

/// The users following a thread (`GetThreadFollowers`).
pub async fn thread_followers(store: &Store, root_id: &str) -> Result<Vec<String>> {
    let sql = "SELECT userid FROM threadmemberships WHERE postid = $1 AND following = TRUE";
    Ok(read!(store, |p| sqlx::query_scalar(sql)
        .bind(root_id)
        .fetch_all(p)
        .await)?)
}

/// `HasAutoResponsePostByUserSince`: whether `user_id` already sent an automatic reply in
/// the channel at or after `since`.
pub async fn auto_responded_since(
    store: &Store,
    channel_id: &str,
    user_id: &str,
    since: i64,
) -> Result<bool> {
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE channelid = $1 AND deleteat = 0 \
               AND createat >= $2 AND userid = $3 AND type = 'system_auto_responder'";
    let n: i64 = read!(store, |p| sqlx::query_scalar(sql)
        .bind(channel_id)
        .bind(since)
        .bind(user_id)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

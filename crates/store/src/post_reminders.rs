//! `postreminders`: "remind me about this post" (`SqlPostStore.SetPostReminder`,
//! `GetPostReminders`, `GetPostReminderMetadata`). `targettime` is in seconds.

use crate::db::{read, transaction};
use crate::{Result, Store};

/// One user's reminder of one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostReminder {
    pub post_id: String,
    pub user_id: String,
    /// Seconds since the epoch.
    pub target_time: i64,
}

/// Sets (or moves) the user's reminder of the post. Returns false, writing nothing, when
/// the post does not exist.
pub async fn set(store: &Store, reminder: &PostReminder) -> Result<bool> {
    transaction!(store, |tx| {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM posts WHERE id = $1")
            .bind(&reminder.post_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            sqlx::query(
                "INSERT INTO postreminders (postid, userid, targettime) VALUES ($1, $2, $3) \
                 ON CONFLICT (postid, userid) DO UPDATE SET targettime = excluded.targettime",
            )
            .bind(&reminder.post_id)
            .bind(&reminder.user_id)
            .bind(reminder.target_time)
            .execute(&mut *tx)
            .await?;
        }
        exists.is_some()
    })
}

/// Removes and returns up to `limit` reminders due at `now` (seconds), the earliest first.
/// One statement, so two servers never both take the same reminder; like Mattermost, a
/// reminder whose delivery then fails is lost rather than sent twice.
pub async fn take_due(store: &Store, now: i64, limit: i64) -> Result<Vec<PostReminder>> {
    let sql = format!(
        "DELETE FROM postreminders WHERE (postid, userid) IN \
         (SELECT postid, userid FROM postreminders WHERE targettime <= $1 \
          ORDER BY targettime LIMIT {limit}) \
         RETURNING postid, userid, targettime"
    );
    let rows: Vec<(String, String, Option<i64>)> = transaction!(store, |tx| {
        sqlx::query_as(&sql).bind(now).fetch_all(&mut *tx).await?
    })?;
    let mut due: Vec<PostReminder> = rows
        .into_iter()
        .map(|(post_id, user_id, target_time)| PostReminder {
            post_id,
            user_id,
            target_time: target_time.unwrap_or(0),
        })
        .collect();
    due.sort_by_key(|r| r.target_time);
    Ok(due)
}

/// What a reminder message says about its post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderMetadata {
    pub channel_id: String,
    /// The name of the post's team, "" for direct and group messages.
    pub team_name: String,
    /// The post author's username.
    pub username: String,
}

/// The post's channel, team name and author, or None when the post is gone.
pub async fn metadata(store: &Store, post_id: &str) -> Result<Option<ReminderMetadata>> {
    let sql = "SELECT p.channelid, COALESCE(t.name, ''), COALESCE(u.username, '') \
               FROM posts p \
               LEFT JOIN channels c ON c.id = p.channelid \
               LEFT JOIN teams t ON t.id = c.teamid \
               LEFT JOIN users u ON u.id = p.userid \
               WHERE p.id = $1";
    let row: Option<(Option<String>, String, String)> = read!(store, |p| sqlx::query_as(sql)
        .bind(post_id)
        .fetch_optional(p)
        .await)?;
    Ok(
        row.map(|(channel_id, team_name, username)| ReminderMetadata {
            channel_id: channel_id.unwrap_or_default(),
            team_name,
            username,
        }),
    )
}

//! `postspriority` (a root post's priority and whether it asks for acknowledgements) and
//! `persistentnotifications` (the urgent posts whose mentions repeat until read). Both are
//! written with the post, in its transaction.

use crate::db::{execute, for_each_connection, placeholders, query_rows, read, transaction, Bind};
use crate::{Result, Store};
use utmost_model::post::{Post, PostPriority};
use utmost_model::post_acknowledgement::PostAcknowledgement;

/// A row of `metadata_for_posts`: a priority (`kind` 'p') or an acknowledgement ('a').
#[derive(sqlx::FromRow)]
struct MetadataRow {
    kind: String,
    postid: String,
    priority: Option<String>,
    requestedack: Option<bool>,
    persistentnotifications: Option<bool>,
    userid: Option<String>,
    acknowledgedat: Option<i64>,
}

/// The priorities and live acknowledgements of some posts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PriorityMetadata {
    /// `(post id, priority)` for the posts that have one.
    pub priorities: Vec<(String, PostPriority)>,
    /// Oldest first.
    pub acknowledgements: Vec<PostAcknowledgement>,
}

/// The step a new post's transaction runs to keep its priority.
pub(crate) trait PrioritySteps {
    /// Saves the post's `metadata.priority`, if it has one, and for a post asking for
    /// persistent notifications their row. A post without a priority costs no statement.
    async fn save_priority(&mut self, post: &Post) -> Result<()>;
}

for_each_connection!(impl PrioritySteps {
    async fn save_priority(&mut self, post: &Post) -> Result<()> {
        let Some(priority) = post.metadata.as_ref().and_then(|m| m.priority.as_ref()) else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO postspriority \
             (postid, channelid, priority, requestedack, persistentnotifications) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&post.id)
        .bind(&post.channel_id)
        .bind(priority.priority.as_deref().unwrap_or_default())
        .bind(priority.requested_ack)
        .bind(priority.persistent_notifications)
        .execute(&mut *self)
        .await?;
        if priority.persistent_notifications == Some(true) {
            sqlx::query(
                "INSERT INTO persistentnotifications \
                 (postid, createat, lastsentat, deleteat, sentcount) VALUES ($1, $2, 0, 0, 0)",
            )
            .bind(&post.id)
            .bind(post.create_at)
            .execute(&mut *self)
            .await?;
        }
        Ok(())
    }
});

/// The priorities and live acknowledgements of these posts, read in one query.
pub async fn metadata_for_posts(store: &Store, post_ids: &[String]) -> Result<PriorityMetadata> {
    let mut metadata = PriorityMetadata::default();
    if post_ids.is_empty() {
        return Ok(metadata);
    }
    let ids = placeholders(1, post_ids.len());
    let sql = format!(
        "SELECT 'p' AS kind, postid, priority, requestedack, persistentnotifications, \
           CAST(NULL AS TEXT) AS userid, CAST(NULL AS BIGINT) AS acknowledgedat \
         FROM postspriority WHERE postid IN ({ids}) \
         UNION ALL \
         SELECT 'a', postid, NULL, NULL, NULL, userid, acknowledgedat \
         FROM postacknowledgements WHERE postid IN ({ids}) AND acknowledgedat <> 0 \
         ORDER BY kind DESC, acknowledgedat, userid"
    );
    let args: Vec<Bind> = post_ids.iter().map(|id| Bind::Str(id)).collect();
    for row in query_rows::<MetadataRow, MetadataRow>(store, &sql, &args).await? {
        if row.kind == "p" {
            let priority = PostPriority {
                priority: Some(row.priority.unwrap_or_default()),
                requested_ack: row.requestedack,
                persistent_notifications: row.persistentnotifications,
            };
            metadata.priorities.push((row.postid, priority));
        } else {
            metadata.acknowledgements.push(PostAcknowledgement {
                user_id: row.userid.unwrap_or_default(),
                post_id: row.postid,
                acknowledged_at: row.acknowledgedat.unwrap_or(0),
            });
        }
    }
    Ok(metadata)
}

/// Whether the post's persistent notifications are recorded and still live.
pub async fn has_persistent_notification(store: &Store, post_id: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM persistentnotifications \
               WHERE postid = $1 AND COALESCE(deleteat, 0) = 0";
    let count: i64 = crate::db::read!(store, |p| sqlx::query_scalar(sql)
        .bind(post_id)
        .fetch_one(p)
        .await)?;
    Ok(count > 0)
}

/// The posts whose persistent notifications are due again: live, last sent (or created) by
/// `max_time`, sent fewer than `max_count` times; the oldest first, at most `limit`.
pub async fn due_persistent(
    store: &Store,
    max_time: i64,
    max_count: i64,
    limit: i64,
) -> Result<Vec<String>> {
    let sql = "SELECT postid FROM persistentnotifications \
               WHERE COALESCE(deleteat, 0) = 0 AND createat <= $1 \
               AND COALESCE(lastsentat, 0) <= $1 AND COALESCE(sentcount, 0) < $2 \
               ORDER BY createat, postid LIMIT $3";
    Ok(read!(store, |p| sqlx::query_scalar(sql)
        .bind(max_time)
        .bind(max_count)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Records another round of these posts' persistent notifications, sent at `now`
/// (`UpdateLastActivity`).
pub async fn persistent_sent(store: &Store, post_ids: &[String], now: i64) -> Result<()> {
    update_persistent(
        store,
        "lastsentat = $1, sentcount = COALESCE(sentcount, 0) + 1",
        post_ids,
        now,
    )
    .await
}

/// Stops these posts' persistent notifications at `now` (answered, or the post deleted).
pub async fn end_persistent(store: &Store, post_ids: &[String], now: i64) -> Result<()> {
    update_persistent(store, "deleteat = $1", post_ids, now).await
}

async fn update_persistent(store: &Store, set: &str, post_ids: &[String], now: i64) -> Result<()> {
    if post_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE persistentnotifications SET {set} \
         WHERE COALESCE(deleteat, 0) = 0 AND postid IN ({})",
        placeholders(2, post_ids.len())
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query(&sql).bind(now);
        for id in post_ids {
            q = q.bind(id);
        }
        q.execute(&mut *tx).await?;
    })
}

/// Stops the persistent notifications sent `max_count` times (`DeleteExpired`).
pub async fn end_exhausted_persistent(store: &Store, max_count: i64, now: i64) -> Result<()> {
    execute!(
        store,
        "UPDATE persistentnotifications SET deleteat = $1 \
         WHERE COALESCE(deleteat, 0) = 0 AND COALESCE(sentcount, 0) >= $2",
        now,
        max_count
    )?;
    Ok(())
}

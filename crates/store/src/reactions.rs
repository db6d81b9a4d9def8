//! The `reactions` table, and the post columns a reaction moves (`hasreactions`,
//! `updateat`). A removed reaction is kept with `deleteat` set, as Mattermost keeps it; rows
//! a Mattermost server wrote may have a NULL `deleteat`, so live means `COALESCE(…, 0) = 0`.

use crate::db::{placeholders, query_rows, transaction, Bind};
use crate::{Result, Store};
use utmost_model::reaction::Reaction;

#[derive(sqlx::FromRow)]
struct ReactionRow {
    userid: String,
    postid: String,
    emojiname: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    remoteid: Option<String>,
    channelid: String,
}

impl From<ReactionRow> for Reaction {
    fn from(r: ReactionRow) -> Self {
        Reaction {
            user_id: r.userid,
            post_id: r.postid,
            emoji_name: r.emojiname,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            remote_id: r.remoteid.unwrap_or_default(),
            channel_id: r.channelid,
        }
    }
}

const SELECT: &str = "SELECT userid, postid, emojiname, createat, updateat, deleteat, remoteid, \
                      channelid FROM reactions";

/// What `save` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved,
    /// The emoji is new on the post and the post already has `limit` different ones.
    LimitReached,
}

// Taking the post's row lock first makes concurrent reactions to one post count in turn, so
// the limit below holds on PostgreSQL too (SQLite has one writer anyway).
const LOCK_POST: &str = "UPDATE posts SET hasreactions = hasreactions WHERE id = $1";

// Inserts (or revives) the reaction unless it would be the post's `$7`-th-plus different
// emoji. `create_at` is kept when a removed reaction comes back, as Mattermost's upsert does.
const INSERT_WITHIN_LIMIT: &str = "INSERT INTO reactions \
    (userid, postid, emojiname, createat, updateat, deleteat, remoteid, channelid) \
    SELECT $1, $2, $3, $4, $4, 0, $5, $6 WHERE \
      EXISTS (SELECT 1 FROM reactions \
              WHERE postid = $2 AND emojiname = $3 AND COALESCE(deleteat, 0) = 0) \
      OR (SELECT COUNT(DISTINCT emojiname) FROM reactions \
          WHERE postid = $2 AND COALESCE(deleteat, 0) = 0) < $7 \
    ON CONFLICT (postid, userid, emojiname) DO UPDATE SET \
      updateat = excluded.updateat, deleteat = 0, remoteid = excluded.remoteid, \
      channelid = excluded.channelid";

/// Saves `reaction` (its `create_at` is the time) and marks its post as having reactions
/// and updated at that time, unless the post has `limit` different emoji without this one.
pub async fn save(store: &Store, reaction: &Reaction, limit: i64) -> Result<Saved> {
    transaction!(store, |tx| {
        sqlx::query(LOCK_POST)
            .bind(&reaction.post_id)
            .execute(&mut *tx)
            .await?;
        let inserted = sqlx::query(INSERT_WITHIN_LIMIT)
            .bind(&reaction.user_id)
            .bind(&reaction.post_id)
            .bind(&reaction.emoji_name)
            .bind(reaction.create_at)
            .bind(&reaction.remote_id)
            .bind(&reaction.channel_id)
            .bind(limit)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 0 {
            Saved::LimitReached
        } else {
            sqlx::query("UPDATE posts SET hasreactions = $1, updateat = $2 WHERE id = $3")
                .bind(true)
                .bind(reaction.create_at)
                .bind(&reaction.post_id)
                .execute(&mut *tx)
                .await?;
            Saved::Saved
        }
    })
}

/// Marks the reaction removed at `at` and updates its post: `updateat` moves, and
/// `hasreactions` says whether any reaction is left. Removing a missing reaction still
/// updates the post, as Mattermost does.
pub async fn delete(
    store: &Store,
    user_id: &str,
    post_id: &str,
    emoji_name: &str,
    at: i64,
) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query(
            "UPDATE reactions SET deleteat = $1, updateat = $1 \
             WHERE postid = $2 AND userid = $3 AND emojiname = $4 AND COALESCE(deleteat, 0) = 0",
        )
        .bind(at)
        .bind(post_id)
        .bind(user_id)
        .bind(emoji_name)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE posts SET updateat = $1, hasreactions = \
             (SELECT COUNT(*) > 0 FROM reactions WHERE postid = $2 AND COALESCE(deleteat, 0) = 0) \
             WHERE id = $2",
        )
        .bind(at)
        .bind(post_id)
        .execute(&mut *tx)
        .await?;
    })
}

/// The live reactions to these posts, oldest first.
pub async fn for_posts(store: &Store, post_ids: &[String]) -> Result<Vec<Reaction>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE postid IN ({}) AND COALESCE(deleteat, 0) = 0 \
         ORDER BY createat, userid, emojiname",
        placeholders(1, post_ids.len())
    );
    let args: Vec<Bind> = post_ids.iter().map(|id| Bind::Str(id)).collect();
    query_rows::<ReactionRow, Reaction>(store, &sql, &args).await
}

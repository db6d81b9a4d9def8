//! The reads bulk import and export need beyond the other modules': finding an imported
//! post again by Mattermost's key (channel, author, time, message), and walking every
//! team, channel, user, post and conversation in bounded pages for an export.

use crate::db::{placeholders, read};
use crate::{Result, Store};

/// The id of the live post of `channel_id` by `user_id` at `create_at` with `message` in
/// the thread of `root_id` ("" for a root post): what an import matches before inserting.
pub async fn find_post(
    store: &Store,
    channel_id: &str,
    user_id: &str,
    create_at: i64,
    message: &str,
    root_id: &str,
) -> Result<Option<String>> {
    // Only the channel and time are in SQL, so the plan is always the channel's
    // (channelid, deleteat, createat) index: with `rootid = ''` in the query PostgreSQL, its
    // statistics outrun by an import, chose the root index and read every root post.
    let rows: Vec<(String, String, String, String)> = read!(store, |p| {
        sqlx::query_as(
        "SELECT id, COALESCE(userid, ''), COALESCE(message, ''), COALESCE(rootid, '') FROM posts \
         WHERE channelid = $1 AND deleteat = 0 AND createat = $2 ORDER BY id"
    )
    .bind(channel_id)
    .bind(create_at)
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .find(|(_, user, text, root)| user == user_id && text == message && root == root_id)
        .map(|(id, ..)| id))
}

/// A team or channel row as an export writes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChannelRow {
    pub id: String,
    pub team_name: String,
    pub name: String,
    pub display_name: String,
    pub channel_type: String,
    pub header: String,
    pub purpose: String,
    pub delete_at: i64,
}

/// The public and private channels of live teams, by team then name.
pub async fn team_channels(store: &Store) -> Result<Vec<ChannelRow>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT c.id, t.name AS team_name, c.name, COALESCE(c.displayname, '') AS display_name, \
         CAST(c.type AS TEXT) AS channel_type, COALESCE(c.header, '') AS header, \
         COALESCE(c.purpose, '') AS purpose, COALESCE(c.deleteat, 0) AS delete_at \
         FROM channels c JOIN teams t ON t.id = c.teamid \
         WHERE t.deleteat = 0 AND CAST(c.type AS TEXT) IN ('O', 'P') ORDER BY t.name, c.name"
    )
    .fetch_all(p)
    .await)?)
}

/// Direct and group channels: (id, header, member ids).
pub async fn conversations(store: &Store) -> Result<Vec<(String, String, Vec<String>)>> {
    let rows: Vec<(String, String, String)> = read!(store, |p| sqlx::query_as(
        "SELECT c.id, COALESCE(c.header, ''), cm.userid FROM channels c \
         JOIN channelmembers cm ON cm.channelid = c.id \
         WHERE CAST(c.type AS TEXT) IN ('D', 'G') ORDER BY c.id, cm.userid"
    )
    .fetch_all(p)
    .await)?;
    let mut out: Vec<(String, String, Vec<String>)> = Vec::new();
    for (id, header, user) in rows {
        match out.last_mut() {
            Some(last) if last.0 == id => last.2.push(user),
            _ => out.push((id, header, vec![user])),
        }
    }
    Ok(out)
}

/// Ids of users (not bots), by username, a page after `after_username`.
pub async fn user_ids_after(
    store: &Store,
    after_username: &str,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT u.id, u.username FROM users u WHERE u.username > $1 \
         AND NOT EXISTS (SELECT 1 FROM bots b WHERE b.userid = u.id) \
         ORDER BY u.username LIMIT $2"
    )
    .bind(after_username)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Ids of live root posts after (create_at, id), oldest first.
pub async fn root_post_ids_after(
    store: &Store,
    after: (i64, &str),
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT createat, id FROM posts WHERE rootid = '' AND deleteat = 0 \
         AND (createat > $1 OR (createat = $1 AND id > $2)) ORDER BY createat, id LIMIT $3"
    )
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Ids of the live root posts of the threads `user_id` wrote in (the root or a reply), after
/// (create_at, id), oldest first: one user's export.
pub async fn thread_root_ids_after(
    store: &Store,
    user_id: &str,
    after: (i64, &str),
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT p.createat, p.id FROM posts p WHERE p.rootid = '' AND p.deleteat = 0 \
         AND (p.createat > $2 OR (p.createat = $2 AND p.id > $3)) \
         AND (p.userid = $1 OR EXISTS (SELECT 1 FROM posts r WHERE r.rootid = p.id \
         AND r.userid = $1 AND r.deleteat = 0)) ORDER BY p.createat, p.id LIMIT $4"
    )
    .bind(user_id)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(p)
    .await)?)
}

/// Ids of the live replies to `root_ids`, oldest first.
pub async fn reply_ids(store: &Store, root_ids: &[String]) -> Result<Vec<String>> {
    if root_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id FROM posts WHERE rootid IN ({}) AND deleteat = 0 ORDER BY createat, id",
        placeholders(1, root_ids.len())
    );
    Ok(read!(store, |p| {
        let mut q = sqlx::query_scalar(&sql);
        for id in root_ids {
            q = q.bind(id);
        }
        q.fetch_all(p).await
    })?)
}

/// (user id, post id) of the saved-post marks on `post_ids`.
pub async fn flags_of(store: &Store, post_ids: &[String]) -> Result<Vec<(String, String)>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT userid, name FROM preferences WHERE category = 'flagged_post' \
         AND value = 'true' AND name IN ({}) ORDER BY userid",
        placeholders(1, post_ids.len())
    );
    Ok(read!(store, |p| {
        let mut q = sqlx::query_as(&sql);
        for id in post_ids {
            q = q.bind(id);
        }
        q.fetch_all(p).await
    })?)
}

/// (id, username) of every user, bots included, to name a post's author.
pub async fn usernames(store: &Store) -> Result<Vec<(String, String)>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT id, username FROM users"
    )
    .fetch_all(p)
    .await)?)
}

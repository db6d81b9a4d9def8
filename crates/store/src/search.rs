//! The reads post search needs: posts changed since the index's watermark (its catch-up),
//! the channels a reader may search, and the names `from:` and `in:` refer to.

use crate::db::{placeholders, query_rows, read, Bind};
use crate::{Deleted, Result, Store};

/// A post's searchable state.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangedPost {
    pub id: String,
    pub channelid: Option<String>,
    pub userid: Option<String>,
    pub createat: Option<i64>,
    pub updateat: Option<i64>,
    pub deleteat: Option<i64>,
    #[sqlx(rename = "type")]
    pub post_type: Option<String>,
    pub message: Option<String>,
    pub hashtags: Option<String>,
}

const CHANGED_COLUMNS: &str =
    "id, channelid, userid, createat, updateat, deleteat, type, message, hashtags";

/// Up to `limit` posts changed after (`update_at`, `id`), in that order: the keyset the
/// indexer walks, so a batch never skips nor repeats a row. The bound on `updateat` alone
/// lets both databases range-scan `idx_posts_update_at`.
pub async fn posts_changed_after(
    store: &Store,
    update_at: i64,
    id: &str,
    limit: i64,
) -> Result<Vec<ChangedPost>> {
    let sql = format!(
        "SELECT {CHANGED_COLUMNS} FROM posts \
         WHERE updateat >= $1 AND (updateat > $1 OR id > $2) ORDER BY updateat, id LIMIT $3"
    );
    Ok(read!(store, |p| sqlx::query_as(&sql)
        .bind(update_at)
        .bind(id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// The posts `ids` names, as `posts_changed_after` reads them.
pub async fn posts_by_ids(store: &Store, ids: &[String]) -> Result<Vec<ChangedPost>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {CHANGED_COLUMNS} FROM posts WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let binds: Vec<Bind> = ids.iter().map(|id| Bind::Str(id)).collect();
    query_rows::<ChangedPost, ChangedPost>(store, &sql, &binds).await
}

/// A channel a reader may search, with what `in:` resolves against.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchableChannel {
    pub id: String,
    pub name: String,
    pub teamid: String,
}

/// Which channels a search covers.
#[derive(Debug, Clone, Copy)]
pub struct ChannelScope<'a> {
    pub user_id: &'a str,
    /// One team (with the user's direct and group messages), or every team.
    pub team_id: Option<&'a str>,
    /// Archived channels the user is a member of.
    pub archived: Deleted,
    /// Public channels of the user's teams that the user has not joined.
    pub public_unjoined: bool,
}

/// The channels `scope` covers: the user's memberships, and the public channels of their
/// teams when asked. Never a private channel, direct or group message the user is not in.
pub async fn searchable_channels(
    store: &Store,
    scope: &ChannelScope<'_>,
) -> Result<Vec<SearchableChannel>> {
    let team = if scope.team_id.is_some() {
        " AND (c.teamid = $2 OR c.teamid = '')"
    } else {
        ""
    };
    let mut sql = format!(
        "SELECT c.id, COALESCE(c.name, '') AS name, COALESCE(c.teamid, '') AS teamid \
         FROM channels c JOIN channelmembers cm ON cm.channelid = c.id AND cm.userid = $1 \
         WHERE 1 = 1{team}{}",
        scope.archived.filter("c")
    );
    if scope.public_unjoined {
        let team = if scope.team_id.is_some() {
            " AND c.teamid = $2"
        } else {
            ""
        };
        sql.push_str(&format!(
            " UNION SELECT c.id, COALESCE(c.name, '') AS name, COALESCE(c.teamid, '') AS teamid \
             FROM channels c JOIN teammembers tm ON tm.teamid = c.teamid AND tm.userid = $1 \
             AND tm.deleteat = 0 WHERE c.type = 'O' AND c.deleteat = 0{team}"
        ));
    }
    let mut binds = vec![Bind::Str(scope.user_id)];
    if let Some(team_id) = scope.team_id {
        binds.push(Bind::Str(team_id));
    }
    query_rows::<SearchableChannel, SearchableChannel>(store, &sql, &binds).await
}

/// (id, username) of the users named, for `from:`.
pub async fn user_ids_by_usernames(
    store: &Store,
    usernames: &[String],
) -> Result<Vec<(String, String)>> {
    if usernames.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, username FROM users WHERE username IN ({})",
        placeholders(1, usernames.len())
    );
    let binds: Vec<Bind> = usernames.iter().map(|u| Bind::Str(u)).collect();
    let rows: Vec<UserName> = query_rows::<UserName, UserName>(store, &sql, &binds).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.username)).collect())
}

#[derive(sqlx::FromRow)]
struct UserName {
    id: String,
    username: String,
}

/// The newest `updateat` of any post (0 without posts): how far an index must have come.
pub async fn newest_post_update(store: &Store) -> Result<i64> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(MAX(updateat), 0) AS BIGINT) FROM posts"
    )
    .fetch_one(p)
    .await)?)
}

/// How many rows `posts` holds: the whole of a rebuild, for its progress.
pub async fn count_posts(store: &Store) -> Result<i64> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM posts"
    )
    .fetch_one(p)
    .await)?)
}

//! Thread memberships (`threadmemberships`): who follows which thread, how far they read
//! it and their unread mentions in it (`sqlstore/thread_store.go`), and the per-user thread
//! lists of collapsed reply threads. The `threads` rows themselves are kept by `posts`.
//!
//! Every read for a user is limited to threads of channels the user is still a member of.

use crate::db::{for_each_connection, placeholders, query_rows, read, transaction, Bind};
use crate::types::Json;
use crate::unreads::UnreadPost;
use crate::{Result, Store};
use utmost_model::post::Post;

/// How a new reply moves its thread's memberships (Mattermost's `SendNotifications` with
/// `ThreadAutoFollow`): each listed user follows the thread unless they unfollowed it; each
/// mentioned user follows it even if they had, and has one more unread mention; the replier,
/// if following, has read the thread up to the reply. Only channel members are written.
#[derive(Debug, Clone, Default)]
pub struct ReplyFollowing {
    /// `ThreadAutoFollow`: when off, nobody starts following and no mention is counted.
    pub auto_follow: bool,
    /// Follow unless they unfollowed: channel members who auto-follow the channel's threads
    /// and classic-threads users notified of the reply. The replier and the root's author
    /// are always included.
    pub participants: Vec<String>,
    /// Explicitly mentioned members.
    pub mentioned: Vec<String>,
    /// Read the followers' state after the write (for `thread_updated`).
    pub read_followers: bool,
}

/// One follower's view of a thread, as `thread_updated` and the thread routes report it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Follower {
    pub user_id: String,
    pub last_viewed: i64,
    pub unread_mentions: i64,
    pub unread_replies: i64,
}

/// A thread as one user sees it (`model.ThreadResponse` before its users are resolved).
#[derive(Debug, Clone)]
pub struct UserThread {
    pub post: Post,
    pub reply_count: i64,
    pub last_reply_at: i64,
    pub participants: Vec<String>,
    pub delete_at: i64,
    pub last_viewed: i64,
    pub unread_mentions: i64,
    pub unread_replies: i64,
    pub following: bool,
    /// The root has urgent priority.
    pub urgent: bool,
}

/// A user's membership row of one thread (`model.ThreadMembership`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Membership {
    pub following: bool,
    pub last_viewed: i64,
    pub last_updated: i64,
    pub unread_mentions: i64,
}

/// Live replies of the thread `$t.postid` created after the member's read point.
const UNREAD_REPLIES: &str = "(SELECT CAST(COUNT(*) AS BIGINT) FROM posts r \
    WHERE r.rootid = tm.postid AND r.createat > COALESCE(tm.lastviewed, 0) \
    AND r.deleteat = 0)";

/// Whether thread `t`'s root has urgent priority.
const IS_URGENT: &str = "EXISTS (SELECT 1 FROM postspriority pp \
    WHERE pp.postid = t.postid AND pp.priority = 'urgent')";

/// Unread mentions of `tm` counted only when its thread is urgent.
const URGENT_MENTIONS: &str = "CAST(COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM postspriority pp \
    WHERE pp.postid = t.postid AND pp.priority = 'urgent') \
    THEN COALESCE(tm.unreadmentions, 0) ELSE 0 END), 0) AS BIGINT)";

/// The steps a reply's transaction runs.
pub(crate) trait ThreadSteps {
    /// Moves the memberships of reply `post`'s thread as `following` says.
    async fn follow_on_reply(&mut self, post: &Post, following: &ReplyFollowing) -> Result<()>;

    /// The thread's followers who are still channel members, with their unread state.
    async fn followers(&mut self, root_id: &str, channel_id: &str) -> Result<Vec<Follower>>;
}

for_each_connection!(impl ThreadSteps {
    async fn follow_on_reply(&mut self, post: &Post, following: &ReplyFollowing) -> Result<()> {
        if !following.auto_follow {
            // Nobody starts following; a replier who follows has read up to the reply.
            sqlx::query(
                "UPDATE threadmemberships SET lastviewed = $1, unreadmentions = 0, \
                 lastupdated = $1 WHERE postid = $2 AND userid = $3 AND following = $4",
            )
            .bind(post.create_at)
            .bind(&post.root_id)
            .bind(&post.user_id)
            .bind(true)
            .execute(&mut *self)
            .await?;
            return Ok(());
        }
        // `$1` root, `$2` replier, `$3` reply time, `$4` true, `$5` channel, then the
        // participants, then the mentioned. A new row follows; an existing one changes only
        // for a mention (it follows again, one more unread mention) or for the replier who
        // follows (read up to the reply), so an unfollow holds against later replies.
        let first_mentioned = 6 + following.participants.len();
        let participants = placeholders(6, following.participants.len());
        let mentioned = placeholders(first_mentioned, following.mentioned.len());
        let or_in = |list: &str| {
            if list.is_empty() {
                String::new()
            } else {
                format!(" OR m.userid IN ({list})")
            }
        };
        let is_mentioned = if mentioned.is_empty() {
            "0".to_string()
        } else {
            format!("CASE WHEN m.userid IN ({mentioned}) THEN 1 ELSE 0 END")
        };
        let sql = format!(
            "INSERT INTO threadmemberships \
             (postid, userid, following, lastviewed, lastupdated, unreadmentions) \
             SELECT $1, m.userid, $4, CASE WHEN m.userid = $2 THEN $3 ELSE 0 END, $3, \
             {is_mentioned} FROM channelmembers m WHERE m.channelid = $5 AND (m.userid = $2 \
             OR m.userid = (SELECT a.userid FROM posts a WHERE a.id = $1){}{}) \
             ON CONFLICT (postid, userid) DO UPDATE SET following = $4, \
             lastviewed = CASE WHEN excluded.userid = $2 THEN $3 \
                 ELSE threadmemberships.lastviewed END, \
             unreadmentions = CASE WHEN excluded.userid = $2 THEN 0 \
                 ELSE COALESCE(threadmemberships.unreadmentions, 0) + excluded.unreadmentions END, \
             lastupdated = $3 \
             WHERE excluded.unreadmentions > 0 \
                OR (excluded.userid = $2 AND threadmemberships.following = $4)",
            or_in(&participants),
            or_in(&mentioned),
        );
        let mut q = sqlx::query(&sql)
            .bind(&post.root_id)
            .bind(&post.user_id)
            .bind(post.create_at)
            .bind(true)
            .bind(&post.channel_id);
        for id in following.participants.iter().chain(&following.mentioned) {
            q = q.bind(id);
        }
        q.execute(&mut *self).await?;
        Ok(())
    }

    async fn followers(&mut self, root_id: &str, channel_id: &str) -> Result<Vec<Follower>> {
        let sql = format!(
            "SELECT tm.userid AS user_id, COALESCE(tm.lastviewed, 0) AS last_viewed, \
             COALESCE(tm.unreadmentions, 0) AS unread_mentions, {UNREAD_REPLIES} AS unread_replies \
             FROM threadmemberships tm JOIN channelmembers m \
             ON m.channelid = $2 AND m.userid = tm.userid \
             WHERE tm.postid = $1 AND tm.following = TRUE ORDER BY tm.userid"
        );
        Ok(sqlx::query_as(&sql)
            .bind(root_id)
            .bind(channel_id)
            .fetch_all(&mut *self)
            .await?)
    }
});

/// Which threads a user's listing looks at (`model.GetUserThreadsOpts`).
#[derive(Debug, Clone, Default)]
pub struct ThreadFilter<'a> {
    pub user_id: &'a str,
    pub team_id: &'a str,
    /// Leave DM and GM threads (which have no team) out.
    pub exclude_direct: bool,
    /// Include threads whose root was deleted.
    pub deleted: bool,
}

impl<'a> ThreadFilter<'a> {
    /// FROM and WHERE over `tm` (the user's followed memberships) and `t` (their threads,
    /// in channels the user is a member of); binds `$1` user, `$2` team. The channels are
    /// an uncorrelated `IN`, which PostgreSQL hashes once rather than probing per thread, and
    /// the NULL tests are spelled out rather than `COALESCE`d so its row estimates (hence
    /// its join choices) stay right.
    fn tables_and_conditions(&self) -> String {
        let team = if self.exclude_direct {
            "t.threadteamid = $2"
        } else {
            "(t.threadteamid = $2 OR t.threadteamid = '' OR t.threadteamid IS NULL)"
        };
        let deleted = if self.deleted {
            ""
        } else {
            " AND (t.threaddeleteat = 0 OR t.threaddeleteat IS NULL)"
        };
        format!(
            "FROM threadmemberships tm JOIN threads t ON t.postid = tm.postid \
             WHERE tm.userid = $1 AND tm.following = TRUE \
             AND t.channelid IN (SELECT m.channelid FROM channelmembers m WHERE m.userid = $1) \
             AND {team}{deleted}"
        )
    }
}

/// Paging of a user's thread list, newest reply first (oldest first with `after`).
#[derive(Debug, Clone, Default)]
pub struct ThreadPage<'a> {
    /// Threads whose last reply or membership changed at or after this time (ms); 0 = any.
    pub since: i64,
    /// Threads whose last reply is older than this thread's.
    pub before: &'a str,
    /// Threads whose last reply is newer than this thread's.
    pub after: &'a str,
    pub unread_only: bool,
    pub per_page: i64,
}

#[derive(sqlx::FromRow)]
struct ThreadRow {
    #[sqlx(flatten)]
    post: crate::posts::PostRow,
    threadreplycount: Option<i64>,
    threadlastreplyat: Option<i64>,
    threadparticipants: Option<Json<Vec<String>>>,
    threaddeleteat: i64,
    lastviewed: i64,
    unreadmentions: i64,
    unreadreplies: i64,
    following: Option<bool>,
    urgent: bool,
}

impl From<ThreadRow> for UserThread {
    fn from(r: ThreadRow) -> Self {
        UserThread {
            post: r.post.into(),
            reply_count: r.threadreplycount.unwrap_or(0),
            last_reply_at: r.threadlastreplyat.unwrap_or(0),
            participants: r.threadparticipants.map(|j| j.0).unwrap_or_default(),
            delete_at: r.threaddeleteat,
            last_viewed: r.lastviewed,
            unread_mentions: r.unreadmentions,
            unread_replies: r.unreadreplies,
            following: r.following.unwrap_or(false),
            urgent: r.urgent,
        }
    }
}

fn thread_columns() -> String {
    format!(
        "{}, t.replycount AS threadreplycount, t.lastreplyat AS threadlastreplyat, \
         t.participants AS threadparticipants, \
         CAST(COALESCE(t.threaddeleteat, 0) AS BIGINT) AS threaddeleteat, \
         CAST(COALESCE(tm.lastviewed, 0) AS BIGINT) AS lastviewed, \
         CAST(COALESCE(tm.unreadmentions, 0) AS BIGINT) AS unreadmentions, \
         {UNREAD_REPLIES} AS unreadreplies, tm.following AS following, \
         {IS_URGENT} AS urgent",
        crate::posts::POST_COLUMNS
    )
}

/// One page of the threads a user follows (`GetThreadsForUser`).
pub async fn for_user(
    store: &Store,
    filter: &ThreadFilter<'_>,
    page: &ThreadPage<'_>,
) -> Result<Vec<UserThread>> {
    // The page's ids are chosen first, and only its rows get their columns: a thread's unread
    // replies is a count per row, and computed in the sorted query it would be counted for
    // every thread the user follows, not just the page's.
    let mut sql = format!("SELECT tm.postid {}", filter.tables_and_conditions());
    let mut args = vec![Bind::Str(filter.user_id), Bind::Str(filter.team_id)];
    if page.since > 0 {
        args.push(Bind::Int(page.since));
        let n = args.len();
        sql.push_str(&format!(
            " AND (COALESCE(tm.lastupdated, 0) >= ${n} OR COALESCE(t.lastreplyat, 0) >= ${n})"
        ));
    }
    if page.unread_only {
        sql.push_str(" AND COALESCE(tm.lastviewed, 0) < COALESCE(t.lastreplyat, 0)");
    }
    let mut order = "DESC";
    if !page.before.is_empty() {
        args.push(Bind::Str(page.before));
        sql.push_str(&format!(
            " AND t.lastreplyat < (SELECT b.lastreplyat FROM threads b WHERE b.postid = ${})",
            args.len()
        ));
    }
    if !page.after.is_empty() {
        order = "ASC";
        args.push(Bind::Str(page.after));
        sql.push_str(&format!(
            " AND t.lastreplyat > (SELECT a.lastreplyat FROM threads a WHERE a.postid = ${})",
            args.len()
        ));
    }
    let ordering = format!("ORDER BY t.lastreplyat {order}, t.postid {order}");
    let sql = format!(
        "SELECT {} FROM threadmemberships tm JOIN threads t ON t.postid = tm.postid \
         JOIN posts p ON p.id = t.postid \
         WHERE tm.userid = $1 AND tm.postid IN ({sql} {ordering} LIMIT {}) {ordering}",
        thread_columns(),
        page.per_page.max(0)
    );
    query_rows::<ThreadRow, UserThread>(store, &sql, &args).await
}

/// `{total, total_unread_threads, total_unread_mentions}` of a user's followed threads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct Totals {
    pub total: i64,
    pub unread_threads: i64,
    pub unread_mentions: i64,
    pub unread_urgent_mentions: i64,
}

pub async fn totals(store: &Store, filter: &ThreadFilter<'_>) -> Result<Totals> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total, \
         CAST(COALESCE(SUM(CASE WHEN COALESCE(tm.lastviewed, 0) < COALESCE(t.lastreplyat, 0) \
             THEN 1 ELSE 0 END), 0) AS BIGINT) AS unread_threads, \
         CAST(COALESCE(SUM(COALESCE(tm.unreadmentions, 0)), 0) AS BIGINT) AS unread_mentions, \
         {URGENT_MENTIONS} AS unread_urgent_mentions {}",
        filter.tables_and_conditions()
    );
    Ok(read!(store, |p| sqlx::query_as(&sql)
        .bind(filter.user_id)
        .bind(filter.team_id)
        .fetch_one(p)
        .await)?)
}

/// One thread as `user_id` sees it, if they have a membership row and are a member of its
/// channel (followed or not: the caller decides).
pub async fn for_user_one(
    store: &Store,
    user_id: &str,
    root_id: &str,
) -> Result<Option<UserThread>> {
    let sql = format!(
        "SELECT {} FROM threadmemberships tm JOIN threads t ON t.postid = tm.postid \
         JOIN posts p ON p.id = t.postid \
         JOIN channelmembers m ON m.channelid = t.channelid AND m.userid = tm.userid \
         WHERE tm.userid = $1 AND tm.postid = $2",
        thread_columns()
    );
    Ok(
        query_rows::<ThreadRow, UserThread>(store, &sql, &[Bind::Str(user_id), Bind::Str(root_id)])
            .await?
            .pop(),
    )
}

/// A deleted reply of thread `root_id`, created at `reply_at`, no longer counts as a mention
/// for the `mentioned` who had not read past it (`RemoveNotifications`). Returns whose
/// unread mentions went down.
pub async fn forget_mention(
    store: &Store,
    root_id: &str,
    reply_at: i64,
    mentioned: &[String],
) -> Result<Vec<String>> {
    if mentioned.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE threadmemberships SET unreadmentions = unreadmentions - 1 \
         WHERE postid = $1 AND COALESCE(lastviewed, 0) <= $2 AND unreadmentions > 0 \
         AND userid IN ({}) RETURNING userid",
        placeholders(3, mentioned.len())
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query_scalar::<_, String>(&sql)
            .bind(root_id)
            .bind(reply_at);
        for id in mentioned {
            q = q.bind(id);
        }
        q.fetch_all(&mut *tx).await?
    })
}

/// `MaintainMembership` for an explicit follow or unfollow (`UpdateThreadFollowForUser`):
/// the row is created if missing; following also marks the thread read at `now`. Returns
/// the thread's reply count.
pub async fn set_following(
    store: &Store,
    user_id: &str,
    root_id: &str,
    following: bool,
    now: i64,
) -> Result<i64> {
    let viewed = if following { now } else { 0 };
    let sql = "INSERT INTO threadmemberships \
         (postid, userid, following, lastviewed, lastupdated, unreadmentions) \
         VALUES ($1, $2, $3, $4, $5, 0) \
         ON CONFLICT (postid, userid) DO UPDATE SET following = $3, \
         lastviewed = CASE WHEN $3 THEN $5 ELSE threadmemberships.lastviewed END, \
         unreadmentions = CASE WHEN $3 THEN 0 ELSE threadmemberships.unreadmentions END, \
         lastupdated = $5 \
         WHERE $3 OR threadmemberships.following = $6";
    crate::db::execute!(store, sql, root_id, user_id, following, viewed, now, true)?;
    let replies: Option<Option<i64>> = read!(store, |p| sqlx::query_scalar(
        "SELECT replycount FROM threads WHERE postid = $1"
    )
    .bind(root_id)
    .fetch_optional(p)
    .await)?;
    Ok(replies.flatten().unwrap_or(0))
}

/// A user's membership row of a thread.
pub async fn membership(store: &Store, user_id: &str, root_id: &str) -> Result<Option<Membership>> {
    Ok(read!(store, |p| sqlx::query_as(
        "SELECT COALESCE(following, FALSE) AS following, \
         CAST(COALESCE(lastviewed, 0) AS BIGINT) AS last_viewed, \
         CAST(COALESCE(lastupdated, 0) AS BIGINT) AS last_updated, \
         CAST(COALESCE(unreadmentions, 0) AS BIGINT) AS unread_mentions \
         FROM threadmemberships WHERE userid = $1 AND postid = $2"
    )
    .bind(user_id)
    .bind(root_id)
    .fetch_optional(p)
    .await)?)
}

/// Replies looked at when recounting a user's unread mentions in a thread.
const MAX_REPLIES_SCANNED: i64 = 10_000;

/// `UpdateThreadReadForUser`'s write: the user follows the thread, has read it up to
/// `timestamp`, and has as many unread mentions as `count_mentions` finds in the live
/// replies after it (oldest first, at most 10 000). The root's row is locked first, as a
/// reply locks it, so no reply's mention lands between the count and the write.
pub async fn mark_read(
    store: &Store,
    user_id: &str,
    root_id: &str,
    timestamp: i64,
    now: i64,
    count_mentions: &(dyn Fn(&[UnreadPost]) -> i64 + Sync),
) -> Result<()> {
    transaction!(store, |tx| {
        sqlx::query("UPDATE posts SET updateat = updateat WHERE id = $1")
            .bind(root_id)
            .execute(&mut *tx)
            .await?;
        let replies: Vec<UnreadPost> = sqlx::query_as(
            "SELECT COALESCE(userid, '') AS userid, COALESCE(rootid, '') AS rootid, \
             COALESCE(message, '') AS message FROM posts \
             WHERE rootid = $1 AND createat > $2 AND deleteat = 0 ORDER BY createat LIMIT $3",
        )
        .bind(root_id)
        .bind(timestamp)
        .bind(MAX_REPLIES_SCANNED)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO threadmemberships \
             (postid, userid, following, lastviewed, lastupdated, unreadmentions) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (postid, userid) DO UPDATE SET following = $3, lastviewed = $4, \
             lastupdated = $5, unreadmentions = $6",
        )
        .bind(root_id)
        .bind(user_id)
        .bind(true)
        .bind(timestamp)
        .bind(now)
        .bind(count_mentions(&replies))
        .execute(&mut *tx)
        .await?;
    })
}

/// `MarkAllAsReadByTeam`: every thread of the team (and every DM and GM thread) read at
/// `now` for the user.
pub async fn mark_all_read(store: &Store, user_id: &str, team_id: &str, now: i64) -> Result<()> {
    let sql = "UPDATE threadmemberships SET lastviewed = $1, unreadmentions = 0, \
         lastupdated = $1 WHERE userid = $2 AND postid IN (SELECT t.postid FROM threads t \
         WHERE COALESCE(t.threadteamid, '') = $3 OR COALESCE(t.threadteamid, '') = '')";
    crate::db::execute!(store, sql, now, user_id, team_id)?;
    Ok(())
}

/// Unread followed threads and their unread mentions in one team (DMs and GMs excluded), as
/// `GetTeamsUnreadForUser` adds them to a team's unread counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct TeamThreadUnread {
    pub team_id: String,
    pub thread_count: i64,
    pub thread_mention_count: i64,
    pub thread_urgent_mention_count: i64,
}

pub async fn team_unreads(store: &Store, user_id: &str) -> Result<Vec<TeamThreadUnread>> {
    let sql = format!(
        "SELECT COALESCE(t.threadteamid, '') AS team_id, \
         CAST(COALESCE(SUM(CASE WHEN COALESCE(tm.lastviewed, 0) < COALESCE(t.lastreplyat, 0) \
             THEN 1 ELSE 0 END), 0) AS BIGINT) AS thread_count, \
         CAST(COALESCE(SUM(COALESCE(tm.unreadmentions, 0)), 0) AS BIGINT) AS thread_mention_count, \
         {URGENT_MENTIONS} AS thread_urgent_mention_count \
         FROM threadmemberships tm JOIN threads t ON t.postid = tm.postid \
         JOIN channelmembers m ON m.channelid = t.channelid AND m.userid = tm.userid \
         WHERE tm.userid = $1 AND tm.following = TRUE AND COALESCE(t.threaddeleteat, 0) = 0 \
         AND COALESCE(t.threadteamid, '') <> '' GROUP BY COALESCE(t.threadteamid, '')"
    );
    Ok(read!(store, |p| sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_all(p)
        .await)?)
}

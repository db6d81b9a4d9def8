//! Posts, their `threads` rows, and the channel counters a new post moves
//! (`sqlstore/post_store.go`, `thread_store.go`). Deleting is soft; editing keeps the old
//! version as a deleted row whose `originalid` names the live post.

use crate::db::{for_each_connection, placeholders, query_rows, read, transaction, Bind};
use crate::post_priority::PrioritySteps;
use crate::threads::{Follower, ReplyFollowing, ThreadSteps};
use crate::types::Json;
use crate::{Deleted, Result, Store};
use utmost_model::post::{Post, PostProps, PROP_DELETE_BY};

#[derive(sqlx::FromRow)]
pub(crate) struct PostRow {
    id: String,
    createat: Option<i64>,
    updateat: Option<i64>,
    editat: Option<i64>,
    deleteat: Option<i64>,
    ispinned: Option<bool>,
    userid: Option<String>,
    channelid: Option<String>,
    rootid: Option<String>,
    originalid: Option<String>,
    message: Option<String>,
    #[sqlx(rename = "type")]
    post_type: Option<String>,
    props: Option<Json<PostProps>>,
    hashtags: Option<String>,
    fileids: Option<String>,
    hasreactions: Option<bool>,
    remoteid: Option<String>,
    #[sqlx(default)]
    replycount: Option<i64>,
    #[sqlx(default)]
    lastreplyat: Option<i64>,
    #[sqlx(default)]
    participants: Option<Json<Vec<String>>>,
    #[sqlx(default)]
    isfollowing: Option<bool>,
}

impl From<PostRow> for Post {
    fn from(r: PostRow) -> Self {
        Post {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            edit_at: r.editat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            is_pinned: r.ispinned.unwrap_or(false),
            user_id: r.userid.unwrap_or_default(),
            channel_id: r.channelid.unwrap_or_default(),
            root_id: r.rootid.unwrap_or_default(),
            original_id: r.originalid.unwrap_or_default(),
            message: r.message.unwrap_or_default(),
            post_type: r.post_type.unwrap_or_default(),
            props: r.props.map(|j| j.0).unwrap_or_default(),
            hashtags: r.hashtags.unwrap_or_default(),
            file_ids: r
                .fileids
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            has_reactions: r.hasreactions.unwrap_or(false),
            remote_id: r.remoteid.filter(|s| !s.is_empty()),
            reply_count: r.replycount.unwrap_or(0),
            last_reply_at: r.lastreplyat.unwrap_or(0),
            participants: r.participants.map(|j| {
                j.0.into_iter()
                    .map(|id| serde_json::json!({ "id": id }))
                    .collect()
            }),
            is_following: r.isfollowing,
            ..Post::default()
        }
    }
}

pub(crate) const POST_COLUMNS: &str =
    "p.id, p.createat, p.updateat, p.editat, p.deleteat, p.ispinned, \
    p.userid, p.channelid, p.rootid, p.originalid, p.message, p.type, p.props, p.hashtags, \
    p.fileids, p.hasreactions, p.remoteid";

/// Live replies in the post's thread, as `Post.ReplyCount` outside collapsed threads.
const REPLY_COUNT: &str = "(SELECT CAST(COUNT(*) AS BIGINT) FROM posts r \
    WHERE r.rootid = (CASE WHEN p.rootid = '' THEN p.id ELSE p.rootid END) \
    AND r.deleteat = 0) AS replycount";

/// Posts with their thread's reply count; append WHERE / ORDER BY.
pub(crate) fn select_posts() -> String {
    format!("SELECT {POST_COLUMNS}, {REPLY_COUNT} FROM posts p")
}

/// Root posts with their `threads` row and the viewer's following flag (bind `$1` = viewer).
fn select_thread_roots() -> String {
    format!(
        "SELECT {POST_COLUMNS}, COALESCE(t.replycount, 0) AS replycount, \
         COALESCE(t.lastreplyat, 0) AS lastreplyat, t.participants, tm.following AS isfollowing \
         FROM posts p LEFT JOIN threads t ON t.postid = p.id \
         LEFT JOIN threadmemberships tm ON tm.postid = p.id AND tm.userid = $1"
    )
}

pub(crate) async fn query_posts(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<Post>> {
    query_rows::<PostRow, _>(store, sql, binds).await
}

pub async fn get(store: &Store, id: &str, deleted: Deleted) -> Result<Option<Post>> {
    let sql = format!("{} WHERE p.id = $1{}", select_posts(), deleted.filter("p"));
    Ok(query_posts(store, &sql, &[Bind::Str(id)]).await?.pop())
}

/// The channel of a live post; saving a post (`flagged_post`) needs read access to it.
pub async fn flaggable_post_channel(store: &Store, post_id: &str) -> Result<Option<String>> {
    let sql = "SELECT channelid FROM posts WHERE id = $1 AND deleteat = 0";
    let channel: Option<Option<String>> = read!(store, |p| sqlx::query_scalar(sql)
        .bind(post_id)
        .fetch_optional(p)
        .await)?;
    Ok(channel.flatten())
}

/// Posts by id, deleted ones included, newest first (`POST /posts/ids`).
pub async fn get_by_ids(store: &Store, ids: &[String]) -> Result<Vec<Post>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{} WHERE p.id IN ({}) ORDER BY p.createat DESC",
        select_posts(),
        placeholders(1, ids.len())
    );
    let args: Vec<Bind> = ids.iter().map(|s| Bind::Str(s)).collect();
    query_posts(store, &sql, &args).await
}

/// Which side of a cursor (a post, a time) a read looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Older posts.
    Before,
    /// Newer posts.
    After,
}

impl Side {
    /// The comparison that keeps this side, and the order that starts nearest the cursor.
    fn operator_and_order(self) -> (&'static str, &'static str) {
        match self {
            Side::Before => ("<", "DESC"),
            Side::After => (">", "ASC"),
        }
    }
}

/// Whether a read of thread posts includes the replies or only the roots (collapsed
/// threads count and page over roots only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replies {
    Include,
    Exclude,
}

impl Replies {
    /// The WHERE condition (with its leading ` AND`) that leaves replies out, or nothing.
    fn filter(self) -> &'static str {
        match self {
            Replies::Include => "",
            Replies::Exclude => " AND rootid = ''",
        }
    }
}

/// Which way a thread page runs from its cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Paging of `GET /posts/{id}/thread`.
#[derive(Debug, Clone, Default)]
pub struct ThreadPage {
    /// 0 = everything.
    pub per_page: i64,
    pub direction: Option<Direction>,
    pub from_create_at: i64,
    pub from_post: String,
}

/// The live root and replies of thread `root_id` for one page, and whether more follow.
pub async fn thread(store: &Store, root_id: &str, page: &ThreadPage) -> Result<(Vec<Post>, bool)> {
    let mut sql = format!(
        "{} WHERE (p.id = $1 OR p.rootid = $1) AND p.deleteat = 0",
        select_posts()
    );
    let mut args = vec![Bind::Str(root_id)];
    if page.from_create_at != 0 {
        let op = if page.direction == Some(Direction::Down) {
            ">"
        } else {
            "<"
        };
        if page.from_post.is_empty() {
            sql.push_str(&format!(" AND p.createat {op} $2"));
            args.push(Bind::Int(page.from_create_at));
        } else {
            sql.push_str(&format!(
                " AND (p.createat {op} $2 OR (p.createat = $2 AND p.id {op} $3))"
            ));
            args.extend([Bind::Int(page.from_create_at), Bind::Str(&page.from_post)]);
        }
    }
    match page.direction {
        Some(Direction::Down) => sql.push_str(" ORDER BY p.createat ASC, p.id ASC"),
        Some(Direction::Up) => sql.push_str(" ORDER BY p.createat DESC, p.id DESC"),
        None => sql.push_str(" ORDER BY p.createat ASC"),
    }
    if page.per_page > 0 {
        sql.push_str(&format!(" LIMIT {}", page.per_page + 1));
    }
    let mut posts = query_posts(store, &sql, &args).await?;
    let has_next = page.per_page > 0 && posts.len() as i64 > page.per_page;
    if has_next {
        posts.pop();
    }
    Ok((posts, has_next))
}

/// Which posts of a channel a listing considers.
#[derive(Debug, Clone, Copy)]
pub struct ChannelPosts<'a> {
    pub channel_id: &'a str,
    pub deleted: Deleted,
    /// Collapsed threads: root posts only, with their `threads` row, for this viewer.
    pub collapsed_for: Option<&'a str>,
}

impl<'a> ChannelPosts<'a> {
    /// The SELECT and WHERE shared by every listing, and its binds so far.
    fn base(&self) -> (String, Vec<Bind<'a>>) {
        let (mut sql, mut args) = match self.collapsed_for {
            Some(viewer) => (select_thread_roots(), vec![Bind::Str(viewer)]),
            None => (select_posts(), Vec::new()),
        };
        args.push(Bind::Str(self.channel_id));
        sql.push_str(&format!(" WHERE p.channelid = ${}", args.len()));
        sql.push_str(&self.deleted.filter("p"));
        if self.collapsed_for.is_some() {
            sql.push_str(" AND p.rootid = ''");
        }
        (sql, args)
    }
}

/// One page, newest first.
pub async fn page(
    store: &Store,
    q: &ChannelPosts<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Post>> {
    let (mut sql, args) = q.base();
    sql.push_str(&format!(
        " ORDER BY p.createat DESC LIMIT {limit} OFFSET {offset}"
    ));
    query_posts(store, &sql, &args).await
}

/// Posts created on `side` of post `anchor_id`, newest first either way.
pub async fn around(
    store: &Store,
    q: &ChannelPosts<'_>,
    anchor_id: &str,
    side: Side,
    limit: i64,
    offset: i64,
) -> Result<Vec<Post>> {
    let (mut sql, mut args) = q.base();
    let (op, sort) = side.operator_and_order();
    args.push(Bind::Str(anchor_id));
    sql.push_str(&format!(
        " AND p.createat {op} (SELECT a.createat FROM posts a WHERE a.id = ${}) \
         ORDER BY p.createat {sort} LIMIT {limit} OFFSET {offset}",
        args.len()
    ));
    let mut posts = query_posts(store, &sql, &args).await?;
    if side == Side::After {
        posts.reverse();
    }
    Ok(posts)
}

/// Posts created, edited or deleted after `time` (deleted ones and edit history included),
/// newest first, at most 1000 as Mattermost.
pub async fn since(store: &Store, q: &ChannelPosts<'_>, time: i64) -> Result<Vec<Post>> {
    let unfiltered = ChannelPosts {
        deleted: Deleted::Include,
        ..*q
    };
    let (mut sql, mut args) = unfiltered.base();
    args.push(Bind::Int(time));
    sql.push_str(&format!(
        " AND p.updateat > ${} ORDER BY p.createat DESC LIMIT 1000",
        args.len()
    ));
    query_posts(store, &sql, &args).await
}

/// The thread roots (with `Replies::Include`, every reply too) of the given threads in a
/// channel: the context a page of posts carries along.
pub async fn threads_of(
    store: &Store,
    channel_id: &str,
    root_ids: &[String],
    replies: Replies,
    deleted: Deleted,
) -> Result<Vec<Post>> {
    if root_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, root_ids.len());
    let replies = match replies {
        Replies::Include => format!(" OR p.rootid IN ({list})"),
        Replies::Exclude => String::new(),
    };
    // No channel condition in SQL: with one, PostgreSQL and SQLite walk the channel's index,
    // whose length grows with the channel, instead of the ids' and root ids' (a page's).
    // A thread never leaves its root's channel; the filter below only keeps that promise.
    let sql = format!(
        "{} WHERE (p.id IN ({list}){replies}){} ORDER BY p.createat DESC",
        select_posts(),
        deleted.filter("p")
    );
    let args: Vec<Bind> = root_ids.iter().map(|s| Bind::Str(s)).collect();
    let mut posts = query_posts(store, &sql, &args).await?;
    posts.retain(|p| p.channel_id == channel_id);
    Ok(posts)
}

/// Pinned live posts of a channel, newest first.
pub async fn pinned(store: &Store, channel_id: &str) -> Result<Vec<Post>> {
    let sql = format!(
        "{} WHERE p.channelid = $1 AND p.ispinned = $2 AND p.deleteat = 0 \
         ORDER BY p.createat DESC",
        select_posts()
    );
    let rows: Vec<PostRow> = read!(store, |p| sqlx::query_as(&sql)
        .bind(channel_id)
        .bind(true)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(Post::from).collect())
}

/// The id of the nearest live post created on `side` of `time`.
pub async fn id_around_time(
    store: &Store,
    channel_id: &str,
    time: i64,
    side: Side,
    replies: Replies,
) -> Result<Option<String>> {
    let (op, sort) = side.operator_and_order();
    let sql = format!(
        "SELECT id FROM posts WHERE channelid = $1 AND deleteat = 0 AND createat {op} $2{} \
         ORDER BY createat {sort} LIMIT 1",
        replies.filter()
    );
    Ok(read!(store, |p| sqlx::query_scalar::<_, String>(&sql)
        .bind(channel_id)
        .bind(time)
        .fetch_optional(p)
        .await)?)
}

/// The newest `updateat` in a channel: the ETag of its post listings.
pub async fn last_update_at(
    store: &Store,
    channel_id: &str,
    replies: Replies,
) -> Result<Option<i64>> {
    let sql = format!(
        "SELECT MAX(updateat) FROM posts WHERE channelid = $1{}",
        replies.filter()
    );
    Ok(read!(store, |p| sqlx::query_scalar::<_, Option<i64>>(
        &sql
    )
    .bind(channel_id)
    .fetch_one(p)
    .await)?)
}

const INSERT_POST: &str = "INSERT INTO posts (id, createat, updateat, editat, deleteat, \
    ispinned, userid, channelid, rootid, originalid, message, type, props, hashtags, filenames, \
    fileids, hasreactions, remoteid) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
    $13, $14, $15, $16, $17, $18)";

type ThreadState = (Option<i64>, Option<i64>, Option<Json<Vec<String>>>);

/// A root's `threads` row (as a new reply found it, or as it left it).
struct ThreadSeen {
    replies: i64,
    last_reply_at: i64,
    participants: Vec<String>,
}

/// The row from its `(replies, last reply, participants)` columns, read by subqueries of the
/// root's statement: replies is NULL when the root has no row.
fn thread_seen((replies, last_reply_at, participants): ThreadState) -> Option<ThreadSeen> {
    Some(ThreadSeen {
        replies: replies?,
        last_reply_at: last_reply_at.unwrap_or(0),
        participants: participants.map(|j| j.0).unwrap_or_default(),
    })
}

/// Moves a reply's root forward to the reply, if it is a live root post of the reply's
/// channel, and returns the root, its `threads` row (replies NULL when it has none) and who
/// followed it before the reply: all read by the statement that takes the root's lock, so
/// no concurrent reply comes between, saving round trips. `$1` reply
/// time, `$2` root, `$3` channel.
fn bump_root() -> String {
    format!(
        "UPDATE posts SET updateat = $1 \
         WHERE id = $2 AND channelid = $3 AND COALESCE(rootid, '') = '' AND deleteat = 0 \
         RETURNING {}, (SELECT COALESCE(t.replycount, 0) FROM threads t WHERE t.postid = $2) \
         AS threadreplies, \
         (SELECT t.lastreplyat FROM threads t WHERE t.postid = $2) AS threadlastreplyat, \
         (SELECT t.participants FROM threads t WHERE t.postid = $2) AS threadparticipants, \
         {ROOT_IS_URGENT} AS rooturgent, \
         (SELECT string_agg(f.userid, ',') FROM threadmemberships f \
             WHERE f.postid = $2 AND f.following = TRUE) AS followersbefore",
        POST_COLUMNS.replace("p.", "")
    )
}

/// Whether the thread of root `$2` has urgent priority (Mattermost's `IsUrgent`).
const ROOT_IS_URGENT: &str = "EXISTS (SELECT 1 FROM postspriority pp \
    WHERE pp.postid = $2 AND pp.priority = 'urgent')";

/// The root and its `threads` row as `bump_root` returns them.
#[derive(sqlx::FromRow)]
struct BumpedRoot {
    #[sqlx(flatten)]
    post: PostRow,
    threadreplies: Option<i64>,
    threadlastreplyat: Option<i64>,
    threadparticipants: Option<Json<Vec<String>>>,
    rooturgent: bool,
    followersbefore: Option<String>,
}

/// A reply's thread after the reply, as its followers are told of it.
#[derive(Debug, Clone, PartialEq)]
pub struct RepliedThread {
    /// The root post, moved forward to the reply.
    pub root: Post,
    pub last_reply_at: i64,
    pub participants: Vec<String>,
    /// The root has urgent priority.
    pub urgent: bool,
    /// Who followed the thread before the reply (a new follower had nothing unread before).
    pub followers_before: Vec<String>,
}

/// The steps post writes share inside their transaction.
trait PostSteps {
    /// Inserts every stored column of `post`.
    async fn insert_post(&mut self, post: &Post) -> Result<()>;

    /// Records reply `post` in its root's `threads` row, `seen` as the root's statement read
    /// it: one more reply, the newest reply time, and the poster moved to the end of the
    /// participants. Returns the row as written.
    async fn record_reply(
        &mut self,
        post: &Post,
        team_id: &str,
        seen: Option<ThreadSeen>,
    ) -> Result<ThreadSeen>;

    /// Creates the `threads` row of a thread's first reply (or of a thread stored without
    /// one) from the replies stored so far. Returns the row as written.
    async fn start_thread(&mut self, post: &Post, team_id: &str) -> Result<ThreadSeen>;

    /// Recounts the `threads` row of `root_id` after a reply by `user_id` was deleted: live
    /// replies, newest live reply, and the user dropped from the participants when no live
    /// reply of theirs is left.
    async fn recount_thread(&mut self, root_id: &str, user_id: &str) -> Result<()>;

    /// Everything [`create`] writes for one post.
    async fn create_post(&mut self, post: &Post, effects: &NewPostEffects) -> Result<Created>;
}

for_each_connection!(impl PostSteps {
    async fn insert_post(&mut self, post: &Post) -> Result<()> {
        sqlx::query(INSERT_POST)
            .bind(&post.id)
            .bind(post.create_at)
            .bind(post.update_at)
            .bind(post.edit_at)
            .bind(post.delete_at)
            .bind(post.is_pinned)
            .bind(&post.user_id)
            .bind(&post.channel_id)
            .bind(&post.root_id)
            .bind(&post.original_id)
            .bind(&post.message)
            .bind(&post.post_type)
            .bind(Json(&post.props))
            .bind(&post.hashtags)
            .bind("[]")
            .bind(serde_json::to_string(&post.file_ids)?)
            .bind(post.has_reactions)
            .bind(post.remote_id.as_deref())
            .execute(&mut *self)
            .await?;
        Ok(())
    }

    async fn record_reply(
        &mut self,
        post: &Post,
        team_id: &str,
        mut seen: Option<ThreadSeen>,
    ) -> Result<ThreadSeen> {
        loop {
            let Some(thread) = seen else {
                return self.start_thread(post, team_id).await;
            };
            let mut participants = thread.participants;
            participants.retain(|id| *id != post.user_id);
            participants.push(post.user_id.clone());
            let replies = thread.replies + 1;
            let last_reply_at = thread.last_reply_at.max(post.create_at);
            // The participants are a JSON array (jsonb on PostgreSQL, TEXT on SQLite) that no
            // SQL both databases share can edit, so they are computed here from the row as
            // seen, and the row is written only if it is still as seen.
            let written = sqlx::query(
                "UPDATE threads SET replycount = $1, lastreplyat = $2, participants = $3 \
                 WHERE postid = $4 AND COALESCE(replycount, 0) = $5 \
                 AND COALESCE(lastreplyat, 0) = $6",
            )
            .bind(replies)
            .bind(last_reply_at)
            .bind(Json(&participants))
            .bind(&post.root_id)
            .bind(thread.replies)
            .bind(thread.last_reply_at)
            .execute(&mut *self)
            .await?
            .rows_affected();
            if written == 1 {
                return Ok(ThreadSeen {
                    replies,
                    last_reply_at,
                    participants,
                });
            }
            // On PostgreSQL the root's statement may have waited for the root's lock held by
            // a reply's delete, which recounted the thread after that statement's snapshot.
            // Holding the root's lock now, a fresh read is current.
            let fresh: Option<ThreadState> = sqlx::query_as(
                "SELECT COALESCE(replycount, 0), lastreplyat, participants FROM threads \
                 WHERE postid = $1",
            )
            .bind(&post.root_id)
            .fetch_optional(&mut *self)
            .await?;
            seen = fresh.and_then(thread_seen);
        }
    }

    async fn start_thread(&mut self, post: &Post, team_id: &str) -> Result<ThreadSeen> {
        let replies: Vec<(String, i64)> = sqlx::query_as(
            "SELECT userid, CAST(MAX(createat) AS BIGINT) AS repliedat FROM posts \
             WHERE rootid = $1 AND deleteat = 0 GROUP BY userid ORDER BY repliedat ASC",
        )
        .bind(&post.root_id)
        .fetch_all(&mut *self)
        .await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM posts WHERE rootid = $1 AND deleteat = 0",
        )
        .bind(&post.root_id)
        .fetch_one(&mut *self)
        .await?;
        let last_reply_at = replies.iter().map(|r| r.1).max().unwrap_or(0);
        let participants: Vec<String> = replies.into_iter().map(|r| r.0).collect();
        sqlx::query(
            "INSERT INTO threads (postid, channelid, replycount, lastreplyat, \
             participants, threadteamid, threaddeleteat) VALUES ($1, $2, $3, $4, $5, $6, 0)",
        )
        .bind(&post.root_id)
        .bind(&post.channel_id)
        .bind(count)
        .bind(last_reply_at)
        .bind(Json(&participants))
        .bind(team_id)
        .execute(&mut *self)
        .await?;
        Ok(ThreadSeen {
            replies: count,
            last_reply_at,
            participants,
        })
    }

    async fn recount_thread(&mut self, root_id: &str, user_id: &str) -> Result<()> {
        let (count, last_reply_at, users_left): (i64, i64, i64) = sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(MAX(createat), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN userid = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM posts WHERE rootid = $1 AND deleteat = 0",
        )
        .bind(root_id)
        .bind(user_id)
        .fetch_one(&mut *self)
        .await?;
        let existing: Option<ThreadState> = sqlx::query_as(
            "SELECT replycount, lastreplyat, participants FROM threads WHERE postid = $1",
        )
        .bind(root_id)
        .fetch_optional(&mut *self)
        .await?;
        let Some((_, _, participants)) = existing else {
            return Ok(());
        };
        let mut participants = participants.map(|j| j.0).unwrap_or_default();
        if users_left == 0 {
            participants.retain(|id| id != user_id);
        }
        sqlx::query(
            "UPDATE threads SET replycount = $1, lastreplyat = $2, participants = $3 \
             WHERE postid = $4",
        )
        .bind(count)
        .bind(last_reply_at)
        .bind(Json(participants))
        .bind(root_id)
        .execute(&mut *self)
        .await?;
        Ok(())
    }

    async fn create_post(&mut self, post: &Post, effects: &NewPostEffects) -> Result<Created> {
        let is_root = post.root_id.is_empty();
        let counted = i64::from(!post.is_join_leave_message());
        let members = MemberCounters::new(post, effects);
        sqlx::query(
            "UPDATE channels SET \
             lastpostat = CASE WHEN COALESCE(lastpostat, 0) < $1 THEN $1 ELSE lastpostat END, \
             lastrootpostat = CASE WHEN $2 AND COALESCE(lastrootpostat, 0) < $1 THEN $1 \
                 ELSE lastrootpostat END, \
             totalmsgcount = COALESCE(totalmsgcount, 0) + $3, \
             totalmsgcountroot = COALESCE(totalmsgcountroot, 0) + $4 \
             WHERE id = $5",
        )
        .bind(post.create_at)
        .bind(is_root)
        .bind(counted)
        .bind(if is_root { counted } else { 0 })
        .bind(&post.channel_id)
        .execute(&mut *self)
        .await?;
        let bumped = if is_root {
            None
        } else {
            let root: Option<BumpedRoot> = sqlx::query_as(&bump_root())
                .bind(post.create_at)
                .bind(&post.root_id)
                .bind(&post.channel_id)
                .fetch_optional(&mut *self)
                .await?;
            match root {
                Some(root) => Some(root),
                None => return Err(crate::StoreError::NotFound("root post")),
            }
        };
        self.insert_post(post).await?;
        self.save_priority(post).await?;
        let mut thread = None;
        let mut reply_count = 0;
        if let Some(root) = bumped {
            let seen = thread_seen((
                root.threadreplies,
                root.threadlastreplyat,
                root.threadparticipants,
            ));
            let written = self.record_reply(post, &effects.team_id, seen).await?;
            reply_count = written.replies;
            let urgent = root.rooturgent;
            let followers_before = root
                .followersbefore
                .as_deref()
                .map(|ids| ids.split(',').map(str::to_string).collect())
                .unwrap_or_default();
            thread = Some(RepliedThread {
                root: Post {
                    reply_count: written.replies,
                    ..Post::from(root.post)
                },
                last_reply_at: written.last_reply_at,
                participants: written.participants,
                urgent,
                followers_before,
            });
        }
        let mut followers = Vec::new();
        if let (false, Some(following)) = (is_root, &effects.thread) {
            self.follow_on_reply(post, following).await?;
            if following.read_followers {
                followers = self.followers(&post.root_id, &post.channel_id).await?;
            }
        }
        if let Some(sql) = &members.sql {
            let mut q = sqlx::query(sql)
                .bind(&post.channel_id)
                .bind(post.create_at)
                .bind(members.reader)
                .bind(i64::from(is_root))
                .bind(i64::from(post.is_urgent()));
            for id in members.mentioned {
                q = q.bind(id);
            }
            q.execute(&mut *self).await?;
        }
        Ok(Created {
            reply_count,
            thread,
            followers,
        })
    }
});

/// What saving a new post does besides the insert.
#[derive(Debug, Clone, Default)]
pub struct NewPostEffects {
    /// The channel's team ("" for DMs and GMs), recorded on a new `threads` row.
    pub team_id: String,
    /// Members whose mention counters go up.
    pub mentioned: Vec<String>,
    /// Mark the channel read for the poster up to this post.
    pub mark_read_for_poster: bool,
    /// For a reply: how its thread's memberships move (none move when None).
    pub thread: Option<ReplyFollowing>,
}

/// What saving a post learnt that its caller would otherwise read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    /// The replies in the post's thread, this one included (0 for a root post).
    pub reply_count: i64,
    /// A reply's thread after it.
    pub thread: Option<RepliedThread>,
    /// A reply's thread followers after it, when `ReplyFollowing::read_followers` asked.
    pub followers: Vec<Follower>,
}

/// Inserts a new post and, in the same transaction, moves everything that depends on it:
/// the channel's totals and last-post times, the thread row and root of a reply, the
/// mentioned members' counters and the poster's read state.
///
/// A reply whose root is not a live root post of its channel is refused with
/// `StoreError::NotFound("root post")` and nothing is written.
pub async fn create(store: &Store, post: &Post, effects: &NewPostEffects) -> Result<Created> {
    transaction!(store, |tx| tx.create_post(post, effects).await?)
}

/// Inserts `posts` in one transaction, each with what [`create`] does for it: a bulk
/// import's batch, which pays one commit for many posts. A reply may follow its root in
/// the same batch.
pub async fn create_many(store: &Store, posts: &[(Post, NewPostEffects)]) -> Result<()> {
    transaction!(store, |tx| {
        for (post, effects) in posts {
            tx.create_post(post, effects).await?;
        }
    })
}

/// The one statement that moves the members' counters for a new post: each mentioned
/// member's mention counters go up, and the poster, when marked read, reads the channel up
/// to the post (even if they mentioned themself). `$1` channel, `$2` post time, `$3` the
/// poster when marked read or else NULL (which no `userid` equals), `$4` 1 for a root post,
/// `$5` 1 for an urgent one, then the mentioned members.
struct MemberCounters<'a> {
    /// None when no member's counters move.
    sql: Option<String>,
    reader: Option<&'a str>,
    mentioned: &'a [String],
}

impl<'a> MemberCounters<'a> {
    fn new(post: &'a Post, effects: &'a NewPostEffects) -> Self {
        let reader = effects
            .mark_read_for_poster
            .then_some(post.user_id.as_str());
        let mentioned = effects.mentioned.as_slice();
        let mut rows = Vec::new();
        if reader.is_some() {
            rows.push("userid = $3".to_string());
        }
        if !mentioned.is_empty() {
            rows.push(format!("userid IN ({})", placeholders(6, mentioned.len())));
        }
        let sql = (!rows.is_empty()).then(|| {
            format!(
                "UPDATE channelmembers SET \
                 mentioncount = CASE WHEN userid = $3 THEN 0 \
                     ELSE COALESCE(mentioncount, 0) + 1 END, \
                 mentioncountroot = CASE WHEN userid = $3 THEN 0 \
                     ELSE COALESCE(mentioncountroot, 0) + $4 END, \
                 urgentmentioncount = CASE WHEN userid = $3 THEN 0 \
                     ELSE COALESCE(urgentmentioncount, 0) + $5 END, \
                 msgcount = CASE WHEN userid = $3 \
                     THEN (SELECT c.totalmsgcount FROM channels c WHERE c.id = $1) \
                     ELSE msgcount END, \
                 msgcountroot = CASE WHEN userid = $3 \
                     THEN (SELECT c.totalmsgcountroot FROM channels c WHERE c.id = $1) \
                     ELSE msgcountroot END, \
                 lastviewedat = CASE WHEN userid = $3 AND COALESCE(lastviewedat, 0) < $2 \
                     THEN $2 ELSE lastviewedat END, \
                 lastupdateat = CASE WHEN userid = $3 \
                     THEN CASE WHEN COALESCE(lastviewedat, 0) < $2 THEN $2 ELSE lastviewedat END \
                     ELSE $2 END \
                 WHERE channelid = $1 AND ({})",
                rows.join(" OR ")
            )
        });
        MemberCounters {
            sql,
            reader,
            mentioned,
        }
    }
}

const UPDATE_POST: &str = "UPDATE posts SET updateat = $1, editat = $2, ispinned = $3, \
    message = $4, props = $5, hashtags = $6, fileids = $7, hasreactions = $8 WHERE id = $9";

/// Saves an edit of `new` (the live post) and keeps `old` as edit history: a deleted copy
/// with a new id whose `originalid` is the live post. The channel's last post time and the
/// thread root's update time move forward to the edit.
pub async fn update(store: &Store, new: &Post, old: &Post, history_id: &str) -> Result<()> {
    let at = new.update_at;
    let history = Post {
        id: history_id.to_string(),
        original_id: old.id.clone(),
        delete_at: at,
        update_at: at,
        ..old.clone()
    };
    transaction!(store, |tx| {
        sqlx::query("UPDATE channels SET lastpostat = $1 WHERE id = $2 AND lastpostat < $1")
            .bind(at)
            .bind(&new.channel_id)
            .execute(&mut *tx)
            .await?;
        if !new.root_id.is_empty() {
            sqlx::query("UPDATE posts SET updateat = $1 WHERE id = $2 AND updateat < $1")
                .bind(at)
                .bind(&new.root_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(UPDATE_POST)
            .bind(at)
            .bind(new.edit_at)
            .bind(new.is_pinned)
            .bind(&new.message)
            .bind(Json(&new.props))
            .bind(&new.hashtags)
            .bind(serde_json::to_string(&new.file_ids)?)
            .bind(new.has_reactions)
            .bind(&new.id)
            .execute(&mut *tx)
            .await?;
        tx.insert_post(&history).await?;
    })
}

/// Id, root, author and props of a post being deleted.
type DeletedRow = (
    String,
    Option<String>,
    Option<String>,
    Option<Json<PostProps>>,
);

/// Soft-deletes post `id` and every reply to it, recording who deleted them in
/// `props.deleteBy`; a root's thread is marked deleted, a reply's thread recounted.
/// The channel's message totals stay as they are, as in Mattermost.
pub async fn delete(store: &Store, id: &str, at: i64, deleted_by: &str) -> Result<()> {
    transaction!(store, |tx| {
        let mut affected: Vec<DeletedRow> = sqlx::query_as(
            "SELECT id, rootid, userid, props FROM posts WHERE id = $1 OR rootid = $1",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        // The lock order of `transaction!`: a reply's root first, then the post, then its
        // replies, then the thread row.
        affected.sort_by_key(|row| row.0 != id);
        let Some((_, root_id, user_id, _)) = affected.first().filter(|row| row.0 == id) else {
            return Ok(false);
        };
        let root_id = root_id.clone().unwrap_or_default();
        let user_id = user_id.clone().unwrap_or_default();
        if !root_id.is_empty() {
            sqlx::query("UPDATE posts SET updateat = $1 WHERE id = $2")
                .bind(at)
                .bind(&root_id)
                .execute(&mut *tx)
                .await?;
        }
        for (post_id, _, _, props) in affected {
            let mut props = props.map(|j| j.0).unwrap_or_default();
            props.insert(PROP_DELETE_BY.into(), deleted_by.into());
            sqlx::query("UPDATE posts SET deleteat = $1, updateat = $1, props = $2 WHERE id = $3")
                .bind(at)
                .bind(Json(&props))
                .bind(&post_id)
                .execute(&mut *tx)
                .await?;
        }
        if root_id.is_empty() {
            sqlx::query("UPDATE threads SET threaddeleteat = $1 WHERE postid = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        } else {
            tx.recount_thread(&root_id, &user_id).await?;
        }
        true
    })
    .and_then(|found| {
        if found {
            Ok(())
        } else {
            Err(crate::StoreError::NotFound("post"))
        }
    })
}

//! Deleting posts and files for good, with every row that hangs off them (Mattermost's
//! `PermanentDeleteBatch…`, `PermanentDeleteByChannel`, `PermanentDeleteByUser`): what the
//! data retention job and the permanent deletion of users, teams and channels remove. A
//! caller picks a bounded batch of ids (`expired_posts`, `posts_of`, …) and deletes it in
//! one transaction, so writers wait at most one batch; the bytes of the files go after the
//! commit, by the caller.

use crate::db::{placeholders, query_rows, read, transaction, Bind};
use crate::{Result, Store};
use utmost_model::file_info::FileInfo;

/// Days, in milliseconds (a policy's `postduration` is in days).
const DAY_MS: i64 = 86_400_000;

/// Which posts the retention rules have expired at `now` (ms). A channel's own policy
/// overrides its team's, which overrides the global one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Posts of channels with a policy, past its duration.
    ChannelPolicies { now: i64 },
    /// Posts of teams with a policy, past its duration, in channels without one.
    TeamPolicies { now: i64 },
    /// Posts created before `before`, in channels covered by no policy.
    Global { before: i64 },
}

/// Up to `limit` ids of posts that `expiry` has expired.
pub async fn expired_posts(store: &Store, expiry: Expiry, limit: i64) -> Result<Vec<String>> {
    const NO_CHANNEL_POLICY: &str = "NOT EXISTS (SELECT 1 FROM retentionpolicieschannels rc \
        WHERE rc.channelid = p.channelid)";
    let past_duration = "rp.postduration >= 0 AND p.createat < $1 - rp.postduration * $2";
    match expiry {
        Expiry::ChannelPolicies { now } => {
            let sql = format!(
                "SELECT p.id FROM posts p \
                 JOIN retentionpolicieschannels rc ON rc.channelid = p.channelid \
                 JOIN retentionpolicies rp ON rp.id = rc.policyid \
                 WHERE {past_duration} LIMIT $3"
            );
            ids(
                store,
                &sql,
                &[Bind::Int(now), Bind::Int(DAY_MS), Bind::Int(limit)],
            )
            .await
        }
        Expiry::TeamPolicies { now } => {
            let sql = format!(
                "SELECT p.id FROM posts p \
                 JOIN channels c ON c.id = p.channelid \
                 JOIN retentionpoliciesteams rt ON rt.teamid = c.teamid \
                 JOIN retentionpolicies rp ON rp.id = rt.policyid \
                 WHERE {past_duration} AND {NO_CHANNEL_POLICY} LIMIT $3"
            );
            ids(
                store,
                &sql,
                &[Bind::Int(now), Bind::Int(DAY_MS), Bind::Int(limit)],
            )
            .await
        }
        Expiry::Global { before } => {
            let sql = format!(
                "SELECT p.id FROM posts p WHERE p.createat < $1 AND {NO_CHANNEL_POLICY} \
                 AND NOT EXISTS (SELECT 1 FROM channels c \
                   JOIN retentionpoliciesteams rt ON rt.teamid = c.teamid \
                   WHERE c.id = p.channelid) \
                 LIMIT $2"
            );
            ids(store, &sql, &[Bind::Int(before), Bind::Int(limit)]).await
        }
    }
}

/// Up to `limit` ids of files created before `before` (the global file retention).
pub async fn expired_files(store: &Store, before: i64, limit: i64) -> Result<Vec<String>> {
    ids(
        store,
        "SELECT id FROM fileinfo WHERE createat < $1 LIMIT $2",
        &[Bind::Int(before), Bind::Int(limit)],
    )
    .await
}

/// Whose posts and files: a channel's, or a user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner<'a> {
    Channel(&'a str),
    User(&'a str),
}

/// Up to `limit` ids of the owner's posts (every kind: deleted, edited versions, replies).
pub async fn posts_of(store: &Store, owner: Owner<'_>, limit: i64) -> Result<Vec<String>> {
    let (column, id) = match owner {
        Owner::Channel(id) => ("channelid", id),
        Owner::User(id) => ("userid", id),
    };
    let sql = format!("SELECT id FROM posts WHERE {column} = $1 LIMIT $2");
    ids(store, &sql, &[Bind::Str(id), Bind::Int(limit)]).await
}

/// Up to `limit` ids of the owner's files, attached or not (a user's: those they uploaded).
pub async fn files_of(store: &Store, owner: Owner<'_>, limit: i64) -> Result<Vec<String>> {
    let (column, id) = match owner {
        Owner::Channel(id) => ("channelid", id),
        Owner::User(id) => ("creatorid", id),
    };
    let sql = format!("SELECT id FROM fileinfo WHERE {column} = $1 LIMIT $2");
    ids(store, &sql, &[Bind::Str(id), Bind::Int(limit)]).await
}

async fn ids(store: &Store, sql: &str, binds: &[Bind<'_>]) -> Result<Vec<String>> {
    let rows = query_rows::<(String,), (String,)>(store, sql, binds).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What one batch removed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Purged {
    pub posts: u64,
    pub reactions: u64,
    /// The files' rows as they were: their bytes are the caller's to remove.
    pub files: Vec<FileInfo>,
}

#[derive(sqlx::FromRow)]
struct StoredFile {
    id: String,
    path: Option<String>,
    thumbnailpath: Option<String>,
    previewpath: Option<String>,
}

impl From<StoredFile> for FileInfo {
    fn from(f: StoredFile) -> Self {
        FileInfo {
            id: f.id,
            path: f.path.unwrap_or_default(),
            thumbnail_path: f.thumbnailpath.unwrap_or_default(),
            preview_path: f.previewpath.unwrap_or_default(),
            ..FileInfo::default()
        }
    }
}

/// The rows keyed by a post id that go with the post (the post itself first: the lock
/// order of `transaction!`).
const POST_ROWS: [(&str, &str); 10] = [
    ("posts", "id"),
    ("reactions", "postid"),
    ("threads", "postid"),
    ("threadmemberships", "postid"),
    ("fileinfo", "postid"),
    ("postspriority", "postid"),
    ("postacknowledgements", "postid"),
    ("postreminders", "postid"),
    ("persistentnotifications", "postid"),
    // Saved posts.
    ("preferences", "name"),
];

/// Deletes the posts `ids` (a batch from one of the selections above) with their
/// reactions, threads, thread memberships, files, priority, acknowledgements, reminders
/// and saved-post marks, in one transaction.
pub async fn purge_posts(store: &Store, ids: &[String]) -> Result<Purged> {
    if ids.is_empty() {
        return Ok(Purged::default());
    }
    let list = placeholders(1, ids.len());
    let files_sql = format!(
        "SELECT id, path, thumbnailpath, previewpath FROM fileinfo WHERE postid IN ({list})"
    );
    transaction!(store, |tx| {
        let mut q = sqlx::query_as::<_, StoredFile>(&files_sql);
        for id in ids {
            q = q.bind(id);
        }
        let files: Vec<FileInfo> = q
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(FileInfo::from)
            .collect();
        let mut purged = Purged {
            files,
            ..Purged::default()
        };
        for (table, column) in POST_ROWS {
            let saved_posts = if table == "preferences" {
                " AND category = 'flagged_post'"
            } else {
                ""
            };
            let sql = format!("DELETE FROM {table} WHERE {column} IN ({list}){saved_posts}");
            let mut q = sqlx::query(&sql);
            for id in ids {
                q = q.bind(id);
            }
            let n = q.execute(&mut *tx).await?.rows_affected();
            match table {
                "posts" => purged.posts = n,
                "reactions" => purged.reactions = n,
                _ => {}
            }
        }
        purged
    })
}

/// Deletes the file rows `ids`; returns them as they were, for their bytes to go.
pub async fn purge_files(store: &Store, ids: &[String]) -> Result<Vec<FileInfo>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let sql = format!(
        "DELETE FROM fileinfo WHERE id IN ({list}) RETURNING id, path, thumbnailpath, previewpath"
    );
    let rows: Vec<StoredFile> = transaction!(store, |tx| {
        let mut q = sqlx::query_as::<_, StoredFile>(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(&mut *tx).await?
    })?;
    Ok(rows.into_iter().map(FileInfo::from).collect())
}

/// The rows of a user that are not posts or files, in the order they go; the user's row
/// last. (The channels' join and leave history stays, for compliance exports.)
const USER_ROWS: [(&str, &str); 17] = [
    ("sessions", "userid"),
    ("useraccesstokens", "userid"),
    ("preferences", "userid"),
    ("channelmembers", "userid"),
    ("teammembers", "userid"),
    ("sidebarchannels", "userid"),
    ("sidebarcategories", "userid"),
    ("threadmemberships", "userid"),
    ("reactions", "userid"),
    ("postreminders", "userid"),
    ("postacknowledgements", "userid"),
    ("drafts", "userid"),
    ("scheduledposts", "userid"),
    ("status", "userid"),
    ("usertermsofservice", "userid"),
    ("bots", "userid"),
    ("users", "id"),
];

/// Deletes a user's own rows (once their posts and files are gone), in one transaction.
/// The posts the user reacted to get their `hasreactions` again from the reactions left.
/// False when there was no such user.
pub async fn purge_user(store: &Store, user_id: &str) -> Result<bool> {
    transaction!(store, |tx| {
        sqlx::query(
            "UPDATE posts SET hasreactions = EXISTS (SELECT 1 FROM reactions r \
               WHERE r.postid = posts.id AND r.userid <> $1 AND r.deleteat = 0) \
             WHERE id IN (SELECT postid FROM reactions WHERE userid = $1)",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let mut user_deleted = false;
        for (table, column) in USER_ROWS {
            let n = sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if table == "users" {
                user_deleted = n > 0;
            }
        }
        user_deleted
    })
}

/// The ids of a team's channels, archived ones included.
pub async fn channels_of_team(store: &Store, team_id: &str) -> Result<Vec<String>> {
    Ok(read!(store, |p| sqlx::query_scalar::<_, String>(
        "SELECT id FROM channels WHERE teamid = $1"
    )
    .bind(team_id)
    .fetch_all(p)
    .await)?)
}

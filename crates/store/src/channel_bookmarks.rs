//! The `channelbookmarks` table (`sqlstore/channel_bookmark_store.go`). A deleted bookmark
//! keeps its row with `deleteat` set; an edit by someone other than the owner deletes the
//! owner's row and inserts a copy whose `originalid` names it. Writes lock the channel's row
//! first, so concurrent ones keep the per-channel limit and the order on PostgreSQL too.

use crate::db::{query_rows, transaction, Bind};
use crate::types::ChannelBookmarkType;
use crate::{Deleted, Result, Store};
use utmost_model::channel_bookmark::ChannelBookmark;

#[derive(sqlx::FromRow)]
struct BookmarkRow {
    id: String,
    ownerid: String,
    channelid: String,
    fileinfoid: Option<String>,
    createat: Option<i64>,
    updateat: Option<i64>,
    deleteat: Option<i64>,
    displayname: Option<String>,
    sortorder: Option<i32>,
    linkurl: Option<String>,
    imageurl: Option<String>,
    emoji: Option<String>,
    #[sqlx(rename = "type")]
    bookmark_type: Option<ChannelBookmarkType>,
    originalid: Option<String>,
    parentid: Option<String>,
}

impl From<BookmarkRow> for ChannelBookmark {
    fn from(r: BookmarkRow) -> Self {
        ChannelBookmark {
            id: r.id,
            create_at: r.createat.unwrap_or(0),
            update_at: r.updateat.unwrap_or(0),
            delete_at: r.deleteat.unwrap_or(0),
            channel_id: r.channelid,
            owner_id: r.ownerid,
            file_id: r.fileinfoid.unwrap_or_default(),
            display_name: r.displayname.unwrap_or_default(),
            sort_order: i64::from(r.sortorder.unwrap_or(0)),
            link_url: r.linkurl.unwrap_or_default(),
            image_url: r.imageurl.unwrap_or_default(),
            emoji: r.emoji.unwrap_or_default(),
            bookmark_type: r.bookmark_type.map_or_else(|| "link".to_string(), |t| t.0),
            original_id: r.originalid.unwrap_or_default(),
            parent_id: r.parentid.unwrap_or_default(),
        }
    }
}

const SELECT: &str = "SELECT cb.id, cb.ownerid, cb.channelid, cb.fileinfoid, cb.createat, \
    cb.updateat, cb.deleteat, cb.displayname, cb.sortorder, cb.linkurl, cb.imageurl, cb.emoji, \
    cb.type, cb.originalid, cb.parentid FROM channelbookmarks cb";

const LOCK_CHANNEL: &str = "UPDATE channels SET id = id WHERE id = $1";

const LIVE_IN_CHANNEL: &str =
    "FROM channelbookmarks WHERE channelid = $1 AND COALESCE(deleteat, 0) = 0";

const INSERT: &str = "INSERT INTO channelbookmarks (id, ownerid, channelid, fileinfoid, \
    createat, updateat, deleteat, displayname, sortorder, linkurl, imageurl, emoji, type, \
    originalid, parentid) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10, $11, $12, $13, $14)";

/// An optional id column: NULL rather than `''`, as Mattermost writes them.
fn optional(id: &str) -> Option<&str> {
    (!id.is_empty()).then_some(id)
}

/// `ChannelBookmarkType` bound as PostgreSQL's enum (plain text on SQLite).
fn kind(bookmark: &ChannelBookmark) -> ChannelBookmarkType {
    ChannelBookmarkType(bookmark.bookmark_type.clone())
}

fn sort_order(bookmark: &ChannelBookmark) -> i32 {
    i32::try_from(bookmark.sort_order).unwrap_or(i32::MAX)
}

pub async fn get(store: &Store, id: &str, deleted: Deleted) -> Result<Option<ChannelBookmark>> {
    let sql = format!("{SELECT} WHERE cb.id = $1{}", deleted.filter("cb"));
    Ok(
        query_rows::<BookmarkRow, ChannelBookmark>(store, &sql, &[Bind::Str(id)])
            .await?
            .pop(),
    )
}

/// `GetBookmarksForChannelSince`: the channel's live bookmarks in their order or, with
/// `since` > 0, those updated or deleted since then (deleted ones included, so a client
/// learns of them). At most `limit`.
pub async fn for_channel(
    store: &Store,
    channel_id: &str,
    since: i64,
    limit: i64,
) -> Result<Vec<ChannelBookmark>> {
    let changed = if since > 0 {
        "(cb.updateat >= $2 OR cb.deleteat >= $2)"
    } else {
        "COALESCE(cb.deleteat, 0) = 0 AND $2 = 0"
    };
    let sql = format!(
        "{SELECT} WHERE cb.channelid = $1 AND {changed} \
         ORDER BY cb.sortorder, cb.deleteat, cb.createat, cb.id LIMIT $3"
    );
    query_rows::<BookmarkRow, ChannelBookmark>(
        store,
        &sql,
        &[
            Bind::Str(channel_id),
            Bind::Int(since.max(0)),
            Bind::Int(limit),
        ],
    )
    .await
}

/// What `create` and `replace` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Saved with this sort order.
    Saved(i64),
    /// The channel has `limit` live bookmarks already.
    LimitReached,
}

/// Saves a new bookmark at the end of the channel's list (its `sort_order` is one past the
/// last), unless the channel has `limit` live bookmarks.
pub async fn create(store: &Store, bookmark: &ChannelBookmark, limit: i64) -> Result<Saved> {
    transaction!(store, |tx| {
        sqlx::query(LOCK_CHANNEL)
            .bind(&bookmark.channel_id)
            .execute(&mut *tx)
            .await?;
        let (count, last): (i64, i64) = sqlx::query_as(&format!(
            "SELECT COUNT(*), CAST(COALESCE(MAX(sortorder), -1) AS BIGINT) {LIVE_IN_CHANNEL}"
        ))
        .bind(&bookmark.channel_id)
        .fetch_one(&mut *tx)
        .await?;
        if count >= limit {
            Saved::LimitReached
        } else {
            let order = i32::try_from(last + 1).unwrap_or(i32::MAX);
            sqlx::query(INSERT)
                .bind(&bookmark.id)
                .bind(&bookmark.owner_id)
                .bind(&bookmark.channel_id)
                .bind(optional(&bookmark.file_id))
                .bind(bookmark.create_at)
                .bind(bookmark.update_at)
                .bind(&bookmark.display_name)
                .bind(order)
                .bind(&bookmark.link_url)
                .bind(&bookmark.image_url)
                .bind(optional(&bookmark.emoji))
                .bind(kind(bookmark))
                .bind(optional(&bookmark.original_id))
                .bind(optional(&bookmark.parent_id))
                .execute(&mut *tx)
                .await?;
            Saved::Saved(i64::from(order))
        }
    })
}

/// Writes an owner's edit of a live bookmark; false when it is gone.
pub async fn update(store: &Store, bookmark: &ChannelBookmark) -> Result<bool> {
    let updated = transaction!(store, |tx| {
        sqlx::query(
            "UPDATE channelbookmarks SET displayname = $1, sortorder = $2, linkurl = $3, \
             imageurl = $4, emoji = $5, fileinfoid = $6, updateat = $7 \
             WHERE id = $8 AND COALESCE(deleteat, 0) = 0",
        )
        .bind(&bookmark.display_name)
        .bind(sort_order(bookmark))
        .bind(&bookmark.link_url)
        .bind(&bookmark.image_url)
        .bind(optional(&bookmark.emoji))
        .bind(optional(&bookmark.file_id))
        .bind(bookmark.update_at)
        .bind(&bookmark.id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    })?;
    Ok(updated > 0)
}

/// Someone else's edit: deletes the live bookmark `original_id` at `at` and saves `copy`
/// (which names it as its original) in its place, in one transaction. False when the
/// original is gone.
pub async fn replace(
    store: &Store,
    original_id: &str,
    copy: &ChannelBookmark,
    at: i64,
) -> Result<bool> {
    transaction!(store, |tx| {
        sqlx::query(LOCK_CHANNEL)
            .bind(&copy.channel_id)
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query(
            "UPDATE channelbookmarks SET deleteat = $1, updateat = $1 \
             WHERE id = $2 AND COALESCE(deleteat, 0) = 0",
        )
        .bind(at)
        .bind(original_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if deleted > 0 {
            sqlx::query(INSERT)
                .bind(&copy.id)
                .bind(&copy.owner_id)
                .bind(&copy.channel_id)
                .bind(optional(&copy.file_id))
                .bind(copy.create_at)
                .bind(copy.update_at)
                .bind(&copy.display_name)
                .bind(sort_order(copy))
                .bind(&copy.link_url)
                .bind(&copy.image_url)
                .bind(optional(&copy.emoji))
                .bind(kind(copy))
                .bind(optional(&copy.original_id))
                .bind(optional(&copy.parent_id))
                .execute(&mut *tx)
                .await?;
        }
        deleted > 0
    })
}

/// Deletes a live bookmark at `at`; false when it was not live.
pub async fn delete(store: &Store, id: &str, at: i64) -> Result<bool> {
    let deleted = transaction!(store, |tx| {
        sqlx::query(
            "UPDATE channelbookmarks SET deleteat = $1, updateat = $1 \
             WHERE id = $2 AND COALESCE(deleteat, 0) = 0",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    })?;
    Ok(deleted > 0)
}

/// `UpdateSortOrder`: moves the live bookmark `id` to position `index` of the channel's
/// list and numbers them all 0, 1, … in the new order, updated at `at`. Returns the list in
/// its new order, or None when the bookmark is not live in the channel or `index` is past
/// the end.
pub async fn sort(
    store: &Store,
    channel_id: &str,
    id: &str,
    index: i64,
    at: i64,
) -> Result<Option<Vec<ChannelBookmark>>> {
    transaction!(store, |tx| {
        sqlx::query(LOCK_CHANNEL)
            .bind(channel_id)
            .execute(&mut *tx)
            .await?;
        let sql = format!(
            "{SELECT} WHERE cb.channelid = $1 AND COALESCE(cb.deleteat, 0) = 0 \
             ORDER BY cb.sortorder, cb.createat, cb.id"
        );
        let rows: Vec<BookmarkRow> = sqlx::query_as(&sql)
            .bind(channel_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut list: Vec<ChannelBookmark> = rows.into_iter().map(ChannelBookmark::from).collect();
        let position = list.iter().position(|b| b.id == id);
        match (position, usize::try_from(index)) {
            (Some(from), Ok(to)) if to < list.len() => {
                let moved = list.remove(from);
                list.insert(to, moved);
                for (order, bookmark) in list.iter_mut().enumerate() {
                    bookmark.sort_order = i64::try_from(order).unwrap_or(i64::MAX);
                    bookmark.update_at = at;
                    sqlx::query(
                        "UPDATE channelbookmarks SET sortorder = $1, updateat = $2 WHERE id = $3",
                    )
                    .bind(sort_order(bookmark))
                    .bind(at)
                    .bind(&bookmark.id)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(list)
            }
            _ => None,
        }
    })
}

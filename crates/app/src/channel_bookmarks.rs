//! Channel bookmarks: list, add, edit, reorder and delete (Mattermost's
//! `app/channel_bookmark.go` and the checks of `api4/channel_bookmark.go`).
//!
//! Mattermost offers bookmarks to licensed servers only; Utmost offers them always. File
//! bookmarks need an uploaded file, and until uploads exist they are refused (400
//! `app.channel.bookmark.save.app_error`, the error Mattermost gives for a file it cannot
//! attach); file bookmarks already in a Mattermost database are listed as they are.

use crate::authorization::has_channel_permission;
use crate::bus::Event;
use crate::errors::{BookmarkError, BookmarkOp, ChannelError};
use crate::posts::can_read_channel;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::channel::{
    Channel, CHANNEL_DIRECT, CHANNEL_GROUP, CHANNEL_OPEN, CHANNEL_PRIVATE,
};
use utmost_model::channel_bookmark::{
    is_valid_http_url, ChannelBookmark, ChannelBookmarkPatch, UpdateChannelBookmarkResponse,
    BOOKMARK_EMOJI_MAX_LENGTH, BOOKMARK_FILE, BOOKMARK_LINK, MAX_BOOKMARKS_PER_CHANNEL,
};
use utmost_model::session::Session;
use utmost_model::{is_valid_id, new_id, now_millis, permissions, AppError};
use utmost_store::channel_bookmarks::{self as store, Saved};
use utmost_store::Deleted;

/// Mattermost lists at most twice the per-channel limit (deleted ones since a time count).
const MAX_LISTED: i64 = MAX_BOOKMARKS_PER_CHANNEL * 2;

async fn channel(app: &App, channel_id: &str) -> AppResult<Arc<Channel>> {
    crate::caches::channels::get(app, channel_id)
        .await?
        .ok_or_else(|| ChannelError::NotFound.into())
}

/// The bookmark permission of `op` for a public or a private channel.
fn permission(op: BookmarkOp, public: bool) -> &'static str {
    use permissions as p;
    match (op, public) {
        (BookmarkOp::Create, true) => p::ADD_BOOKMARK_PUBLIC_CHANNEL,
        (BookmarkOp::Create, false) => p::ADD_BOOKMARK_PRIVATE_CHANNEL,
        (BookmarkOp::Update, true) => p::EDIT_BOOKMARK_PUBLIC_CHANNEL,
        (BookmarkOp::Update, false) => p::EDIT_BOOKMARK_PRIVATE_CHANNEL,
        (BookmarkOp::Sort, true) => p::ORDER_BOOKMARK_PUBLIC_CHANNEL,
        (BookmarkOp::Sort, false) => p::ORDER_BOOKMARK_PRIVATE_CHANNEL,
        (BookmarkOp::Delete, true) => p::DELETE_BOOKMARK_PUBLIC_CHANNEL,
        (BookmarkOp::Delete, false) => p::DELETE_BOOKMARK_PRIVATE_CHANNEL,
    }
}

/// The checks every bookmark write makes, in Mattermost's order: the channel exists (404)
/// and is live (403), then the permission of `op` in a public or private channel, or for a
/// direct or group message membership and not being a guest.
pub async fn require_manage(
    app: &App,
    session: &Session,
    channel_id: &str,
    op: BookmarkOp,
) -> AppResult<Arc<Channel>> {
    let channel = channel(app, channel_id).await?;
    if channel.delete_at != 0 {
        return Err(BookmarkError::InArchivedChannel(op).into());
    }
    match channel.channel_type.as_str() {
        CHANNEL_OPEN | CHANNEL_PRIVATE => {
            let needed = permission(op, channel.channel_type == CHANNEL_OPEN);
            if !has_channel_permission(app, session, channel_id, needed).await? {
                return Err(AppError::permission_denied(needed));
            }
        }
        CHANNEL_DIRECT | CHANNEL_GROUP => {
            let member =
                crate::caches::channel_members::roles(app, channel_id, &session.user_id).await?;
            if member.is_none() {
                return Err(BookmarkError::NotDirectMember(op).into());
            }
            let user = crate::users::get(app, &session.user_id).await?;
            if user.is_guest() {
                return Err(BookmarkError::DirectByGuest(op).into());
            }
        }
        _ => return Err(BookmarkError::UnsupportedChannel(op).into()),
    }
    Ok(channel)
}

/// `listChannelBookmarksForChannel`: whoever may read the channel (a public channel's team
/// members too). `since` > 0 lists what changed since then, deleted bookmarks included.
pub async fn list(
    app: &App,
    session: &Session,
    channel_id: &str,
    since: i64,
) -> AppResult<Vec<ChannelBookmark>> {
    let channel = channel(app, channel_id).await?;
    if !can_read_channel(app, session, &channel).await? {
        return Err(AppError::permission_denied(
            permissions::READ_CHANNEL_CONTENT,
        ));
    }
    Ok(store::for_channel(&app.store, channel_id, since, MAX_LISTED).await?)
}

/// `ChannelBookmark.IsValid` for what a client sends.
fn validate(b: &ChannelBookmark) -> AppResult<()> {
    let invalid = |e: BookmarkError| Err(e.into());
    if b.display_name.is_empty() {
        return invalid(BookmarkError::InvalidDisplayName);
    }
    let is_link = b.bookmark_type == BOOKMARK_LINK;
    if !is_link && b.bookmark_type != BOOKMARK_FILE {
        return invalid(BookmarkError::InvalidType);
    }
    if is_link && !is_valid_http_url(&b.link_url) {
        return invalid(BookmarkError::InvalidLinkUrl);
    }
    if is_link && !b.image_url.is_empty() && !is_valid_http_url(&b.image_url) {
        return invalid(BookmarkError::InvalidImageUrl);
    }
    if !is_link && !is_valid_id(&b.file_id) {
        return invalid(BookmarkError::InvalidFileId);
    }
    if !b.image_url.is_empty() && !b.file_id.is_empty() {
        return invalid(BookmarkError::LinkAndFile);
    }
    if b.emoji.chars().count() > BOOKMARK_EMOJI_MAX_LENGTH {
        return invalid(BookmarkError::EmojiTooLong);
    }
    Ok(())
}

/// `CreateChannelBookmark`: a new bookmark of the session's user at the end of the list,
/// within `MaxBookmarksPerChannel`. Publishes `BookmarkCreated`.
pub async fn create(
    app: &App,
    user_id: &str,
    channel_id: &str,
    bookmark: ChannelBookmark,
    connection_id: &str,
) -> AppResult<ChannelBookmark> {
    let now = now_millis();
    let mut bookmark = ChannelBookmark {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        channel_id: channel_id.to_string(),
        owner_id: user_id.to_string(),
        original_id: String::new(),
        ..bookmark
    };
    validate(&bookmark)?;
    if !bookmark.file_id.is_empty() {
        return Err(BookmarkError::FileUnavailable.into());
    }
    match store::create(&app.store, &bookmark, MAX_BOOKMARKS_PER_CHANNEL).await? {
        Saved::LimitReached => return Err(BookmarkError::LimitReached.into()),
        Saved::Saved(order) => bookmark.sort_order = order,
    }
    app.publish(Event::BookmarkCreated {
        bookmark: bookmark.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(bookmark)
}

/// A live bookmark of the channel named in the path: 404 when missing, 400 `channel_id`
/// when it belongs to another channel.
async fn in_channel(app: &App, channel_id: &str, bookmark_id: &str) -> AppResult<ChannelBookmark> {
    let bookmark = store::get(&app.store, bookmark_id, Deleted::Exclude)
        .await?
        .ok_or(BookmarkError::NotFound)?;
    if bookmark.channel_id != channel_id {
        return Err(AppError::invalid_param("channel_id"));
    }
    Ok(bookmark)
}

/// `UpdateChannelBookmark`: the owner's edit changes the bookmark; anyone else's deletes it
/// and saves an edited copy they own (its `original_id` names the deleted one), so the
/// owner's version is kept. Publishes `BookmarkUpdated`.
pub async fn update(
    app: &App,
    user_id: &str,
    channel_id: &str,
    bookmark_id: &str,
    patch: &ChannelBookmarkPatch,
    connection_id: &str,
) -> AppResult<UpdateChannelBookmarkResponse> {
    let original = in_channel(app, channel_id, bookmark_id).await?;
    let mut edited = original.clone();
    edited.patch(patch);
    edited.update_at = now_millis();
    validate(&edited)?;
    if !edited.file_id.is_empty() && edited.file_id != original.file_id {
        return Err(BookmarkError::FileUnavailable.into());
    }
    let response = if original.owner_id == user_id {
        if !store::update(&app.store, &edited).await? {
            return Err(BookmarkError::NotFound.into());
        }
        UpdateChannelBookmarkResponse {
            updated: Some(edited),
            deleted: None,
        }
    } else {
        let copy = ChannelBookmark {
            id: new_id(),
            create_at: edited.update_at,
            owner_id: user_id.to_string(),
            original_id: original.id.clone(),
            ..edited.clone()
        };
        if !store::replace(&app.store, &original.id, &copy, edited.update_at).await? {
            return Err(BookmarkError::NotFound.into());
        }
        UpdateChannelBookmarkResponse {
            updated: Some(copy),
            deleted: Some(ChannelBookmark {
                delete_at: edited.update_at,
                update_at: edited.update_at,
                ..original
            }),
        }
    };
    app.publish(Event::BookmarkUpdated {
        channel_id: channel_id.to_string(),
        response: response.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(response)
}

/// `UpdateChannelBookmarkSortOrder`: moves the bookmark to position `index` and returns
/// the channel's bookmarks in their new order. Publishes `BookmarksSorted`.
pub async fn sort(
    app: &App,
    channel_id: &str,
    bookmark_id: &str,
    index: i64,
    connection_id: &str,
) -> AppResult<Vec<ChannelBookmark>> {
    let sorted = store::sort(&app.store, channel_id, bookmark_id, index, now_millis())
        .await?
        .ok_or(BookmarkError::SortOutOfRange)?;
    app.publish(Event::BookmarksSorted {
        channel_id: channel_id.to_string(),
        bookmarks: sorted.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(sorted)
}

/// `DeleteChannelBookmark`: returns the bookmark as deleted. Publishes `BookmarkDeleted`.
pub async fn delete(
    app: &App,
    channel_id: &str,
    bookmark_id: &str,
    connection_id: &str,
) -> AppResult<ChannelBookmark> {
    let bookmark = in_channel(app, channel_id, bookmark_id).await?;
    let now = now_millis();
    if !store::delete(&app.store, bookmark_id, now).await? {
        return Err(BookmarkError::NotFound.into());
    }
    let deleted = ChannelBookmark {
        delete_at: now,
        update_at: now,
        ..bookmark
    };
    app.publish(Event::BookmarkDeleted {
        bookmark: deleted.clone(),
        connection_id: connection_id.to_string(),
    })
    .await;
    Ok(deleted)
}

//! Post listings: a channel's posts by page, cursor or time, a thread, the window around
//! a member's first unread post and the pinned posts, with the cursor ids and ETags
//! Mattermost attaches to them.

use super::{get_single, prepare_for_client};
use crate::errors::ChannelError;
use crate::{App, AppResult};
use std::collections::BTreeSet;
use utmost_model::post::{Post, PostList};
use utmost_model::{now_millis, MATTERMOST_VERSION};
use utmost_store::posts::{self as store, ChannelPosts, Replies, Side};
pub use utmost_store::posts::{Direction, ThreadPage};
use utmost_store::Deleted;

/// `GET /channels/{id}/posts` parameters, already validated.
#[derive(Debug, Clone, Default)]
pub struct ChannelPostsQuery {
    pub page: i64,
    pub per_page: i64,
    pub since: i64,
    pub before: String,
    pub after: String,
    pub include_deleted: bool,
    pub skip_fetch_threads: bool,
    pub collapsed_threads: bool,
}

/// The ETag of a channel's post listings: the newest `update_at` (`GetEtag`), or the current
/// time for a channel without posts so that it never matches.
pub async fn channel_etag(
    app: &App,
    channel_id: &str,
    collapsed_threads: bool,
) -> AppResult<String> {
    let newest =
        store::last_update_at(&app.store, channel_id, replies_listed(collapsed_threads)).await?;
    Ok(format!(
        "{MATTERMOST_VERSION}.{}",
        newest.unwrap_or_else(now_millis)
    ))
}

/// A channel's posts as `getPostsForChannel` answers: `since`, else `after`, else `before`,
/// else a page. Outside collapsed threads the list carries the threads of its replies.
pub async fn channel_posts(
    app: &App,
    viewer_id: &str,
    channel_id: &str,
    q: &ChannelPostsQuery,
) -> AppResult<PostList> {
    let scope = ChannelPosts {
        channel_id,
        deleted: Deleted::included_if(q.include_deleted),
        collapsed_for: q.collapsed_threads.then_some(viewer_id),
    };
    let offset = q.page * q.per_page;
    let mut list = PostList::default();
    if q.since > 0 {
        let posts = store::since(&app.store, &scope, q.since).await?;
        let roots = root_ids(&posts, false);
        posts.into_iter().for_each(|p| list.push_ordered(p));
        if !q.collapsed_threads {
            let missing: Vec<String> = roots
                .into_iter()
                .filter(|id| !list.posts.contains_key(id))
                .collect();
            add_context(
                &mut list,
                store::threads_of(
                    &app.store,
                    channel_id,
                    &missing,
                    Replies::Exclude,
                    Deleted::Include,
                )
                .await?,
            );
        }
    } else if !q.after.is_empty() || !q.before.is_empty() {
        let (side, anchor) = if q.after.is_empty() {
            (Side::Before, &q.before)
        } else {
            (Side::After, &q.after)
        };
        let posts = store::around(&app.store, &scope, anchor, side, q.per_page, offset).await?;
        let threads = root_ids(&posts, true);
        posts.into_iter().for_each(|p| list.push_ordered(p));
        if !q.collapsed_threads {
            let context = store::threads_of(
                &app.store,
                channel_id,
                &threads,
                thread_replies(q.skip_fetch_threads),
                Deleted::included_if(q.include_deleted),
            )
            .await?;
            add_context(&mut list, context);
        }
    } else {
        let posts = store::page(&app.store, &scope, q.per_page, offset).await?;
        let roots = root_ids(&posts, false);
        posts.into_iter().for_each(|p| list.push_ordered(p));
        if !q.collapsed_threads {
            let context = store::threads_of(
                &app.store,
                channel_id,
                &roots,
                thread_replies(q.skip_fetch_threads),
                Deleted::included_if(q.include_deleted),
            )
            .await?;
            add_context(&mut list, context);
        }
    }
    add_cursor_ids(app, &mut list, q).await?;
    prepare_list(app, list).await
}

/// Collapsed threads list, count and page over root posts only.
fn replies_listed(collapsed_threads: bool) -> Replies {
    if collapsed_threads {
        Replies::Exclude
    } else {
        Replies::Include
    }
}

/// The context of a page carries the whole threads unless the client skips fetching them.
fn thread_replies(skip_fetch_threads: bool) -> Replies {
    if skip_fetch_threads {
        Replies::Exclude
    } else {
        Replies::Include
    }
}

/// The thread roots the posts belong to, and with `including_own` the posts themselves.
fn root_ids(posts: &[Post], including_own: bool) -> Vec<String> {
    let mut ids = BTreeSet::new();
    for p in posts {
        if !p.root_id.is_empty() {
            ids.insert(p.root_id.clone());
        }
        if including_own {
            ids.insert(p.id.clone());
        }
    }
    ids.into_iter().collect()
}

fn add_context(list: &mut PostList, posts: Vec<Post>) {
    posts.into_iter().for_each(|p| list.add_context(p));
}

async fn prepare_list(app: &App, mut list: PostList) -> AppResult<PostList> {
    list.posts = std::mem::take(&mut list.posts)
        .into_iter()
        .map(|(id, p)| (id, prepare_for_client(p)))
        .collect();
    super::add_metadata(app, list.posts.values_mut()).await?;
    Ok(list)
}

/// `AddCursorIdsForPostList`: the neighbours just outside the list, "" at either end; a
/// `since` list has none, and a cursor page knows one side from its anchor.
async fn add_cursor_ids(app: &App, list: &mut PostList, q: &ChannelPostsQuery) -> AppResult<()> {
    let short_page = (list.order.len() as i64) < q.per_page;
    let (next, prev) = if q.since > 0 {
        (Some(String::new()), Some(String::new()))
    } else if !q.after.is_empty() {
        let prev = (q.page == 0).then(|| q.after.clone());
        (short_page.then(String::new), prev)
    } else if !q.before.is_empty() {
        let next = (q.page == 0).then(|| q.before.clone());
        (next, short_page.then(String::new))
    } else {
        (None, None)
    };
    list.next_post_id = match next {
        Some(id) => id,
        None => neighbour_id(app, list, Side::After, q.collapsed_threads).await?,
    };
    list.prev_post_id = match prev {
        Some(id) => id,
        None => neighbour_id(app, list, Side::Before, q.collapsed_threads).await?,
    };
    Ok(())
}

/// The live post just before the list's oldest post (or after its newest one).
async fn neighbour_id(
    app: &App,
    list: &PostList,
    side: Side,
    collapsed_threads: bool,
) -> AppResult<String> {
    let edge = match side {
        Side::Before => list.order.last(),
        Side::After => list.order.first(),
    };
    let Some(post) = edge.and_then(|id| list.posts.get(id)) else {
        return Ok(String::new());
    };
    Ok(store::id_around_time(
        &app.store,
        &post.channel_id,
        post.create_at,
        side,
        replies_listed(collapsed_threads),
    )
    .await?
    .unwrap_or_default())
}

/// `GET /posts/{id}/thread` parameters, already validated.
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    pub page: ThreadPage,
    pub skip_fetch_threads: bool,
    pub collapsed_threads: bool,
}

/// `GetPostThread`: the post first, then its thread (the replies of the post itself under
/// collapsed threads, the whole thread otherwise). 404 when the post is missing or deleted.
pub async fn thread(app: &App, post_id: &str, q: &ThreadQuery) -> AppResult<PostList> {
    let post = get_single(app, post_id, false).await?;
    let root_id = if q.collapsed_threads || post.root_id.is_empty() {
        post.id.clone()
    } else {
        post.root_id.clone()
    };
    let mut list = PostList::default();
    list.push_ordered(post);
    if q.collapsed_threads || !q.skip_fetch_threads {
        let (posts, has_next) = store::thread(&app.store, &root_id, &q.page).await?;
        posts
            .into_iter()
            .filter(|p| p.id != post_id)
            .for_each(|p| list.push_ordered(p));
        list.has_next = Some(has_next);
    }
    prepare_list(app, list).await
}

/// `GetPostsForChannelAroundLastUnread`: the member's first unread post with up to
/// `limit_before` older and `limit_after - 1` newer posts, newest first, plus that post's
/// thread. Empty when nothing is unread (the caller then answers with the newest page).
pub async fn around_last_unread(
    app: &App,
    channel_id: &str,
    user_id: &str,
    limit_before: i64,
    limit_after: i64,
    q: &ThreadQuery,
) -> AppResult<PostList> {
    let member = utmost_store::channels::member(&app.store, channel_id, user_id)
        .await?
        .ok_or(ChannelError::MemberNotFound)?;
    if member.last_viewed_at == 0 {
        return Ok(PostList::default());
    }
    let first_unread = store::id_around_time(
        &app.store,
        channel_id,
        member.last_viewed_at,
        Side::After,
        replies_listed(q.collapsed_threads),
    )
    .await?;
    let Some(first_unread) = first_unread else {
        return Ok(PostList::default());
    };
    let mut list = thread(app, &first_unread, q).await?;
    list.order = vec![first_unread.clone()];
    list.has_next = None;
    let scope = ChannelPosts {
        channel_id,
        deleted: Deleted::Exclude,
        collapsed_for: q.collapsed_threads.then_some(user_id),
    };
    for (side, limit) in [(Side::Before, limit_before), (Side::After, limit_after - 1)] {
        let posts = store::around(&app.store, &scope, &first_unread, side, limit, 0).await?;
        let mut side = PostList::default();
        posts.into_iter().for_each(|p| side.push_ordered(p));
        list.extend(prepare_list(app, side).await?);
    }
    list.sort_by_create_at();
    list.next_post_id = neighbour_id(app, &list, Side::After, q.collapsed_threads).await?;
    list.prev_post_id = neighbour_id(app, &list, Side::Before, q.collapsed_threads).await?;
    Ok(list)
}

/// The newest page with cursors, the fallback of the unread window.
pub async fn newest_page(
    app: &App,
    viewer_id: &str,
    channel_id: &str,
    per_page: i64,
    q: &ThreadQuery,
) -> AppResult<PostList> {
    let query = ChannelPostsQuery {
        per_page,
        skip_fetch_threads: q.skip_fetch_threads,
        collapsed_threads: q.collapsed_threads,
        ..ChannelPostsQuery::default()
    };
    channel_posts(app, viewer_id, channel_id, &query).await
}

/// A channel's pinned posts, newest first.
pub async fn pinned(app: &App, channel_id: &str) -> AppResult<PostList> {
    let mut list = PostList::default();
    store::pinned(&app.store, channel_id)
        .await?
        .into_iter()
        .for_each(|p| list.push_ordered(p));
    prepare_list(app, list).await
}

/// Parses a thread page's `direction`.
pub fn direction(raw: &str) -> Option<Direction> {
    match raw {
        "up" => Some(Direction::Up),
        "down" => Some(Direction::Down),
        _ => None,
    }
}

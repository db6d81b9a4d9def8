//! Posts the server writes itself (Mattermost's `CreatePost` as the channel services call it):
//! no permission checks, no "posting marks the channel read" for the author, the sender shown
//! as "System" — otherwise stored, counted and announced exactly like a user's post.

use super::{prepare_for_client, store_new_post, validate};
use crate::bus::Event;
use crate::caches::member_profiles::member_profiles;
use crate::{App, AppResult};
use utmost_model::channel::Channel;
use utmost_model::post::{parse_hashtags, Post, PostProps};
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis};

/// `PostTypeAutoResponder`.
const POST_AUTO_RESPONDER: &str = "system_auto_responder";

/// `system.message.name`: the `sender_name` of every system message's `posted` event.
const SYSTEM_SENDER_NAME: &str = "System";

/// Saves a system message of `post_type` in `channel`, written by `user_id`, and publishes it
/// as `posted`. Join and leave types leave the channel's message totals alone (the store's
/// `is_join_leave_message` rule).
pub async fn create_system_post(
    app: &App,
    channel: &Channel,
    user_id: &str,
    post_type: &str,
    message: String,
    props: PostProps,
) -> AppResult<Post> {
    let draft = Post {
        message,
        post_type: post_type.to_string(),
        props,
        ..Post::default()
    };
    create(app, channel, user_id, draft).await
}

/// `SendAutoResponse`: `user_id`'s automatic reply, in the thread of `root_id`.
pub(crate) async fn create_auto_response(
    app: &App,
    channel: &Channel,
    user_id: &str,
    message: &str,
    root_id: &str,
) -> AppResult<Post> {
    let draft = Post {
        message: message.to_string(),
        post_type: POST_AUTO_RESPONDER.to_string(),
        root_id: root_id.to_string(),
        ..Post::default()
    };
    create(app, channel, user_id, draft).await
}

/// Saves `draft` (its message, type, props and root) as a post of `user_id`.
async fn create(app: &App, channel: &Channel, user_id: &str, draft: Post) -> AppResult<Post> {
    let author = crate::users::get(app, user_id).await?;
    let created = created_after_last_post(app, &channel.id).await?;
    let post = Post {
        id: new_id(),
        create_at: created,
        update_at: created,
        user_id: author.id.clone(),
        channel_id: channel.id.clone(),
        hashtags: parse_hashtags(&draft.message),
        ..draft
    };
    validate(&post)?;
    let members = member_profiles(app, &channel.id).await?;
    let (saved, mentioned, thread) =
        store_new_post(app, &acting_as(&author), channel, &post, &members, false).await?;
    let saved = prepare_for_client(saved);
    app.publish(Event::PostCreated {
        post: saved.clone(),
        channel: channel.clone(),
        sender_name: SYSTEM_SENDER_NAME.to_string(),
        mentions: mentioned,
    })
    .await;
    crate::threads::publish_reply(app, channel, &saved, thread).await?;
    Ok(saved)
}

/// Now, or just after the channel's last post when that has the same millisecond: the
/// messages one change writes (a patch's three, a join right before a leave) then list in
/// the order they were written even when the clock has not moved on.
async fn created_after_last_post(app: &App, channel_id: &str) -> AppResult<i64> {
    let last_post_at = utmost_store::channels::get(&app.store, channel_id)
        .await?
        .map_or(0, |c| c.last_post_at);
    Ok(now_millis().max(last_post_at + 1))
}

/// The author's own permissions (Mattermost checks `HasPermissionToChannel` by user id for
/// channel-wide mentions), without a login session behind them.
pub(crate) fn acting_as(user: &User) -> Session {
    Session {
        user_id: user.id.clone(),
        roles: user.roles.clone(),
        ..Session::default()
    }
}

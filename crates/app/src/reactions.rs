//! Reactions: save, remove and list (Mattermost's `app/reaction.go`).

use crate::authorization::{has_channel_permission, has_system_permission};
use crate::bus::Event;
use crate::errors::ReactionError;
use crate::posts::{can_read_channel, get_channel, get_single};
use crate::{App, AppResult};
use std::collections::{BTreeMap, BTreeSet};
use utmost_model::permissions;
use utmost_model::post::Post;
use utmost_model::reaction::{is_valid_emoji_name, Reaction, EMOJI_NAME_MAX_LENGTH};
use utmost_model::session::Session;
use utmost_model::{is_valid_id, now_millis, AppError};
use utmost_store::reactions::{self as store, Saved};
use utmost_store::Deleted;

/// `SessionHasPermissionToChannelByPost`: `permission` in the channel of the post (deleted or
/// not), through the channel, team and system roles; a missing post leaves only the system
/// roles.
pub async fn has_permission_by_post(
    app: &App,
    session: &Session,
    post_id: &str,
    permission: &str,
) -> AppResult<bool> {
    match utmost_store::posts::get(&app.store, post_id, Deleted::Include).await? {
        Some(post) => has_channel_permission(app, session, &post.channel_id, permission).await,
        None => Ok(has_system_permission(app, session, permission)),
    }
}

/// 403 naming `permission` unless `has_permission_by_post`.
pub async fn require_by_post(
    app: &App,
    session: &Session,
    post_id: &str,
    permission: &str,
) -> AppResult<()> {
    if has_permission_by_post(app, session, post_id, permission).await? {
        Ok(())
    } else {
        Err(AppError::permission_denied(permission))
    }
}

/// `saveReaction`'s checks of the body, before any permission: well-formed ids and a name
/// of the right length (400), and the caller's own user id (403).
pub fn check_save(session: &Session, reaction: &Reaction) -> AppResult<()> {
    if !is_valid_id(&reaction.user_id)
        || !is_valid_id(&reaction.post_id)
        || reaction.emoji_name.is_empty()
        || reaction.emoji_name.len() > EMOJI_NAME_MAX_LENGTH
    {
        return Err(ReactionError::Invalid.into());
    }
    if reaction.user_id != session.user_id {
        return Err(ReactionError::ForOtherUser.into());
    }
    Ok(())
}

/// `SaveReactionForPost`: the post must be live, the emoji a system emoji or a live custom
/// one, and the post's channel not archived; a new emoji must fit under
/// `UniqueEmojiReactionLimitPerPost`. Publishes `ReactionAdded`.
pub async fn save(app: &App, reaction: Reaction) -> AppResult<Reaction> {
    let post = get_single(app, &reaction.post_id, false).await?;
    crate::emoji::require_for_reaction(app, &reaction.emoji_name).await?;
    // `Reaction.IsValid`, which Mattermost's store checks later: a few system emoji names
    // (`thank you`) are not valid reaction names.
    if !is_valid_emoji_name(&reaction.emoji_name) {
        return Err(ReactionError::InvalidEmojiName.into());
    }
    let channel = get_channel(app, &post.channel_id).await?;
    if channel.delete_at > 0 {
        return Err(ReactionError::SaveInArchived.into());
    }
    let now = now_millis();
    let reaction = Reaction {
        create_at: now,
        update_at: now,
        delete_at: 0,
        channel_id: post.channel_id,
        ..reaction
    };
    let limit = app
        .config()
        .service_settings
        .unique_emoji_reaction_limit_per_post;
    match store::save(&app.store, &reaction, limit).await? {
        Saved::LimitReached => Err(ReactionError::UniqueLimit.into()),
        Saved::Saved => {
            app.publish(Event::ReactionAdded {
                reaction: reaction.clone(),
            })
            .await;
            Ok(reaction)
        }
    }
}

/// `DeleteReactionForPost`: refused in an archived channel; publishes `ReactionRemoved` even
/// when the user had no such reaction, as Mattermost does.
pub async fn delete(app: &App, user_id: &str, post_id: &str, emoji_name: &str) -> AppResult<()> {
    let post = get_single(app, post_id, false).await?;
    let channel = get_channel(app, &post.channel_id).await?;
    if channel.delete_at > 0 {
        return Err(ReactionError::DeleteInArchived.into());
    }
    let now = now_millis();
    store::delete(&app.store, user_id, post_id, emoji_name, now).await?;
    let reaction = Reaction {
        user_id: user_id.to_string(),
        post_id: post_id.to_string(),
        emoji_name: emoji_name.to_string(),
        update_at: now,
        delete_at: now,
        channel_id: post.channel_id,
        ..Reaction::default()
    };
    app.publish(Event::ReactionRemoved { reaction }).await;
    Ok(())
}

/// The live reactions to one post, oldest first.
pub async fn for_post(app: &App, post_id: &str) -> AppResult<Vec<Reaction>> {
    Ok(store::for_posts(&app.store, &[post_id.to_string()]).await?)
}

/// `GetBulkReactionsForPosts`: every named post maps to its reactions, `[]` when it has none.
pub async fn for_posts(
    app: &App,
    post_ids: &[String],
) -> AppResult<BTreeMap<String, Vec<Reaction>>> {
    let mut by_post: BTreeMap<String, Vec<Reaction>> =
        post_ids.iter().map(|id| (id.clone(), Vec::new())).collect();
    for reaction in store::for_posts(&app.store, post_ids).await? {
        by_post
            .entry(reaction.post_id.clone())
            .or_default()
            .push(reaction);
    }
    Ok(by_post)
}

/// `SessionHasPermissionToReadPost` for every named post, as reading reactions checks: each
/// post exists (deleted or not) and its channel is readable (`can_read_channel`, so a public
/// channel's team members may). The posts are read in one query, each channel checked once.
pub async fn require_read_posts(
    app: &App,
    session: &Session,
    post_ids: &[String],
) -> AppResult<()> {
    let denied = || AppError::permission_denied(permissions::READ_CHANNEL_CONTENT);
    let posts = utmost_store::posts::get_by_ids(&app.store, post_ids).await?;
    if posts.len() < post_ids.len() {
        return Err(denied());
    }
    let channel_ids: BTreeSet<&str> = posts.iter().map(|p| p.channel_id.as_str()).collect();
    for channel_id in channel_ids {
        let readable = match crate::caches::channels::get(app, channel_id).await? {
            Some(channel) => can_read_channel(app, session, &channel).await?,
            None => false,
        };
        if !readable {
            return Err(denied());
        }
    }
    Ok(())
}

/// `metadata.reactions` for the live posts that have reactions (`PreparePostForClient`), read
/// in one query. Each post must already have its `metadata` object.
pub async fn add_reactions<'a>(
    app: &App,
    posts: impl Iterator<Item = &'a mut Post>,
) -> AppResult<()> {
    let mut reacted: Vec<&mut Post> = posts
        .filter(|p| p.has_reactions && p.delete_at == 0)
        .collect();
    if reacted.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = reacted.iter().map(|p| p.id.clone()).collect();
    let mut by_post = for_posts(app, &ids).await?;
    for post in &mut reacted {
        let reactions = by_post.remove(&post.id).unwrap_or_default();
        if let Some(metadata) = post.metadata.as_mut() {
            metadata.reactions = Some(reactions);
        }
    }
    Ok(())
}

/// One post as `GET /posts/{id}` returns it: `prepare_for_client`, with its metadata
/// (`posts::add_metadata`).
pub async fn prepare_post(app: &App, post: Post) -> AppResult<Post> {
    let mut post = crate::posts::prepare_for_client(post);
    crate::posts::add_metadata(app, std::iter::once(&mut post)).await?;
    Ok(post)
}

//! Posts: creating one (with its mentions and counters), reading, editing, pinning and
//! deleting (Mattermost's `app/post.go`). Listings live in `posts::lists`.

mod lists;
mod system;

pub use lists::*;
pub(crate) use system::acting_as;
pub(crate) use system::create_auto_response;
pub use system::create_system_post;

use crate::authorization::{has_channel_permission, has_team_permission};
use crate::bus::Event;
use crate::caches::member_profiles::member_profiles;
use crate::errors::{ChannelError, PostError};
use crate::mentions::{explicit_mentions, MentionKeywords};
use crate::{App, AppResult};
use std::collections::BTreeSet;
use utmost_model::channel::{Channel, CHANNEL_DIRECT, CHANNEL_GROUP, CHANNEL_OPEN};
use utmost_model::permissions;
use utmost_model::post::{
    parse_hashtags, Post, PostMetadata, PostPatch, KNOWN_POST_TYPES, POST_CUSTOM_TYPE_PREFIX,
    POST_FILE_IDS_MAX_RUNES, POST_MESSAGE_MAX_RUNES, POST_PROPS_MAX_RUNES, PROP_FROM_WEBHOOK,
};
use utmost_model::session::Session;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::member_profiles::MemberProfile;
use utmost_store::posts::{self as store, NewPostEffects};
use utmost_store::{Deleted, StoreError};

/// `PostTypeAddToChannel` and its `addedUserId` prop (`PostPropsAddedUserId`).
pub(crate) const POST_ADD_TO_CHANNEL: &str = "system_add_to_channel";
pub(crate) const PROP_ADDED_USER_ID: &str = "addedUserId";

/// Props a client may not set; the server adds them itself.
const SERVER_ONLY_PROPS: [&str; 2] = ["add_channel_member", "force_notification"];

fn invalid_param(name: &str) -> AppError {
    AppError::invalid_param(name)
}

/// A live or deleted post by id, or 404 `app.post.get.app_error` (`GetSinglePost`).
pub async fn get_single(app: &App, post_id: &str, include_deleted: bool) -> AppResult<Post> {
    store::get(&app.store, post_id, Deleted::included_if(include_deleted))
        .await?
        .ok_or_else(|| PostError::NotFound.into())
}

/// The channel a post or request names, or 404 as `GetChannel`.
pub async fn get_channel(app: &App, channel_id: &str) -> AppResult<Channel> {
    utmost_store::channels::get(&app.store, channel_id)
        .await?
        .ok_or_else(|| ChannelError::NotFound.into())
}

/// `SessionHasPermissionToReadChannel`: `read_channel_content`, or for a public channel
/// `read_public_channel` in its team.
pub async fn can_read_channel(app: &App, session: &Session, channel: &Channel) -> AppResult<bool> {
    if has_channel_permission(app, session, &channel.id, permissions::READ_CHANNEL_CONTENT).await? {
        return Ok(true);
    }
    if channel.channel_type == CHANNEL_OPEN {
        return has_team_permission(
            app,
            session,
            &channel.team_id,
            permissions::READ_PUBLIC_CHANNEL,
        )
        .await;
    }
    Ok(false)
}

/// 403 `read_channel_content` unless the session may read the channel.
pub async fn require_read_channel(
    app: &App,
    session: &Session,
    channel: &Channel,
) -> AppResult<()> {
    if can_read_channel(app, session, channel).await? {
        Ok(())
    } else {
        Err(AppError::permission_denied(
            permissions::READ_CHANNEL_CONTENT,
        ))
    }
}

/// `GetPostIfAuthorized`: the post, 404 when missing, 403 when its channel is unreadable.
pub async fn get_if_authorized(
    app: &App,
    session: &Session,
    post_id: &str,
    include_deleted: bool,
) -> AppResult<Post> {
    let post = get_single(app, post_id, include_deleted).await?;
    let channel = get_channel(app, &post.channel_id).await?;
    require_read_channel(app, session, &channel).await?;
    Ok(post)
}

/// `PreparePostForClient`: an empty `metadata` object, and no content for deleted posts.
pub fn prepare_for_client(mut post: Post) -> Post {
    let priority = post.metadata.take().and_then(|m| m.priority);
    if post.delete_at > 0 {
        post.message = String::new();
        post.metadata = Some(PostMetadata::default());
        return post;
    }
    post.metadata = Some(PostMetadata {
        priority,
        ..PostMetadata::default()
    });
    post
}

/// `createPostChecks` and `userCreatePostPermissionCheck`: `create_post` in the channel, or
/// `create_post_public` in the team of a public channel; `upload_file` to attach files; a
/// priority only on root posts and when enabled.
pub async fn check_create(app: &App, session: &Session, post: &Post) -> AppResult<()> {
    let mut allowed =
        has_channel_permission(app, session, &post.channel_id, permissions::CREATE_POST).await?;
    if !allowed {
        if let Some(channel) = crate::caches::channels::get(app, &post.channel_id).await? {
            allowed = channel.channel_type == CHANNEL_OPEN
                && has_team_permission(
                    app,
                    session,
                    &channel.team_id,
                    permissions::CREATE_POST_PUBLIC,
                )
                .await?;
        }
    }
    if !allowed {
        return Err(AppError::permission_denied(permissions::CREATE_POST));
    }
    if !post.file_ids.is_empty()
        && !has_channel_permission(app, session, &post.channel_id, permissions::UPLOAD_FILE).await?
    {
        return Err(AppError::permission_denied(permissions::UPLOAD_FILE));
    }
    crate::post_priority::check(app, session, post)
}

/// `CreatePostAsUser`: saves a post from the session's user and returns it as clients see
/// it, with `pending_post_id` echoed. Permissions are checked by `check_create` first.
pub async fn create_as_user(app: &App, session: &Session, mut post: Post) -> AppResult<Post> {
    let channel = crate::caches::channels::get(app, &post.channel_id)
        .await?
        .ok_or_else(|| invalid_param("post.channel_id"))?;
    if post.is_system_message() {
        return Err(invalid_param("post.type"));
    }
    if channel.delete_at != 0 {
        return Err(PostError::ChannelArchived.into());
    }

    let now = now_millis();
    post.id = new_id();
    post.original_id = String::new();
    post.delete_at = 0;
    post.remote_id = None;
    if post.create_at == 0 {
        post.create_at = now;
    }
    post.update_at = post.create_at;
    for key in SERVER_ONLY_PROPS {
        post.props.remove(key);
    }
    if let Some(metadata) = post.metadata.as_mut() {
        metadata.embeds = None;
    }
    let mut post = crate::plugins::hooks::message_will_be_posted(app, post).await?;
    post.hashtags = parse_hashtags(&post.message);
    post.file_ids = dedupe(std::mem::take(&mut post.file_ids));
    crate::interactive::generate_action_ids(&mut post.props);
    if let Err(invalid) = validate(&post) {
        // Mattermost refuses a bad root before a bad post; the store checks the root of a
        // valid one as it writes.
        if !post.root_id.is_empty() {
            check_root(app, &post).await?;
        }
        return Err(invalid);
    }
    crate::files::posts::keep_attachable(app, &mut post).await?;

    let members = member_profiles(app, &channel.id).await?;
    let mark_read_for_poster = marks_read_for_poster(app, &post, &members);
    let (mut saved, mentioned, thread) = store_new_post(
        app,
        session,
        &channel,
        &post,
        &members,
        mark_read_for_poster,
    )
    .await?;
    saved.pending_post_id = std::mem::take(&mut post.pending_post_id);
    saved.metadata = post.metadata.take();
    let files = crate::files::posts::attach(app, &saved).await?;
    let mut saved = prepare_for_client(saved);
    if let (Some(metadata), false) = (saved.metadata.as_mut(), files.is_empty()) {
        metadata.files = Some(files.iter().map(crate::files::posts::to_json).collect());
    }
    let fresh = crate::link_previews::Lookup::FetchMissing;
    crate::link_previews::attach(app, std::iter::once(&mut saved), fresh).await?;
    let sender = members
        .iter()
        .find(|m| m.user_id == post.user_id)
        .map(|m| format!("@{}", m.username))
        .unwrap_or_default();
    app.publish(Event::PostCreated {
        post: saved.clone(),
        channel: Channel::clone(&channel),
        sender_name: sender,
        mentions: mentioned,
    })
    .await;
    crate::threads::publish_reply(app, &channel, &saved, thread).await?;
    Ok(saved)
}

/// Saves a new post with everything it moves (channel totals, thread and its memberships,
/// the mentioned members' counters, optionally the poster's read state) and returns it as
/// stored. Returns the post and the members it mentions; `poster` is whose permissions
/// decide whether channel-wide mentions count. The reply's thread news is for
/// `threads::publish_reply` once the post itself has been published.
async fn store_new_post(
    app: &App,
    poster: &Session,
    channel: &Channel,
    post: &Post,
    members: &[MemberProfile],
    mark_read_for_poster: bool,
) -> AppResult<(Post, Vec<String>, crate::threads::ReplyNews)> {
    let mentioned = mentioned_users(app, poster, channel, post, members).await?;
    let notified = if post.root_id.is_empty() || channel.channel_type == CHANNEL_DIRECT {
        Vec::new()
    } else {
        reply_notification_users(app, post, members).await?
    };
    let named_in_root = root_mentions(app, poster, channel, post, members).await?;
    let thread = crate::threads::reply_following(
        app,
        channel,
        post,
        members,
        &mentioned,
        notified.iter().chain(&named_in_root),
    );
    let mut counted = mentioned.clone();
    counted.extend(notified);
    if post.prop_str(PROP_FROM_WEBHOOK) != Some("true") {
        counted.remove(&post.user_id);
    }
    let effects = NewPostEffects {
        team_id: channel.team_id.clone(),
        mentioned: counted.into_iter().collect(),
        mark_read_for_poster,
        thread,
    };
    let created = match store::create(&app.store, post, &effects).await {
        Err(StoreError::NotFound(_)) if !post.root_id.is_empty() => {
            return Err(root_refusal(app, post).await)
        }
        created => created?,
    };
    if created.thread.as_ref().is_some_and(|t| t.urgent) {
        // A reply by a member the urgent root names stops its persistent notifications;
        // only urgent roots have any, so other replies cost no read.
        let resolved =
            crate::notifications::persistent::resolve(app, &post.root_id, &post.user_id).await;
        if let Err(e) = resolved {
            tracing::warn!(post_id = %post.root_id, error = %e, "persistent notifications not resolved");
        }
    }
    let saved = as_stored(post, created.reply_count);
    let news = crate::threads::ReplyNews { mentioned, created };
    Ok((saved, effects.mentioned, news))
}

/// A new post as reading it back would return it: its stored columns and its thread's
/// reply count. Saves the round trip.
fn as_stored(post: &Post, reply_count: i64) -> Post {
    Post {
        pending_post_id: String::new(),
        reply_count,
        last_reply_at: 0,
        participants: None,
        is_following: None,
        metadata: None,
        ..post.clone()
    }
}

/// Why the store refused a reply's root, in Mattermost's words.
async fn root_refusal(app: &App, post: &Post) -> AppError {
    match check_root(app, post).await {
        Err(refusal) => refusal,
        // The root changed between the write and this read.
        Ok(()) => PostError::InvalidRootId.into(),
    }
}

/// A reply's root must be a live root post of the same channel.
async fn check_root(app: &App, post: &Post) -> AppResult<()> {
    let root = store::get(&app.store, &post.root_id, Deleted::Exclude)
        .await?
        .ok_or(PostError::InvalidRootId)?;
    if root.channel_id != post.channel_id {
        return Err(PostError::RootInOtherChannel.into());
    }
    if !root.root_id.is_empty() {
        return Err(PostError::InvalidRootId.into());
    }
    Ok(())
}

/// `RemoveDuplicateStrings`: keeps the first of each id, in order.
fn dedupe(ids: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// The checks of `Post.IsValid` a client's input can fail.
pub fn validate(post: &Post) -> AppResult<()> {
    let length = post.message.chars().count();
    if length > POST_MESSAGE_MAX_RUNES {
        return Err(PostError::MessageTooLong(length).into());
    }
    let known_type = post.post_type.is_empty()
        || KNOWN_POST_TYPES.contains(&post.post_type.as_str())
        || post.post_type.starts_with(POST_CUSTOM_TYPE_PREFIX);
    if !known_type {
        return Err(PostError::InvalidType.into());
    }
    if json_runes(&post.file_ids) > POST_FILE_IDS_MAX_RUNES {
        return Err(PostError::InvalidFileIds.into());
    }
    if json_runes(&post.props) > POST_PROPS_MAX_RUNES {
        return Err(PostError::InvalidProps.into());
    }
    Ok(())
}

/// Length in characters of a value's JSON text, as Mattermost measures stored JSON.
fn json_runes<T: serde::Serialize>(value: &T) -> usize {
    serde_json::to_string(value).map_or(0, |s| s.chars().count())
}

/// `IsCRTEnabledForUser`: the server setting, then the user's preference.
pub(crate) fn collapsed_threads_for(app: &App, preference: Option<&str>) -> bool {
    match app.config().service_settings.collapsed_threads.as_str() {
        "disabled" => false,
        "always_on" => true,
        default => match preference {
            Some(value) => value == "on",
            None => default == "default_on",
        },
    }
}

/// Mattermost marks the channel read for the poster, except for webhook and bot posts and
/// replies of a collapsed-threads user.
fn marks_read_for_poster(app: &App, post: &Post, members: &[MemberProfile]) -> bool {
    let poster_pref = members
        .iter()
        .find(|m| m.user_id == post.user_id)
        .and_then(|m| m.collapsed_threads.as_deref());
    let crt_reply = !post.root_id.is_empty() && collapsed_threads_for(app, poster_pref);
    !post.props.contains_key(PROP_FROM_WEBHOOK)
        && !post.props.contains_key("from_bot")
        && !crt_reply
}

/// Everyone the post mentions (`getExplicitMentionsAndKeywords`): the other member of a
/// DM, every member of a GM, the members the message names (by username, mention keys,
/// first name, or channel-wide when allowed). Never the poster. (Under classic threads the
/// thread's posters who asked for reply notifications count as mentioned too:
/// `reply_notification_users`.)
pub(crate) async fn mentioned_users(
    app: &App,
    session: &Session,
    channel: &Channel,
    post: &Post,
    members: &[MemberProfile],
) -> AppResult<BTreeSet<String>> {
    let from_webhook = post.prop_str(PROP_FROM_WEBHOOK) == Some("true");
    let mut mentioned = BTreeSet::new();
    if channel.channel_type == CHANNEL_DIRECT {
        mentioned.extend(members.iter().map(|m| m.user_id.clone()));
    } else {
        let allow_channel_mentions = members.len() < max_notifications(app)
            && !matches!(
                post.post_type.as_str(),
                "system_header_change" | "system_purpose_change"
            )
            && has_channel_permission(app, session, &channel.id, permissions::USE_CHANNEL_MENTIONS)
                .await?;
        let fields = mention_enabled_fields(post);
        // Presence only matters to `@here`; a message without it needs no status lookups.
        let says_here = fields.iter().any(|t| t.to_lowercase().contains("@here"));
        let mut keywords = MentionKeywords::default();
        for member in members {
            let online = says_here && crate::status::is_online(app, &member.user_id);
            keywords.add_user(member, online, allow_channel_mentions);
        }
        let mut other_names = Vec::new();
        for text in fields {
            let found = explicit_mentions(text, &keywords);
            mentioned.extend(found.user_ids);
            other_names.extend(found.other_potential);
        }
        mentioned.extend(group_mentions(app, session, channel, post, &other_names, members).await?);
        if channel.channel_type == CHANNEL_GROUP {
            mentioned.extend(members.iter().map(|m| m.user_id.clone()));
        }
        // Someone added to a channel is mentioned by the message saying so.
        if post.post_type == POST_ADD_TO_CHANNEL {
            let added = post.prop_str(PROP_ADDED_USER_ID);
            mentioned.extend(
                members
                    .iter()
                    .filter(|m| Some(m.user_id.as_str()) == added)
                    .map(|m| m.user_id.clone()),
            );
        }
    }
    if !from_webhook {
        mentioned.remove(&post.user_id);
    }
    Ok(mentioned)
}

/// The members an `@group` mention names (`groups::mentions`), when the poster may use group
/// mentions in the channel; no query runs for a message that names no one unknown.
async fn group_mentions(
    app: &App,
    session: &Session,
    channel: &Channel,
    post: &Post,
    names: &[String],
    members: &[MemberProfile],
) -> AppResult<BTreeSet<String>> {
    if names.is_empty()
        || matches!(
            post.post_type.as_str(),
            "system_header_change" | "system_purpose_change"
        )
        || !has_channel_permission(app, session, &channel.id, permissions::USE_GROUP_MENTIONS)
            .await?
    {
        return Ok(BTreeSet::new());
    }
    crate::groups::mentions::members_named(app, channel, names, members.len()).await
}

fn max_notifications(app: &App) -> usize {
    usize::try_from(app.config().team_settings.max_notifications_per_channel).unwrap_or(0)
}

/// The members a reply's root post mentions: with `ThreadAutoFollow`, each reply makes them
/// follow the thread unless they unfollowed it (Mattermost's `rootMentions`; not in a DM).
async fn root_mentions(
    app: &App,
    poster: &Session,
    channel: &Channel,
    post: &Post,
    members: &[MemberProfile],
) -> AppResult<BTreeSet<String>> {
    if post.root_id.is_empty()
        || channel.channel_type == CHANNEL_DIRECT
        || !app.config().service_settings.thread_auto_follow
    {
        return Ok(BTreeSet::new());
    }
    match store::get(&app.store, &post.root_id, Deleted::Exclude).await? {
        Some(root) => mentioned_users(app, poster, channel, &root, members).await,
        None => Ok(BTreeSet::new()), // the write refuses the reply
    }
}

/// The message and the Slack-attachment texts (`getMentionsEnabledFields`).
pub(crate) fn mention_enabled_fields(post: &Post) -> Vec<&str> {
    let mut fields = vec![post.message.as_str()];
    let attachments = post.props.get("attachments").and_then(|a| a.as_array());
    for attachment in attachments.into_iter().flatten() {
        for key in ["pretext", "text"] {
            if let Some(text) = attachment.get(key).and_then(|v| v.as_str()) {
                fields.push(text);
            }
        }
        let values = attachment.get("fields").and_then(|f| f.as_array());
        fields.extend(
            values
                .into_iter()
                .flatten()
                .filter_map(|f| f.get("value").and_then(|v| v.as_str())),
        );
    }
    fields.retain(|f| !f.is_empty());
    fields
}

/// Classic-threads users who posted in the thread and want notifications of replies
/// (`comments` = `any`, or `root` for the thread's author). The thread is read only when
/// some member asks for them.
async fn reply_notification_users(
    app: &App,
    post: &Post,
    members: &[MemberProfile],
) -> AppResult<Vec<String>> {
    let asking: Vec<(&MemberProfile, &str)> = members
        .iter()
        .filter(|m| !collapsed_threads_for(app, m.collapsed_threads.as_deref()))
        .filter_map(|m| {
            let wants = m.notify_props.get("comments").map(String::as_str)?;
            matches!(wants, "any" | "root").then_some((m, wants))
        })
        .collect();
    if asking.is_empty() {
        return Ok(Vec::new());
    }
    let (thread, _) = store::thread(&app.store, &post.root_id, &Default::default()).await?;
    let mut users = Vec::new();
    for (member, wants) in asking {
        let posted_root = thread
            .iter()
            .any(|p| p.id == post.root_id && p.user_id == member.user_id);
        let replied = thread.iter().any(|p| p.user_id == member.user_id);
        if (wants == "any" && replied) || (wants == "root" && posted_root) {
            users.push(member.user_id.clone());
        }
    }
    Ok(users)
}

/// What an edit may change, as `PUT /posts/{id}` sends it: `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct PostUpdate {
    pub message: String,
    pub is_pinned: bool,
    pub has_reactions: bool,
    pub file_ids: Option<Vec<String>>,
    pub props: Option<utmost_model::post::PostProps>,
}

/// `UpdatePost` (unsafe mode): replaces message, pin, reactions flag, files and props.
pub async fn update(app: &App, post_id: &str, input: PostUpdate) -> AppResult<Post> {
    let old = get_single(app, post_id, false).await?;
    let mut new = old.clone();
    new.is_pinned = input.is_pinned;
    new.has_reactions = input.has_reactions;
    new.message = input.message;
    if let Some(file_ids) = input.file_ids {
        new.file_ids = file_ids;
    }
    if let Some(props) = input.props {
        new.props = props;
    }
    save_edit(app, old, new).await
}

/// `PatchPost`: applies the keys the patch carries.
pub async fn patch(app: &App, post_id: &str, patch: PostPatch) -> AppResult<Post> {
    let old = get_single(app, post_id, false).await?;
    let channel = get_channel(app, &old.channel_id).await?;
    if channel.delete_at != 0 {
        return Err(PostError::PatchInArchived.into());
    }
    let mut new = old.clone();
    patch.apply_to(&mut new);
    save_edit(app, old, new).await
}

/// The shared half of update and patch: refuses system messages, posts of archived
/// channels and late edits; stamps `edit_at` when the content changed; keeps history.
async fn save_edit(app: &App, old: Post, mut new: Post) -> AppResult<Post> {
    if old.is_system_message() {
        return Err(PostError::UpdateSystemMessage.into());
    }
    if new.message != old.message {
        check_edit_time_limit(app, &old)?;
    }
    let channel = get_channel(app, &old.channel_id).await?;
    if channel.delete_at != 0 {
        return Err(PostError::UpdateInArchived.into());
    }
    let now = now_millis();
    new.file_ids = dedupe(std::mem::take(&mut new.file_ids));
    for key in SERVER_ONLY_PROPS {
        new.props.remove(key);
    }
    crate::interactive::generate_action_ids(&mut new.props);
    if new.message != old.message {
        new.edit_at = now;
        new.hashtags = parse_hashtags(&new.message);
    } else if new.file_ids != old.file_ids {
        new.edit_at = now;
    }
    new.update_at = now;
    validate(&new)?;
    store::update(&app.store, &new, &old, &new_id()).await?;
    new.is_following = None;
    let new = crate::reactions::prepare_post(app, new).await?;
    let mut new = new;
    let fresh = crate::link_previews::Lookup::FetchMissing;
    crate::link_previews::attach(app, std::iter::once(&mut new), fresh).await?;
    app.publish(Event::PostEdited { post: new.clone() }).await;
    Ok(new)
}

/// `ServiceSettings.PostEditTimeLimit` (seconds, -1 = unlimited) on message changes.
pub fn check_edit_time_limit(app: &App, post: &Post) -> AppResult<()> {
    let limit = app.config().service_settings.post_edit_time_limit;
    if limit != -1 && now_millis() > post.create_at + limit * 1000 {
        return Err(PostError::EditTimeLimit(limit).into());
    }
    Ok(())
}

/// `DeletePost`: soft-deletes the post and its replies.
pub async fn delete(app: &App, post_id: &str, deleted_by: &str) -> AppResult<()> {
    let post = get_single(app, post_id, false).await?;
    let channel = get_channel(app, &post.channel_id).await?;
    if channel.delete_at != 0 {
        return Err(PostError::DeleteInArchived.into());
    }
    let now = now_millis();
    store::delete(&app.store, post_id, now, deleted_by)
        .await
        .map_err(|e| match e {
            utmost_store::StoreError::NotFound(_) => AppError::from(PostError::DeleteNotFound),
            other => other.into(),
        })?;
    crate::files::posts::delete_with_post(app, post_id, now).await;
    let deleted = Post {
        delete_at: now,
        update_at: now,
        ..post
    };
    app.publish(Event::PostDeleted {
        post: prepare_for_client(deleted.clone()),
        deleted_by: deleted_by.to_string(),
    })
    .await;
    crate::threads::forget_reply_mentions(app, &channel, &deleted).await
}

/// Pins or unpins a post the session can read (`saveIsPinnedPost`).
pub async fn set_pinned(
    app: &App,
    session: &Session,
    post_id: &str,
    pinned: bool,
) -> AppResult<()> {
    let post = get_single(app, post_id, false)
        .await
        .map_err(|_| AppError::permission_denied(permissions::READ_CHANNEL_CONTENT))?;
    let channel = get_channel(app, &post.channel_id).await?;
    require_read_channel(app, session, &channel).await?;
    patch(
        app,
        post_id,
        PostPatch {
            is_pinned: Some(pinned),
            ..PostPatch::default()
        },
    )
    .await?;
    Ok(())
}

/// The posts whose channels the session may read (each channel checked once), ready for the
/// client.
pub(crate) async fn readable_by(
    app: &App,
    session: &Session,
    posts: Vec<Post>,
) -> AppResult<Vec<Post>> {
    let mut readable = std::collections::BTreeMap::new();
    let mut visible = Vec::with_capacity(posts.len());
    for post in posts {
        let allowed = match readable.get(&post.channel_id) {
            Some(allowed) => *allowed,
            None => {
                let allowed = match crate::caches::channels::get(app, &post.channel_id).await? {
                    Some(channel) => can_read_channel(app, session, &channel).await?,
                    None => false,
                };
                readable.insert(post.channel_id.clone(), allowed);
                allowed
            }
        };
        if allowed {
            visible.push(prepare_for_client(post));
        }
    }
    Ok(visible)
}

/// `POST /posts/ids`: the posts (deleted ones too) whose channels the session may read.
pub async fn get_by_ids(app: &App, session: &Session, ids: &[String]) -> AppResult<Vec<Post>> {
    let posts = store::get_by_ids(&app.store, ids).await?;
    if posts.is_empty() {
        return Err(PostError::NotFound.into());
    }
    let mut visible = readable_by(app, session, posts).await?;
    add_metadata(app, visible.iter_mut()).await?;
    Ok(visible)
}

/// What `PreparePostForClient` adds to stored posts besides their columns: reactions, files,
/// priority and acknowledgements, and the link previews already saved (a read never fetches).
/// One query per kind for all the posts.
pub(crate) async fn add_metadata<'a>(
    app: &App,
    posts: impl Iterator<Item = &'a mut Post>,
) -> AppResult<()> {
    let mut posts: Vec<&mut Post> = posts.collect();
    crate::reactions::add_reactions(app, posts.iter_mut().map(|p| &mut **p)).await?;
    crate::files::posts::add_file_metadata(app, posts.iter_mut().map(|p| &mut **p)).await?;
    crate::post_priority::add_priority_metadata(app, posts.iter_mut().map(|p| &mut **p)).await?;
    crate::link_previews::attach(
        app,
        posts.iter_mut().map(|p| &mut **p),
        crate::link_previews::Lookup::Saved,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleted_posts_lose_their_content() {
        let post = prepare_for_client(Post {
            message: "secret".into(),
            delete_at: 5,
            ..Post::default()
        });
        assert_eq!(post.message, "");
        assert_eq!(post.metadata, Some(PostMetadata::default()));
    }

    #[test]
    fn validation_matches_is_valid() {
        let long = Post {
            message: "é".repeat(POST_MESSAGE_MAX_RUNES + 1),
            ..Post::default()
        };
        assert_eq!(
            validate(&long).unwrap_err().id,
            "model.post.is_valid.message_length.app_error"
        );
        let exact = Post {
            message: "é".repeat(POST_MESSAGE_MAX_RUNES),
            ..Post::default()
        };
        assert!(validate(&exact).is_ok());
        let bad_type = Post {
            post_type: "nonsense".into(),
            ..Post::default()
        };
        assert_eq!(
            validate(&bad_type).unwrap_err().id,
            "model.post.is_valid.type.app_error"
        );
        let custom = Post {
            post_type: "custom_poll".into(),
            ..Post::default()
        };
        assert!(validate(&custom).is_ok());
        let files = Post {
            file_ids: (0..11).map(|_| new_id()).collect(),
            ..Post::default()
        };
        assert_eq!(
            validate(&files).unwrap_err().id,
            "model.post.is_valid.file_ids.app_error"
        );
    }

    #[test]
    fn attachment_texts_are_scanned_for_mentions() {
        let post: Post = serde_json::from_value(serde_json::json!({
            "message": "hi",
            "props": {"attachments": [{"pretext": "p", "text": "t", "fields": [{"value": "v"}, {"value": 3}]}]}
        }))
        .unwrap();
        assert_eq!(mention_enabled_fields(&post), ["hi", "p", "t", "v"]);
    }
}

//! Collapsed reply threads: who follows a thread when a reply lands, a user's threads and
//! their read state (Mattermost's `app/thread.go`, the thread routes' half of `app/user.go`
//! and the CRT half of `SendNotifications`).

use crate::bus::Event;
use crate::caches::member_profiles::member_profiles;
use crate::errors::ThreadError;
use crate::mentions::{explicit_mentions, MentionKeywords};
use crate::posts::collapsed_threads_for;
use crate::users::{sanitize_as, Viewer};
use crate::{App, AppResult};
use std::collections::{BTreeMap, BTreeSet};
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::now_millis;
use utmost_model::post::{Post, PostMetadata};
use utmost_model::thread::{ThreadResponse, Threads};
use utmost_model::user::User;
use utmost_store::member_profiles::MemberProfile;
use utmost_store::posts::Created;
use utmost_store::threads::{self as store, ReplyFollowing, ThreadFilter, ThreadPage, UserThread};
use utmost_store::unreads::UnreadPost;

/// `PerPageMaximum`: the most threads one page returns.
pub const MAX_PER_PAGE: i64 = 200;

/// The channel notify prop by which a member follows every thread of the channel.
const AUTO_FOLLOW_PROP: &str = "channel_auto_follow_threads";

/// One follower's `thread_updated`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ThreadUpdate {
    pub user_id: String,
    pub thread: ThreadResponse,
    pub previous_unread_replies: i64,
    pub previous_unread_mentions: i64,
}

/// A thread's read state after a user read it (`thread_read_changed`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ThreadReadChange {
    pub thread_id: String,
    pub channel_id: String,
    pub timestamp: i64,
    pub unread_replies: i64,
    pub unread_mentions: i64,
    pub previous_unread_replies: i64,
    pub previous_unread_mentions: i64,
}

fn member<'a>(members: &'a [MemberProfile], user_id: &str) -> Option<&'a MemberProfile> {
    members.iter().find(|m| m.user_id == user_id)
}

/// `IsCRTEnabledForUser` for a channel member.
fn uses_collapsed_threads(app: &App, members: &[MemberProfile], user_id: &str) -> bool {
    collapsed_threads_for(
        app,
        member(members, user_id).and_then(|m| m.collapsed_threads.as_deref()),
    )
}

/// How reply `post` moves its thread's memberships, or None for a root post: the replier,
/// the root's author (the store adds them), the members who auto-follow the channel's
/// threads, and the `notified` (classic-threads users notified of the reply, members the root
/// mentions) follow it unless they unfollowed it; the `mentioned` follow it anyway, with one more unread mention.
pub(crate) fn reply_following<'a>(
    app: &App,
    channel: &Channel,
    post: &Post,
    members: &[MemberProfile],
    mentioned: &BTreeSet<String>,
    notified: impl IntoIterator<Item = &'a String>,
) -> Option<ReplyFollowing> {
    if post.root_id.is_empty() {
        return None;
    }
    let settings = &app.config().service_settings;
    let mut participants: BTreeSet<String> = notified.into_iter().cloned().collect();
    if channel.channel_type != CHANNEL_DIRECT {
        participants.extend(
            members
                .iter()
                .filter(|m| {
                    m.channel_notify_props
                        .get(AUTO_FOLLOW_PROP)
                        .map(String::as_str)
                        == Some("on")
                })
                .map(|m| m.user_id.clone()),
        );
    }
    Some(ReplyFollowing {
        auto_follow: settings.thread_auto_follow,
        participants: participants.into_iter().collect(),
        mentioned: mentioned.iter().cloned().collect(),
        read_followers: settings.collapsed_threads != "disabled",
    })
}

/// What saving a post learnt that its thread's followers are told.
#[derive(Debug)]
pub(crate) struct ReplyNews {
    /// The members the post mentions explicitly.
    pub mentioned: BTreeSet<String>,
    pub created: Created,
}

/// After a reply's `posted`: each follower who uses collapsed threads hears `thread_updated`
/// with the thread as they now see it (nothing for a root post).
pub(crate) async fn publish_reply(
    app: &App,
    channel: &Channel,
    reply: &Post,
    news: ReplyNews,
) -> AppResult<()> {
    let ReplyNews { mentioned, created } = news;
    let Some(thread) = created.thread else {
        return Ok(());
    };
    if created.followers.is_empty() {
        return Ok(());
    }
    let members = member_profiles(app, &channel.id).await?;
    let participants = profiles(app, &thread.participants, Extended::Yes).await?;
    let mut root = thread.root.clone();
    add_root_files(app, std::iter::once(&mut root)).await?;
    let mut updates = Vec::new();
    for follower in created.followers {
        if !uses_collapsed_threads(app, &members, &follower.user_id) {
            continue;
        }
        // A thread the reply made them follow had nothing unread for them before.
        let followed_before = thread.followers_before.contains(&follower.user_id);
        let was_mentioned = i64::from(mentioned.contains(&follower.user_id));
        let previous_unread_mentions = if followed_before {
            (follower.unread_mentions - was_mentioned).max(0)
        } else {
            0
        };
        let previous_unread_replies = if followed_before && follower.user_id != reply.user_id {
            (follower.unread_replies - 1).max(0)
        } else {
            0
        };
        updates.push(ThreadUpdate {
            thread: ThreadResponse {
                id: thread.root.id.clone(),
                reply_count: thread.root.reply_count,
                last_reply_at: thread.last_reply_at,
                last_viewed_at: follower.last_viewed,
                participants: participants.clone(),
                post: root.clone(),
                unread_replies: follower.unread_replies,
                unread_mentions: follower.unread_mentions,
                is_urgent: thread.urgent,
                delete_at: 0,
            },
            user_id: follower.user_id,
            previous_unread_replies,
            previous_unread_mentions,
        });
    }
    if !updates.is_empty() {
        app.publish(Event::ThreadUpdated {
            team_id: channel.team_id.clone(),
            updates,
        })
        .await;
    }
    Ok(())
}

/// `RemoveNotifications`: a deleted reply's mentions stop counting for the mentioned who had
/// not read past it, and each of them hears `thread_updated` (previous values 0, as
/// Mattermost sends them).
pub(crate) async fn forget_reply_mentions(
    app: &App,
    channel: &Channel,
    reply: &Post,
) -> AppResult<()> {
    if reply.root_id.is_empty() || app.config().service_settings.collapsed_threads == "disabled" {
        return Ok(());
    }
    let Some(author) = crate::caches::users::get(app, &reply.user_id).await? else {
        return Ok(());
    };
    let members = member_profiles(app, &channel.id).await?;
    let as_author = crate::posts::acting_as(&author);
    let mentioned =
        crate::posts::mentioned_users(app, &as_author, channel, reply, &members).await?;
    let mentioned: Vec<String> = mentioned.into_iter().collect();
    let lowered =
        store::forget_mention(&app.store, &reply.root_id, reply.create_at, &mentioned).await?;
    let mut updates = Vec::new();
    for user_id in lowered {
        if let Some(thread) = store::for_user_one(&app.store, &user_id, &reply.root_id).await? {
            updates.push(ThreadUpdate {
                thread: single_response(app, thread, Extended::Yes).await?,
                user_id,
                previous_unread_replies: 0,
                previous_unread_mentions: 0,
            });
        }
    }
    if !updates.is_empty() {
        app.publish(Event::ThreadUpdated {
            team_id: channel.team_id.clone(),
            updates,
        })
        .await;
    }
    Ok(())
}

/// Whether participants come as full profiles or as ids only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extended {
    Yes,
    No,
}

/// The participants as users: sanitised profiles from the cache (`SanitizeProfiles` for
/// no admin), or users carrying only their id. Users gone from the database are left out.
async fn profiles(app: &App, ids: &[String], extended: Extended) -> AppResult<Vec<User>> {
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        match extended {
            Extended::No => users.push(User {
                id: id.clone(),
                ..User::default()
            }),
            Extended::Yes => {
                if let Some(user) = crate::caches::users::get(app, id).await? {
                    users.push(sanitize_as(app, User::clone(&user), Viewer::Other));
                }
            }
        }
    }
    Ok(users)
}

/// `metadata.files` of thread roots, as posts carry it: one query for a page of threads,
/// none when no root has files.
async fn add_root_files<'a>(app: &App, roots: impl Iterator<Item = &'a mut Post>) -> AppResult<()> {
    let mut with_files: Vec<&mut Post> = roots.filter(|p| !p.file_ids.is_empty()).collect();
    for root in &mut with_files {
        root.metadata.get_or_insert_with(PostMetadata::default);
    }
    crate::files::posts::add_file_metadata(app, with_files.into_iter()).await
}

/// One thread as the API answers it, its root with its files.
async fn single_response(
    app: &App,
    thread: UserThread,
    extended: Extended,
) -> AppResult<ThreadResponse> {
    let mut thread = response(app, thread, extended).await?;
    add_root_files(app, std::iter::once(&mut thread.post)).await?;
    Ok(thread)
}

/// One thread as the API answers it; the caller adds its root's files.
async fn response(app: &App, thread: UserThread, extended: Extended) -> AppResult<ThreadResponse> {
    let participants = profiles(app, &thread.participants, extended).await?;
    Ok(ThreadResponse {
        id: thread.post.id.clone(),
        reply_count: thread.reply_count,
        last_reply_at: thread.last_reply_at,
        last_viewed_at: thread.last_viewed,
        participants,
        is_urgent: thread.urgent,
        post: Post {
            reply_count: thread.reply_count,
            ..thread.post
        },
        unread_replies: thread.unread_replies,
        unread_mentions: thread.unread_mentions,
        delete_at: thread.delete_at,
    })
}

/// `GET /users/{user_id}/teams/{team_id}/threads`'s options (`model.GetUserThreadsOpts`).
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    pub since: i64,
    pub before: String,
    pub after: String,
    pub per_page: i64,
    pub unread: bool,
    pub deleted: bool,
    pub extended: bool,
    pub totals_only: bool,
    pub threads_only: bool,
    pub exclude_direct: bool,
}

/// `GetThreadsForUser`: one page of the threads the user follows in the team (DMs and GMs
/// too unless excluded), in channels they are still a member of, and the totals.
pub async fn for_user(
    app: &App,
    user_id: &str,
    team_id: &str,
    q: &ThreadQuery,
) -> AppResult<Threads> {
    if !q.before.is_empty() && !q.after.is_empty() {
        return Err(ThreadError::BeforeAndAfter.into());
    }
    if q.totals_only && q.threads_only {
        return Err(ThreadError::TotalsAndThreadsOnly.into());
    }
    let filter = ThreadFilter {
        user_id,
        team_id,
        exclude_direct: q.exclude_direct,
        deleted: q.deleted,
    };
    let mut result = Threads::default();
    if !q.threads_only {
        let totals = store::totals(&app.store, &filter).await?;
        // `unread` is a legacy flag that makes the total count unread threads only.
        result.total = if q.unread {
            totals.unread_threads
        } else {
            totals.total
        };
        result.total_unread_threads = totals.unread_threads;
        result.total_unread_mentions = totals.unread_mentions;
        result.total_unread_urgent_mentions = totals.unread_urgent_mentions;
    }
    if !q.totals_only {
        let page = ThreadPage {
            since: q.since,
            before: &q.before,
            after: &q.after,
            unread_only: q.unread,
            per_page: q.per_page.clamp(0, MAX_PER_PAGE),
        };
        let extended = if q.extended {
            Extended::Yes
        } else {
            Extended::No
        };
        for thread in store::for_user(&app.store, &filter, &page).await? {
            result.threads.push(response(app, thread, extended).await?);
        }
        add_root_files(app, result.threads.iter_mut().map(|t| &mut t.post)).await?;
    }
    Ok(result)
}

/// `GetThreadMembershipForUser` then `GetThreadForUser`: 404 without a membership (or out
/// of the channel), 404 when not followed.
pub async fn get_for_user(
    app: &App,
    user_id: &str,
    root_id: &str,
    extended: bool,
) -> AppResult<ThreadResponse> {
    let thread = store::for_user_one(&app.store, user_id, root_id)
        .await?
        .ok_or(ThreadError::MembershipNotFound)?;
    if !thread.following {
        return Err(ThreadError::NotFollowed.into());
    }
    let extended = if extended {
        Extended::Yes
    } else {
        Extended::No
    };
    single_response(app, thread, extended).await
}

/// `UpdateThreadFollowForUser`: following also marks the thread read. Publishes
/// `ThreadFollowChanged`.
pub async fn set_following(
    app: &App,
    user_id: &str,
    team_id: &str,
    root_id: &str,
    following: bool,
) -> AppResult<()> {
    let reply_count =
        store::set_following(&app.store, user_id, root_id, following, now_millis()).await?;
    app.publish(Event::ThreadFollowChanged {
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
        thread_id: root_id.to_string(),
        following,
        reply_count,
    })
    .await;
    Ok(())
}

/// `UpdateThreadReadForUser`: the user follows the thread and has read it up to
/// `timestamp`; their unread mentions are recounted from the replies after it
/// (`countThreadMentions`: those by others that mention them, every one of them in a DM).
/// The root must be a live post of a channel the user is a member of.
pub async fn mark_read(
    app: &App,
    user_id: &str,
    team_id: &str,
    root_id: &str,
    timestamp: i64,
) -> AppResult<ThreadResponse> {
    let root = crate::posts::get_single(app, root_id, false).await?;
    let channel = crate::posts::get_channel(app, &root.channel_id).await?;
    let members = member_profiles(app, &channel.id).await?;
    let me = member(&members, user_id).ok_or(ThreadError::MembershipNotFound)?;
    let before = store::for_user_one(&app.store, user_id, root_id).await?;
    let mut keywords = MentionKeywords::default();
    keywords.add_user(me, crate::status::is_online(app, user_id), true);
    let count_mentions = |replies: &[UnreadPost]| {
        let mentioned = replies
            .iter()
            .filter(|r| r.userid != user_id)
            .filter(|r| {
                channel.channel_type == CHANNEL_DIRECT
                    || explicit_mentions(&r.message, &keywords)
                        .user_ids
                        .contains(user_id)
            })
            .count();
        i64::try_from(mentioned).unwrap_or(i64::MAX)
    };
    store::mark_read(
        &app.store,
        user_id,
        root_id,
        timestamp,
        now_millis(),
        &count_mentions,
    )
    .await?;
    // A root without replies has no thread to return (404 as in Mattermost).
    let thread = store::for_user_one(&app.store, user_id, root_id)
        .await?
        .ok_or(ThreadError::NotFollowed)?;
    let thread = single_response(app, thread, Extended::No).await?;
    let (previous_unread_replies, previous_unread_mentions) = before
        .filter(|t| t.following)
        .map_or((0, 0), |t| (t.unread_replies, t.unread_mentions));
    app.publish(Event::ThreadRead {
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
        read: ThreadReadChange {
            thread_id: root_id.to_string(),
            channel_id: channel.id.clone(),
            timestamp,
            unread_replies: thread.unread_replies,
            unread_mentions: thread.unread_mentions,
            previous_unread_replies,
            previous_unread_mentions,
        },
    })
    .await;
    Ok(thread)
}

/// `UpdateThreadReadForUserByPost`: the thread becomes unread from `post_id` (its root or
/// one of its replies), 400 for a post of another thread.
pub async fn set_unread_from_post(
    app: &App,
    user_id: &str,
    team_id: &str,
    root_id: &str,
    post_id: &str,
) -> AppResult<ThreadResponse> {
    let post = crate::posts::get_single(app, post_id, false).await?;
    if post.root_id != root_id && post_id != root_id {
        return Err(ThreadError::PostNotInThread.into());
    }
    mark_read(app, user_id, team_id, root_id, post.create_at - 1).await
}

/// `UpdateThreadsReadForUser`: every thread of the team and every DM and GM thread read now.
pub async fn mark_all_read(app: &App, user_id: &str, team_id: &str) -> AppResult<()> {
    store::mark_all_read(&app.store, user_id, team_id, now_millis()).await?;
    app.publish(Event::ThreadsRead {
        user_id: user_id.to_string(),
        team_id: team_id.to_string(),
    })
    .await;
    Ok(())
}

/// Thread unread counts per team for `GetTeamsUnreadForUser` under collapsed threads, by
/// team id.
pub async fn team_unreads(
    app: &App,
    user_id: &str,
) -> AppResult<BTreeMap<String, store::TeamThreadUnread>> {
    Ok(store::team_unreads(&app.store, user_id)
        .await?
        .into_iter()
        .map(|t| (t.team_id.clone(), t))
        .collect())
}

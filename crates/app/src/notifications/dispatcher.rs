//! `Notifier`, the bus subscriber that turns a new post into notifications: one decision
//! per member (`decide`), the pushes queued for the `push` service, the email recipients
//! handed to `email::post_notices` (written to the outbox or the digest), and the automatic reply. Reading a channel queues a `clear` push.
//!
//! It runs in the poster's request, so it stays cheap: the members and their settings come
//! from `caches::member_profiles`, statuses from the status cache, and only the members a
//! post can notify (mentioned, following the thread, or asking for every push) are decided
//! on. A reply under collapsed threads reads its thread's followers (one query).

use super::decide::{self, ChannelKind, Mention, PostFacts, Recipient, Switches};
use super::push::PushJob;
use super::{auto_reply, persistent};
use crate::bus::{BoxFuture, Event, Subscriber};
use crate::caches::member_profiles::member_profiles;
use crate::mentions::{accepts_channel_mentions, explicit_mentions, MentionKeywords};
use crate::posts::{collapsed_threads_for, mention_enabled_fields};
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_model::channel::{Channel, CHANNEL_DIRECT, CHANNEL_GROUP};
use utmost_model::now_millis;
use utmost_model::post::{Post, PROP_FROM_WEBHOOK};
use utmost_store::member_profiles::MemberProfile;
use utmost_store::Deleted;

/// `PostTypeAddToChannel` and its `addedUserId` prop: the added user counts as named.
const POST_ADD_TO_CHANNEL: &str = "system_add_to_channel";
const PROP_ADDED_USER_ID: &str = "addedUserId";

pub struct Notifier;

impl Subscriber for Notifier {
    fn name(&self) -> &'static str {
        "notifications"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let outcome = match event {
                Event::PostCreated {
                    post,
                    channel,
                    sender_name,
                    mentions,
                } => notify(app, post, channel, sender_name, mentions).await,
                Event::ReactionAdded { reaction } => {
                    persistent::resolve(app, &reaction.post_id, &reaction.user_id).await
                }
                Event::AcknowledgementAdded {
                    acknowledgement, ..
                } => {
                    persistent::resolve(app, &acknowledgement.post_id, &acknowledgement.user_id)
                        .await
                }
                Event::PostDeleted { post, .. } => persistent::end_for_deleted(app, &post.id).await,
                Event::ChannelsViewed { user_id, times } => {
                    clear_on_read(app, user_id, times);
                    Ok(())
                }
                Event::ThreadRead { user_id, .. } | Event::ThreadsRead { user_id, .. } => {
                    update_badge_on_read(app, user_id);
                    Ok(())
                }
                _ => Ok(()),
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "notifications of an event failed");
            }
        })
    }
}

/// `SendNotifications` for one post.
async fn notify(
    app: &App,
    post: &Post,
    channel: &Channel,
    sender_name: &str,
    mentioned: &[String],
) -> AppResult<()> {
    if channel.delete_at > 0 {
        return Ok(());
    }
    let config = app.config();
    let email = &config.email_settings;
    let switches = Switches {
        push: email.send_push_notifications && !email.push_notification_server.is_empty(),
        email: email.send_email_notifications,
    };
    let members = member_profiles(app, &channel.id).await?;
    let max = config.team_settings.max_notifications_per_channel;
    if i64::try_from(members.len()).unwrap_or(i64::MAX) > max {
        tell_channel_wide_mentions_are_off(app, post, max).await;
    }
    if switches.push || switches.email {
        let sent = Sent {
            post,
            channel,
            sender_name,
            mentioned,
        };
        decide_and_queue(app, &sent, &members, switches).await?;
    }
    auto_reply::reply_if_away(app, post, channel, &members).await
}

/// The post a notification is about, as `PostCreated` tells it.
struct Sent<'a> {
    post: &'a Post,
    channel: &'a Channel,
    sender_name: &'a str,
    mentioned: &'a [String],
}

/// Decides for every member the post may notify; queues the pushes and hands the email
/// recipients on.
async fn decide_and_queue(
    app: &App,
    sent: &Sent<'_>,
    members: &[MemberProfile],
    switches: Switches,
) -> AppResult<()> {
    let Sent {
        post,
        channel,
        sender_name,
        mentioned,
    } = *sent;
    let kinds = mention_kinds(app, post, channel, members, mentioned).await?;
    let followers = thread_followers(app, post, members).await?;
    let facts = PostFacts {
        sender_id: &post.user_id,
        channel_id: &channel.id,
        channel: ChannelKind::of(&channel.channel_type),
        is_reply: !post.root_id.is_empty(),
        is_system: post.is_system_message(),
        from_webhook: post.prop_str(PROP_FROM_WEBHOOK) == Some("true"),
        force_notification: post.props.contains_key("force_notification"),
        is_auto_response: post.post_type == "system_auto_responder",
    };
    let now = now_millis();
    let mut pushes = Vec::new();
    let mut emails = Vec::new();
    for member in members.iter() {
        let mention = kinds.get(member.user_id.as_str()).copied();
        let follows = !followers.is_empty() && followers.contains(member.user_id.as_str());
        if mention.is_none() && !follows && !member.asks_every_push {
            continue;
        }
        let collapsed = collapsed_threads_for(app, member.collapsed_threads.as_deref());
        let status = crate::status::get(app, &member.user_id);
        let decision = decide::decide(
            &facts,
            &Recipient {
                user_id: &member.user_id,
                props: &member.notify_props,
                channel_props: &member.channel_notify_props,
                mention: mention.unwrap_or(Mention::None),
                collapsed_threads: collapsed,
                follows_thread: follows,
                status: &status,
            },
            switches,
            now,
        );
        tracing::trace!(post_id = %post.id, user_id = %member.user_id, ?decision, "notification decided");
        if let Ok(style) = decision.push {
            let place = (channel, sender_name, members);
            pushes.push(super::push_recipient(member, style, collapsed, place));
        }
        if decision.email.is_ok() {
            emails.push(member.user_id.clone());
        }
    }
    super::queue_message_push(app, post, channel, sender_name, pushes);
    if !emails.is_empty() {
        // The post has committed: an email that cannot be queued is logged, not the post's failure.
        if let Err(e) = crate::email::post_notices::queue(app, post, channel, emails).await {
            tracing::error!(post_id = %post.id, error = %e, "queueing notification emails failed");
        }
    }
    Ok(())
}

/// In a channel over `MaxNotificationsPerChannel` members, `@here`, `@channel` and `@all`
/// notify nobody; the poster is told so by an ephemeral message for each one used.
async fn tell_channel_wide_mentions_are_off(app: &App, post: &Post, max: i64) {
    let (mut here, mut channel, mut all) = (false, false, false);
    for text in mention_enabled_fields(post) {
        let found = explicit_mentions(text, &MentionKeywords::default());
        here |= found.here;
        channel |= found.channel;
        all |= found.all;
    }
    for (used, word) in [(here, "@here"), (channel, "@channel"), (all, "@all")] {
        if !used {
            continue;
        }
        let message = format!(
            "{word} notifications are disabled in channels with more than {max} users. \
             Contact your system administrator for more information."
        );
        let warning = Post {
            channel_id: post.channel_id.clone(),
            message,
            create_at: post.create_at + 1,
            ..Post::default()
        };
        crate::ephemeral::send(app, &post.user_id, warning).await;
    }
}

/// How the post named each member it mentions. The post's mentions were found when it was
/// saved (`posts::mentioned_users`); here only the kind is told apart, by looking for the
/// mentioned members' own keywords in the message.
async fn mention_kinds<'m>(
    app: &App,
    post: &Post,
    channel: &Channel,
    members: &'m [MemberProfile],
    mentioned: &[String],
) -> AppResult<HashMap<&'m str, Mention>> {
    let named: HashSet<&str> = mentioned.iter().map(String::as_str).collect();
    let mentioned: Vec<&MemberProfile> = members
        .iter()
        .filter(|m| named.contains(m.user_id.as_str()))
        .collect();
    if channel.channel_type == CHANNEL_DIRECT {
        return Ok(mentioned
            .into_iter()
            .map(|m| (m.user_id.as_str(), Mention::Direct))
            .collect());
    }
    let mut keywords = MentionKeywords::default();
    for member in &mentioned {
        keywords.add_user(member, false, false);
    }
    let mut by_keyword = HashSet::new();
    let (mut channel_wide, mut here) = (false, false);
    let mut other_names = Vec::new();
    for text in mention_enabled_fields(post) {
        let found = explicit_mentions(text, &keywords);
        by_keyword.extend(found.user_ids);
        other_names.extend(found.other_potential);
        channel_wide |= found.channel || found.all;
        here |= found.here;
    }
    // Members named by an `@group` mention are told as by a keyword.
    by_keyword.extend(
        crate::groups::mentions::members_named(app, channel, &other_names, mentioned.len()).await?,
    );
    let max =
        usize::try_from(app.config().team_settings.max_notifications_per_channel).unwrap_or(0);
    let channel_mentions_counted = members.len() < max;
    let added = post
        .prop_str(PROP_ADDED_USER_ID)
        .filter(|_| post.post_type == POST_ADD_TO_CHANNEL);
    let mut kinds = HashMap::new();
    let mut repliers = Vec::new();
    for member in mentioned {
        let id = member.user_id.as_str();
        let by_channel_word = channel_mentions_counted
            && accepts_channel_mentions(member)
            && (channel_wide || (here && crate::status::is_online(app, id)));
        if by_channel_word {
            kinds.insert(id, Mention::ChannelWide);
        } else if by_keyword.contains(id) || added == Some(id) {
            kinds.insert(id, Mention::Keyword);
        } else if channel.channel_type == CHANNEL_GROUP {
            kinds.insert(id, Mention::Group);
        } else {
            repliers.push(id);
        }
    }
    // The rest asked for reply notifications (classic threads): the root's author is told
    // of a reply to their post, the others of a reply in a thread they posted in.
    if !repliers.is_empty() {
        let root = utmost_store::posts::get(&app.store, &post.root_id, Deleted::Include).await?;
        let root_author = root.map(|r| r.user_id);
        for id in repliers {
            let kind = if root_author.as_deref() == Some(id) {
                Mention::Comment
            } else {
                Mention::Thread
            };
            kinds.insert(id, kind);
        }
    }
    Ok(kinds)
}

/// A reply's thread followers, when anyone in the channel uses collapsed threads.
async fn thread_followers(
    app: &App,
    post: &Post,
    members: &[MemberProfile],
) -> AppResult<HashSet<String>> {
    if post.root_id.is_empty()
        || !members
            .iter()
            .any(|m| collapsed_threads_for(app, m.collapsed_threads.as_deref()))
    {
        return Ok(HashSet::new());
    }
    Ok(
        utmost_store::notifications::thread_followers(&app.store, &post.root_id)
            .await?
            .into_iter()
            .collect(),
    )
}

/// Whether the server sends pushes at all.
fn pushes_on(app: &App) -> bool {
    let config = app.config();
    let email = &config.email_settings;
    email.send_push_notifications && !email.push_notification_server.is_empty()
}

/// `UpdateMobileAppBadge` when a user read threads, when the server sends pushes.
fn update_badge_on_read(app: &App, user_id: &str) {
    if pushes_on(app) {
        app.push.queue(PushJob::UpdateBadge {
            user_id: user_id.to_string(),
        });
    }
}

/// `clearPushNotification` for each channel read, when the server sends pushes.
fn clear_on_read(app: &App, user_id: &str, times: &[(String, i64)]) {
    if !pushes_on(app) {
        return;
    }
    app.push.queue(PushJob::Clear {
        user_id: user_id.to_string(),
        channel_ids: times.iter().map(|(id, _)| id.clone()).collect(),
    });
}

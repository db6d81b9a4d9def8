//! Persistent notifications of urgent posts (Mattermost's `post_persistent_notifications`
//! job and `ResolvePersistentNotification`). An urgent post that asks for them keeps
//! notifying the people it names: every `PersistentNotificationIntervalMinutes`, at most
//! `PersistentNotificationMaxCount` times, each one named (by `@username`, or the other
//! member of a direct message) gets the push again and a `persistent_notification_triggered`
//! WebSocket event, on which the web client raises the desktop notification again. It
//! stops when one of them reacts, acknowledges or replies, or the post is deleted.

use super::decide::{self, ChannelKind, Mention, PostFacts, Recipient, Switches};
use crate::bus::Event;
use crate::caches::member_profiles::member_profiles;
use crate::mentions::{explicit_mentions, MentionKeywords};
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::now_millis;
use utmost_model::post::Post;
use utmost_store::member_profiles::MemberProfile;
use utmost_store::post_priority as store;

/// How often the service looks; the interval itself is the setting's.
pub const LOOK_EVERY: Duration = Duration::from_secs(30);
/// Posts read per page of a look.
const PAGE: i64 = 500;

/// `IsPersistentNotificationsEnabled`.
fn enabled(app: &App) -> bool {
    let config = app.config();
    config.service_settings.post_priority && config.service_settings.allow_persistent_notifications
}

/// Sends the rounds due at `now`; how many posts notified again.
pub async fn send_due(app: &App, now: i64) -> AppResult<usize> {
    if !enabled(app) {
        return Ok(0);
    }
    let config = app.config();
    let settings = &config.service_settings;
    let interval = settings.persistent_notification_interval_minutes.max(1) * 60_000;
    let max_count = settings.persistent_notification_max_count;
    let mut sent = 0;
    loop {
        let due = store::due_persistent(&app.store, now - interval, max_count, PAGE).await?;
        if due.is_empty() {
            break;
        }
        for post in utmost_store::posts::get_by_ids(&app.store, &due).await? {
            if let Err(e) = notify_again(app, &post).await {
                tracing::warn!(post_id = %post.id, error = %e, "a persistent notification failed");
            }
        }
        store::persistent_sent(&app.store, &due, now).await?;
        sent += due.len();
    }
    store::end_exhausted_persistent(&app.store, max_count, now).await?;
    Ok(sent)
}

/// Who the post names, without its author: the other member of a direct message, else
/// the members named by `@username`.
fn named<'m>(
    post: &Post,
    channel: &Channel,
    members: &'m [MemberProfile],
) -> Vec<&'m MemberProfile> {
    let others = members.iter().filter(|m| m.user_id != post.user_id);
    if channel.channel_type == CHANNEL_DIRECT {
        return others.collect();
    }
    let mut keywords = MentionKeywords::default();
    for member in members {
        keywords.add_username(member);
    }
    let found = explicit_mentions(&post.message, &keywords).user_ids;
    others.filter(|m| found.contains(&m.user_id)).collect()
}

/// One more round for `post`: a push to each named member whose settings let it through,
/// and the WebSocket event to each whose desktop notifications do.
async fn notify_again(app: &App, post: &Post) -> AppResult<()> {
    let channel = crate::channels::get_channel(app, &post.channel_id).await?;
    let members = member_profiles(app, &channel.id).await?;
    let named = named(post, &channel, &members);
    let config = app.config();
    let max = usize::try_from(config.team_settings.max_notifications_per_channel).unwrap_or(0);
    if named.is_empty() || named.len() > max {
        return Ok(());
    }
    // `GetSenderName`, as the post's own `posted` event and pushes gave it.
    let sender_name = match members.iter().find(|m| m.user_id == post.user_id) {
        Some(m) => format!("@{}", m.username),
        None => format!("@{}", crate::users::get(app, &post.user_id).await?.username),
    };
    let email = &config.email_settings;
    let switches = Switches {
        push: email.send_push_notifications && !email.push_notification_server.is_empty(),
        email: false,
    };
    let kind = ChannelKind::of(&channel.channel_type);
    let facts = PostFacts {
        sender_id: &post.user_id,
        channel_id: &channel.id,
        channel: kind,
        is_reply: false,
        is_system: false,
        from_webhook: false,
        force_notification: false,
        is_auto_response: false,
    };
    let mention = if kind == ChannelKind::Direct {
        Mention::Direct
    } else {
        Mention::Keyword
    };
    let now = now_millis();
    let (mut pushes, mut desktop) = (Vec::new(), Vec::new());
    for member in named {
        let status = crate::status::get(app, &member.user_id);
        let collapsed =
            crate::posts::collapsed_threads_for(app, member.collapsed_threads.as_deref());
        let decision = decide::decide(
            &facts,
            &Recipient {
                user_id: &member.user_id,
                props: &member.notify_props,
                channel_props: &member.channel_notify_props,
                mention,
                collapsed_threads: collapsed,
                follows_thread: false,
                status: &status,
            },
            switches,
            now,
        );
        if let Ok(style) = decision.push {
            let place = (&channel, sender_name.as_str(), &members[..]);
            pushes.push(super::push_recipient(member, style, collapsed, place));
        }
        if decision.desktop.is_ok() {
            desktop.push(member.user_id.clone());
        }
    }
    super::queue_message_push(app, post, &channel, &sender_name, pushes);
    if !desktop.is_empty() {
        app.publish(Event::PersistentNotificationTriggered {
            post: crate::posts::prepare_for_client(post.clone()),
            channel,
            sender_name,
            user_ids: desktop,
        })
        .await;
    }
    Ok(())
}

/// `ResolvePersistentNotification`: `user_id` reacted to, acknowledged or replied to
/// `post_id`; when the post named them (and they did not write it), its persistent
/// notifications stop.
pub(crate) async fn resolve(app: &App, post_id: &str, user_id: &str) -> AppResult<()> {
    if !enabled(app) || !store::has_persistent_notification(&app.store, post_id).await? {
        return Ok(());
    }
    let Some(post) =
        utmost_store::posts::get(&app.store, post_id, utmost_store::Deleted::Exclude).await?
    else {
        return Ok(());
    };
    if post.user_id == user_id {
        return Ok(());
    }
    let channel = crate::channels::get_channel(app, &post.channel_id).await?;
    let members = member_profiles(app, &channel.id).await?;
    if named(&post, &channel, &members)
        .iter()
        .any(|m| m.user_id == user_id)
    {
        store::end_persistent(&app.store, &[post.id], now_millis()).await?;
    }
    Ok(())
}

/// The post was deleted: its persistent notifications stop.
pub(crate) async fn end_for_deleted(app: &App, post_id: &str) -> AppResult<()> {
    store::end_persistent(&app.store, &[post_id.to_string()], now_millis()).await?;
    Ok(())
}

pub(crate) struct PersistentNotifications {
    pub app: Weak<App>,
}

impl Service for PersistentNotifications {
    fn name(&self) -> &'static str {
        "persistent notifications"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(LOOK_EVERY);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                if let Err(e) = send_due(&app, now_millis()).await {
                    tracing::error!(error = %e, "sending persistent notifications failed");
                }
            }
        })
    }
}

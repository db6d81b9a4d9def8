//! Notifications of new posts (Mattermost's `app/notification.go`,
//! `app/notification_push.go`): who is told of a post, and how.
//!
//! `decide` makes one decision per post and recipient (desktop, push, email, each sent or
//! skipped with the reason). `dispatcher::Notifier`, a bus subscriber, makes them on
//! `PostCreated` from cached member profiles and statuses, queues the pushes for the `push`
//! service and hands the email recipients to `email::post_notices`; it also sends the automatic
//! out-of-office reply (`auto_reply`) and, when a user reads channels, queues a `clear` push
//! for their devices. `message` is the push proxy's JSON; `ack` answers the app's delivery
//! receipts (and the content of an ID-only push).

pub mod ack;
mod auto_reply;
pub mod decide;
mod dispatcher;
pub mod message;
pub mod persistent;
pub mod push;
pub mod session_expiry;

pub use dispatcher::Notifier;

use crate::{App, AppResult};
use utmost_model::channel::{Channel, CHANNEL_DIRECT, CHANNEL_GROUP};
use utmost_store::member_profiles::MemberProfile;

/// `IsCRTEnabledForUser` for a user outside any channel's member list.
pub(crate) async fn collapsed_threads_of(app: &App, user_id: &str) -> AppResult<bool> {
    let preference = utmost_store::preferences::get(
        &app.store,
        user_id,
        "display_settings",
        "collapsed_reply_threads",
    )
    .await?;
    Ok(crate::posts::collapsed_threads_for(
        app,
        preference.as_ref().map(|p| p.value.as_str()),
    ))
}

/// The post's message push, to `recipients` (nothing when there are none).
pub(crate) fn queue_message_push(
    app: &App,
    post: &utmost_model::post::Post,
    channel: &Channel,
    sender_name: &str,
    recipients: Vec<push::PushRecipient>,
) {
    if recipients.is_empty() {
        return;
    }
    app.push.queue(push::PushJob::Message {
        post: Box::new(post.clone()),
        channel: Box::new(channel.clone()),
        sender_name: sender_name.to_string(),
        recipients,
    });
}

/// One recipient of a message push, with the channel named as they see it.
pub(crate) fn push_recipient(
    member: &MemberProfile,
    style: decide::PushStyle,
    collapsed_threads: bool,
    (channel, sender_name, members): (&Channel, &str, &[MemberProfile]),
) -> push::PushRecipient {
    push::PushRecipient {
        user_id: member.user_id.clone(),
        style,
        collapsed_threads,
        channel_name: channel_name_for(channel, sender_name, members, &member.user_id),
    }
}

/// `GetChannelName` for a recipient: the sender in a direct message, the other members'
/// usernames in a group message, else the channel's display name.
pub(crate) fn channel_name_for(
    channel: &Channel,
    sender_name: &str,
    members: &[MemberProfile],
    recipient_id: &str,
) -> String {
    match channel.channel_type.as_str() {
        CHANNEL_DIRECT => sender_name.to_string(),
        CHANNEL_GROUP => {
            let mut names: Vec<&str> = members
                .iter()
                .filter(|m| m.user_id != recipient_id)
                .map(|m| m.username.as_str())
                .collect();
            names.sort_unstable();
            names.join(", ")
        }
        _ => channel.display_name.clone(),
    }
}

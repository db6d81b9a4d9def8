//! The automatic out-of-office reply (Mattermost's `app/auto_responder.go`): a direct
//! message to someone with `auto_responder_active` is answered with their
//! `auto_responder_message`, in the thread of the message, at most once a day (UTC) per
//! channel.

use crate::{App, AppResult};
use chrono::{TimeZone, Utc};
use utmost_model::channel::{Channel, CHANNEL_DIRECT};
use utmost_model::post::Post;
use utmost_store::member_profiles::MemberProfile;

/// `SendAutoResponseIfNecessary`.
pub(super) async fn reply_if_away(
    app: &App,
    post: &Post,
    channel: &Channel,
    members: &[MemberProfile],
) -> AppResult<()> {
    if channel.channel_type != CHANNEL_DIRECT
        || post.is_system_message()
        || post.prop_str("from_bot") == Some("true")
    {
        return Ok(());
    }
    // Someone messaging themself meets their own reply, to try it.
    let receiver = members
        .iter()
        .find(|m| m.user_id != post.user_id)
        .or_else(|| members.iter().find(|m| m.user_id == post.user_id));
    let Some(receiver) = receiver else {
        return Ok(());
    };
    let prop = |key: &str| receiver.notify_props.get(key).map_or("", String::as_str);
    let message = prop("auto_responder_message");
    if prop("auto_responder_active") != "true" || message.is_empty() {
        return Ok(());
    }
    let since = start_of_day(post.create_at);
    if utmost_store::notifications::auto_responded_since(
        &app.store,
        &channel.id,
        &receiver.user_id,
        since,
    )
    .await?
    {
        return Ok(());
    }
    let root_id = if post.root_id.is_empty() {
        &post.id
    } else {
        &post.root_id
    };
    crate::posts::create_auto_response(app, channel, &receiver.user_id, message, root_id).await?;
    Ok(())
}

/// Midnight UTC of the day `millis` falls in.
fn start_of_day(millis: i64) -> i64 {
    Utc.timestamp_millis_opt(millis)
        .single()
        .and_then(|t| t.date_naive().and_hms_opt(0, 0, 0))
        .map_or(millis, |midnight| midnight.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_day_starts_at_midnight_utc() {
        // 2023-11-14T22:13:20Z
        assert_eq!(super::start_of_day(1_700_000_000_000), 1_699_920_000_000);
    }
}

//! "Remind me about this post" (`SetPostReminder`, `CheckPostReminders`): a user asks to be
//! reminded of a post at a time; the `post reminders` service later sends them a direct
//! message from the system bot linking to it.

use crate::errors::PostError;
use crate::services::{Run, Service, Stop};
use crate::{App, AppResult};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Weak;
use std::time::Duration;
use utmost_model::post::{Post, PostProps};
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_store::post_reminders::{self as store, PostReminder, ReminderMetadata};

/// `PostTypeReminder`, the type of the reminder's direct message.
pub const POST_TYPE_REMINDER: &str = "reminder";

/// How often due reminders are looked for: Mattermost's five minutes.
pub const CHECK_INTERVAL: Duration = Duration::from_secs(5 * 60);

/// Reminders taken per statement.
const BATCH: i64 = 100;

/// Batches one tick sends at most.
const BATCHES_PER_TICK: usize = 10;

/// Sets (or moves) `user_id`'s reminder of `post_id` to `target_time` (seconds), and shows
/// them an ephemeral confirmation in the post's channel. 404 when the post does not exist.
pub async fn set(app: &App, post_id: &str, user_id: &str, target_time: i64) -> AppResult<()> {
    let reminder = PostReminder {
        post_id: post_id.to_string(),
        user_id: user_id.to_string(),
        target_time,
    };
    if !store::set(&app.store, &reminder).await? {
        return Err(PostError::NotFound.into());
    }
    let metadata = store::metadata(&app.store, post_id)
        .await?
        .ok_or(PostError::NotFound)?;
    let confirmation = Post {
        root_id: post_id.to_string(),
        channel_id: metadata.channel_id.clone(),
        user_id: user_id.to_string(),
        message: format!(
            "You will be reminded about {} by @{} at {}",
            permalink(app, &metadata, post_id),
            metadata.username,
            rfc822_utc(target_time)
        ),
        props: reminder_props(&metadata, post_id, Some(target_time)),
        ..Post::default()
    };
    crate::ephemeral::send(app, user_id, confirmation).await;
    Ok(())
}

/// Sends the reminders that are due, at most `BATCHES_PER_TICK` batches of `BATCH`, so a
/// backlog is worked off over several ticks rather than holding one. Returns how many were
/// sent. Each is removed before it is sent: a failed send is logged and lost, never sent
/// twice (Mattermost's choice too).
pub async fn deliver_due(app: &App) -> AppResult<usize> {
    // The bot first, as Mattermost: without one (no admin yet) the reminders stay due.
    let bot = crate::system_bot::get_or_create(app).await?;
    let mut sent = 0;
    for _ in 0..BATCHES_PER_TICK {
        let now = utmost_model::now_millis() / 1000;
        let due = store::take_due(&app.store, now, BATCH).await?;
        let full = due.len() as i64 == BATCH;
        sent += deliver(app, &bot, due).await?;
        if !full {
            break;
        }
    }
    Ok(sent)
}

/// One direct message from the system bot per reminder, grouped by user.
async fn deliver(app: &App, bot: &User, due: Vec<PostReminder>) -> AppResult<usize> {
    let as_bot = Session {
        user_id: bot.id.clone(),
        roles: bot.roles.clone(),
        ..Session::default()
    };
    let mut by_user: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for reminder in due {
        by_user
            .entry(reminder.user_id)
            .or_default()
            .push(reminder.post_id);
    }
    let mut sent = 0;
    for (user_id, post_ids) in by_user {
        let channel = match crate::channels::get_or_create_direct(app, &as_bot, &user_id, &bot.id)
            .await
        {
            Ok(channel) => channel,
            Err(e) => {
                tracing::error!(user_id, error = %e.id, "no direct channel for a post reminder");
                continue;
            }
        };
        for post_id in post_ids {
            let Some(metadata) = store::metadata(&app.store, &post_id).await? else {
                continue;
            };
            let message = format!(
                "Hi there, here's your reminder for this message from @{}: {}",
                metadata.username,
                permalink(app, &metadata, &post_id)
            );
            let props = reminder_props(&metadata, &post_id, None);
            match crate::posts::create_system_post(
                app,
                &channel,
                &bot.id,
                POST_TYPE_REMINDER,
                message,
                props,
            )
            .await
            {
                Ok(_) => sent += 1,
                Err(e) => tracing::error!(post_id, error = %e.id, "posting a reminder failed"),
            }
        }
    }
    Ok(sent)
}

/// `{SiteURL}/{team}/pl/{post}`, without the team for direct and group messages.
fn permalink(app: &App, metadata: &ReminderMetadata, post_id: &str) -> String {
    let site_url = app.config().service_settings.site_url.clone();
    if metadata.team_name.is_empty() {
        format!("{site_url}/pl/{post_id}")
    } else {
        format!("{site_url}/{}/pl/{post_id}", metadata.team_name)
    }
}

/// The props the web app renders a reminder from; the confirmation also carries the time
/// and `type: reminder`.
fn reminder_props(
    metadata: &ReminderMetadata,
    post_id: &str,
    target_time: Option<i64>,
) -> PostProps {
    let mut props = PostProps::new();
    props.insert("team_name".into(), json!(metadata.team_name));
    props.insert("post_id".into(), json!(post_id));
    props.insert("username".into(), json!(metadata.username));
    if let Some(target_time) = target_time {
        props.insert("target_time".into(), json!(target_time));
        props.insert("type".into(), json!(POST_TYPE_REMINDER));
    }
    props
}

/// Go's `time.RFC822` in UTC ("02 Jan 06 15:04 UTC") for seconds since the epoch, the
/// fallback text of the confirmation (the web app shows the time from `target_time`).
fn rfc822_utc(seconds: i64) -> String {
    let (year, month, day, in_day) = utmost_model::time::utc_date(seconds);
    format!(
        "{day:02} {} {:02} {:02}:{:02} UTC",
        utmost_model::time::MONTHS[month - 1],
        year.rem_euclid(100),
        in_day / 3600,
        in_day % 3600 / 60
    )
}

/// The `post reminders` service: every `interval`, sends the reminders that are due.
pub(crate) struct PostReminders {
    pub app: Weak<App>,
    pub interval: Duration,
}

impl Service for PostReminders {
    fn name(&self) -> &'static str {
        "post reminders"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = tokio::time::interval(self.interval);
            ticks.tick().await; // the first tick is immediate
            loop {
                tokio::select! {
                    () = stop.requested() => return,
                    _ = ticks.tick() => {
                        let Some(app) = self.app.upgrade() else { return };
                        if let Err(e) = deliver_due(&app).await {
                            tracing::error!(error = %e.id, "sending post reminders failed");
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::rfc822_utc;

    #[test]
    fn times_read_like_gos_rfc822() {
        assert_eq!(rfc822_utc(0), "01 Jan 70 00:00 UTC");
        assert_eq!(rfc822_utc(1_709_210_096), "29 Feb 24 12:34 UTC");
        assert_eq!(rfc822_utc(1_798_761_599), "31 Dec 26 23:59 UTC");
    }
}

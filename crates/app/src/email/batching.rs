//! Email batching (Mattermost's `email_batching.go`): with `EnableEmailBatching`, a
//! recipient's notices wait in `utmost_email_batch` (in the database, where Mattermost keeps
//! them in memory, so a restart loses none) and one digest per user goes out once their
//! oldest notice is older than their `email_interval` preference (seconds; 900 when unset).

use super::post_notices::{INTERVAL_CATEGORY, INTERVAL_NAME};
use super::templates::{Content, Words};
use super::{outbox, site_url};
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use utmost_model::{new_id, now_millis};
use utmost_store::email_outbox::{self as store, BatchedNotice};

/// Mattermost's `PreferenceEmailIntervalBatchingSeconds`: the interval of a user without one.
const DEFAULT_INTERVAL_SECONDS: i64 = 900;

/// What an email or a digest shows of one post.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notice {
    pub sender: String,
    pub channel: String,
    pub team: String,
    /// The channel's type ("O", "P", "D", "G").
    pub kind: String,
    /// The post's time (milliseconds).
    pub at: i64,
    /// The message, when `EmailNotificationContentsType` is "full".
    pub message: Option<String>,
    pub link: String,
}

/// Keeps `notice` for the user's next digest.
pub async fn add(app: &App, user_id: &str, notice: &Notice) -> AppResult<()> {
    let json = serde_json::to_string(notice)
        .map_err(|e| utmost_model::AppError::internal("app.email.batching.app_error", e))?;
    let buffer = app.config().email_settings.email_batching_buffer_size;
    store::add_notice(
        &app.store,
        &BatchedNotice {
            id: new_id(),
            user_id: user_id.to_string(),
            create_at: now_millis(),
            notice: json,
        },
        buffer,
    )
    .await?;
    Ok(())
}

/// "Month day, year" of a time in milliseconds (UTC).
pub(crate) fn date(at: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .map(|t| t.format("%B %-d, %Y").to_string())
        .unwrap_or_default()
}

fn time_of_day(at: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .map(|t| t.format("%H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Writes the digest of every user whose oldest notice has waited their interval.
pub(crate) async fn write_due_digests(app: &App) -> AppResult<()> {
    let now = now_millis();
    for (user_id, oldest) in store::batched_users(&app.store).await? {
        if now - oldest >= interval_ms(app, &user_id).await? {
            write_digest(app, &user_id).await?;
        }
    }
    Ok(())
}

async fn interval_ms(app: &App, user_id: &str) -> AppResult<i64> {
    let pref =
        utmost_store::preferences::get(&app.store, user_id, INTERVAL_CATEGORY, INTERVAL_NAME)
            .await?;
    let seconds = pref
        .and_then(|p| p.value.parse::<i64>().ok())
        .unwrap_or(DEFAULT_INTERVAL_SECONDS);
    Ok(seconds.saturating_mul(1000))
}

/// Moves the user's notices into one digest email in the outbox.
async fn write_digest(app: &App, user_id: &str) -> AppResult<()> {
    let batched = store::notices_of(&app.store, user_id).await?;
    let ids: Vec<String> = batched.iter().map(|n| n.id.clone()).collect();
    let user = match crate::users::get(app, user_id).await {
        Ok(user) if user.delete_at == 0 && !user.email.is_empty() => user,
        // Nobody to tell: the notices go.
        _ => return discard(app, &ids).await,
    };
    let notices: Vec<Notice> = batched
        .iter()
        .filter_map(|n| serde_json::from_str(&n.notice).ok())
        .collect();
    let config = app.config();
    let words = Words {
        locale: &user.locale,
        site: &config.team_settings.site_name,
    };
    let mut paragraphs = Vec::new();
    for n in &notices {
        let time = time_of_day(n.at);
        let line = words.get(
            "digest.line",
            &[
                ("sender", &n.sender),
                ("channel", &n.channel),
                ("time", &time),
            ],
        );
        paragraphs.push(match &n.message {
            Some(m) => format!("{line}: {m}"),
            None => line,
        });
    }
    let date = date(now_millis());
    let email = Content {
        subject: words.get("digest.subject", &[("date", &date)]),
        title: words.get("digest.title", &[]),
        paragraphs,
        quote: None,
        button: Some((words.get("digest.button", &[]), site_url(&config))),
        footer: words.get("footer", &[]),
    }
    .render();
    if config.email_settings.send_email_notifications {
        store::digest(&app.store, &outbox::outbox_email(&user.email, email), &ids).await?;
        Ok(())
    } else {
        discard(app, &ids).await
    }
}

/// Drops notices no digest will carry (a deactivated user, email turned off).
async fn discard(app: &App, ids: &[String]) -> AppResult<()> {
    store::drop_notices(&app.store, ids).await?;
    Ok(())
}

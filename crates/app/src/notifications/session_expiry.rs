//! The `session expiry push` service (Mattermost's `expiry_notify` job): every ten minutes,
//! while sessions are extended with activity (`ExtendSessionLengthWithActivity`, the only
//! setting under which a mobile session can lapse unnoticed) and pushes are sent, the
//! devices whose sessions expired within the last hour and were not told yet get a
//! `session` push asking them to sign in again.

use super::push::PushJob;
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::now_millis;
use utmost_store::notifications as store;

/// How often the service looks (Mattermost's `schedFreq`).
pub const LOOK_EVERY: Duration = Duration::from_secs(10 * 60);
/// How far back an expiry is still worth telling (`OneHourMillis`).
const TELL_WITHIN_MS: i64 = 60 * 60 * 1000;
/// The most sessions one look queues; the rest wait for the next.
const MAX_PER_LOOK: i64 = 1000;

/// Queues the `session` pushes due at `now`; how many sessions they go to.
pub async fn queue_expired(app: &App, now: i64) -> AppResult<usize> {
    let config = app.config();
    let email = &config.email_settings;
    let pushes = email.send_push_notifications && !email.push_notification_server.is_empty();
    if !pushes || !config.service_settings.extend_session_length_with_activity {
        return Ok(0);
    }
    let sessions =
        store::expired_unnotified(&app.store, now - TELL_WITHIN_MS, now, MAX_PER_LOOK).await?;
    let count = sessions.len();
    if count > 0 {
        app.push.queue(PushJob::SessionsExpired { sessions });
    }
    Ok(count)
}

pub(crate) struct SessionExpiryPush {
    pub app: Weak<App>,
}

impl Service for SessionExpiryPush {
    fn name(&self) -> &'static str {
        "session expiry push"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(LOOK_EVERY);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                if let Err(e) = queue_expired(&app, now_millis()).await {
                    tracing::error!(error = %e, "telling devices of expired sessions failed");
                }
            }
        })
    }
}

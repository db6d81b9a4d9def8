//! The daily message export: with `MessageExportSettings.EnableExport`, once a day at
//! `DailyRunTime` (UTC, "HH:MM") a `message_export` job is created, unless one was already
//! created since that time today (by this node, another one, or an admin).

use crate::services::{Run, Service, Stop, Ticks};
use crate::{jobs, App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::job;
use utmost_model::now_millis;

/// How often the schedule is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(60);

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Today's run time (milliseconds) for `daily_run_time` "HH:MM"; `None` for a malformed one.
pub fn run_time_today(now: i64, daily_run_time: &str) -> Option<i64> {
    let (hours, minutes) = daily_run_time.trim().split_once(':')?;
    let (hours, minutes): (i64, i64) = (hours.parse().ok()?, minutes.parse().ok()?);
    if !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return None;
    }
    Some(now - now.rem_euclid(DAY_MS) + (hours * 60 + minutes) * 60 * 1000)
}

/// Whether a job is due at `now`, the newest export job having been created at `last`.
pub fn due(now: i64, daily_run_time: &str, last: Option<i64>) -> bool {
    match run_time_today(now, daily_run_time) {
        Some(run_at) => now >= run_at && last.is_none_or(|created| created < run_at),
        None => false,
    }
}

/// Creates today's export job when it is due.
pub async fn create_if_due(app: &App) -> AppResult<bool> {
    let settings = app.config().message_export_settings.clone();
    if !settings.enable_export {
        return Ok(false);
    }
    let newest =
        utmost_store::jobs::list(&app.store, &[job::TYPE_MESSAGE_EXPORT], None, 0, 1).await?;
    if !due(
        now_millis(),
        &settings.daily_run_time,
        newest.first().map(|j| j.create_at),
    ) {
        return Ok(false);
    }
    jobs::create(app, job::TYPE_MESSAGE_EXPORT, Default::default()).await?;
    Ok(true)
}

pub(crate) struct DailyMessageExport {
    pub app: Weak<App>,
}

impl Service for DailyMessageExport {
    fn name(&self) -> &'static str {
        "daily message export"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(CHECK_EVERY);
            while let Some(app) = ticks.next(&mut stop, &self.app).await {
                if let Err(e) = create_if_due(&app).await {
                    tracing::error!(error = %e, "scheduling the daily message export failed");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_START: i64 = 20_000 * DAY_MS;
    const AT_1AM: i64 = DAY_START + 60 * 60 * 1000;

    #[test]
    fn a_job_is_due_once_a_day_after_the_run_time() {
        assert_eq!(run_time_today(DAY_START + 5, "01:00"), Some(AT_1AM));
        assert!(!due(AT_1AM - 1, "01:00", None));
        assert!(due(AT_1AM, "01:00", None));
        assert!(due(AT_1AM + 10, "01:00", Some(AT_1AM - DAY_MS)));
        assert!(!due(AT_1AM + 10, "01:00", Some(AT_1AM + 5)));
        assert!(!due(AT_1AM, "25:00", None));
        assert!(!due(AT_1AM, "soon", None));
    }
}

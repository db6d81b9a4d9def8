//! The `data retention schedule` service: creates a `data_retention` job every day at
//! `DataRetentionSettings.DeletionJobStartTime` (UTC), as Mattermost's scheduler does,
//! while the global deletion is on or a custom policy exists. A start time that passed
//! while no server ran is not made up for. With several nodes, the first to look creates
//! the job and the others see it.

use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::job;

/// How often the service looks at the clock.
const LOOK_EVERY: Duration = Duration::from_secs(30);
const DAY_MS: i64 = 86_400_000;

pub(crate) struct RetentionSchedule {
    pub app: Weak<App>,
}

impl Service for RetentionSchedule {
    fn name(&self) -> &'static str {
        "data retention schedule"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(LOOK_EVERY);
            let mut looked: Option<i64> = None;
            while let Some(app) = ticks.next(&mut stop, &self.app).await {
                let now = app.retention_clock.now();
                if let Some(after) = looked {
                    if let Err(e) = create_if_due(&app, after, now).await {
                        tracing::error!(error = %e, "could not schedule the data retention job");
                    }
                }
                looked = Some(now);
            }
        })
    }
}

/// Creates the day's job if its start time fell in (`after`, `now`], retention has
/// something to do, and no job was created since that time.
async fn create_if_due(app: &App, after: i64, now: i64) -> AppResult<()> {
    let settings = app.config().data_retention_settings.clone();
    let Some(start) = settings.deletion_job_start() else {
        return Ok(());
    };
    let Some(due) = due_between(start, after, now) else {
        return Ok(());
    };
    let enabled = settings.enable_message_deletion
        || settings.enable_file_deletion
        || super::count(app).await? > 0;
    if !enabled {
        return Ok(());
    }
    let newest =
        utmost_store::jobs::list(&app.store, &[job::TYPE_DATA_RETENTION], None, 0, 1).await?;
    if newest.iter().any(|j| j.create_at >= due) {
        return Ok(());
    }
    let job = crate::jobs::create(app, job::TYPE_DATA_RETENTION, Default::default()).await?;
    tracing::info!(job_id = %job.id, "data retention job scheduled");
    Ok(())
}

/// The daily instant at `(hour, minute)` UTC that falls in (`after`, `until`], if any.
fn due_between((hour, minute): (u32, u32), after: i64, until: i64) -> Option<i64> {
    let offset = i64::from(hour) * 3_600_000 + i64::from(minute) * 60_000;
    let mut latest = until.div_euclid(DAY_MS) * DAY_MS + offset;
    if latest > until {
        latest -= DAY_MS;
    }
    (latest > after).then_some(latest)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_AM: i64 = 2 * 3_600_000;

    #[test]
    fn the_start_time_is_due_once_when_the_clock_passes_it() {
        let day = 20_000 * DAY_MS;
        // Just before and at 02:00.
        assert_eq!(
            due_between((2, 0), day + TWO_AM - 60_000, day + TWO_AM),
            Some(day + TWO_AM)
        );
        // The next look, a minute later, finds nothing new.
        assert_eq!(
            due_between((2, 0), day + TWO_AM, day + TWO_AM + 60_000),
            None
        );
        // A look spanning midnight finds nothing before 02:00.
        assert_eq!(due_between((2, 0), day - 60_000, day + 60_000), None);
        // 02:30 is due at 02:30, not at 02:00.
        assert_eq!(due_between((2, 30), day + TWO_AM - 1, day + TWO_AM), None);
    }
}

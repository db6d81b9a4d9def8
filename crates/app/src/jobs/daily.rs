//! Jobs created once a day at a configured UTC time, as Mattermost's daily schedulers do
//! (data retention at `DeletionJobStartTime`, message export at `DailyRunTime`). The service
//! looks at the clock every `LOOK_EVERY`; when the day's time fell since its last look and no
//! job of the type was created since then (by this node, another one or an admin), it
//! creates one. A time that passed while no server ran is not made up for.

use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::future::Future;
use std::pin::Pin;
use std::sync::Weak;
use std::time::Duration;

/// How often the service looks at the clock.
const LOOK_EVERY: Duration = Duration::from_secs(5);
/// How far a new leader looks back beyond its own last look: the old leader's last look
/// may be one `LOOK_EVERY` older, and the handover takes up to two election periods.
const HANDOVER_MS: i64 = 5_000 + 2 * 2_000 + 1_000;
const DAY_MS: i64 = 86_400_000;

/// The day's start time, `(hour, minute)` UTC, when a job should be created at all.
pub(crate) type StartTime<'a> =
    Pin<Box<dyn Future<Output = AppResult<Option<(u32, u32)>>> + Send + 'a>>;

/// What one daily job is.
pub(crate) trait DailyJob: Send + Sync + 'static {
    fn job_type(&self) -> &'static str;
    fn service_name(&self) -> &'static str;
    /// `None` while the job is off (or has nothing to do).
    fn start_time<'a>(&'a self, app: &'a App) -> StartTime<'a>;
    /// The clock the schedule reads (tests set data retention's).
    fn now(&self, app: &App) -> i64;
}

/// The service that creates `job`'s jobs.
pub(crate) struct Daily<J> {
    pub app: Weak<App>,
    pub job: J,
}

impl<J: DailyJob> Service for Daily<J> {
    fn name(&self) -> &'static str {
        self.job.service_name()
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(LOOK_EVERY);
            let mut looked: Option<i64> = None;
            let mut led = false;
            while let Some(app) = ticks.next(&mut stop, &self.app).await {
                let now = self.job.now(&app);
                // Leader-only (see `leader`). Every node keeps looking at the clock; a node
                // that has just become leader looks back over the handover too, so a start
                // time that fell while the old leader was dying is not lost (the check for a
                // job created since then keeps it from being scheduled twice).
                let leads = app.is_leader();
                if let (true, Some(after)) = (leads, looked) {
                    let after = if led { after } else { after - HANDOVER_MS };
                    if let Err(e) = self.create_if_due(&app, after, now).await {
                        let job_type = self.job.job_type();
                        tracing::error!(error = %e, job_type, "could not schedule the daily job");
                    }
                }
                looked = Some(now);
                led = leads;
            }
        })
    }
}

impl<J: DailyJob> Daily<J> {
    /// Creates the day's job if its start time fell in (`after`, `now`] and no job of the
    /// type was created since that time.
    async fn create_if_due(&self, app: &App, after: i64, now: i64) -> AppResult<()> {
        let Some(start) = self.job.start_time(app).await? else {
            return Ok(());
        };
        let Some(due) = due_between(start, after, now) else {
            return Ok(());
        };
        let job_type = self.job.job_type();
        let newest = utmost_store::jobs::list(&app.store, &[job_type], None, 0, 1).await?;
        if newest.iter().any(|j| j.create_at >= due) {
            return Ok(());
        }
        let job = super::create(app, job_type, Default::default()).await?;
        tracing::info!(job_id = %job.id, job_type, "daily job scheduled");
        Ok(())
    }
}

/// `"HH:MM"` as (hour, minute); `None` unless it is a time of day.
pub fn parse_start_time(time: &str) -> Option<(u32, u32)> {
    let (h, m) = time.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
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

    #[test]
    fn start_times_are_times_of_day() {
        assert_eq!(parse_start_time("01:00"), Some((1, 0)));
        assert_eq!(parse_start_time(" 23:59 "), Some((23, 59)));
        assert_eq!(parse_start_time("25:00"), None);
        assert_eq!(parse_start_time("12:60"), None);
        assert_eq!(parse_start_time("soon"), None);
    }
}

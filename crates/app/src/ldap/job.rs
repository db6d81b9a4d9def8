//! The `ldap_sync` job (Mattermost's job type): its worker runs `sync::run` and records what
//! it did in the job's data; `Schedule` is the `ldap sync schedule` service, which creates a
//! job every `SyncIntervalMinutes` while `EnableSync` is on.

use super::sync;
use crate::jobs::runner::{JobRun, Progress, Worker};
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::job::{self, Job};
use utmost_model::now_millis;

pub struct SyncJobs;

impl Worker for SyncJobs {
    fn job_type(&self) -> &'static str {
        job::TYPE_LDAP_SYNC
    }

    fn service_name(&self) -> &'static str {
        "ldap sync jobs"
    }

    fn run<'a>(&'a self, app: &'a App, job: &'a mut Job, progress: &'a Progress<'a>) -> JobRun<'a> {
        Box::pin(async move {
            let report = sync::run(app, &|_| progress.go_on()).await?;
            for (key, value) in [
                ("entries", report.entries),
                ("accounts", report.accounts),
                ("updated", report.updated),
                ("deactivated", report.deactivated),
                ("reactivated", report.reactivated),
                ("groups", report.groups.groups),
                ("group_members_added", report.groups.members_added),
                ("group_members_removed", report.groups.members_removed),
                ("added_to_teams", report.groups.memberships.added_to_teams),
                (
                    "added_to_channels",
                    report.groups.memberships.added_to_channels,
                ),
                (
                    "removed_from_teams",
                    report.groups.memberships.removed_from_teams,
                ),
                (
                    "removed_from_channels",
                    report.groups.memberships.removed_from_channels,
                ),
                ("roles_changed", report.groups.memberships.roles_changed),
            ] {
                job.data.insert(key.to_string(), value.to_string());
            }
            Ok(())
        })
    }
}

/// How often the schedule looks whether a sync is due.
const LOOK_EVERY: Duration = Duration::from_secs(30);

/// Creates an `ldap_sync` job when `EnableSync` is on and the newest one (by any node or
/// admin) is older than `SyncIntervalMinutes`.
pub(crate) struct Schedule {
    pub app: Weak<App>,
}

impl Service for Schedule {
    fn name(&self) -> &'static str {
        "ldap sync schedule"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(LOOK_EVERY);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                if let Err(e) = create_if_due(&app, now_millis()).await {
                    tracing::error!(error = %e, "could not schedule the AD/LDAP sync");
                }
            }
        })
    }
}

async fn create_if_due(app: &App, now: i64) -> AppResult<()> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !s.enable_sync || s.ldap_server.is_empty() {
        return Ok(());
    }
    let interval_ms = s.sync_interval_minutes.max(1).saturating_mul(60_000);
    let newest = utmost_store::jobs::list(&app.store, &[job::TYPE_LDAP_SYNC], None, 0, 1).await?;
    if newest.iter().any(|j| j.create_at > now - interval_ms) {
        return Ok(());
    }
    let job = crate::jobs::create(app, job::TYPE_LDAP_SYNC, Default::default()).await?;
    tracing::info!(job_id = %job.id, "AD/LDAP sync scheduled");
    Ok(())
}

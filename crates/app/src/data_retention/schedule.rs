//! The `data retention schedule`: a `data_retention` job every day at
//! `DataRetentionSettings.DeletionJobStartTime` (UTC), as Mattermost's scheduler does, while
//! the global deletion is on or a custom policy exists (`jobs::daily`).

use crate::jobs::daily::{DailyJob, StartTime};
use crate::App;
use utmost_model::job;

pub(crate) struct RetentionSchedule;

impl DailyJob for RetentionSchedule {
    fn job_type(&self) -> &'static str {
        job::TYPE_DATA_RETENTION
    }

    fn service_name(&self) -> &'static str {
        "data retention schedule"
    }

    fn start_time<'a>(&'a self, app: &'a App) -> StartTime<'a> {
        Box::pin(async move {
            let settings = app.config().data_retention_settings.clone();
            let Some(start) = settings.deletion_job_start() else {
                return Ok(None);
            };
            let wanted = settings.enable_message_deletion
                || settings.enable_file_deletion
                || super::count(app).await? > 0;
            Ok(wanted.then_some(start))
        })
    }

    fn now(&self, app: &App) -> i64 {
        app.retention_clock.now()
    }
}

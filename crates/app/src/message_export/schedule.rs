//! The `daily message export`: with `MessageExportSettings.EnableExport`, a
//! `message_export` job every day at `DailyRunTime` (UTC, "HH:MM") (`jobs::daily`).

use crate::jobs::daily::{parse_start_time, DailyJob, StartTime};
use crate::App;
use utmost_model::{job, now_millis};

pub(crate) struct DailyMessageExport;

impl DailyJob for DailyMessageExport {
    fn job_type(&self) -> &'static str {
        job::TYPE_MESSAGE_EXPORT
    }

    fn service_name(&self) -> &'static str {
        "daily message export"
    }

    fn start_time<'a>(&'a self, app: &'a App) -> StartTime<'a> {
        let settings = &app.config().message_export_settings;
        let start = settings
            .enable_export
            .then(|| parse_start_time(&settings.daily_run_time));
        Box::pin(async move { Ok(start.flatten()) })
    }

    fn now(&self, _app: &App) -> i64 {
        now_millis()
    }
}

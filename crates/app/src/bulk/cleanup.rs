//! The `import and export clean-up` service (Mattermost's `import_delete` and
//! `export_delete` jobs): hourly, the files directly in `import/` and `export/` whose last
//! change is older than `ImportSettings.RetentionDays` and `ExportSettings.RetentionDays`
//! (30 days by default; 0 keeps them) leave the file store, a bounded number per look.
//! The message export's folders under `export/` are compliance records, left alone.

use super::files::{EXPORT_DIR, IMPORT_DIR};
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::{now_millis, AppError};

/// How often the service looks.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// The most files one look deletes per directory; the rest wait for the next.
const MAX_PER_SWEEP: usize = 1000;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Deletes the expired files of both directories as of `now`; how many went.
pub async fn delete_expired(app: &App, now: i64) -> AppResult<usize> {
    let config = app.config();
    let mut deleted = 0;
    for (dir, days) in [
        (IMPORT_DIR, config.import_settings.retention_days),
        (EXPORT_DIR, config.export_settings.retention_days),
    ] {
        if days <= 0 {
            continue;
        }
        let cutoff = now - days.saturating_mul(DAY_MS);
        let failed = |e| AppError::internal("app.import.files.app_error", e);
        let files = app.files.store.list_files(dir).await.map_err(failed)?;
        let expired = files.iter().filter(|(_, _, modified)| *modified < cutoff);
        for (name, _, _) in expired.take(MAX_PER_SWEEP) {
            app.files
                .store
                .remove(&format!("{dir}/{name}"))
                .await
                .map_err(failed)?;
            tracing::info!(dir, name, "an expired import or export file was deleted");
            deleted += 1;
        }
    }
    Ok(deleted)
}

pub(crate) struct BulkFileCleanup {
    pub app: Weak<App>,
}

impl Service for BulkFileCleanup {
    fn name(&self) -> &'static str {
        "import and export clean-up"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(SWEEP_EVERY);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                if let Err(e) = delete_expired(&app, now_millis()).await {
                    tracing::error!(error = %e, "deleting expired import and export files failed");
                }
            }
        })
    }
}

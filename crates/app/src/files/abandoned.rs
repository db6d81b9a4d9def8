//! Resumable uploads nobody finished: the `abandoned uploads` service deletes each upload
//! session older than `ABANDONED_AFTER_MS`, with the chunks it received. Mattermost deletes
//! import uploads after `ImportSettings.RetentionDays` (30 days by default, its
//! `import_delete` job) and leaves attachment uploads forever; Utmost gives every upload
//! those 30 days.

use super::uploads::parts_dir;
use crate::services::{Run, Service, Stop, Ticks};
use crate::{App, AppResult};
use std::sync::Weak;
use std::time::Duration;
use utmost_model::now_millis;

/// How old an unfinished upload is when it is deleted.
pub const ABANDONED_AFTER_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// How often the service looks.
pub const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// The most uploads one sweep step deletes; the service takes another while a full one
/// came back.
const BATCH: i64 = 100;
const BATCH_LEN: usize = BATCH as usize;

/// Deletes up to one batch of the uploads created before `created_before`, with their
/// chunks, and returns how many it deleted. An upload receiving data right now is left for
/// the next sweep.
pub async fn delete_abandoned(app: &App, created_before: i64) -> AppResult<usize> {
    let old =
        utmost_store::upload_sessions::created_before(&app.store, created_before, BATCH).await?;
    let mut deleted = 0;
    for us in &old {
        let receiving = app
            .files
            .receiving
            .lock()
            .map_or(true, |set| set.contains(&us.id));
        if receiving {
            continue;
        }
        // The row first: a chunk arriving now finds no upload and removes what it wrote.
        utmost_store::upload_sessions::delete(&app.store, &us.id).await?;
        if let Err(e) = app.files.store.remove_all(&parts_dir(us)).await {
            tracing::warn!(upload_id = %us.id, error = %e, "could not remove an abandoned upload's chunks");
        }
        deleted += 1;
    }
    Ok(deleted)
}

/// Sweeps abandoned uploads every `SWEEP_EVERY`, a bounded batch at a time.
pub(crate) struct AbandonedUploads {
    pub app: Weak<App>,
}

impl Service for AbandonedUploads {
    fn name(&self) -> &'static str {
        "abandoned uploads"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut ticks = Ticks::every(SWEEP_EVERY);
            while let Some(app) = ticks.next_led(&mut stop, &self.app).await {
                let before = now_millis() - ABANDONED_AFTER_MS;
                loop {
                    match delete_abandoned(&app, before).await {
                        Ok(n) if n >= BATCH_LEN && !stop.is_requested() => continue,
                        Ok(_) => break,
                        Err(e) => {
                            tracing::error!(error = %e, "deleting abandoned uploads failed");
                            break;
                        }
                    }
                }
            }
        })
    }
}

//! `POST /file/s3_test` (`TestFileStoreConnectionWithConfig`): whether the file settings an
//! administrator is about to save reach their store.

use super::storage::{FileStore, StorageError};
use crate::authorization::require_system;
use crate::errors::FileError;
use crate::{App, AppResult};
use utmost_config::{FileSettings, FAKE_SETTING};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;

pub fn require_test(app: &App, session: &Session) -> AppResult<()> {
    require_system(app, session, permissions::TEST_S3)
}

/// Lists the store `settings` describe. A secret shown masked to the administrator stands
/// for the one in force, as Mattermost reads it.
pub async fn test(app: &App, mut settings: FileSettings) -> AppResult<()> {
    if settings.amazon_s3_secret_access_key == FAKE_SETTING {
        settings.amazon_s3_secret_access_key = app
            .config()
            .file_settings
            .amazon_s3_secret_access_key
            .clone();
    }
    if settings.driver_name == super::storage::DRIVER_S3 && settings.amazon_s3_bucket.is_empty() {
        return Err(AppError::bad_request(
            "api.admin.test_s3.missing_s3_bucket",
            "S3 Bucket is required",
        ));
    }
    let store = FileStore::from_settings(&settings).map_err(|e| {
        tracing::warn!(error = %e, "file store settings under test are unusable");
        AppError::from(FileError::ConnectionFailed).with_detail(e.to_string())
    })?;
    store.test_connection().await.map_err(|e| {
        tracing::warn!(error = %e, "file store connection test failed");
        let failure = match &e {
            StorageError::Auth(_) => FileError::S3Auth,
            StorageError::NoBucket(_) => FileError::S3NoBucket,
            _ => FileError::ConnectionFailed,
        };
        AppError::from(failure).with_detail(e.to_string())
    })
}

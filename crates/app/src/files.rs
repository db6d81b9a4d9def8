//! Uploaded files (Mattermost's `app/file.go` and `app/upload.go`): the file store, uploads
//! in one request or resumable in chunks, downloads with Mattermost's permission rule,
//! files attached to posts and deleted with them, and public links.

pub mod abandoned;
pub mod connection;
pub mod download;
pub mod links;
pub mod posts;
mod processing;
pub mod storage;
pub mod upload;
pub mod uploads;
pub mod zip_upload;

use crate::errors::FileError;
use crate::{App, AppResult};
use std::collections::HashSet;
use std::sync::Mutex;
use storage::FileStore;
use utmost_config::Config;
use utmost_model::AppError;
use utmost_store::Store;

/// What `App` keeps for files: the store, the public-link salt in force and the resumable
/// uploads receiving data right now.
pub struct Files {
    pub store: FileStore,
    link_salt: String,
    receiving: Mutex<HashSet<String>>,
}

/// The `systems` row that keeps the salt of public links when `FileSettings.PublicLinkSalt`
/// is empty (Mattermost writes a generated one into its config file instead).
const LINK_SALT_KEY: &str = "UtmostPublicLinkSalt";

impl Files {
    /// Opens the configured file store; a store that cannot be opened stops the start.
    pub async fn start(config: &Config, store: &Store) -> AppResult<Self> {
        let files = FileStore::from_settings(&config.file_settings)
            .map_err(|e| AppError::internal("api.file.no_driver.app_error", e))?;
        let link_salt = if config.file_settings.public_link_salt.is_empty() {
            let made = format!("{}{}", utmost_model::new_id(), utmost_model::new_id());
            utmost_store::systems::insert_if_absent(store, LINK_SALT_KEY, &made).await?;
            utmost_store::systems::get(store, LINK_SALT_KEY)
                .await?
                .unwrap_or(made)
        } else {
            config.file_settings.public_link_salt.clone()
        };
        Ok(Self {
            store: files,
            link_salt,
            receiving: Mutex::new(HashSet::new()),
        })
    }
}

/// `FileSettings.EnableFileAttachments` and a configured driver, which every upload needs.
pub fn require_uploads(app: &App, disabled: FileError) -> AppResult<()> {
    let settings = &app.config().file_settings;
    if !settings.enable_file_attachments {
        return Err(disabled.into());
    }
    if settings.driver_name.is_empty() {
        return Err(FileError::NoStorage.into());
    }
    Ok(())
}

/// `model.SanitizeFilename` after `filepath.Base`: the last path segment without control
/// characters; `None` when nothing usable is left.
pub fn sanitize_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim().to_string();
    (!clean.is_empty() && clean != "." && clean != "..").then_some(clean)
}

/// `20060102` of `millis`, the first segment of Mattermost's file paths.
fn date_segment(millis: i64) -> String {
    let (year, month, day, _) = utmost_model::time::utc_date(millis.div_euclid(1000));
    format!("{year:04}{month:02}{day:02}")
}

/// Mattermost's folder of a file: `{date}/teams/noteam/channels/{channel}/users/{user}/{id}`.
pub fn file_dir(millis: i64, channel_id: &str, user_id: &str, id: &str) -> String {
    format!(
        "{}/teams/noteam/channels/{channel_id}/users/{user_id}/{id}",
        date_segment(millis)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_folders_and_control_characters() {
        assert_eq!(sanitize_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(
            sanitize_name("C:\\x\\report.pdf").as_deref(),
            Some("report.pdf")
        );
        assert_eq!(sanitize_name("a\u{0}b\n.txt").as_deref(), Some("ab.txt"));
        assert_eq!(sanitize_name("dir/"), None);
        assert_eq!(sanitize_name(".."), None);
    }

    #[test]
    fn folders_follow_mattermosts_layout() {
        // 2024-02-29T12:00:00Z
        assert_eq!(
            file_dir(1_709_208_000_000, "c", "u", "f"),
            "20240229/teams/noteam/channels/c/users/u/f"
        );
    }
}

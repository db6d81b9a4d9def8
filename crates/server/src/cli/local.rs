//! The admin commands' view of the server: the app started on the configured database and a
//! local-mode session (as mmctl `--local`) that holds every system permission.

use super::GlobalArgs;
use anyhow::{anyhow, Context};
use std::sync::Arc;
use utmost_app::App;
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_USER};
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{is_valid_id, AppError};

pub struct Local {
    pub app: Arc<App>,
    pub session: Session,
}

impl Local {
    pub async fn open(global: &GlobalArgs) -> anyhow::Result<Self> {
        let config = global.load_config()?.config;
        let app = App::start(config)
            .await
            .map_err(app_error)
            .context("opening the database")?;
        let session = Session {
            local: true,
            roles: format!("{SYSTEM_ADMIN} {SYSTEM_USER}"),
            ..Session::default()
        };
        Ok(Self { app, session })
    }

    /// Runs one command, then closes the database whatever the outcome.
    pub async fn run<T>(
        global: &GlobalArgs,
        command: impl AsyncFnOnce(&Local) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let local = Self::open(global).await?;
        let result = command(&local).await;
        local.app.shutdown().await;
        result
    }

    /// The user `key` names: an e-mail address, a username or an id (mmctl's order).
    pub async fn user(&self, key: &str) -> anyhow::Result<User> {
        let by_email = if key.contains('@') {
            super::service_gaps::get_user_by_email(&self.app, key).await
        } else {
            Ok(None)
        };
        let found = match by_email.map_err(app_error)? {
            Some(u) => Some(u),
            None => match super::service_gaps::get_user_by_username(&self.app, key)
                .await
                .map_err(app_error)?
            {
                Some(u) => Some(u),
                None if is_valid_id(key) => optional(utmost_app::users::get(&self.app, key).await)?,
                None => None,
            },
        };
        found.ok_or_else(|| anyhow!("user {key:?} not found"))
    }
}

/// `Ok(None)` for a 404, the value or the error otherwise.
pub fn optional<T>(result: Result<T, AppError>) -> anyhow::Result<Option<T>> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.status_code == 404 => Ok(None),
        Err(e) => Err(app_error(e)),
    }
}

/// A service error as a sentence for a terminal, keeping Mattermost's id for searching.
pub fn app_error(e: AppError) -> anyhow::Error {
    if e.detailed_error.is_empty() {
        anyhow!("{} [{}]", e.message, e.id)
    } else {
        anyhow!("{} ({}) [{}]", e.message, e.detailed_error, e.id)
    }
}

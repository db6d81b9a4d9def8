//! Install-wide answers the clients ask for at start-up: health, client configuration,
//! licence, limits, environment overrides and time zones.

mod client_config;
mod health;
mod license;
mod timezones;

pub use client_config::{client_config, ClientFacts};
pub use health::{push_healthy, search_healthy, smtp_healthy};
pub use license::{client_license, previous_trial_license};
pub use timezones::SUPPORTED_TIMEZONES;

use crate::{App, AppResult};
use serde::Serialize;
use serde_json::{Map, Value};
use utmost_config::{Config, LoadOptions, Source};
use utmost_model::{new_id, AppError};
use utmost_store::{systems, users};

/// Mattermost's `StatusOk` / `StatusUnhealthy`.
pub const STATUS_OK: &str = "OK";
pub const STATUS_UNHEALTHY: &str = "UNHEALTHY";

/// Mattermost keeps the telemetry id under this name in `Systems`; clients see it as
/// `DiagnosticId`/`TelemetryId`.
const TELEMETRY_ID_KEY: &str = "DiagnosticId";
const INSTALLATION_DATE_KEY: &str = "InstallationDate";

/// Writes and deletes a row, as Mattermost's ping does for `database_status`.
pub async fn database_healthy(app: &App) -> bool {
    match app.store.health_check().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "database health check failed");
            false
        }
    }
}

/// Writes and deletes a file in the file store in force (local directory or S3), as
/// Mattermost's ping checks `filestore_status`.
pub async fn filestore_healthy(app: &App) -> bool {
    match filestore_check(app).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "file store health check failed");
            false
        }
    }
}

/// Writes, reads back and deletes a probe file in the file store in force.
pub async fn filestore_check(app: &App) -> Result<(), crate::files::storage::StorageError> {
    let probe = format!("health_check_{}", new_id());
    let store = &app.files.store;
    store.write(&probe, b"ok".to_vec()).await?;
    let read = store.read(&probe).await;
    store.remove(&probe).await?;
    read.map(|_| ())
}

/// The facts `GET /config/client` adds to the configuration.
pub async fn client_facts(app: &App) -> AppResult<ClientFacts> {
    Ok(ClientFacts {
        telemetry_id: telemetry_id(app).await?,
        no_accounts: users::count_humans(&app.store).await? == 0,
        installation_date: systems::get(&app.store, INSTALLATION_DATE_KEY)
            .await?
            .unwrap_or_default(),
    })
}

/// The install's telemetry id, created on first use (concurrent first uses agree, because
/// only the first insert wins).
pub(crate) async fn telemetry_id(app: &App) -> AppResult<String> {
    if let Some(id) = systems::get(&app.store, TELEMETRY_ID_KEY).await? {
        return Ok(id);
    }
    systems::insert_if_absent(&app.store, TELEMETRY_ID_KEY, &new_id()).await?;
    Ok(systems::get(&app.store, TELEMETRY_ID_KEY)
        .await?
        .unwrap_or_default())
}

/// `GET /limits/server` (`model.ServerLimits`). Utmost caps nothing, so every limit is 0
/// ("none"), which clients read as an unlimited server.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerLimits {
    pub max_users_limit: i64,
    pub max_users_hard_limit: i64,
    pub active_user_count: i64,
    pub single_channel_guest_count: i64,
    pub single_channel_guest_limit: i64,
    pub post_history_limit: i64,
    pub last_accessible_post_time: i64,
}

/// The limits; only administrators see the active-user count, as in Mattermost.
pub async fn server_limits(app: &App, admin_view: bool) -> AppResult<ServerLimits> {
    let active_user_count = if admin_view {
        users::count_active_users(&app.store).await.map_err(|e| {
            AppError::internal("app.limits.get_app_limits.user_count.store_error", e)
        })?
    } else {
        0
    };
    Ok(ServerLimits {
        active_user_count,
        ..ServerLimits::default()
    })
}

/// `GET /config/environment`: `{Section: {Key: true}}` for every setting an `MM_*` variable
/// in `env` overrides. The loader is a pure function of its inputs, so running it again over
/// the process environment names exactly the overrides the server started with.
pub fn environment_overrides(env: Vec<(String, String)>) -> AppResult<Value> {
    let loaded = Config::load(LoadOptions {
        env,
        ..LoadOptions::default()
    })
    .map_err(|e| AppError::internal("api.config.get_environment.app_error", e))?;
    let mut tree = Map::new();
    for (setting, source) in loaded.sources {
        let Source::Env(_) = source else { continue };
        let Some((section, key)) = setting.split_once('.') else {
            continue;
        };
        if let Value::Object(keys) = tree
            .entry(section.to_string())
            .or_insert_with(|| Value::Object(Map::new()))
        {
            keys.insert(key.to_string(), Value::Bool(true));
        }
    }
    Ok(Value::Object(tree))
}

/// The process's `MM_*` variables, for [`environment_overrides`].
pub fn process_environment() -> Vec<(String, String)> {
    LoadOptions::from_process_env(None).env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_name_only_env_settings() {
        let tree = environment_overrides(vec![
            (
                "MM_SERVICESETTINGS_SITEURL".into(),
                "https://chat.example".into(),
            ),
            ("MM_TEAMSETTINGS_MAXUSERSPERTEAM".into(), "20".into()),
            ("MM_NOSUCH_SETTING".into(), "x".into()),
        ])
        .unwrap();
        assert_eq!(
            tree,
            serde_json::json!({
                "ServiceSettings": {"SiteURL": true},
                "TeamSettings": {"MaxUsersPerTeam": true},
            })
        );
        assert_eq!(
            environment_overrides(Vec::new()).unwrap(),
            serde_json::json!({})
        );
    }
}

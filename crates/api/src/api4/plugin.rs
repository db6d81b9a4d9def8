//! `/plugins` (Mattermost's api4/plugin.go): upload, list, enable, disable and remove
//! WebAssembly plugins, their statuses, and the web app parts clients load.

use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::auth::Auth;
use crate::extract::ApiPath;
use crate::{ApiResult, AppState};
use utmost_app::authorization::require_system;
use utmost_app::plugins::{self, bundle::MAX_BUNDLE_BYTES, manifest::Manifest, Status};
use utmost_model::permissions::{SYSCONSOLE_READ_PLUGINS, SYSCONSOLE_WRITE_PLUGINS};
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/plugins",
            post(upload)
                .layer(DefaultBodyLimit::max(MAX_BUNDLE_BYTES + 64 * 1024))
                .get(list),
        )
        .route("/plugins/webapp", get(webapp_plugins))
        .route("/plugins/statuses", get(plugin_statuses))
        .route("/plugins/{plugin_id}", delete(remove))
        .route("/plugins/{plugin_id}/enable", post(enable))
        .route("/plugins/{plugin_id}/disable", post(disable))
}

fn ok() -> Json<Value> {
    Json(json!({ "status": "OK" }))
}

/// `POST /plugins`: a multipart form with the bundle in `plugin` and `force=true` to replace.
async fn upload(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<Manifest>)> {
    require_system(&app, &session, SYSCONSOLE_WRITE_PLUGINS)?;
    let settings = &app.config().plugin_settings;
    if !settings.enable || !settings.enable_uploads {
        return Err(AppError::new(
            501,
            "app.plugin.upload_disabled.app_error",
            "Plugins and/or plugin uploads have been disabled.",
        )
        .into());
    }
    let no_file = || {
        AppError::bad_request(
            "api.plugin.upload.file.app_error",
            "Unable to open file in multipart/form request.",
        )
    };
    let mut form = form.map_err(|_| no_file())?;
    let (mut bundle, mut force) = (None, false);
    while let Some(field) = form.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                413,
                "api.plugin.upload.file.app_error",
                "The plugin bundle is larger than 50 MB.",
            )
        } else {
            no_file()
        }
    })? {
        match field.name() {
            Some("plugin") if bundle.is_none() => {
                bundle = Some(field.bytes().await.map_err(|_| no_file())?.to_vec())
            }
            Some("force") => force = field.text().await.map_err(|_| no_file())? == "true",
            _ => {}
        }
    }
    let manifest = plugins::install(&app, bundle.ok_or_else(no_file)?, force).await?;
    Ok((StatusCode::CREATED, Json(manifest)))
}

/// `GET /plugins`: `{active, inactive}` manifests.
async fn list(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<plugins::PluginsResponse>> {
    require_system(&app, &session, SYSCONSOLE_READ_PLUGINS)?;
    Ok(Json(plugins::list(&app).await?))
}

async fn remove(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(plugin_id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, SYSCONSOLE_WRITE_PLUGINS)?;
    plugins::remove(&app, &plugin_id).await?;
    Ok(ok())
}

async fn enable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(plugin_id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, SYSCONSOLE_WRITE_PLUGINS)?;
    plugins::set_enabled(&app, &plugin_id, true).await?;
    Ok(ok())
}

async fn disable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(plugin_id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, SYSCONSOLE_WRITE_PLUGINS)?;
    plugins::set_enabled(&app, &plugin_id, false).await?;
    Ok(ok())
}

/// The running plugins with a web app part, for every client (Mattermost answers this one
/// without a session: the web app asks before it signs in).
async fn webapp_plugins(State(app): State<AppState>) -> Json<Vec<Manifest>> {
    Json(plugins::webapp(&app))
}

/// This node's statuses of the installed plugins.
async fn plugin_statuses(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Vec<Status>>> {
    require_system(&app, &session, SYSCONSOLE_READ_PLUGINS)?;
    Ok(Json(plugins::statuses(&app)))
}

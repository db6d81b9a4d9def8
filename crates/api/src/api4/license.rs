//! `/license*` and `/trial-license*` (Mattermost's api4/license.go). Utmost has no licence to
//! add or remove: every feature is there (see `system::client_license`), so an uploaded
//! licence file is refused as invalid and removing the licence changes nothing.

use super::status_ok;
use crate::auth::{Auth, MaybeAuth};
use crate::extract::ApiQuery;
use crate::{ApiError, ApiResult, AppState};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use utmost_app::authorization::{has_system_permission, require_system_unrestricted};
use utmost_app::system;
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/license", post(add_license).delete(remove_license))
        .route("/license/preview", post(add_license))
        .route("/license/client", get(client_license))
        .route("/license/load_metric", get(load_metric))
        .route("/trial-license", post(request_trial_license))
        .route("/trial-license/prev", get(previous_trial_license))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FormatQuery {
    pub format: String,
}

impl FormatQuery {
    /// Only `format=old` exists: a missing format is 501 `<prefix>.old_format.app_error`, any
    /// other 400, as in Mattermost.
    pub fn require_old(&self, error_prefix: &str) -> ApiResult<()> {
        match self.format.as_str() {
            "old" => Ok(()),
            "" => Err(ApiError(AppError::new(
                501,
                &format!("{error_prefix}.old_format.app_error"),
                "The new format is not supported yet; request format=old.",
            ))),
            _ => Err(ApiError(AppError::invalid_param("format"))),
        }
    }
}

/// Public; the licence's own fields only for those who may read licence information.
async fn client_license(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    q.require_old("api.license.client")?;
    let full = session
        .is_some_and(|s| has_system_permission(&app, &s, permissions::READ_LICENSE_INFORMATION));
    Ok(Json(system::client_license(full)))
}

async fn previous_trial_license(Auth(_session): Auth) -> Json<BTreeMap<String, String>> {
    Json(system::previous_trial_license())
}

/// `manage_license_information`, which a restricted system admin does not use.
fn require_manage_license(app: &AppState, session: &Session) -> ApiResult<()> {
    Ok(require_system_unrestricted(
        app,
        session,
        permissions::MANAGE_LICENSE_INFORMATION,
    )?)
}

/// `POST /license` and `/license/preview`: the upload is read as Mattermost reads it (a
/// `license` part), and whatever it holds is no licence Utmost takes.
async fn add_license(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    require_manage_license(&app, &session)?;
    let mut form = form.map_err(|e| {
        AppError::bad_request(
            "api.license.parse_license.parse_form.app_error",
            "Could not parse the multipart request.",
        )
        .with_detail(e.body_text())
    })?;
    while let Some(field) = form.next_field().await.map_err(|e| {
        AppError::bad_request(
            "api.license.parse_license.parse_form.app_error",
            "Could not parse the multipart request.",
        )
        .with_detail(e.body_text())
    })? {
        if field.name() == Some("license") {
            return Err(AppError::bad_request(
                "api.license.add_license.invalid.app_error",
                "Utmost needs no licence file: every feature is included.",
            )
            .into());
        }
    }
    Err(AppError::bad_request(
        "api.license.add_license.no_file.app_error",
        "No file under 'license' in request.",
    )
    .into())
}

/// `DELETE /license`: there is none to remove; every feature stays.
async fn remove_license(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_manage_license(&app, &session)?;
    Ok(status_ok())
}

/// `POST /trial-license`: nothing to try, everything is there.
async fn request_trial_license(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_manage_license(&app, &session)?;
    Err(AppError::bad_request(
        "api.license.request-trial.can-start-trial.not-allowed",
        "Utmost has no trial: every feature is included.",
    )
    .into())
}

/// `GET /license/load_metric`: monthly active users per licensed seat; without seats, 0.
async fn load_metric(Auth(_session): Auth) -> Json<Value> {
    Json(json!({"load": 0}))
}

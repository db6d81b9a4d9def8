//! `/license/client` and `/trial-license/prev` (Mattermost's api4/license.go).

use crate::auth::Auth;
use crate::extract::ApiQuery;
use crate::{ApiError, ApiResult, AppState};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::BTreeMap;
use utmost_app::system;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/license/client", get(client_license))
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

async fn client_license(
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    q.require_old("api.license.client")?;
    Ok(Json(system::client_license()))
}

/// The previous trial license as the client sees one: there never was one, so the same
/// unlicensed map as `/license/client`.
async fn previous_trial_license(Auth(_session): Auth) -> Json<BTreeMap<String, String>> {
    Json(system::client_license())
}

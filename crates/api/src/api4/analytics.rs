//! `GET /analytics/old` (Mattermost's `getAnalytics` in `api4/system.go`): the System
//! Console's site and team statistics, as rows of `{name, value}`.

use crate::auth::Auth;
use crate::extract::ApiQuery;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::analytics::{self, AnalyticsRow};
use utmost_app::authorization::require_system;
use utmost_model::permissions as perm;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/analytics/old", get(get_analytics))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AnalyticsQuery {
    name: String,
    team_id: String,
}

/// `get_analytics` system-wide (which `sysconsole_read_reporting_site_statistics` and
/// `sysconsole_read_user_management_users` grant), then the rows of `name` (default
/// `standard`); a name Mattermost does not serve is a 400 on `name`.
async fn get_analytics(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<AnalyticsQuery>,
) -> ApiResult<Json<Vec<AnalyticsRow>>> {
    let name = if q.name.is_empty() {
        "standard"
    } else {
        q.name.as_str()
    };
    require_system(&app, &session, perm::GET_ANALYTICS)?;
    let team = (!q.team_id.is_empty()).then_some(q.team_id.as_str());
    match analytics::get(&app, name, team).await? {
        Some(rows) => Ok(Json(rows)),
        None => Err(AppError::invalid_param("name").into()),
    }
}

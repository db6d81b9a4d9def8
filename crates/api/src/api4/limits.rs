//! `/limits/server` (Mattermost's api4/limits.go).

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utmost_app::authorization::has_system_permission;
use utmost_app::system::{self, ServerLimits};
use utmost_model::permissions;

pub fn routes() -> Router<AppState> {
    Router::new().route("/limits/server", get(server_limits))
}

/// Any session; counts only for system admins who may read user management.
async fn server_limits(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<ServerLimits>> {
    let admin_view = [
        permissions::MANAGE_SYSTEM,
        permissions::SYSCONSOLE_READ_USER_MANAGEMENT_USERS,
    ]
    .iter()
    .all(|p| has_system_permission(&app, &session, p));
    Ok(Json(system::server_limits(&app, admin_view).await?))
}

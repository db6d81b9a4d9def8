//! `GET /system/doctor`: Utmost's rollout checklist (`utmost doctor`) for the System
//! Console. Not in Mattermost; only for those who manage the system, since it names the
//! servers and paths the configuration points at.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use utmost_app::authorization::require_system;
use utmost_app::doctor::{self, Report};
use utmost_model::permissions::MANAGE_SYSTEM;

pub fn routes() -> Router<AppState> {
    Router::new().route("/system/doctor", get(run))
}

async fn run(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Json<Report>> {
    require_system(&app, &session, MANAGE_SYSTEM)?;
    let config = app.config();
    Ok(Json(doctor::run(&app, &config).await))
}

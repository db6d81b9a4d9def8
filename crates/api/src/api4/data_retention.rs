//! A user's data retention policies (Mattermost's api4/data_retention.go).
//!
//! Utmost has no data retention policies, so a user's lists are empty pages. (A Mattermost
//! server without the enterprise feature answers these with 501.)

use crate::auth::Auth;
use crate::extract::ApiPath;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use utmost_app::authorization::require_self_or_system_admin;
use utmost_model::UserParam;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/data_retention/team_policies",
            get(user_policies),
        )
        .route(
            "/users/{user_id}/data_retention/channel_policies",
            get(user_policies),
        )
}

/// A user's own policies, or anyone's for `manage_system`: `{policies, total_count}`.
async fn user_policies(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user): ApiPath<UserParam>,
) -> ApiResult<Json<Value>> {
    require_self_or_system_admin(&app, &session, &user.resolve(&session))?;
    Ok(Json(json!({"policies": [], "total_count": 0})))
}

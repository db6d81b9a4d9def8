//! `/roles` (Mattermost's api4/role.go).

use crate::auth::{Auth, AuthTrusted};
use crate::extract::{decode, payload_error, ApiPath, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use utmost_app::authorization::require_system;
use utmost_app::roles;
use utmost_model::permissions;
use utmost_model::role::{is_valid_role_name, Role, RolePatch};
use utmost_model::AppError;
use utmost_model::RoleId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/roles", get(get_all_roles))
        .route("/roles/names", post(get_roles_by_names))
        .route("/roles/name/{role_name}", get(get_role_by_name))
        .route("/roles/{role_id}", get(get_role))
        .route("/roles/{role_id}/patch", put(patch_role))
}

async fn get_all_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Vec<Role>>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    Ok(Json(roles::list(&app).await?))
}

async fn get_role(
    State(app): State<AppState>,
    AuthTrusted(_): AuthTrusted,
    ApiPath(role_id): ApiPath<RoleId>,
) -> ApiResult<Json<Role>> {
    Ok(Json(roles::get(&app, &role_id).await?))
}

async fn get_role_by_name(
    State(app): State<AppState>,
    AuthTrusted(_): AuthTrusted,
    ApiPath(role_name): ApiPath<String>,
) -> ApiResult<Json<Role>> {
    if !is_valid_role_name(&role_name) {
        return Err(ApiError(AppError::invalid_url_param("role_name")));
    }
    Ok(Json(roles::get_by_name(&app, &role_name).await?))
}

async fn get_roles_by_names(
    State(app): State<AppState>,
    AuthTrusted(_): AuthTrusted,
    body: RawBody,
) -> ApiResult<Json<Vec<Role>>> {
    let names: Vec<String> = decode(body, payload_error)?;
    Ok(Json(roles::get_by_names(&app, names).await?))
}

async fn patch_role(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(role_id): ApiPath<RoleId>,
    body: RawBody,
) -> ApiResult<Json<Role>> {
    let patch: RolePatch = decode(body, || AppError::invalid_param("role"))?;
    Ok(Json(roles::patch(&app, &session, &role_id, patch).await?))
}

//! `/users/{id}/status`: presence and custom status (Mattermost's api4/status.go).

use crate::auth::Auth;
use crate::extract::{ApiJson, ApiPath};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::status;
use utmost_model::session::Session;
use utmost_model::status::Status;
use utmost_model::AppError;
use utmost_model::{UserId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/status/ids", post(get_statuses_by_ids))
        .route(
            "/users/{user_id}/status",
            get(get_status).put(update_status),
        )
        .route(
            "/users/{user_id}/status/custom",
            put(set_custom_status).delete(clear_custom_status),
        )
        .route(
            "/users/{user_id}/status/custom/recent",
            axum::routing::delete(remove_recent_custom_status),
        )
        .route(
            "/users/{user_id}/status/custom/recent/delete",
            post(remove_recent_custom_status),
        )
}

fn statuses_enabled(app: &AppState) -> ApiResult<()> {
    if app.config().service_settings.enable_user_statuses {
        Ok(())
    } else {
        Err(ApiError(AppError::new(
            501,
            "api.status.disabled.app_error",
            "User statuses are disabled on this server.",
        )))
    }
}

/// The path's user, who must be the caller or someone the caller may edit.
async fn editable_user(app: &AppState, session: &Session, user: UserParam) -> ApiResult<UserId> {
    let user_id = user.resolve(session);
    utmost_app::authorization::require_act_on_user(app, session, &user_id).await?;
    Ok(user_id)
}

async fn get_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Status>> {
    statuses_enabled(&app)?;
    let user_id = user_id.resolve(&session);
    Ok(Json(status::get(&app, &user_id)))
}

async fn get_statuses_by_ids(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiJson(ids): ApiJson<Vec<String>>,
) -> ApiResult<Json<Vec<Status>>> {
    statuses_enabled(&app)?;
    if ids.is_empty() || ids.iter().any(|id| !utmost_model::is_valid_id(id)) {
        return Err(ApiError(AppError::invalid_param("user_ids")));
    }
    Ok(Json(status::get_many(&app, &ids)))
}

#[derive(Deserialize)]
struct StatusBody {
    #[serde(default)]
    user_id: String,
    status: String,
    #[serde(default)]
    dnd_end_time: i64,
}

async fn update_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiJson(body): ApiJson<StatusBody>,
) -> ApiResult<Json<Status>> {
    statuses_enabled(&app)?;
    let user_id = editable_user(&app, &session, user_id).await?;
    if !body.user_id.is_empty() && body.user_id != user_id {
        return Err(ApiError(AppError::invalid_param("user_id")));
    }
    Ok(Json(
        status::set_manual(&app, &user_id, &body.status, body.dnd_end_time).await?,
    ))
}

async fn set_custom_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiJson(body): ApiJson<status::CustomStatus>,
) -> ApiResult<Json<Value>> {
    custom_statuses_enabled(&app)?;
    let user_id = editable_user(&app, &session, user_id).await?;
    status::set_custom(&app, &user_id, body).await?;
    Ok(super::status_ok())
}

async fn clear_custom_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Value>> {
    custom_statuses_enabled(&app)?;
    let user_id = editable_user(&app, &session, user_id).await?;
    status::clear_custom(&app, &user_id).await?;
    Ok(super::status_ok())
}

async fn remove_recent_custom_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiJson(body): ApiJson<status::CustomStatus>,
) -> ApiResult<Json<Value>> {
    custom_statuses_enabled(&app)?;
    let user_id = editable_user(&app, &session, user_id).await?;
    status::remove_recent_custom(&app, &user_id, &body).await?;
    Ok(super::status_ok())
}

fn custom_statuses_enabled(app: &AppState) -> ApiResult<()> {
    if app.config().team_settings.enable_custom_user_statuses {
        Ok(())
    } else {
        Err(ApiError(AppError::new(
            501,
            "api.custom_status.disabled",
            "Custom statuses are disabled on this server.",
        )))
    }
}

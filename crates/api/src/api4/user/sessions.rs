//! Sessions: list and revoke one's own (or, with edit_other_users, anyone's), log everyone out,
//! attach a mobile device.

use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use utmost_app::authorization::{require_act_on_user, require_system};
use utmost_app::sessions;
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_model::UserParam;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{user_id}/sessions", get(list))
        .route("/users/{user_id}/sessions/revoke", post(revoke))
        .route("/users/{user_id}/sessions/revoke/all", post(revoke_all))
        .route("/users/sessions/revoke/all", post(revoke_everyone))
        .route("/users/sessions/device", put(attach_device))
}

async fn list(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Vec<Session>>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    Ok(Json(sessions::list_for_user(&app, &user_id).await?))
}

async fn revoke(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("session_id"))?;
    let session_id = props
        .get("session_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::invalid_param("session_id"))?;
    sessions::revoke_of_user(&app, &user_id, session_id).await?;
    Ok(status_ok())
}

async fn revoke_all(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    sessions::revoke_all_for_user(&app, &user_id).await?;
    Ok(status_ok())
}

async fn revoke_everyone(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    sessions::revoke_everyone(&app).await?;
    Ok(status_ok())
}

/// Session props the mobile app reports along with its device id.
const DEVICE_PROPS: &[&str] = &["device_notification_disabled", "mobile_version"];

async fn attach_device(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("device_id"))?;
    let text = |k: &str| match props.get(k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    };
    let device_id = text("device_id")
        .filter(|d| !d.is_empty())
        .ok_or_else(|| AppError::invalid_param("device_id"))?;
    let extra: BTreeMap<String, String> = DEVICE_PROPS
        .iter()
        .filter_map(|k| text(k).map(|v| (k.to_string(), v)))
        .collect();
    sessions::attach_device(&app, &session, &device_id, extra).await?;
    Ok(status_ok())
}

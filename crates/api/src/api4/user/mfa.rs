//! Multi-factor authentication (`/users/mfa`, `/users/{user_id}/mfa`, `.../mfa/generate`).
//! The two per-user routes stay open to a user whom enforcement otherwise refuses: they are
//! how MFA gets set up.

use crate::api4::status_ok;
use crate::auth::AuthBeforeMfa;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, EXPIRES, PRAGMA};
use axum::response::IntoResponse;
use axum::routing::{post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use utmost_app::authorization::require_act_on_user;
use utmost_app::users::mfa;
use utmost_model::permissions;
use utmost_model::{AppError, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/mfa", post(required_for_login))
        .route("/users/{user_id}/mfa", put(update))
        .route("/users/{user_id}/mfa/generate", post(generate))
}

/// Public: `{"mfa_required": bool}` for a login id, so a login form can ask for the code.
async fn required_for_login(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("login_id"))?;
    let login_id = props
        .get("login_id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AppError::invalid_param("login_id"))?;
    let required = mfa::required_for_login(&app, login_id).await?;
    Ok(Json(json!({ "mfa_required": required })))
}

/// A new secret and its QR code; never cached on the way.
async fn generate(
    State(app): State<AppState>,
    AuthBeforeMfa(session): AuthBeforeMfa,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<impl IntoResponse> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let secret = mfa::generate(&app, &user_id).await?;
    Ok((
        [
            (CACHE_CONTROL, "no-cache"),
            (PRAGMA, "no-cache"),
            (EXPIRES, "0"),
        ],
        Json(secret),
    ))
}

/// `{"activate": true, "code": "123456"}` turns MFA on; `{"activate": false}` turns it off.
async fn update(
    State(app): State<AppState>,
    AuthBeforeMfa(session): AuthBeforeMfa,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    if session.is_oauth {
        return Err(AppError::permission_denied(permissions::EDIT_OTHER_USERS)
            .with_detail("attempted access by oauth app")
            .into());
    }
    require_act_on_user(&app, &session, &user_id).await?;
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("activate"))?;
    let activate = props
        .get("activate")
        .and_then(Value::as_bool)
        .ok_or_else(|| AppError::invalid_param("activate"))?;
    if activate {
        let code = props
            .get("code")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| AppError::invalid_param("code"))?;
        mfa::activate(&app, &user_id, code).await?;
    } else {
        mfa::deactivate(&app, &user_id).await?;
    }
    Ok(status_ok())
}

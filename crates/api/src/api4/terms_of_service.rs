//! Custom terms of service (Mattermost's api4/terms_of_service.go and the user routes of
//! api4/user.go). The user routes act on the session's own user whatever the path names, as
//! Mattermost's do.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_app::terms_of_service::{self as terms, TermsOfService, UserTermsOfService};
use utmost_model::permissions as perm;
use utmost_model::{AppError, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/terms_of_service", get(latest).post(create))
        .route(
            "/users/{user_id}/terms_of_service",
            get(accepted).post(record),
        )
}

async fn latest(State(app): State<AppState>, Auth(_): Auth) -> ApiResult<Json<TermsOfService>> {
    Ok(Json(terms::latest(&app).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewTerms {
    text: String,
}

async fn create(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<TermsOfService>> {
    require_system(&app, &session, perm::MANAGE_SYSTEM)?;
    // Mattermost reads the body as a map of strings: anything else is no text.
    let new: NewTerms = decode(body, || AppError::invalid_param("text")).unwrap_or_default();
    Ok(Json(
        terms::create(&app, &session.user_id, &new.text).await?,
    ))
}

#[derive(Deserialize)]
struct Decision {
    #[serde(rename = "termsOfServiceId")]
    terms_of_service_id: Option<Value>,
    accepted: Option<Value>,
}

async fn record(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(_): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let decision: Decision = decode(body, || AppError::invalid_param("termsOfServiceId"))?;
    let Some(Value::String(terms_id)) = decision.terms_of_service_id else {
        return Err(AppError::invalid_param("termsOfServiceId").into());
    };
    let Some(Value::Bool(accepted)) = decision.accepted else {
        return Err(AppError::invalid_param("accepted").into());
    };
    terms::record(&app, &session.user_id, &terms_id, accepted).await?;
    Ok(status_ok())
}

async fn accepted(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(_): ApiPath<UserParam>,
) -> ApiResult<Json<UserTermsOfService>> {
    Ok(Json(terms::accepted(&app, &session.user_id).await?))
}

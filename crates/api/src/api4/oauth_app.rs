//! `/oauth/apps` and `/users/{user_id}/oauth/apps/authorized` (Mattermost's api4/oauth.go):
//! registering and managing the apps that sign in with Utmost. The checks, in Mattermost's
//! order, are in `app::oauth_provider::apps`. The consent and token routes live outside
//! `/api/v4`: `web_oauth_provider.rs`.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::oauth_provider::apps;
use utmost_model::oauth::OAuthApp;
use utmost_model::{is_valid_id, AppError, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/apps", post(create_app).get(get_apps))
        .route(
            "/oauth/apps/{app_id}",
            get(get_app).put(update_app).delete(delete_app),
        )
        .route("/oauth/apps/{app_id}/info", get(get_app_info))
        .route("/oauth/apps/{app_id}/regen_secret", post(regen_secret))
        .route(
            "/users/{user_id}/oauth/apps/authorized",
            get(get_authorized_apps),
        )
}

/// `RequireAppId`.
fn app_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("app_id").into())
    }
}

async fn create_app(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let input: OAuthApp = decode(body, || AppError::invalid_param("oauth_app"))?;
    let created = apps::register(&app, &session, input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn get_apps(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<OAuthApp>>> {
    let (limit, offset) = paging.limit_offset();
    Ok(Json(apps::list(&app, &session, limit, offset).await?))
}

async fn get_app(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OAuthApp>> {
    let id = app_id(id)?;
    Ok(Json(apps::get(&app, &session, &id).await?))
}

async fn get_app_info(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OAuthApp>> {
    let id = app_id(id)?;
    Ok(Json(apps::info(&app, &id).await?))
}

async fn update_app(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<OAuthApp>> {
    let id = app_id(id)?;
    let input: OAuthApp = decode(body, || AppError::invalid_param("oauth_app"))?;
    Ok(Json(apps::update(&app, &session, &id, input).await?))
}

async fn delete_app(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = app_id(id)?;
    apps::delete(&app, &session, &id).await?;
    Ok(status_ok())
}

async fn regen_secret(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OAuthApp>> {
    let id = app_id(id)?;
    Ok(Json(apps::regenerate_secret(&app, &session, &id).await?))
}

async fn get_authorized_apps(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<OAuthApp>>> {
    let user_id = user_id.resolve(&session);
    let (limit, offset) = paging.limit_offset();
    Ok(Json(
        apps::authorized(&app, &session, &user_id, limit, offset).await?,
    ))
}

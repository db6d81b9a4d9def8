//! `/hooks/incoming` and `/hooks/outgoing` (Mattermost's api4/webhook.go): managing
//! webhooks. The checks, in Mattermost's order, are in `app::webhooks::{incoming,outgoing}`;
//! a handler decodes, calls one, and answers as Mattermost does (201 on create and on an
//! incoming hook's update). Receiving a hook's posts is `web_hooks.rs`.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, query_flag, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::webhooks::{incoming, outgoing};
use utmost_model::webhook::{IncomingWebhook, OutgoingWebhook};
use utmost_model::{is_valid_id, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/hooks/incoming",
            post(create_incoming_hook).get(get_incoming_hooks),
        )
        .route(
            "/hooks/incoming/{hook_id}",
            get(get_incoming_hook)
                .put(update_incoming_hook)
                .delete(delete_incoming_hook),
        )
        .route(
            "/hooks/outgoing",
            post(create_outgoing_hook).get(get_outgoing_hooks),
        )
        .route(
            "/hooks/outgoing/{hook_id}",
            get(get_outgoing_hook)
                .put(update_outgoing_hook)
                .delete(delete_outgoing_hook),
        )
        .route(
            "/hooks/outgoing/{hook_id}/regen_token",
            post(regen_outgoing_hook_token),
        )
}

/// `RequireHookId`.
fn hook_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("hook_id").into())
    }
}

/// An optional id from the query string: "" is none.
fn optional(value: &str) -> Option<&str> {
    (!value.is_empty()).then_some(value)
}

async fn create_incoming_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let hook: IncomingWebhook = decode(body, || AppError::invalid_param("incoming_webhook"))?;
    let created = incoming::create(&app, &session, hook).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize)]
struct IncomingListQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    include_total_count: String,
}

async fn get_incoming_hooks(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<IncomingListQuery>,
) -> ApiResult<Json<Value>> {
    let (limit, offset) = query.paging.limit_offset();
    let with_total = query_flag(&query.include_total_count);
    let (hooks, total) = incoming::list(
        &app,
        &session,
        optional(&query.team_id),
        limit,
        offset,
        with_total,
    )
    .await?;
    Ok(Json(match total {
        Some(total) => json!({"incoming_webhooks": hooks, "total_count": total}),
        None => json!(hooks),
    }))
}

async fn get_incoming_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<IncomingWebhook>> {
    let id = hook_id(id)?;
    Ok(Json(incoming::get(&app, &session, &id).await?))
}

async fn update_incoming_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Response> {
    let id = hook_id(id)?;
    let hook: IncomingWebhook = decode(body, || AppError::invalid_param("incoming_webhook"))?;
    let updated = incoming::update(&app, &session, &id, hook).await?;
    Ok((StatusCode::CREATED, Json(updated)).into_response())
}

async fn delete_incoming_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = hook_id(id)?;
    incoming::delete(&app, &session, &id).await?;
    Ok(status_ok())
}

async fn create_outgoing_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let hook: OutgoingWebhook = decode(body, || AppError::invalid_param("outgoing_webhook"))?;
    let created = outgoing::create(&app, &session, hook).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize)]
struct OutgoingListQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    channel_id: String,
}

async fn get_outgoing_hooks(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<OutgoingListQuery>,
) -> ApiResult<Json<Vec<OutgoingWebhook>>> {
    let (limit, offset) = query.paging.limit_offset();
    Ok(Json(
        outgoing::list(
            &app,
            &session,
            optional(&query.channel_id),
            optional(&query.team_id),
            limit,
            offset,
        )
        .await?,
    ))
}

async fn get_outgoing_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OutgoingWebhook>> {
    let id = hook_id(id)?;
    Ok(Json(outgoing::get(&app, &session, &id).await?))
}

async fn update_outgoing_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<OutgoingWebhook>> {
    let id = hook_id(id)?;
    let hook: OutgoingWebhook = decode(body, || AppError::invalid_param("outgoing_webhook"))?;
    Ok(Json(outgoing::update(&app, &session, &id, hook).await?))
}

async fn delete_outgoing_hook(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = hook_id(id)?;
    outgoing::delete(&app, &session, &id).await?;
    Ok(status_ok())
}

async fn regen_outgoing_hook_token(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<OutgoingWebhook>> {
    let id = hook_id(id)?;
    Ok(Json(outgoing::regen_token(&app, &session, &id).await?))
}

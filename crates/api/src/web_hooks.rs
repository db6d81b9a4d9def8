//! `POST /hooks/{id}` (Mattermost's web/webhook.go): an incoming webhook's post, outside
//! `/api/v4` and without a session (the id is the secret). The body is JSON, or a form whose
//! `payload` field is; the answer is `ok` as plain text, or Mattermost's error JSON.

use crate::{ApiResult, AppState};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use utmost_app::commands::CommandError;
use utmost_app::webhooks::receive;
use utmost_model::command::CommandResponse;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hooks/{id}", post(incoming_webhook))
        .route("/hooks/commands/{id}", post(command_webhook))
}

async fn incoming_webhook(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    // Mattermost's route takes `[A-Za-z0-9]+`; anything else is no route.
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::new(
            404,
            "api.context.404.app_error",
            "Sorry, we could not find the page.",
        )
        .into());
    }
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                413,
                "api.context.request_body_too_large.app_error",
                "The request body is larger than the server accepts.",
            )
        } else {
            AppError::from(utmost_app::webhooks::WebhookError::ParseData)
        }
    })?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let request = receive::decode_request(content_type, &body)?;
    receive::handle(&app, &id, request).await?;
    Ok(([(CONTENT_TYPE, "text/plain")], "ok").into_response())
}

/// `POST /hooks/commands/{id}` (Mattermost's `commandWebhook`): a delayed response to a
/// custom command, JSON or plain text like the command's own answer; `ok` as text.
async fn command_webhook(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let body = body.map_err(|_| AppError::from(CommandError::HookParse))?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let response = CommandResponse::from_http_body(content_type, &body);
    utmost_app::commands::hooks::handle(&app, &id, response).await?;
    Ok(([(CONTENT_TYPE, "text/plain")], "ok").into_response())
}

//! The plugins' own URLs outside the API: `/plugins/{id}/…`, which the plugin answers
//! (`ServeHTTP`; the signed-in user's id goes with the request, and a cookie without its
//! CSRF token on a write counts as no sign-in), and `/static/plugins/{id}/…`, a running
//! plugin's web app script.

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use serde_json::Value;

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use utmost_app::plugins::{self, hooks};
use utmost_model::AppError;

/// The largest request body a plugin is handed.
const MAX_BODY: usize = 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plugins/{plugin_id}/{*path}", any(serve))
        .route("/static/plugins/{plugin_id}/{file}", get(webapp_script))
}

async fn serve(
    State(app): State<AppState>,
    Path((plugin_id, path)): Path<(String, String)>,
    auth: Result<Auth, crate::error::ApiError>,
    request: Request,
) -> ApiResult<Response> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, MAX_BODY).await.map_err(|_| {
        AppError::new(
            413,
            "api.plugin.request_too_large",
            "The request is larger than 1 MiB.",
        )
    })?;
    let headers = parts
        .headers
        .iter()
        // Never hand a plugin the caller's credentials.
        .filter(|(name, _)| !matches!(name.as_str(), "authorization" | "cookie" | "x-csrf-token"))
        .filter_map(|(name, value)| Some((name.to_string(), Value::from(value.to_str().ok()?))))
        .collect();
    let request = hooks::HttpRequest {
        method: parts.method.to_string(),
        path: format!("/{path}"),
        query: parts.uri.query().unwrap_or_default().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        user_id: auth.map(|Auth(s)| s.user_id).unwrap_or_default(),
    };
    let answer = hooks::serve_http(&app, &plugin_id, &request).await?;
    let mut response_headers = HeaderMap::new();
    for (name, value) in &answer.headers {
        if let (Ok(name), Some(Ok(value))) = (
            HeaderName::try_from(name.as_str()),
            value.as_str().map(HeaderValue::from_str),
        ) {
            response_headers.insert(name, value);
        }
    }
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    Ok((status, response_headers, Body::from(answer.body)).into_response())
}

async fn webapp_script(
    State(app): State<AppState>,
    Path((plugin_id, _file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let script = plugins::webapp_bundle(&app, &plugin_id).ok_or_else(|| {
        AppError::not_found("api.plugin.not_found", "The plugin has no web app part.")
    })?;
    Ok((
        [(header::CONTENT_TYPE, "text/javascript")],
        Bytes::from(script.to_vec()),
    )
        .into_response())
}

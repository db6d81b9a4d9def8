//! ETags and conditional GETs (Mattermost's `HandleEtag`).

use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// 304 carrying the tag when the client's `If-None-Match` already names `etag`.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let cached = headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok())?;
    (cached == etag).then(|| with_etag(StatusCode::NOT_MODIFIED.into_response(), etag))
}

/// `response` with its `ETag` header.
pub fn with_etag(mut response: Response, etag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// The JSON body with its ETag, or 304 when the client's copy is current.
pub fn etagged<T: Serialize>(headers: &HeaderMap, etag: &str, body: T) -> Response {
    not_modified(headers, etag).unwrap_or_else(|| with_etag(Json(body).into_response(), etag))
}

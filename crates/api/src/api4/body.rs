//! JSON bodies decoded where Mattermost decodes them: after the checks that come first, and
//! with the error id Mattermost gives for that endpoint.

use crate::{ApiError, ApiResult};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use utmost_model::AppError;

/// A body read by axum's `Bytes` extractor, kept so the handler can decode it later.
pub type RawBody = Result<Bytes, BytesRejection>;

/// Decodes `body`; bad JSON is `bad` (e.g. `SetInvalidParam("preferences")`), an oversized
/// body 413 as everywhere else.
pub fn decode<T: DeserializeOwned>(body: RawBody, bad: impl Fn() -> AppError) -> ApiResult<T> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::new(
                413,
                "api.context.request_body_too_large.app_error",
                "The request body is larger than the server accepts.",
            )
        } else {
            bad().with_detail(rejection.body_text())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| ApiError(bad().with_detail(e.to_string())))
}

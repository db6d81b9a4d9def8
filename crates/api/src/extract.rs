//! Extractors that reject bad input with Mattermost's error JSON instead of axum's text.

use crate::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use utmost_model::session::Session;
use utmost_model::AppError;

/// A JSON body; a bad one is 400 `api.context.invalid_body_param.app_error`, an oversized one 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(ApiError(json_rejection(rejection, body_name::<T>()))),
        }
    }
}

fn json_rejection(rejection: JsonRejection, name: &str) -> AppError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::new(
            413,
            "api.context.request_body_too_large.app_error",
            "The request body is larger than the server accepts.",
        );
    }
    AppError::invalid_body_param(name).with_detail(rejection.body_text())
}

/// A readable name for the body type (`User`, `Vec<String>`, …) for error messages.
fn body_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    let short = base.rsplit("::").next().unwrap_or(base);
    if short.is_empty() {
        "body"
    } else {
        short
    }
}

/// Query parameters; a bad one is 400 `api.context.invalid_param.app_error`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(ApiQuery(q.0)),
            Err(rejection) => Err(ApiError(query_rejection(rejection))),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> AppError {
    let text = rejection.body_text();
    // serde_urlencoded names the field first: "Failed to deserialize query string: per_page: …"
    let field = text
        .split(": ")
        .nth(1)
        .filter(|f| !f.contains(' '))
        .unwrap_or("query");
    AppError::invalid_param(field).with_detail(text.clone())
}

/// Path parameters; a bad one is 400 `api.context.invalid_url_param.app_error`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(ApiPath(p.0)),
            Err(rejection) => Err(ApiError(path_rejection(rejection))),
        }
    }
}

fn path_rejection(rejection: PathRejection) -> AppError {
    AppError::invalid_url_param("path").with_detail(rejection.body_text())
}

/// `page` / `per_page` as Mattermost reads them: defaults 0 and 60, `per_page` capped at 200.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page: 0,
            per_page: 60,
        }
    }
}

pub const MAX_PER_PAGE: i64 = 200;

impl Paging {
    /// Validated `(limit, offset)`; negative values are a 400 as in Mattermost.
    pub fn limit_offset(&self) -> Result<(i64, i64), ApiError> {
        if self.page < 0 {
            return Err(ApiError(AppError::invalid_param("page")));
        }
        if self.per_page < 0 {
            return Err(ApiError(AppError::invalid_param("per_page")));
        }
        let per_page = self.per_page.min(MAX_PER_PAGE);
        Ok((per_page, self.page * per_page))
    }
}

/// Resolves the `me` alias of a `{user_id}` path segment and checks the id's shape.
pub fn user_id_param(raw: &str, session: &Session) -> Result<String, ApiError> {
    if raw == "me" {
        return Ok(session.user_id.clone());
    }
    id_param(raw, "user_id")
}

/// Checks that a path segment is a 26-char id.
pub fn id_param(raw: &str, name: &str) -> Result<String, ApiError> {
    if utmost_model::is_valid_id(raw) {
        Ok(raw.to_string())
    } else {
        Err(ApiError(AppError::invalid_url_param(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_caps_and_rejects() {
        let p = Paging {
            page: 2,
            per_page: 500,
        };
        assert_eq!(p.limit_offset().unwrap(), (200, 400));
        assert!(Paging {
            page: -1,
            per_page: 10
        }
        .limit_offset()
        .is_err());
    }

    #[test]
    fn body_names_are_short() {
        assert_eq!(body_name::<utmost_model::user::User>(), "User");
        assert_eq!(body_name::<Vec<String>>(), "Vec");
    }
}

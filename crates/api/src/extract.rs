//! Extractors that reject bad input with Mattermost's error JSON instead of axum's text.

use crate::{ApiError, ApiResult};
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use utmost_model::AppError;

/// A JSON body; a bad one is 400 `api.context.invalid_body_param.app_error`, an oversized one 413.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || AppError::invalid_param(body_name::<T>());
        if !has_json_content_type(req.headers()) {
            return Err(ApiError(bad().with_detail(
                "Expected request with `Content-Type: application/json`",
            )));
        }
        decode(Bytes::from_request(req, state).await, bad).map(ApiJson)
    }
}

/// `application/json` or an `application/*+json` type, as axum's `Json` accepts: a
/// cross-site form cannot send either without a CORS preflight.
fn has_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

fn body_too_large() -> AppError {
    AppError::new(
        413,
        "api.context.request_body_too_large.app_error",
        "The request body is larger than the server accepts.",
    )
}

/// A body read by axum's `Bytes` extractor, kept so the handler can decode it where
/// Mattermost does: after the checks that come first, and with that endpoint's error id.
pub type RawBody = Result<Bytes, BytesRejection>;

/// Decodes `body`; bad JSON is `bad` (e.g. `SetInvalidParam("preferences")`), an oversized
/// body 413. Every JSON body goes through here, [`ApiJson`] included.
pub fn decode<T: DeserializeOwned>(body: RawBody, bad: impl Fn() -> AppError) -> ApiResult<T> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            body_too_large()
        } else {
            bad().with_detail(rejection.body_text())
        }
    })?;
    if json_has_nul(&bytes) {
        return Err(ApiError(bad().with_detail(NUL_DETAIL)));
    }
    serde_json::from_slice(&bytes).map_err(|e| ApiError(bad().with_detail(e.to_string())))
}

/// PostgreSQL cannot store U+0000 in text (the insert fails, a 500) and no field has a use
/// for it, so a body, path or query carrying one is refused before any handler sees it.
const NUL_DETAIL: &str = "Text may not contain the NUL character (U+0000).";

/// True when a string or key of JSON document `bytes` contains U+0000. In valid JSON that
/// character can only be written as the escape `\u0000` (raw control characters are
/// invalid, and serde refuses them); stepping over whole escapes keeps `\\u0000` (an escaped
/// backslash, then plain text) from matching.
fn json_has_nul(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1..i + 6) == Some(b"u0000".as_slice()) {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// True when a raw (still percent-encoded) path or query decodes to text containing U+0000.
/// A literal NUL cannot appear in a URI, and `%2500` (an encoded `%`) does not contain `%00`.
fn uri_part_has_nul(raw: &str) -> bool {
    raw.contains("%00")
}

/// Mattermost's answer to a body that is not the JSON array it expects.
pub fn payload_error() -> AppError {
    AppError::bad_request("api.payload.parse.error", "Unable to parse the payload.")
}

/// Mattermost's `maxListSize`: the most ids or names one request may name.
pub const MAX_LIST_SIZE: usize = 1000;

/// `list` when it names between one and `MAX_LIST_SIZE` items, else 400 for `param`. Longer
/// lists cost seconds of database time and, past 32,766 binds, fail on SQLite.
pub fn bounded_list(list: Vec<String>, param: &str) -> ApiResult<Vec<String>> {
    if list.is_empty() || list.len() > MAX_LIST_SIZE {
        return Err(AppError::invalid_param(param).into());
    }
    Ok(list)
}

/// Mattermost's `SortedArrayFromJSON`: a JSON array of strings, sorted and without duplicates.
pub fn sorted_ids(body: RawBody) -> ApiResult<Vec<String>> {
    let mut ids: Vec<String> = decode(body, payload_error)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
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
        let query = parts.uri.query().unwrap_or("");
        if let Some((name, _)) = query
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(name, value)| uri_part_has_nul(name) || uri_part_has_nul(value))
        {
            return Err(ApiError(
                AppError::invalid_param(name).with_detail(NUL_DETAIL),
            ));
        }
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
        if uri_part_has_nul(parts.uri.path()) {
            return Err(ApiError(
                AppError::invalid_url_param("path").with_detail(NUL_DETAIL),
            ));
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(ApiPath(p.0)),
            Err(rejection) => Err(ApiError(path_rejection(rejection))),
        }
    }
}

/// Mattermost's `SetInvalidURLParam` naming the segment that failed: the id newtypes
/// (`PostId`, `UserParam`, …) refuse a malformed id while axum still knows its key.
fn path_rejection(rejection: PathRejection) -> AppError {
    let key = match &rejection {
        PathRejection::FailedToDeserializePathParams(failed) => match failed.kind() {
            ErrorKind::DeserializeError { key, .. }
            | ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key } => Some(key.as_str()),
            _ => None,
        },
        _ => None,
    };
    AppError::invalid_url_param(key.unwrap_or("path")).with_detail(rejection.body_text())
}

/// `page` / `per_page` as Mattermost reads them (`web/params.go`): a missing, negative or
/// unparseable value takes the default (0 and 60), and `per_page` is capped at 200.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Paging {
    #[serde(default, deserialize_with = "lenient_page")]
    pub page: i64,
    #[serde(default = "default_per_page", deserialize_with = "lenient_per_page")]
    pub per_page: i64,
}

impl Default for Paging {
    fn default() -> Self {
        Self {
            page: 0,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

pub const DEFAULT_PER_PAGE: i64 = 60;
pub const MAX_PER_PAGE: i64 = 200;

/// A search body's `page` and `per_page`: the limit and offset, and whether the body named a
/// page (the answer then carries the total count). Without one, the first `MAX_PER_PAGE`.
pub fn body_page(page: Option<i64>, per_page: Option<i64>) -> (i64, i64, bool) {
    match page.zip(per_page) {
        Some((page, per_page)) => {
            let per_page = per_page.clamp(0, MAX_PER_PAGE);
            (per_page, page.max(0).saturating_mul(per_page), true)
        }
        None => (MAX_PER_PAGE, 0, false),
    }
}

fn default_per_page() -> i64 {
    DEFAULT_PER_PAGE
}

/// A non-negative integer from a query string, or `default` for anything else.
fn lenient<'de, D: serde::Deserializer<'de>>(d: D, default: i64) -> Result<i64, D::Error> {
    let raw = String::deserialize(d)?;
    Ok(raw
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .unwrap_or(default))
}

fn lenient_page<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    lenient(d, 0)
}

fn lenient_per_page<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    lenient(d, DEFAULT_PER_PAGE)
}

impl Paging {
    /// `(limit, offset)` for SQL.
    pub fn limit_offset(&self) -> (i64, i64) {
        let per_page = self.per_page.clamp(0, MAX_PER_PAGE);
        (per_page, self.page.max(0).saturating_mul(per_page))
    }
}

/// A string field where JSON `null` means "" — Go decodes a null into a string's zero value,
/// and clients (e.g. mattermostdriver's login, which sends `"token": null`) rely on it.
pub fn null_as_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// A boolean query parameter read as Go's `strconv.ParseBool` (Mattermost ignores the error):
/// anything unparsable is false.
pub fn query_flag(value: &str) -> bool {
    matches!(value, "1" | "t" | "T" | "true" | "TRUE" | "True")
}

/// The `Connection-Id` header: the WebSocket connection of the client making the request,
/// which Mattermost leaves out of the events the change causes (the client already knows).
/// Empty when absent.
pub struct ConnectionId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ConnectionId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let id = parts
            .headers
            .get("Connection-Id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(ConnectionId(id.to_string()))
    }
}

/// The request's `Content-Length`, when it declares one.
pub(crate) fn declared_length(headers: &axum::http::HeaderMap) -> Option<u64> {
    headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_is_lenient_like_mattermost() {
        let parse = |q: &str| -> Paging {
            axum::extract::Query::<Paging>::try_from_uri(&format!("/x?{q}").parse().unwrap())
                .unwrap()
                .0
        };
        assert_eq!(parse("page=2&per_page=500").limit_offset(), (200, 400));
        assert_eq!(parse("page=-1&per_page=many").limit_offset(), (60, 0));
        assert_eq!(parse("").limit_offset(), (60, 0));
        assert_eq!(parse("page=1&per_page=10").limit_offset(), (10, 10));
    }

    #[test]
    fn nul_is_found_in_strings_and_keys_but_not_in_escaped_backslashes() {
        assert!(json_has_nul(br#"{"message": "a\u0000b"}"#));
        assert!(json_has_nul(br#"{"a\u0000": 1}"#));
        assert!(json_has_nul(br#"["\\\u0000"]"#));
        assert!(!json_has_nul(br#"{"message": "a\\u0000b"}"#));
        assert!(!json_has_nul(br#"{"message": "\u0001"}"#));
    }

    #[test]
    fn json_content_types() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, value.parse().unwrap());
            has_json_content_type(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=utf-8"));
        assert!(with("application/merge-patch+json"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!has_json_content_type(&HeaderMap::new()));
    }

    #[test]
    fn body_names_are_short() {
        assert_eq!(body_name::<utmost_model::user::User>(), "User");
        assert_eq!(body_name::<Vec<String>>(), "Vec");
    }
}

//! Per-request context: request id, session resolution, standard headers, error finishing.

use crate::auth::{token_from_request, TokenSource};
use crate::{ApiError, AppState};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tracing::Instrument;
use utmost_model::{new_id, AppError};

/// The session the request's token resolved to, if any, and where the token came from.
#[derive(Debug, Clone)]
pub struct ResolvedSession {
    pub session: Option<utmost_model::session::Session>,
    pub source: Option<TokenSource>,
}

pub async fn request_context(
    State(app): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let request_id = new_id();

    // Only the API needs the session; the web client's pages and assets are public, and a
    // browser sends its cookie with every one of them. The OAuth provider's consent routes
    // outside the API need it too, and plugins' own routes (`/plugins/{id}/…`) learn who
    // calls them.
    let path = req.uri().path();
    let token = if path.starts_with("/api/")
        || path.starts_with("/plugins/")
        || crate::web_oauth_provider::needs_session(path)
    {
        token_from_request(req.headers(), req.uri())
    } else {
        None
    };
    let resolved = match token {
        Some((token, source)) => match utmost_app::sessions::from_token(&app, &token).await {
            Ok(session) => ResolvedSession {
                session,
                source: Some(source),
            },
            Err(e) => return finish(&app, ApiError(e).into_response(), &request_id),
        },
        None => ResolvedSession {
            session: None,
            source: None,
        },
    };
    req.extensions_mut().insert(resolved);

    // Every line logged while the handler runs names the request (`request_id`, as the
    // `X-Request-ID` answer does). An error-level span, so it is there whatever the levels.
    let span = tracing::error_span!(
        utmost_app::logs::REQUEST_SPAN,
        request_id = %request_id
    );
    let response = next.run(req).instrument(span).await;
    finish(&app, response, &request_id)
}

/// Adds the standard headers and completes error bodies.
fn finish(app: &AppState, response: Response, request_id: &str) -> Response {
    let mut response = match response.extensions().get::<AppError>().cloned() {
        Some(mut err) => {
            if err.is_internal() {
                tracing::error!(request_id, error_id = %err.id, cause = %err.detailed_error, "request failed");
            }
            err.request_id = request_id.to_string();
            if !app.config().service_settings.enable_developer {
                err.detailed_error.clear();
            }
            let (mut parts, _) = response.into_parts();
            let body = serde_json::to_vec(&err).unwrap_or_default();
            // The body changed: a stale length would make hyper drop the connection, and a
            // stale encoding (the web fallback gzips its /api 404) would make clients fail
            // to decode plain JSON.
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            parts.headers.remove(axum::http::header::CONTENT_ENCODING);
            Response::from_parts(parts, Body::from(body))
        }
        None => response,
    };
    let version = app.server_version();
    set_headers(
        &mut response,
        [
            ("x-request-id", request_id),
            ("x-version-id", &version),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
        ],
    );
    // Mattermost sends it whenever the setting is on, TLS ending here or at a proxy.
    let config = app.config();
    if config.service_settings.tls_strict_transport {
        let max_age = config.service_settings.tls_strict_transport_max_age.max(0);
        let hsts = format!("max-age={max_age}");
        set_headers(
            &mut response,
            [("strict-transport-security", hsts.as_str())],
        );
    }
    response
}

/// Sets each `(name, value)` header (names lower-case); a value that cannot be a header value
/// is left out.
pub(crate) fn set_headers<'a>(
    response: &mut Response,
    headers: impl IntoIterator<Item = (&'static str, &'a str)>,
) {
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), v);
        }
    }
}

/// JSON 404 for unknown routes under /api, plain 404 elsewhere. An API path with repeated
/// slashes is first sent to its clean form (301), as Mattermost's router does: clients rely on
/// it (mattermostdriver asks for `/posts/{id}//reactions`).
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") && uri.path().contains("//") {
        let mut clean = uri.path().to_string();
        while clean.contains("//") {
            clean = clean.replace("//", "/");
        }
        if let Some(query) = uri.query() {
            clean = format!("{clean}?{query}");
        }
        return (
            axum::http::StatusCode::MOVED_PERMANENTLY,
            [(axum::http::header::LOCATION, clean)],
        )
            .into_response();
    }
    if uri.path().starts_with("/api/") {
        ApiError(AppError::not_found(
            "api.context.404.app_error",
            "Sorry, we could not find the page.",
        ))
        .into_response()
    } else {
        (axum::http::StatusCode::NOT_FOUND, "404 page not found").into_response()
    }
}

pub async fn method_not_allowed(method: Method) -> Response {
    ApiError(AppError::new(
        405,
        "api.context.method_not_allowed.app_error",
        format!("Method {method} is not allowed for this route."),
    ))
    .into_response()
}

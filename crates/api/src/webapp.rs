//! The embedded web client (web/ as built by build.rs): every GET outside /api that is not a file of the build
//! gets index.html, so deep links like /team/channels/town-square load the single-page app.
//! Hashed files under /assets are cached forever; index.html is revalidated on every visit so a
//! new server version is picked up at once.

use axum::body::Body;
use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::{EmbeddedFile, RustEmbed};
use std::convert::Infallible;
use tower::{Layer, Service};
use tower_http::compression::{CompressionBody, CompressionLayer};

/// The client build.rs built into OUT_DIR, embedded in release builds and read from disk in debug
/// builds. build.rs makes sure the folder exists (with a placeholder page when the client could
/// not be built).
#[derive(RustEmbed)]
#[folder = "$OUT_DIR/web/dist/"]
#[allow_missing = true]
struct Dist;

const INDEX: &str = "index.html";
const ASSETS_PREFIX: &str = "assets/";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// Scripts only from the server itself; markdown may show images from anywhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; \
    connect-src 'self' ws: wss:; font-src 'self' data:; object-src 'none'; base-uri 'self'; \
    frame-ancestors 'self'";
/// Shown only when the build has no index.html at all: a debug server reads it from disk, which
/// a rebuild of the client may be emptying at that moment.
const NOT_BUILT: &str = "<!doctype html><title>Utmost</title><h1>Utmost is running</h1>\
    <p>The web client is not built. Install Node.js 20+ and npm, then run \
    <code>UTMOST_WEB_BUILD=1 cargo build --release</code>.</p>";

/// The router's fallback: the web client, gzip-compressed when the browser accepts it.
/// A plain handler service on purpose: a Router or MethodRouter here would fix Content-Length
/// before the request-context middleware rewrites the /api 404 body.
pub fn fallback() -> impl Service<
    Request,
    Response = Response<CompressionBody<Body>>,
    Error = Infallible,
    Future = impl Send + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    CompressionLayer::new().layer(serve.into_service())
}

/// The web client's page, for a route of its own that shows it (the OAuth consent page).
pub(crate) async fn index_page(headers: HeaderMap) -> Response {
    serve(Method::GET, Uri::from_static("/"), headers).await
}

async fn serve(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") {
        return crate::context::not_found(uri).await;
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 method not allowed",
        )
            .into_response();
    }
    let relative = path.trim_start_matches('/');
    if relative.split('/').any(|segment| segment == "..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    match Dist::get(relative).filter(|_| !relative.is_empty()) {
        Some(file) => file_response(relative, file, &headers),
        // A missing hashed asset is a stale page asking for an old build: say so, do not
        // answer with HTML the browser would try to run as a script.
        None if relative.starts_with(ASSETS_PREFIX) => {
            (StatusCode::NOT_FOUND, "404 page not found").into_response()
        }
        None => match Dist::get(INDEX) {
            Some(index) => file_response(INDEX, index, &headers),
            None => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, REVALIDATE),
                ],
                NOT_BUILT,
            )
                .into_response(),
        },
    }
}

fn file_response(path: &str, file: EmbeddedFile, request: &HeaderMap) -> Response {
    let etag = format!("\"{}\"", hex_digest(&file.metadata.sha256_hash()));
    let cache_control = if path.starts_with(ASSETS_PREFIX) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let mut response = if request
        .get(header::IF_NONE_MATCH)
        .is_some_and(|tags| tags.as_bytes() == etag.as_bytes())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Response::new(Body::from(file.data))
    };
    let headers = response.headers_mut();
    let mut set = |name, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(
        header::CONTENT_TYPE,
        &content_type(file.metadata.mimetype()),
    );
    set(header::CACHE_CONTROL, cache_control);
    set(header::ETAG, &etag);
    if path == INDEX {
        set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    }
    response
}

/// Text types are served as UTF-8, which is what Vite writes.
fn content_type(mime: &str) -> String {
    if mime.starts_with("text/") || mime == "application/javascript" {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

fn hex_digest(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]
    use super::*;

    /// build.rs writes only to OUT_DIR, and the client served is the one it built there.
    #[test]
    fn serves_the_client_built_in_out_dir() {
        let built = std::fs::read(concat!(env!("OUT_DIR"), "/web/dist/index.html"))
            .expect("build.rs wrote index.html (the client or the placeholder) to OUT_DIR");
        let served = Dist::get(INDEX).expect("index.html is served");
        assert_eq!(served.data.as_ref(), built.as_slice());
    }
}

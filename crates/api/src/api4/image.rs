//! `GET /image?url=…` (Mattermost's api4/image.go): the image proxy. With
//! `ImageProxySettings.Enable` the server fetches the image (through the outgoing client's
//! checks) and streams it, at most `MAX_PROXIED_IMAGE_BYTES`; otherwise it redirects.

use crate::auth::AuthTrusted;
use crate::extract::ApiQuery;
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use utmost_app::link_previews::{self, ImageAnswer, MAX_PROXIED_IMAGE_BYTES};
use utmost_app::outgoing::Opened;

pub fn routes() -> Router<AppState> {
    Router::new().route("/image", get(get_image))
}

#[derive(Deserialize)]
struct ImageQuery {
    #[serde(default)]
    url: String,
}

/// Upstream headers a cache may use, passed on as they are.
const PASSED_HEADERS: [header::HeaderName; 4] = [
    header::CACHE_CONTROL,
    header::LAST_MODIFIED,
    header::EXPIRES,
    header::ETAG,
];

/// Any session (a trusted route: browsers load it from `<img>`).
async fn get_image(
    State(app): State<AppState>,
    AuthTrusted(_session): AuthTrusted,
    ApiQuery(query): ApiQuery<ImageQuery>,
) -> ApiResult<Response> {
    Ok(match link_previews::get_image(&app, &query.url).await? {
        // Go's `http.Redirect` with `StatusFound`.
        ImageAnswer::Redirect(to) => (StatusCode::FOUND, [(header::LOCATION, to)]).into_response(),
        ImageAnswer::Proxied(opened) => stream(*opened),
    })
}

fn stream(opened: Opened) -> Response {
    let mut headers = axum::http::HeaderMap::new();
    for name in PASSED_HEADERS {
        if let Some(value) = opened.headers().get(&name) {
            headers.insert(name, value.clone());
        }
    }
    if let Ok(value) = HeaderValue::from_str(&opened.content_type()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // The image is shown, never run: no sniffing, no scripts.
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; img-src data:; style-src 'unsafe-inline'"),
    );
    let body = futures_util::stream::unfold((opened, 0usize), |(mut opened, sent)| async move {
        if sent == usize::MAX {
            return None;
        }
        match opened.chunk().await {
            Ok(Some(chunk)) if sent + chunk.len() <= MAX_PROXIED_IMAGE_BYTES => {
                let sent = sent + chunk.len();
                Some((Ok(chunk), (opened, sent)))
            }
            // Too large: the connection is cut, so the client sees a broken image.
            Ok(Some(_)) => Some((
                Err(std::io::Error::other("image too large")),
                (opened, usize::MAX),
            )),
            Ok(None) => None,
            Err(e) => Some((Err(std::io::Error::other(e)), (opened, usize::MAX))),
        }
    });
    (StatusCode::OK, headers, Body::from_stream(body)).into_response()
}

//! HTTP: axum routes named after Mattermost's api4 files, the request context (request id,
//! session, CSRF, headers) and Mattermost's error JSON.

pub mod api4;
pub mod auth;
mod context;
pub mod error;
pub mod etag;
pub mod extract;
mod listen;
mod ratelimit;
mod webapp;
mod ws;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use utmost_app::App;

pub use error::{ApiError, ApiResult};
pub use listen::listen;

pub type AppState = Arc<App>;

/// The whole HTTP surface of one server.
pub fn router(app: AppState) -> Router {
    let body_limit = usize::try_from(app.config().service_settings.maximum_payload_size_bytes)
        .unwrap_or(300_000);
    Router::new()
        .nest(
            "/api/v4",
            api4::routes().layer(axum::middleware::from_fn_with_state(
                ratelimit::ApiRateLimiter::new(app.clone()),
                ratelimit::limit,
            )),
        )
        .fallback_service(webapp::fallback())
        .method_not_allowed_fallback(context::method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            context::request_context,
        ))
        .with_state(app)
}

/// Serves `app` on `listener` until `shutdown` resolves; in-flight requests finish first.
pub async fn serve(
    app: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    // Without TCP_NODELAY a WebSocket event written while an earlier one is unacknowledged
    // waits for the client's delayed ACK (up to 40 ms); Go, and so Mattermost, turns Nagle off.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(
        listener,
        router(app).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

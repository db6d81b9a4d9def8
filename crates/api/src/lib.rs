//! HTTP: axum routes named after Mattermost's api4 files, the request context (request id,
//! session, CSRF, headers) and Mattermost's error JSON.

pub mod api4;
pub mod audit;
pub mod auth;
mod body;
pub mod client_ip;
mod context;
pub mod error;
pub mod etag;
pub mod extract;
mod listen;
pub mod metrics;
mod ratelimit;
mod saml_web;
mod serve;
mod web_hooks;
mod web_oauth;
mod web_oauth_provider;
mod web_plugins;
mod webapp;
mod ws;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use std::sync::Arc;
use utmost_app::App;

pub use error::{ApiError, ApiResult};
pub use listen::listen;
pub use serve::{raise_open_files_limit, serve};

pub type AppState = Arc<App>;

/// The whole HTTP surface of one server.
pub fn router(app: AppState) -> Router {
    let config = app.config();
    let body_limit =
        usize::try_from(config.service_settings.maximum_payload_size_bytes).unwrap_or(300_000);
    let body_limits = body::BodyLimits {
        read_timeout: serve::body_timeout(&config),
        drain_budget: body_limit,
    };
    // One limiter for the API and the sign-in flows outside it (each start of one writes a row).
    let limiter = ratelimit::ApiRateLimiter::new(app.clone());
    let limited = |routes: Router<AppState>| {
        routes.layer(axum::middleware::from_fn_with_state(
            limiter.clone(),
            ratelimit::limit,
        ))
    };
    Router::new()
        .nest("/api/v4", limited(api4::routes()))
        .merge(api4::file::public_routes())
        .merge(limited(saml_web::routes()))
        .merge(limited(web_oauth::routes()))
        .merge(limited(web_hooks::routes()))
        .merge(limited(web_plugins::routes()))
        .merge(limited(web_oauth_provider::routes()))
        .fallback_service(webapp::fallback())
        .method_not_allowed_fallback(context::method_not_allowed)
        // Inside the request context (it reads the resolved session), around every route.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            audit::audit,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            context::request_context,
        ))
        .layer(axum::middleware::from_fn_with_state(
            body_limits,
            body::guard,
        ))
        // Outermost, so a request's time is all of it (`metrics`: route-labelled).
        .layer(axum::middleware::from_fn(metrics::record))
        .with_state(app)
}

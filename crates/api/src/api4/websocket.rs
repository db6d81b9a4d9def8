//! `GET /api/v4/websocket`: the upgrade. The protocol lives in `crate::ws`.

use crate::auth::MaybeAuth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::ws::{self, origin, ConnectParams};
use crate::AppState;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/websocket", get(upgrade))
        .route("/websocket/", get(upgrade))
}

async fn upgrade(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiQuery(params): ApiQuery<ConnectParams>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // An Origin that is not text matches nothing, rather than counting as absent.
    let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or_default());
    let origin = text(header::ORIGIN);
    if !origin::allowed(origin, text(header::HOST), &app.config().service_settings) {
        return ApiError(origin::refused(origin.unwrap_or_default())).into_response();
    }
    upgrade
        // Small buffers: an idle connection should cost kilobytes, not the 128 KiB default.
        .read_buffer_size(1024)
        .write_buffer_size(4 * 1024)
        .max_message_size(ws::MAX_INBOUND_MESSAGE)
        .on_upgrade(move |socket| ws::serve_connection(app, socket, session, params))
}

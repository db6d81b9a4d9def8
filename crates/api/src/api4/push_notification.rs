//! `POST /notifications/ack`: the mobile app's receipt for a push (Mattermost's
//! `pushNotificationAck`, in api4/system.go). For an ID-only push the answer is the
//! notification's content.

use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use utmost_app::errors::PushError;
use utmost_app::notifications::ack::{self, AckAnswer, PushNotificationAck};

pub fn routes() -> Router<AppState> {
    Router::new().route("/notifications/ack", post(acknowledge))
}

async fn acknowledge(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let receipt: PushNotificationAck = decode(body, || PushError::AckInvalid.into())?;
    Ok(match ack::ack(&app, &session, &receipt).await? {
        AckAnswer::Received => status_ok().into_response(),
        AckAnswer::Nothing => StatusCode::OK.into_response(),
        AckAnswer::Content(content) => Json(content).into_response(),
    })
}

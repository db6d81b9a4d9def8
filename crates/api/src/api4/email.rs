//! The routes that send email: password reset and email verification (Mattermost's
//! api4/user.go), team invitations by email (api4/team.go) and the test email
//! (api4/system.go). Sending is `utmost_app::email`'s.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, RawBody, MAX_LIST_SIZE};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use utmost_app::authorization::{has_team_permission, require, require_system_unrestricted};
use utmost_app::email::invitations::{self, InviteOutcome, Refusals};
use utmost_app::email::{account, links::TOKEN_SIZE, test_email};
use utmost_model::permissions as perm;
use utmost_model::{AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/password/reset", post(reset_password))
        .route("/users/password/reset/send", post(send_password_reset))
        .route("/users/email/verify", post(verify_email))
        .route("/users/email/verify/send", post(send_verification))
        .route("/teams/{team_id}/invite/email", post(invite_by_email))
        .route("/email/test", post(test))
}

/// Mattermost's `MapFromJSON`: a JSON object of strings, or nothing when the body is not one.
fn props(body: RawBody) -> HashMap<String, String> {
    decode(body, || AppError::invalid_param("body")).unwrap_or_default()
}

/// A one-shot token from the body, refused unless it has Mattermost's `TokenSize`.
fn token(props: &HashMap<String, String>) -> ApiResult<&str> {
    match props.get("token") {
        Some(t) if t.len() == TOKEN_SIZE => Ok(t),
        _ => Err(AppError::invalid_param("token").into()),
    }
}

/// A required email address from the body.
fn email(props: &HashMap<String, String>) -> ApiResult<String> {
    match props.get("email").map(|e| e.to_lowercase()) {
        Some(e) if !e.is_empty() => Ok(e),
        _ => Err(AppError::invalid_param("email").into()),
    }
}

async fn send_password_reset(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let email = email(&props(body))?;
    account::send_password_reset(&app, &email).await?;
    Ok(status_ok())
}

async fn reset_password(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let props = props(body);
    let token = token(&props)?;
    let new_password = props.get("new_password").map_or("", String::as_str);
    account::reset_password(&app, token, new_password).await?;
    Ok(status_ok())
}

async fn send_verification(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let email = email(&props(body))?;
    account::send_verification(&app, &email).await?;
    Ok(status_ok())
}

async fn verify_email(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let props = props(body);
    let token = token(&props)?;
    // Mattermost answers every failure here with the bad-link error.
    account::verify_email(&app, token).await.map_err(|e| {
        if e.is_internal() {
            e
        } else {
            AppError::from(utmost_app::errors::EmailError::VerifyLinkBad).with_detail(e.id)
        }
    })?;
    Ok(status_ok())
}

/// `?graceful=true` on an invitation: one outcome per address instead of failing at the first.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct GracefulQuery {
    graceful: String,
}

impl GracefulQuery {
    pub(super) fn refusals(&self) -> Refusals {
        if self.graceful.is_empty() {
            Refusals::Fail
        } else {
            Refusals::Report
        }
    }

    /// `{"status":"OK"}`, or with `graceful` each address's outcome.
    pub(super) fn answer(&self, outcomes: Vec<InviteOutcome>) -> Json<Value> {
        match self.refusals() {
            Refusals::Fail => status_ok(),
            Refusals::Report => Json(serde_json::to_value(outcomes).unwrap_or_default()),
        }
    }
}

async fn invite_by_email(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<GracefulQuery>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    // Both refusals name invite_user, as Mattermost's do.
    for needed in [perm::INVITE_USER, perm::ADD_USER_TO_TEAM] {
        let granted = has_team_permission(&app, &session, &team_id, needed).await?;
        require(granted, perm::INVITE_USER)?;
    }
    let emails: Vec<String> =
        decode(body, || AppError::invalid_param("user_email")).unwrap_or_default();
    // Bounded work: each address is a token and an email.
    if emails.is_empty() || emails.len() > MAX_LIST_SIZE {
        return Err(AppError::invalid_param("user_email").into());
    }
    let outcomes =
        invitations::invite_by_email(&app, &team_id, &session.user_id, &emails, query.refusals())
            .await?;
    Ok(query.answer(outcomes))
}

async fn test(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_system_unrestricted(&app, &session, perm::TEST_EMAIL)?;
    // The settings of the configuration sent (the system console sends the one on screen),
    // else the saved ones.
    let sent: Option<Value> = decode::<Value>(body, || AppError::invalid_param("config"))
        .ok()
        .and_then(|c| c.get("EmailSettings").cloned());
    let settings = match sent {
        Some(s) => serde_json::from_value(s).map_err(|_| AppError::invalid_param("config"))?,
        None => app.config().email_settings.clone(),
    };
    test_email::send(&app, &session.user_id, settings).await?;
    Ok(status_ok())
}

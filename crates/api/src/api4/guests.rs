//! Guest accounts (Mattermost's api4/team.go `inviteGuestsToChannels`, api4/user.go
//! `promoteGuestToUser` and `demoteUserToGuest`). The rules are `utmost_app::guests`'.

use super::email::GracefulQuery;
use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, RawBody, MAX_LIST_SIZE};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::{has_system_permission, require_system, require_team};
use utmost_app::errors::GuestError;
use utmost_app::guests::{self, GuestsInvite};
use utmost_model::permissions as perm;
use utmost_model::roles::SYSTEM_ADMIN;
use utmost_model::{AppError, TeamId, UserId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams/{team_id}/invite-guests/email", post(invite_guests))
        .route("/users/{user_id}/promote", post(promote))
        .route("/users/{user_id}/demote", post(demote))
}

/// Refused before anything else, as Mattermost refuses without the setting (501).
fn require_enabled(app: &AppState, off: GuestError) -> ApiResult<()> {
    if app.config().guest_accounts_settings.enable {
        Ok(())
    } else {
        Err(AppError::from(off).into())
    }
}

async fn invite_guests(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<GracefulQuery>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_enabled(&app, GuestError::InvitesDisabled)?;
    require_team(&app, &session, &team_id, perm::INVITE_GUEST).await?;
    let invite: GuestsInvite = decode(body, || {
        AppError::bad_request(
            "api.team.invite_guests_to_channels.invalid_body.app_error",
            "Invalid or missing request body.",
        )
    })?;
    // Bounded work: each address is a token and an email, each channel a read.
    if invite.emails.len() > MAX_LIST_SIZE || invite.channels.len() > MAX_LIST_SIZE {
        return Err(AppError::invalid_param("emails").into());
    }
    let outcomes =
        guests::invite_by_email(&app, &team_id, &session.user_id, invite, query.refusals()).await?;
    Ok(query.answer(outcomes))
}

async fn promote(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserId>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, perm::PROMOTE_GUEST)?;
    guests::promote(&app, &user_id).await?;
    Ok(status_ok())
}

async fn demote(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserId>,
) -> ApiResult<Json<Value>> {
    require_enabled(&app, GuestError::DemoteDisabled)?;
    require_system(&app, &session, perm::DEMOTE_TO_GUEST)?;
    let user = utmost_app::users::get(&app, &user_id).await?;
    let is_admin = user.roles.split_whitespace().any(|r| r == SYSTEM_ADMIN);
    if is_admin && !has_system_permission(&app, &session, perm::MANAGE_SYSTEM) {
        return Err(AppError::permission_denied(perm::MANAGE_SYSTEM).into());
    }
    guests::demote(&app, &user_id).await?;
    Ok(status_ok())
}

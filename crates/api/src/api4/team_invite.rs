//! A team's invite link (Mattermost's api4/team.go `getInviteInfo`,
//! `addUserToTeamFromInvite`, `regenerateTeamInviteId`); signing up with it is
//! `POST /users?iid=` in api4/user.rs. The rules are `utmost_app::teams::invite_links`';
//! joining with an emailed invitation's token, `utmost_app::email::invitations`'.

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::authorization::require_team;
use utmost_app::errors::SignupError;
use utmost_app::guests::is_guest_session;
use utmost_app::teams::{self, InviteInfo};
use utmost_model::permissions as perm;
use utmost_model::team::{Team, TeamMember};
use utmost_model::{is_valid_id, AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams/invite/{invite_id}", get(invite_info))
        .route("/teams/members/invite", post(join_from_invite))
        .route(
            "/teams/{team_id}/regenerate_invite_id",
            post(regenerate_invite_id),
        )
}

/// Mattermost's `RequireInviteId`.
fn invite_id(raw: &str) -> ApiResult<&str> {
    if is_valid_id(raw) {
        Ok(raw)
    } else {
        Err(AppError::invalid_url_param("invite_id").into())
    }
}

/// Public, as Mattermost's: the sign-up page shows it before any account exists.
async fn invite_info(
    State(app): State<AppState>,
    ApiPath(raw): ApiPath<String>,
) -> ApiResult<Json<InviteInfo>> {
    Ok(Json(teams::invite_info(&app, invite_id(&raw)?).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InviteQuery {
    /// An emailed invitation's token (team or guest invitation).
    token: String,
    invite_id: String,
}

async fn join_from_invite(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<InviteQuery>,
) -> ApiResult<(StatusCode, Json<TeamMember>)> {
    let member = if !query.token.is_empty() {
        utmost_app::email::invitations::join_with_token(&app, &query.token, &session.user_id)
            .await?
    } else if !query.invite_id.is_empty() {
        if is_guest_session(&session) {
            return Err(AppError::from(SignupError::GuestByInviteId).into());
        }
        teams::join_by_invite_id(&app, &query.invite_id, &session.user_id).await?
    } else {
        return Err(AppError::from(SignupError::InviteMissingParameter).into());
    };
    Ok((StatusCode::CREATED, Json(member)))
}

async fn regenerate_invite_id(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<Team>> {
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    let team = teams::regenerate_invite_id(&app, &team_id).await?;
    Ok(Json(teams::sanitize_for(&app, &session, team).await?))
}

//! `/users/{user_id}/teams…`: the teams, memberships and unread counts of one user.

use super::visible;
use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::authorization::{
    can_act_on_user, has_system_permission, require, require_act_on_user, require_team,
};
use utmost_app::teams;
use utmost_model::permissions as perm;
use utmost_model::team::{Team, TeamMember, TeamUnread};
use utmost_model::{TeamId, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{user_id}/teams", get(teams_for_user))
        .route("/users/{user_id}/teams/members", get(memberships_for_user))
        .route("/users/{user_id}/teams/unread", get(unreads_for_user))
        .route(
            "/users/{user_id}/teams/{team_id}/unread",
            get(unread_for_team),
        )
}

async fn teams_for_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Vec<Team>>> {
    let user_id = user_id.resolve(&session);
    let permission = perm::SYSCONSOLE_READ_USER_MANAGEMENT_USERS;
    require(
        session.user_id == user_id || has_system_permission(&app, &session, permission),
        permission,
    )?;
    let hide_email = !app.config().privacy_settings.show_email_address
        && !has_system_permission(&app, &session, perm::MANAGE_SYSTEM);
    let mut out = Vec::new();
    for team in teams::list_for_user(&app, &user_id).await? {
        let Json(mut team) = visible(&app, &session, team).await?;
        if hide_email {
            team.email.clear();
        }
        out.push(team);
    }
    Ok(Json(out))
}

/// Every membership of the user, teams they left included.
async fn memberships_for_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Vec<TeamMember>>> {
    let user_id = user_id.resolve(&session);
    let permission = perm::READ_OTHER_USERS_TEAMS;
    require(
        can_act_on_user(&app, &session, &user_id).await?
            || has_system_permission(&app, &session, permission),
        permission,
    )?;
    Ok(Json(teams::memberships_for_user(&app, &user_id).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnreadQuery {
    exclude_team: String,
    include_collapsed_threads: String,
}

async fn unreads_for_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(query): ApiQuery<UnreadQuery>,
) -> ApiResult<Json<Vec<TeamUnread>>> {
    let user_id = user_id.resolve(&session);
    let permission = perm::MANAGE_SYSTEM;
    require(
        session.user_id == user_id || has_system_permission(&app, &session, permission),
        permission,
    )?;
    Ok(Json(
        teams::unreads_for_user(
            &app,
            &user_id,
            &query.exclude_team,
            query.include_collapsed_threads == "true",
        )
        .await?,
    ))
}

async fn unread_for_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id)): ApiPath<(UserParam, TeamId)>,
) -> ApiResult<Json<TeamUnread>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    Ok(Json(
        teams::unread_for_team(&app, &team_id, &user_id).await?,
    ))
}

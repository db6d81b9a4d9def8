//! `/teams/{team_id}/members…`: joining, adding, removing, listing members and their roles.

use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{bounded_list, decode, query_flag, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::authorization::{require_system, require_team};
use utmost_app::errors::TeamError;
use utmost_app::groups::syncables;
use utmost_app::teams::{self, MemberSort};
use utmost_model::group::SyncableType;
use utmost_model::permissions as perm;
use utmost_model::role::is_valid_role_name;
use utmost_model::roles::SYSTEM_ADMIN;
use utmost_model::team::{SchemeRoles, TeamMember, TeamMemberWithError};
use utmost_model::{is_valid_id, AppError};
use utmost_model::{TeamId, UserParam};

/// Mattermost's `MaxAddMembersBatch`.
const MAX_ADD_MEMBERS_BATCH: usize = 256;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/teams/{team_id}/members",
            get(list_members).post(add_member),
        )
        .route("/teams/{team_id}/members/batch", post(add_members))
        .route("/teams/{team_id}/members/ids", post(members_by_ids))
        .route(
            "/teams/{team_id}/members/{user_id}",
            get(get_member).delete(remove_member),
        )
        .route(
            "/teams/{team_id}/members/{user_id}/roles",
            put(update_roles),
        )
        .route(
            "/teams/{team_id}/members/{user_id}/schemeRoles",
            put(update_scheme_roles),
        )
}

#[derive(Deserialize)]
struct MembersQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    exclude_deleted_users: String,
}

async fn list_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<MembersQuery>,
) -> ApiResult<Json<Vec<TeamMember>>> {
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    let (limit, offset) = query.paging.limit_offset();
    let sort = if query.sort == "Username" {
        MemberSort::Username
    } else {
        MemberSort::UserId
    };
    let members = teams::member_page(
        &app,
        &team_id,
        sort,
        query_flag(&query.exclude_deleted_users),
        limit,
        offset,
    )
    .await?;
    Ok(Json(members))
}

async fn get_member(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_id, user_id)): ApiPath<(TeamId, UserParam)>,
) -> ApiResult<Json<TeamMember>> {
    let user_id = user_id.resolve(&session);
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    Ok(Json(teams::get_member(&app, &team_id, &user_id).await?))
}

async fn members_by_ids(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Vec<TeamMember>>> {
    let user_ids = bounded_list(
        decode(body, || AppError::invalid_param("user_ids"))?,
        "user_ids",
    )?;
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    Ok(Json(
        teams::members_by_ids(&app, &team_id, &user_ids).await?,
    ))
}

fn group_constrained_denied() -> AppError {
    TeamError::GroupConstrainedDenied.into()
}

/// A group-constrained team admits only members of the groups linked to it.
async fn require_group_members(
    app: &AppState,
    team_id: &str,
    user_ids: &[String],
) -> ApiResult<()> {
    if !teams::get(app, team_id).await?.is_group_constrained() {
        return Ok(());
    }
    let outside = syncables::outside_groups(app, SyncableType::Team, team_id, user_ids).await?;
    if outside.is_empty() {
        return Ok(());
    }
    Err(group_constrained_denied()
        .with_detail(format!("user_ids={}", outside.join(",")))
        .into())
}

/// `POST /teams/{team_id}/members`: joining yourself needs `join_public_teams` (or
/// `join_private_teams` for a team closed to open invites); adding someone else needs
/// `add_user_to_team` in the team.
async fn add_member(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<TeamMember>)> {
    let member: TeamMember = decode(body, || TeamError::MemberBodyInvalid.into())?;
    if member.team_id != team_id {
        return Err(AppError::invalid_param("team_id").into());
    }
    if !is_valid_id(&member.user_id) {
        return Err(AppError::invalid_param("user_id").into());
    }
    if member.user_id == session.user_id {
        let team = teams::get(&app, &team_id).await?;
        let join = if team.allow_open_invite {
            perm::JOIN_PUBLIC_TEAMS
        } else {
            perm::JOIN_PRIVATE_TEAMS
        };
        require_system(&app, &session, join)?;
    } else {
        require_team(&app, &session, &team_id, perm::ADD_USER_TO_TEAM).await?;
    }
    require_group_members(&app, &team_id, std::slice::from_ref(&member.user_id)).await?;
    let added = teams::add_user(&app, &team_id, &member.user_id).await?;
    Ok((StatusCode::CREATED, Json(added)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BatchQuery {
    graceful: Option<String>,
}

/// `POST /teams/{team_id}/members/batch`: a plain list of members, or with `graceful` one
/// entry per user carrying the member or the error.
async fn add_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<BatchQuery>,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let graceful = query.graceful.is_some_and(|g| !g.is_empty());
    let members: Vec<TeamMember> = decode(body, || AppError::invalid_param("members"))?;
    if members.len() > MAX_ADD_MEMBERS_BATCH {
        return Err(AppError::invalid_param("too many members in batch").into());
    }
    if members.is_empty() {
        return Err(AppError::invalid_param("no members in batch").into());
    }
    let mut user_ids = Vec::with_capacity(members.len());
    for m in members {
        if m.team_id != team_id {
            return Err(AppError::invalid_param(&format!(
                "team_id for member with user_id={}",
                m.user_id
            ))
            .into());
        }
        if !is_valid_id(&m.user_id) {
            return Err(AppError::invalid_param("user_id").into());
        }
        user_ids.push(m.user_id);
    }
    require_team(&app, &session, &team_id, perm::ADD_USER_TO_TEAM).await?;
    require_group_members(&app, &team_id, &user_ids).await?;
    let results = teams::add_users(&app, &team_id, &user_ids, graceful).await?;
    let body = if graceful {
        serde_json::to_value(results)
    } else {
        let added: Vec<TeamMember> = results
            .into_iter()
            .filter_map(|r: TeamMemberWithError| r.member)
            .collect();
        serde_json::to_value(added)
    }
    .map_err(|e| AppError::internal("api.marshal_error", e))?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// `DELETE /teams/{team_id}/members/{user_id}`: leaving is always allowed; removing someone
/// else needs `remove_user_from_team`.
async fn remove_member(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_id, user_id)): ApiPath<(TeamId, UserParam)>,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let leaving = user_id == session.user_id;
    if !leaving {
        require_team(&app, &session, &team_id, perm::REMOVE_USER_FROM_TEAM).await?;
    }
    let team = teams::get(&app, &team_id).await?;
    let user = utmost_app::users::get(&app, &user_id).await?;
    if team.is_group_constrained() && !leaving && !user.is_bot {
        return Err(AppError::from(TeamError::RemoveGroupConstrained).into());
    }
    teams::remove_user_by(&app, &team, &user, &session.user_id).await?;
    Ok(status_ok())
}

/// Mattermost's `IsValidUserRoles`: valid role names, and not `system_admin` alone.
fn is_valid_user_roles(roles: &str) -> bool {
    let names: Vec<&str> = roles.split_whitespace().collect();
    names.iter().all(|r| is_valid_role_name(r)) && names != [SYSTEM_ADMIN]
}

async fn update_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_id, user_id)): ApiPath<(TeamId, UserParam)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let body: Value = decode(body, || AppError::invalid_param("team_member_roles"))?;
    let roles = body.get("roles").and_then(Value::as_str).unwrap_or("");
    if !is_valid_user_roles(roles) {
        return Err(AppError::invalid_param("team_member_roles").into());
    }
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM_ROLES).await?;
    teams::update_member_roles(&app, &team_id, &user_id, roles).await?;
    Ok(status_ok())
}

async fn update_scheme_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_id, user_id)): ApiPath<(TeamId, UserParam)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let flags: SchemeRoles = decode(body, || AppError::invalid_param("scheme_roles"))?;
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM_ROLES).await?;
    teams::update_member_scheme_roles(&app, &team_id, &user_id, flags).await?;
    Ok(status_ok())
}

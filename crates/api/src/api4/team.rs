//! `/teams` and `/users/{user_id}/teams` (Mattermost's api4/team.go). Team settings are here,
//! membership in [`members`], a user's teams and unreads in [`user_teams`].

mod members;
mod user_teams;

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{body_page, decode, query_flag, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{has_system_permission, require_system, require_team};
use utmost_app::errors::TeamError;
use utmost_app::teams;
use utmost_model::permissions as perm;
use utmost_model::session::Session;
use utmost_model::team::{
    is_valid_team_name, Team, TeamPatch, TeamStats, TeamsWithCount, TEAM_INVITE, TEAM_OPEN,
};
use utmost_model::AppError;
use utmost_model::TeamId;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams", post(create_team).get(list_teams))
        .route(
            "/teams/{team_id}",
            get(get_team).put(update_team).delete(delete_team),
        )
        .route("/teams/search", post(search_teams))
        .route("/teams/{team_id}/patch", put(patch_team))
        .route("/teams/{team_id}/privacy", put(update_privacy))
        .route("/teams/{team_id}/restore", post(restore_team))
        .route("/teams/{team_id}/stats", get(team_stats))
        .route("/teams/name/{team_name}", get(get_team_by_name))
        .route("/teams/name/{team_name}/exists", get(team_exists))
        .merge(members::routes())
        .merge(user_teams::routes())
}

/// The viewer's copy of a team: without e-mail or invite id unless they may manage it.
async fn visible(app: &AppState, session: &Session, team: Team) -> ApiResult<Json<Team>> {
    Ok(Json(teams::sanitize_for(app, session, team).await?))
}

async fn create_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Team>)> {
    let team: Team = decode(body, || AppError::invalid_param("team"))?;
    if !has_system_permission(&app, &session, perm::CREATE_TEAM) {
        return Err(AppError::from(TeamError::CreationDisabled).into());
    }
    if team.scheme_id.is_some() {
        require_system(
            &app,
            &session,
            perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
        )?;
    }
    // Not sanitized: the creator is the team's admin, though their session does not know yet.
    let created = teams::create(&app, &session.user_id, team).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Whether the team is visible without being a member: open to open invites.
fn is_listed_openly(team: &Team) -> bool {
    team.allow_open_invite && team.team_type == TEAM_OPEN
}

async fn require_view(app: &AppState, session: &Session, team: &Team) -> ApiResult<()> {
    if !is_listed_openly(team) {
        require_team(app, session, &team.id, perm::VIEW_TEAM).await?;
    }
    Ok(())
}

async fn get_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<Team>> {
    let team = teams::get(&app, &team_id).await?;
    require_view(&app, &session, &team).await?;
    visible(&app, &session, team).await
}

fn team_name_param(raw: &str) -> ApiResult<&str> {
    if is_valid_team_name(raw) {
        Ok(raw)
    } else {
        Err(AppError::invalid_url_param("team_name").into())
    }
}

async fn get_team_by_name(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_name): ApiPath<String>,
) -> ApiResult<Json<Team>> {
    let team = teams::get_by_name(&app, team_name_param(&team_name)?).await?;
    require_view(&app, &session, &team).await?;
    visible(&app, &session, team).await
}

/// `{"exists": bool}`: true only for a team the caller belongs to or may list.
async fn team_exists(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_name): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let Some(team) = teams::find_by_name(&app, team_name_param(&team_name)?).await? else {
        return Ok(Json(json!({"exists": false})));
    };
    let is_member = teams::get_member(&app, &team.id, &session.user_id)
        .await
        .is_ok_and(|m| m.delete_at == 0);
    let listing = if team.allow_open_invite {
        perm::LIST_PUBLIC_TEAMS
    } else {
        perm::LIST_PRIVATE_TEAMS
    };
    let exists = is_member || has_system_permission(&app, &session, listing);
    Ok(Json(json!({"exists": exists})))
}

async fn update_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Team>> {
    let team: Team = decode(body, || AppError::invalid_param("team"))?;
    if team.id != team_id {
        return Err(AppError::invalid_param("id").into());
    }
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    let updated = teams::update(&app, team).await?;
    visible(&app, &session, updated).await
}

async fn patch_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Team>> {
    let patch: TeamPatch = decode(body, || AppError::invalid_param("team"))?;
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    // Constraining a team to its groups is the System Console's teams section (Mattermost
    // lets any `manage_team` holder do it).
    if patch.group_constrained.is_some() {
        require_system(&app, &session, perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_TEAMS)?;
    }
    let patched = teams::patch(&app, &team_id, &patch).await?;
    visible(&app, &session, patched).await
}

async fn update_privacy(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Team>> {
    let body: Value = decode(body, || AppError::invalid_param("privacy"))?;
    let privacy = match body.get("privacy").and_then(Value::as_str) {
        Some(p @ (TEAM_OPEN | TEAM_INVITE)) => p.to_string(),
        _ => return Err(AppError::invalid_param("privacy").into()),
    };
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    Ok(Json(teams::update_privacy(&app, &team_id, &privacy).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteQuery {
    permanent: String,
}

async fn delete_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> ApiResult<Json<Value>> {
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    if !query_flag(&query.permanent) {
        teams::archive(&app, &team_id).await?;
    } else if app.config().service_settings.enable_api_team_deletion {
        teams::permanent_delete(&app, &team_id).await?;
    } else {
        return Err(AppError::from(TeamError::PermanentDeleteDisabled).into());
    }
    Ok(status_ok())
}

async fn restore_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<Team>> {
    require_team(&app, &session, &team_id, perm::MANAGE_TEAM).await?;
    Ok(Json(teams::restore(&app, &team_id).await?))
}

async fn team_stats(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<TeamStats>> {
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    Ok(Json(teams::stats(&app, &team_id).await?))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    include_total_count: String,
}

/// Which teams the caller may list: all (`None`), or only the open or invite-only ones.
fn listable(app: &AppState, session: &Session) -> ApiResult<Option<bool>> {
    let list_private = has_system_permission(app, session, perm::LIST_PRIVATE_TEAMS);
    let list_public = has_system_permission(app, session, perm::LIST_PUBLIC_TEAMS);
    match (list_private, list_public) {
        (true, true) => Ok(None),
        (true, false) => Ok(Some(false)),
        (false, true) => Ok(Some(true)),
        (false, false) => Err(AppError::from(TeamError::ListAllDenied).into()),
    }
}

/// `model.TeamSearch`, the fields `POST /teams/search` reads.
#[derive(Deserialize, Default)]
#[serde(default)]
struct TeamSearch {
    term: String,
    page: Option<i64>,
    per_page: Option<i64>,
    exclude_policy_constrained: bool,
}

/// `POST /teams/search`: the teams the caller may list whose name or display name contains
/// the term; `{teams, total_count}` when the body names a page, else the list (at most
/// `MAX_PER_PAGE`).
async fn search_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let search: TeamSearch = decode(body, || AppError::invalid_param("team_search"))?;
    let open_invite = listable(&app, &session)?;
    if search.exclude_policy_constrained {
        require_system(
            &app,
            &session,
            perm::SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
        )?;
    }
    let (limit, offset, paged) = body_page(search.page, search.per_page);
    let (found, total_count) =
        teams::search(&app, open_invite, &search.term, limit, offset).await?;
    let found = teams::sanitize_all_for(&app, &session, found).await?;
    let body = if paged {
        serde_json::to_value(TeamsWithCount {
            teams: found,
            total_count,
        })
    } else {
        serde_json::to_value(found)
    };
    body.map(Json)
        .map_err(|e| AppError::internal("api.marshal_error", e).into())
}

/// `GET /teams`: every team for those who may list both kinds, otherwise only the kind
/// (open or invite-only) the caller may list.
async fn list_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Value>> {
    let open_invite = listable(&app, &session)?;
    let (limit, offset) = query.paging.limit_offset();
    let page = teams::list_page(&app, open_invite, limit, offset).await?;
    let page = teams::sanitize_all_for(&app, &session, page).await?;
    let body = if query_flag(&query.include_total_count) {
        let total_count = teams::count(&app, open_invite).await?;
        serde_json::to_value(TeamsWithCount {
            teams: page,
            total_count,
        })
    } else {
        serde_json::to_value(page)
    };
    body.map(Json)
        .map_err(|e| AppError::internal("api.marshal_error", e).into())
}

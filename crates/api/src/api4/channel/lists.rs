//! Channel lists: a user's channels and memberships, a team's public, archived and
//! matching channels.

use super::{sanitized, ArchivedQuery};
use crate::auth::Auth;
use crate::extract::{bounded_list, decode, sorted_ids, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::authorization::require_act_on_user;
use utmost_app::authorization::{has_team_permission, require_team};
use utmost_app::channels as app_channels;
use utmost_model::channel::{Channel, ChannelMember, ChannelMemberWithTeamData};
use utmost_model::{is_valid_id, permissions as perm, AppError};
use utmost_model::{TeamId, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/teams/{team_id}/channels",
            get(user_team_channels),
        )
        .route(
            "/users/{user_id}/teams/{team_id}/channels/members",
            get(user_team_memberships),
        )
        .route("/users/{user_id}/channels", get(user_channels))
        .route("/users/{user_id}/channel_members", get(user_memberships))
        .route("/teams/{team_id}/channels", get(public_channels))
        .route("/teams/{team_id}/channels/deleted", get(deleted_channels))
        .route(
            "/teams/{team_id}/channels/ids",
            post(public_channels_by_ids),
        )
        .route("/teams/{team_id}/channels/search", post(search_channels))
        .route("/teams/{team_id}/channels/autocomplete", get(autocomplete))
}

async fn user_team_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id)): ApiPath<(UserParam, TeamId)>,
    ApiQuery(q): ApiQuery<ArchivedQuery>,
) -> ApiResult<Json<Vec<Channel>>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    let archived = q.archived()?;
    let channels = app_channels::team_channels_for_user(&app, &team_id, &user_id, archived).await?;
    Ok(Json(channels))
}

async fn user_team_memberships(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id)): ApiPath<(UserParam, TeamId)>,
) -> ApiResult<Json<Vec<ChannelMember>>> {
    let user_id = user_id.resolve(&session);
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    if session.user_id != user_id {
        require_team(&app, &session, &team_id, perm::MANAGE_SYSTEM).await?;
    }
    let members = app_channels::members_for_user_in_team(&app, &team_id, &user_id).await?;
    Ok(Json(sanitized(members, &session)))
}

async fn user_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(q): ApiQuery<ArchivedQuery>,
) -> ApiResult<Json<Vec<Channel>>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let channels = app_channels::channels_for_user(&app, &user_id, q.archived()?).await?;
    Ok(Json(channels))
}

async fn user_memberships(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<ChannelMemberWithTeamData>>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let (limit, offset) = paging.limit_offset();
    let mut members = app_channels::members_for_user(&app, &user_id, limit, offset).await?;
    for m in &mut members {
        m.member.sanitize_for(&session.user_id);
    }
    Ok(Json(members))
}

async fn public_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Channel>>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    let (limit, offset) = paging.limit_offset();
    let channels = app_channels::public_channels_for_team(&app, &team_id, limit, offset).await?;
    Ok(Json(channels))
}

async fn deleted_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Channel>>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    let (limit, offset) = paging.limit_offset();
    let channels =
        app_channels::deleted_channels_for_team(&app, &team_id, &session.user_id, limit, offset)
            .await?;
    Ok(Json(channels))
}

async fn public_channels_by_ids(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Vec<Channel>>> {
    let ids = bounded_list(sorted_ids(body)?, "channel_ids")?;
    if !ids.iter().all(|id| is_valid_id(id)) {
        return Err(ApiError(AppError::invalid_param("channel_id")));
    }
    require_team(&app, &session, &team_id, perm::VIEW_TEAM).await?;
    Ok(Json(
        app_channels::public_channels_by_ids(&app, &team_id, &ids).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChannelSearch {
    term: String,
}

/// Searches a team's public channels; someone who may not list them (a guest) searches the
/// channels they belong to, and a non-member of the team gets the team-member 404.
async fn search_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Vec<Channel>>> {
    let search: ChannelSearch = decode(body, || AppError::invalid_param("channel_search"))?;
    if has_team_permission(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await? {
        return Ok(Json(
            app_channels::search_public_channels(&app, &team_id, &search.term).await?,
        ));
    }
    utmost_app::teams::get_member(&app, &team_id, &session.user_id).await?;
    let channels =
        app_channels::search_member_channels(&app, &team_id, &session.user_id, &search.term)
            .await?;
    Ok(Json(channels))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AutocompleteQuery {
    name: String,
}

async fn autocomplete(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<AutocompleteQuery>,
) -> ApiResult<Json<Vec<Channel>>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    let channels =
        app_channels::autocomplete_channels(&app, &team_id, &session.user_id, &q.name).await?;
    Ok(Json(channels))
}

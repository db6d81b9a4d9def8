//! `/schemes` (Mattermost's api4/scheme.go), the team and channel scheme assignments
//! (`PUT /teams/{id}/scheme`, `PUT /channels/{id}/scheme`), channel moderation
//! (`/channels/{id}/moderations`) and `/permissions/ancillary` (api4/permission.go).
//! No licence checks: the features are simply there.

use super::status_ok;
use crate::auth::{Auth, AuthTrusted};
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_app::{channel_moderation, channels, schemes};
use utmost_model::channel::Channel;
use utmost_model::permissions::{self as perm, with_ancillary};
use utmost_model::scheme::{
    ChannelModeration, ChannelModerationPatch, Scheme, SchemeIdPatch, SchemePatch, SCOPE_CHANNEL,
    SCOPE_TEAM,
};
use utmost_model::team::Team;
use utmost_model::{is_valid_id, AppError, ChannelId, SchemeId, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/schemes", get(list_schemes).post(create_scheme))
        .route(
            "/schemes/{scheme_id}",
            get(get_scheme).delete(delete_scheme),
        )
        .route("/schemes/{scheme_id}/patch", put(patch_scheme))
        .route("/schemes/{scheme_id}/teams", get(teams_for_scheme))
        .route("/schemes/{scheme_id}/channels", get(channels_for_scheme))
        .route("/teams/{team_id}/scheme", put(update_team_scheme))
        .route("/channels/{channel_id}/scheme", put(update_channel_scheme))
        .route("/channels/{channel_id}/moderations", get(get_moderations))
        .route(
            "/channels/{channel_id}/moderations/patch",
            put(patch_moderations),
        )
        .route(
            "/permissions/ancillary",
            get(ancillary_get).post(ancillary_post),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ScopeQuery {
    scope: String,
}

async fn list_schemes(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<ScopeQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Scheme>>> {
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
    )?;
    if !q.scope.is_empty() && q.scope != SCOPE_TEAM && q.scope != SCOPE_CHANNEL {
        return Err(AppError::invalid_param("scope").into());
    }
    Ok(Json(
        schemes::list(&app, &q.scope, paging.page, paging.per_page).await?,
    ))
}

async fn create_scheme(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Scheme>)> {
    let scheme: Scheme = decode(body, || AppError::invalid_param("scheme"))?;
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    )?;
    Ok((
        StatusCode::CREATED,
        Json(schemes::create(&app, scheme).await?),
    ))
}

async fn get_scheme(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    ApiPath(scheme_id): ApiPath<SchemeId>,
) -> ApiResult<Json<Scheme>> {
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_PERMISSIONS,
    )?;
    Ok(Json(schemes::get(&app, &scheme_id).await?))
}

async fn patch_scheme(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(scheme_id): ApiPath<SchemeId>,
    body: RawBody,
) -> ApiResult<Json<Scheme>> {
    let patch: SchemePatch = decode(body, || AppError::invalid_param("scheme"))?;
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    )?;
    Ok(Json(schemes::patch(&app, &scheme_id, patch).await?))
}

async fn delete_scheme(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(scheme_id): ApiPath<SchemeId>,
) -> ApiResult<Json<Value>> {
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    )?;
    schemes::delete(&app, &scheme_id).await?;
    Ok(status_ok())
}

async fn teams_for_scheme(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    ApiPath(scheme_id): ApiPath<SchemeId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Team>>> {
    require_system(&app, &session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_TEAMS)?;
    Ok(Json(
        schemes::teams(&app, &scheme_id, paging.page, paging.per_page).await?,
    ))
}

async fn channels_for_scheme(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    ApiPath(scheme_id): ApiPath<SchemeId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Channel>>> {
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    )?;
    Ok(Json(
        schemes::channels(&app, &scheme_id, paging.page, paging.per_page).await?,
    ))
}

/// The `scheme_id` of a scheme assignment's body; `empty_ok` lets "" through (a team's
/// scheme may be removed that way, a channel's may not, as in Mattermost).
fn scheme_id_of(body: RawBody, empty_ok: bool) -> ApiResult<String> {
    let patch: SchemeIdPatch = decode(body, || AppError::invalid_param("scheme_id"))?;
    match patch.scheme_id {
        Some(id) if is_valid_id(&id) || (empty_ok && id.is_empty()) => Ok(id),
        _ => Err(AppError::invalid_param("scheme_id").into()),
    }
}

async fn update_team_scheme(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let scheme_id = scheme_id_of(body, true)?;
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_PERMISSIONS,
    )?;
    schemes::set_team_scheme(&app, &team_id, &scheme_id).await?;
    Ok(status_ok())
}

async fn update_channel_scheme(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let scheme_id = scheme_id_of(body, false)?;
    require_system(&app, &session, perm::MANAGE_SYSTEM)?;
    schemes::set_channel_scheme(&app, &channel_id, &scheme_id).await?;
    Ok(status_ok())
}

async fn get_moderations(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<Vec<ChannelModeration>>> {
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    )?;
    let channel = channels::get_channel(&app, &channel_id).await?;
    Ok(Json(channel_moderation::get(&app, &channel)))
}

async fn patch_moderations(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Vec<ChannelModeration>>> {
    let patch: Vec<ChannelModerationPatch> = decode(body, || {
        AppError::invalid_param("channel_moderations_patch")
    })?;
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
    )?;
    let channel = channels::get_channel(&app, &channel_id).await?;
    Ok(Json(
        channel_moderation::patch(&app, &channel, &patch).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AncillaryQuery {
    subsection_permissions: String,
}

/// The permissions asked for, followed by the ancillary ones they imply (Mattermost's
/// `AddAncillaryPermissions`).
fn ancillary(asked: &[String]) -> Vec<String> {
    let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
    with_ancillary(&asked)
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// `GET /permissions/ancillary?subsection_permissions=a,b` (older servers' form).
async fn ancillary_get(
    Auth(_): Auth,
    ApiQuery(q): ApiQuery<AncillaryQuery>,
) -> ApiResult<Json<Vec<String>>> {
    if q.subsection_permissions.is_empty() {
        return Err(AppError::invalid_url_param("subsection_permissions").into());
    }
    let asked: Vec<String> = q
        .subsection_permissions
        .split(',')
        .map(str::to_string)
        .collect();
    Ok(Json(ancillary(&asked)))
}

/// `POST /permissions/ancillary` with the permissions as a JSON list.
async fn ancillary_post(Auth(_): Auth, body: RawBody) -> ApiResult<Json<Vec<String>>> {
    let asked: Vec<String> = decode(body, || AppError::invalid_param("permissions"))?;
    if asked.is_empty() {
        return Err(AppError::invalid_param("permissions").into());
    }
    Ok(Json(ancillary(&asked)))
}

//! One channel: create, read (by id or name), update, patch, privacy, archive, restore, stats.

use super::{channel_name_param, require_read, team_name_param};
use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use utmost_app::authorization::has_system_permission;
use utmost_app::authorization::require_system;
use utmost_app::authorization::{
    has_channel_permission, has_team_permission, require, require_channel, require_team,
};
use utmost_app::channels as app_channels;
use utmost_app::errors::ChannelError;
use utmost_app::App;
use utmost_model::channel::{
    Channel, ChannelPatch, ChannelStats, CHANNEL_OPEN, CHANNEL_PRIVATE, DEFAULT_CHANNEL_NAME,
};
use utmost_model::roles::SYSTEM_ADMIN;
use utmost_model::session::Session;
use utmost_model::{permissions as perm, AppError};
use utmost_model::{ChannelId, TeamId};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/channels", post(create_channel))
        .route(
            "/channels/{channel_id}",
            get(get_channel).put(update_channel).delete(delete_channel),
        )
        .route("/channels/{channel_id}/patch", put(patch_channel))
        .route("/channels/{channel_id}/privacy", put(update_privacy))
        .route("/channels/{channel_id}/restore", post(restore_channel))
        .route("/channels/{channel_id}/stats", get(channel_stats))
        .route("/channels/{channel_id}/timezones", get(channel_timezones))
        .route(
            "/teams/{team_id}/channels/name/{channel_name}",
            get(get_channel_by_name),
        )
        .route(
            "/teams/name/{team_name}/channels/name/{channel_name}",
            get(get_channel_by_team_name),
        )
}

async fn create_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let channel: Channel = decode(body, || AppError::invalid_param("channel"))?;
    if channel.team_id.is_empty() {
        return Err(ApiError(AppError::invalid_param("team_id")));
    }
    if channel.display_name.is_empty() {
        return Err(ApiError(AppError::invalid_param("display_name")));
    }
    let permission = match channel.channel_type.as_str() {
        CHANNEL_OPEN => Some(perm::CREATE_PUBLIC_CHANNEL),
        CHANNEL_PRIVATE => Some(perm::CREATE_PRIVATE_CHANNEL),
        _ => None,
    };
    if let Some(permission) = permission {
        require_team(&app, &session, &channel.team_id, permission).await?;
    }
    let created = app_channels::create_channel(&app, &session.user_id, channel).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn get_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<Channel>> {
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    require_read(&app, &session, &channel).await?;
    Ok(Json(channel))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IncludeDeleted {
    include_deleted: bool,
}

/// Who may see a channel found by name: public ones need read_public_channel on the team or
/// membership; a private one the caller may not read is reported missing, except to team
/// admins.
async fn require_read_by_name(
    app: &App,
    session: &Session,
    channel: Channel,
) -> ApiResult<Json<Channel>> {
    let readable = has_channel_permission(app, session, &channel.id, perm::READ_CHANNEL).await?;
    if channel.is_open() {
        let team_ok =
            has_team_permission(app, session, &channel.team_id, perm::READ_PUBLIC_CHANNEL).await?;
        require(team_ok || readable, perm::READ_PUBLIC_CHANNEL)?;
    } else if !readable
        && !has_team_permission(app, session, &channel.team_id, perm::MANAGE_TEAM).await?
    {
        return Err(AppError::from(ChannelError::NameNotFound).into());
    }
    Ok(Json(channel))
}

async fn get_channel_by_name(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_id, name)): ApiPath<(TeamId, String)>,
    ApiQuery(q): ApiQuery<IncludeDeleted>,
) -> ApiResult<Json<Channel>> {
    let name = channel_name_param(&name)?;
    let channel =
        app_channels::get_channel_by_name(&app, &team_id, &name, q.include_deleted).await?;
    require_read_by_name(&app, &session, channel).await
}

async fn get_channel_by_team_name(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((team_name, name)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<IncludeDeleted>,
) -> ApiResult<Json<Channel>> {
    let (team_name, name) = (team_name_param(&team_name)?, channel_name_param(&name)?);
    let channel =
        app_channels::get_channel_by_team_name(&app, &team_name, &name, q.include_deleted).await?;
    require_read_by_name(&app, &session, channel).await
}

fn forbidden_update() -> ApiError {
    ChannelError::UpdateForbidden.into()
}

/// The checks `updateChannel` and `patchChannel` share: the properties permission of the
/// channel's type; for DMs and GMs, membership and no renaming (`renames` says whether the
/// request changes name, display name or purpose).
async fn require_edit(app: &App, session: &Session, old: &Channel, renames: bool) -> ApiResult<()> {
    if old.is_open() {
        let permission = perm::MANAGE_PUBLIC_CHANNEL_PROPERTIES;
        Ok(require_channel(app, session, &old.id, permission).await?)
    } else if old.is_private() {
        let permission = perm::MANAGE_PRIVATE_CHANNEL_PROPERTIES;
        Ok(require_channel(app, session, &old.id, permission).await?)
    } else if old.is_group_or_direct() {
        app_channels::get_member(app, &old.id, &session.user_id)
            .await
            .map_err(|_| forbidden_update())?;
        if renames {
            return Err(ChannelError::RenameDirectOrGroup.into());
        }
        Ok(())
    } else {
        Err(forbidden_update())
    }
}

/// Constraining a channel to its groups, or freeing it, is the System Console's: its channels
/// section (Mattermost lets any holder of the channel's properties permission do it).
fn require_constraint_change(
    app: &AppState,
    session: &Session,
    channel: &Channel,
    group_constrained: Option<bool>,
) -> ApiResult<()> {
    if group_constrained.is_some_and(|v| v != channel.is_group_constrained()) {
        require_system(
            app,
            session,
            perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
        )?;
    }
    Ok(())
}

fn town_square_rename() -> ApiError {
    ChannelError::RenameDefault.into()
}

async fn update_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Channel>> {
    let input: Channel = decode(body, || AppError::invalid_param("channel"))?;
    if input.id != channel_id {
        return Err(ApiError(AppError::invalid_param("channel_id")));
    }
    let before = app_channels::get_channel(&app, &channel_id).await?;
    let mut channel = before.clone();
    let renames = (!input.name.is_empty() && input.name != channel.name)
        || (!input.display_name.is_empty() && input.display_name != channel.display_name)
        || input.purpose != channel.purpose;
    require_edit(&app, &session, &channel, renames).await?;
    require_constraint_change(&app, &session, &channel, input.group_constrained)?;
    if channel.is_deleted() {
        return Err(ChannelError::UpdateArchived.into());
    }
    if !input.channel_type.is_empty() && input.channel_type != channel.channel_type {
        return Err(ChannelError::TypeChange.into());
    }
    if channel.name == DEFAULT_CHANNEL_NAME && !input.name.is_empty() && input.name != channel.name
    {
        return Err(town_square_rename());
    }
    channel.header = input.header;
    channel.purpose = input.purpose;
    if !input.display_name.is_empty() {
        channel.display_name = input.display_name;
    }
    if !input.name.is_empty() {
        channel.name = input.name;
    }
    if input.group_constrained.is_some() {
        channel.group_constrained = input.group_constrained;
    }
    Ok(Json(
        app_channels::edit_channel(&app, &session.user_id, &before, channel).await?,
    ))
}

async fn patch_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Channel>> {
    let patch: ChannelPatch = decode(body, || AppError::invalid_param("channel"))?;
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    let changes = |new: &Option<String>, old: &str| new.as_deref().is_some_and(|v| v != old);
    let renames = changes(&patch.name, &channel.name)
        || changes(&patch.display_name, &channel.display_name)
        || changes(&patch.purpose, &channel.purpose);
    require_edit(&app, &session, &channel, renames).await?;
    require_constraint_change(&app, &session, &channel, patch.group_constrained)?;
    if channel.name == DEFAULT_CHANNEL_NAME && changes(&patch.name, &channel.name) {
        return Err(town_square_rename());
    }
    Ok(Json(
        app_channels::patch_channel(&app, &session.user_id, channel, &patch).await?,
    ))
}

async fn update_privacy(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Channel>> {
    let props: Value = decode(body, || AppError::invalid_param("privacy"))?;
    let privacy = props["privacy"].as_str().unwrap_or("");
    let permission = match privacy {
        CHANNEL_OPEN => perm::CONVERT_PRIVATE_CHANNEL_TO_PUBLIC,
        CHANNEL_PRIVATE => perm::CONVERT_PUBLIC_CHANNEL_TO_PRIVATE,
        _ => return Err(ApiError(AppError::invalid_param("privacy"))),
    };
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    require_channel(&app, &session, &channel.id, permission).await?;
    Ok(Json(
        app_channels::set_privacy(&app, &session.user_id, channel, privacy).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteQuery {
    permanent: bool,
}

async fn delete_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(q): ApiQuery<DeleteQuery>,
) -> ApiResult<Json<Value>> {
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    if channel.is_group_or_direct() {
        return Err(ChannelError::DeleteDirectOrGroup.into());
    }
    let permission = if channel.is_open() {
        perm::DELETE_PUBLIC_CHANNEL
    } else {
        perm::DELETE_PRIVATE_CHANNEL
    };
    require_channel(&app, &session, &channel.id, permission).await?;
    if !q.permanent {
        app_channels::archive_channel(&app, &session.user_id, channel).await?;
    } else if app.config().service_settings.enable_api_channel_deletion {
        app_channels::permanent_delete_channel(&app, &channel).await?;
    } else {
        let for_admin = session.roles.split_whitespace().any(|r| r == SYSTEM_ADMIN);
        return Err(ChannelError::PermanentDeleteDisabled { for_admin }.into());
    }
    Ok(status_ok())
}

async fn restore_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<Channel>> {
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    let granted = has_team_permission(&app, &session, &channel.team_id, perm::MANAGE_TEAM).await?
        || has_system_permission(
            &app,
            &session,
            perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_CHANNELS,
        );
    require(granted, perm::MANAGE_TEAM)?;
    Ok(Json(
        app_channels::restore_channel(&app, &session.user_id, channel).await?,
    ))
}

async fn channel_timezones(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<Vec<String>>> {
    require_channel(&app, &session, &channel_id, perm::READ_CHANNEL).await?;
    Ok(Json(
        app_channels::member_timezones(&app, &channel_id).await?,
    ))
}

async fn channel_stats(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<ChannelStats>> {
    require_channel(&app, &session, &channel_id, perm::READ_CHANNEL).await?;
    Ok(Json(app_channels::channel_stats(&app, &channel_id).await?))
}

//! The custom group calls of `/groups` (Mattermost's api4/group.go `createGroup`,
//! `deleteGroup`, `restoreGroup`, `addGroupMembers`, `deleteGroupMembers`), in Mattermost's
//! order of checks: the group's source, `EnableCustomGroups`, then the permission.

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utmost_app::authorization::{require, require_system};
use utmost_app::groups::{self, custom};
use utmost_model::group::{Group, GroupMember, GroupModifyMembers, NewGroup};
use utmost_model::permissions as perm;
use utmost_model::session::Session;
use utmost_model::{AppError, GroupId};

pub(super) async fn create_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Group>)> {
    let new: NewGroup = decode(body, || AppError::invalid_param("group"))?;
    custom::require_custom(&new.source, false)?;
    custom::require_enabled(&app)?;
    require_system(&app, &session, perm::CREATE_CUSTOM_GROUP)?;
    Ok((StatusCode::CREATED, Json(custom::create(&app, new).await?)))
}

/// The custom group `group_id`, once the caller is known to hold `permission` on it.
async fn custom_group(
    app: &AppState,
    session: &Session,
    group_id: &str,
    permission: &str,
    restore: bool,
) -> ApiResult<Group> {
    let group = groups::get(app, group_id, false).await?;
    custom::require_custom(&group.source, restore)?;
    custom::require_enabled(app)?;
    require(
        custom::has_permission(app, session, group_id, permission).await?,
        permission,
    )?;
    Ok(group)
}

pub(super) async fn delete_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
) -> ApiResult<Json<Group>> {
    let group = custom_group(&app, &session, &group_id, perm::DELETE_CUSTOM_GROUP, false).await?;
    Ok(Json(custom::archive(&app, group).await?))
}

pub(super) async fn restore_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
) -> ApiResult<Json<Group>> {
    let group = custom_group(&app, &session, &group_id, perm::RESTORE_CUSTOM_GROUP, true).await?;
    Ok(Json(custom::restore(&app, group).await?))
}

pub(super) async fn add_group_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
    body: RawBody,
) -> ApiResult<Json<Vec<GroupMember>>> {
    let user_ids = members_body(&app, &session, &group_id, body, "addGroupMembers").await?;
    Ok(Json(custom::add_members(&app, &group_id, user_ids).await?))
}

pub(super) async fn delete_group_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
    body: RawBody,
) -> ApiResult<Json<Vec<GroupMember>>> {
    let user_ids = members_body(&app, &session, &group_id, body, "deleteGroupMembers").await?;
    Ok(Json(
        custom::remove_members(&app, &group_id, user_ids).await?,
    ))
}

/// The `user_ids` of a members call (its body named `param` in errors), once the caller
/// may manage the custom group's members.
async fn members_body(
    app: &AppState,
    session: &Session,
    group_id: &str,
    body: RawBody,
    param: &str,
) -> ApiResult<Vec<String>> {
    let permission = perm::MANAGE_CUSTOM_GROUP_MEMBERS;
    custom_group(app, session, group_id, permission, false).await?;
    let body: GroupModifyMembers = decode(body, || AppError::invalid_param(param))?;
    Ok(body.user_ids)
}

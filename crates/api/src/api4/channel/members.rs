//! `/channels/{channel_id}/members…` and marking channels viewed.

use super::{manage_members_permission, sanitized};
use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{
    bounded_list, decode, sorted_ids, ApiPath, ApiQuery, Paging, RawBody, MAX_LIST_SIZE,
};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::Value;
use std::collections::BTreeMap;
use utmost_app::authorization::require_act_on_user;
use utmost_app::authorization::{
    has_channel_permission, has_team_permission, require, require_channel,
};
use utmost_app::channels as app_channels;
use utmost_app::errors::ChannelError;
use utmost_app::errors::GroupError;
use utmost_app::groups::syncables;
use utmost_model::channel::{ChannelMember, ChannelView, ChannelViewResponse};
use utmost_model::group::SyncableType;
use utmost_model::role::is_valid_role_name;
use utmost_model::team::SchemeRoles;
use utmost_model::{is_valid_id, permissions as perm, AppError};
use utmost_model::{ChannelId, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/channels/{channel_id}/members",
            get(list_members).post(add_members),
        )
        .route("/channels/{channel_id}/members/ids", post(members_by_ids))
        .route(
            "/channels/{channel_id}/members/{user_id}",
            get(get_member).delete(remove_member),
        )
        .route(
            "/channels/{channel_id}/members/{user_id}/roles",
            put(update_roles),
        )
        .route(
            "/channels/{channel_id}/members/{user_id}/schemeRoles",
            put(update_scheme_roles),
        )
        .route(
            "/channels/{channel_id}/members/{user_id}/notify_props",
            put(update_notify_props),
        )
        .route("/channels/members/{user_id}/view", post(view_channel))
        .route("/channels/members/{user_id}/mark_read", post(mark_read))
}

async fn list_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<ChannelMember>>> {
    require_channel(&app, &session, &channel_id, perm::READ_CHANNEL).await?;
    let (limit, offset) = paging.limit_offset();
    let members = app_channels::members_page(&app, &channel_id, limit, offset).await?;
    Ok(Json(sanitized(members, &session)))
}

/// The user ids `POST /channels/{id}/members` names: `user_ids`, else `user_id`.
fn requested_user_ids(props: &Value) -> ApiResult<Vec<String>> {
    if let Some(list) = props["user_ids"].as_array() {
        if list.len() > MAX_LIST_SIZE {
            return Err(ApiError(AppError::invalid_param("user_ids")));
        }
        return list
            .iter()
            .map(|v| match v.as_str() {
                Some(id) if is_valid_id(id) => Ok(id.to_string()),
                _ => Err(ApiError(AppError::invalid_param("user_id in user_ids"))),
            })
            .collect();
    }
    match props["user_id"].as_str() {
        Some(id) if is_valid_id(id) => Ok(vec![id.to_string()]),
        _ => Err(ApiError(AppError::invalid_param("user_id or user_ids"))),
    }
}

/// Adds people to a public or private channel. Anyone may join a public channel they can
/// join (join_public_channels); adding others takes the manage-members permission of the
/// channel's type. Answers the member for `user_id`, the list for `user_ids`; fails only
/// when nobody could be added.
async fn add_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Response> {
    let props: Value = decode(body, || AppError::invalid_param("user_id or user_ids"))?;
    let user_ids = requested_user_ids(&props)?;
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    if channel.is_group_or_direct() {
        return Err(AppError::from(ChannelError::CannotAddToType).into());
    }
    let manage = manage_members_permission(&channel);
    let can_add_others = has_channel_permission(&app, &session, &channel.id, manage).await?;
    let can_add_self = channel.is_open()
        && has_team_permission(&app, &session, &channel.team_id, perm::JOIN_PUBLIC_CHANNELS)
            .await?;
    if channel.is_private() {
        require(can_add_others, manage)?;
    }
    if channel.is_group_constrained() {
        let outside =
            syncables::outside_groups(&app, SyncableType::Channel, &channel.id, &user_ids).await?;
        if !outside.is_empty() {
            return Err(AppError::from(GroupError::ChannelUserDenied(outside)).into());
        }
    }

    let mut added = Vec::new();
    let mut last_error = None;
    for user_id in &user_ids {
        let is_self = *user_id == session.user_id;
        let permitted = if is_self {
            can_add_self || can_add_others
        } else {
            can_add_others
        };
        let result = if permitted {
            app_channels::add_member(&app, &channel, user_id, &session.user_id).await
        } else if is_self {
            // Already a member: joining again is answered with the membership.
            app_channels::get_member(&app, &channel.id, user_id)
                .await
                .map_err(|_| AppError::permission_denied(perm::JOIN_PUBLIC_CHANNELS))
        } else {
            Err(AppError::permission_denied(manage))
        };
        match result {
            Ok(member) => added.push(member),
            Err(e) => last_error = Some(e),
        }
    }
    if let (Some(e), true) = (last_error, added.is_empty()) {
        return Err(ApiError(e));
    }
    let added = sanitized(added, &session);
    let single = props["user_id"].as_str();
    Ok(match added.as_slice() {
        [member] if single == Some(member.user_id.as_str()) => {
            (StatusCode::CREATED, Json(member)).into_response()
        }
        _ => (StatusCode::CREATED, Json(added)).into_response(),
    })
}

async fn members_by_ids(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<Json<Vec<ChannelMember>>> {
    let ids = bounded_list(sorted_ids(body)?, "user_ids")?;
    require_channel(&app, &session, &channel_id, perm::READ_CHANNEL).await?;
    let members = app_channels::members_by_ids(&app, &channel_id, &ids).await?;
    Ok(Json(sanitized(members, &session)))
}

async fn get_member(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((channel_id, user)): ApiPath<(ChannelId, UserParam)>,
) -> ApiResult<Json<ChannelMember>> {
    let user_id = user.resolve(&session);
    require_channel(&app, &session, &channel_id, perm::READ_CHANNEL).await?;
    let member = app_channels::get_member(&app, &channel_id, &user_id).await?;
    let mut member = utmost_app::schemes::with_scheme_roles(&app, member).await?;
    member.sanitize_for(&session.user_id);
    Ok(Json(member))
}

async fn remove_member(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((channel_id, user)): ApiPath<(ChannelId, UserParam)>,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    let channel = app_channels::get_channel(&app, &channel_id).await?;
    let user = utmost_app::users::get(&app, &user_id).await?;
    if !channel.is_open() && !channel.is_private() {
        return Err(ChannelError::RemoveFromType.into());
    }
    let is_self = user_id == session.user_id;
    if channel.is_group_constrained() && !is_self && !user.is_bot {
        return Err(ChannelError::RemoveGroupConstrained.into());
    }
    if !is_self {
        require_channel(
            &app,
            &session,
            &channel.id,
            manage_members_permission(&channel),
        )
        .await?;
    }
    app_channels::remove_member(&app, &channel, &user_id, &session.user_id).await?;
    Ok(status_ok())
}

async fn update_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((channel_id, user)): ApiPath<(ChannelId, UserParam)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    let props: BTreeMap<String, String> = decode(body, || AppError::invalid_param("roles"))?;
    let roles = props.get("roles").map(String::as_str).unwrap_or("");
    if !roles.split_whitespace().all(is_valid_role_name) {
        return Err(ApiError(AppError::invalid_param("roles")));
    }
    require_channel(&app, &session, &channel_id, perm::MANAGE_CHANNEL_ROLES).await?;
    app_channels::update_member_roles(&app, &channel_id, &user_id, roles).await?;
    Ok(status_ok())
}

async fn update_scheme_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((channel_id, user)): ApiPath<(ChannelId, UserParam)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    let roles: SchemeRoles = decode(body, || AppError::invalid_param("scheme_roles"))?;
    require_channel(&app, &session, &channel_id, perm::MANAGE_CHANNEL_ROLES).await?;
    let flags = (roles.scheme_guest, roles.scheme_user, roles.scheme_admin);
    app_channels::update_member_scheme_roles(&app, &channel_id, &user_id, flags).await?;
    Ok(status_ok())
}

async fn update_notify_props(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((channel_id, user)): ApiPath<(ChannelId, UserParam)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    let props: BTreeMap<String, String> = decode(body, || AppError::invalid_param("notify_props"))?;
    require_act_on_user(&app, &session, &user_id).await?;
    app_channels::update_member_notify_props(&app, &channel_id, &user_id, &props).await?;
    Ok(status_ok())
}

async fn view_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<ChannelViewResponse>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let view: ChannelView = decode(body, || AppError::invalid_param("channel_view"))?;
    for (id, name) in [
        (&view.channel_id, "channel_view.channel_id"),
        (&view.prev_channel_id, "channel_view.prev_channel_id"),
    ] {
        if !id.is_empty() && !is_valid_id(id) {
            return Err(ApiError(AppError::invalid_param(name)));
        }
    }
    let times = app_channels::view_channel(&app, &user_id, &view).await?;
    Ok(Json(ChannelViewResponse {
        status: "OK".into(),
        last_viewed_at_times: times,
    }))
}

/// `POST /channels/members/{user_id}/mark_read`: a JSON array of channel ids, all marked read.
async fn mark_read(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<ChannelViewResponse>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let ids: Vec<String> = decode(body, || AppError::invalid_param("channel_ids"))?;
    if ids.is_empty() || ids.len() > 200 || ids.iter().any(|id| !is_valid_id(id)) {
        return Err(ApiError(AppError::invalid_param("channel_ids")));
    }
    let times = app_channels::mark_read(&app, &user_id, &ids).await?;
    Ok(Json(ChannelViewResponse {
        status: "OK".into(),
        last_viewed_at_times: times,
    }))
}

//! `/groups` and the group lists of users, channels and teams (Mattermost's api4/group.go),
//! with Mattermost's permission checks: a group that is not mentionable is seen only with
//! `sysconsole_read_user_management_groups`; links to a team need `invite_user` there (or
//! `sysconsole_write_user_management_groups`), links to a channel managing its members.
//! Utmost needs no licence, so none of Mattermost's licence errors is raised.

use super::group_custom;
use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{
    has_system_permission, has_team_permission, require, require_channel,
    require_self_or_system_admin, require_system, require_team,
};
use utmost_app::errors::GroupError;
use utmost_app::groups::{self, custom, syncables, Archived, GroupSearch};
use utmost_app::{channels, teams, users};
use utmost_model::channel::CHANNEL_PRIVATE;
use utmost_model::group::{
    Group, GroupPatch, GroupSyncablePatch, SyncableType, SOURCE_CUSTOM, SOURCE_LDAP,
};
use utmost_model::permissions as perm;
use utmost_model::session::Session;
use utmost_model::{is_valid_id, AppError, ChannelId, GroupId, TeamId, UserParam};

/// Groups listed per user, at most (`/users/{id}/groups` has no paging).
const MAX_USER_GROUPS: i64 = 1000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", get(get_groups).post(group_custom::create_group))
        .route(
            "/groups/{group_id}",
            get(get_group).delete(group_custom::delete_group),
        )
        .route(
            "/groups/{group_id}/restore",
            post(group_custom::restore_group),
        )
        .route("/groups/{group_id}/patch", put(patch_group))
        .route(
            "/groups/{group_id}/members",
            get(get_group_members)
                .post(group_custom::add_group_members)
                .delete(group_custom::delete_group_members),
        )
        .route("/groups/{group_id}/stats", get(get_group_stats))
        .route("/groups/{group_id}/{syncable_type}", get(get_syncables))
        .route(
            "/groups/{group_id}/{syncable_type}/{syncable_id}",
            get(get_syncable),
        )
        .route(
            "/groups/{group_id}/{syncable_type}/{syncable_id}/link",
            post(link_syncable).delete(unlink_syncable),
        )
        .route(
            "/groups/{group_id}/{syncable_type}/{syncable_id}/patch",
            put(patch_syncable),
        )
        .route("/users/{user_id}/groups", get(get_user_groups))
        .route("/channels/{channel_id}/groups", get(get_channel_groups))
        .route("/teams/{team_id}/groups", get(get_team_groups))
        .route(
            "/teams/{team_id}/groups_by_channels",
            get(get_team_groups_by_channels),
        )
        .route(
            "/teams/{team_id}/members_minus_group_members",
            get(team_members_minus_group_members),
        )
        .route(
            "/channels/{channel_id}/members_minus_group_members",
            get(channel_members_minus_group_members),
        )
}

fn flag(value: &str) -> bool {
    value == "true"
}

/// The query parameters of `GET /groups` and of the team and channel lists.
#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupsQuery {
    q: String,
    include_member_count: String,
    include_total_count: String,
    not_associated_to_team: String,
    not_associated_to_channel: String,
    include_channel_member_count: String,
    since: String,
    filter_allow_reference: String,
    filter_has_member: String,
    source: String,
    paginate: String,
    include_archived: String,
    filter_archived: String,
}

impl GroupsQuery {
    /// Whether only mentionable groups are shown: asked for, or the caller may not read
    /// groups in the system console.
    fn only_referenceable(&self, app: &AppState, session: &Session) -> bool {
        flag(&self.filter_allow_reference)
            || !has_system_permission(app, session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS)
    }

    fn search(&self, app: &AppState, session: &Session, paging: &Paging) -> GroupSearch {
        let (limit, offset) = if self.paginate == "false" {
            (MAX_USER_GROUPS, 0)
        } else {
            paging.limit_offset()
        };
        GroupSearch {
            q: self.q.clone(),
            include_member_count: flag(&self.include_member_count),
            only_referenceable: self.only_referenceable(app, session),
            offset,
            limit,
            ..GroupSearch::default()
        }
    }
}

/// Managing the members of the channel: what `not_associated_to_channel` and
/// `include_channel_member_count` take.
async fn require_manage_members(
    app: &AppState,
    session: &Session,
    channel_id: &str,
) -> ApiResult<()> {
    let channel = channels::get_channel(app, channel_id).await?;
    Ok(require_channel(app, session, channel_id, manage_members(&channel)).await?)
}

fn manage_members(channel: &utmost_model::channel::Channel) -> &'static str {
    if channel.channel_type == CHANNEL_PRIVATE {
        perm::MANAGE_PRIVATE_CHANNEL_MEMBERS
    } else {
        perm::MANAGE_PUBLIC_CHANNEL_MEMBERS
    }
}

async fn get_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<GroupsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    for channel_id in [
        &q.not_associated_to_channel,
        &q.include_channel_member_count,
    ] {
        if is_valid_id(channel_id) {
            require_manage_members(&app, &session, channel_id).await?;
        }
    }
    let since = match q.since.as_str() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid_param("since"))?,
        ),
    };
    let valid = |id: &str| is_valid_id(id).then(|| id.to_string());
    if let Some(team_id) = valid(&q.not_associated_to_team) {
        teams::get(&app, &team_id).await?;
    }
    // Without custom groups, only the directory's are listed (as Mattermost does).
    let source = if !app.config().service_settings.enable_custom_groups {
        Some(SOURCE_LDAP.to_string())
    } else {
        (!q.source.is_empty()).then(|| q.source.clone())
    };
    let archived = if flag(&q.filter_archived) {
        Archived::Only
    } else if flag(&q.include_archived) {
        Archived::Included
    } else {
        Archived::Excluded
    };
    let search = GroupSearch {
        source,
        archived,
        not_associated_to_team: valid(&q.not_associated_to_team),
        not_associated_to_channel: valid(&q.not_associated_to_channel),
        channel_member_count: valid(&q.include_channel_member_count),
        has_member: valid(&q.filter_has_member),
        since,
        ..q.search(&app, &session, &paging)
    };
    let (groups, total) = groups::search(&app, &search).await?;
    if flag(&q.include_total_count) {
        return Ok(Json(json!({"groups": groups, "total_count": total})));
    }
    Ok(Json(json!(groups)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupQuery {
    include_member_count: String,
}

/// A group that is not mentionable: only for those who read groups in the system console.
fn require_visible(app: &AppState, session: &Session, group: &Group) -> ApiResult<()> {
    if !group.allow_reference {
        require_system(app, session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS)?;
    }
    Ok(())
}

async fn get_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
    ApiQuery(q): ApiQuery<GroupQuery>,
) -> ApiResult<Json<Group>> {
    let group = groups::get(&app, &group_id, flag(&q.include_member_count)).await?;
    require_visible(&app, &session, &group)?;
    Ok(Json(group))
}

/// `PUT /groups/{id}/patch`: `sysconsole_write_user_management_groups` for an LDAP group,
/// `edit_custom_group` for a custom one, which stays mentionable.
async fn patch_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
    body: RawBody,
) -> ApiResult<Json<Group>> {
    let group = groups::get(&app, &group_id, false).await?;
    if group.source == SOURCE_CUSTOM {
        custom::require_enabled(&app)?;
        let permission = perm::EDIT_CUSTOM_GROUP;
        require(
            custom::has_permission(&app, &session, &group.id, permission).await?,
            permission,
        )?;
    } else {
        require_system(
            &app,
            &session,
            perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
        )?;
    }
    let patch: GroupPatch = decode(body, || AppError::invalid_param("group"))?;
    if group.source == SOURCE_CUSTOM && patch.allow_reference == Some(false) {
        return Err(AppError::from(GroupError::MustBeReferenceable).into());
    }
    Ok(Json(groups::patch(&app, group, &patch).await?))
}

async fn get_group_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    let group = groups::get(&app, &group_id, false).await?;
    if group.source == SOURCE_LDAP {
        require_visible(&app, &session, &group)?;
    }
    let (limit, offset) = paging.limit_offset();
    let (members, count) = groups::members_page(&app, &group.id, offset, limit).await?;
    let members: Vec<_> = members
        .into_iter()
        .map(|u| users::sanitize_for(&app, &session, u))
        .collect();
    Ok(Json(
        json!({"members": members, "total_member_count": count}),
    ))
}

async fn get_group_stats(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(group_id): ApiPath<GroupId>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS)?;
    Ok(Json(json!(groups::stats(&app, &group_id).await?)))
}

/// `teams` or `channels` in the path.
fn syncable_type(segment: &str) -> ApiResult<SyncableType> {
    SyncableType::from_path(segment)
        .ok_or_else(|| AppError::invalid_url_param("syncable_type").into())
}

fn syncable_id(id: &str) -> ApiResult<&str> {
    if is_valid_id(id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("syncable_id").into())
    }
}

/// Mattermost's `verifyLinkUnlinkPermission`: an LDAP group; one that is not mentionable
/// only for readers of groups in the system console; for a team, `invite_user` there or
/// `sysconsole_write_user_management_groups`; for a channel, managing its members, and the
/// team's permission too when the group is not linked to the team yet.
async fn verify_link_permission(
    app: &AppState,
    session: &Session,
    group: &Group,
    kind: SyncableType,
    syncable_id: &str,
) -> ApiResult<()> {
    if group.source != SOURCE_LDAP {
        return Err(AppError::from(utmost_app::errors::GroupError::NotLdap).into());
    }
    require_visible(app, session, group)?;
    let team_id = match kind {
        SyncableType::Team => syncable_id.to_string(),
        SyncableType::Channel => {
            let channel = channels::get_channel(app, syncable_id).await?;
            require_channel(app, session, &channel.id, manage_members(&channel)).await?;
            if syncables::get(app, &group.id, SyncableType::Team, &channel.team_id)
                .await
                .is_ok()
            {
                return Ok(());
            }
            channel.team_id
        }
    };
    let granted = has_team_permission(app, session, &team_id, perm::INVITE_USER).await?
        || has_system_permission(app, session, perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS);
    Ok(require(granted, perm::INVITE_USER)?)
}

fn syncable_patch(body: RawBody, kind: SyncableType) -> ApiResult<GroupSyncablePatch> {
    let patch: Option<GroupSyncablePatch> = decode(body, || {
        AppError::invalid_param(&format!("Group{}", kind.name()))
    })?;
    patch.ok_or_else(|| AppError::invalid_param(&format!("Group{}", kind.name())).into())
}

async fn link_syncable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((group_id, kind, id)): ApiPath<(GroupId, String, String)>,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (kind, id) = (syncable_type(&kind)?, syncable_id(&id)?);
    let patch = syncable_patch(body, kind)?;
    let group = groups::get(&app, &group_id, false).await?;
    verify_link_permission(&app, &session, &group, kind, id).await?;
    let linked = syncables::link(&app, &group, kind, id, &patch).await?;
    Ok((StatusCode::CREATED, Json(json!(linked))))
}

async fn unlink_syncable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((group_id, kind, id)): ApiPath<(GroupId, String, String)>,
) -> ApiResult<Json<Value>> {
    let (kind, id) = (syncable_type(&kind)?, syncable_id(&id)?);
    let group = groups::get(&app, &group_id, false).await?;
    verify_link_permission(&app, &session, &group, kind, id).await?;
    syncables::unlink(&app, &group.id, kind, id).await?;
    Ok(status_ok())
}

async fn patch_syncable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((group_id, kind, id)): ApiPath<(GroupId, String, String)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let (kind, id) = (syncable_type(&kind)?, syncable_id(&id)?);
    let patch = syncable_patch(body, kind)?;
    let group = groups::get(&app, &group_id, false).await?;
    verify_link_permission(&app, &session, &group, kind, id).await?;
    Ok(Json(json!(
        syncables::patch(&app, &group.id, kind, id, &patch).await?
    )))
}

/// `GET /groups/{id}/{teams|channels}/{syncable_id}`: `manage_system`.
async fn get_syncable(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((group_id, kind, id)): ApiPath<(GroupId, String, String)>,
) -> ApiResult<Json<Value>> {
    let (kind, id) = (syncable_type(&kind)?, syncable_id(&id)?);
    require_system(&app, &session, perm::MANAGE_SYSTEM)?;
    Ok(Json(json!(
        syncables::get(&app, &group_id, kind, id).await?
    )))
}

/// `GET /groups/{id}/{teams|channels}`: `sysconsole_read_user_management_groups`.
async fn get_syncables(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((group_id, kind)): ApiPath<(GroupId, String)>,
) -> ApiResult<Json<Value>> {
    let kind = syncable_type(&kind)?;
    require_system(&app, &session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS)?;
    Ok(Json(json!(
        syncables::of_group(&app, &group_id, kind).await?
    )))
}

/// A user's own groups, or anyone's for `manage_system`; only mentionable ones without
/// `sysconsole_read_user_management_groups`.
async fn get_user_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user): ApiPath<UserParam>,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    require_self_or_system_admin(&app, &session, &user_id)?;
    let search = GroupSearch {
        has_member: Some(user_id.to_string()),
        only_referenceable: !has_system_permission(
            &app,
            &session,
            perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
        ),
        limit: MAX_USER_GROUPS,
        ..GroupSearch::default()
    };
    Ok(Json(json!(groups::search(&app, &search).await?.0)))
}

/// A page of the groups linked to a team or channel, with each link's `scheme_admin`.
async fn linked_groups_page(
    app: &AppState,
    session: &Session,
    q: &GroupsQuery,
    paging: &Paging,
    linked_to: (SyncableType, String),
) -> ApiResult<Json<Value>> {
    let search = GroupSearch {
        linked_to: Some(linked_to),
        ..q.search(app, session, paging)
    };
    let (groups, total) = groups::search(app, &search).await?;
    Ok(Json(json!({"groups": groups, "total_group_count": total})))
}

/// `read_public_channel_groups` / `read_private_channel_groups` in the channel.
async fn get_channel_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(q): ApiQuery<GroupsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    let channel = channels::get_channel(&app, &channel_id).await?;
    let permission = if channel.channel_type == CHANNEL_PRIVATE {
        perm::READ_PRIVATE_CHANNEL_GROUPS
    } else {
        perm::READ_PUBLIC_CHANNEL_GROUPS
    };
    require_channel(&app, &session, &channel_id, permission).await?;
    let linked_to = (SyncableType::Channel, channel.id);
    linked_groups_page(&app, &session, &q, &paging, linked_to).await
}

/// `list_team_channels` in the team.
async fn get_team_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<GroupsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    let linked_to = (SyncableType::Team, team_id.to_string());
    linked_groups_page(&app, &session, &q, &paging, linked_to).await
}

/// `GET /teams/{id}/groups_by_channels`: `list_team_channels` in the team; the groups of
/// each channel, `{"groups": {channel_id: [group]}}`.
async fn get_team_groups_by_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<GroupsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    let search = q.search(&app, &session, &paging);
    let by_channel = groups::by_team_channels(
        &app,
        &team_id,
        search.only_referenceable,
        search.offset,
        search.limit,
    )
    .await?;
    Ok(Json(json!({"groups": by_channel})))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupIdsQuery {
    group_ids: String,
}

/// `group_ids`: a comma-separated list of group ids, at least one.
fn group_ids(q: &GroupIdsQuery) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = q
        .group_ids
        .split(',')
        .map(|id| id.trim().to_string())
        .collect();
    if ids.len() > MAX_GROUP_IDS || !ids.iter().all(|id| is_valid_id(id)) {
        return Err(AppError::invalid_param("group_ids").into());
    }
    Ok(ids)
}

/// Group ids one `members_minus_group_members` request may name, at most.
const MAX_GROUP_IDS: usize = 200;

/// The members of a team or channel in none of `group_ids` (as Mattermost checks: a team's
/// with `sysconsole_read_user_management_groups`, a channel's with
/// `sysconsole_read_user_management_channels`): `{"users": [user with "groups" and the
/// scheme flags], "total_count": n}`.
async fn members_minus_group_members(
    app: &AppState,
    session: &Session,
    kind: SyncableType,
    syncable_id: &str,
    q: &GroupIdsQuery,
    paging: &Paging,
) -> ApiResult<Json<Value>> {
    let ids = group_ids(q)?;
    let permission = match kind {
        SyncableType::Team => perm::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
        SyncableType::Channel => perm::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    };
    require_system(app, session, permission)?;
    let (limit, offset) = paging.limit_offset();
    let (listed, count) =
        groups::members_minus_groups(app, kind, syncable_id, &ids, offset, limit).await?;
    let users: Vec<Value> = listed
        .into_iter()
        .map(|u| {
            let mut user = json!(users::sanitize_for(app, session, u.user));
            user["groups"] = json!(u.groups);
            user["scheme_guest"] = json!(u.scheme_guest);
            user["scheme_user"] = json!(u.scheme_user);
            user["scheme_admin"] = json!(u.scheme_admin);
            user
        })
        .collect();
    Ok(Json(json!({"users": users, "total_count": count})))
}

async fn team_members_minus_group_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<GroupIdsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    members_minus_group_members(&app, &session, SyncableType::Team, &team_id, &q, &paging).await
}

async fn channel_members_minus_group_members(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(q): ApiQuery<GroupIdsQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    let kind = SyncableType::Channel;
    members_minus_group_members(&app, &session, kind, &channel_id, &q, &paging).await
}

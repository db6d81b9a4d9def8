//! Permission checks in Mattermost's order (`app/authorization.go`): system roles first, then
//! the channel membership, then the team membership of the channel's team.

use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::roles::{effective_channel_roles, effective_team_roles};
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_store::authz;

pub fn has_system_permission(app: &App, session: &Session, permission: &str) -> bool {
    app.role_permissions()
        .has_system(&session.roles, permission)
}

pub async fn has_team_permission(
    app: &App,
    session: &Session,
    team_id: &str,
    permission: &str,
) -> AppResult<bool> {
    let perms = app.role_permissions();
    if perms.has_system(&session.roles, permission) {
        return Ok(true);
    }
    let team_roles = team_roles(app, team_id, &session.user_id).await?;
    Ok(perms.has_team(&session.roles, team_roles.as_deref(), permission))
}

pub async fn has_channel_permission(
    app: &App,
    session: &Session,
    channel_id: &str,
    permission: &str,
) -> AppResult<bool> {
    let perms = app.role_permissions();
    if perms.has_system(&session.roles, permission) {
        return Ok(true);
    }
    let channel_roles = authz::channel_member_roles(&app.store, channel_id, &session.user_id)
        .await?
        .map(|m| {
            effective_channel_roles(
                m.roles.as_deref().unwrap_or(""),
                m.schemeguest.unwrap_or(false),
                m.schemeuser.unwrap_or(false),
                m.schemeadmin.unwrap_or(false),
            )
        });
    let team_roles = match authz::channel_team_id(&app.store, channel_id).await? {
        Some(team_id) if !team_id.is_empty() => team_roles(app, &team_id, &session.user_id).await?,
        _ => None,
    };
    Ok(perms.has_channel(
        &session.roles,
        channel_roles.as_deref(),
        team_roles.as_deref(),
        permission,
    ))
}

async fn team_roles(app: &App, team_id: &str, user_id: &str) -> AppResult<Option<String>> {
    Ok(authz::team_member_roles(&app.store, team_id, user_id)
        .await?
        .map(|m| {
            effective_team_roles(
                m.roles.as_deref().unwrap_or(""),
                m.schemeguest.unwrap_or(false),
                m.schemeuser.unwrap_or(false),
                m.schemeadmin.unwrap_or(false),
            )
        }))
}

/// `Err(403)` naming `permission` unless `granted`: the answer of every permission check.
pub fn require(granted: bool, permission: &str) -> AppResult<()> {
    if granted {
        Ok(())
    } else {
        Err(AppError::permission_denied(permission))
    }
}

/// `Err(403)` unless the session holds `permission` system-wide.
pub fn require_system(app: &App, session: &Session, permission: &str) -> AppResult<()> {
    require(has_system_permission(app, session, permission), permission)
}

pub async fn require_team(
    app: &App,
    session: &Session,
    team_id: &str,
    permission: &str,
) -> AppResult<()> {
    require(
        has_team_permission(app, session, team_id, permission).await?,
        permission,
    )
}

pub async fn require_channel(
    app: &App,
    session: &Session,
    channel_id: &str,
    permission: &str,
) -> AppResult<()> {
    require(
        has_channel_permission(app, session, channel_id, permission).await?,
        permission,
    )
}

/// Mattermost's `IsSystemAdmin` of a request: the session may manage the system.
pub fn is_system_admin(app: &App, session: &Session) -> bool {
    has_system_permission(app, session, permissions::MANAGE_SYSTEM)
}

/// Mattermost's `SessionHasPermissionToUser`: system admins (manage_system) may act on anyone,
/// a user on themself, holders of `edit_other_users` on anyone but a system admin (a user
/// that does not exist counts as out of reach).
pub async fn can_act_on_user(app: &App, session: &Session, user_id: &str) -> AppResult<bool> {
    if session.user_id == user_id || is_system_admin(app, session) {
        return Ok(true);
    }
    if !has_system_permission(app, session, permissions::EDIT_OTHER_USERS) {
        return Ok(false);
    }
    Ok(utmost_store::users::get(&app.store, user_id)
        .await?
        .is_some_and(|u| !u.is_system_admin()))
}

/// `Err(403 edit_other_users)` unless [`can_act_on_user`].
pub async fn require_act_on_user(app: &App, session: &Session, user_id: &str) -> AppResult<()> {
    require(
        can_act_on_user(app, session, user_id).await?,
        permissions::EDIT_OTHER_USERS,
    )
}

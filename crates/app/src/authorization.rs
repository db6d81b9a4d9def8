//! Permission checks in Mattermost's order (`app/authorization.go`): system roles first, then
//! the channel membership, then the team membership of the channel's team. Memberships and
//! channels come from the caches, so a warm check costs no database round trip. A team's or
//! channel's permission scheme replaces the built-in member roles (`SchemeTable`, in memory).

use crate::caches::{channel_members, channels, team_members};
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;

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
    let team_roles = team_members::roles(app, team_id, &session.user_id).await?;
    Ok(app.scheme_table().has_team(
        &perms,
        &session.roles,
        team_id,
        team_roles.as_deref(),
        permission,
    ))
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
    let channel_roles = channel_members::roles(app, channel_id, &session.user_id).await?;
    let channel = channels::get(app, channel_id).await?;
    let team_roles = match &channel {
        Some(channel) if !channel.team_id.is_empty() => {
            team_members::roles(app, &channel.team_id, &session.user_id).await?
        }
        _ => None,
    };
    // The channel's scheme, else its team's, stands in for the built-in roles (`schemes`).
    let (team_id, scheme_id) = channel
        .as_deref()
        .map_or(("", None), |c| (c.team_id.as_str(), c.scheme_id.as_deref()));
    Ok(app.scheme_table().has_channel(
        &perms,
        &session.roles,
        team_id,
        scheme_id,
        channel_roles.as_deref(),
        team_roles.as_deref(),
        permission,
    ))
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

/// `Err(403)` unless the session holds `permission` system-wide and
/// `ExperimentalSettings.RestrictSystemAdmin` is off (Mattermost's
/// `SessionHasPermissionToAndNotRestrictedAdmin`: only a local-mode session is unrestricted,
/// and none comes over HTTP).
pub fn require_system_unrestricted(
    app: &App,
    session: &Session,
    permission: &str,
) -> AppResult<()> {
    require_system(app, session, permission)?;
    require(
        !app.config().experimental_settings.restrict_system_admin,
        permission,
    )
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

/// `Err(403 manage_system)` unless the session is `user_id`'s own or may manage the system
/// (Mattermost's check on a user's own groups and retention policies).
pub fn require_self_or_system_admin(app: &App, session: &Session, user_id: &str) -> AppResult<()> {
    require(
        session.user_id == user_id || is_system_admin(app, session),
        permissions::MANAGE_SYSTEM,
    )
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
    Ok(crate::caches::users::get(app, user_id)
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

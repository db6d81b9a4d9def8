//! Changing an account: profile (`PUT /users/{id}`, `/patch`), password, activation, roles.

use super::login::check_password;
use super::{get, is_system_admin, taken, validate_email, validate_profile, validate_username};
use crate::authorization::has_system_permission;
use crate::bus::Event;
use crate::errors::{LoginError, ProfileError};
use crate::{App, AppResult};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::status;
use utmost_model::user::{User, UserPatch};
use utmost_model::{now_millis, AppError};
use utmost_store::users as store;

/// Only a system admin may change a system admin's account.
fn require_admin_for_admin(app: &App, session: &Session, target: &User) -> AppResult<()> {
    if target.is_system_admin() && !is_system_admin(app, session) {
        return Err(AppError::permission_denied(permissions::MANAGE_SYSTEM));
    }
    Ok(())
}

/// A user changing their own e-mail address must prove they know the password.
async fn check_email_change(
    app: &App,
    session: &Session,
    old: &User,
    new_email: Option<&str>,
    password: Option<&str>,
) -> AppResult<()> {
    let changes = new_email.is_some_and(|e| !e.is_empty() && e.to_lowercase() != old.email);
    if !changes || session.user_id != old.id {
        return Ok(());
    }
    let password = password
        .filter(|p| !p.is_empty())
        .ok_or_else(|| AppError::invalid_param("password"))?;
    check_password(app, old, password).await
}

/// Writes `new` over `old`: the profile fields only; password, roles, activation, auth data
/// and counters keep their stored values, as Mattermost's `UpdateUser`.
async fn save_profile(app: &App, old: User, new: User) -> AppResult<User> {
    let email = new.email.trim().to_lowercase();
    let email_changed = email != old.email;
    let auto_reply_was_on = auto_responder_on(&old);
    let notify_props = if new.notify_props.is_empty() {
        User::default_notify_props(&new.first_name)
    } else {
        new.notify_props
    };
    let user = User {
        username: new.username.trim().to_lowercase(),
        email,
        email_verified: old.email_verified
            && !(email_changed && app.config().email_settings.require_email_verification),
        nickname: new.nickname,
        first_name: new.first_name,
        last_name: new.last_name,
        position: new.position,
        locale: new.locale,
        timezone: new.timezone,
        props: new.props,
        notify_props,
        allow_marketing: new.allow_marketing,
        update_at: now_millis(),
        ..old
    };
    validate_username(&user.username)?;
    validate_email(&user.email)?;
    validate_profile(&user)?;
    store::update_profile(&app.store, &user)
        .await
        .map_err(taken)?;
    app.publish(Event::UserUpdated { user: user.clone() }).await;
    follow_auto_responder(app, &user, auto_reply_was_on).await?;
    Ok(user)
}

fn auto_responder_on(user: &User) -> bool {
    user.notify_props
        .get("auto_responder_active")
        .is_some_and(|v| v == "true")
}

/// Mattermost's `SetAutoResponderStatus`: turning the automatic reply on sets the status to
/// out of office (which silences notifications); turning it off makes the user online again.
async fn follow_auto_responder(app: &App, user: &User, was_on: bool) -> AppResult<()> {
    let status = match (was_on, auto_responder_on(user)) {
        (false, true) => status::OUT_OF_OFFICE,
        (true, false) => status::ONLINE,
        _ => return Ok(()),
    };
    crate::status::set_manual(app, &user.id, status, 0).await?;
    Ok(())
}

/// `PUT /users/{id}`: replaces the profile with `input` (whose id the caller matched to the
/// path and whose permission the caller checked).
pub async fn update(app: &App, session: &Session, input: User) -> AppResult<User> {
    let old = get(app, &input.id).await?;
    require_admin_for_admin(app, session, &old)?;
    check_email_change(
        app,
        session,
        &old,
        Some(&input.email),
        Some(&input.password),
    )
    .await
    .map_err(|e| {
        if e.is_internal() {
            e
        } else {
            AppError::invalid_param("password")
        }
    })?;
    save_profile(app, old, input).await
}

/// `PUT /users/{id}/patch`: changes the fields the patch names.
pub async fn patch(app: &App, session: &Session, user_id: &str, p: UserPatch) -> AppResult<User> {
    let old = get(app, user_id)
        .await
        .map_err(|_| AppError::invalid_param("user_id"))?;
    require_admin_for_admin(app, session, &old)?;
    check_email_change(
        app,
        session,
        &old,
        p.email.as_deref(),
        p.password.as_deref(),
    )
    .await?;
    let mut new = old.clone();
    let fields = [
        (p.username, &mut new.username),
        (p.nickname, &mut new.nickname),
        (p.first_name, &mut new.first_name),
        (p.last_name, &mut new.last_name),
        (p.position, &mut new.position),
        (p.email, &mut new.email),
        (p.locale, &mut new.locale),
    ];
    for (value, field) in fields {
        if let Some(v) = value {
            *field = v;
        }
    }
    for (value, field) in [
        (p.props, &mut new.props),
        (p.notify_props, &mut new.notify_props),
        (p.timezone, &mut new.timezone),
    ] {
        if let Some(v) = value {
            *field = v;
        }
    }
    save_profile(app, old, new).await
}

/// `PUT /users/{id}/password`. Users change their own password with the current one; those
/// who manage users (system admins for admin accounts) set anyone else's without it, which
/// also lifts a failed-attempt lockout.
pub async fn update_password(
    app: &App,
    session: &Session,
    user_id: &str,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let target = get(app, user_id).await.ok();
    let may_manage = target.as_ref().is_some_and(|u| {
        let needed = if u.is_system_admin() {
            permissions::MANAGE_SYSTEM
        } else {
            permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS
        };
        has_system_permission(app, session, needed)
    });
    let is_self = session.user_id == user_id;
    let user = match target {
        Some(user) if is_self => {
            if current.is_empty() {
                return Err(AppError::invalid_param("current_password"));
            }
            check_own_password(app, &user, current).await?;
            user
        }
        Some(user) if may_manage => user,
        _ => return Err(ProfileError::PasswordOfAnother.into()),
    };
    let config = app.config();
    crate::passwords::check_policy(new, &config.password_settings)?;
    let hash = app.passwords.hash(new).await?;
    store::update_password(&app.store, &user.id, &hash, now_millis()).await?;
    super::login::credentials_changed(app, &user.id).await;
    if config
        .service_settings
        .terminate_sessions_on_password_change
    {
        let keep = if is_self { session.id.as_str() } else { "" };
        let ended =
            utmost_store::sessions::delete_for_user_except(&app.store, &user.id, keep).await?;
        app.publish(Event::SessionsEnded { sessions: ended }).await;
    }
    Ok(())
}

/// `UpdatePasswordAsUser`'s checks of the current password.
async fn check_own_password(app: &App, user: &User, current: &str) -> AppResult<()> {
    if !user.auth_data.is_empty() {
        return Err(ProfileError::PasswordThroughOAuth.into());
    }
    check_password(app, user, current).await.map_err(|e| {
        if e == AppError::from(LoginError::WrongPassword) {
            ProfileError::CurrentPasswordIncorrect.into()
        } else {
            e
        }
    })
}

/// `PUT /users/{id}/active`. Deactivating ends every session of the user.
pub async fn set_active(
    app: &App,
    session: &Session,
    user_id: &str,
    active: bool,
) -> AppResult<()> {
    let self_deactivation = !active && session.user_id == user_id;
    if !self_deactivation
        && !has_system_permission(
            app,
            session,
            permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_USERS,
        )
    {
        return Err(ProfileError::DeactivateDenied.into());
    }
    if self_deactivation && !app.config().team_settings.enable_user_deactivation {
        return Err(ProfileError::SelfDeactivationDisabled.into());
    }
    let user = get(app, user_id).await?;
    require_admin_for_admin(app, session, &user)?;
    write_active(app, user, active).await
}

/// Deactivates or reactivates `user` (whose permission the caller checked); deactivation
/// ends their sessions, and the event closes their sockets.
pub(crate) async fn write_active(app: &App, user: User, active: bool) -> AppResult<()> {
    let now = now_millis();
    let delete_at = if active { 0 } else { now };
    store::set_delete_at(&app.store, &user.id, delete_at, now).await?;
    app.publish(Event::UserActivationChanged {
        user_id: user.id,
        active,
    })
    .await;
    Ok(())
}

/// `DELETE /users/{id}` (Mattermost's `deleteUser`): deactivates the user or, with
/// `permanent` and `EnableAPIUserDeletion`, deletes them and everything of theirs for
/// good (`purge::user`). The user themself, or `edit_other_users` (a system admin only by
/// another).
pub async fn delete(app: &App, session: &Session, user_id: &str, permanent: bool) -> AppResult<()> {
    crate::authorization::require_act_on_user(app, session, user_id).await?;
    let config = app.config();
    if session.user_id == user_id
        && !config.team_settings.enable_user_deactivation
        && !is_system_admin(app, session)
    {
        return Err(ProfileError::SelfDeactivationDisabled.into());
    }
    let user = get(app, user_id).await?;
    require_admin_for_admin(app, session, &user)?;
    if !permanent {
        return write_active(app, user, false).await;
    }
    if !config.service_settings.enable_api_user_deletion {
        return Err(ProfileError::PermanentDeleteDisabled.into());
    }
    crate::purge::user(app, &user.id).await?;
    Ok(())
}

/// Mattermost's `IsValidUserRoles`: role names of `a-z 0-9 _`, and never `system_admin` alone
/// (an admin always keeps `system_user`).
pub fn valid_user_roles(roles: &str) -> bool {
    let names: Vec<&str> = roles.split_whitespace().collect();
    let well_formed = names.iter().all(|r| {
        r.len() <= 64
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    });
    well_formed && names != [utmost_model::roles::SYSTEM_ADMIN]
}

/// `PUT /users/{id}/roles` (the caller checked manage_roles): sets the system roles and
/// copies them into the user's sessions.
pub async fn set_roles(app: &App, user_id: &str, roles: &str) -> AppResult<()> {
    let user = get(app, user_id).await.map_err(|e| AppError {
        status_code: 400,
        ..e
    })?;
    let table = app.role_permissions();
    if let Some(unknown) = roles
        .split_whitespace()
        .find(|r| table.permissions(r).is_none())
    {
        return Err(ProfileError::UnknownRole(unknown.to_string()).into());
    }
    let roles = roles.split_whitespace().collect::<Vec<_>>().join(" ");
    if !store::set_roles(&app.store, &user.id, &roles, now_millis()).await? {
        return Err(ProfileError::LastAdmin.into());
    }
    app.publish(Event::UserRolesUpdated {
        user_id: user.id,
        roles,
    })
    .await;
    Ok(())
}

/// `set_roles` for a directory's verdict (LDAP sync, SAML sign-in): taking `system_admin`
/// from the last system admin is logged and left undone rather than failing the sign-in.
pub async fn set_roles_unless_last_admin(app: &App, user_id: &str, roles: &str) -> AppResult<()> {
    match set_roles(app, user_id, roles).await {
        Err(e) if e.id == "app.user.update.lastAdmin.app_error" => {
            tracing::warn!(
                user_id,
                "the directory took system_admin from the last system admin; kept"
            );
            Ok(())
        }
        done => done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_roles_validation() {
        assert!(valid_user_roles("system_user"));
        assert!(valid_user_roles("system_user system_admin"));
        assert!(valid_user_roles(""));
        assert!(!valid_user_roles("system_admin"));
        assert!(!valid_user_roles("System_User"));
        assert!(!valid_user_roles("system-user"));
    }
}

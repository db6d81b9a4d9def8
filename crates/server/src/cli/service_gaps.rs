//! User operations the admin commands need that `utmost_app::users` does not offer yet.
//! Each is written as the service function it stands in for (same arguments, `AppResult`,
//! Mattermost's rules and error ids) so that moving it into crates/app is a cut and paste.

use utmost_app::{App, AppResult};
use utmost_model::roles::SYSTEM_ADMIN;
use utmost_model::user::User;
use utmost_model::{now_millis, AppError};
use utmost_store::users::{self, UserFilter};

/// Mattermost's `GetUserByUsername`, as an option.
pub async fn get_user_by_username(app: &App, username: &str) -> AppResult<Option<User>> {
    Ok(users::get_by_username(&app.store, username).await?)
}

/// Mattermost's `GetUserByEmail`, as an option.
pub async fn get_user_by_email(app: &App, email: &str) -> AppResult<Option<User>> {
    Ok(users::get_by_email(&app.store, email).await?)
}

/// One page of every account, active or not, by username (`GET /users` for an admin).
pub async fn list_users(app: &App, page: u32, per_page: u32) -> AppResult<Vec<User>> {
    let filter = UserFilter {
        limit: i64::from(per_page),
        offset: i64::from(page) * i64::from(per_page),
        ..UserFilter::default()
    };
    Ok(users::list(&app.store, &filter).await?)
}

/// Mattermost's `UpdateActive`: deactivating stamps `delete_at` and ends every session so the
/// account is signed out at once; activating clears the stamp.
pub async fn update_active(app: &App, user_id: &str, active: bool) -> AppResult<User> {
    let user = utmost_app::users::get(app, user_id).await?;
    let now = now_millis();
    let delete_at = if active { 0 } else { now };
    users::set_delete_at(&app.store, &user.id, delete_at, now).await?;
    Ok(User {
        delete_at,
        update_at: now,
        ..user
    })
}

/// Mattermost's `UpdateUserRoles`: every role must exist, and `system_admin` alone is refused
/// (`IsValidUserRoles`) because an admin is always a `system_user` too. Open sessions take the
/// new roles at once.
pub async fn update_user_roles(app: &App, user_id: &str, roles: &str) -> AppResult<User> {
    let names: Vec<&str> = roles.split_whitespace().collect();
    if names.is_empty() || names == [SYSTEM_ADMIN] {
        return Err(AppError::invalid_param("roles"));
    }
    let known = app.role_permissions();
    if let Some(unknown) = names.iter().find(|r| known.permissions(r).is_none()) {
        return Err(AppError::bad_request(
            "app.role.check_roles_exist.role_not_found",
            format!("The role {unknown:?} does not exist."),
        ));
    }
    let user = utmost_app::users::get(app, user_id).await?;
    let roles = names.join(" ");
    let now = now_millis();
    users::set_roles(&app.store, &user.id, &roles, now).await?;
    Ok(User {
        roles,
        update_at: now,
        ..user
    })
}

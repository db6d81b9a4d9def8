//! Signing in through the directory (Mattermost's `GetUserForLogin` and `DoLogin`): the
//! entry is found by the bind account, its role filters read, then the password checked by
//! a bind as the entry. The first sign-in creates the account from the entry; later ones
//! bring it up to date. The password goes to the directory only: it is neither stored nor
//! logged.

use super::attributes::{entry, one_user, requested_at_login, Entry};
use super::connection::Directory;
use super::roles::RoleFilters;
use super::{login_enabled, sync, AUTH_SERVICE};
use crate::bus::Event;
use crate::errors::{LdapError, LoginError};
use crate::{App, AppResult};
use utmost_config::Config;
use utmost_model::user::User;
use utmost_store::users as store;

/// A login id that names no account here, or any login with `ldap_only`: the entry whose
/// `LoginIdAttribute` (or, unset, `UsernameAttribute`) is `login_id`.
pub(crate) async fn by_login_id(app: &App, login_id: &str, password: &str) -> AppResult<User> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !login_enabled(s) {
        return Err(LdapError::LoginNotAvailable.into());
    }
    let attribute = if s.login_id_attribute.is_empty() {
        &s.username_attribute
    } else {
        &s.login_id_attribute
    };
    let mut directory = Directory::open(app, &config).await?;
    let found = directory
        .search_one(
            &one_user(s, attribute, login_id.trim()),
            &requested_at_login(s),
        )
        .await?;
    let Some(found) = found.and_then(|f| entry(s, &f)) else {
        directory.close().await;
        return Err(LdapError::UserNotRegistered.into());
    };
    let existing = store::get_by_auth(&app.store, AUTH_SERVICE, &found.id).await?;
    sign_in(app, &config, directory, found, existing, password).await
}

/// An account from the directory signing in by its username or e-mail here.
pub(crate) async fn as_user(app: &App, user: User, password: &str) -> AppResult<User> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !login_enabled(s) || user.auth_data.is_empty() {
        return Err(LdapError::LoginNotAvailable.into());
    }
    let mut directory = Directory::open(app, &config).await?;
    let found = directory
        .search_one(
            &one_user(s, &s.id_attribute, &user.auth_data),
            &requested_at_login(s),
        )
        .await?;
    let Some(found) = found.and_then(|f| entry(s, &f)) else {
        // Still there outside the filter: refused by the filter, not unknown.
        let anywhere = format!(
            "({}={})",
            s.id_attribute,
            ldap3::ldap_escape(&user.auth_data)
        );
        let filtered = directory.search_one(&anywhere, &[]).await?.is_some();
        directory.close().await;
        return Err(if filtered {
            LdapError::UserFiltered
        } else {
            LdapError::UserNotRegistered
        }
        .into());
    };
    sign_in(app, &config, directory, found, Some(user), password).await
}

async fn sign_in(
    app: &App,
    config: &Config,
    mut directory: Directory,
    found: Entry,
    existing: Option<User>,
    password: &str,
) -> AppResult<User> {
    if let Some(user) = &existing {
        if user.delete_at > 0 {
            directory.close().await;
            return Err(LoginError::Deactivated.into());
        }
        let max = config.ldap_settings.maximum_login_attempts;
        let counted = store::reserve_login_attempt(&app.store, &user.id, max).await?;
        credentials_changed(app, &user.id).await;
        if !counted {
            directory.close().await;
            return Err(LdapError::TooManyAttempts.into());
        }
    }
    let standing = RoleFilters::new(config)
        .standing_of(&mut directory, config, &found.id)
        .await?;
    if !directory.check_password(&found.dn, password).await? {
        return Err(LdapError::InvalidPassword.into());
    }
    let user = match existing {
        Some(user) => {
            store::release_login_attempt(&app.store, &user.id).await?;
            credentials_changed(app, &user.id).await;
            sync::bring_up_to_date(app, config, user, &found, standing).await?
        }
        None => {
            let mut user = User {
                auth_service: AUTH_SERVICE.to_string(),
                roles: super::roles::roles_after("", standing),
                ..User::default()
            };
            found.apply(&config.ldap_settings, &mut user);
            crate::users::create_external(app, user)
                .await
                .map_err(|e| match e.is_internal() {
                    true => e,
                    false => LdapError::CreateFail(e.message).into(),
                })?
        }
    };
    if let Some(picture) = found.picture {
        follow_picture(app, &user.id, picture).await;
    }
    Ok(user)
}

/// `PictureAttribute`: the entry's picture becomes the account's when it differs. A picture
/// that cannot be used is logged, and the sign-in goes on.
async fn follow_picture(app: &App, user_id: &str, picture: Vec<u8>) {
    if let Err(e) = crate::users::profile_image::set_if_changed(app, user_id, picture).await {
        tracing::warn!(user_id, error = %e, "the directory's picture could not be used");
    }
}

async fn credentials_changed(app: &App, user_id: &str) {
    app.publish(Event::UserCredentialsChanged {
        user_id: user_id.to_string(),
    })
    .await;
}

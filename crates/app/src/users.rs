//! Accounts: sign-up, login, profiles.

mod directory;
mod external;
mod login;
pub mod mfa;
mod profile;
pub mod profile_image;

pub use directory::filtered_users_count;
pub use directory::{
    autocomplete, by_email, by_ids, by_username, by_usernames, can_see, list, search,
    total_users_count, ListQuery,
};
pub(crate) use external::create_external;
pub use login::{login, LoginRequest};
pub(crate) use profile::write_active;
pub use profile::{
    delete, patch, set_active, set_roles, set_roles_unless_last_admin, update, update_password,
    valid_user_roles,
};

use crate::bus::Event;
use crate::errors::UserError;
use crate::{App, AppResult};
use utmost_config::Config;
use utmost_model::preference::Preference;
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_GUEST, SYSTEM_USER};
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, AppError};
use utmost_store::users as store;
use utmost_store::StoreError;

/// Names a user may not take: they collide with mentions and system accounts.
const RESERVED_USERNAMES: &[&str] = &[
    "all",
    "channel",
    "here",
    "matterbot",
    "system",
    "surveybot",
    "playbooks",
    "feedbackbot",
    "calls",
    "boards",
    "ai",
];

/// Mattermost's `IsValidUsername`: 1–64 chars of `a-z 0-9 . - _`, starting with a letter.
pub fn validate_username(username: &str) -> AppResult<()> {
    let valid = (1..=64).contains(&username.len())
        && username.starts_with(|c: char| c.is_ascii_lowercase())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
        && !RESERVED_USERNAMES.contains(&username);
    if valid {
        Ok(())
    } else {
        Err(UserError::InvalidUsername.into())
    }
}

pub fn validate_email(email: &str) -> AppResult<()> {
    let valid = email.len() <= 128
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        && !email.chars().any(char::is_whitespace);
    if valid {
        Ok(())
    } else {
        Err(UserError::InvalidEmail.into())
    }
}

/// Length limits on profile fields, as `User.IsValid`.
pub fn validate_profile(u: &User) -> AppResult<()> {
    let checks = [
        (&u.nickname, 64, "nickname"),
        (&u.first_name, 64, "first_name"),
        (&u.last_name, 64, "last_name"),
        (&u.position, 128, "position"),
    ];
    for (value, max, field) in checks {
        if value.chars().count() > max {
            return Err(AppError::bad_request(
                &format!("model.user.is_valid.{field}.app_error"),
                format!("Invalid {field}: at most {max} characters."),
            ));
        }
    }
    Ok(())
}

/// Maps a refused insert/update to Mattermost's "already taken" errors.
pub(crate) fn taken(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(field) if field == "username" => UserError::UsernameTaken.into(),
        StoreError::Conflict(field) if field == "email" => UserError::EmailTaken.into(),
        other => other.into(),
    }
}

/// `POST /users`. The very first account becomes a system admin. Later sign-ups follow
/// EnableUserCreation / EnableOpenServer / EnableSignUpWithEmail; admins can always create.
pub async fn create(app: &App, input: User, creator: Option<&Session>) -> AppResult<User> {
    create_as(app, input, creator, SignUp::Open).await
}

/// How an account comes to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignUp {
    /// Open sign-up, or by an admin.
    Open,
    /// Through an emailed invitation: it stands in for the open server and proves the
    /// address (the caller checks that sign-up is on at all).
    Invited,
    /// Through an emailed guest invitation: as `Invited`, and the account is a guest.
    InvitedGuest,
    /// Through a team's invite link (`?iid=`): it stands in for the open server but proves
    /// nothing about the address (the caller checks that sign-up is on at all).
    InviteLink,
}

pub(crate) async fn create_as(
    app: &App,
    input: User,
    creator: Option<&Session>,
    how: SignUp,
) -> AppResult<User> {
    let config = app.config();
    let by_admin = creator.is_some_and(|s| is_system_admin(app, s));
    let address_proven = by_admin || matches!(how, SignUp::Invited | SignUp::InvitedGuest);
    let open_server_needed = !by_admin && how == SignUp::Open;
    // Only a hint, to refuse early without hashing: the insert decides who is first.
    let maybe_first = store::count_humans(&app.store).await? == 0;
    if !maybe_first && open_server_needed {
        check_sign_up_allowed(&config)?;
    }

    let now = now_millis();
    let mut user = User {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        username: input.username.trim().to_lowercase(),
        email: input.email.trim().to_lowercase(),
        nickname: input.nickname,
        first_name: input.first_name,
        last_name: input.last_name,
        position: input.position,
        locale: if input.locale.is_empty() {
            config.localization_settings.default_client_locale.clone()
        } else {
            input.locale
        },
        props: input.props,
        notify_props: User::default_notify_props(""),
        timezone: User::default_timezone(),
        roles: if how == SignUp::InvitedGuest {
            SYSTEM_GUEST
        } else {
            SYSTEM_USER
        }
        .to_string(),
        email_verified: address_proven || !config.email_settings.require_email_verification,
        allow_marketing: input.allow_marketing,
        last_password_update: now,
        ..User::default()
    };
    user.notify_props.extend(input.notify_props);
    validate_username(&user.username)?;
    validate_email(&user.email)?;
    check_accepted_domain(&config, &user)?;
    validate_profile(&user)?;
    crate::passwords::check_policy(&input.password, &config.password_settings)?;
    user.password = app.passwords.hash(&input.password).await?;
    let user = if maybe_first {
        insert_first_or_plain(app, &config, user, !open_server_needed).await?
    } else {
        store::insert(&app.store, &user).await.map_err(taken)?;
        user
    };
    save_default_preferences(app, &user.id).await?;
    app.publish(Event::UserCreated {
        user_id: user.id.clone(),
    })
    .await;
    // Mattermost's welcome email carries the verification link an unverified user needs.
    if !user.email_verified && config.email_settings.require_email_verification {
        if let Err(e) = crate::email::account::send_verification_to(app, &user).await {
            tracing::warn!(user_id = %user.id, error = %e, "could not send the verification email");
        }
    }
    Ok(user)
}

/// Inserts `user` as the first account, a system admin; when another sign-up got there
/// first, as the ordinary sign-up it then is.
async fn insert_first_or_plain(
    app: &App,
    config: &Config,
    user: User,
    open_server_waived: bool,
) -> AppResult<User> {
    let first = User {
        roles: format!("{SYSTEM_ADMIN} {SYSTEM_USER}"),
        email_verified: true,
        ..user.clone()
    };
    if store::insert_if_first(&app.store, &first)
        .await
        .map_err(taken)?
    {
        return Ok(first);
    }
    if !open_server_waived {
        check_sign_up_allowed(config)?;
    }
    store::insert(&app.store, &user).await.map_err(taken)?;
    Ok(user)
}

/// Every new account's address must be in TeamSettings.RestrictCreationToDomains, a guest's
/// in GuestAccountsSettings.RestrictCreationToDomains (Mattermost's `CreateUser`).
fn check_accepted_domain(config: &Config, user: &User) -> AppResult<()> {
    let restriction = if user.is_guest() {
        &config.guest_accounts_settings.restrict_creation_to_domains
    } else {
        &config.team_settings.restrict_creation_to_domains
    };
    if crate::teams::email_in_domains(&user.email, restriction) {
        Ok(())
    } else {
        Err(crate::errors::SignupError::AcceptedDomain.into())
    }
}

/// Whether anyone may sign up without an admin.
fn check_sign_up_allowed(config: &Config) -> AppResult<()> {
    if !config.team_settings.enable_user_creation {
        return Err(UserError::CreationDisabled.into());
    }
    if !config.email_settings.enable_sign_up_with_email {
        return Err(UserError::EmailSignUpDisabled.into());
    }
    if !config.team_settings.enable_open_server {
        return Err(UserError::NotOpenServer.into());
    }
    Ok(())
}

/// The preferences Mattermost gives every new account: the tutorial starts at step 0, the
/// "recommended next steps" panel shows, and group messages are listed with direct ones.
async fn save_default_preferences(app: &App, user_id: &str) -> AppResult<()> {
    let prefs: Vec<Preference> = [
        ("tutorial_step", user_id, "0"),
        ("recommended_next_steps", "hide", "false"),
        ("system_notice", "GMasDM", "true"),
    ]
    .into_iter()
    .map(|(category, name, value)| Preference {
        user_id: user_id.to_string(),
        category: category.to_string(),
        name: name.to_string(),
        value: value.to_string(),
    })
    .collect();
    utmost_store::preferences::save(&app.store, &prefs).await?;
    Ok(())
}

/// The user as stored (from the cache), or 404.
pub async fn get(app: &App, id: &str) -> AppResult<User> {
    crate::caches::users::get(app, id)
        .await?
        .map(|u| User::clone(&u))
        .ok_or_else(|| UserError::NotFound.into())
}

pub use crate::authorization::is_system_admin;

/// Whom a copy of a profile is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    /// The user themself.
    Owner,
    /// Someone holding `manage_system`.
    Admin,
    Other,
}

/// Who is looking at a profile decides what of it they see.
pub fn sanitize_for(app: &App, viewer: &Session, user: User) -> User {
    let as_viewer = if viewer.user_id == user.id {
        Viewer::Owner
    } else if is_system_admin(app, viewer) {
        Viewer::Admin
    } else {
        Viewer::Other
    };
    sanitize_as(app, user, as_viewer)
}

/// `User.Sanitize` and `SanitizeProfile`: secrets never leave; other people's e-mail and full
/// name follow PrivacySettings unless the viewer is an admin.
pub fn sanitize_as(app: &App, mut user: User, viewer: Viewer) -> User {
    user.password.clear();
    user.mfa_secret.clear();
    user.auth_data.clear();
    user.last_login = 0;
    if viewer != Viewer::Other {
        return user;
    }
    let privacy = &app.config().privacy_settings;
    if !privacy.show_email_address {
        user.email.clear();
    }
    if !privacy.show_full_name {
        user.first_name.clear();
        user.last_name.clear();
    }
    user.notify_props.clear();
    user.email_verified = false;
    user.allow_marketing = false;
    user.last_password_update = 0;
    user.failed_attempts = 0;
    user.auth_service.clear();
    user
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(validate_username("alice.b-c_d9").is_ok());
        assert!(validate_username("Alice").is_err());
        assert!(validate_username("9lives").is_err());
        assert!(validate_username("all").is_err());
        assert!(validate_username("").is_err());
        assert!(validate_username(&"a".repeat(65)).is_err());
    }

    #[test]
    fn emails() {
        assert!(validate_email("a@b.c").is_ok());
        assert!(validate_email("nope").is_err());
        assert!(validate_email("a @b.c").is_err());
    }
}

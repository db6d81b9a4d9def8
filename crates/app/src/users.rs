//! Accounts: sign-up, login, profiles.

use crate::sessions::{self, SessionKind};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::permissions;
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_USER};
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
        Err(AppError::bad_request(
            "model.user.is_valid.username.app_error",
            "Username must begin with a letter, and contain between 1 to 64 lowercase \
             characters made up of numbers, letters, and the symbols '.', '-', and '_'.",
        ))
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
        Err(AppError::bad_request(
            "model.user.is_valid.email.app_error",
            "Invalid email.",
        ))
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
        StoreError::Conflict(field) if field == "username" => AppError::bad_request(
            "app.user.save.username_exists.app_error",
            "An account with that username already exists.",
        ),
        StoreError::Conflict(field) if field == "email" => AppError::bad_request(
            "app.user.save.email_exists.app_error",
            "An account with that email already exists.",
        ),
        other => other.into(),
    }
}

/// `POST /users`. The very first account becomes a system admin. Later sign-ups follow
/// EnableUserCreation / EnableOpenServer / EnableSignUpWithEmail; admins can always create.
pub async fn create(app: &App, input: User, creator: Option<&Session>) -> AppResult<User> {
    let config = app.config();
    let first = store::count_all(&app.store).await? == 0;
    let by_admin = creator.is_some_and(|s| {
        crate::authorization::has_system_permission(app, s, permissions::CREATE_USER_ACCESS_TOKEN)
            && crate::authorization::has_system_permission(app, s, permissions::MANAGE_SYSTEM)
    });
    if !first && !by_admin {
        if !config.team_settings.enable_user_creation {
            return Err(AppError::new(
                501,
                "api.user.create_user.disabled.app_error",
                "User creation is disabled.",
            ));
        }
        if !config.email_settings.enable_sign_up_with_email {
            return Err(AppError::new(
                501,
                "api.user.create_user.signup_email_disabled.app_error",
                "User sign-up with email is disabled.",
            ));
        }
        if !config.team_settings.enable_open_server {
            return Err(AppError::forbidden(
                "api.user.create_user.no_open_server",
                "This server does not allow open signups. Please speak with your Administrator \
                 to receive an invitation.",
            ));
        }
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
        roles: if first {
            format!("{SYSTEM_ADMIN} {SYSTEM_USER}")
        } else {
            SYSTEM_USER.to_string()
        },
        email_verified: by_admin || first || !config.email_settings.require_email_verification,
        allow_marketing: input.allow_marketing,
        last_password_update: now,
        ..User::default()
    };
    user.notify_props.extend(input.notify_props);
    validate_username(&user.username)?;
    validate_email(&user.email)?;
    validate_profile(&user)?;
    crate::passwords::check_policy(&input.password, &config.password_settings)?;
    user.password = crate::passwords::hash(&input.password).await?;
    store::insert(&app.store, &user).await.map_err(taken)?;
    Ok(user)
}

pub async fn get(app: &App, id: &str) -> AppResult<User> {
    store::get(&app.store, id).await?.ok_or_else(user_not_found)
}

pub fn user_not_found() -> AppError {
    AppError::not_found("app.user.missing_account.const", "Unable to find the user.")
}

/// What a login request carries.
pub struct LoginRequest {
    pub login_id: String,
    /// Logging in by id instead of login id (`id` field of the request).
    pub id: String,
    pub password: String,
    /// MFA code; accepted and reserved until MFA is implemented.
    pub token: String,
    pub device_id: String,
    pub ldap_only: bool,
}

fn bad_credentials() -> AppError {
    AppError::new(
        401,
        "api.user.login.invalid_credentials_email_username",
        "Enter a valid email or username and/or password.",
    )
}

/// Checks the credentials and opens a session; the returned session carries the raw token.
pub async fn login(app: &App, req: LoginRequest) -> AppResult<(User, Session)> {
    let config = app.config();
    let user = if !req.id.is_empty() {
        store::get(&app.store, &req.id).await?
    } else {
        find_for_login(app, &req.login_id).await?
    }
    .ok_or_else(bad_credentials)?;

    if user.delete_at != 0 {
        return Err(AppError::new(
            401,
            "api.user.login.inactive.app_error",
            "Login failed because your account has been deactivated. Please contact an \
             administrator.",
        ));
    }
    if !user.auth_service.is_empty() {
        return Err(AppError::bad_request(
            "api.user.login.use_auth_service.app_error",
            format!("Please sign in using {}.", user.auth_service),
        ));
    }
    let max_attempts = config.service_settings.maximum_login_attempts;
    if max_attempts > 0 && user.failed_attempts >= max_attempts {
        return Err(AppError::new(
            401,
            "api.user.check_user_login_attempts.too_many.app_error",
            "Your account is locked because of too many failed password attempts. Please \
             reset your password.",
        ));
    }
    if !crate::passwords::verify(&req.password, &user.password).await {
        store::set_failed_attempts(&app.store, &user.id, user.failed_attempts + 1).await?;
        return Err(AppError::new(
            401,
            "api.user.check_user_password.invalid.app_error",
            "Login failed because of invalid password.",
        ));
    }
    if config.email_settings.require_email_verification && !user.email_verified {
        return Err(AppError::new(
            401,
            "api.user.login.not_verified.app_error",
            "Login failed because email address has not been verified.",
        ));
    }

    let now = now_millis();
    store::record_login(&app.store, &user.id, now).await?;
    let kind = if req.device_id.is_empty() {
        SessionKind::Web
    } else {
        SessionKind::Mobile
    };
    let session = sessions::create(app, &user, kind, &req.device_id, BTreeMap::new()).await?;
    let user = User {
        failed_attempts: 0,
        last_login: now,
        ..user
    };
    Ok((user, session))
}

/// Finds the account a login id names, honouring EnableSignInWithUsername / WithEmail.
async fn find_for_login(app: &App, login_id: &str) -> AppResult<Option<User>> {
    let email = &app.config().email_settings;
    let login_id = login_id.trim();
    if login_id.is_empty() {
        return Ok(None);
    }
    if email.enable_sign_in_with_username {
        if let Some(u) = store::get_by_username(&app.store, login_id).await? {
            return Ok(Some(u));
        }
    }
    if email.enable_sign_in_with_email && login_id.contains('@') {
        return Ok(store::get_by_email(&app.store, login_id).await?);
    }
    Ok(None)
}

/// Who is looking at a profile decides what of it they see (`User.Sanitize` and
/// `SanitizeProfile`): secrets never leave; other people's e-mail and full name follow
/// PrivacySettings unless the viewer is an admin.
pub fn sanitize_for(app: &App, viewer: &Session, mut user: User) -> User {
    user.password.clear();
    user.mfa_secret.clear();
    user.auth_data.clear();
    user.last_login = 0;
    let is_self = viewer.user_id == user.id;
    let is_admin =
        crate::authorization::has_system_permission(app, viewer, permissions::MANAGE_SYSTEM);
    if is_self || is_admin {
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

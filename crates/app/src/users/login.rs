//! Password login (`POST /users/login`): Mattermost's checks in Mattermost's order, the
//! failed-attempt lockout, and the masking of errors that would tell an attacker which part
//! of the credentials was wrong.

use crate::errors::{LoginError, SignInWith};
use crate::sessions::{self, SessionKind};
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{now_millis, AppError};
use utmost_store::users as store;

/// What a login request carries.
pub struct LoginRequest {
    pub login_id: String,
    /// Logging in by id instead of login id (`id` field of the request).
    pub id: String,
    pub password: String,
    /// The MFA code, for an account with MFA on.
    pub token: String,
    pub device_id: String,
    pub ldap_only: bool,
    /// The email of the client certificate the connection presented (verified against
    /// `ClientSideCertCAFile`) or a trusted proxy vouched for; `None` without one.
    pub client_cert_email: Option<String>,
}

/// Errors a failed login may show as they are; any other refusal becomes the generic
/// "invalid credentials" error, as in Mattermost's `login` handler.
const UNMASKED: &[&str] = &[
    "api.user.check_user_mfa.bad_code.app_error",
    "mfa.validate_token.authenticate.app_error",
    "api.user.login.blank_pwd.app_error",
    "api.user.login.client_side_cert.certificate.app_error",
    "api.user.login.bot_login_forbidden.app_error",
    "api.user.login.inactive.app_error",
    "api.user.login.not_verified.app_error",
    "api.user.check_user_login_attempts.too_many.app_error",
    "api.user.check_user_login_attempts.too_many_ldap.app_error",
];

/// Checks the credentials and opens a session; the returned session carries the raw token.
pub async fn login(app: &App, req: LoginRequest) -> AppResult<(User, Session)> {
    let user = match authenticate(app, &req).await {
        Ok(user) => user,
        Err(e) => {
            utmost_metrics::metrics().login_logins_fail_total.inc();
            return Err(mask(app, e));
        }
    };
    let now = now_millis();
    store::record_login(&app.store, &user.id, now).await?;
    credentials_changed(app, &user.id).await;
    let kind = if req.device_id.is_empty() {
        SessionKind::Web
    } else {
        // A device holds one session: logging in again from it ends the previous one.
        sessions::revoke_for_device(app, &user.id, &req.device_id, "").await?;
        SessionKind::Mobile
    };
    let session = sessions::create(app, &user, kind, &req.device_id, BTreeMap::new()).await?;
    let user = User {
        failed_attempts: 0,
        last_login: now,
        ..user
    };
    utmost_metrics::metrics().login_logins_total.inc();
    Ok((user, session))
}

/// The credentials (password or directory), then the MFA code of an account that has MFA on,
/// whichever way it signs in, then the email verification of a password account.
async fn authenticate(app: &App, req: &LoginRequest) -> AppResult<User> {
    let config = app.config();
    let experimental = &config.experimental_settings;
    if experimental.client_side_cert_enable {
        let email = req
            .client_cert_email
            .as_deref()
            .filter(|e| !e.is_empty())
            .ok_or(LoginError::ClientCertMissing)?;
        if experimental.client_side_cert_check == "primary" {
            return by_certificate(app, email).await;
        }
        let user = authenticate_with_credentials(app, req).await?;
        if !user.email.eq_ignore_ascii_case(email) {
            return Err(LoginError::ClientCertMismatch.into());
        }
        return Ok(user);
    }
    authenticate_with_credentials(app, req).await
}

/// `ClientSideCertCheck` "primary" (Mattermost's `AuthenticateUserForLogin`): the
/// certificate's email names the account and no password is asked. The account must still
/// be active, not a bot and not locked out.
async fn by_certificate(app: &App, email: &str) -> AppResult<User> {
    let user = store::get_by_email(&app.store, email.trim())
        .await?
        .ok_or(LoginError::NoAccount)?;
    check_preflight(app, &user)?;
    Ok(user)
}

async fn authenticate_with_credentials(app: &App, req: &LoginRequest) -> AppResult<User> {
    let user = check_credentials(app, req).await?;
    if user.mfa_active
        && app
            .config()
            .service_settings
            .enable_multifactor_authentication
    {
        super::mfa::check_login(app, &user, &req.token).await?;
    }
    let unverified = user.auth_service.is_empty() && !user.email_verified;
    if unverified && app.config().email_settings.require_email_verification {
        return Err(LoginError::NotVerified.into());
    }
    Ok(user)
}

async fn check_credentials(app: &App, req: &LoginRequest) -> AppResult<User> {
    if req.password.is_empty() {
        return Err(LoginError::BlankPassword.into());
    }
    if req.ldap_only {
        return crate::ldap::login::by_login_id(app, &req.login_id, &req.password).await;
    }
    let found = if req.id.is_empty() {
        find_for_login(app, &req.login_id).await?
    } else {
        store::get(&app.store, &req.id).await?
    };
    let ldap_on = crate::ldap::login_enabled(&app.config().ldap_settings);
    let Some(user) = found else {
        // A login id the directory may know (Mattermost's `GetUserForLogin`).
        if ldap_on && req.id.is_empty() {
            return crate::ldap::login::by_login_id(app, &req.login_id, &req.password).await;
        }
        // As slow as a wrong password, so the answer's timing does not tell who has an
        // account.
        app.passwords.verify_decoy(&req.password).await?;
        return Err(LoginError::NoAccount.into());
    };
    if user.auth_service == crate::ldap::AUTH_SERVICE {
        return crate::ldap::login::as_user(app, user, &req.password).await;
    }
    check_preflight(app, &user)?;
    if !user.auth_service.is_empty() {
        app.passwords.verify_decoy(&req.password).await?;
        return Err(LoginError::UseAuthService(user.auth_service.clone()).into());
    }
    check_password(app, &user, &req.password).await?;
    Ok(user)
}

/// `CheckUserPreflightAuthenticationCriteria`: deactivated, bot, locked out.
fn check_preflight(app: &App, user: &User) -> AppResult<()> {
    if user.delete_at > 0 {
        return Err(LoginError::Deactivated.into());
    }
    if user.is_bot {
        return Err(LoginError::Bot.into());
    }
    check_login_attempts(app, user)
}

/// `checkUserLoginAttempts`: after `MaximumLoginAttempts` wrong passwords even the right one
/// is refused until an admin resets the password.
fn check_login_attempts(app: &App, user: &User) -> AppResult<()> {
    let max = app.config().service_settings.maximum_login_attempts;
    if max > 0 && user.failed_attempts >= max {
        return Err(LoginError::TooManyAttempts.into());
    }
    Ok(())
}

/// Verifies `password`, counting a wrong one toward the lockout.
pub(crate) async fn check_password(app: &App, user: &User, password: &str) -> AppResult<()> {
    let verify = app.passwords.verify(password, &user.password);
    counted_guess(app, user, LoginError::WrongPassword, verify).await
}

/// Runs one guess at a credential (`check`: true when right) as a login attempt, failing
/// with `wrong` when it is wrong. The attempt is counted before the check, in one
/// conditional update, so concurrent guesses each take a slot and no more than
/// `MaximumLoginAttempts` checks (passwords and MFA codes together) ever run before the
/// account locks; a right guess gives its slot back.
pub(crate) async fn counted_guess(
    app: &App,
    user: &User,
    wrong: LoginError,
    check: impl std::future::Future<Output = AppResult<bool>>,
) -> AppResult<()> {
    let max = app.config().service_settings.maximum_login_attempts;
    if !store::reserve_login_attempt(&app.store, &user.id, max).await? {
        return Err(LoginError::TooManyAttempts.into());
    }
    credentials_changed(app, &user.id).await;
    match check.await {
        Ok(false) => Err(wrong.into()),
        // A check that did not run (server busy) is no wrong guess either.
        matched => {
            store::release_login_attempt(&app.store, &user.id).await?;
            credentials_changed(app, &user.id).await;
            matched.map(|_| ())
        }
    }
}

/// Tells the bus a user's password or login bookkeeping was written.
pub(crate) async fn credentials_changed(app: &App, user_id: &str) {
    app.publish(crate::bus::Event::UserCredentialsChanged {
        user_id: user_id.to_string(),
    })
    .await;
}

/// Finds the account a login id names, honouring EnableSignInWithUsername / WithEmail.
pub(crate) async fn find_for_login(app: &App, login_id: &str) -> AppResult<Option<User>> {
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

/// The generic credentials error, worded after the sign-in methods that are on.
fn mask(app: &App, e: AppError) -> AppError {
    // The directory's refusals keep their ids: clients branch on them.
    if e.is_internal() || UNMASKED.contains(&e.id.as_str()) || e.id.starts_with("ent.ldap.") {
        return e;
    }
    let email = &app.config().email_settings;
    let with = match (
        email.enable_sign_in_with_username,
        email.enable_sign_in_with_email,
    ) {
        (true, false) => SignInWith::Username,
        (false, true) => SignInWith::Email,
        _ => SignInWith::EmailOrUsername,
    };
    LoginError::InvalidCredentials(with).into()
}

//! Multi-factor authentication (Mattermost's MFA calls of `app/user.go` and its `mfa`
//! package): TOTP secrets (RFC 6238: HMAC-SHA-1, six digits, 30-second steps, one step of
//! skew either side, as authenticator apps expect), their activation, the login check with
//! replay protection, and enforcement. Secrets are stored sealed (`sealed`).

mod enforcement;
pub mod sealed;

pub use enforcement::require_set_up;

use crate::errors::{LoginError, MfaError};
use crate::users::login::{counted_guess, credentials_changed, find_for_login};
use crate::{App, AppResult};
use std::time::{SystemTime, UNIX_EPOCH};
use totp_rs::{Builder, Secret, Totp};
use utmost_model::user::User;
use utmost_model::{now_millis, AppError};
use utmost_store::mfa as store;

const STEP_SECONDS: u64 = 30;
const SKEW_STEPS: u16 = 1;

/// A new secret as `POST /users/{id}/mfa/generate` answers it (Mattermost's `MfaSecret`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct GeneratedSecret {
    /// Base32, for typing into an authenticator app.
    pub secret: String,
    /// The `otpauth://` URL as a QR code: a PNG, base64.
    pub qr_code: String,
}

fn require_enabled(app: &App) -> AppResult<()> {
    if app
        .config()
        .service_settings
        .enable_multifactor_authentication
    {
        Ok(())
    } else {
        Err(MfaError::Disabled.into())
    }
}

/// Generates a secret for the user and stores it sealed; it counts once activated with a
/// code (Mattermost's `GenerateMfaSecret`, which also replaces the secret of an active user).
pub async fn generate(app: &App, user_id: &str) -> AppResult<GeneratedSecret> {
    let user = crate::users::get(app, user_id).await?;
    require_enabled(app)?;
    let totp = Builder::new()
        .with_secret(Secret::generate())
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_account_name(user.email.replace(':', ""))
        .with_issuer(Some(issuer(&app.config().service_settings.site_url)))
        .build()
        .map_err(|e| qr_error(&e))?;
    let qr_code = totp.to_qr_base64().map_err(|e| qr_error(&e))?;
    let secret = totp.secret().as_bytes();
    let key = &app.config().sql_settings.at_rest_encrypt_key;
    let stored = sealed::seal(key, &user.id, secret)?;
    if !store::set_secret(&app.store, &user.id, &stored, now_millis()).await? {
        return Err(crate::errors::UserError::NotFound.into());
    }
    credentials_changed(app, &user.id).await;
    Ok(GeneratedSecret {
        secret: totp.secret().to_base32(),
        qr_code,
    })
}

fn qr_error(cause: &dyn std::fmt::Display) -> AppError {
    AppError::internal("mfa.generate_qr_code.create_code.app_error", cause)
}

/// The label authenticator apps show: the site's host, or the product's name.
fn issuer(site_url: &str) -> String {
    url::Url::parse(site_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "Utmost".to_string())
}

/// Turns MFA on once `code` proves the user's app holds the generated secret (Mattermost's
/// `ActivateMfa`). The code's step counts as used, like a login's.
pub async fn activate(app: &App, user_id: &str, code: &str) -> AppResult<()> {
    let user = crate::users::get(app, user_id).await?;
    if !user.auth_service.is_empty() && user.auth_service != "ldap" {
        return Err(MfaError::EmailAndLdapOnly.into());
    }
    require_enabled(app)?;
    if user.mfa_secret.is_empty() || !code_is_right(app, &user, code).await? {
        return Err(MfaError::BadActivationCode.into());
    }
    if !store::activate(&app.store, &user.id, &user.mfa_secret, now_millis()).await? {
        // A new secret was generated meanwhile: the code was for the old one.
        return Err(MfaError::BadActivationCode.into());
    }
    credentials_changed(app, &user.id).await;
    Ok(())
}

/// Turns MFA off and forgets the secret (Mattermost's `DeactivateMfa`; it works with the
/// setting off too, so an admin can always undo it). Also `utmost user mfa reset`.
pub async fn deactivate(app: &App, user_id: &str) -> AppResult<()> {
    if !store::deactivate(&app.store, user_id, now_millis()).await? {
        return Err(crate::errors::UserError::NotFound.into());
    }
    credentials_changed(app, user_id).await;
    Ok(())
}

/// The second factor of a password login: an account with MFA on needs a right code that
/// was not used before. A wrong code counts toward `MaximumLoginAttempts` like a wrong
/// password; a missing one does not (the login page asks for it on this answer).
pub(crate) async fn check_login(app: &App, user: &User, code: &str) -> AppResult<()> {
    if code.trim().is_empty() {
        return Err(LoginError::MfaTokenNeeded.into());
    }
    counted_guess(
        app,
        user,
        LoginError::BadMfaCode,
        code_is_right(app, user, code),
    )
    .await
}

/// `POST /users/mfa`: whether a login id's account will need a code. Without MFA on the
/// server nobody does; in hardened mode everybody is said to (no account probing).
pub async fn required_for_login(app: &App, login_id: &str) -> AppResult<bool> {
    let config = app.config();
    let service = &config.service_settings;
    if !service.enable_multifactor_authentication {
        return Ok(false);
    }
    if service.experimental_enable_hardened_mode {
        return Ok(true);
    }
    Ok(find_for_login(app, login_id)
        .await?
        .is_some_and(|u| u.mfa_active))
}

/// Checks `code` against the user's secret at the current time and records its step, so a
/// code is accepted once: true when right and not used before.
async fn code_is_right(app: &App, user: &User, code: &str) -> AppResult<bool> {
    let key = app.config().sql_settings.at_rest_encrypt_key.clone();
    let secret = sealed::open(&key, &user.id, &user.mfa_secret)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| AppError::internal("mfa.validate_token.authenticate.app_error", e))?
        .as_secs();
    let Some(step) = matching_step(&secret, code.trim(), now)? else {
        return Ok(false);
    };
    let oldest_in_window = (now / STEP_SECONDS).saturating_sub(u64::from(SKEW_STEPS));
    if !store::claim_step(&app.store, &user.id, step, oldest_in_window).await? {
        return Ok(false);
    }
    if sealed::is_plain(&user.mfa_secret) && !key.is_empty() {
        // A secret from a Mattermost database: stored sealed from now on.
        let resealed = sealed::seal(&key, &user.id, &secret)?;
        store::reseal(&app.store, &user.id, &user.mfa_secret, &resealed).await?;
        credentials_changed(app, &user.id).await;
    }
    Ok(true)
}

/// The step within the skew window whose code `code` is, if any.
fn matching_step(secret: &[u8], code: &str, now: u64) -> AppResult<Option<u64>> {
    let totp: Totp = Builder::new()
        .with_secret(secret.to_vec())
        .with_skew(SKEW_STEPS)
        .with_step_duration(STEP_SECONDS)
        .build_noncompliant();
    if code.len() != usize::from(totp.digits()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    Ok(totp.check(code, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret; its 8-digit codes end in these six digits.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_follow_rfc_6238_with_one_step_of_skew() {
        // T = 59 s is step 1 (RFC: 94287082); 1111111109 s is step 37037036 (07081804).
        assert_eq!(matching_step(RFC_SECRET, "287082", 59).unwrap(), Some(1));
        assert_eq!(
            matching_step(RFC_SECRET, "081804", 1111111109).unwrap(),
            Some(37037036)
        );
        // One step either side is accepted, two are not.
        assert_eq!(
            matching_step(RFC_SECRET, "287082", 59 + 30).unwrap(),
            Some(1)
        );
        assert_eq!(matching_step(RFC_SECRET, "287082", 59 + 60).unwrap(), None);
        // Only six digits can match.
        assert_eq!(matching_step(RFC_SECRET, "28708", 59).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET, "2870820", 59).unwrap(), None);
        assert_eq!(matching_step(RFC_SECRET, "28708a", 59).unwrap(), None);
    }

    #[test]
    fn the_issuer_is_the_site_host() {
        assert_eq!(
            issuer("https://chat.example.com:8443/team"),
            "chat.example.com"
        );
        assert_eq!(issuer(""), "Utmost");
    }
}

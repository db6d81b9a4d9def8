//! `ServiceSettings.EnforceMultifactorAuthentication` (Mattermost's `Context.MfaRequired`):
//! while it is on, a signed-in user who could use MFA and has not set it up is refused every
//! API call but the few that set it up, read themself (`GET /users/me`) or log out.

use crate::errors::MfaError;
use crate::{App, AppResult};
use utmost_model::session::Session;
use utmost_model::AppError;

/// `Err(403 api.context.mfa_required.app_error)` when enforcement applies to the session's
/// user and their MFA is off. OAuth sessions, bots and accounts of other sign-in services
/// (GitLab, SAML, …) are exempt, and guests unless
/// `GuestAccountsSettings.EnforceMultifactorAuthentication` is on too. Costs nothing while enforcement is off; a cache read otherwise.
pub async fn require_set_up(app: &App, session: &Session) -> AppResult<()> {
    let config = app.config();
    let service = &config.service_settings;
    if !service.enable_multifactor_authentication
        || !service.enforce_multifactor_authentication
        || session.is_oauth
    {
        return Ok(());
    }
    let user = crate::caches::users::get(app, &session.user_id)
        .await?
        .ok_or_else(AppError::session_expired)?;
    let can_use_mfa = matches!(user.auth_service.as_str(), "" | "email" | "ldap");
    let guest_exempt = user.is_guest()
        && !config
            .guest_accounts_settings
            .enforce_multifactor_authentication;
    if guest_exempt || user.is_bot || !can_use_mfa || user.mfa_active {
        return Ok(());
    }
    Err(MfaError::Required.into())
}

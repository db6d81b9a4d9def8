//! Utmost as an OAuth 2.0 provider (Mattermost's `app/oauth.go`, `model/oauth.go`,
//! `model/authorize.go`): third-party apps sign their users in with Utmost and call the API
//! with the access token. Not to be confused with `oauth_sign_in`, Utmost signing in with
//! another provider.
//!
//! - `apps`: registering and managing apps (`/oauth/apps`), the apps a user authorised and
//!   deauthorising one;
//! - `authorize`: the authorization request, the consent (`POST /oauth/authorize`) and the
//!   code it hands the app back;
//! - `token`: the token endpoint (`POST /oauth/access_token`): a code (with PKCE) or a
//!   refresh token for an access token, which is a session of the user.
//!
//! Nothing a database dump holds can be replayed: the client secret, the codes, the access
//! tokens (sessions) and the refresh tokens are stored hashed, as sessions are
//! (`sessions::hash_token`). So a secret is shown once, at registration or regeneration, and
//! a second exchange of a code for the same app and user issues a new token where Mattermost
//! hands back the live one (it keeps tokens in clear).

pub mod apps;
pub mod authorize;
pub mod token;

use crate::sessions::hash_token;
use crate::{App, AppResult};
use utmost_model::AppError;

/// What the provider refuses, each with its Mattermost status and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthProviderError {
    /// `EnableOAuthServiceProvider` is off (management, consent).
    Disabled,
    /// `EnableOAuthServiceProvider` is off (registering an app).
    RegisterDisabled,
    /// `EnableOAuthServiceProvider` is off (the token endpoint).
    TokenDisabled,
    /// `EnableOAuthServiceProvider` is off (`GET /oauth/authorize`).
    AuthorizePageDisabled,
    AppNotFound,
    /// `GET /oauth/apps` without `manage_oauth`.
    AdminOnly,
    /// A field the model's `IsValid` refuses: its Mattermost id.
    Invalid(&'static str),
    /// The redirect URI is not one of the app's callbacks (consent).
    RedirectCallback,
    /// Unknown client (404) or wrong secret (403) at the token endpoint.
    Credentials {
        status: u16,
    },
    /// Unknown, used (400) or expired (403) code, or a deactivated user (403).
    ExpiredCode {
        status: u16,
    },
    /// The token request's redirect URI is not the authorization request's.
    RedirectUri,
    RefreshToken,
    /// The code's user is gone.
    InternalUser,
    /// A PKCE check of the token request: its Mattermost id.
    Pkce(&'static str),
    /// A malformed token request: its Mattermost id.
    TokenRequest(&'static str),
}

impl From<OAuthProviderError> for AppError {
    fn from(e: OAuthProviderError) -> Self {
        use OAuthProviderError as E;
        let off = "The system admin has turned off OAuth service providing.";
        match e {
            E::Disabled => AppError::new(501, "api.oauth.allow_oauth.turn_off.app_error", off),
            E::RegisterDisabled => {
                AppError::new(501, "api.oauth.register_oauth_app.turn_off.app_error", off)
            }
            E::TokenDisabled => {
                AppError::new(501, "api.oauth.get_access_token.disabled.app_error", off)
            }
            E::AuthorizePageDisabled => {
                AppError::new(501, "api.oauth.authorize_oauth.disabled.app_error", off)
            }
            E::AppNotFound => AppError::not_found(
                "app.oauth.get_app.find.app_error",
                "Unable to find the requested OAuth app.",
            ),
            E::AdminOnly => AppError::forbidden(
                "api.command.admin_only.app_error",
                "Only an admin can access this.",
            ),
            E::Invalid(id) => AppError::bad_request(id, "Invalid OAuth app or request."),
            E::RedirectCallback => AppError::bad_request(
                "api.oauth.allow_oauth.redirect_callback.app_error",
                "invalid_request: Supplied redirect_uri did not match registered callback_url.",
            ),
            E::Credentials { status } => AppError::new(
                status,
                "api.oauth.get_access_token.credentials.app_error",
                "invalid_client: Invalid client credentials.",
            ),
            E::ExpiredCode { status } => AppError::new(
                status,
                "api.oauth.get_access_token.expired_code.app_error",
                "invalid_grant: Invalid or expired authorization code.",
            ),
            E::RedirectUri => AppError::bad_request(
                "api.oauth.get_access_token.redirect_uri.app_error",
                "invalid_request: Supplied redirect_uri does not match authorization code redirect_uri.",
            ),
            E::RefreshToken => AppError::not_found(
                "api.oauth.get_access_token.refresh_token.app_error",
                "invalid_grant: Invalid refresh token.",
            ),
            E::InternalUser => AppError::not_found(
                "api.oauth.get_access_token.internal_user.app_error",
                "server_error: Encountered internal server error while pulling user from database.",
            ),
            E::Pkce(id) => AppError::bad_request(id, "invalid_grant: PKCE verification failed."),
            E::TokenRequest(id) => AppError::bad_request(id, "invalid_request: Bad request."),
        }
    }
}

/// `Err(refusal)` unless `EnableOAuthServiceProvider` is on.
fn require_enabled(app: &App, refusal: OAuthProviderError) -> AppResult<()> {
    if app.config().service_settings.enable_oauth_service_provider {
        Ok(())
    } else {
        Err(refusal.into())
    }
}

/// The stored form of a client secret, a code or a refresh token: the session token's.
fn stored(raw: &str) -> String {
    hash_token(raw)
}

//! The token endpoint (`web/oauth.go`'s `getAccessToken`, `GetOAuthAccessTokenForCodeFlow`):
//! a confidential client exchanges a code, or a refresh token, for an access token. The
//! access token is the token of a new session of the user (`is_oauth`, the SSO length, the
//! user's roles), so it works as a Bearer token on the whole API. Each exchange rotates:
//! the earlier session of the same app and user ends, and a refresh token works once.

use super::apps::secret_matches;
use super::authorize::PKCE_S256;
use super::{require_enabled, stored, OAuthProviderError as E};
use crate::bus::Event;
use crate::sessions::{self, hash_token};
use crate::{App, AppResult};
use oauth2::{PkceCodeChallenge, PkceCodeVerifier};
use serde::Deserialize;
use std::collections::BTreeMap;
use utmost_model::oauth::{AccessResponse, OAuthApp};
use utmost_model::user::User;
use utmost_model::{is_valid_id, new_id, now_millis};
use utmost_store::oauth_provider::{self as store, AuthCode, Grant};

const GRANT_CODE: &str = "authorization_code";
const GRANT_REFRESH: &str = "refresh_token";

/// The form of `POST /oauth/access_token`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TokenRequest {
    pub grant_type: String,
    pub code: String,
    pub refresh_token: String,
    pub client_id: String,
    pub client_secret: String,
    pub code_verifier: String,
    pub redirect_uri: String,
}

/// `getAccessToken`'s checks of the form, then the client's credentials, then the grant.
pub async fn exchange(app: &App, req: TokenRequest) -> AppResult<AccessResponse> {
    let refusal = match req.grant_type.as_str() {
        GRANT_CODE if req.code.is_empty() => {
            Some("api.oauth.get_access_token.missing_code.app_error")
        }
        GRANT_REFRESH if req.refresh_token.is_empty() => {
            Some("api.oauth.get_access_token.missing_refresh_token.app_error")
        }
        GRANT_CODE | GRANT_REFRESH if !is_valid_id(&req.client_id) => {
            Some("api.oauth.get_access_token.bad_client_id.app_error")
        }
        GRANT_CODE | GRANT_REFRESH => None,
        _ => Some("api.oauth.get_access_token.bad_grant.app_error"),
    };
    if let Some(id) = refusal {
        return Err(E::TokenRequest(id).into());
    }
    require_enabled(app, E::TokenDisabled)?;
    let client = utmost_store::oauth_provider::get_app(&app.store, &req.client_id)
        .await?
        .ok_or(E::Credentials { status: 404 })?;
    if req.client_secret.is_empty() || !secret_matches(app, &client.id, &req.client_secret).await? {
        return Err(E::Credentials { status: 403 }.into());
    }
    if req.grant_type == GRANT_CODE {
        code_grant(app, &client, &req).await
    } else {
        refresh_grant(app, &client, &req.refresh_token).await
    }
}

/// `handleAuthorizationCodeGrant`. The code is taken before it is checked, so a code fails
/// for good on its first wrong use as well.
async fn code_grant(app: &App, client: &OAuthApp, req: &TokenRequest) -> AppResult<AccessResponse> {
    let unknown = E::ExpiredCode { status: 400 };
    let code = store::take_code(&app.store, &stored(&req.code))
        .await?
        .filter(|c| c.clientid == client.id)
        .ok_or(unknown)?;
    if now_millis() > code.createat + i64::from(code.expiresin) * 1000 {
        return Err(E::ExpiredCode { status: 403 }.into());
    }
    if code.redirecturi != req.redirect_uri {
        return Err(E::RedirectUri.into());
    }
    if let Some(id) = pkce_refusal(&code, &req.code_verifier) {
        return Err(E::Pkce(id).into());
    }
    let user = user_of(app, &code.userid).await?;
    if user.delete_at != 0 {
        return Err(E::ExpiredCode { status: 403 }.into());
    }
    issue(app, client, &user, &code.redirecturi, &code.scope).await
}

/// `ValidatePKCEForClientType` for a confidential client: PKCE is optional, but a code
/// bound to a challenge needs its verifier, and a verifier needs a challenge.
fn pkce_refusal(code: &AuthCode, verifier: &str) -> Option<&'static str> {
    if code.codechallenge.is_empty() {
        return (!verifier.is_empty())
            .then_some("model.authorize.validate_pkce.not_used_in_auth.app_error");
    }
    if verifier.is_empty() {
        return Some("model.authorize.validate_pkce.verifier_required.app_error");
    }
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    let matches = well_formed
        && code.codechallengemethod == PKCE_S256
        && PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
            verifier.to_owned(),
        ))
        .as_str()
            == code.codechallenge;
    (!matches).then_some("model.authorize.validate_pkce.verification_failed.app_error")
}

/// `handleRefreshTokenGrant`: the grant the refresh token names is replaced by a new one.
async fn refresh_grant(app: &App, client: &OAuthApp, refresh: &str) -> AppResult<AccessResponse> {
    let (grant, ended) = store::take_grant_by_refresh(&app.store, &client.id, &stored(refresh))
        .await?
        .ok_or(E::RefreshToken)?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    let user = user_of(app, &grant.userid).await?;
    if user.delete_at != 0 {
        return Err(E::RefreshToken.into());
    }
    issue(app, client, &user, &grant.redirecturi, &grant.scope).await
}

async fn user_of(app: &App, user_id: &str) -> AppResult<User> {
    utmost_store::users::get(&app.store, user_id)
        .await?
        .ok_or_else(|| E::InternalUser.into())
}

/// A new session of `user` for `client` and its grant, replacing any earlier one.
async fn issue(
    app: &App,
    client: &OAuthApp,
    user: &User,
    redirect_uri: &str,
    scope: &str,
) -> AppResult<AccessResponse> {
    let props = BTreeMap::from([
        ("platform".to_owned(), client.name.clone()),
        ("oauth_app_id".to_owned(), client.id.clone()),
        (
            "mattermost_app_id".to_owned(),
            client.mattermost_app_id.clone(),
        ),
        ("os".to_owned(), "OAuth2".to_owned()),
        ("browser".to_owned(), "OAuth2".to_owned()),
    ]);
    let session = sessions::create_oauth(app, user, props).await?;
    let refresh_token = new_id();
    let ended = store::replace_grant(
        &app.store,
        &Grant {
            token: hash_token(&session.token),
            refreshtoken: stored(&refresh_token),
            redirecturi: redirect_uri.to_owned(),
            clientid: client.id.clone(),
            userid: user.id.clone(),
            expiresat: session.expires_at,
            scope: scope.to_owned(),
        },
    )
    .await?;
    app.publish(Event::SessionsEnded { sessions: ended }).await;
    Ok(AccessResponse {
        access_token: session.token,
        token_type: "bearer".into(),
        expires_in: app
            .config()
            .service_settings
            .session_length_sso_in_hours
            .max(1)
            * 3600,
        scope: scope.to_owned(),
        refresh_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_with(challenge: &str) -> AuthCode {
        AuthCode {
            codechallenge: challenge.into(),
            codechallengemethod: PKCE_S256.into(),
            ..AuthCode::default()
        }
    }

    #[test]
    fn rfc_7636_example_verifier_matches_its_challenge() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let code = code_with("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(pkce_refusal(&code, verifier), None);
        let wrong = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXK";
        assert!(pkce_refusal(&code, wrong)
            .unwrap()
            .contains("verification_failed"));
        assert!(pkce_refusal(&code, "")
            .unwrap()
            .contains("verifier_required"));
        assert!(pkce_refusal(&code_with(""), verifier)
            .unwrap()
            .contains("not_used_in_auth"));
        assert_eq!(pkce_refusal(&code_with(""), ""), None);
    }
}

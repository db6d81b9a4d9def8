//! The authorization request (`model/authorize.go`, `web/oauth.go`'s `authorizeOAuthPage`
//! and `authorizeOAuthApp`, `AllowOAuthAppAccessToUser`): the browser comes to
//! `GET /oauth/authorize`; an app the user authorised before, or a trusted one, is sent back
//! at once with a code, otherwise the web client asks for consent and posts it to
//! `POST /oauth/authorize`, whose answer is where the browser goes next.

use super::apps::find;
use super::{require_enabled, stored, OAuthProviderError as E};
use crate::bus::Event;
use crate::{App, AppResult};
use serde::Deserialize;
use utmost_model::oauth::CATEGORY_AUTHORIZED_OAUTH_APP;
use utmost_model::permissions::EDIT_OTHER_USERS;
use utmost_model::preference::Preference;
use utmost_model::session::Session;
use utmost_model::{is_valid_id, new_id, now_millis, AppError};
use utmost_store::oauth_provider::{self as store, AuthCode};

/// Mattermost's `AuthCodeExpireTime`: a code is good for ten minutes.
pub const CODE_EXPIRES_IN_SECS: i32 = 10 * 60;
/// Mattermost's `DefaultScope`.
const DEFAULT_SCOPE: &str = "user";
/// The one PKCE method Mattermost accepts (`plain` offers no protection).
pub const PKCE_S256: &str = "S256";

/// `model.AuthorizeRequest`: the query of `GET /oauth/authorize`, the body of the POST.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuthorizeRequest {
    pub response_type: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
}

/// Mattermost's `IsValidHTTPURL`, as the app's callbacks are checked.
fn is_http_url(url: &str) -> bool {
    utmost_model::channel_bookmark::is_valid_http_url(url)
}

impl AuthorizeRequest {
    /// `AuthorizeRequest.IsValid`, in its order, with its ids.
    pub fn validate(&self) -> AppResult<()> {
        let invalid = if !is_valid_id(&self.client_id) {
            Some("model.authorize.is_valid.client_id.app_error")
        } else if self.response_type.is_empty() {
            Some("model.authorize.is_valid.response_type.app_error")
        } else if self.redirect_uri.is_empty()
            || self.redirect_uri.len() > 256
            || !is_http_url(&self.redirect_uri)
        {
            Some("model.authorize.is_valid.redirect_uri.app_error")
        } else if self.state.len() > 1024 {
            Some("model.authorize.is_valid.state.app_error")
        } else if self.scope.len() > 128 {
            Some("model.authorize.is_valid.scope.app_error")
        } else if !self.code_challenge.is_empty() || !self.code_challenge_method.is_empty() {
            pkce_invalid(&self.code_challenge, &self.code_challenge_method)
        } else {
            None
        };
        match invalid {
            Some(id) => Err(E::Invalid(id).into()),
            None => Ok(()),
        }
    }
}

/// `validatePKCEParameters`: a base64url S256 challenge of 43 to 128 characters.
fn pkce_invalid(challenge: &str, method: &str) -> Option<&'static str> {
    if challenge.is_empty() {
        Some("model.authorize.is_valid.code_challenge.app_error")
    } else if method.is_empty() {
        Some("model.authorize.is_valid.code_challenge_method.app_error")
    } else if method != PKCE_S256 {
        Some("model.authorize.is_valid.code_challenge_method.unsupported.app_error")
    } else if !(43..=128).contains(&challenge.len()) {
        Some("model.authorize.is_valid.code_challenge.length.app_error")
    } else if !challenge
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some("model.authorize.is_valid.code_challenge.format.app_error")
    } else {
        None
    }
}

/// What `GET /oauth/authorize` does for a valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// Nobody is signed in: the login page, which comes back here.
    Login,
    /// Authorised before, or trusted: straight back to the app, with a code.
    Redirect(String),
    /// The web client's consent page.
    Consent,
}

/// `authorizeOAuthPage`.
pub async fn page(app: &App, session: Option<&Session>, req: AuthorizeRequest) -> AppResult<Page> {
    require_enabled(app, E::AuthorizePageDisabled)?;
    req.validate()?;
    let client = find(app, &req.client_id).await?;
    let Some(session) = session else {
        return Ok(Page::Login);
    };
    if !client.callback_urls.contains(&req.redirect_uri) {
        return Err(E::RedirectCallback.into());
    }
    let authorized = utmost_store::preferences::get(
        &app.store,
        &session.user_id,
        CATEGORY_AUTHORIZED_OAUTH_APP,
        &client.id,
    )
    .await?
    .is_some();
    if client.is_trusted || authorized {
        return Ok(Page::Redirect(allow(app, session, req).await?));
    }
    Ok(Page::Consent)
}

/// `POST /oauth/authorize` (`AllowOAuthAppAccessToUser`): the redirect URI with a new code
/// and the request's state; the app is recorded as authorised by the user. An OAuth app's
/// own token cannot authorise apps.
pub async fn allow(app: &App, session: &Session, mut req: AuthorizeRequest) -> AppResult<String> {
    req.validate()?;
    if session.is_oauth {
        return Err(AppError::permission_denied(EDIT_OTHER_USERS)
            .with_detail("attempted access by oauth app"));
    }
    require_enabled(app, E::Disabled)?;
    if req.scope.is_empty() {
        req.scope = DEFAULT_SCOPE.into();
    }
    let client = find(app, &req.client_id).await?;
    if !client.callback_urls.contains(&req.redirect_uri) {
        return Err(E::RedirectCallback.into());
    }
    if req.response_type != "code" {
        // The implicit grant (`token`) is not offered: its token travels in the URL.
        return Ok(with_query(
            &req.redirect_uri,
            &[
                ("error", "unsupported_response_type"),
                ("state", &req.state),
            ],
        ));
    }
    let code = format!("{}{}", new_id(), new_id());
    store::insert_code(
        &app.store,
        &AuthCode {
            clientid: client.id.clone(),
            userid: session.user_id.clone(),
            code: stored(&code),
            expiresin: CODE_EXPIRES_IN_SECS,
            createat: now_millis(),
            redirecturi: req.redirect_uri.clone(),
            state: req.state.clone(),
            scope: req.scope.clone(),
            codechallenge: req.code_challenge.clone(),
            codechallengemethod: req.code_challenge_method.clone(),
        },
    )
    .await?;
    let authorized = Preference {
        user_id: session.user_id.clone(),
        category: CATEGORY_AUTHORIZED_OAUTH_APP.into(),
        name: client.id,
        value: req.scope.clone(),
    };
    utmost_store::preferences::save(&app.store, std::slice::from_ref(&authorized)).await?;
    app.publish(Event::PreferencesChanged {
        user_id: session.user_id.clone(),
        preferences: vec![authorized],
    })
    .await;
    Ok(with_query(
        &req.redirect_uri,
        &[("code", &code), ("state", &req.state)],
    ))
}

/// `uri` with `pairs` set in its query (replacing parameters of the same names), as
/// Mattermost keeps a callback's own query (MM-46216).
fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let Ok(mut url) = url::Url::parse(uri) else {
        return uri.to_owned();
    };
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !pairs.iter().any(|(name, _)| k == name))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .extend_pairs(pairs.iter().copied());
    url.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callbacks_own_query_is_kept_and_ours_replaced() {
        assert_eq!(
            with_query(
                "https://app.test/cb?x=1&state=old",
                &[("code", "c"), ("state", "s")]
            ),
            "https://app.test/cb?x=1&code=c&state=s"
        );
    }

    #[test]
    fn pkce_parameters_are_checked_as_mattermost_does() {
        let good = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert_eq!(pkce_invalid(good, "S256"), None);
        assert!(pkce_invalid(good, "plain")
            .unwrap()
            .ends_with("unsupported.app_error"));
        assert!(pkce_invalid("short", "S256")
            .unwrap()
            .ends_with("length.app_error"));
        assert!(pkce_invalid(&format!("{}=", &good[..42]), "S256")
            .unwrap()
            .ends_with("format.app_error"));
        assert!(pkce_invalid("", "S256")
            .unwrap()
            .ends_with("code_challenge.app_error"));
    }
}

//! The OAuth `state`: a one-shot token in Mattermost's `tokens` table (type `oauth`), stored
//! hashed, holding what the callback needs (service, action, landing page, PKCE verifier,
//! nonce) and the hash of the `MMOAUTH` cookie set in the browser that left, so a state
//! carried to another browser is refused.

use super::Action;
use crate::email::links;
use crate::errors::OAuthError;
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};

/// Mattermost's `TokenTypeOAuth`.
const KIND: &str = "oauth";
/// Mattermost's OAuth cookie (`CookieOAuth`).
pub const COOKIE_NAME: &str = "MMOAUTH";
/// Mattermost's `OAuthCookieMaxAgeSeconds`; the state expires with the cookie.
pub const COOKIE_MAX_AGE_SECS: i64 = 30 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Extra {
    pub service: String,
    pub action: Action,
    pub redirect_to: String,
    /// `sessions::hash_token` of the cookie's value.
    pub cookie: String,
    pub pkce_verifier: String,
    pub nonce: String,
    /// A team's invite id the sign-in started with: the user joins that team.
    #[serde(default)]
    pub team_invite_id: String,
}

/// Saves a new state; returns its raw value for the authorization URL.
pub(super) async fn save(app: &App, extra: &Extra) -> AppResult<String> {
    links::create(app, KIND, extra).await
}

/// Uses the state up: it must exist, be an OAuth state of `service`, be fresh, and belong to
/// the browser that presents it (the cookie). A state is taken even when the cookie does
/// not match, so a leaked one cannot be tried again.
pub(super) async fn take(
    app: &App,
    raw: &str,
    service: &str,
    cookie: Option<&str>,
) -> AppResult<Extra> {
    let refuse = |why: &str| -> crate::AppError { OAuthError::InvalidState(why.to_owned()).into() };
    if raw.is_empty() {
        return Err(refuse("no state"));
    }
    let Some(found) = links::find::<Extra>(app, raw).await? else {
        return Err(refuse("unknown or already used state"));
    };
    if found.kind != KIND {
        return Err(refuse("not an OAuth state"));
    }
    if !found.take(app).await? {
        return Err(refuse("state already used"));
    }
    if found.expired(COOKIE_MAX_AGE_SECS * 1000) {
        return Err(refuse("expired state"));
    }
    let Some(extra) = found.extra else {
        return Err(refuse("unreadable state"));
    };
    if extra.service != service {
        return Err(refuse("state of another service"));
    }
    let cookie = cookie.map(crate::sessions::hash_token);
    let same_browser = cookie.is_some_and(|c| {
        use subtle::ConstantTimeEq;
        bool::from(c.as_bytes().ct_eq(extra.cookie.as_bytes()))
    });
    if !same_browser {
        return Err(refuse("the OAuth cookie does not match the state"));
    }
    Ok(extra)
}

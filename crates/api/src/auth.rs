//! Where a request's token comes from, the session extractors, the CSRF rule and the cookies.

use crate::context::ResolvedSession;
use crate::ApiError;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use utmost_model::session::Session;
use utmost_model::AppError;

pub const COOKIE_TOKEN: &str = "MMAUTHTOKEN";
pub const COOKIE_USER_ID: &str = "MMUSERID";
pub const COOKIE_CSRF: &str = "MMCSRF";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Cookie,
    Header,
    Query,
}

/// Mattermost's lookup order: the `MMAUTHTOKEN` cookie, `Authorization: Bearer|Token`,
/// then the `access_token` query parameter.
pub fn token_from_request(headers: &HeaderMap, uri: &Uri) -> Option<(String, TokenSource)> {
    if let Some(token) = cookie(headers, COOKIE_TOKEN) {
        return Some((token, TokenSource::Cookie));
    }
    if let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
        if (scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token"))
            && !token.trim().is_empty()
        {
            return Some((token.trim().to_string(), TokenSource::Header));
        }
    }
    uri.query()
        .and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "access_token")
                .map(|(_, v)| v.to_string())
        })
        .filter(|t| !t.is_empty())
        .map(|t| (t, TokenSource::Query))
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())
}

/// The session of a request that must be logged in, with Mattermost's CSRF rule applied:
/// a cookie-authenticated request other than GET must carry `X-CSRF-Token` equal to the
/// session's token (or, unless strict enforcement is on, `X-Requested-With: XMLHttpRequest`).
#[derive(Debug, Clone)]
pub struct Auth(pub Session);

/// A logged-in request on a route a user needs to set MFA up (Mattermost's
/// `APISessionRequiredMfa`): like [`Auth`], without MFA enforcement.
#[derive(Debug, Clone)]
pub struct AuthBeforeMfa(pub Session);

/// A logged-in request on a route that trusts the requester (images, downloads, the
/// WebSocket upgrade): no CSRF check.
#[derive(Debug, Clone)]
pub struct AuthTrusted(pub Session);

/// The session if the request has a valid one; public routes use this.
#[derive(Debug, Clone)]
pub struct MaybeAuth(pub Option<Session>);

fn resolved(parts: &Parts) -> Option<&ResolvedSession> {
    parts.extensions.get::<ResolvedSession>()
}

impl FromRequestParts<crate::AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let AuthBeforeMfa(session) = AuthBeforeMfa::from_request_parts(parts, app).await?;
        require_mfa_set_up(parts, app, &session).await?;
        Ok(Auth(session))
    }
}

/// MFA enforcement; `/users/me` stays readable, as in Mattermost, so a client can learn who
/// it is and send the user to the setup page.
async fn require_mfa_set_up(
    parts: &Parts,
    app: &crate::AppState,
    session: &Session,
) -> Result<(), ApiError> {
    let path = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(parts.uri.path(), |o| o.0.path());
    if path == "/api/v4/users/me" {
        return Ok(());
    }
    utmost_app::users::mfa::require_set_up(app, session)
        .await
        .map_err(ApiError)
}

impl FromRequestParts<crate::AppState> for AuthBeforeMfa {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let r = resolved(parts).ok_or_else(|| ApiError(AppError::session_expired()))?;
        let session = r
            .session
            .clone()
            .ok_or_else(|| ApiError(AppError::session_expired()))?;
        if r.source == Some(TokenSource::Cookie) && parts.method != Method::GET {
            let strict = app
                .config()
                .service_settings
                .experimental_strict_csrf_enforcement;
            check_csrf(&parts.headers, &session, strict)?;
        }
        Ok(AuthBeforeMfa(session))
    }
}

fn check_csrf(headers: &HeaderMap, session: &Session, strict: bool) -> Result<(), ApiError> {
    let header = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !header.is_empty() && header == session.csrf_token() {
        return Ok(());
    }
    let xhr = headers
        .get("x-requested-with")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"));
    if xhr && !strict {
        return Ok(());
    }
    Err(ApiError(
        AppError::session_expired().with_detail("CSRF check failed"),
    ))
}

impl FromRequestParts<crate::AppState> for AuthTrusted {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = resolved(parts)
            .and_then(|r| r.session.clone())
            .ok_or_else(|| ApiError(AppError::session_expired()))?;
        require_mfa_set_up(parts, app, &session).await?;
        Ok(AuthTrusted(session))
    }
}

impl FromRequestParts<crate::AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _app: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(resolved(parts).and_then(|r| r.session.clone())))
    }
}

/// True when the client reached us over TLS (directly or through a proxy that says so).
pub fn is_secure(headers: &HeaderMap, site_url: &str) -> bool {
    site_url.starts_with("https://")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The three cookies Mattermost sets on a web login. `session.token` must be the raw token.
pub fn login_cookies(session: &Session, max_age_secs: i64, secure: bool) -> Vec<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    [
        format!(
            "{COOKIE_TOKEN}={}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}",
            session.token
        ),
        format!(
            "{COOKIE_USER_ID}={}; Path=/; Max-Age={max_age_secs}; SameSite=Lax{secure}",
            session.user_id
        ),
        format!(
            "{COOKIE_CSRF}={}; Path=/; Max-Age={max_age_secs}; SameSite=Lax{secure}",
            session.csrf_token()
        ),
    ]
    .into_iter()
    .filter_map(|c| HeaderValue::from_str(&c).ok())
    .collect()
}

/// Cookies that remove the login cookies (logout).
pub fn clear_cookies() -> Vec<HeaderValue> {
    [COOKIE_TOKEN, COOKIE_USER_ID, COOKIE_CSRF]
        .into_iter()
        .filter_map(|name| HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0")).ok())
        .collect()
}

/// Appends `cookies` as `Set-Cookie` headers.
pub fn set_cookies(headers: &mut HeaderMap, cookies: Vec<HeaderValue>) {
    for c in cookies {
        headers.append(SET_COOKIE, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lookup_order() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_static("BEARER abc"));
        let uri: Uri = "/api/v4/users/me?access_token=q".parse().unwrap();
        assert_eq!(
            token_from_request(&h, &uri),
            Some(("abc".into(), TokenSource::Header))
        );
        h.insert(
            COOKIE,
            HeaderValue::from_static("x=1; MMAUTHTOKEN=cookietok"),
        );
        assert_eq!(
            token_from_request(&h, &uri),
            Some(("cookietok".into(), TokenSource::Cookie))
        );
        let empty = HeaderMap::new();
        assert_eq!(
            token_from_request(&empty, &uri),
            Some(("q".into(), TokenSource::Query))
        );
    }

    #[test]
    fn csrf_rule() {
        let mut s = Session::default();
        s.props.insert("csrf".into(), "tok".into());
        let mut h = HeaderMap::new();
        assert!(check_csrf(&h, &s, false).is_err());
        h.insert(
            "x-requested-with",
            HeaderValue::from_static("XMLHttpRequest"),
        );
        assert!(check_csrf(&h, &s, false).is_ok());
        assert!(check_csrf(&h, &s, true).is_err());
        h.insert("x-csrf-token", HeaderValue::from_static("tok"));
        assert!(check_csrf(&h, &s, true).is_ok());
    }
}

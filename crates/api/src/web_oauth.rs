//! Sign-in through GitLab, Google, Office 365 and OpenID Connect (Mattermost's
//! `web/oauth.go`): the routes that send the browser to the provider and the redirect URIs
//! it comes back to. These are browser pages, not API calls: a refusal answers with its
//! status and a page that moves on to the login page, which shows the message; a mobile
//! app's sign-in returns to the app's URL scheme with the session's token.

use crate::api4::file::site_url;
use crate::auth::{cookie, is_secure, login_cookies, set_cookies};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use utmost_app::errors::{OAuthError, UserError};
use utmost_app::oauth_sign_in::{
    self as sign_in, Action, Begin, Callback, Refused, SignedIn, COOKIE_MAX_AGE_SECS, COOKIE_NAME,
};
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/{service}/login", get(login))
        .route("/oauth/{service}/signup", get(signup))
        .route("/oauth/{service}/mobile_login", get(mobile_login))
        .route("/oauth/{service}/complete", get(complete))
        .route("/login/{service}/complete", get(complete))
        .route("/signup/{service}/complete", get(complete))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct StartQuery {
    redirect_to: String,
    /// A team's invite link id: the user joins that team.
    id: String,
}

async fn login(
    State(app): State<AppState>,
    Path(service): Path<String>,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Response {
    start(&app, &service, &headers, Action::Login, &q).await
}

/// Mattermost's `signupWithOAuth`: refused outright while accounts cannot be created.
async fn signup(
    State(app): State<AppState>,
    Path(service): Path<String>,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Response {
    if !app.config().team_settings.enable_user_creation {
        let site = site_url(&app, &headers);
        return web_error(&site, UserError::CreationDisabled.into());
    }
    start(&app, &service, &headers, Action::Signup, &q).await
}

async fn mobile_login(
    State(app): State<AppState>,
    Path(service): Path<String>,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> Response {
    start(&app, &service, &headers, Action::Mobile, &q).await
}

async fn start(
    app: &AppState,
    service: &str,
    headers: &HeaderMap,
    action: Action,
    q: &StartQuery,
) -> Response {
    let redirect_to = q.redirect_to.as_str();
    let site = site_url(app, headers);
    let config = app.config();
    let mobile = action == Action::Mobile;
    let refuse = |error: AppError| match mobile {
        true => mobile_error(&config, redirect_to, &error),
        false => web_error(&site, error),
    };
    let service = match sign_in::enabled(app, service) {
        Ok(service) => service,
        Err(e) => return refuse(e),
    };
    let allowed = match mobile {
        true => redirect_to.is_empty() || sign_in::app_scheme_allowed(&config, redirect_to),
        false => sign_in::redirect_allowed(&site, redirect_to),
    };
    if !allowed {
        return refuse(match mobile {
            true => OAuthError::InvalidUrlScheme.into(),
            false => OAuthError::InvalidRedirect.into(),
        });
    }
    let begin = Begin {
        action,
        redirect_to,
        site_url: &site,
        team_invite_id: &q.id,
    };
    match sign_in::begin(app, service, begin).await {
        Ok(started) => {
            let secure = secure_flag(is_secure(headers, &site));
            let state_cookie = format!(
                "{COOKIE_NAME}={}; Path=/; Max-Age={COOKIE_MAX_AGE_SECS}; HttpOnly; SameSite=Lax{secure}",
                started.cookie
            );
            let mut response = redirect(StatusCode::FOUND, &started.auth_url);
            set_cookies(
                response.headers_mut(),
                HeaderValue::from_str(&state_cookie).into_iter().collect(),
            );
            response
        }
        Err(e) => {
            tracing::warn!(error_id = %e.id, reason = %e.detailed_error, "OAuth sign-in could not start");
            refuse(e)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CallbackQuery {
    code: String,
    state: String,
    error: String,
}

/// The redirect URI (Mattermost's `completeOAuth`).
async fn complete(
    State(app): State<AppState>,
    Path(service): Path<String>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let site = site_url(&app, &headers);
    let service = match sign_in::Service::parse(&service) {
        Some(service) => service,
        None => return web_error(&site, OAuthError::Unsupported.into()),
    };
    let state_cookie = cookie(&headers, COOKIE_NAME);
    let callback = Callback {
        code: &q.code,
        state: &q.state,
        error: &q.error,
        cookie: state_cookie.as_deref(),
        site_url: &site,
    };
    let mut response = match sign_in::complete(&app, service, callback).await {
        Ok(signed_in) => signed_in_response(&app, &headers, &site, signed_in),
        Err(Refused {
            error,
            action: Some(Action::Mobile),
            redirect_to,
        }) if !redirect_to.is_empty() => mobile_error(&app.config(), &redirect_to, &error),
        Err(refused) => web_error(&site, refused.error),
    };
    // The state is used up either way.
    if let Ok(clear) = HeaderValue::from_str(&format!("{COOKIE_NAME}=; Path=/; Max-Age=0")) {
        response.headers_mut().append(SET_COOKIE, clear);
    }
    response
}

fn signed_in_response(app: &AppState, headers: &HeaderMap, site: &str, s: SignedIn) -> Response {
    let config = app.config();
    let session = &s.session;
    if s.action == Action::Mobile && !s.redirect_to.is_empty() {
        // The app takes the token from its own URL scheme (Mattermost's
        // `RenderMobileAuthComplete`).
        return match sign_in::app_return_url(&s.redirect_to, session) {
            Some(target) => mobile_complete(&target),
            None => web_error(site, OAuthError::InvalidUrlScheme.into()),
        };
    }
    let hours = match s.action {
        Action::Mobile => config.service_settings.session_length_mobile_in_hours,
        Action::Login | Action::Signup => config.service_settings.session_length_sso_in_hours,
    };
    let mut response = redirect(
        StatusCode::TEMPORARY_REDIRECT,
        &sign_in::landing(site, &s.redirect_to),
    );
    set_cookies(
        response.headers_mut(),
        login_cookies(session, hours * 3600, is_secure(headers, site)),
    );
    response
}

fn secure_flag(secure: bool) -> &'static str {
    if secure {
        "; Secure"
    } else {
        ""
    }
}

fn redirect(status: StatusCode, to: &str) -> Response {
    let mut response = status.into_response();
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, location);
    }
    response
}

/// Mattermost's `RenderWebAppError`: the error's status, and a page that moves on to the
/// login page with the error's id and message in its query, which the web client shows.
fn web_error(site: &str, error: AppError) -> Response {
    let link = html_escape(&sign_in::error_landing(site, &error));
    let status = StatusCode::from_u16(error.status_code).unwrap_or(StatusCode::BAD_REQUEST);
    html(
        status,
        &format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"0; url={link}\">\
             </head><body><p>{}</p><a href=\"{link}\">Continue</a></body></html>",
            html_escape(&error.message)
        ),
    )
}

/// Mattermost's `RenderMobileError`: the message, and a link back to the app when its
/// scheme is allowed (else to the site).
fn mobile_error(config: &utmost_config::Config, redirect_to: &str, error: &AppError) -> Response {
    let back = if sign_in::app_scheme_allowed(config, redirect_to) {
        redirect_to.to_owned()
    } else {
        config.service_settings.site_url.clone()
    };
    let status = StatusCode::from_u16(error.status_code).unwrap_or(StatusCode::BAD_REQUEST);
    html(
        status,
        &format!(
            "<!DOCTYPE html><html><body><h2>Error</h2><p>{}</p>\
             <a href=\"{}\">Go back to the app</a></body></html>",
            html_escape(&error.message),
            html_escape(&back)
        ),
    )
}

/// Mattermost's `RenderMobileAuthComplete`: the app's URL, followed after a moment.
fn mobile_complete(target: &str) -> Response {
    let link = html_escape(target);
    html(
        StatusCode::OK,
        &format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"refresh\" content=\"2; url={link}\">\
             </head><body><p>Authentication complete. Redirecting you back to the app.</p>\
             <p>If you are not redirected, <a href=\"{link}\">open the app</a>.</p></body></html>"
        ),
    )
}

pub(crate) fn html(status: StatusCode, body: &str) -> Response {
    let mut response = (status, body.to_owned()).into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

pub(crate) fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

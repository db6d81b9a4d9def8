//! SAML sign-in in the browser (Mattermost's `web/saml.go`): `GET /login/sso/saml` sends the
//! browser to the IdP, and the IdP's form posts its response to `POST /login/sso/saml`,
//! which sets the login cookies (as the password login does for a browser) and redirects to
//! `redirect_to` (a path of this site) or `/`. A refusal is answered with a small error page
//! carrying Mattermost's error id and status; the reason is logged by `app::saml::login`.

use crate::auth::{is_secure, login_cookies, set_cookies};
use crate::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::header::{CACHE_CONTROL, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use serde::Deserialize;
use utmost_app::saml::login::{self, Destination, Relay, MAX_RESPONSE_BYTES};
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/login/sso/saml",
        get(begin)
            .post(complete)
            // The response is form-encoded base64 of up to `MAX_RESPONSE_BYTES`.
            .layer(DefaultBodyLimit::max(MAX_RESPONSE_BYTES * 2)),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BeginQuery {
    action: String,
    redirect_to: String,
    team_id: String,
}

async fn begin(State(app): State<AppState>, Query(q): Query<BeginQuery>) -> Response {
    let relay = Relay {
        action: q.action,
        redirect_to: q.redirect_to,
        team_id: q.team_id,
    };
    match login::begin(&app, relay).await {
        Ok(url) => found(&url),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AcsForm {
    #[serde(rename = "SAMLResponse")]
    saml_response: String,
    #[serde(rename = "RelayState")]
    relay_state: String,
}

async fn complete(
    State(app): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<AcsForm>, FormRejection>,
) -> Response {
    // An unreadable form is an empty response, refused as such.
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let done = match login::complete(&app, &form.saml_response, &form.relay_state).await {
        Ok(done) => done,
        Err(e) => return error_page(e),
    };
    let config = app.config();
    let max_age = config.service_settings.session_length_sso_in_hours * 3600;
    let secure = is_secure(&headers, &config.service_settings.site_url);
    let mut response = match done.relay.destination(&done.session) {
        Destination::Path(path) => found(&path),
        Destination::MobileApp(url) => found(&url),
        Destination::MobileWebView => Json(serde_json::json!({"status": "OK"})).into_response(),
    };
    set_cookies(
        response.headers_mut(),
        login_cookies(&done.session, max_age, secure),
    );
    response
}

fn found(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The browser's view of a refusal: the message, the error id and, for a refused response,
/// the reason (an internal error's cause stays in the log), with the error's status.
fn error_page(e: AppError) -> Response {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let status = StatusCode::from_u16(e.status_code).unwrap_or(StatusCode::BAD_REQUEST);
    let page = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>SAML sign-in failed</title>\
         </head><body><h1>SAML sign-in failed</h1><p id=\"message\">{}</p>\
         <p><code id=\"error-id\">{}</code></p><p id=\"detail\">{}</p>\
         <p><a href=\"/login\">Back to sign-in</a></p></body></html>",
        escape(&e.message),
        escape(&e.id),
        if e.is_internal() {
            String::new()
        } else {
            escape(&e.detailed_error)
        },
    );
    (status, Html(page)).into_response()
}

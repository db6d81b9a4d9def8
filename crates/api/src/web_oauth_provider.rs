//! The OAuth 2.0 provider's routes outside `/api/v4` (Mattermost's `web/oauth.go`):
//! `GET /oauth/authorize`, where a third-party app sends the browser; `POST
//! /oauth/authorize`, the consent page's "Allow"; `POST /oauth/deauthorize`; and the token
//! endpoint `POST /oauth/access_token`, which the app calls with its form (RFC 6749).

use crate::api4::file::site_url;
use crate::auth::{Auth, MaybeAuth};
use crate::extract::{decode, RawBody};
use crate::web_oauth::{html, html_escape};
use crate::{ApiResult, AppState};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, OriginalUri, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, PRAGMA};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::oauth_provider::authorize::{self, AuthorizeRequest, Page};
use utmost_app::oauth_provider::token::{self, TokenRequest};
use utmost_app::oauth_provider::{apps, OAuthProviderError};
use utmost_model::oauth::AccessResponse;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/authorize", post(allow).get(authorize_page))
        .route("/oauth/deauthorize", post(deauthorize))
        .route("/oauth/access_token", post(access_token))
}

/// Whether a route here acts for the signed-in user (the token endpoint never does).
pub(crate) fn needs_session(path: &str) -> bool {
    path == "/oauth/authorize" || path == "/oauth/deauthorize"
}

/// `authorizeOAuthPage`: a browser page, so a refusal is an HTML page with its status.
async fn authorize_page(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    request: Result<
        axum::extract::Query<AuthorizeRequest>,
        axum::extract::rejection::QueryRejection,
    >,
) -> Response {
    let request = request.map(|q| q.0).unwrap_or_default();
    match authorize::page(&app, session.as_ref(), request).await {
        Ok(Page::Login) => {
            let back = uri
                .path_and_query()
                .map_or("/oauth/authorize", |p| p.as_str());
            let login = format!(
                "{}/login?redirect_to={}",
                site_url(&app, &headers),
                percent_encode(back)
            );
            redirect(&login)
        }
        Ok(Page::Redirect(to)) => redirect(&to),
        Ok(Page::Consent) => {
            let mut page = crate::webapp::index_page(headers).await;
            page.headers_mut()
                .insert("x-frame-options", HeaderValue::from_static("SAMEORIGIN"));
            page
        }
        Err(error) => error_page(&error),
    }
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::FOUND, [(LOCATION, location)]).into_response(),
        Err(_) => error_page(&OAuthProviderError::RedirectCallback.into()),
    }
}

fn error_page(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code).unwrap_or(StatusCode::BAD_REQUEST);
    html(
        status,
        &format!(
            "<!DOCTYPE html><html><head><title>Error</title></head><body><h2>{}</h2>\
             <p>{}</p><a href=\"/\">Back</a></body></html>",
            html_escape(&error.message),
            html_escape(&error.id)
        ),
    )
}

/// `url.QueryEscape` of a path and query.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `authorizeOAuthApp`: the consent page's "Allow"; the answer says where to go.
async fn allow(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let request: AuthorizeRequest = decode(body, || AppError::invalid_param("authorize_request"))?;
    let redirect = authorize::allow(&app, &session, request).await?;
    Ok(Json(json!({ "redirect": redirect })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeauthorizeBody {
    client_id: String,
}

async fn deauthorize(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let body: DeauthorizeBody = decode(body, || AppError::invalid_param("client_id"))?;
    apps::deauthorize(&app, &session, &body.client_id).await?;
    Ok(Json(json!({"status": "OK"})))
}

/// `getAccessToken`: no session; the client authenticates with its id and secret. The
/// answer must not be cached (RFC 6749 section 5.1).
async fn access_token(
    State(app): State<AppState>,
    form: Result<Form<TokenRequest>, FormRejection>,
) -> ApiResult<Response> {
    let Ok(Form(request)) = form else {
        return Err(AppError::bad_request(
            "api.oauth.get_access_token.bad_request.app_error",
            "invalid_request: Bad request.",
        )
        .into());
    };
    let answer: AccessResponse = token::exchange(&app, request).await?;
    Ok((
        [
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        Json(answer),
    )
        .into_response())
}

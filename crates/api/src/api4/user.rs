//! `/users`: accounts, login and sessions (Mattermost's api4/user.go).

use crate::auth::{clear_cookies, is_secure, login_cookies, set_cookies, Auth, MaybeAuth};
use crate::extract::{user_id_param, ApiJson, ApiPath};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use utmost_app::users::{self, LoginRequest};
use utmost_model::user::User;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", post(create_user))
        .route("/users/login", post(login))
        .route("/users/logout", post(logout))
        .route("/users/{user_id}", get(get_user))
}

async fn create_user(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiJson(user): ApiJson<User>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let created = users::create(&app, user, session.as_ref()).await?;
    let visible = match &session {
        Some(s) => users::sanitize_for(&app, s, created),
        None => User {
            password: String::new(),
            ..created
        },
    };
    Ok((StatusCode::CREATED, Json(visible)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginBody {
    login_id: String,
    id: String,
    password: String,
    token: String,
    device_id: String,
    #[serde(alias = "deviceId")]
    device_id_camel: String,
    ldap_only: serde_json::Value,
}

async fn login(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let device_id = if body.device_id.is_empty() {
        body.device_id_camel
    } else {
        body.device_id
    };
    let req = LoginRequest {
        login_id: body.login_id,
        id: body.id,
        password: body.password,
        token: body.token,
        device_id,
        ldap_only: body.ldap_only == json!(true) || body.ldap_only == json!("true"),
    };
    let (user, session) = users::login(&app, req).await?;
    let mut response = Json(users::sanitize_for(&app, &session, user)).into_response();
    if let Ok(v) = HeaderValue::from_str(&session.token) {
        response.headers_mut().insert("Token", v);
    }
    // Mattermost sets cookies only for browser clients, which announce themselves this way.
    let from_browser = headers
        .get("x-requested-with")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"));
    if from_browser {
        let config = app.config();
        let max_age = config.service_settings.session_length_web_in_hours * 3600;
        let secure = is_secure(&headers, &config.service_settings.site_url);
        set_cookies(
            response.headers_mut(),
            login_cookies(&session, max_age, secure),
        );
    }
    Ok(response)
}

async fn logout(State(app): State<AppState>, MaybeAuth(session): MaybeAuth) -> ApiResult<Response> {
    if let Some(s) = session {
        utmost_app::sessions::revoke(&app, &s.id).await?;
    }
    let mut response = Json(json!({"status": "OK"})).into_response();
    set_cookies(response.headers_mut(), clear_cookies());
    Ok(response)
}

async fn get_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<String>,
) -> ApiResult<Json<User>> {
    let user_id = user_id_param(&user_id, &session)?;
    let user = users::get(&app, &user_id).await?;
    Ok(Json(users::sanitize_for(&app, &session, user)))
}

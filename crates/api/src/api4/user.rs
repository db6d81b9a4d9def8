//! `/users`: accounts, login and sessions (Mattermost's api4/user.go).

mod client_cert;
mod image;
mod lookup;
mod mfa;
mod sessions;
mod threads;
mod tokens;

use super::status_ok;
use crate::auth::{clear_cookies, is_secure, login_cookies, set_cookies, Auth, MaybeAuth};
use crate::etag::etagged;
use crate::extract::{decode, null_as_empty, query_flag, ApiJson, ApiPath, ApiQuery, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utmost_app::authorization::require_act_on_user;
use utmost_app::users::{self, LoginRequest};
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::user::{User, UserPatch};
use utmost_model::AppError;
use utmost_model::UserParam;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", post(create_user).get(lookup::list))
        .route("/users/ids", post(lookup::by_ids))
        .route("/users/usernames", post(lookup::by_usernames))
        .route("/users/search", post(lookup::search))
        .route("/users/autocomplete", get(lookup::autocomplete))
        .route("/users/stats", get(lookup::stats))
        .route("/users/stats/filtered", get(lookup::filtered_stats))
        .route("/users/username/{username}", get(lookup::by_username))
        .route("/users/email/{email}", get(lookup::by_email))
        .route("/users/login", post(login))
        .route("/users/logout", post(logout))
        .route(
            "/users/{user_id}",
            get(get_user).put(update_user).delete(delete_user),
        )
        .route("/users/{user_id}/patch", put(patch_user))
        .route("/users/{user_id}/password", put(update_password))
        .route("/users/{user_id}/active", put(update_active))
        .route("/users/{user_id}/roles", put(update_roles))
        .merge(image::routes())
        .merge(sessions::routes())
        .merge(tokens::routes())
        .merge(mfa::routes())
        .merge(threads::routes())
}

/// Mattermost's `ReturnStatusOK`.
/// A user as JSON with its ETag, or 304 when the client's copy is current.
fn user_response(app: &AppState, session: &Session, headers: &HeaderMap, user: User) -> Response {
    let privacy = &app.config().privacy_settings;
    let etag = user.etag(privacy.show_full_name, privacy.show_email_address);
    etagged(headers, &etag, users::sanitize_for(app, session, user))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateUserQuery {
    /// An emailed invitation's token.
    t: String,
    /// A team's invite id (its invite link).
    iid: String,
}

async fn create_user(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiQuery(query): ApiQuery<CreateUserQuery>,
    ApiJson(user): ApiJson<User>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let created = if !query.t.is_empty() {
        utmost_app::email::invitations::create_with_token(&app, user, &query.t).await?
    } else if !query.iid.is_empty() {
        utmost_app::teams::create_user_with_invite_id(&app, user, &query.iid).await?
    } else {
        users::create(&app, user, session.as_ref()).await?
    };
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
    #[serde(deserialize_with = "null_as_empty")]
    login_id: String,
    #[serde(deserialize_with = "null_as_empty")]
    id: String,
    #[serde(deserialize_with = "null_as_empty")]
    password: String,
    #[serde(deserialize_with = "null_as_empty")]
    token: String,
    #[serde(deserialize_with = "null_as_empty")]
    device_id: String,
    #[serde(alias = "deviceId", deserialize_with = "null_as_empty")]
    device_id_camel: String,
    ldap_only: Value,
}

async fn login(
    State(app): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let client_cert_email = client_cert::email(&extensions, &headers, &app.config());
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
        client_cert_email,
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
    let mut response = status_ok().into_response();
    set_cookies(response.headers_mut(), clear_cookies());
    Ok(response)
}

async fn get_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Response> {
    let user_id = user_id.resolve(&session);
    if !users::can_see(&app, &session, &user_id).await? {
        return Err(AppError::permission_denied(permissions::VIEW_MEMBERS).into());
    }
    let user = users::get(&app, &user_id).await?;
    let user = utmost_app::terms_of_service::with_acceptance(&app, &session, user).await?;
    Ok(user_response(&app, &session, &headers, user))
}

async fn update_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<User>> {
    let user_id = user_id.resolve(&session);
    let user: User = decode(body, || AppError::invalid_param("user"))?;
    if user.id != user_id {
        return Err(AppError::invalid_param("user_id").into());
    }
    require_act_on_user(&app, &session, &user_id).await?;
    let updated = users::update(&app, &session, user).await?;
    Ok(Json(users::sanitize_for(&app, &session, updated)))
}

async fn patch_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<User>> {
    let user_id = user_id.resolve(&session);
    let patch: UserPatch = decode(body, || AppError::invalid_param("user"))?;
    require_act_on_user(&app, &session, &user_id).await?;
    let updated = users::patch(&app, &session, &user_id, patch).await?;
    Ok(Json(users::sanitize_for(&app, &session, updated)))
}

/// A body Mattermost reads with `MapFromJSON`: string values, anything else ignored.
fn string_map(body: RawBody) -> HashMap<String, String> {
    decode::<HashMap<String, Value>>(body, || AppError::invalid_param("body"))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
        .collect()
}

async fn update_password(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let props = string_map(body);
    let field = |k: &str| props.get(k).map(String::as_str).unwrap_or("");
    users::update_password(
        &app,
        &session,
        &user_id,
        field("current_password"),
        field("new_password"),
    )
    .await?;
    Ok(status_ok())
}

async fn update_active(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("active"))?;
    let active = props
        .get("active")
        .and_then(Value::as_bool)
        .ok_or_else(|| AppError::invalid_param("active"))?;
    users::set_active(&app, &session, &user_id, active).await?;
    Ok(status_ok())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DeleteQuery {
    permanent: String,
}

/// Deactivates the user, or deletes them for good with `permanent=true`.
async fn delete_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(query): ApiQuery<DeleteQuery>,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    users::delete(&app, &session, &user_id, query_flag(&query.permanent)).await?;
    Ok(status_ok())
}

async fn update_roles(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    let props = string_map(body);
    let roles = props.get("roles").map(String::as_str).unwrap_or("");
    if !users::valid_user_roles(roles) {
        return Err(AppError::invalid_param("roles").into());
    }
    utmost_app::authorization::require_system(&app, &session, permissions::MANAGE_ROLES)?;
    users::set_roles(&app, &user_id, roles).await?;
    Ok(status_ok())
}

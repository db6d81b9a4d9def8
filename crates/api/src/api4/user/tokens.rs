//! Personal access tokens (`/users/{user_id}/tokens`, `/users/tokens/...`).

use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use utmost_app::authorization::{require_act_on_user, require_system};
use utmost_app::{access_tokens, users};
use utmost_model::access_token::UserAccessToken;
use utmost_model::permissions;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_model::{TokenId, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{user_id}/tokens", post(create).get(list_for_user))
        .route("/users/tokens", get(list_all))
        .route("/users/tokens/search", post(search))
        .route("/users/tokens/revoke", post(revoke))
        .route("/users/tokens/disable", post(disable))
        .route("/users/tokens/enable", post(enable))
        .route("/users/tokens/{token_id}", get(get_one))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewToken {
    description: String,
}

async fn create(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<UserAccessToken>> {
    let user_id = user_id.resolve(&session);
    let owner = users::get(&app, &user_id).await?;
    if session.is_oauth {
        return Err(AppError::permission_denied(permissions::CREATE_USER_ACCESS_TOKEN).into());
    }
    let input: NewToken = decode(body, || AppError::invalid_param("user_access_token"))?;
    if input.description.is_empty() {
        return Err(AppError::invalid_param("description").into());
    }
    require_system(&app, &session, permissions::CREATE_USER_ACCESS_TOKEN)?;
    require_act_on_user(&app, &session, &user_id).await?;
    if owner.is_system_admin() && !users::is_system_admin(&app, &session) {
        return Err(AppError::permission_denied(permissions::MANAGE_SYSTEM).into());
    }
    Ok(Json(
        access_tokens::create(&app, &user_id, &input.description).await?,
    ))
}

async fn list_for_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<UserAccessToken>>> {
    let user_id = user_id.resolve(&session);
    require_system(&app, &session, permissions::READ_USER_ACCESS_TOKEN)?;
    require_act_on_user(&app, &session, &user_id).await?;
    let (limit, offset) = paging.limit_offset();
    Ok(Json(
        access_tokens::list(&app, Some(&user_id), limit, offset).await?,
    ))
}

async fn list_all(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<UserAccessToken>>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let (limit, offset) = paging.limit_offset();
    Ok(Json(access_tokens::list(&app, None, limit, offset).await?))
}

async fn search(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<UserAccessToken>>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let props: HashMap<String, Value> =
        decode(body, || AppError::invalid_param("user_access_token_search"))?;
    let term = props
        .get("term")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::invalid_param("term"))?;
    Ok(Json(access_tokens::search(&app, term).await?))
}

async fn get_one(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(token_id): ApiPath<TokenId>,
) -> ApiResult<Json<UserAccessToken>> {
    require_system(&app, &session, permissions::READ_USER_ACCESS_TOKEN)?;
    let token = access_tokens::get(&app, &token_id).await?;
    require_act_on_user(&app, &session, &token.user_id).await?;
    Ok(Json(token))
}

/// The token a revoke/disable/enable body names, after the permission the action needs and
/// the owner check, in Mattermost's order.
async fn target_token(
    app: &AppState,
    session: &Session,
    body: RawBody,
    permission: &str,
) -> ApiResult<UserAccessToken> {
    let props: HashMap<String, Value> = decode(body, || AppError::invalid_param("token_id"))?;
    let token_id = props
        .get("token_id")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AppError::invalid_param("token_id"))?
        .to_string();
    require_system(app, session, permission)?;
    let token = access_tokens::get(app, &token_id).await?;
    require_act_on_user(app, session, &token.user_id).await?;
    Ok(token)
}

async fn revoke(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let token = target_token(&app, &session, body, permissions::REVOKE_USER_ACCESS_TOKEN).await?;
    access_tokens::revoke(&app, &token.id).await?;
    Ok(status_ok())
}

async fn disable(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let token = target_token(&app, &session, body, permissions::REVOKE_USER_ACCESS_TOKEN).await?;
    access_tokens::set_active(&app, &token.id, false).await?;
    Ok(status_ok())
}

async fn enable(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let token = target_token(&app, &session, body, permissions::CREATE_USER_ACCESS_TOKEN).await?;
    access_tokens::set_active(&app, &token.id, true).await?;
    Ok(status_ok())
}

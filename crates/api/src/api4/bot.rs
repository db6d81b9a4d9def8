//! `/bots` (Mattermost's api4/bot.go) and `POST /users/{user_id}/convert_to_bot`. The
//! checks, in Mattermost's order, are in `app::bots`.

use crate::auth::Auth;
use crate::extract::{decode, query_flag, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::bots;
use utmost_model::bot::{Bot, BotPatch};
use utmost_model::{is_valid_id, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bots", post(create_bot).get(get_bots))
        .route("/bots/{bot_user_id}", get(get_bot).put(patch_bot))
        .route("/bots/{bot_user_id}/disable", post(disable_bot))
        .route("/bots/{bot_user_id}/enable", post(enable_bot))
        .route("/bots/{bot_user_id}/assign/{user_id}", post(assign_bot))
        .route("/users/{user_id}/convert_to_bot", post(convert_user_to_bot))
        .route(
            "/bots/{bot_user_id}/convert_to_user",
            post(convert_bot_to_user),
        )
}

/// `RequireBotUserId` (and `RequireUserId`).
fn valid(id: String, name: &str) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param(name).into())
    }
}

async fn create_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let patch: BotPatch = decode(body, || AppError::invalid_param("bot"))?;
    let bot = bots::create(&app, &session, patch).await?;
    Ok((StatusCode::CREATED, Json(bot)).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    paging: Paging,
    #[serde(default)]
    include_deleted: String,
    #[serde(default)]
    only_orphaned: String,
}

async fn get_bots(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<Bot>>> {
    let (limit, offset) = query.paging.limit_offset();
    Ok(Json(
        bots::list(
            &app,
            &session,
            query_flag(&query.include_deleted),
            query_flag(&query.only_orphaned),
            limit,
            offset,
        )
        .await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GetQuery {
    include_deleted: String,
}

async fn get_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<GetQuery>,
) -> ApiResult<Json<Bot>> {
    let id = valid(id, "bot_user_id")?;
    Ok(Json(
        bots::get(&app, &session, &id, query_flag(&query.include_deleted)).await?,
    ))
}

async fn patch_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<Bot>> {
    let id = valid(id, "bot_user_id")?;
    let patch: BotPatch = decode(body, || AppError::invalid_param("bot"))?;
    Ok(Json(bots::patch(&app, &session, &id, patch).await?))
}

async fn disable_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Bot>> {
    let id = valid(id, "bot_user_id")?;
    Ok(Json(bots::set_active(&app, &session, &id, false).await?))
}

async fn enable_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Bot>> {
    let id = valid(id, "bot_user_id")?;
    Ok(Json(bots::set_active(&app, &session, &id, true).await?))
}

async fn assign_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((bot_id, user_id)): ApiPath<(String, String)>,
) -> ApiResult<Json<Bot>> {
    let user_id = valid(user_id, "user_id")?;
    let bot_id = valid(bot_id, "bot_user_id")?;
    Ok(Json(bots::assign(&app, &session, &bot_id, &user_id).await?))
}

async fn convert_user_to_bot(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<String>,
) -> ApiResult<Json<Bot>> {
    let user_id = valid(user_id, "user_id")?;
    Ok(Json(
        bots::convert_user_to_bot(&app, &session, &user_id).await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConvertQuery {
    set_system_admin: String,
}

async fn convert_bot_to_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<ConvertQuery>,
    body: RawBody,
) -> ApiResult<Json<utmost_model::user::User>> {
    let id = valid(id, "bot_user_id")?;
    let patch: utmost_model::user::UserPatch =
        decode(body, || AppError::invalid_param("userPatch"))?;
    let user = bots::convert_bot_to_user(
        &app,
        &session,
        &id,
        patch,
        query_flag(&query.set_system_admin),
    )
    .await?;
    Ok(Json(utmost_app::users::sanitize_for(&app, &session, user)))
}

//! `/users/{user_id}/preferences` (Mattermost's api4/preference.go).

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_act_on_user;
use utmost_app::preferences;
use utmost_model::preference::Preference;
use utmost_model::session::Session;
use utmost_model::AppError;
use utmost_model::{UserId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/preferences",
            get(get_preferences).put(update_preferences),
        )
        .route(
            "/users/{user_id}/preferences/delete",
            post(delete_preferences),
        )
        .route(
            "/users/{user_id}/preferences/{category}",
            get(get_preferences_by_category),
        )
        .route(
            "/users/{user_id}/preferences/{category}/name/{preference_name}",
            get(get_preference),
        )
}

/// The user of the path, after Mattermost's `SessionHasPermissionToUser` check.
async fn accessible_user(app: &AppState, session: &Session, user: UserParam) -> ApiResult<UserId> {
    let user_id = user.resolve(session);
    require_act_on_user(app, session, &user_id).await?;
    Ok(user_id)
}

/// Mattermost's router only matches `[A-Za-z0-9_]+` for categories and names.
fn word_param(raw: &str, name: &str) -> ApiResult<()> {
    let valid = !raw.is_empty() && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(ApiError(AppError::invalid_url_param(name)))
    }
}

fn decode_preferences(body: RawBody) -> ApiResult<Vec<Preference>> {
    decode(body, || AppError::invalid_param("preferences"))
}

async fn get_preferences(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Vec<Preference>>> {
    let user_id = accessible_user(&app, &session, user_id).await?;
    Ok(Json(preferences::get_all(&app, &user_id).await?))
}

async fn get_preferences_by_category(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, category)): ApiPath<(UserParam, String)>,
) -> ApiResult<Json<Vec<Preference>>> {
    let user_id = user_id.resolve(&session);
    word_param(&category, "category")?;
    require_act_on_user(&app, &session, &user_id).await?;
    Ok(Json(
        preferences::get_category(&app, &user_id, &category).await?,
    ))
}

async fn get_preference(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, category, name)): ApiPath<(UserParam, String, String)>,
) -> ApiResult<Json<Preference>> {
    let user_id = user_id.resolve(&session);
    word_param(&category, "category")?;
    word_param(&name, "preference_name")?;
    require_act_on_user(&app, &session, &user_id).await?;
    Ok(Json(
        preferences::get(&app, &user_id, &category, &name).await?,
    ))
}

async fn update_preferences(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = accessible_user(&app, &session, user_id).await?;
    let list = decode_preferences(body)?;
    preferences::update(&app, &session, &user_id, list).await?;
    Ok(super::status_ok())
}

async fn delete_preferences(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = accessible_user(&app, &session, user_id).await?;
    let list = decode_preferences(body)?;
    preferences::delete(&app, &user_id, list).await?;
    Ok(super::status_ok())
}

//! `/users/{user_id}/teams/{team_id}/channels/categories` (Mattermost's
//! api4/channel_category.go): a user's sidebar categories in a team.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::categories::{self, MAX_PER_REQUEST};
use utmost_model::channel_sidebar::{
    is_valid_category_id, OrderedSidebarCategories, SidebarCategory,
};
use utmost_model::session::Session;
use utmost_model::{AppError, TeamId, UserId, UserParam};

pub fn routes() -> Router<AppState> {
    const BASE: &str = "/users/{user_id}/teams/{team_id}/channels/categories";
    Router::new()
        .route(
            BASE,
            get(get_categories)
                .post(create_category)
                .put(update_categories),
        )
        .route(
            &format!("{BASE}/order"),
            get(get_category_order).put(update_category_order),
        )
        .route(
            &format!("{BASE}/{{category_id}}"),
            get(get_category)
                .put(update_category)
                .delete(delete_category),
        )
}

type TeamPath = ApiPath<(UserParam, TeamId)>;
type CategoryPath = ApiPath<(UserParam, TeamId, String)>;

/// The user of the path, who must be the session's (or one it may act on) and a member of
/// the team.
async fn team_member(
    app: &AppState,
    session: &Session,
    user: UserParam,
    team_id: &TeamId,
) -> ApiResult<UserId> {
    let user_id = user.resolve(session);
    categories::require_team_member(app, session, &user_id, team_id).await?;
    Ok(user_id)
}

/// The user of the path after a well-formed category id, when the session may reach that
/// category (`SessionHasPermissionToCategory`).
async fn category_owner(
    app: &AppState,
    session: &Session,
    (user, team_id, category_id): &(UserParam, TeamId, String),
) -> ApiResult<UserId> {
    if !is_valid_category_id(category_id) {
        return Err(AppError::invalid_url_param("category_id").into());
    }
    let user_id = user.clone().resolve(session);
    categories::require_category(app, session, &user_id, team_id, category_id).await?;
    Ok(user_id)
}

fn invalid_category() -> ApiError {
    ApiError(AppError::invalid_param("category"))
}

/// A category of a create or single update: it must name the path's user and team.
fn decode_category(body: RawBody, user_id: &str, team_id: &str) -> ApiResult<SidebarCategory> {
    let category: SidebarCategory = decode(body, || AppError::invalid_param("category"))?;
    if category.user_id != user_id || category.team_id != team_id {
        return Err(invalid_category());
    }
    categories::check(&category)?;
    Ok(category)
}

async fn get_categories(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user, team_id)): TeamPath,
) -> ApiResult<Json<OrderedSidebarCategories>> {
    let user_id = team_member(&app, &session, user, &team_id).await?;
    Ok(Json(categories::for_team(&app, &user_id, &team_id).await?))
}

async fn create_category(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user, team_id)): TeamPath,
    body: RawBody,
) -> ApiResult<Json<SidebarCategory>> {
    let user_id = team_member(&app, &session, user, &team_id).await?;
    let mut category = decode_category(body, &user_id, &team_id)?;
    categories::keep_member_channels(
        &app,
        &user_id,
        &team_id,
        std::slice::from_mut(&mut category),
    )
    .await?;
    Ok(Json(
        categories::create(&app, &user_id, &team_id, &category).await?,
    ))
}

async fn update_categories(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user, team_id)): TeamPath,
    body: RawBody,
) -> ApiResult<Json<Vec<SidebarCategory>>> {
    let user_id = team_member(&app, &session, user, &team_id).await?;
    let mut asked: Vec<SidebarCategory> = decode(body, || AppError::invalid_param("category"))?;
    if asked.len() > MAX_PER_REQUEST {
        return Err(invalid_category());
    }
    let ids: Vec<String> = asked.iter().map(|c| c.id.clone()).collect();
    if !categories::can_reach_categories(&app, &session, &user_id, &team_id, &ids).await? {
        return Err(invalid_category());
    }
    for category in &asked {
        categories::check(category)?;
    }
    categories::keep_member_channels(&app, &user_id, &team_id, &mut asked).await?;
    Ok(Json(
        categories::update(&app, &user_id, &team_id, &asked).await?,
    ))
}

async fn get_category_order(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user, team_id)): TeamPath,
) -> ApiResult<Json<Vec<String>>> {
    let user_id = team_member(&app, &session, user, &team_id).await?;
    Ok(Json(categories::order(&app, &user_id, &team_id).await?))
}

async fn update_category_order(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user, team_id)): TeamPath,
    body: RawBody,
) -> ApiResult<Json<Vec<String>>> {
    let user_id = team_member(&app, &session, user, &team_id).await?;
    let order: Vec<String> = decode(body, || AppError::invalid_param("category"))?;
    if order.len() > MAX_PER_REQUEST
        || !categories::can_reach_categories(&app, &session, &user_id, &team_id, &order).await?
    {
        return Err(invalid_category());
    }
    Ok(Json(
        categories::set_order(&app, &user_id, &team_id, order).await?,
    ))
}

async fn get_category(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(path): CategoryPath,
) -> ApiResult<Json<SidebarCategory>> {
    category_owner(&app, &session, &path).await?;
    Ok(Json(categories::get(&app, &path.2).await?))
}

async fn update_category(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(path): CategoryPath,
    body: RawBody,
) -> ApiResult<Json<SidebarCategory>> {
    let user_id = category_owner(&app, &session, &path).await?;
    let (_, team_id, category_id) = path;
    let mut category = decode_category(body, &user_id, &team_id)?;
    category.id = category_id;
    let mut asked = vec![category];
    categories::keep_member_channels(&app, &user_id, &team_id, &mut asked).await?;
    let mut updated = categories::update(&app, &user_id, &team_id, &asked).await?;
    updated.pop().map(Json).ok_or_else(invalid_category)
}

async fn delete_category(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(path): CategoryPath,
) -> ApiResult<Json<Value>> {
    let user_id = category_owner(&app, &session, &path).await?;
    categories::delete(&app, &user_id, &path.1, &path.2).await?;
    Ok(status_ok())
}

//! `/reactions` and the reaction routes under `/posts` and `/users` (Mattermost's
//! api4/reaction.go).

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, sorted_ids, ApiPath, RawBody, MAX_LIST_SIZE};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::Value;
use std::collections::BTreeMap;
use utmost_app::authorization::has_system_permission;
use utmost_app::reactions;
use utmost_model::permissions;
use utmost_model::reaction::{is_valid_emoji_name, Reaction};
use utmost_model::{AppError, PostId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reactions", post(save_reaction))
        .route("/posts/{post_id}/reactions", get(get_reactions))
        .route(
            "/users/{user_id}/posts/{post_id}/reactions/{emoji_name}",
            delete(delete_reaction),
        )
        .route("/posts/ids/reactions", post(get_bulk_reactions))
}

async fn save_reaction(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Reaction>> {
    let reaction: Reaction = decode(body, || AppError::invalid_param("reaction"))?;
    reactions::check_save(&session, &reaction)?;
    reactions::require_by_post(&app, &session, &reaction.post_id, permissions::ADD_REACTION)
        .await?;
    Ok(Json(reactions::save(&app, reaction).await?))
}

async fn get_reactions(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
) -> ApiResult<Json<Vec<Reaction>>> {
    reactions::require_read_posts(&app, &session, &[post_id.to_string()]).await?;
    Ok(Json(reactions::for_post(&app, &post_id).await?))
}

async fn delete_reaction(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, post_id, emoji_name)): ApiPath<(UserParam, PostId, String)>,
) -> ApiResult<Json<Value>> {
    if !is_valid_emoji_name(&emoji_name) {
        return Err(AppError::invalid_url_param("emoji_name").into());
    }
    let user_id = user_id.resolve(&session);
    reactions::require_by_post(&app, &session, &post_id, permissions::REMOVE_REACTION).await?;
    if user_id != session.user_id
        && !has_system_permission(&app, &session, permissions::REMOVE_OTHERS_REACTIONS)
    {
        return Err(AppError::permission_denied(permissions::REMOVE_OTHERS_REACTIONS).into());
    }
    reactions::delete(&app, &user_id, &post_id, &emoji_name).await?;
    Ok(status_ok())
}

async fn get_bulk_reactions(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<BTreeMap<String, Vec<Reaction>>>> {
    let post_ids = sorted_ids(body)?;
    if post_ids.len() > MAX_LIST_SIZE {
        return Err(AppError::invalid_param("post_ids").into());
    }
    reactions::require_read_posts(&app, &session, &post_ids).await?;
    Ok(Json(reactions::for_posts(&app, &post_ids).await?))
}

//! The post routes beyond create, read and edit (Mattermost's api4/post.go): saved posts,
//! edit history and restoring a version, acknowledgements, reminders, ephemeral posts, and
//! moving a thread.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;
use utmost_app::authorization::{has_system_permission, require_act_on_user, require_channel};
use utmost_app::flagged_posts::{self, FlaggedIn};
use utmost_app::reactions::require_by_post;
use utmost_app::{ephemeral, post_acknowledgements, post_history, post_reminders, posts};
use utmost_model::post::{Post, PostList};
use utmost_model::post_acknowledgement::PostAcknowledgement;
use utmost_model::session::Session;
use utmost_model::{permissions, AppError, PostId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/users/{user_id}/posts/flagged",
            axum::routing::get(get_flagged_posts),
        )
        .route(
            "/posts/{post_id}/edit_history",
            axum::routing::get(get_edit_history),
        )
        .route(
            "/posts/{post_id}/restore/{restore_version_id}",
            post(restore_post_version),
        )
        .route(
            "/users/{user_id}/posts/{post_id}/ack",
            post(acknowledge_post).delete(unacknowledge_post),
        )
        .route(
            "/users/{user_id}/posts/{post_id}/reminder",
            post(set_reminder),
        )
        .route("/posts/ephemeral", post(create_ephemeral_post))
        .route("/posts/{post_id}/move", post(move_thread))
}

async fn get_flagged_posts(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<PostList>> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let field = |name: &str| query.get(name).map_or("", String::as_str);
    let scope = match (field("channel_id"), field("team_id")) {
        ("", "") => FlaggedIn::Anywhere,
        ("", team_id) => FlaggedIn::Team(team_id),
        (channel_id, _) => FlaggedIn::Channel(channel_id),
    };
    let (limit, offset) = paging.limit_offset();
    let list = flagged_posts::flagged_posts(&app, &session, &user_id, scope, limit, offset).await?;
    Ok(Json(list))
}

/// Mattermost answers a missing post like a refusal on the edit routes.
fn edit_denied() -> AppError {
    AppError::permission_denied(permissions::EDIT_POST)
}

async fn get_edit_history(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
) -> ApiResult<Json<Vec<Post>>> {
    let original = posts::get_single(&app, &post_id, false)
        .await
        .map_err(|_| edit_denied())?;
    require_channel(&app, &session, &original.channel_id, permissions::EDIT_POST).await?;
    if session.user_id != original.user_id {
        return Err(edit_denied().into());
    }
    Ok(Json(post_history::edit_history(&app, &post_id).await?))
}

async fn restore_post_version(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((post_id, version_id)): ApiPath<(PostId, String)>,
) -> ApiResult<Json<Post>> {
    let version = posts::get_single(&app, &version_id, true)
        .await
        .map_err(|_| edit_denied())?;
    if session.user_id != version.user_id {
        return Err(edit_denied().into());
    }
    // `postPatchChecks`: the live post, the edit permission, the edit window.
    let original = posts::get_single(&app, &post_id, false)
        .await
        .map_err(|_| edit_denied())?;
    let permission = if session.user_id == original.user_id {
        permissions::EDIT_POST
    } else {
        permissions::EDIT_OTHERS_POSTS
    };
    require_channel(&app, &session, &original.channel_id, permission).await?;
    posts::check_edit_time_limit(&app, &original)?;
    let restored = post_history::restore(&app, &session.user_id, &post_id, version).await?;
    Ok(Json(restored))
}

/// The checks of the acknowledgement and reminder routes: the session acts for the user and
/// may read the post's channel.
async fn may_act_on_post(
    app: &AppState,
    session: &Session,
    user_id: &str,
    post_id: &str,
) -> ApiResult<()> {
    require_act_on_user(app, session, user_id).await?;
    require_by_post(app, session, post_id, permissions::READ_CHANNEL_CONTENT).await?;
    Ok(())
}

async fn acknowledge_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, post_id)): ApiPath<(UserParam, PostId)>,
) -> ApiResult<Json<PostAcknowledgement>> {
    let user_id = user_id.resolve(&session);
    may_act_on_post(&app, &session, &user_id, &post_id).await?;
    Ok(Json(
        post_acknowledgements::save(&app, &post_id, &user_id).await?,
    ))
}

async fn unacknowledge_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, post_id)): ApiPath<(UserParam, PostId)>,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    may_act_on_post(&app, &session, &user_id, &post_id).await?;
    post_acknowledgements::delete(&app, &post_id, &user_id).await?;
    Ok(status_ok())
}

/// `model.PostReminder` as the client sends it.
#[derive(Deserialize)]
struct ReminderBody {
    /// Seconds since the epoch.
    target_time: i64,
}

async fn set_reminder(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, post_id)): ApiPath<(UserParam, PostId)>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let user_id = user_id.resolve(&session);
    may_act_on_post(&app, &session, &user_id, &post_id).await?;
    let reminder: ReminderBody = decode(body, || AppError::invalid_param("target_time"))?;
    post_reminders::set(&app, &post_id, &user_id, reminder.target_time).await?;
    Ok(status_ok())
}

/// `model.PostEphemeral`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct EphemeralBody {
    user_id: String,
    post: Option<Post>,
}

async fn create_ephemeral_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let request: EphemeralBody = decode(body, || AppError::invalid_param("body"))?;
    if request.user_id.is_empty() {
        return Err(AppError::invalid_param("user_id").into());
    }
    let Some(mut post) = request.post else {
        return Err(AppError::invalid_param("post").into());
    };
    post.user_id = session.user_id.clone();
    post.create_at = utmost_model::now_millis();
    if !has_system_permission(&app, &session, permissions::CREATE_POST_EPHEMERAL) {
        return Err(AppError::permission_denied(permissions::CREATE_POST_EPHEMERAL).into());
    }
    let sent = ephemeral::send(&app, &request.user_id, post).await;
    Ok((StatusCode::CREATED, Json(sent)))
}

/// Moving a thread is an experiment Mattermost keeps behind the `MoveThreadsEnabled` feature
/// flag (and a licence); with the flag off, as by default, it answers this 501.
async fn move_thread(Auth(_session): Auth, ApiPath(_post_id): ApiPath<PostId>) -> ApiResult<()> {
    Err(AppError::new(
        501,
        "api.post.move_thread.disabled.app_error",
        "Moving threads is disabled.",
    )
    .into())
}

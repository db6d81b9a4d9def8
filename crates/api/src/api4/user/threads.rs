//! `/users/{user_id}/teams/{team_id}/threads…`: collapsed reply threads of one user
//! (Mattermost's api4/user.go). Every route is the user's own, or needs `edit_other_users`.

use crate::api4::status_ok;
use crate::auth::Auth;
use crate::extract::{query_flag, ApiPath, ApiQuery, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::Value;
use std::collections::HashMap;
use utmost_app::authorization::{require_act_on_user, require_team};
use utmost_app::reactions::require_by_post;
use utmost_app::threads::{self, ThreadQuery};
use utmost_model::permissions::{READ_CHANNEL, VIEW_TEAM};
use utmost_model::session::Session;
use utmost_model::thread::{ThreadResponse, Threads};
use utmost_model::{AppError, PostId, TeamId, UserId, UserParam};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{user_id}/teams/{team_id}/threads", get(list))
        .route(
            "/users/{user_id}/teams/{team_id}/threads/read",
            put(read_all),
        )
        .route(
            "/users/{user_id}/teams/{team_id}/threads/{thread_id}",
            get(get_one),
        )
        .route(
            "/users/{user_id}/teams/{team_id}/threads/{thread_id}/following",
            put(follow).delete(unfollow),
        )
        .route(
            "/users/{user_id}/teams/{team_id}/threads/{thread_id}/read/{timestamp}",
            put(read),
        )
        .route(
            "/users/{user_id}/teams/{team_id}/threads/{thread_id}/set_unread/{post_id}",
            post(set_unread),
        )
}

/// The user the path names (`me` resolved), once the session may act for them.
async fn acting_for(app: &AppState, session: &Session, user_id: UserParam) -> ApiResult<UserId> {
    let user_id = user_id.resolve(session);
    require_act_on_user(app, session, &user_id).await?;
    Ok(user_id)
}

/// `GetUserThreadsOpts` from the query: `since` must be a non-negative integer, `per_page`
/// is read leniently (default 60, at most 200), flags as `strconv.ParseBool`.
fn thread_query(params: &HashMap<String, String>) -> ApiResult<ThreadQuery> {
    let raw = |name: &str| params.get(name).map_or("", String::as_str);
    let since = match raw("since") {
        "" => 0,
        s => s
            .parse::<u64>()
            .ok()
            .and_then(|v| i64::try_from(v).ok())
            .ok_or_else(|| ApiError(AppError::invalid_param("since")))?,
    };
    let per_page = raw("per_page")
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map_or(DEFAULT_PER_PAGE, |n| n.min(MAX_PER_PAGE));
    Ok(ThreadQuery {
        since,
        before: raw("before").to_string(),
        after: raw("after").to_string(),
        per_page,
        unread: query_flag(raw("unread")),
        deleted: query_flag(raw("deleted")),
        extended: query_flag(raw("extended")),
        totals_only: query_flag(raw("totalsOnly")),
        threads_only: query_flag(raw("threadsOnly")),
        exclude_direct: query_flag(raw("excludeDirect")),
    })
}

async fn list(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id)): ApiPath<(UserParam, TeamId)>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Threads>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    require_team(&app, &session, &team_id, VIEW_TEAM).await?;
    let query = thread_query(&params)?;
    Ok(Json(
        threads::for_user(&app, &user_id, &team_id, &query).await?,
    ))
}

async fn get_one(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, _team_id, thread_id)): ApiPath<(UserParam, TeamId, PostId)>,
    ApiQuery(params): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<ThreadResponse>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    let extended = query_flag(params.get("extended").map_or("", String::as_str));
    Ok(Json(
        threads::get_for_user(&app, &user_id, &thread_id, extended).await?,
    ))
}

/// Following or unfollowing needs read access to the thread's channel.
async fn set_following(
    app: AppState,
    session: Session,
    (user_id, team_id, thread_id): (UserParam, TeamId, PostId),
    following: bool,
) -> ApiResult<Json<Value>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    require_by_post(&app, &session, &thread_id, READ_CHANNEL).await?;
    threads::set_following(&app, &user_id, &team_id, &thread_id, following).await?;
    Ok(status_ok())
}

async fn follow(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(path): ApiPath<(UserParam, TeamId, PostId)>,
) -> ApiResult<Json<Value>> {
    set_following(app, session, path, true).await
}

async fn unfollow(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(path): ApiPath<(UserParam, TeamId, PostId)>,
) -> ApiResult<Json<Value>> {
    set_following(app, session, path, false).await
}

async fn read(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id, thread_id, timestamp)): ApiPath<(UserParam, TeamId, PostId, i64)>,
) -> ApiResult<Json<ThreadResponse>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    if timestamp < 0 {
        return Err(AppError::invalid_url_param("timestamp").into());
    }
    Ok(Json(
        threads::mark_read(&app, &user_id, &team_id, &thread_id, timestamp).await?,
    ))
}

async fn set_unread(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id, thread_id, post_id)): ApiPath<(UserParam, TeamId, PostId, PostId)>,
) -> ApiResult<Json<ThreadResponse>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    require_by_post(&app, &session, &thread_id, READ_CHANNEL).await?;
    Ok(Json(
        threads::set_unread_from_post(&app, &user_id, &team_id, &thread_id, &post_id).await?,
    ))
}

async fn read_all(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, team_id)): ApiPath<(UserParam, TeamId)>,
) -> ApiResult<Json<Value>> {
    let user_id = acting_for(&app, &session, user_id).await?;
    threads::mark_all_read(&app, &user_id, &team_id).await?;
    Ok(status_ok())
}

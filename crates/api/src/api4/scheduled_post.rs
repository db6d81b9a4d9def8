//! `/posts/schedule` and `/posts/scheduled` (Mattermost's api4/scheduled_post.go). A
//! scheduled post is always the caller's own. As in Mattermost, the writes answer 201.

use crate::auth::Auth;
use crate::extract::{decode, query_flag, ApiPath, ApiQuery, ConnectionId, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use std::collections::{BTreeMap, HashMap};
use utmost_app::authorization::{require_channel, require_team};
use utmost_app::scheduled_posts;
use utmost_model::draft::ScheduledPost;
use utmost_model::{permissions, AppError, PostId, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/schedule", post(create_scheduled_post))
        .route(
            "/posts/schedule/{scheduled_post_id}",
            put(update_scheduled_post).delete(delete_scheduled_post),
        )
        .route(
            "/posts/scheduled/team/{team_id}",
            get(get_team_scheduled_posts),
        )
}

/// Mattermost's `SetInvalidParamWithErr("schedule_post", …)`.
fn body_param() -> AppError {
    AppError::invalid_param("schedule_post")
}

type Created = (StatusCode, Json<ScheduledPost>);

async fn create_scheduled_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    body: RawBody,
) -> ApiResult<Created> {
    scheduled_posts::require_enabled(&app)?;
    let mut scheduled: ScheduledPost = decode(body, body_param)?;
    scheduled.draft.user_id = session.user_id.clone();
    scheduled_posts::check_create(&app, &session, &scheduled).await?;
    let saved = scheduled_posts::save(&app, scheduled, &connection_id).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `{"<team_id>": [...]}`, with `"directChannels": [...]` when `includeDirectChannels=true`.
async fn get_team_scheduled_posts(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<BTreeMap<String, Vec<ScheduledPost>>>> {
    scheduled_posts::require_enabled(&app)?;
    require_team(&app, &session, &team_id, permissions::VIEW_TEAM).await?;
    let user_id = &session.user_id;
    let mut lists = BTreeMap::new();
    lists.insert(
        team_id.to_string(),
        scheduled_posts::for_user(&app, user_id, &team_id).await?,
    );
    if query_flag(
        query
            .get("includeDirectChannels")
            .map_or("", String::as_str),
    ) {
        lists.insert(
            "directChannels".to_string(),
            scheduled_posts::for_user(&app, user_id, "").await?,
        );
    }
    Ok(Json(lists))
}

async fn update_scheduled_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath(id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Created> {
    scheduled_posts::require_enabled(&app)?;
    let scheduled: ScheduledPost = decode(body, body_param)?;
    if scheduled.id != *id {
        return Err(AppError::invalid_url_param("scheduled_post_id").into());
    }
    let existing = scheduled_posts::get_own(&app, &session.user_id, &id, true).await?;
    // Files the post did not have need `upload_file`; then the checks of a new post, in the
    // channel it stays in.
    let channel_id = &existing.draft.channel_id;
    if scheduled
        .draft
        .file_ids
        .iter()
        .any(|f| !existing.draft.file_ids.contains(f))
    {
        require_channel(&app, &session, channel_id, permissions::UPLOAD_FILE).await?;
    }
    let mut checked = scheduled.clone();
    checked.draft.channel_id = channel_id.clone();
    checked.draft.root_id = existing.draft.root_id.clone();
    checked.draft.file_ids.clear();
    scheduled_posts::check_create(&app, &session, &checked).await?;
    let updated = scheduled_posts::update(&app, existing, scheduled, &connection_id).await?;
    Ok((StatusCode::CREATED, Json(updated)))
}

async fn delete_scheduled_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath(id): ApiPath<PostId>,
) -> ApiResult<Created> {
    scheduled_posts::require_enabled(&app)?;
    let existing = scheduled_posts::get_own(&app, &session.user_id, &id, false).await?;
    let deleted = scheduled_posts::delete(&app, existing, &connection_id).await?;
    Ok((StatusCode::CREATED, Json(deleted)))
}

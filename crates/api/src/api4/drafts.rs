//! `/drafts` and the draft routes under `/users` (Mattermost's api4/drafts.go).
//!
//! As in Mattermost, a draft is always the caller's own: the `{user_id}` of the paths must be
//! a well-formed id (or `me`) but is not read, so naming another user lists or deletes the
//! caller's drafts, never theirs.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ConnectionId, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::has_team_permission;
use utmost_app::drafts;
use utmost_model::draft::Draft;
use utmost_model::{permissions, AppError, ChannelId, TeamId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/drafts", post(upsert_draft))
        .route("/users/{user_id}/teams/{team_id}/drafts", get(get_drafts))
        .route(
            "/users/{user_id}/channels/{channel_id}/drafts",
            delete(delete_channel_draft),
        )
        .route(
            "/users/{user_id}/channels/{channel_id}/drafts/{thread_id}",
            delete(delete_thread_draft),
        )
}

/// 201 with the saved draft, or `null` when an empty message deleted it.
async fn upsert_draft(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Option<Draft>>)> {
    drafts::require_enabled(&app)?;
    let mut draft: Draft = decode(body, || AppError::invalid_param("draft"))?;
    draft.delete_at = 0;
    draft.user_id = session.user_id.clone();
    drafts::check_save(&app, &session, &draft.channel_id).await?;
    let saved = drafts::upsert(&app, draft, &connection_id).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Refused without `view_team`; the refusal names `create_post`, as Mattermost's does.
async fn get_drafts(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((_user, team_id)): ApiPath<(UserParam, TeamId)>,
) -> ApiResult<Json<Vec<Draft>>> {
    drafts::require_enabled(&app)?;
    if !has_team_permission(&app, &session, &team_id, permissions::VIEW_TEAM).await? {
        return Err(AppError::permission_denied(permissions::CREATE_POST).into());
    }
    Ok(Json(
        drafts::for_user(&app, &session.user_id, &team_id).await?,
    ))
}

async fn delete_channel_draft(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath((_user, channel_id)): ApiPath<(UserParam, ChannelId)>,
) -> ApiResult<Json<Value>> {
    drafts::require_enabled(&app)?;
    drafts::delete(&app, &session.user_id, &channel_id, "", &connection_id).await?;
    Ok(status_ok())
}

/// `{thread_id}` is any run of letters and digits, as Mattermost's route pattern.
async fn delete_thread_draft(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath((_user, channel_id, thread_id)): ApiPath<(UserParam, ChannelId, String)>,
) -> ApiResult<Json<Value>> {
    if thread_id.is_empty() || !thread_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AppError::invalid_url_param("thread_id").into());
    }
    drafts::require_enabled(&app)?;
    drafts::delete(
        &app,
        &session.user_id,
        &channel_id,
        &thread_id,
        &connection_id,
    )
    .await?;
    Ok(status_ok())
}

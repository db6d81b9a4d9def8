//! `/channels/{channel_id}/bookmarks` (Mattermost's api4/channel_bookmark.go).

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, ConnectionId, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use std::collections::HashMap;
use utmost_app::channel_bookmarks as bookmarks;
use utmost_app::errors::BookmarkOp;
use utmost_model::channel_bookmark::{
    ChannelBookmark, ChannelBookmarkPatch, UpdateChannelBookmarkResponse,
};
use utmost_model::{AppError, ChannelId, PostId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/channels/{channel_id}/bookmarks",
            get(list_bookmarks).post(create_bookmark),
        )
        .route(
            "/channels/{channel_id}/bookmarks/{bookmark_id}",
            patch(update_bookmark).delete(delete_bookmark),
        )
        .route(
            "/channels/{channel_id}/bookmarks/{bookmark_id}/sort_order",
            post(sort_bookmark),
        )
}

/// `bookmarks_since` (ms) as Mattermost's params read it: anything unparsable is 0.
async fn list_bookmarks(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Json<Vec<ChannelBookmark>>> {
    let since = query
        .get("bookmarks_since")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    Ok(Json(
        bookmarks::list(&app, &session, &channel_id, since).await?,
    ))
}

async fn create_bookmark(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath(channel_id): ApiPath<ChannelId>,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<ChannelBookmark>)> {
    let bookmark: Option<ChannelBookmark> =
        decode(body, || AppError::invalid_param("channelBookmark"))?;
    let bookmark = bookmark.ok_or_else(|| AppError::invalid_param("channelBookmark"))?;
    bookmarks::require_manage(&app, &session, &channel_id, BookmarkOp::Create).await?;
    let created = bookmarks::create(
        &app,
        &session.user_id,
        &channel_id,
        bookmark,
        &connection_id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// `{bookmark_id}` is a well-formed id (the `PostId` newtype checks the shape only).
async fn update_bookmark(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath((channel_id, bookmark_id)): ApiPath<(ChannelId, PostId)>,
    body: RawBody,
) -> ApiResult<Json<UpdateChannelBookmarkResponse>> {
    let patch: Option<ChannelBookmarkPatch> =
        decode(body, || AppError::invalid_param("channelBookmarkPatch"))?;
    let patch = patch.ok_or_else(|| AppError::invalid_param("channelBookmarkPatch"))?;
    bookmarks::require_manage(&app, &session, &channel_id, BookmarkOp::Update).await?;
    let response = bookmarks::update(
        &app,
        &session.user_id,
        &channel_id,
        &bookmark_id,
        &patch,
        &connection_id,
    )
    .await?;
    Ok(Json(response))
}

/// The body is the new position, a JSON number from 0.
async fn sort_bookmark(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath((channel_id, bookmark_id)): ApiPath<(ChannelId, PostId)>,
    body: RawBody,
) -> ApiResult<Json<Vec<ChannelBookmark>>> {
    let bad = || AppError::invalid_param("channelBookmarkSortOrder");
    let index: i64 = decode(body, bad)?;
    if index < 0 {
        return Err(bad().into());
    }
    bookmarks::require_manage(&app, &session, &channel_id, BookmarkOp::Sort).await?;
    Ok(Json(
        bookmarks::sort(&app, &channel_id, &bookmark_id, index, &connection_id).await?,
    ))
}

async fn delete_bookmark(
    State(app): State<AppState>,
    Auth(session): Auth,
    ConnectionId(connection_id): ConnectionId,
    ApiPath((channel_id, bookmark_id)): ApiPath<(ChannelId, PostId)>,
) -> ApiResult<Json<ChannelBookmark>> {
    bookmarks::require_manage(&app, &session, &channel_id, BookmarkOp::Delete).await?;
    Ok(Json(
        bookmarks::delete(&app, &channel_id, &bookmark_id, &connection_id).await?,
    ))
}

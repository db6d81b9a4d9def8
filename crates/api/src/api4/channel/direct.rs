//! `POST /channels/direct` and `POST /channels/group`.

use crate::auth::Auth;
use crate::extract::{decode, payload_error, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use utmost_app::authorization::{has_system_permission, require, require_system};
use utmost_app::channels as app_channels;
use utmost_model::channel::Channel;
use utmost_model::{is_valid_id, permissions as perm, AppError};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/channels/direct", post(create_direct))
        .route("/channels/group", post(create_group))
}

/// A JSON array of user ids without duplicates, in the order given (`NonSortedArrayFromJSON`).
fn distinct_ids(body: RawBody) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = decode(body, payload_error)?;
    let mut distinct: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    Ok(distinct)
}

fn check_ids(ids: &[String]) -> ApiResult<()> {
    if ids.iter().all(|id| is_valid_id(id)) {
        Ok(())
    } else {
        Err(ApiError(AppError::invalid_param("user_id")))
    }
}

async fn create_direct(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let mut ids = distinct_ids(body)?;
    // A DM with yourself lists your id once (duplicates were dropped above).
    if ids.len() == 1 && ids[0] == session.user_id {
        ids.push(session.user_id.clone());
    }
    if ids.len() != 2 {
        return Err(ApiError(AppError::invalid_param("user_ids")));
    }
    check_ids(&ids)?;
    require_system(&app, &session, perm::CREATE_DIRECT_CHANNEL)?;
    let includes_caller = ids.contains(&session.user_id);
    require(
        includes_caller || has_system_permission(&app, &session, perm::MANAGE_SYSTEM),
        perm::MANAGE_SYSTEM,
    )?;
    let channel = app_channels::get_or_create_direct(&app, &session, &ids[0], &ids[1]).await?;
    Ok((StatusCode::CREATED, Json(channel)))
}

async fn create_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Channel>)> {
    let mut ids = distinct_ids(body)?;
    ids.sort_unstable();
    if ids.is_empty() {
        return Err(ApiError(AppError::invalid_param("user_ids")));
    }
    check_ids(&ids)?;
    if !ids.contains(&session.user_id) {
        ids.push(session.user_id.clone());
    }
    require_system(&app, &session, perm::CREATE_GROUP_CHANNEL)?;
    let channel = app_channels::get_or_create_group(&app, &ids).await?;
    Ok((StatusCode::CREATED, Json(channel)))
}

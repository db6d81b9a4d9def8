//! Interactive messages and dialogs (Mattermost's api4/integration_action.go): a click on a
//! post's button or menu, and an integration's dialogs. The work is in `app::interactive`.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::has_team_permission;
use utmost_app::interactive::{actions, cookie, dialogs};
use utmost_app::posts;
use utmost_model::integration_action::{
    DoPostActionRequest, OpenDialogRequest, PostActionApiResponse, PostActionCookie,
    SubmitDialogRequest, SubmitDialogResponse,
};
use utmost_model::session::Session;
use utmost_model::{permissions, AppError, PostId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts/{post_id}/actions/{action_id}", post(do_post_action))
        .route("/actions/dialogs/open", post(open_dialog))
        .route("/actions/dialogs/submit", post(submit_dialog))
}

fn read_denied() -> AppError {
    AppError::permission_denied(permissions::READ_CHANNEL_CONTENT)
}

/// 403 unless the session may read the channel (404 when there is none).
async fn require_read_channel(
    app: &AppState,
    session: &Session,
    channel_id: &str,
) -> ApiResult<()> {
    let channel = posts::get_channel(app, channel_id).await?;
    posts::require_read_channel(app, session, &channel).await?;
    Ok(())
}

async fn do_post_action(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((post_id, action_id)): ApiPath<(PostId, String)>,
    body: RawBody,
) -> ApiResult<Json<PostActionApiResponse>> {
    // Mattermost's route takes `[A-Za-z0-9_-]+`; anything else is no route.
    if action_id.is_empty()
        || !action_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(AppError::not_found(
            "api.context.404.app_error",
            "Sorry, we could not find the page.",
        )
        .into());
    }
    // An empty body is an old client's click without options.
    let empty = body
        .as_ref()
        .is_ok_and(|b| b.iter().all(u8::is_ascii_whitespace));
    let request: DoPostActionRequest = if empty {
        DoPostActionRequest::default()
    } else {
        decode(body, || AppError::invalid_param("action_request"))?
    };
    // An ephemeral post's click carries its action sealed; the permission is the cookie's
    // channel's. Otherwise it is the stored post's (a missing post is refused alike).
    let cookie: Option<PostActionCookie> = if request.cookie.is_empty() {
        if !actions::may_read_post(&app, &session, &post_id).await? {
            return Err(read_denied().into());
        }
        None
    } else {
        let opened = cookie::decrypt(&app, &request.cookie).await?;
        if opened.post_id != *post_id {
            return Err(read_denied().into());
        }
        require_read_channel(&app, &session, &opened.channel_id).await?;
        Some(opened)
    };
    let click = actions::Click {
        post_id: &post_id,
        action_id: &action_id,
        user_id: &session.user_id,
        selected_option: &request.selected_option,
        cookie,
    };
    Ok(Json(actions::do_post_action(&app, click).await?))
}

/// No session: the integration calls this with the trigger id it was sent, which proves the
/// user's click and names them.
async fn open_dialog(State(app): State<AppState>, body: RawBody) -> ApiResult<Json<Value>> {
    let request: OpenDialogRequest = decode(body, || AppError::invalid_param("dialog"))?;
    if request.url.is_empty() {
        return Err(AppError::invalid_param("url").into());
    }
    dialogs::open(&app, request).await?;
    Ok(status_ok())
}

async fn submit_dialog(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<SubmitDialogResponse>> {
    let mut request: SubmitDialogRequest = decode(body, || AppError::invalid_param("dialog"))?;
    if request.url.is_empty() {
        return Err(AppError::invalid_param("url").into());
    }
    request.user_id = session.user_id.clone();
    require_read_channel(&app, &session, &request.channel_id).await?;
    if !has_team_permission(&app, &session, &request.team_id, permissions::VIEW_TEAM).await? {
        return Err(AppError::permission_denied(permissions::VIEW_TEAM).into());
    }
    Ok(Json(dialogs::submit(&app, request).await?))
}

//! `POST /users/{user_id}/posts/{post_id}/set_unread` (Mattermost's api4/post.go).

use crate::auth::Auth;
use crate::extract::ApiPath;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use utmost_app::unreads::{self, ChannelUnreadAt};
use utmost_model::permissions::READ_CHANNEL;
use utmost_model::{PostId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/users/{user_id}/posts/{post_id}/set_unread",
        post(set_unread),
    )
}

async fn set_unread(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath((user_id, post_id)): ApiPath<(UserParam, PostId)>,
) -> ApiResult<Json<ChannelUnreadAt>> {
    let user_id = user_id.resolve(&session);
    utmost_app::authorization::require_act_on_user(&app, &session, &user_id).await?;
    let post = utmost_app::posts::get_single(&app, &post_id, false).await?;
    utmost_app::authorization::require_channel(&app, &session, &post.channel_id, READ_CHANNEL)
        .await?;
    Ok(Json(
        unreads::set_unread_from_post(&app, &user_id, &post_id).await?,
    ))
}

//! `/posts` and the post listings under `/channels` and `/users` (Mattermost's
//! api4/post.go, plus `getPinnedPosts` of api4/channel.go).

use super::status_ok;
use crate::auth::Auth;
use crate::etag::{etagged, not_modified, with_etag};
use crate::extract::{decode, query_flag, sorted_ids, ApiPath, ApiQuery, RawBody};
use crate::{ApiError, ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use utmost_app::authorization::{is_system_admin, require_act_on_user, require_channel};
use utmost_app::posts::{self, ChannelPostsQuery, PostUpdate, ThreadPage, ThreadQuery};
use utmost_app::AppResult;
use utmost_model::permissions;
use utmost_model::post::{Post, PostPatch};
use utmost_model::session::Session;
use utmost_model::{AppError, MATTERMOST_VERSION};
use utmost_model::{ChannelId, PostId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/posts", post(create_post))
        .route("/posts/ids", post(get_posts_by_ids))
        .route(
            "/posts/{post_id}",
            get(get_post).put(update_post).delete(delete_post),
        )
        .route("/posts/{post_id}/patch", axum::routing::put(patch_post))
        .route("/posts/{post_id}/thread", get(get_post_thread))
        .route("/posts/{post_id}/pin", post(pin_post))
        .route("/posts/{post_id}/unpin", post(unpin_post))
        .route("/channels/{channel_id}/posts", get(get_posts_for_channel))
        .route("/channels/{channel_id}/pinned", get(get_pinned_posts))
        .route(
            "/users/{user_id}/channels/{channel_id}/posts/unread",
            get(get_posts_around_last_unread),
        )
}

/// Query parameters read the way Mattermost's handlers read them.
struct Params(HashMap<String, String>);

impl Params {
    fn raw(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// `strconv.ParseBool` truth.
    fn flag(&self, name: &str) -> bool {
        query_flag(self.raw(name))
    }

    /// An optional integer; a malformed one is 400 `invalid_param`.
    fn int(&self, name: &str) -> ApiResult<i64> {
        match self.raw(name) {
            "" => Ok(0),
            raw => raw
                .parse()
                .map_err(|_| ApiError(AppError::invalid_param(name))),
        }
    }

    /// `web/params.go`: malformed or negative means the default; capped at 200.
    fn lenient(&self, name: &str, default: i64) -> i64 {
        match self.raw(name).parse::<i64>() {
            Ok(v) if v >= 0 => v.min(crate::extract::MAX_PER_PAGE),
            _ => default,
        }
    }

    /// An optional post id cursor; a malformed one is 400 `invalid_param`.
    fn post_id(&self, name: &str) -> ApiResult<String> {
        let raw = self.raw(name);
        if raw.is_empty() || utmost_model::is_valid_id(raw) {
            Ok(raw.to_string())
        } else {
            Err(ApiError(AppError::invalid_param(name)))
        }
    }
}

const PER_PAGE_DEFAULT: i64 = 60;

/// Mattermost's `SetInvalidParamWithErr("post", …)` for a body that is not a post.
fn post_param() -> AppError {
    AppError::invalid_param("post")
}

async fn create_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Post>)> {
    let mut post: Post = decode(body, post_param)?;
    post.user_id = session.user_id.clone();
    if post.create_at != 0 && !is_system_admin(&app, &session) {
        post.create_at = 0;
    }
    posts::check_create(&app, &session, &post).await?;
    let created = posts::create_as_user(&app, &session, post).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn get_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(post_id): ApiPath<PostId>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let include_deleted = Params(query).flag("include_deleted");
    if include_deleted && !is_system_admin(&app, &session) {
        return Err(AppError::permission_denied(permissions::MANAGE_SYSTEM).into());
    }
    let post = posts::get_if_authorized(&app, &session, &post_id, include_deleted).await?;
    let post = utmost_app::reactions::prepare_post(&app, post).await?;
    let etag = post.etag(MATTERMOST_VERSION);
    Ok(etagged(&headers, &etag, post))
}

async fn get_posts_by_ids(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<Post>>> {
    let ids = sorted_ids(body)?;
    if ids.is_empty() {
        return Err(AppError::invalid_param("post_ids").into());
    }
    if ids.len() > 1000 {
        return Err(AppError::bad_request(
            "api.post.posts_by_ids.invalid_body.request_error",
            "The number of posts requested exceeds the limit of 1000.",
        )
        .into());
    }
    Ok(Json(posts::get_by_ids(&app, &session, &ids).await?))
}

/// `getSinglePost` for an edit: a missing post is reported as a permission failure.
async fn post_to_edit(app: &AppState, post_id: &str) -> ApiResult<Post> {
    posts::get_single(app, post_id, false)
        .await
        .map_err(|_| AppError::permission_denied(permissions::EDIT_POST).into())
}

/// `upload_file` when an edit attaches files the post did not have.
async fn check_new_files(
    app: &AppState,
    session: &Session,
    original: &Post,
    file_ids: &[String],
) -> ApiResult<()> {
    if file_ids.iter().any(|id| !original.file_ids.contains(id)) {
        require_channel(app, session, &original.channel_id, permissions::UPLOAD_FILE).await?;
    }
    Ok(())
}

async fn update_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Post>> {
    let body: Value = decode(body, post_param)?;
    let keeps = |key: &str| body.get(key).is_none_or(Value::is_null);
    let (keep_files, keep_props) = (keeps("file_ids"), keeps("props"));
    let input: Post = serde_json::from_value(body)
        .map_err(|e| ApiError(post_param().with_detail(e.to_string())))?;
    if input.id != post_id {
        return Err(AppError::invalid_param("id").into());
    }
    let original = post_to_edit(&app, &post_id).await?;
    require_channel(&app, &session, &original.channel_id, permissions::EDIT_POST).await?;
    let file_ids = (!keep_files).then_some(input.file_ids);
    if let Some(ids) = &file_ids {
        check_new_files(&app, &session, &original, ids).await?;
    }
    if session.user_id != original.user_id {
        require_channel(
            &app,
            &session,
            &original.channel_id,
            permissions::EDIT_OTHERS_POSTS,
        )
        .await?;
    }
    if input.message != original.message {
        posts::check_edit_time_limit(&app, &original)?;
    }
    let update = PostUpdate {
        message: input.message,
        is_pinned: input.is_pinned,
        has_reactions: input.has_reactions,
        file_ids,
        props: (!keep_props).then_some(input.props),
    };
    Ok(Json(posts::update(&app, &post_id, update).await?))
}

async fn patch_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Post>> {
    let patch: PostPatch = decode(body, post_param)?;
    let original = post_to_edit(&app, &post_id).await?;
    let permission = if session.user_id == original.user_id {
        permissions::EDIT_POST
    } else {
        permissions::EDIT_OTHERS_POSTS
    };
    require_channel(&app, &session, &original.channel_id, permission).await?;
    if patch.message.is_some() {
        posts::check_edit_time_limit(&app, &original)?;
    }
    if let Some(ids) = &patch.file_ids {
        check_new_files(&app, &session, &original, ids).await?;
    }
    Ok(Json(posts::patch(&app, &post_id, patch).await?))
}

async fn delete_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
) -> ApiResult<Json<Value>> {
    let post = posts::get_single(&app, &post_id, false).await?;
    let permission = if session.user_id == post.user_id {
        permissions::DELETE_POST
    } else {
        permissions::DELETE_OTHERS_POSTS
    };
    require_channel(&app, &session, &post.channel_id, permission).await?;
    posts::delete(&app, &post_id, &session.user_id).await?;
    Ok(status_ok())
}

async fn get_post_thread(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(post_id): ApiPath<PostId>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let params = Params(query);
    let per_page = params.int("perPage")?;
    if per_page > crate::extract::MAX_PER_PAGE {
        return Err(AppError::invalid_param("perPage").into());
    }
    let from_create_at = params.int("fromCreateAt")?;
    let from_post = params.raw("fromPost").to_string();
    if !from_post.is_empty() && from_create_at == 0 {
        return Err(AppError::invalid_param(
            "if fromPost is set, then fromCreateAt must also be set",
        )
        .into());
    }
    let direction = match params.raw("direction") {
        "" => None,
        raw => Some(posts::direction(raw).ok_or_else(|| AppError::invalid_param("direction"))?),
    };
    let query = ThreadQuery {
        page: ThreadPage {
            per_page: per_page.max(0),
            direction,
            from_create_at,
            from_post,
        },
        skip_fetch_threads: params.raw("skipFetchThreads") == "true",
        collapsed_threads: params.raw("collapsedThreads") == "true",
    };
    let list = posts::thread(&app, &post_id, &query).await?;
    posts::get_if_authorized(&app, &session, &post_id, false).await?;
    let etag = list.etag(MATTERMOST_VERSION);
    Ok(etagged(&headers, &etag, list))
}

async fn pin_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
) -> ApiResult<Json<Value>> {
    set_pinned(app, session, post_id, true).await
}

async fn unpin_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
) -> ApiResult<Json<Value>> {
    set_pinned(app, session, post_id, false).await
}

async fn set_pinned(
    app: AppState,
    session: Session,
    post_id: PostId,
    pinned: bool,
) -> ApiResult<Json<Value>> {
    posts::set_pinned(&app, &session, &post_id, pinned).await?;
    Ok(status_ok())
}

/// The channel of a listing, readable by the session (404, then 403 as Mattermost).
async fn readable_channel(
    app: &AppState,
    session: &Session,
    channel_id: &ChannelId,
) -> ApiResult<utmost_model::channel::Channel> {
    let channel = posts::get_channel(app, channel_id).await?;
    posts::require_read_channel(app, session, &channel).await?;
    Ok(channel)
}

async fn get_posts_for_channel(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(channel_id): ApiPath<ChannelId>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let params = Params(query);
    let query = ChannelPostsQuery {
        after: params.post_id("after")?,
        before: params.post_id("before")?,
        since: params.int("since")?,
        page: params.lenient("page", 0),
        per_page: params.lenient("per_page", PER_PAGE_DEFAULT),
        include_deleted: params.flag("include_deleted"),
        skip_fetch_threads: params.flag("skipFetchThreads"),
        collapsed_threads: params.flag("collapsedThreads"),
    };
    if query.include_deleted && !is_system_admin(&app, &session) {
        return Err(AppError::permission_denied(permissions::READ_DELETED_POSTS).into());
    }
    let channel = readable_channel(&app, &session, &channel_id).await?;
    if channel.delete_at != 0
        && !app
            .config()
            .team_settings
            .experimental_view_archived_channels
    {
        return Err(AppError::forbidden(
            "api.user.view_archived_channels.get_posts_for_channel.app_error",
            "Cannot view posts of an archived channel.",
        )
        .into());
    }
    if query.since > 0 {
        let list = posts::channel_posts(&app, &session.user_id, &channel_id, &query).await?;
        return Ok(Json(list).into_response());
    }
    let list = posts::channel_posts(&app, &session.user_id, &channel_id, &query);
    under_channel_etag(&app, &headers, &channel_id, query.collapsed_threads, list).await
}

async fn get_pinned_posts(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Response> {
    let channel = readable_channel(&app, &session, &channel_id).await?;
    let list = posts::pinned(&app, &channel.id).await?;
    let etag = list.etag(MATTERMOST_VERSION);
    Ok(etagged(&headers, &etag, list))
}

async fn get_posts_around_last_unread(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath((user_id, channel_id)): ApiPath<(UserParam, ChannelId)>,
    ApiQuery(query): ApiQuery<HashMap<String, String>>,
) -> ApiResult<Response> {
    let user_id = user_id.resolve(&session);
    require_act_on_user(&app, &session, &user_id).await?;
    let channel = readable_channel(&app, &session, &channel_id).await?;
    let params = Params(query);
    let limit_before = params.lenient("limit_before", PER_PAGE_DEFAULT);
    let limit_after = params.lenient("limit_after", PER_PAGE_DEFAULT);
    if limit_after == 0 {
        return Err(AppError::invalid_url_param("limit_after").into());
    }
    let thread_query = ThreadQuery {
        skip_fetch_threads: params.raw("skipFetchThreads") == "true",
        collapsed_threads: params.raw("collapsedThreads") == "true",
        ..ThreadQuery::default()
    };
    let list = posts::around_last_unread(
        &app,
        &channel.id,
        &user_id,
        limit_before,
        limit_after,
        &thread_query,
    )
    .await?;
    if !list.order.is_empty() {
        return Ok(Json(list).into_response());
    }
    let list = posts::newest_page(
        &app,
        &session.user_id,
        &channel.id,
        limit_before,
        &thread_query,
    );
    under_channel_etag(
        &app,
        &headers,
        &channel.id,
        thread_query.collapsed_threads,
        list,
    )
    .await
}

/// A channel's posts under the channel's ETag: a client that has them gets 304 and `list`
/// is never read.
async fn under_channel_etag<T: Serialize>(
    app: &AppState,
    headers: &HeaderMap,
    channel_id: &str,
    collapsed_threads: bool,
    list: impl Future<Output = AppResult<T>>,
) -> ApiResult<Response> {
    let etag = posts::channel_etag(app, channel_id, collapsed_threads).await?;
    if let Some(response) = not_modified(headers, &etag) {
        return Ok(response);
    }
    Ok(with_etag(Json(list.await?).into_response(), &etag))
}

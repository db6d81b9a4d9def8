//! Searches across teams: `POST /channels/search` (every team's channels, for the system
//! console), `POST /channels/group/search` (the caller's group messages) and
//! `GET /teams/{team_id}/channels/search_autocomplete` (the caller's channels, for the search
//! box).

use crate::auth::Auth;
use crate::extract::{decode, query_flag, ApiPath, ApiQuery, RawBody, MAX_PER_PAGE};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::require_system;
use utmost_app::channels::{self as app_channels, AllChannelsSearch};
use utmost_model::channel::Channel;
use utmost_model::{permissions as perm, AppError, TeamId};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/channels/search", post(search_all_channels))
        .route("/channels/group/search", post(search_group_channels))
        .route(
            "/teams/{team_id}/channels/search_autocomplete",
            get(autocomplete_for_search),
        )
}

/// `model.ChannelSearch`, the fields these routes read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChannelSearch {
    term: String,
    team_ids: Vec<String>,
    public: bool,
    private: bool,
    exclude_default_channels: bool,
    include_deleted: bool,
    deleted: bool,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchAllQuery {
    include_deleted: String,
    system_console: String,
}

fn decode_search(body: RawBody) -> ApiResult<ChannelSearch> {
    decode(body, || AppError::invalid_param("channel_search"))
}

/// Every team's public and private channels matching the term, for those who may read the
/// system console's channels: `{channels, total_count}` when the body names a page, else the
/// list (at most `MAX_PER_PAGE`). With `system_console=false`, the caller's own channels of
/// every team instead, for anyone.
async fn search_all_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<SearchAllQuery>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let search = decode_search(body)?;
    let from_console = match q.system_console.as_str() {
        "" => true,
        flag if ["0", "f", "F", "false", "FALSE", "False"].contains(&flag) => false,
        flag if query_flag(flag) => true,
        _ => return Err(AppError::invalid_param("system_console").into()),
    };
    if !from_console {
        let mine = app_channels::search_own_channels(&app, &session.user_id, &search.term).await?;
        return Ok(Json(json!(mine)));
    }
    require_system(
        &app,
        &session,
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
    )?;
    let paged = search.page.zip(search.per_page);
    let (limit, offset) = match paged {
        Some((page, per_page)) => {
            let per_page = per_page.clamp(0, MAX_PER_PAGE);
            (per_page, page.max(0).saturating_mul(per_page))
        }
        None => (MAX_PER_PAGE, 0),
    };
    let criteria = AllChannelsSearch {
        term: search.term,
        team_ids: search.team_ids,
        public: match (search.public, search.private) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        },
        exclude_default_channels: search.exclude_default_channels,
        include_deleted: search.include_deleted || query_flag(&q.include_deleted),
        deleted_only: search.deleted,
        policy_id: None,
        limit,
        offset,
    };
    let (channels, total) = app_channels::search_all(&app, &criteria).await?;
    if paged.is_some() {
        return Ok(Json(json!({"channels": channels, "total_count": total})));
    }
    Ok(Json(json!(channels)))
}

async fn search_group_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<Channel>>> {
    let search = decode_search(body)?;
    Ok(Json(
        app_channels::search_group_channels(&app, &session.user_id, &search.term).await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NameQuery {
    name: String,
}

async fn autocomplete_for_search(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<NameQuery>,
) -> ApiResult<Json<Vec<Channel>>> {
    Ok(Json(
        app_channels::autocomplete_for_search(&app, &team_id, &session.user_id, &q.name).await?,
    ))
}

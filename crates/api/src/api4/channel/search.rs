//! Searches across teams: `GET /channels` and `POST /channels/search` (every team's
//! channels, for the system console), `POST /channels/group/search` (the caller's group messages) and
//! `GET /teams/{team_id}/channels/search_autocomplete` (the caller's channels, for the search
//! box).

use crate::auth::Auth;
use crate::extract::{body_page, decode, query_flag, ApiPath, ApiQuery, RawBody, MAX_PER_PAGE};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{has_system_permission, require_system};
use utmost_app::channels::{self as app_channels, AllChannelsSearch};
use utmost_model::channel::Channel;
use utmost_model::session::Session;
use utmost_model::{permissions as perm, AppError, TeamId};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/channels", get(all_channels))
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
    exclude_policy_constrained: bool,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// The query of `GET /channels`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AllChannelsQuery {
    page: i64,
    per_page: Option<i64>,
    include_deleted: String,
    exclude_default_channels: String,
    exclude_policy_constrained: String,
    include_total_count: String,
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
    require_console_channels(&app, &session)?;
    require_policy_reader(&app, &session, search.exclude_policy_constrained)?;
    let (limit, offset, paged) = body_page(search.page, search.per_page);
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
        exclude_policy_constrained: search.exclude_policy_constrained,
        limit,
        offset,
    };
    let (channels, total) = app_channels::search_all(&app, &criteria).await?;
    if paged {
        return Ok(Json(json!({"channels": channels, "total_count": total})));
    }
    Ok(Json(json!(channels)))
}

/// The System Console's channel list holders of any of these may read (Mattermost's
/// getAllChannels and searchAllChannels): the channels section, linking groups to channels,
/// and picking a data retention policy's channels.
fn require_console_channels(app: &AppState, session: &Session) -> ApiResult<()> {
    let any = [
        perm::SYSCONSOLE_READ_USER_MANAGEMENT_CHANNELS,
        perm::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
        perm::SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
    ];
    if any.iter().any(|p| has_system_permission(app, session, p)) {
        Ok(())
    } else {
        Err(AppError::permission_denied(any[0]).into())
    }
}

/// Leaving out the channels of data retention policies is the policies' picker's, and so
/// takes their read permission.
fn require_policy_reader(app: &AppState, session: &Session, exclude: bool) -> ApiResult<()> {
    if exclude {
        require_system(
            app,
            session,
            perm::SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY,
        )?;
    }
    Ok(())
}

/// `GET /channels`: a page of every team's public and private channels, by display name,
/// each with its team's names; `{channels, total_count}` with `include_total_count`.
async fn all_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<AllChannelsQuery>,
) -> ApiResult<Json<Value>> {
    require_console_channels(&app, &session)?;
    let exclude_policy_constrained = query_flag(&q.exclude_policy_constrained);
    require_policy_reader(&app, &session, exclude_policy_constrained)?;
    let per_page = q.per_page.unwrap_or(60).clamp(0, MAX_PER_PAGE);
    let criteria = AllChannelsSearch {
        include_deleted: query_flag(&q.include_deleted),
        exclude_default_channels: query_flag(&q.exclude_default_channels),
        exclude_policy_constrained,
        limit: per_page,
        offset: q.page.max(0).saturating_mul(per_page),
        ..AllChannelsSearch::default()
    };
    let (channels, total) = app_channels::search_all(&app, &criteria).await?;
    if query_flag(&q.include_total_count) {
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

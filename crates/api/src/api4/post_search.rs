//! Post search (Mattermost's `searchPostsInTeam` and `searchPostsInAllTeams` in
//! api4/post.go): `POST /teams/{team_id}/posts/search` and `POST /posts/search`.

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use utmost_app::authorization::require_team;
use utmost_app::search::{self, PostSearch};
use utmost_model::session::Session;
use utmost_model::{permissions, AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams/{team_id}/posts/search", post(search_in_team))
        .route("/posts/search", post(search_in_all_teams))
}

/// `model.SearchParameter`; every field is optional.
#[derive(Deserialize)]
struct SearchBody {
    terms: Option<String>,
    is_or_search: Option<bool>,
    time_zone_offset: Option<i64>,
    include_deleted_channels: Option<bool>,
    page: Option<i64>,
    per_page: Option<i64>,
}

async fn search_in_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    require_team(&app, &session, &team_id, permissions::VIEW_TEAM).await?;
    search_posts(&app, &session, Some(&team_id), body).await
}

async fn search_in_all_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    search_posts(&app, &session, None, body).await
}

/// The search a body asks for; a body that is not JSON answers `invalid_body`, and empty
/// `terms` is an invalid parameter, as in Mattermost.
pub(crate) fn search_body(body: RawBody, invalid_body: &'static str) -> ApiResult<PostSearch> {
    let body: SearchBody = decode(body, || {
        AppError::bad_request(invalid_body, "Unable to parse the request body.")
    })?;
    let terms = body.terms.filter(|t| !t.is_empty());
    let Some(terms) = terms else {
        return Err(AppError::invalid_param("terms").into());
    };
    Ok(PostSearch {
        terms,
        is_or_search: body.is_or_search.unwrap_or(false),
        time_zone_offset: body.time_zone_offset.unwrap_or(0),
        include_deleted_channels: body.include_deleted_channels.unwrap_or(false),
        page: body.page.unwrap_or(0),
        per_page: body.per_page.unwrap_or(search::DEFAULT_PER_PAGE),
    })
}

async fn search_posts(
    app: &AppState,
    session: &Session,
    team_id: Option<&str>,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    let search = search_body(body, "api.post.search_posts.invalid_body.app_error")?;
    let results = search::search_posts(app, session, team_id, &search).await?;
    Ok((
        [(CACHE_CONTROL, "no-cache, no-store, must-revalidate")],
        Json(results),
    ))
}

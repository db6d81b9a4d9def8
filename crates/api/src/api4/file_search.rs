//! File search (Mattermost's `searchFilesInTeam` and `searchFilesInAllTeams` in
//! api4/file.go): `POST /teams/{team_id}/files/search` and `POST /files/search`.

use super::post_search::search_body;
use crate::auth::Auth;
use crate::extract::{ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use utmost_app::authorization::require_team;
use utmost_app::search::files;
use utmost_model::session::Session;
use utmost_model::{permissions, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/teams/{team_id}/files/search", post(search_in_team))
        .route("/files/search", post(search_in_all_teams))
}

async fn search_in_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    require_team(&app, &session, &team_id, permissions::VIEW_TEAM).await?;
    search_files(&app, &session, Some(&team_id), body).await
}

async fn search_in_all_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    search_files(&app, &session, None, body).await
}

async fn search_files(
    app: &AppState,
    session: &Session,
    team_id: Option<&str>,
    body: RawBody,
) -> ApiResult<impl IntoResponse> {
    let search = search_body(body, "api.post.search_files.invalid_body.app_error")?;
    let results = files::search_files(app, session, team_id, &search).await?;
    Ok((
        [(CACHE_CONTROL, "no-cache, no-store, must-revalidate")],
        Json(results),
    ))
}

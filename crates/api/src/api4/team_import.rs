//! `POST /teams/{team_id}/import` (Mattermost's api4/team.go `importTeam`): a multipart form
//! of `file` (a Slack export zip), `filesize` and `importFrom` (only `slack`), imported into
//! the team through `app::bulk::slack`; the answer is `{"results": <base64 of the report>}`.
//! The zip streams to a temporary file, held to `FileSettings.MaxFileSize`.

use super::file::form_value;
use crate::auth::Auth;
use crate::extract::ApiPath;
use crate::{ApiResult, AppState};
use axum::extract::multipart::{Field, Multipart};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;
use utmost_app::authorization::require_team;
use utmost_app::bulk::files::{temporary, LocalCopy};
use utmost_app::bulk::slack;
use utmost_app::errors::FileError;
use utmost_app::files::upload::max_file_size;
use utmost_app::teams;
use utmost_model::permissions as perm;
use utmost_model::{AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/teams/{team_id}/import",
        // The zip is held to MaxFileSize as it streams.
        post(import_team).layer(DefaultBodyLimit::disable()),
    )
}

/// Mattermost answers a form it cannot parse with a 500.
fn unparsable(detail: impl std::fmt::Display) -> AppError {
    AppError::new(
        500,
        "api.team.import_team.parse.app_error",
        "Could not parse multipart form.",
    )
    .with_detail(detail.to_string())
}

fn bad(id: &str, message: &str) -> AppError {
    AppError::bad_request(id, message)
}

async fn import_team(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    req: Request,
) -> ApiResult<Json<Value>> {
    require_team(&app, &session, &team_id, perm::IMPORT_TEAM).await?;
    let mut form = Multipart::from_request(req, &app)
        .await
        .map_err(|e| unparsable(e.body_text()))?;
    let (mut import_from, mut filesize, mut file) = (None, None, None);
    while let Some(field) = form.next_field().await.map_err(unparsable)? {
        match field.name().unwrap_or_default() {
            "importFrom" if import_from.is_none() => {
                import_from = Some(form_value(field).await.map_err(unparsable)?);
            }
            "filesize" if filesize.is_none() => {
                filesize = Some(form_value(field).await.map_err(unparsable)?);
            }
            "file" if file.is_none() => file = Some(receive(&app, field).await?),
            _ => {}
        }
    }
    // Checked in Mattermost's order, once the whole form is read as Mattermost reads it.
    let import_from = import_from.ok_or_else(|| {
        bad(
            "api.team.import_team.no_import_from.app_error",
            "Malformed request: importFrom field is not present.",
        )
    })?;
    let filesize = filesize.ok_or_else(|| {
        bad(
            "api.team.import_team.unavailable.app_error",
            "Malformed request: filesize field is not present.",
        )
    })?;
    filesize.trim().parse::<i64>().map_err(|_| {
        bad(
            "api.team.import_team.integer.app_error",
            "Filesize is not an integer.",
        )
    })?;
    let file = file.ok_or_else(|| {
        bad(
            "api.team.import_team.no_file.app_error",
            "No file under 'file' in request.",
        )
    })?;
    if import_from != "slack" {
        return Err(bad(
            "api.team.import_team.unknown_import_from.app_error",
            "Unknown import source.",
        )
        .into());
    }
    let team = teams::get(&app, &team_id).await?;
    let report = slack::import(&app, &file.0, &team.name, &|_, _| true)
        .await
        .map_err(|e| AppError {
            status_code: 400,
            ..e
        })?;
    Ok(Json(json!({ "results": report.log_base64() })))
}

/// The form's file, streamed to a temporary file of at most `MaxFileSize` bytes.
async fn receive(app: &AppState, mut field: Field<'_>) -> ApiResult<LocalCopy> {
    let limit = max_file_size(app);
    let copy = temporary("slack.zip");
    let failed = |e: std::io::Error| AppError::internal("api.team.import_team.open.app_error", e);
    let mut out = tokio::fs::File::create(&copy.0).await.map_err(failed)?;
    let mut length: i64 = 0;
    while let Some(chunk) = field.chunk().await.map_err(unparsable)? {
        length = length.saturating_add(i64::try_from(chunk.len()).unwrap_or(i64::MAX));
        if length > limit {
            return Err(AppError::from(FileError::TooLarge { length, limit }).into());
        }
        out.write_all(&chunk).await.map_err(failed)?;
    }
    out.flush().await.map_err(failed)?;
    Ok(copy)
}

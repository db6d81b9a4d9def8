//! `/commands` and the team's command lists (Mattermost's api4/command.go): managing custom
//! commands, `POST /commands/execute`, autocomplete and its suggestions. The checks, in
//! Mattermost's order, are in `app::commands`; a handler decodes, calls one, and answers
//! as Mattermost does. Delayed responses arrive at `/hooks/commands/{id}` (`web_hooks.rs`).

use super::file::site_url;
use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, query_flag, ApiPath, ApiQuery, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{is_system_admin, require_team};
use utmost_app::commands::registry::CommandCall;
use utmost_app::commands::{autocomplete, execute, manage};
use utmost_model::command::{AutocompleteSuggestion, Command, CommandArgs, CommandResponse};
use utmost_model::permissions::VIEW_TEAM;
use utmost_model::{is_valid_id, AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/commands", post(create_command).get(list_commands))
        .route("/commands/execute", post(execute_command))
        .route(
            "/commands/{command_id}",
            get(get_command).put(update_command).delete(delete_command),
        )
        .route("/commands/{command_id}/move", put(move_command))
        .route(
            "/commands/{command_id}/regen_token",
            put(regen_command_token),
        )
        .route(
            "/teams/{team_id}/commands/autocomplete",
            get(list_autocomplete_commands),
        )
        .route(
            "/teams/{team_id}/commands/autocomplete_suggestions",
            get(list_command_autocomplete_suggestions),
        )
}

/// `RequireCommandId`.
fn command_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("command_id").into())
    }
}

async fn create_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let command: Command = decode(body, || AppError::invalid_param("command"))?;
    let created = manage::create(&app, &session, command).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    custom_only: String,
}

async fn list_commands(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<Command>>> {
    let custom_only = query_flag(&query.custom_only);
    Ok(Json(
        manage::list(&app, &session, &query.team_id, custom_only).await?,
    ))
}

async fn get_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Command>> {
    let id = command_id(id)?;
    Ok(Json(manage::get(&app, &session, &id).await?))
}

async fn update_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<Command>> {
    let id = command_id(id)?;
    let command: Command = decode(body, || AppError::invalid_param("command"))?;
    Ok(Json(manage::update(&app, &session, &id, command).await?))
}

async fn delete_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = command_id(id)?;
    manage::delete(&app, &session, &id).await?;
    Ok(status_ok())
}

#[derive(Deserialize)]
struct MoveRequest {
    #[serde(default)]
    team_id: String,
}

async fn move_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    let id = command_id(id)?;
    let request: MoveRequest = decode(body, || AppError::invalid_param("team_id"))?;
    manage::move_to_team(&app, &session, &id, &request.team_id).await?;
    Ok(status_ok())
}

async fn regen_command_token(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    let id = command_id(id)?;
    let token = manage::regen_token(&app, &session, &id).await?;
    Ok(Json(json!({ "token": token })))
}

async fn execute_command(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    body: RawBody,
) -> ApiResult<Json<CommandResponse>> {
    let args: CommandArgs = decode(body, || AppError::invalid_param("command_args"))?;
    let site = site_url(&app, &headers);
    Ok(Json(execute::execute(&app, &session, args, &site).await?))
}

async fn list_autocomplete_commands(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<Vec<Command>>> {
    require_team(&app, &session, &team_id, VIEW_TEAM).await?;
    Ok(Json(autocomplete::list(&app, &team_id).await?))
}

#[derive(Deserialize)]
struct SuggestionsQuery {
    #[serde(default)]
    user_input: String,
    #[serde(default)]
    channel_id: String,
    #[serde(default)]
    root_id: String,
}

async fn list_command_autocomplete_suggestions(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<SuggestionsQuery>,
) -> ApiResult<Json<Vec<AutocompleteSuggestion>>> {
    require_team(&app, &session, &team_id, VIEW_TEAM).await?;
    if query.user_input.is_empty() {
        return Err(AppError::invalid_param("userInput").into());
    }
    let commands = autocomplete::list(&app, &team_id).await?;
    let is_admin = is_system_admin(&app, &session);
    let call = CommandCall {
        session,
        channel_id: query.channel_id,
        team_id: team_id.to_string(),
        root_id: query.root_id,
        site_url: site_url(&app, &headers),
        ..CommandCall::default()
    };
    let input = query
        .user_input
        .strip_prefix('/')
        .unwrap_or(&query.user_input);
    Ok(Json(
        autocomplete::suggestions(&app, &call, commands, input, is_admin).await,
    ))
}

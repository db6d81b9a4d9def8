//! `POST /opengraph` (Mattermost's api4/opengraph.go): a page's OpenGraph tags, for the
//! clients' link preview cards.

use crate::auth::Auth;
use crate::extract::ApiJson;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Map, Value};
use utmost_app::link_previews::{self, OpenGraph};
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/opengraph", post(get_opengraph))
}

/// Any session; 501 when link previews are off; `url` must be a non-empty string. A page
/// without tags, or one that cannot (or may not) be fetched, answers empty tags.
async fn get_opengraph(
    State(app): State<AppState>,
    Auth(_session): Auth,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> ApiResult<Json<OpenGraph>> {
    if !app.config().service_settings.enable_link_previews {
        return Err(AppError::new(
            501,
            "api.post.link_preview_disabled.app_error",
            "Link previews have been disabled by the system administrator.",
        )
        .into());
    }
    let url = body
        .get("url")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| AppError::invalid_param("url"))?;
    Ok(Json(link_previews::opengraph_for(&app, url).await?))
}

//! `/plugins/webapp` and `/plugins/statuses` (Mattermost's api4/plugin.go).

use axum::routing::get;
use axum::{Json, Router};

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use utmost_app::authorization::require_system;
use utmost_model::permissions::SYSCONSOLE_READ_PLUGINS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plugins/webapp", get(webapp_plugins))
        .route("/plugins/statuses", get(plugin_statuses))
}

/// Utmost runs no plugins, so no plugin has a web app part. (Mattermost with plugins turned
/// off answers 501; the desktop app asks regardless, and an empty list is what it handles.)
async fn webapp_plugins() -> Json<[(); 0]> {
    Json([])
}

/// No plugin runs on any node, for those who may read the plugins' settings.
async fn plugin_statuses(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<[(); 0]>> {
    require_system(&app, &session, SYSCONSOLE_READ_PLUGINS)?;
    Ok(Json([]))
}

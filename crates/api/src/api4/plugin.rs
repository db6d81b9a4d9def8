//! `/plugins/webapp` (Mattermost's api4/plugin.go).

use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/plugins/webapp", get(webapp_plugins))
}

/// Utmost runs no plugins, so no plugin has a web app part. (Mattermost with plugins turned
/// off answers 501; the desktop app asks regardless, and an empty list is what it handles.)
async fn webapp_plugins() -> Json<[(); 0]> {
    Json([])
}

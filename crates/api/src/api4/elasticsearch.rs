//! `POST /elasticsearch/test` (Mattermost's api4/elasticsearch.go): Utmost searches with its
//! own index and has no Elasticsearch, so the test answers as a Mattermost server without the
//! Elasticsearch engine does, after the same permission check.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_model::{permissions, AppError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/elasticsearch/test", post(test_elasticsearch))
}

async fn test_elasticsearch(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    // Mattermost reads the body as a config to test and falls back to its own on any error;
    // with no engine to test, what it holds changes nothing.
    require_system(&app, &session, permissions::TEST_ELASTICSEARCH)?;
    Err(AppError::new(
        501,
        "ent.elasticsearch.test_config.license.error",
        "Elasticsearch is not available on this server; it searches with its own index.",
    )
    .into())
}

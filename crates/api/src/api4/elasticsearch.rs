//! `POST /elasticsearch/test` and `/elasticsearch/purge_indexes` (Mattermost's
//! api4/elasticsearch.go): Utmost searches with its own index and has no Elasticsearch, so
//! both answer as a Mattermost server without the Elasticsearch engine does, after the same
//! permission checks.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_model::{permissions, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/elasticsearch/test", post(test_elasticsearch))
        .route("/elasticsearch/purge_indexes", post(purge_indexes))
}

fn not_available() -> AppError {
    AppError::new(
        501,
        "ent.elasticsearch.test_config.license.error",
        "Elasticsearch is not available on this server; it searches with its own index.",
    )
}

async fn purge_indexes(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::PURGE_ELASTICSEARCH_INDEXES)?;
    if app.config().experimental_settings.restrict_system_admin {
        return Err(AppError::forbidden(
            "api.restricted_system_admin",
            "This action is forbidden to a restricted system admin.",
        )
        .into());
    }
    Err(not_available().into())
}

async fn test_elasticsearch(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    // Mattermost reads the body as a config to test and falls back to its own on any error;
    // with no engine to test, what it holds changes nothing.
    require_system(&app, &session, permissions::TEST_ELASTICSEARCH)?;
    Err(not_available().into())
}

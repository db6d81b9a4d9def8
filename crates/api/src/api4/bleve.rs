//! `POST /bleve/purge_indexes` (Mattermost's api4/bleve.go): Mattermost's Bleve settings
//! govern Utmost's own index, so a purge empties it; a server searching with PostgreSQL
//! full text answers as Mattermost does with Bleve disabled.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system_unrestricted;
use utmost_model::permissions;

pub fn routes() -> Router<AppState> {
    Router::new().route("/bleve/purge_indexes", post(purge_indexes))
}

async fn purge_indexes(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Json<Value>> {
    require_system_unrestricted(&app, &session, permissions::PURGE_BLEVE_INDEXES)?;
    utmost_app::search::purge_index(&app).await?;
    Ok(super::status_ok())
}

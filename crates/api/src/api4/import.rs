//! `GET /imports` and `DELETE /imports/{import_name}` (Mattermost's api4/import.go): the
//! bulk-import files uploaded through `/uploads` (`type: "import"`) into the file store's
//! import directory, which an `import_process` job names in `data.import_file`.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_app::bulk::files::{self, IMPORT_DIR};
use utmost_model::permissions;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/imports", get(list_imports))
        .route("/imports/{import_name}", delete(delete_import))
}

async fn list_imports(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Vec<String>>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    Ok(Json(files::list(&app, IMPORT_DIR).await?))
}

async fn delete_import(
    State(app): State<AppState>,
    Auth(session): Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    files::delete(&app, IMPORT_DIR, &name).await?;
    Ok(super::status_ok())
}

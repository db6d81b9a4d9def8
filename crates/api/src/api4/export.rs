//! `GET /exports`, `GET /exports/{export_name}` and `DELETE /exports/{export_name}`
//! (Mattermost's api4/export.go): the zips `export_process` jobs wrote to the file store's
//! export directory.

use crate::auth::Auth;
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_app::bulk::files::{self, EXPORT_DIR};
use utmost_model::permissions;

pub fn routes() -> Router<AppState> {
    Router::new().route("/exports", get(list_exports)).route(
        "/exports/{export_name}",
        get(download_export).delete(delete_export),
    )
}

async fn list_exports(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Vec<String>>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    Ok(Json(files::list(&app, EXPORT_DIR).await?))
}

async fn download_export(
    State(app): State<AppState>,
    Auth(session): Auth,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let opened = files::open_export(&app, &name).await?;
    let mut response = Response::new(Body::from_stream(opened.body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(opened.size));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        name.replace('"', "_")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

async fn delete_export(
    State(app): State<AppState>,
    Auth(session): Auth,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    files::delete(&app, EXPORT_DIR, &name).await?;
    Ok(super::status_ok())
}

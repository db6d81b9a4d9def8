//! `/compliance/reports` (Mattermost's api4/compliance.go): compliance reports, created,
//! listed, read and downloaded with the compliance export job permissions, as Mattermost checks.
//! With `ComplianceSettings.Enable` off they answer 501, as Mattermost without the feature.

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utmost_app::authorization::require_system;
use utmost_app::compliance;
use utmost_model::compliance::Compliance;
use utmost_model::permissions as p;
use utmost_model::{is_valid_id, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/compliance/reports", get(get_reports).post(create_report))
        .route("/compliance/reports/{report_id}", get(get_report))
        .route(
            "/compliance/reports/{report_id}/download",
            get(download_report),
        )
}

async fn create_report(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Compliance>)> {
    require_system(&app, &session, p::CREATE_COMPLIANCE_EXPORT_JOB)?;
    let asked: Compliance = decode(body, || AppError::invalid_param("compliance"))?;
    let report = compliance::create(&app, &session.user_id, asked).await?;
    Ok((StatusCode::CREATED, Json(report)))
}

async fn get_reports(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Compliance>>> {
    require_system(&app, &session, p::READ_COMPLIANCE_EXPORT_JOB)?;
    let (limit, offset) = paging.limit_offset();
    let page = if limit > 0 { offset / limit } else { 0 };
    Ok(Json(compliance::list(&app, page, limit).await?))
}

async fn get_report(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(report_id): ApiPath<String>,
) -> ApiResult<Json<Compliance>> {
    require_report_id(&report_id)?;
    require_system(&app, &session, p::READ_COMPLIANCE_EXPORT_JOB)?;
    Ok(Json(compliance::get(&app, &report_id).await?))
}

/// The report's zip, as an attachment named after the report.
async fn download_report(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(report_id): ApiPath<String>,
) -> ApiResult<Response> {
    require_report_id(&report_id)?;
    require_system(&app, &session, p::DOWNLOAD_COMPLIANCE_EXPORT_RESULT)?;
    let report = compliance::get(&app, &report_id).await?;
    let zip = compliance::file(&app, &report).await?;
    let disposition = format!("attachment;filename=\"{}.zip\"", report.job_name());
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                "max-age=2592000, private".to_string(),
            ),
            (header::CONTENT_LENGTH, zip.size.to_string()),
        ],
        axum::body::Body::from_stream(zip.body),
    )
        .into_response())
}

fn require_report_id(id: &str) -> ApiResult<()> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(AppError::invalid_url_param("report_id").into())
    }
}

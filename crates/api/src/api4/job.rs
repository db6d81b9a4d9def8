//! `/jobs` (Mattermost's api4/job.go): background jobs, listed, read, created and canceled
//! with the permission of each job type. A request about one job checks first that the
//! session may read (or create) jobs of some type, then reads the job and checks its type.

use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use utmost_app::authorization::require_system;
use utmost_app::errors::JobError;
use utmost_app::jobs::{
    self, create_permission, manage_permission, read_permission, require_create, require_manage,
    require_read,
};
use utmost_model::job::{Job, ALL_STATUSES, ALL_TYPES};
use utmost_model::{is_valid_id, permissions, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(get_jobs).post(create_job))
        .route("/jobs/{job_id}", get(get_job))
        .route("/jobs/{job_id}/cancel", post(cancel_job))
        .route("/jobs/type/{job_type}", get(get_jobs_by_type))
        .route("/jobs/{job_id}/status", patch(update_job_status))
        .route("/jobs/{job_id}/download", get(download_job))
}

#[derive(Deserialize)]
struct JobsFilter {
    #[serde(default)]
    job_type: String,
    #[serde(default)]
    status: String,
}

async fn get_jobs(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(filter): ApiQuery<JobsFilter>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Job>>> {
    let types = if filter.job_type.is_empty() {
        jobs::readable_types(&app, &session)
    } else {
        let Some(job_type) = ALL_TYPES.into_iter().find(|t| *t == filter.job_type) else {
            return Err(AppError::invalid_url_param("job_type").into());
        };
        require_read(&app, &session, job_type)?;
        vec![job_type]
    };
    if types.is_empty() {
        return Err(AppError::permission_denied(permissions::READ_JOBS).into());
    }
    let status = match filter.status.as_str() {
        "" => None,
        s if ALL_STATUSES.contains(&s) => Some(s),
        _ => return Err(AppError::from(JobError::InvalidStatus).into()),
    };
    let (limit, offset) = paging.limit_offset();
    let page = if limit > 0 { offset / limit } else { 0 };
    Ok(Json(jobs::list(&app, &types, status, page, limit).await?))
}

async fn get_jobs_by_type(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(job_type): ApiPath<String>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Vec<Job>>> {
    if job_type.is_empty() || job_type.len() > 32 {
        return Err(AppError::invalid_url_param("job_type").into());
    }
    require_read(&app, &session, &job_type)?;
    let (limit, offset) = paging.limit_offset();
    let page = if limit > 0 { offset / limit } else { 0 };
    Ok(Json(
        jobs::list(&app, &[&job_type], None, page, limit).await?,
    ))
}

async fn get_job(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(job_id): ApiPath<String>,
) -> ApiResult<Json<Job>> {
    require_job_id(&job_id)?;
    if !jobs::may_touch_any(&app, &session, read_permission) {
        return Err(AppError::permission_denied(permissions::READ_JOBS).into());
    }
    let job = jobs::get(&app, &job_id).await?;
    require_read(&app, &session, &job.job_type)?;
    Ok(Json(job))
}

/// `model.Job` as a client sends it: only the type and the data matter.
#[derive(Deserialize)]
struct NewJob {
    #[serde(rename = "type", default)]
    job_type: String,
    #[serde(default)]
    data: Option<BTreeMap<String, String>>,
}

async fn create_job(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<Job>)> {
    let new: NewJob = decode(body, || AppError::invalid_param("job"))?;
    require_create(&app, &session, &new.job_type)?;
    let job = jobs::create(&app, &new.job_type, new.data.unwrap_or_default()).await?;
    Ok((StatusCode::CREATED, Json(job)))
}

async fn cancel_job(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(job_id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    require_job_id(&job_id)?;
    if !jobs::may_touch_any(&app, &session, create_permission) {
        return Err(AppError::permission_denied(permissions::MANAGE_JOBS).into());
    }
    let job = jobs::get(&app, &job_id).await?;
    require_create(&app, &session, &job.job_type)?;
    jobs::cancel(&app, &job.id).await?;
    Ok(super::status_ok())
}

/// `{"status", "force"}` of `PATCH /jobs/{job_id}/status`.
#[derive(Deserialize)]
struct StatusChange {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    force: Option<Value>,
}

/// An administrator moves a job (Mattermost's `updateJobStatus`): without `force`, only
/// in progress to pending or cancel requested, pending to cancel requested, and cancel
/// requested to canceled; with the type's `manage_*_job` permission.
async fn update_job_status(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(job_id): ApiPath<String>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_job_id(&job_id)?;
    if !jobs::may_touch_any(&app, &session, manage_permission) {
        return Err(AppError::permission_denied(permissions::MANAGE_JOBS).into());
    }
    let change: StatusChange = decode(body, || AppError::invalid_param("status"))?;
    let Some(Value::String(status)) = change.status else {
        return Err(AppError::invalid_param("status").into());
    };
    let force = matches!(change.force, Some(Value::Bool(true)));
    let job = jobs::get(&app, &job_id).await?;
    require_manage(&app, &session, &job.job_type)?;
    jobs::update_status(&app, job, &status, force).await?;
    Ok(super::status_ok())
}

/// A finished message export as one zip (Mattermost's `downloadJob`): with
/// `MessageExportSettings.DownloadExportResults` and `download_compliance_export_result`,
/// the only permission a downloadable job type has, checked before the job is read.
async fn download_job(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(job_id): ApiPath<String>,
) -> ApiResult<Response> {
    require_job_id(&job_id)?;
    require_system(
        &app,
        &session,
        permissions::DOWNLOAD_COMPLIANCE_EXPORT_RESULT,
    )?;
    let job = jobs::get(&app, &job_id).await?;
    let download = utmost_app::message_export::download::download(&app, &job).await?;
    let mut response = Response::new(Body::from_stream(download.body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment;filename=\"{}\"",
        download.file_name.replace('"', "_")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

fn require_job_id(id: &str) -> ApiResult<()> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(AppError::invalid_url_param("job_id").into())
    }
}

//! `/uploads` (Mattermost's api4/upload.go): resumable uploads. A client creates an upload
//! naming the file and its size, then sends the bytes in one or more requests; the last
//! answers with the file's info, the others with 204. `GET /users/{user_id}/uploads` (in
//! Mattermost's api4/user.go) lists the caller's uploads in progress.

use crate::auth::Auth;
use crate::extract::{declared_length, decode, ApiPath, RawBody};
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::multipart::Multipart;
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use utmost_app::errors::FileError;
use utmost_app::files::{require_uploads, uploads};
use utmost_model::file_info::UploadSession;
use utmost_model::{is_valid_id, AppError, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/uploads", post(create_upload))
        .route(
            "/uploads/{upload_id}",
            // A chunk is held to what the upload still expects as it streams.
            post(upload_data)
                .get(get_upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/users/{user_id}/uploads", get(get_uploads_for_user))
}

/// `RequireUploadId`.
fn upload_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("upload_id").into())
    }
}

async fn create_upload(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    require_uploads(&app, FileError::UploadsDisabled)?;
    let requested: UploadSession = decode(body, || AppError::invalid_param("upload"))?;
    let created = uploads::create(&app, &session, requested).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn get_upload(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<UploadSession>> {
    let id = upload_id(id)?;
    Ok(Json(uploads::get(&app, &session, &id).await?))
}

async fn get_uploads_for_user(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user_id): ApiPath<UserParam>,
) -> ApiResult<Json<Vec<UploadSession>>> {
    let user_id = user_id.resolve(&session);
    Ok(Json(uploads::for_user(&app, &session, &user_id).await?))
}

/// `uploadData`: the chunk is the raw body, or the first part of a multipart body.
async fn upload_data(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    req: Request,
) -> ApiResult<Response> {
    require_uploads(&app, FileError::UploadsDisabled)?;
    let id = upload_id(id)?;
    let us = uploads::for_data(&app, &session, &id).await?;
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let info = if content_type.starts_with("multipart/") {
        if !content_type.starts_with("multipart/form-data") || !content_type.contains("boundary=") {
            return Err(AppError::from(FileError::InvalidContentType(content_type)).into());
        }
        let mut form = Multipart::from_request(req, &app)
            .await
            .map_err(|e| AppError::from(FileError::InvalidContentType(e.body_text())))?;
        let multipart_error = |e: axum::extract::multipart::MultipartError| {
            AppError::from(FileError::MultipartError(e.body_text()))
        };
        let part = form
            .next_field()
            .await
            .map_err(multipart_error)?
            .ok_or_else(multipart_error_none)?;
        uploads::upload_data(&app, us, part, multipart_error).await?
    } else {
        uploads::check_declared_length(&us, declared_length(req.headers()))?;
        let body: Body = req.into_body();
        uploads::upload_data(&app, us, body.into_data_stream(), |e| {
            AppError::from(FileError::ReadRequest(e.to_string()))
        })
        .await?
    };
    Ok(match info {
        Some(info) => Json(info).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

fn multipart_error_none() -> AppError {
    FileError::MultipartError("no part".into()).into()
}

//! `/files` (Mattermost's api4/file.go): uploads in one request, downloads of a file, its
//! thumbnail and preview, its info, public links, and the public route itself; with
//! `/posts/{post_id}/files/info` and `/file/s3_test`.

use super::status_ok;
use crate::auth::{Auth, AuthTrusted};
use crate::extract::{declared_length, query_flag, ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::multipart::{Field, Multipart, MultipartError};
use axum::extract::{DefaultBodyLimit, FromRequest, Request, State};
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE,
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, RANGE, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use utmost_app::errors::FileError;
use utmost_app::files::download::{self, OpenError, Variant, Wanted};
use utmost_app::files::{self, links, posts, upload};
use utmost_model::file_info::{FileInfo, FileUploadResponse};
use utmost_model::session::Session;
use utmost_model::{is_valid_id, AppError, PostId};

/// A post takes at most 10 files (`file_ids` is at most 300 characters of JSON), so one
/// request has no use for more.
pub const MAX_FILES_PER_REQUEST: usize = 10;

/// `maxMultipartFormDataBytes`: the most read of a form value.
const MAX_FORM_VALUE: usize = 10 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/files",
            // Each file is held to FileSettings.MaxFileSize as it streams.
            post(upload_file_stream).layer(DefaultBodyLimit::disable()),
        )
        .route("/files/{file_id}", get(get_file::<Original>))
        .route("/files/{file_id}/thumbnail", get(get_file::<Thumbnail>))
        .route("/files/{file_id}/preview", get(get_file::<Preview>))
        .route("/files/{file_id}/info", get(get_file_info))
        .route("/files/{file_id}/link", get(get_file_link))
        .route("/posts/{post_id}/files/info", get(get_file_infos_for_post))
        .route("/file/s3_test", post(test_s3))
}

/// The public route, outside `/api/v4`: `/files/{file_id}/public?h=`.
pub fn public_routes() -> Router<AppState> {
    Router::new().route("/files/{file_id}/public", get(get_public_file))
}

/// `RequireFileId`.
fn file_id(id: String) -> ApiResult<String> {
    if is_valid_id(&id) {
        Ok(id)
    } else {
        Err(AppError::invalid_url_param("file_id").into())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UploadQuery {
    channel_id: String,
    filename: String,
    client_id: String,
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

fn read_failed(detail: impl std::fmt::Display) -> AppError {
    FileError::ReadRequest(detail.to_string()).into()
}

/// `uploadFileStream`: a multipart form of `channel_id`, `client_ids` and `files`, or one
/// file as the raw body with `channel_id` and `filename` in the query.
async fn upload_file_stream(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<UploadQuery>,
    req: Request,
) -> ApiResult<Response> {
    files::require_uploads(&app, FileError::AttachmentsDisabled)?;
    let headers = req.headers().clone();
    let length = declared_length(&headers);
    if length == Some(0) || http_body::Body::size_hint(req.body()).exact() == Some(0) {
        return Err(read_failed("Content-Length should not be 0").into());
    }
    let response = if is_multipart(&headers) {
        let form = Multipart::from_request(req, &app)
            .await
            .map_err(|e| read_failed(e.body_text()))?;
        upload_multipart(&app, &session, query.channel_id, form).await?
    } else {
        upload_simple(&app, &session, query, length, req.into_body()).await?
    };
    Ok((StatusCode::CREATED, Json(response)).into_response())
}

/// `uploadFileSimple`.
async fn upload_simple(
    app: &AppState,
    session: &Session,
    query: UploadQuery,
    length: Option<u64>,
    body: Body,
) -> ApiResult<FileUploadResponse> {
    if !is_valid_id(&query.channel_id) {
        return Err(AppError::invalid_url_param("channel_id").into());
    }
    if query.filename.is_empty() {
        return Err(AppError::invalid_url_param("filename").into());
    }
    upload::require_upload_to(app, session, &query.channel_id).await?;
    upload::check_declared_length(app, length)?;
    let info = upload::upload(
        app,
        session,
        &query.channel_id,
        &query.filename,
        body.into_data_stream(),
        read_failed,
    )
    .await?;
    let client_ids = if query.client_id.is_empty() {
        Vec::new()
    } else {
        vec![query.client_id]
    };
    Ok(FileUploadResponse {
        file_infos: vec![info],
        client_ids,
    })
}

/// `uploadFileMultipart`: the form is read in order; `channel_id` (or the query's) before
/// the first file decides the permission check, and each file streams to its place. With
/// `client_ids` before the first file, each file needs one. A file before any `channel_id`
/// switches to Mattermost's legacy mode (`uploadFileMultipartLegacy`): the `files` parts are
/// staged until the whole form is read, then placed if the form named a channel the user
/// may upload to, and removed otherwise.
async fn upload_multipart(
    app: &AppState,
    session: &Session,
    channel_id: String,
    form: Multipart,
) -> ApiResult<FileUploadResponse> {
    let mut response = FileUploadResponse::default();
    let mut staged = Vec::new();
    match read_multipart(app, session, channel_id, form, &mut response, &mut staged).await {
        Ok(()) => Ok(response),
        Err(e) => {
            // The files before the failure are of no use to a client that got an error.
            upload::discard(app, &response.file_infos).await;
            upload::unstage(app, &staged).await;
            Err(e)
        }
    }
}

async fn read_multipart(
    app: &AppState,
    session: &Session,
    mut channel_id: String,
    mut form: Multipart,
    response: &mut FileUploadResponse,
    staged: &mut Vec<upload::Staged>,
) -> ApiResult<()> {
    let mut client_ids: Vec<String> = Vec::new();
    let mut expect_client_ids = true;
    let mut permitted = false;
    let mut legacy = false;
    let failed = |e: MultipartError| read_failed(e.body_text());
    while let Some(field) = form.next_field().await.map_err(failed)? {
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        let Some(filename) = field.file_name().map(str::to_string) else {
            let value = form_value(field).await.map_err(failed)?;
            match name.as_str() {
                // The legacy form takes the first channel_id and ignores other fields.
                "channel_id" if legacy => {
                    if channel_id.is_empty() {
                        channel_id = value;
                    }
                }
                "client_ids" if legacy => client_ids.push(value),
                _ if legacy => {}
                "channel_id" => {
                    if !channel_id.is_empty() && channel_id != value {
                        return Err(AppError::from(FileError::MultipleChannelIds).into());
                    }
                    channel_id = value;
                }
                "client_ids" if expect_client_ids => client_ids.push(value),
                _ => return Err(AppError::invalid_param(&name).into()),
            }
            continue;
        };
        if legacy || channel_id.is_empty() {
            legacy = true;
            // Only the `files` parts are files in the legacy form.
            if name == "files" {
                if staged.len() >= MAX_FILES_PER_REQUEST {
                    return Err(AppError::invalid_param("files").into());
                }
                staged.push(upload::stage(app, session, &filename, field, failed).await?);
            }
            continue;
        }
        if !is_valid_id(&channel_id) {
            return Err(AppError::invalid_url_param("channel_id").into());
        }
        if !permitted {
            upload::require_upload_to(app, session, &channel_id).await?;
            permitted = true;
        }
        let n = response.file_infos.len();
        if n == 0 && client_ids.is_empty() {
            expect_client_ids = false;
        }
        if n >= MAX_FILES_PER_REQUEST {
            return Err(AppError::invalid_param("files").into());
        }
        let client_id = if expect_client_ids {
            let Some(id) = client_ids.get(n) else {
                return Err(AppError::invalid_param("client_ids").into());
            };
            Some(id.clone())
        } else {
            None
        };
        let info = upload::upload(app, session, &channel_id, &filename, field, failed).await?;
        response.file_infos.push(info);
        response.client_ids.extend(client_id);
    }
    if legacy {
        return place_staged(app, session, &channel_id, client_ids, response, staged).await;
    }
    if expect_client_ids && client_ids.len() != response.file_infos.len() {
        return Err(AppError::from(FileError::IncorrectNumberOfClientIds).into());
    }
    Ok(())
}

/// The end of a legacy form: its channel checked as Mattermost checks it, then the staged
/// files placed in order. What is not placed stays in `staged` for the caller to remove.
async fn place_staged(
    app: &AppState,
    session: &Session,
    channel_id: &str,
    client_ids: Vec<String>,
    response: &mut FileUploadResponse,
    staged: &mut Vec<upload::Staged>,
) -> ApiResult<()> {
    if channel_id.is_empty() {
        return Err(AppError::invalid_param("channel_id").into());
    }
    if !is_valid_id(channel_id) {
        return Err(AppError::invalid_url_param("channel_id").into());
    }
    upload::require_upload_to(app, session, channel_id).await?;
    if !client_ids.is_empty() && client_ids.len() != staged.len() {
        return Err(AppError::from(FileError::IncorrectNumberOfClientIds).into());
    }
    let mut client_ids = client_ids.into_iter();
    while !staged.is_empty() {
        let file = staged.remove(0);
        response
            .file_infos
            .push(upload::place(app, session, channel_id, file).await?);
        response.client_ids.extend(client_ids.next());
    }
    Ok(())
}

/// A form value, at most `MAX_FORM_VALUE` bytes of it; the rest is read and dropped.
pub(crate) async fn form_value(mut field: Field<'_>) -> Result<String, MultipartError> {
    let mut value = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = MAX_FORM_VALUE.saturating_sub(value.len());
        value.extend_from_slice(&chunk[..room.min(chunk.len())]);
    }
    Ok(String::from_utf8_lossy(&value).into_owned())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DownloadQuery {
    download: String,
}

/// Which stored image of a file a download route serves.
trait Served {
    const VARIANT: Variant;
}
struct Original;
struct Thumbnail;
struct Preview;
impl Served for Original {
    const VARIANT: Variant = Variant::Original;
}
impl Served for Thumbnail {
    const VARIANT: Variant = Variant::Thumbnail;
}
impl Served for Preview {
    const VARIANT: Variant = Variant::Preview;
}

/// `/files/{id}`, `/thumbnail` and `/preview`.
async fn get_file<S: Served>(
    State(app): State<AppState>,
    AuthTrusted(session): AuthTrusted,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<DownloadQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = file_id(id)?;
    let info = download::readable(&app, &session, &id).await?;
    let force = query_flag(&query.download);
    serve(&app, &info, S::VARIANT, force, &headers).await
}

async fn get_file_info(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Response> {
    let id = file_id(id)?;
    let info = download::readable(&app, &session, &id).await?;
    let mut response = Json(info).into_response();
    response.headers_mut().insert(
        CACHE_CONTROL,
        HeaderValue::from_static("max-age=2592000, private"),
    );
    Ok(response)
}

async fn get_file_link(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let id = file_id(id)?;
    let site_url = site_url(&app, &headers);
    let link = links::link(&app, &session, &site_url, &id).await?;
    Ok(Json(json!({ "link": link })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PublicQuery {
    h: String,
}

async fn get_public_file(
    State(app): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<PublicQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = file_id(id)?;
    let info = links::public_file(&app, &id, &query.h).await?;
    serve(&app, &info, Variant::Original, false, &headers).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct InfosQuery {
    include_deleted: String,
}

async fn get_file_infos_for_post(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(post_id): ApiPath<PostId>,
    ApiQuery(query): ApiQuery<InfosQuery>,
) -> ApiResult<Json<Vec<FileInfo>>> {
    let include_deleted = query_flag(&query.include_deleted);
    if include_deleted && !utmost_app::authorization::is_system_admin(&app, &session) {
        return Err(AppError::permission_denied(utmost_model::permissions::MANAGE_SYSTEM).into());
    }
    Ok(Json(
        posts::for_post(&app, &session, &post_id, include_deleted).await?,
    ))
}

/// `POST /file/s3_test`: tries the file settings in the body (or, with none, the ones in
/// force), for those who may change the file storage settings.
async fn test_s3(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: crate::extract::RawBody,
) -> ApiResult<Json<serde_json::Value>> {
    files::connection::require_test(&app, &session)?;
    let config: utmost_config::Config =
        crate::extract::decode(body, || AppError::invalid_param("config"))?;
    files::connection::test(&app, config.file_settings).await?;
    Ok(status_ok())
}

/// `GetSiteURLHeader`: `ServiceSettings.SiteURL`, else the scheme and host the request came
/// to.
pub(crate) fn site_url(app: &AppState, headers: &HeaderMap) -> String {
    let configured = app.config().service_settings.site_url.clone();
    if !configured.is_empty() {
        return configured.trim_end_matches('/').to_string();
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    let host = header(HOST.as_str()).unwrap_or("localhost");
    format!("{scheme}://{host}")
}

/// `WriteFileResponse`: what a browser may show inline (images, audio, video) and what it
/// must download; script and HTML types are sent as text, never rendered from this origin.
async fn serve(
    app: &AppState,
    info: &FileInfo,
    variant: Variant,
    force_download: bool,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let path = download::path_of(info, variant)?;
    let wanted = headers
        .get(RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_range);
    let opened = match download::open(app, path, wanted).await {
        Ok(opened) => opened,
        Err(OpenError::App(e)) => return Err(e.into()),
        Err(OpenError::Unsatisfiable(size)) => {
            let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            insert(&mut response, CONTENT_RANGE, &format!("bytes */{size}"));
            return Ok(response);
        }
    };
    let content_type = match variant {
        Variant::Original => safe_content_type(&info.mime_type),
        Variant::Thumbnail | Variant::Preview => "image/jpeg".to_string(),
    };
    let inline = !force_download && is_media(&content_type);
    let (status, length) = match &opened.range {
        Some(range) => (StatusCode::PARTIAL_CONTENT, range.end - range.start),
        None => (StatusCode::OK, opened.size),
    };
    let mut response = Response::new(Body::from_stream(opened.body));
    *response.status_mut() = status;
    if let Some(range) = &opened.range {
        insert(
            &mut response,
            CONTENT_RANGE,
            &format!("bytes {}-{}/{}", range.start, range.end - 1, opened.size),
        );
    }
    insert(&mut response, CONTENT_LENGTH, &length.to_string());
    insert(&mut response, CONTENT_TYPE, &content_type);
    insert(&mut response, ACCEPT_RANGES, "bytes");
    insert(&mut response, CACHE_CONTROL, "private, no-cache");
    insert(
        &mut response,
        CONTENT_DISPOSITION,
        &disposition(&info.name, inline),
    );
    insert(&mut response, X_CONTENT_TYPE_OPTIONS, "nosniff");
    insert(&mut response, X_FRAME_OPTIONS, "DENY");
    insert(
        &mut response,
        CONTENT_SECURITY_POLICY,
        "Frame-ancestors 'none'",
    );
    Ok(response)
}

fn insert(response: &mut Response, name: axum::http::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, value);
    }
}

/// `model.UnsafeContentTypes`: served as plain text.
const UNSAFE_CONTENT_TYPES: [&str; 6] = [
    "application/javascript",
    "application/ecmascript",
    "text/javascript",
    "text/ecmascript",
    "application/x-javascript",
    "text/html",
];

/// `model.MediaContentTypes`: the only types shown inline.
const MEDIA_CONTENT_TYPES: [&str; 10] = [
    "image/jpeg",
    "image/png",
    "image/bmp",
    "image/gif",
    "image/tiff",
    "video/avi",
    "video/mpeg",
    "video/mp4",
    "audio/mpeg",
    "audio/wav",
];

fn safe_content_type(mime_type: &str) -> String {
    if mime_type.is_empty() {
        "application/octet-stream".to_string()
    } else if UNSAFE_CONTENT_TYPES
        .iter()
        .any(|t| mime_type.starts_with(t))
    {
        "text/plain".to_string()
    } else {
        mime_type.to_string()
    }
}

fn is_media(content_type: &str) -> bool {
    MEDIA_CONTENT_TYPES
        .iter()
        .any(|t| content_type.starts_with(t))
}

/// `inline` or `attachment`, with the name percent-encoded as Go's `url.PathEscape` does.
fn disposition(name: &str, inline: bool) -> String {
    let escaped = path_escape(name);
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind};filename=\"{escaped}\"; filename*=UTF-8''{escaped}")
}

/// Go's `url.PathEscape`: everything but unreserved characters and `$&+,:;=@` is escaped.
fn path_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,:;=@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One `bytes=` range; anything else (several ranges, other units) is ignored and the
/// whole file is sent, as HTTP allows.
fn parse_range(value: &str) -> Option<Wanted> {
    let spec = value.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (start, end) = spec.split_once('-')?;
    let (start, end) = (start.trim(), end.trim());
    if start.is_empty() {
        return end.parse().ok().map(Wanted::Last);
    }
    let start = start.parse().ok()?;
    if end.is_empty() {
        return Some(Wanted::From(start, None));
    }
    Some(Wanted::From(start, Some(end.parse().ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_parsed_or_ignored() {
        assert_eq!(parse_range("bytes=0-9"), Some(Wanted::From(0, Some(9))));
        assert_eq!(parse_range("bytes=5-"), Some(Wanted::From(5, None)));
        assert_eq!(parse_range("bytes=-7"), Some(Wanted::Last(7)));
        assert_eq!(parse_range("bytes=0-1,5-6"), None);
        assert_eq!(parse_range("items=0-1"), None);
        assert_eq!(parse_range("bytes=x-1"), None);
    }

    #[test]
    fn html_and_svg_are_never_shown_inline() {
        assert_eq!(safe_content_type("text/html"), "text/plain");
        assert_eq!(safe_content_type(""), "application/octet-stream");
        assert!(!is_media("image/svg+xml"));
        assert!(is_media("image/png"));
        assert_eq!(
            disposition("a b\"é.svg", false),
            "attachment;filename=\"a%20b%22%C3%A9.svg\"; filename*=UTF-8''a%20b%22%C3%A9.svg"
        );
    }
}

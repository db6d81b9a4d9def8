//! `/logs`, `/logs/download`, `/logs/query` and `/system/support_packet` (Mattermost's
//! api4/system.go): the server's log file read by page, downloaded or filtered, a client's
//! log line written into it, and the support packet.
//!
//! Reading the logs takes `get_logs` (system administrators, and the read-only ones through
//! `sysconsole_read_reporting_server_logs`); the support packet takes `manage_system`.
//! Neither is given to anyone under `ExperimentalSettings.RestrictSystemAdmin` (Mattermost's
//! `SessionHasPermissionToAndNotRestrictedAdmin`).

use crate::auth::{Auth, MaybeAuth};
use crate::extract::{decode, ApiQuery, RawBody};
use crate::{ApiResult, AppState};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use tokio::io::AsyncReadExt;
use utmost_app::authorization::{has_system_permission, require_system_unrestricted};
use utmost_app::logs::{self, LogFilter, LOGS_PER_PAGE, LOG_FILENAME};
use utmost_app::support_packet;
use utmost_model::permissions::{GET_LOGS, MANAGE_SYSTEM};
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/logs", get(get_logs).post(post_log))
        .route("/logs/download", get(download_logs))
        .route("/logs/query", post(query_logs))
        .route("/system/support_packet", get(support_packet))
}

/// `page` and `logs_per_page` as Mattermost reads them: anything but a non-negative number
/// takes the default (0 and 10000), and `logs_per_page` is capped at 10000.
#[derive(Deserialize, Default)]
#[serde(default)]
struct LogsPaging {
    page: Option<String>,
    logs_per_page: Option<String>,
}

impl LogsPaging {
    fn page_and_size(&self) -> (usize, usize) {
        let number = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<usize>().ok());
        let page = number(&self.page).unwrap_or(0);
        let per_page = number(&self.logs_per_page)
            .unwrap_or(LOGS_PER_PAGE)
            .min(LOGS_PER_PAGE);
        (page, per_page)
    }
}

/// The last lines of the log file, a page at a time (page 0: the newest), oldest first.
async fn get_logs(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<LogsPaging>,
) -> ApiResult<Json<Vec<String>>> {
    require_system_unrestricted(&app, &session, GET_LOGS)?;
    let (page, per_page) = paging.page_and_size();
    Ok(Json(logs::page(&app, page, per_page).await?))
}

/// The lines a `LogFilter` passes, parsed, under the server's name.
async fn query_logs(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<LogsPaging>,
    body: RawBody,
) -> ApiResult<Json<Map<String, Value>>> {
    require_system_unrestricted(&app, &session, GET_LOGS)?;
    // Mattermost answers a body that is not a filter with this 500.
    let filter: Option<LogFilter> = decode(body, invalid_filter)?;
    let filter = filter.ok_or_else(invalid_filter)?;
    let (page, per_page) = paging.page_and_size();
    Ok(Json(logs::query(&app, page, per_page, filter).await?))
}

fn invalid_filter() -> AppError {
    AppError::new(500, "api.system.logs.invalidFilter", "Invalid log filter.")
}

/// The whole log file as `mattermost.log`, streamed.
async fn download_logs(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Response> {
    require_system_unrestricted(&app, &session, GET_LOGS)?;
    let path = logs::download_path(&app)?;
    let file = tokio::fs::File::open(&path).await.map_err(download_error)?;
    let size = file.metadata().await.map_err(download_error)?.len();
    // Read to the size seen at the open: lines written meanwhile wait for the next download.
    let chunks =
        futures_util::stream::unfold((file.take(size), false), |(mut file, done)| async move {
            if done {
                return None;
            }
            let mut chunk = vec![0u8; 64 * 1024];
            match file.read(&mut chunk).await {
                Ok(0) => None,
                Ok(n) => {
                    chunk.truncate(n);
                    Some((Ok::<_, std::io::Error>(bytes_of(chunk)), (file, false)))
                }
                Err(e) => Some((Err(e), (file, true))),
            }
        });
    let mut response = Response::new(Body::from_stream(chunks));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment;filename=\"{LOG_FILENAME}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

fn bytes_of(chunk: Vec<u8>) -> axum::body::Bytes {
    axum::body::Bytes::from(chunk)
}

fn download_error(e: std::io::Error) -> AppError {
    AppError::internal("api.system.logs.download_bytes_buffer.app_error", e)
}

/// A client's line for the server log (Mattermost's `postLog`). With
/// `ServiceSettings.EnableDeveloper` anyone may write one; otherwise only a signed-in user,
/// and only a `manage_system` one at ERROR (everyone else's goes in at DEBUG).
async fn post_log(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    headers: HeaderMap,
    body: RawBody,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    let mut force_debug = false;
    if !app.config().service_settings.enable_developer {
        let Some(session) = session.as_ref().filter(|s| !s.user_id.is_empty()) else {
            return Err(AppError::forbidden(
                "api.context.permissions.app_error",
                "You do not have the appropriate permissions.",
            )
            .into());
        };
        force_debug = !has_system_permission(&app, session, MANAGE_SYSTEM);
    }
    // A body that is not a map of strings logs an empty message, as Mattermost's.
    let mut fields: BTreeMap<String, String> =
        decode(body, || AppError::invalid_param("log")).unwrap_or_default();
    let level = fields.get("level").cloned().unwrap_or_default();
    let mut message = fields.get("message").cloned().unwrap_or_default();
    if message.len() > 400 {
        let mut end = 399;
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        message.truncate(end);
    }
    let message = format!("Client Logs API Endpoint Message: {message}");
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !force_debug && level == "ERROR" {
        tracing::error!({ "type" = "client_message", "user_agent" = user_agent }, "{message}");
    } else {
        tracing::debug!({ "type" = "client_message", "user_agent" = user_agent }, "{message}");
    }
    fields.insert("message".into(), message);
    Ok(Json(fields))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PacketQuery {
    basic_server_logs: Option<String>,
}

/// The support packet: a zip named `mm_support_packet__{time}.zip`, never cached.
async fn support_packet(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(query): ApiQuery<PacketQuery>,
) -> ApiResult<Response> {
    require_system_unrestricted(&app, &session, MANAGE_SYSTEM)?;
    // Logs are in unless asked out, as Mattermost's.
    let include_logs = query.basic_server_logs.as_deref() != Some("false");
    let packet = support_packet::generate(&app, include_logs).await?;
    let size = packet.zip.len();
    let mut response = Response::new(Body::from(packet.zip));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store, must-revalidate"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment;filename=\"{}\"", packet.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

//! `/system/ping`, `/system/timezones`, `/system/notices/{team_id}` and
//! `/upgrade_to_enterprise/status` (Mattermost's api4/system.go).

use crate::auth::{Auth, MaybeAuth};
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use utmost_app::authorization::{is_system_admin, require_system};
use utmost_app::system::{self, STATUS_OK, STATUS_UNHEALTHY};
use utmost_model::permissions::MANAGE_SYSTEM;
use utmost_model::{AppError, TeamId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/system/ping", get(ping))
        .route("/system/timezones", get(timezones))
        .route("/system/notices/{team_id}", get(product_notices))
        .route("/system/notices/view", put(view_product_notices))
        .route("/upgrade_to_enterprise/status", get(upgrade_status))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PingQuery {
    get_server_status: String,
    use_rest_semantics: String,
    device_id: String,
}

/// Public. With `get_server_status=true` also checks the database and the file store and
/// echoes the results as headers; an unhealthy server answers 500 unless the caller asked
/// for `use_rest_semantics=true`.
async fn ping(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiQuery(q): ApiQuery<PingQuery>,
) -> Response {
    let mut body = Map::new();
    body.insert("status".into(), json!(STATUS_OK));
    for key in [
        "AndroidLatestVersion",
        "AndroidMinVersion",
        "IosLatestVersion",
        "IosMinVersion",
    ] {
        body.insert(key.into(), json!(""));
    }
    let mut headers = Vec::new();
    if q.get_server_status == "true" {
        let checks = [
            ("database_status", system::database_healthy(&app).await),
            ("filestore_status", system::filestore_healthy(&app).await),
        ];
        for (key, healthy) in checks {
            let status = if healthy { STATUS_OK } else { STATUS_UNHEALTHY };
            body.insert(key.into(), json!(status));
            if !healthy {
                body.insert("status".into(), json!(STATUS_UNHEALTHY));
            }
        }
        for key in ["status", "database_status", "filestore_status"] {
            headers.push((key, body[key].as_str().unwrap_or("").to_string()));
        }
        // Utmost's own, reported only while the feature is in use. They leave `status`
        // alone: a readiness probe must not take every node out because the mail server
        // or the push proxy is down, which no node can fix.
        let (search, smtp, push) = tokio::join!(
            system::search_healthy(&app),
            system::smtp_healthy(&app),
            system::push_healthy(&app),
        );
        for (key, healthy) in [
            ("search_status", search),
            ("smtp_status", smtp),
            ("push_status", push),
        ] {
            if let Some(healthy) = healthy {
                let status = if healthy { STATUS_OK } else { STATUS_UNHEALTHY };
                body.insert(key.into(), json!(status));
                headers.push((key, status.to_string()));
            }
        }
        let admin = session.as_ref().is_some_and(|s| is_system_admin(&app, s));
        if admin {
            body.insert("root_status".into(), json!(running_as_root()));
        }
    }
    if !q.device_id.is_empty() {
        // Mattermost sends this device a test push (SendTestPushNotification) and reports the
        // proxy's verdict; Utmost does not test the device, so it does not claim it receives.
        body.insert("CanReceiveNotifications".into(), json!("false"));
    }
    body.insert("ActiveSearchBackend".into(), json!("database"));
    let healthy = body["status"] == json!(STATUS_OK);
    let status = if healthy || q.use_rest_semantics == "true" {
        StatusCode::OK
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    let mut response = (status, Json(Value::Object(body))).into_response();
    crate::context::set_headers(&mut response, headers.iter().map(|(n, v)| (*n, v.as_str())));
    response
}

/// Mattermost reports whether the process runs as root, a setup it warns against.
#[cfg(unix)]
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    false
}

async fn timezones(Auth(_): Auth) -> ApiResult<Json<&'static [&'static str]>> {
    Ok(Json(system::SUPPORTED_TIMEZONES))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticesQuery {
    client: String,
}

/// Product notices (Mattermost fetches them from its notices server): Utmost has none. The
/// `client` must be one Mattermost knows.
async fn product_notices(
    Auth(_session): Auth,
    ApiPath(_team_id): ApiPath<TeamId>,
    ApiQuery(q): ApiQuery<NoticesQuery>,
) -> ApiResult<Json<[(); 0]>> {
    if !["web", "mobile-ios", "mobile-android", "desktop"].contains(&q.client.as_str()) {
        return Err(AppError::invalid_param("client").into());
    }
    Ok(Json([]))
}

/// Marks product notices viewed (Mattermost's `updateViewedProductNotices`): the body must
/// be a JSON array of notice ids. Utmost has no notices, so there is nothing to record.
async fn view_product_notices(
    Auth(_session): Auth,
    body: crate::extract::RawBody,
) -> ApiResult<Json<Value>> {
    crate::extract::decode::<Vec<String>>(body, || {
        AppError::bad_request("api.payload.parse.error", "Unable to parse the payload.")
    })?;
    Ok(super::status_ok())
}

/// The upgrade to Enterprise Edition's progress, for `manage_system`: Utmost never upgrades,
/// so nothing is under way.
async fn upgrade_status(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, MANAGE_SYSTEM)?;
    Ok(Json(json!({"percentage": 0, "error": null})))
}

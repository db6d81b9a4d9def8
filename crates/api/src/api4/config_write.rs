//! `PUT /config`, `PUT /config/patch`, `POST /config/reload` (Mattermost's api4/config.go):
//! the rules are in `app::config_store`.

use super::config::no_cache;
use crate::audit::AuditStates;
use crate::auth::Auth;
use crate::extract::{decode, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use utmost_app::authorization::has_system_permission;
use utmost_app::config_store;
use utmost_config::access::Holder;
use utmost_config::Config;
use utmost_model::permissions::{RELOAD_CONFIG, SYSCONSOLE_WRITE};
use utmost_model::session::Session;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/config", put(update_config))
        .route("/config/patch", put(patch_config))
        .route("/config/reload", post(reload_config))
}

/// Any `sysconsole_write_*` holder may save the configuration: the settings of the sections
/// their permissions cover change, the others keep their values (`config_store::access`).
fn may_write_config(app: &AppState, session: &Session) -> ApiResult<Holder> {
    if SYSCONSOLE_WRITE
        .iter()
        .any(|p| has_system_permission(app, session, p))
    {
        Ok(config_store::access(app, session))
    } else {
        Err(AppError::permission_denied("sysconsole_write_*").into())
    }
}

/// The saved configuration as the caller may read it, and for the audit record the settings
/// the save changed, before and after (secrets masked), as Mattermost records a config diff.
fn answer(app: &AppState, session: &Session, before: &Value, saved: &Config) -> Response {
    let after = saved.to_sanitized_json();
    let mut states = AuditStates::default();
    changed_settings(before, &after, "", &mut states);
    let readable = config_store::access(app, session).readable(after);
    let mut response = (no_cache(), Json(readable)).into_response();
    response.extensions_mut().insert(states);
    response
}

/// Collects the settings whose values differ between `before` and `after` under `path`.
fn changed_settings(before: &Value, after: &Value, path: &str, states: &mut AuditStates) {
    if let (Value::Object(old), Value::Object(new)) = (before, after) {
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let (old, new) = (
                old.get(key).unwrap_or(&Value::Null),
                new.get(key).unwrap_or(&Value::Null),
            );
            changed_settings(old, new, &at, states);
        }
    } else if before != after {
        let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
        states.prior_state.insert(path.to_owned(), text(before));
        states.resulting_state.insert(path.to_owned(), text(after));
    }
}

fn config_body(body: RawBody) -> ApiResult<Value> {
    decode::<Value>(body, || AppError::invalid_param("config"))
}

/// The whole configuration; keys left out take their defaults.
async fn update_config(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let access = may_write_config(&app, &session)?;
    let body = config_body(body)?;
    let config = config_store::from_body(&body)?;
    let before = app.config().to_sanitized_json();
    let saved = config_store::update(&app, config, &access).await?;
    Ok(answer(&app, &session, &before, &saved))
}

/// The keys sent change; the others stay.
async fn patch_config(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Response> {
    let access = may_write_config(&app, &session)?;
    let body = config_body(body)?;
    let before = app.config().to_sanitized_json();
    let saved = config_store::patch(&app, &body, &access).await?;
    Ok(answer(&app, &session, &before, &saved))
}

/// Reads the configuration file (or the database's active row) again; the audit record
/// carries the settings that changed.
async fn reload_config(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Response> {
    if !has_system_permission(&app, &session, RELOAD_CONFIG) {
        return Err(AppError::permission_denied(RELOAD_CONFIG).into());
    }
    // Only a local-mode session is unrestricted, and none comes over HTTP.
    if app.config().experimental_settings.restrict_system_admin {
        return Err(AppError::bad_request(
            "api.restricted_system_admin",
            "This action is forbidden to a restricted system admin.",
        )
        .into());
    }
    let before = app.config().to_sanitized_json();
    config_store::reload(&app).await?;
    // What the reload took in force (a change made with `utmost config set`, or by hand in
    // the file) is on record like a change through the API.
    let mut states = AuditStates::default();
    changed_settings(&before, &app.config().to_sanitized_json(), "", &mut states);
    let mut response = (no_cache(), Json(json!({"status": "OK"}))).into_response();
    response.extensions_mut().insert(states);
    Ok(response)
}

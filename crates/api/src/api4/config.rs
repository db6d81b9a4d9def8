//! `/config`, `/config/client`, `/config/environment` (Mattermost's api4/config.go).
//! Saving and reloading (`PUT /config`, `PUT /config/patch`, `POST /config/reload`) are in
//! `config_write.rs`.

use super::license::FormatQuery;
use crate::auth::{Auth, MaybeAuth};
use crate::extract::ApiQuery;
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderName;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use utmost_app::authorization::has_system_permission;
use utmost_app::{config_store, system};
use utmost_model::permissions::SYSCONSOLE_READ;
use utmost_model::session::Session;
use utmost_model::AppError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/config", get(get_config))
        .route("/config/client", get(client_config))
        .route("/config/environment", get(environment_config))
        .merge(super::config_write::routes())
}

/// Mattermost keeps admin-only config answers out of caches.
pub(super) fn no_cache() -> [(HeaderName, &'static str); 1] {
    [(CACHE_CONTROL, "no-cache, no-store, must-revalidate")]
}

/// Holders of any `sysconsole_read_*` permission may read the configuration.
fn may_read_config(app: &AppState, session: &Session) -> bool {
    SYSCONSOLE_READ
        .iter()
        .any(|p| has_system_permission(app, session, p))
}

/// The configuration with secrets masked and, as in Mattermost, every setting outside the
/// caller's System Console sections `null`.
async fn get_config(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Response> {
    if !may_read_config(&app, &session) {
        return Err(AppError::permission_denied("sysconsole_read_*").into());
    }
    let readable = config_store::access(&app, &session).readable(app.config().to_sanitized_json());
    Ok((no_cache(), Json(readable)).into_response())
}

/// Public: the limited set for anonymous callers, the full set for logged-in users.
async fn client_config(
    State(app): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> ApiResult<Json<BTreeMap<String, String>>> {
    q.require_old("api.config.client")?;
    let facts = system::client_facts(&app).await?;
    Ok(Json(system::client_config(
        &app.config(),
        &facts,
        session.is_some(),
    )))
}

/// The settings `MM_*` variables override, as `{Section: {Key: true}}`, limited like
/// Mattermost's to the settings the caller may read.
async fn environment_config(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Response> {
    let tree = if may_read_config(&app, &session) {
        let all = system::environment_overrides(config_store::environment(&app))?;
        prune_nulls(config_store::access(&app, &session).readable(all))
    } else {
        json!({})
    };
    Ok((no_cache(), Json(tree)).into_response())
}

/// Drops the settings `readable` hid and the sections left empty.
fn prune_nulls(mut tree: Value) -> Value {
    if let Value::Object(sections) = &mut tree {
        for section in sections.values_mut() {
            if let Value::Object(keys) = section {
                keys.retain(|_, v| !v.is_null());
            }
        }
        sections.retain(|_, s| s.as_object().is_none_or(|keys| !keys.is_empty()));
    }
    tree
}

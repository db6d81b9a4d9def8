//! AD/LDAP (Mattermost's api4/ldap.go): `POST /ldap/test`, `POST /ldap/sync`,
//! `GET /ldap/groups`, `POST`/`DELETE /ldap/groups/{remote_id}/link`, `POST /ldap/migrateid`,
//! `POST`/`DELETE /ldap/certificate/{public|private}` and `POST /users/migrate_auth/ldap` (api4/user.go's `migrateAuthToLDAP`). Each checks its
//! permission before it reads anything.

use super::saml::certificate_part;
use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use utmost_app::authorization::require_system;
use utmost_app::ldap::certificates::{self, LdapCert};
use utmost_app::ldap::migrate::{self, MatchField};
use utmost_model::group::Group;
use utmost_model::job::TYPE_LDAP_SYNC;
use utmost_model::{permissions, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ldap/test", post(test_ldap))
        .route("/ldap/sync", post(sync_ldap))
        .route("/ldap/groups", get(ldap_groups))
        .route(
            "/ldap/groups/{remote_id}/link",
            post(link_ldap_group).delete(unlink_ldap_group),
        )
        .route("/ldap/migrateid", post(migrate_id_ldap))
        .route(
            "/ldap/certificate/public",
            post(add_public_certificate).delete(remove_public_certificate),
        )
        .route(
            "/ldap/certificate/private",
            post(add_private_certificate).delete(remove_private_certificate),
        )
        .route("/users/migrate_auth/ldap", post(migrate_auth_to_ldap))
}

async fn test_ldap(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::TEST_LDAP)?;
    utmost_app::ldap::test(&app).await?;
    Ok(status_ok())
}

/// Starts an `ldap_sync` job. As Mattermost's `SyncLdap`, the answer is OK even while
/// `EnableSync` is off; no job is created then (logged).
async fn sync_ldap(State(app): State<AppState>, Auth(session): Auth) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::CREATE_LDAP_SYNC_JOB)?;
    let config = app.config();
    if config.ldap_settings.enable_sync && !config.ldap_settings.ldap_server.is_empty() {
        let job = utmost_app::jobs::create(&app, TYPE_LDAP_SYNC, Default::default()).await?;
        tracing::info!(job_id = %job.id, "AD/LDAP sync started");
    } else {
        tracing::error!("LdapSettings.EnableSync is off; skipping the AD/LDAP sync");
    }
    Ok(status_ok())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct GroupSearch {
    q: String,
}

/// `GET /ldap/groups?q=&page=&per_page=`: the directory's groups whose name contains `q`.
async fn ldap_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(search): ApiQuery<GroupSearch>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<utmost_app::ldap::groups::LdapGroupsPage>> {
    require_system(
        &app,
        &session,
        permissions::SYSCONSOLE_READ_USER_MANAGEMENT_GROUPS,
    )?;
    let (limit, offset) = paging.limit_offset();
    let (limit, offset) = (
        usize::try_from(limit).unwrap_or(0),
        usize::try_from(offset).unwrap_or(usize::MAX),
    );
    let page = utmost_app::ldap::groups::list(&app, &search.q, offset, limit).await?;
    Ok(Json(page))
}

/// `POST /ldap/groups/{remote_id}/link`: 201 with the group it created, 200 with one that
/// was linked already or is linked again.
async fn link_ldap_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(remote_id): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<Group>)> {
    require_system(
        &app,
        &session,
        permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
    )?;
    let (group, created) = utmost_app::ldap::groups::link(&app, &remote_id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(group)))
}

/// `DELETE /ldap/groups/{remote_id}/link`: the group is marked deleted.
async fn unlink_ldap_group(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(remote_id): ApiPath<String>,
) -> ApiResult<Json<Value>> {
    require_system(
        &app,
        &session,
        permissions::SYSCONSOLE_WRITE_USER_MANAGEMENT_GROUPS,
    )?;
    utmost_app::groups::unlink_ldap(&app, &remote_id).await?;
    Ok(status_ok())
}

#[derive(serde::Deserialize)]
struct MigrateBody {
    from: Option<String>,
    match_field: Option<String>,
    force: Option<bool>,
}

async fn migrate_auth_to_ldap(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let body: MigrateBody = decode(body, || AppError::invalid_param("from"))?;
    let from = body
        .from
        .as_deref()
        .and_then(migrate::from_service)
        .ok_or_else(|| AppError::invalid_param("from"))?;
    let force = body.force.ok_or_else(|| AppError::invalid_param("force"))?;
    let field = body
        .match_field
        .as_deref()
        .and_then(MatchField::parse)
        .ok_or_else(|| AppError::invalid_param("match_field"))?;
    let moved = migrate::to_ldap(&app, from, field, force).await?;
    tracing::info!(moved, "accounts moved to AD/LDAP");
    Ok(status_ok())
}

#[derive(serde::Deserialize)]
struct MigrateIdBody {
    #[serde(rename = "toAttribute")]
    to_attribute: Option<String>,
}

/// `POST /ldap/migrateid {"toAttribute": "…"}`: the directory's accounts move to another id
/// attribute, which becomes `IdAttribute`.
async fn migrate_id_ldap(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let body: MigrateIdBody = decode(body, || AppError::invalid_param("toAttribute"))?;
    let to_attribute = body
        .to_attribute
        .filter(|a| !a.is_empty())
        .ok_or_else(|| AppError::invalid_param("toAttribute"))?;
    utmost_app::ldap::migrate_id::to_attribute(&app, &to_attribute).await?;
    Ok(status_ok())
}

async fn add_public_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::ADD_LDAP_PUBLIC_CERT)?;
    certificates::save(&app, LdapCert::Public, certificate_part(form).await?).await?;
    Ok(status_ok())
}

async fn add_private_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::ADD_LDAP_PRIVATE_CERT)?;
    certificates::save(&app, LdapCert::Private, certificate_part(form).await?).await?;
    Ok(status_ok())
}

async fn remove_public_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::REMOVE_LDAP_PUBLIC_CERT)?;
    certificates::remove(&app, LdapCert::Public).await?;
    Ok(status_ok())
}

async fn remove_private_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::REMOVE_LDAP_PRIVATE_CERT)?;
    certificates::remove(&app, LdapCert::Private).await?;
    Ok(status_ok())
}

//! SAML administration (Mattermost's api4/saml.go): the SP metadata, the IdP's metadata,
//! the certificate files and their status, `reset_auth_data`, and
//! `POST /users/migrate_auth/saml` (api4/user.go's `migrateAuthToSaml`). Each route checks
//! its permission before it reads anything. The sign-in itself is `saml_web`.

use super::status_ok;
use crate::auth::Auth;
use crate::extract::{decode, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{FromRequest, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use utmost_app::authorization::require_system;
use utmost_app::errors::SamlError;
use utmost_app::saml::certificates::{self, CertKind, CertificateStatus, MAX_FILE_BYTES};
use utmost_app::saml::{accounts, metadata};
use utmost_model::{permissions, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/saml/metadata", get(sp_metadata))
        .route("/saml/metadatafromidp", post(metadata_from_idp))
        .route(
            "/saml/certificate/idp",
            post(add_idp_certificate).delete(remove_idp_certificate),
        )
        .route(
            "/saml/certificate/public",
            post(add_public_certificate).delete(remove_public_certificate),
        )
        .route(
            "/saml/certificate/private",
            post(add_private_certificate).delete(remove_private_certificate),
        )
        .route("/saml/certificate/status", get(certificate_status))
        .route("/saml/reset_auth_data", post(reset_auth_data))
        .route("/users/migrate_auth/saml", post(migrate_auth_to_saml))
}

/// `GET /saml/metadata`: public, as in Mattermost (the IdP's administrator downloads it).
async fn sp_metadata(State(app): State<AppState>) -> ApiResult<Response> {
    let xml = metadata::sp_metadata(&app, &app.config()).await?;
    Ok((
        [
            (CONTENT_TYPE, "application/xml"),
            (CONTENT_DISPOSITION, "attachment; filename=\"metadata.xml\""),
        ],
        xml,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MetadataFromIdp {
    saml_metadata_url: String,
}

async fn metadata_from_idp(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<metadata::IdpMetadata>> {
    require_system(&app, &session, permissions::GET_SAML_METADATA_FROM_IDP)?;
    let body: MetadataFromIdp = decode(body, || AppError::invalid_param("saml_metadata_url"))?;
    if body.saml_metadata_url.is_empty() {
        return Err(AppError::invalid_param("saml_metadata_url").into());
    }
    Ok(Json(
        metadata::from_idp(&app, &body.saml_metadata_url).await?,
    ))
}

/// The `certificate` part of an upload, within `MAX_FILE_BYTES` (the AD/LDAP certificates'
/// too).
pub(super) async fn certificate_part(
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Vec<u8>> {
    let no_file = || AppError::from(SamlError::NoFile);
    let mut form = form.map_err(|_| no_file())?;
    while let Some(mut field) = form.next_field().await.map_err(|_| no_file())? {
        if field.name() != Some("certificate") {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| no_file())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_FILE_BYTES {
                let too_large = SamlError::BadCertificate("the file is too large".into());
                return Err(AppError::from(too_large).into());
            }
        }
        return Ok(bytes);
    }
    Err(no_file().into())
}

async fn add_certificate(
    app: &AppState,
    kind: CertKind,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    let pem = certificate_part(form).await?;
    certificates::save(app, kind, pem).await?;
    Ok(status_ok())
}

async fn add_public_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::ADD_SAML_PUBLIC_CERT)?;
    add_certificate(&app, CertKind::Public, form).await
}

async fn add_private_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::ADD_SAML_PRIVATE_CERT)?;
    add_certificate(&app, CertKind::Private, form).await
}

/// The IdP certificate comes as a multipart upload, or (from the system console's metadata
/// import) as the bare base64 of the certificate with `Content-Type: application/x-pem-file`.
async fn add_idp_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::ADD_SAML_IDP_CERT)?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or_default().trim();
    match media {
        "" => Err(AppError::bad_request(
            "api.admin.saml.set_certificate_from_metadata.missing_content_type.app_error",
            "Missing Content-Type header.",
        )
        .into()),
        "application/x-pem-file" => {
            let body = axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES)
                .await
                .map_err(|_| {
                    AppError::bad_request(
                        "api.admin.saml.set_certificate_from_metadata.invalid_body.app_error",
                        "Invalid certificate text.",
                    )
                })?;
            let base64: String = String::from_utf8_lossy(&body).split_whitespace().collect();
            let pem = format!("-----BEGIN CERTIFICATE-----\n{base64}\n-----END CERTIFICATE-----\n");
            certificates::save(&app, CertKind::Idp, pem.into_bytes()).await?;
            Ok(status_ok())
        }
        "multipart/form-data" => {
            let form = Multipart::from_request(request, &app).await;
            add_certificate(&app, CertKind::Idp, form).await
        }
        _ => Err(AppError::bad_request(
            "api.admin.saml.set_certificate_from_metadata.invalid_content_type.app_error",
            "Invalid Content-Type.",
        )
        .into()),
    }
}

async fn remove_public_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::REMOVE_SAML_PUBLIC_CERT)?;
    certificates::remove(&app, CertKind::Public).await?;
    Ok(status_ok())
}

async fn remove_private_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::REMOVE_SAML_PRIVATE_CERT)?;
    certificates::remove(&app, CertKind::Private).await?;
    Ok(status_ok())
}

async fn remove_idp_certificate(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::REMOVE_SAML_IDP_CERT)?;
    certificates::remove(&app, CertKind::Idp).await?;
    Ok(status_ok())
}

async fn certificate_status(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<CertificateStatus>> {
    require_system(&app, &session, permissions::GET_SAML_CERT_STATUS)?;
    Ok(Json(certificates::status(&app).await))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ResetAuthData {
    include_deleted: bool,
    dry_run: bool,
    user_ids: Vec<String>,
}

/// User ids one reset may name.
const MAX_RESET_IDS: usize = 1000;

async fn reset_auth_data(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let bad = || AppError::bad_request("model.utils.decode_json.app_error", "Could not decode.");
    let body: ResetAuthData = decode(body, bad)?;
    if body.user_ids.len() > MAX_RESET_IDS {
        return Err(AppError::invalid_param("user_ids").into());
    }
    let affected = accounts::reset_auth_data_to_email(
        &app,
        body.include_deleted,
        body.dry_run,
        &body.user_ids,
    )
    .await?;
    Ok(Json(json!({ "num_affected": affected })))
}

#[derive(Deserialize)]
struct MigrateBody {
    from: Option<String>,
    matches: Option<HashMap<String, String>>,
    auto: Option<bool>,
}

async fn migrate_auth_to_saml(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    require_system(&app, &session, permissions::MANAGE_SYSTEM)?;
    let body: MigrateBody = decode(body, || AppError::invalid_param("from"))?;
    let from = body
        .from
        .as_deref()
        .and_then(accounts::from_service)
        .ok_or_else(|| AppError::invalid_param("from"))?;
    let auto = body.auto.ok_or_else(|| AppError::invalid_param("auto"))?;
    let matches = body
        .matches
        .ok_or_else(|| AppError::invalid_param("matches"))?;
    let moved = accounts::migrate_to_saml(&app, from, &matches, auto).await?;
    tracing::info!(moved, "accounts moved to SAML");
    Ok(status_ok())
}

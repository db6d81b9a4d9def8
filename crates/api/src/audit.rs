//! The audit of every security-relevant route (`app::audit`; `docs/audit.md`), in one
//! middleware: `ROUTES` names each audited route with Mattermost's event name. Once the
//! handler answered, so after its transaction committed, one record is written: status
//! success for an answer under 400, fail otherwise (with the error's id). The actor is the
//! request's session or, for a sign-in, the session the answer created; the parameters are
//! the path's ids, a few query flags and the allow-listed fields of a JSON body (never a
//! password, token or code).
//!
//! Another route is audited by adding a row to `ROUTES`.

use crate::context::ResolvedSession;
use crate::AppState;
use axum::body::Body;
use axum::extract::{
    ConnectInfo, FromRequestParts, MatchedPath, Query, RawPathParams, Request, State,
};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use utmost_app::audit::{self, Actor, AuditRecord, ErrorData, EventData, Meta, Status};
use utmost_model::AppError;

/// One audited route: method, path as routed (without `/api/v4`), Mattermost's event name
/// and the kind of object it acts on.
pub struct AuditedRoute {
    pub method: Method,
    pub path: &'static str,
    pub event: &'static str,
    pub object_type: &'static str,
}

macro_rules! routes {
    ($( $method:ident $path:literal => $event:literal, $object:literal; )*) => {
        &[$( AuditedRoute { method: Method::$method, path: $path, event: $event, object_type: $object }, )*]
    };
}

/// Every audited route.
pub static ROUTES: &[AuditedRoute] = routes! {
    // Sign-in and sign-out (LDAP and MFA failures come through `/users/login` too).
    POST "/users/login" => "login", "user";
    POST "/users/logout" => "logout", "session";
    GET "/oauth/{service}/complete" => "completeOAuth", "user";
    GET "/login/{service}/complete" => "completeOAuth", "user";
    GET "/signup/{service}/complete" => "completeOAuth", "user";
    POST "/login/sso/saml" => "completeSaml", "user";
    // Sessions.
    POST "/users/{user_id}/sessions/revoke" => "revokeSession", "session";
    POST "/users/{user_id}/sessions/revoke/all" => "revokeAllSessionsForUser", "session";
    POST "/users/sessions/revoke/all" => "revokeAllSessionsAllUsers", "session";
    // Passwords and MFA.
    PUT "/users/{user_id}/password" => "updatePassword", "user";
    POST "/users/password/reset" => "resetPassword", "user";
    POST "/users/password/reset/send" => "sendPasswordReset", "user";
    PUT "/users/{user_id}/mfa" => "updateUserMfa", "user";
    // Users and roles.
    POST "/users" => "createUser", "user";
    PUT "/users/{user_id}" => "updateUser", "user";
    PUT "/users/{user_id}/patch" => "patchUser", "user";
    DELETE "/users/{user_id}" => "deleteUser", "user";
    PUT "/users/{user_id}/active" => "updateUserActive", "user";
    PUT "/users/{user_id}/roles" => "updateUserRoles", "user";
    POST "/users/{user_id}/promote" => "promoteGuestToUser", "user";
    POST "/users/{user_id}/demote" => "demoteUserToGuest", "user";
    POST "/users/migrate_auth/ldap" => "migrateAuthToLdap", "user";
    POST "/ldap/migrateid" => "idMigrateLdap", "user";
    POST "/ldap/certificate/public" => "addLdapPublicCertificate", "ldap_certificate";
    POST "/ldap/certificate/private" => "addLdapPrivateCertificate", "ldap_certificate";
    DELETE "/ldap/certificate/public" => "removeLdapPublicCertificate", "ldap_certificate";
    DELETE "/ldap/certificate/private" => "removeLdapPrivateCertificate", "ldap_certificate";
    POST "/users/migrate_auth/saml" => "migrateAuthToSaml", "user";
    POST "/saml/reset_auth_data" => "resetAuthDataToEmail", "user";
    PUT "/roles/{role_id}/patch" => "patchRole", "role";
    // Personal access tokens.
    POST "/users/{user_id}/tokens" => "createUserAccessToken", "user_access_token";
    POST "/users/tokens/revoke" => "revokeUserAccessToken", "user_access_token";
    POST "/users/tokens/disable" => "disableUserAccessToken", "user_access_token";
    POST "/users/tokens/enable" => "enableUserAccessToken", "user_access_token";
    // Teams.
    POST "/teams" => "createTeam", "team";
    DELETE "/teams/{team_id}" => "deleteTeam", "team";
    POST "/teams/{team_id}/restore" => "restoreTeam", "team";
    PUT "/teams/{team_id}/privacy" => "updateTeamPrivacy", "team";
    POST "/teams/{team_id}/members" => "addTeamMember", "team_member";
    POST "/teams/{team_id}/members/batch" => "addTeamMembers", "team_member";
    DELETE "/teams/{team_id}/members/{user_id}" => "removeTeamMember", "team_member";
    PUT "/teams/{team_id}/members/{user_id}/roles" => "updateTeamMemberRoles", "team_member";
    PUT "/teams/{team_id}/members/{user_id}/schemeRoles" => "updateTeamMemberSchemeRoles", "team_member";
    // Channels.
    POST "/channels" => "createChannel", "channel";
    DELETE "/channels/{channel_id}" => "deleteChannel", "channel";
    POST "/channels/{channel_id}/restore" => "restoreChannel", "channel";
    PUT "/channels/{channel_id}/privacy" => "updateChannelPrivacy", "channel";
    POST "/channels/{channel_id}/convert" => "convertChannelToPrivate", "channel";
    POST "/channels/{channel_id}/members" => "addChannelMember", "channel_member";
    DELETE "/channels/{channel_id}/members/{user_id}" => "removeChannelMember", "channel_member";
    PUT "/channels/{channel_id}/members/{user_id}/roles" => "updateChannelMemberRoles", "channel_member";
    PUT "/channels/{channel_id}/members/{user_id}/schemeRoles" => "updateChannelMemberSchemeRoles", "channel_member";
    // Groups (custom ones; the directory's are linked through the LDAP routes).
    POST "/groups" => "createGroup", "group";
    PUT "/groups/{group_id}/patch" => "patchGroup", "group";
    DELETE "/groups/{group_id}" => "deleteGroup", "group";
    POST "/groups/{group_id}/restore" => "restoreGroup", "group";
    POST "/groups/{group_id}/members" => "addGroupMembers", "group";
    DELETE "/groups/{group_id}/members" => "deleteGroupMembers", "group";
    // Permission schemes and channel moderation.
    POST "/schemes" => "createScheme", "scheme";
    PUT "/schemes/{scheme_id}/patch" => "patchScheme", "scheme";
    DELETE "/schemes/{scheme_id}" => "deleteScheme", "scheme";
    PUT "/teams/{team_id}/scheme" => "updateTeamScheme", "team";
    PUT "/channels/{channel_id}/scheme" => "updateChannelScheme", "channel";
    PUT "/channels/{channel_id}/moderations/patch" => "patchChannelModerations", "channel";
    // The licence (there is none to add; the attempts are still recorded).
    POST "/license" => "addLicense", "license";
    DELETE "/license" => "removeLicense", "license";
    POST "/trial-license" => "requestTrialLicense", "license";
    // Exports and jobs.
    POST "/jobs" => "createJob", "job";
    GET "/jobs/{job_id}/download" => "downloadJob", "job";
    POST "/jobs/{job_id}/cancel" => "cancelJob", "job";
    PATCH "/jobs/{job_id}/status" => "updateJobStatus", "job";
    POST "/compliance/reports" => "createComplianceReport", "compliance";
    GET "/compliance/reports/{report_id}/download" => "downloadComplianceReport", "compliance";
    GET "/exports/{export_name}" => "downloadExport", "export";
    DELETE "/exports/{export_name}" => "deleteExport", "export";
    POST "/ldap/sync" => "syncLdap", "ldap";
    // Configuration (the config API's routes; audited once they exist).
    PUT "/config" => "updateConfig", "config";
    PUT "/config/patch" => "patchConfig", "config";
    POST "/config/reload" => "configReload", "config";
    POST "/saml/certificate/idp" => "addSamlIdpCertificate", "saml_certificate";
    DELETE "/saml/certificate/idp" => "removeSamlIdpCertificate", "saml_certificate";
    POST "/saml/certificate/public" => "addSamlPublicCertificate", "saml_certificate";
    DELETE "/saml/certificate/public" => "removeSamlPublicCertificate", "saml_certificate";
    POST "/saml/certificate/private" => "addSamlPrivateCertificate", "saml_certificate";
    DELETE "/saml/certificate/private" => "removeSamlPrivateCertificate", "saml_certificate";
    // The server's logs and the support packet (reads Mattermost audits).
    GET "/logs" => "getLogs", "logs";
    GET "/logs/download" => "downloadLogs", "logs";
    POST "/logs/query" => "queryLogs", "logs";
    GET "/system/support_packet" => "generateSupportPacket", "support_packet";
    // The OAuth 2.0 provider: apps, consent and tokens.
    POST "/oauth/apps" => "createOAuthApp", "oauth_app";
    PUT "/oauth/apps/{app_id}" => "updateOAuthApp", "oauth_app";
    DELETE "/oauth/apps/{app_id}" => "deleteOAuthApp", "oauth_app";
    POST "/oauth/apps/{app_id}/regen_secret" => "regenerateOAuthAppSecret", "oauth_app";
    GET "/oauth/authorize" => "authorizeOAuthPage", "oauth_app";
    POST "/oauth/authorize" => "authorizeOAuthApp", "oauth_app";
    POST "/oauth/deauthorize" => "deauthorizeOAuthApp", "oauth_app";
    POST "/oauth/access_token" => "getAccessToken", "oauth_app";
};

/// What a handler may add to its audit record: put it in the answer's extensions
/// (`response.extensions_mut().insert(AuditStates { .. })`), e.g. the config keys a patch
/// changed, before and after (secrets masked). Flat string maps, as every record field.
#[derive(Debug, Clone, Default)]
pub struct AuditStates {
    pub prior_state: BTreeMap<String, String>,
    pub resulting_state: BTreeMap<String, String>,
}

/// The audited route `method path` is (`path` as routed, with or without `/api/v4`).
pub fn audited_route(method: &Method, path: &str) -> Option<&'static AuditedRoute> {
    let path = path.strip_prefix("/api/v4").unwrap_or(path);
    ROUTES
        .iter()
        .find(|r| r.method == *method && r.path == path)
}

/// The JSON body fields kept as parameters. Nothing secret is on the list.
const BODY_FIELDS: &[&str] = &[
    "login_id",
    "ldap_only",
    "device_id",
    "username",
    "email",
    "name",
    "display_name",
    "type",
    "roles",
    "scheme_admin",
    "scheme_user",
    "scheme_guest",
    "active",
    "activate",
    "user_id",
    "user_ids",
    "team_id",
    "channel_id",
    "session_id",
    "token_id",
    "client_id",
    "description",
    "privacy",
    "permissions",
    "start_at",
    "end_at",
    "from",
    "auto_create",
    "force",
];

/// The query flags kept as parameters.
const QUERY_FIELDS: &[&str] = &["permanent", "graceful", "service"];

/// The largest JSON body read for its parameters (bigger ones are passed on unread).
const BODY_READ_LIMIT: u64 = 64 * 1024;

/// A JSON value as one flat string: scalars as written, lists joined by commas, objects
/// left out.
fn flat(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(|v| match v {
                    Value::Object(o) => o.get("user_id").and_then(flat),
                    Value::Array(_) => None,
                    other => flat(other),
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Null | Value::Object(_) => None,
    }
}

fn body_parameters(body: &[u8], parameters: &mut BTreeMap<String, String>) {
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    match &value {
        Value::Object(fields) => {
            for key in BODY_FIELDS {
                if let Some(v) = fields.get(*key).and_then(flat) {
                    parameters.insert((*key).to_string(), v);
                }
            }
        }
        // A batch (team members): the users it names.
        Value::Array(_) => {
            if let Some(v) = flat(&value) {
                parameters.insert("user_ids".to_string(), v);
            }
        }
        _ => {}
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// The session token a sign-in's answer hands out (`Token` header or `MMAUTHTOKEN`
/// cookie), if any.
fn issued_token(response: &Response) -> Option<String> {
    if let Some(token) = response
        .headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty())
    {
        return Some(token.to_string());
    }
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookie| {
            let value = cookie
                .strip_prefix(crate::auth::COOKIE_TOKEN)?
                .strip_prefix('=')?;
            let token = value.split(';').next().unwrap_or_default();
            (!token.is_empty()).then(|| token.to_string())
        })
}

/// The middleware.
pub async fn audit(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| audited_route(req.method(), m.as_str()));
    let Some(route) = route else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let api_path = parts.uri.path().to_string();
    let mut parameters = BTreeMap::new();
    if let Ok(params) = RawPathParams::from_request_parts(&mut parts, &app).await {
        for (key, value) in &params {
            parameters.insert(key.to_string(), value.to_string());
        }
    }
    if let Ok(Query(query)) = Query::<BTreeMap<String, String>>::try_from_uri(&parts.uri) {
        for (key, value) in query {
            if QUERY_FIELDS.contains(&key.as_str()) {
                parameters.insert(key, value);
            }
        }
    }
    let is_json = header_text(&parts.headers, header::CONTENT_TYPE).is_empty()
        || header_text(&parts.headers, header::CONTENT_TYPE).contains("json");
    let small = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n <= BODY_READ_LIMIT);
    let body = if is_json && small && parts.method != Method::GET {
        match axum::body::to_bytes(body, usize::try_from(BODY_READ_LIMIT).unwrap_or(65536)).await {
            Ok(bytes) => {
                body_parameters(&bytes, &mut parameters);
                Body::from(bytes)
            }
            // The handler meets the same failure, and answers it with its own error.
            Err(e) => {
                let message = e.to_string();
                Body::from_stream(futures_util::stream::once(async move {
                    Err::<axum::body::Bytes, _>(std::io::Error::other(message))
                }))
            }
        }
    } else {
        body
    };
    let session = parts
        .extensions
        .get::<ResolvedSession>()
        .and_then(|r| r.session.clone());
    let mut actor = Actor {
        user_id: session
            .as_ref()
            .map(|s| s.user_id.clone())
            .unwrap_or_default(),
        session_id: session.as_ref().map(|s| s.id.clone()).unwrap_or_default(),
        client: header_text(&parts.headers, header::USER_AGENT),
        // The client's address (`client_ip`: a trusted proxy's header, else the peer).
        ip_address: crate::client_ip::ClientAddr::of(&parts.extensions)
            .or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip())
            })
            .map(|ip| ip.to_string())
            .unwrap_or_default(),
        x_forwarded_for: header_text(
            &parts.headers,
            header::HeaderName::from_static("x-forwarded-for"),
        ),
    };
    let method = parts.method.to_string();
    let response = next.run(Request::from_parts(parts, body)).await;

    let status = response.status().as_u16();
    let (status, error) = if status < 400 {
        (Status::Success, ErrorData::default())
    } else {
        let description = response
            .extensions()
            .get::<AppError>()
            .map(|e| e.id.clone())
            .unwrap_or_default();
        (
            Status::Fail,
            ErrorData {
                description,
                status_code: i64::from(status),
            },
        )
    };
    if status == Status::Success {
        if let Some(token) = issued_token(&response) {
            if let Ok(Some(created)) = utmost_app::sessions::from_token(&app, &token).await {
                actor.user_id = created.user_id;
                actor.session_id = created.id;
            }
        }
    }
    let states = response
        .extensions()
        .get::<AuditStates>()
        .cloned()
        .unwrap_or_default();
    audit::record(
        &app,
        AuditRecord {
            event_name: route.event.to_string(),
            status,
            actor,
            meta: Meta {
                api_path,
                http_method: method,
            },
            event: EventData {
                parameters,
                prior_state: states.prior_state,
                resulting_state: states.resulting_state,
                object_type: route.object_type.to_string(),
            },
            error,
        },
    )
    .await;
    response
}

//! `/data_retention` (Mattermost's api4/data_retention.go): the global policy (any
//! session), custom policies with their teams and channels (the system console's
//! compliance permissions), and a user's policies (the user or a system admin).
//! Policy ids in paths are well-formed ids (`PostId` checks the shape only).

use crate::auth::Auth;
use crate::extract::{bounded_list, decode, sorted_ids, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{require_self_or_system_admin, require_system};
use utmost_app::data_retention::{self as retention, Members};
use utmost_model::permissions::{
    SYSCONSOLE_READ_COMPLIANCE_DATA_RETENTION_POLICY as READ,
    SYSCONSOLE_WRITE_COMPLIANCE_DATA_RETENTION_POLICY as WRITE,
};
use utmost_model::retention::{RetentionPolicyPatch, RetentionPolicyWithCounts};
use utmost_model::session::Session;
use utmost_model::{AppError, PostId, UserParam};

use super::status_ok;

/// The most teams or channels a search in a policy returns.
const SEARCH_LIMIT: i64 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/data_retention/policy", get(global_policy))
        .route("/data_retention/policies_count", get(policies_count))
        .route(
            "/data_retention/policies",
            get(get_policies).post(create_policy),
        )
        .route(
            "/data_retention/policies/{policy_id}",
            get(get_policy).patch(patch_policy).delete(delete_policy),
        )
        .route(
            "/data_retention/policies/{policy_id}/teams",
            get(get_teams).post(add_teams).delete(remove_teams),
        )
        .route(
            "/data_retention/policies/{policy_id}/teams/search",
            post(search_teams),
        )
        .route(
            "/data_retention/policies/{policy_id}/channels",
            get(get_channels).post(add_channels).delete(remove_channels),
        )
        .route(
            "/data_retention/policies/{policy_id}/channels/search",
            post(search_channels),
        )
        .route(
            "/users/{user_id}/data_retention/team_policies",
            get(user_team_policies),
        )
        .route(
            "/users/{user_id}/data_retention/channel_policies",
            get(user_channel_policies),
        )
}

fn may(app: &AppState, session: &Session, permission: &str) -> ApiResult<()> {
    Ok(require_system(app, session, permission)?)
}

async fn global_policy(State(app): State<AppState>, Auth(_session): Auth) -> Json<Value> {
    let now = app.retention_clock.now();
    Json(json!(retention::global_policy(&app, now)))
}

async fn policies_count(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    Ok(Json(json!({"total_count": retention::count(&app).await?})))
}

async fn get_policies(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    let (limit, offset) = paging.limit_offset();
    let (policies, total) = retention::page(&app, offset, limit).await?;
    Ok(Json(json!({"policies": policies, "total_count": total})))
}

fn decode_policy(body: RawBody) -> ApiResult<RetentionPolicyPatch> {
    decode(body, || AppError::invalid_param("policy"))
}

async fn create_policy(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<(StatusCode, Json<RetentionPolicyWithCounts>)> {
    may(&app, &session, WRITE)?;
    let body = bounded_ids(decode_policy(body)?)?;
    Ok((
        StatusCode::CREATED,
        Json(retention::create(&app, body).await?),
    ))
}

/// 400 for a body naming more teams or channels than one request may.
fn bounded_ids(body: RetentionPolicyPatch) -> ApiResult<RetentionPolicyPatch> {
    for (ids, param) in [
        (&body.team_ids, "team_ids"),
        (&body.channel_ids, "channel_ids"),
    ] {
        if ids
            .as_ref()
            .is_some_and(|ids| ids.len() > retention::MAX_IDS)
        {
            return Err(AppError::invalid_param(param).into());
        }
    }
    Ok(body)
}

async fn get_policy(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
) -> ApiResult<Json<RetentionPolicyWithCounts>> {
    may(&app, &session, READ)?;
    Ok(Json(retention::get(&app, &policy_id).await?))
}

async fn patch_policy(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<RetentionPolicyWithCounts>> {
    may(&app, &session, WRITE)?;
    let body = bounded_ids(decode_policy(body)?)?;
    Ok(Json(retention::patch(&app, &policy_id, body).await?))
}

async fn delete_policy(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
) -> ApiResult<Json<Value>> {
    may(&app, &session, WRITE)?;
    retention::delete(&app, &policy_id).await?;
    Ok(status_ok())
}

async fn get_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    let (limit, offset) = paging.limit_offset();
    let (teams, total) = retention::teams(&app, &policy_id, "", offset, limit).await?;
    Ok(Json(json!({"teams": teams, "total_count": total})))
}

async fn get_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    let (limit, offset) = paging.limit_offset();
    let (channels, total) = retention::channels(&app, &policy_id, "", offset, limit).await?;
    Ok(Json(json!({"channels": channels, "total_count": total})))
}

/// Adds or removes the body's ids (a JSON array) to or from the policy.
async fn change_members(
    app: &AppState,
    session: &Session,
    policy_id: &str,
    members: Members,
    add: bool,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    may(app, session, WRITE)?;
    let param = match members {
        Members::Teams => "team_ids",
        Members::Channels => "channel_ids",
    };
    let ids = bounded_list(sorted_ids(body)?, param)?;
    if add {
        retention::add(app, policy_id, members, &ids).await?;
    } else {
        retention::remove(app, policy_id, members, &ids).await?;
    }
    Ok(status_ok())
}

async fn add_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    change_members(&app, &session, &policy_id, Members::Teams, true, body).await
}

async fn remove_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    change_members(&app, &session, &policy_id, Members::Teams, false, body).await
}

async fn add_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    change_members(&app, &session, &policy_id, Members::Channels, true, body).await
}

async fn remove_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    change_members(&app, &session, &policy_id, Members::Channels, false, body).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Search {
    term: String,
}

async fn search_teams(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    let search: Search = decode(body, || AppError::invalid_param("team_search"))?;
    let (teams, _) =
        retention::teams(&app, &policy_id, search.term.trim(), 0, SEARCH_LIMIT).await?;
    Ok(Json(json!(teams)))
}

async fn search_channels(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(policy_id): ApiPath<PostId>,
    body: RawBody,
) -> ApiResult<Json<Value>> {
    may(&app, &session, READ)?;
    let search: Search = decode(body, || AppError::invalid_param("channel_search"))?;
    let (channels, _) =
        retention::channels(&app, &policy_id, search.term.trim(), 0, SEARCH_LIMIT).await?;
    Ok(Json(json!(channels)))
}

/// The policies over a user's teams: the user's own, or anyone's for a system admin.
async fn user_team_policies(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    require_self_or_system_admin(&app, &session, &user_id)?;
    let (limit, offset) = paging.limit_offset();
    let (policies, total) = retention::user_team_policies(&app, &user_id, offset, limit).await?;
    Ok(Json(json!({"policies": policies, "total_count": total})))
}

async fn user_channel_policies(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user): ApiPath<UserParam>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> ApiResult<Json<Value>> {
    let user_id = user.resolve(&session);
    require_self_or_system_admin(&app, &session, &user_id)?;
    let (limit, offset) = paging.limit_offset();
    let (policies, total) = retention::user_channel_policies(&app, &user_id, offset, limit).await?;
    Ok(Json(json!({"policies": policies, "total_count": total})))
}

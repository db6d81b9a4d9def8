//! Finding people: `GET /users`, `/users/ids`, `/users/usernames`, `/users/search`,
//! `/users/autocomplete`, `/users/stats`, `/users/stats/filtered`, `/users/username/{username}`,
//! `/users/email/{email}`.

use super::user_response;
use crate::auth::Auth;
use crate::extract::{bounded_list, decode, query_flag, ApiPath, ApiQuery, Paging, RawBody};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::require_system;
use utmost_app::users::{self, ListQuery};
use utmost_model::permissions as perm;
use utmost_model::user::{User, UserAutocomplete, UserSearch, USER_SEARCH_DEFAULT_LIMIT};
use utmost_model::AppError;

#[derive(Deserialize)]
pub(super) struct ListParams {
    #[serde(flatten)]
    paging: Paging,
    #[serde(flatten)]
    filters: ListFilters,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListFilters {
    in_team: String,
    not_in_team: String,
    in_channel: String,
    not_in_channel: String,
    without_team: String,
    active: String,
    inactive: String,
    role: String,
    sort: String,
}

pub(super) async fn list(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(ListParams { paging, filters: p }): ApiQuery<ListParams>,
) -> ApiResult<Json<Vec<User>>> {
    let (limit, offset) = paging.limit_offset();
    let query = ListQuery {
        in_team: p.in_team,
        not_in_team: p.not_in_team,
        in_channel: p.in_channel,
        not_in_channel: p.not_in_channel,
        without_team: query_flag(&p.without_team),
        active: query_flag(&p.active),
        inactive: query_flag(&p.inactive),
        role: p.role,
        sort: p.sort,
        limit,
        offset,
    };
    Ok(Json(users::list(&app, &session, &query).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SinceParam {
    since: String,
}

pub(super) async fn by_ids(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<SinceParam>,
    body: RawBody,
) -> ApiResult<Json<Vec<User>>> {
    let ids = bounded_list(
        decode(body, || AppError::invalid_param("user_ids"))?,
        "user_ids",
    )?;
    let since = match q.since.as_str() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid_param("since"))?,
        ),
    };
    Ok(Json(users::by_ids(&app, &session, ids, since).await?))
}

pub(super) async fn by_usernames(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<User>>> {
    let names = bounded_list(
        decode(body, || AppError::invalid_param("usernames"))?,
        "usernames",
    )?;
    Ok(Json(users::by_usernames(&app, &session, names).await?))
}

pub(super) async fn search(
    State(app): State<AppState>,
    Auth(session): Auth,
    body: RawBody,
) -> ApiResult<Json<Vec<User>>> {
    let props: UserSearch = decode(body, || AppError::invalid_param("props"))?;
    Ok(Json(users::search(&app, &session, props).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct AutocompleteParams {
    in_team: String,
    in_channel: String,
    name: String,
    limit: String,
}

pub(super) async fn autocomplete(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(p): ApiQuery<AutocompleteParams>,
) -> ApiResult<Json<UserAutocomplete>> {
    let limit = match p.limit.as_str() {
        "" => USER_SEARCH_DEFAULT_LIMIT,
        l => l.parse().map_err(|_| AppError::invalid_param("limit"))?,
    };
    let result =
        users::autocomplete(&app, &session, &p.in_team, &p.in_channel, &p.name, limit).await?;
    Ok(Json(result))
}

/// Any session may ask; the count covers only the people the caller may see.
pub(super) async fn stats(
    State(app): State<AppState>,
    Auth(session): Auth,
) -> ApiResult<Json<Value>> {
    let count = utmost_app::users::total_users_count(&app, &session).await?;
    Ok(Json(json!({ "total_users_count": count })))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct FilteredStatsQuery {
    in_team: String,
    in_channel: String,
    include_deleted: String,
    roles: String,
}

/// Mattermost's `CleanRoleNames`: each name trimmed, 1–64 of `a-z 0-9 _`.
fn role_names(raw: &str) -> Option<Vec<String>> {
    raw.split(',')
        .map(|r| {
            let r = r.trim();
            let valid = (1..=64).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            valid.then(|| r.to_string())
        })
        .collect()
}

/// `GET /users/stats/filtered`, for those who may read the system console's users.
pub(super) async fn filtered_stats(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<FilteredStatsQuery>,
) -> ApiResult<Json<Value>> {
    let roles = if q.roles.is_empty() {
        Vec::new()
    } else {
        role_names(&q.roles).ok_or_else(|| AppError::invalid_param("roles"))?
    };
    require_system(&app, &session, perm::SYSCONSOLE_READ_USER_MANAGEMENT_USERS)?;
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    let count = users::filtered_users_count(
        &app,
        non_empty(q.in_team),
        non_empty(q.in_channel),
        query_flag(&q.include_deleted),
        roles,
    )
    .await?;
    Ok(Json(json!({ "total_users_count": count })))
}

pub(super) async fn by_username(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(username): ApiPath<String>,
) -> ApiResult<Response> {
    // Mattermost's `IsValidUsername` path check (no reserved-name or first-letter rule here).
    let well_formed = (1..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c));
    if !well_formed {
        return Err(AppError::invalid_url_param("username").into());
    }
    let user = users::by_username(&app, &session, &username).await?;
    Ok(user_response(&app, &session, &headers, user))
}

pub(super) async fn by_email(
    State(app): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    ApiPath(email): ApiPath<String>,
) -> ApiResult<Response> {
    if users::validate_email(&email).is_err() {
        return Err(AppError::invalid_url_param("email").into());
    }
    let user = users::by_email(&app, &session, &email).await?;
    Ok(user_response(&app, &session, &headers, user))
}

//! `/groups` and the group lists of users, channels and teams (Mattermost's api4/group.go).
//!
//! Utmost has no LDAP or custom groups, so every list is empty. The clients ask at start-up;
//! they get the answer of a server with no groups, after Mattermost's permission checks.
//! (A Mattermost server without a license answers these with 501 `api.license_error`.)

use crate::auth::Auth;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiResult, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use utmost_app::authorization::{require_channel, require_self_or_system_admin, require_team};
use utmost_app::channels;
use utmost_model::channel::CHANNEL_PRIVATE;
use utmost_model::permissions as perm;
use utmost_model::session::Session;
use utmost_model::{is_valid_id, AppError, ChannelId, TeamId, UserParam};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", get(get_groups))
        .route("/users/{user_id}/groups", get(get_user_groups))
        .route("/channels/{channel_id}/groups", get(get_channel_groups))
        .route("/teams/{team_id}/groups", get(get_team_groups))
}

/// The query parameters of `GET /groups` that change the answer's shape or are checked;
/// the other filters (`q`, `source`, `filter_allow_reference`, …) are accepted and, with no
/// groups, change nothing.
#[derive(Deserialize, Default)]
#[serde(default)]
struct GroupsQuery {
    include_total_count: String,
    not_associated_to_channel: String,
    include_channel_member_count: String,
    since: String,
}

/// An empty page of a channel's or team's groups.
fn no_groups_page() -> Json<Value> {
    Json(json!({"groups": [], "total_group_count": 0}))
}

/// Managing the members of the channel: what `not_associated_to_channel` and
/// `include_channel_member_count` take.
async fn require_manage_members(
    app: &AppState,
    session: &Session,
    channel_id: &str,
) -> ApiResult<()> {
    let channel = channels::get_channel(app, channel_id).await?;
    let permission = if channel.is_open() {
        perm::MANAGE_PUBLIC_CHANNEL_MEMBERS
    } else {
        perm::MANAGE_PRIVATE_CHANNEL_MEMBERS
    };
    Ok(require_channel(app, session, channel_id, permission).await?)
}

async fn get_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiQuery(q): ApiQuery<GroupsQuery>,
) -> ApiResult<Json<Value>> {
    for channel_id in [
        &q.not_associated_to_channel,
        &q.include_channel_member_count,
    ] {
        if is_valid_id(channel_id) {
            require_manage_members(&app, &session, channel_id).await?;
        }
    }
    if !q.since.is_empty() && q.since.parse::<i64>().is_err() {
        return Err(AppError::invalid_param("since").into());
    }
    if q.include_total_count == "true" {
        return Ok(Json(json!({"groups": [], "total_count": 0})));
    }
    Ok(Json(json!([])))
}

/// A user's own groups, or anyone's for `manage_system`.
async fn get_user_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(user): ApiPath<UserParam>,
) -> ApiResult<Json<Value>> {
    require_self_or_system_admin(&app, &session, &user.resolve(&session))?;
    Ok(Json(json!([])))
}

/// `read_public_channel_groups` / `read_private_channel_groups` in the channel.
async fn get_channel_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(channel_id): ApiPath<ChannelId>,
) -> ApiResult<Json<Value>> {
    let channel = channels::get_channel(&app, &channel_id).await?;
    let permission = if channel.channel_type == CHANNEL_PRIVATE {
        perm::READ_PRIVATE_CHANNEL_GROUPS
    } else {
        perm::READ_PUBLIC_CHANNEL_GROUPS
    };
    require_channel(&app, &session, &channel_id, permission).await?;
    Ok(no_groups_page())
}

/// `list_team_channels` in the team.
async fn get_team_groups(
    State(app): State<AppState>,
    Auth(session): Auth,
    ApiPath(team_id): ApiPath<TeamId>,
) -> ApiResult<Json<Value>> {
    require_team(&app, &session, &team_id, perm::LIST_TEAM_CHANNELS).await?;
    Ok(no_groups_page())
}

//! `/channels` and the channel routes under `/teams` and `/users` (Mattermost's
//! api4/channel.go). Handlers check permissions first, in Mattermost's order, then call
//! `utmost_app::channels`.

mod crud;
mod direct;
mod lists;
mod members;
mod search;

use crate::{ApiError, ApiResult, AppState};
use axum::Router;
use serde::Deserialize;
use utmost_app::authorization::{has_team_permission, require_channel};
use utmost_app::channels::Archived;
use utmost_app::App;
use utmost_model::channel::{Channel, ChannelMember};
use utmost_model::session::Session;
use utmost_model::{permissions as perm, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crud::routes())
        .merge(direct::routes())
        .merge(members::routes())
        .merge(lists::routes())
        .merge(search::routes())
}

/// `RequireChannelName`: a channel (or DM/GM) name as it may appear in a URL.
fn channel_name_param(raw: &str) -> ApiResult<String> {
    if utmost_app::channels::is_valid_name(raw) {
        Ok(raw.to_string())
    } else {
        Err(ApiError(AppError::invalid_url_param("channel_name")))
    }
}

/// `RequireTeamName`: 2–64 characters of `a-z 0-9 -`.
fn team_name_param(raw: &str) -> ApiResult<String> {
    let valid = (2..=64).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(raw.to_string())
    } else {
        Err(ApiError(AppError::invalid_url_param("team_name")))
    }
}

/// Reading a public channel takes read_public_channel on its team or membership; any other
/// channel takes read_channel.
async fn require_read(app: &App, s: &Session, channel: &Channel) -> ApiResult<()> {
    if channel.is_open()
        && has_team_permission(app, s, &channel.team_id, perm::READ_PUBLIC_CHANNEL).await?
    {
        return Ok(());
    }
    Ok(require_channel(app, s, &channel.id, perm::READ_CHANNEL).await?)
}

/// The permission to manage a channel's members, by channel type.
fn manage_members_permission(channel: &Channel) -> &'static str {
    if channel.is_private() {
        perm::MANAGE_PRIVATE_CHANNEL_MEMBERS
    } else {
        perm::MANAGE_PUBLIC_CHANNEL_MEMBERS
    }
}

/// Members as a viewer may see them: other people's read times hidden.
fn sanitized(mut members: Vec<ChannelMember>, viewer: &Session) -> Vec<ChannelMember> {
    for m in &mut members {
        m.sanitize_for(&viewer.user_id);
    }
    members
}

/// `include_deleted` / `last_delete_at` of the channel-list routes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ArchivedQuery {
    include_deleted: bool,
    last_delete_at: i64,
}

impl ArchivedQuery {
    fn archived(&self) -> ApiResult<Archived> {
        if self.last_delete_at < 0 {
            return Err(ApiError(AppError::invalid_url_param("last_delete_at")));
        }
        Ok(Archived::from_params(
            self.include_deleted,
            self.last_delete_at,
        ))
    }
}

//! Reading channels, channel lists, members and stats.

use crate::errors::{ChannelError, TeamError};
use crate::{App, AppResult};
use utmost_model::channel::{Channel, ChannelMember, ChannelMemberWithTeamData, ChannelStats};
use utmost_store::channels::{self as store, Archived};
use utmost_store::Deleted;

pub async fn get_channel(app: &App, id: &str) -> AppResult<Channel> {
    store::get(&app.store, id)
        .await?
        .ok_or_else(|| ChannelError::NotFound.into())
}

pub async fn get_channel_by_name(
    app: &App,
    team_id: &str,
    name: &str,
    include_deleted: bool,
) -> AppResult<Channel> {
    store::get_by_name(
        &app.store,
        team_id,
        name,
        Deleted::included_if(include_deleted),
    )
    .await?
    .ok_or_else(|| ChannelError::NameNotFound.into())
}

pub async fn get_channel_by_team_name(
    app: &App,
    team_name: &str,
    name: &str,
    include_deleted: bool,
) -> AppResult<Channel> {
    let team = utmost_store::teams::get_by_name(&app.store, team_name)
        .await?
        .ok_or(TeamError::NameNotFound)?;
    get_channel_by_name(app, &team.id, name, include_deleted).await
}

/// A user's channels in a team with their DMs and GMs; like Mattermost, an empty list is a
/// 404 (a team member always has Town Square).
pub async fn team_channels_for_user(
    app: &App,
    team_id: &str,
    user_id: &str,
    archived: Archived,
) -> AppResult<Vec<Channel>> {
    let channels = store::team_channels_for_user(&app.store, team_id, user_id, archived).await?;
    if channels.is_empty() {
        return Err(ChannelError::NoneFound.into());
    }
    Ok(channels)
}

pub async fn channels_for_user(
    app: &App,
    user_id: &str,
    archived: Archived,
) -> AppResult<Vec<Channel>> {
    Ok(store::channels_for_user(&app.store, user_id, archived).await?)
}

pub async fn public_channels_for_team(
    app: &App,
    team_id: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Channel>> {
    Ok(store::public_channels_for_team(&app.store, team_id, limit, offset).await?)
}

/// Live public channels of a team among `ids`; none found is a 404.
pub async fn public_channels_by_ids(
    app: &App,
    team_id: &str,
    ids: &[String],
) -> AppResult<Vec<Channel>> {
    let channels = store::public_channels_by_ids(&app.store, team_id, ids).await?;
    if channels.is_empty() {
        return Err(ChannelError::NoneFoundByIds.into());
    }
    Ok(channels)
}

pub async fn deleted_channels_for_team(
    app: &App,
    team_id: &str,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<Channel>> {
    Ok(store::deleted_channels_for_team(&app.store, team_id, user_id, limit, offset).await?)
}

/// TeamSettings.ExperimentalViewArchivedChannels: whether searches include archived channels.
fn archived_viewable(app: &App) -> bool {
    app.config()
        .team_settings
        .experimental_view_archived_channels
}

/// Archived channels show in searches when TeamSettings.ExperimentalViewArchivedChannels is on.
fn archived_in_searches(app: &App) -> Deleted {
    Deleted::included_if(archived_viewable(app))
}

/// Public channels of a team matching `term`; archived ones too when
/// TeamSettings.ExperimentalViewArchivedChannels is on.
pub async fn search_public_channels(
    app: &App,
    team_id: &str,
    term: &str,
) -> AppResult<Vec<Channel>> {
    let archived = archived_in_searches(app);
    Ok(store::search_public_channels(&app.store, team_id, term.trim(), archived).await?)
}

/// The team channels (not DMs or GMs) a user belongs to in whose name, display name or
/// purpose each word of `term` begins a word: the search of someone who may not list the
/// team's channels.
pub async fn search_member_channels(
    app: &App,
    team_id: &str,
    user_id: &str,
    term: &str,
) -> AppResult<Vec<Channel>> {
    let archived = if archived_viewable(app) {
        Archived::All
    } else {
        Archived::Exclude
    };
    let channels = store::team_channels_for_user(&app.store, team_id, user_id, archived).await?;
    Ok(channels
        .into_iter()
        .filter(|c| !c.is_group_or_direct())
        .filter(|c| store::words_begin(term, &[&c.name, &c.display_name, &c.purpose]))
        .collect())
}

pub async fn autocomplete_channels(
    app: &App,
    team_id: &str,
    user_id: &str,
    term: &str,
) -> AppResult<Vec<Channel>> {
    let archived = archived_in_searches(app);
    Ok(store::autocomplete_channels(&app.store, team_id, user_id, term.trim(), archived).await?)
}

/// The distinct timezones of a channel's members, each as the member uses it (automatic or
/// manual): what the web client names before an `@all` to a big channel.
pub async fn member_timezones(app: &App, channel_id: &str) -> AppResult<Vec<String>> {
    let mut zones = std::collections::BTreeSet::new();
    for tz in store::member_timezones(&app.store, channel_id).await? {
        let key = if tz.get("useAutomaticTimezone").map(String::as_str) == Some("true") {
            "automaticTimezone"
        } else {
            "manualTimezone"
        };
        if let Some(zone) = tz.get(key).filter(|z| !z.is_empty()) {
            zones.insert(zone.clone());
        }
    }
    Ok(zones.into_iter().collect())
}

pub async fn channel_stats(app: &App, channel_id: &str) -> AppResult<ChannelStats> {
    let (member_count, guest_count, pinnedpost_count, files_count) =
        store::stats(&app.store, channel_id).await?;
    Ok(ChannelStats {
        channel_id: channel_id.to_string(),
        member_count,
        guest_count,
        pinnedpost_count,
        files_count,
    })
}

pub async fn members_page(
    app: &App,
    channel_id: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ChannelMember>> {
    Ok(store::members_page(&app.store, channel_id, limit, offset).await?)
}

pub async fn members_by_ids(
    app: &App,
    channel_id: &str,
    user_ids: &[String],
) -> AppResult<Vec<ChannelMember>> {
    Ok(store::members_by_ids(&app.store, channel_id, user_ids).await?)
}

pub async fn members_for_user_in_team(
    app: &App,
    team_id: &str,
    user_id: &str,
) -> AppResult<Vec<ChannelMember>> {
    Ok(store::members_for_user_in_team(&app.store, team_id, user_id).await?)
}

pub async fn members_for_user(
    app: &App,
    user_id: &str,
    limit: i64,
    offset: i64,
) -> AppResult<Vec<ChannelMemberWithTeamData>> {
    Ok(store::members_for_user(&app.store, user_id, limit, offset).await?)
}

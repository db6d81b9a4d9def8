//! Channel searches the clients make at start-up: every team's channels for the system
//! console, a user's group messages, and a user's channels for the search box.

use crate::{App, AppResult};
use utmost_model::channel::{Channel, ChannelWithTeamData};
pub use utmost_store::channels::AllChannelsSearch;
use utmost_store::channels::{self as store, Archived};

/// Mattermost's cap on the channels an autocomplete for search returns.
const AUTOCOMPLETE_LIMIT: usize = 50;

/// `SearchAllChannels`: one page and the total.
pub async fn search_all(
    app: &App,
    search: &AllChannelsSearch,
) -> AppResult<(Vec<ChannelWithTeamData>, i64)> {
    Ok(store::search_all(&app.store, search).await?)
}

/// `SearchGroupChannels`: the user's live group messages where each word of `term` starts
/// one of the members' usernames. The members are read from the channel's display name
/// (their usernames, as the group was created), so a group of many members whose name was
/// cut at 64 characters matches on the usernames it shows. An empty term finds nothing.
pub async fn search_group_channels(
    app: &App,
    user_id: &str,
    term: &str,
) -> AppResult<Vec<Channel>> {
    let words: Vec<String> = term
        .split_whitespace()
        .map(|w| w.trim_start_matches('@').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let channels = store::channels_for_user(&app.store, user_id, Archived::Exclude).await?;
    Ok(channels
        .into_iter()
        .filter(|c| c.channel_type == utmost_model::channel::CHANNEL_GROUP)
        .filter(|c| {
            let members: Vec<String> = c
                .display_name
                .split(',')
                .map(|m| m.trim().to_lowercase())
                .collect();
            words
                .iter()
                .all(|w| members.iter().any(|m| m.starts_with(w.as_str())))
        })
        .collect())
}

/// `AutocompleteChannelsForSearch`: the user's live channels of the team in whose name or
/// display name each word of `term` begins a word, by display name, at most 50. Only the
/// user's own channels are searched, so no permission is needed.
pub async fn autocomplete_for_search(
    app: &App,
    team_id: &str,
    user_id: &str,
    term: &str,
) -> AppResult<Vec<Channel>> {
    let channels =
        store::team_channels_for_user(&app.store, team_id, user_id, Archived::Exclude).await?;
    Ok(channels
        .into_iter()
        .filter(|c| !c.is_group_or_direct())
        .filter(|c| store::words_begin(term, &[&c.name, &c.display_name]))
        .take(AUTOCOMPLETE_LIMIT)
        .collect())
}

/// `AutocompleteChannels` of a user across teams (`POST /channels/search` outside the system
/// console): the user's live public and private channels in whose name or display name each
/// word of `term` begins a word, by display name, at most 50, each with its team's names.
pub async fn search_own_channels(
    app: &App,
    user_id: &str,
    term: &str,
) -> AppResult<Vec<ChannelWithTeamData>> {
    let channels = store::channels_for_user(&app.store, user_id, Archived::Exclude).await?;
    let mut found = Vec::new();
    for channel in channels
        .into_iter()
        .filter(|c| !c.is_group_or_direct())
        .filter(|c| store::words_begin(term, &[&c.name, &c.display_name]))
        .take(AUTOCOMPLETE_LIMIT)
    {
        let team = utmost_store::teams::get(&app.store, &channel.team_id).await?;
        found.push(ChannelWithTeamData {
            team_display_name: team
                .as_ref()
                .map(|t| t.display_name.clone())
                .unwrap_or_default(),
            team_name: team.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
            team_update_at: team.as_ref().map_or(0, |t| t.update_at),
            channel,
        });
    }
    found.sort_by(|a, b| a.channel.display_name.cmp(&b.channel.display_name));
    Ok(found)
}

//! Team unreads: the unread counts of a user's channels summed per team, as Mattermost's
//! `GetTeamUnread` / `GetTeamsUnreadForUser` compute them.

use crate::{App, AppResult};
use utmost_model::team::TeamUnread;
use utmost_store::teams::{self as store, ChannelUnread, UnreadScope};

/// Adds one channel to its team's sums. Mentions always count; plain messages only when the
/// member has not muted the channel down to mentions.
fn add_channel(sum: &mut TeamUnread, channel: &ChannelUnread) {
    sum.mention_count += channel.mention_count;
    sum.mention_count_root += channel.mention_count_root;
    if !channel.marks_mentions_only() {
        sum.msg_count += channel.msg_count;
        sum.msg_count_root += channel.msg_count_root;
    }
}

/// `GET /users/{user_id}/teams/{team_id}/unread`.
pub async fn unread_for_team(app: &App, team_id: &str, user_id: &str) -> AppResult<TeamUnread> {
    let channels = store::channel_unreads(&app.store, user_id, UnreadScope::Team(team_id)).await?;
    let mut sum = TeamUnread {
        team_id: team_id.to_string(),
        ..TeamUnread::default()
    };
    for channel in &channels {
        add_channel(&mut sum, channel);
    }
    Ok(sum)
}

/// `GET /users/{user_id}/teams/unread`: one entry per team the user has channels in, except
/// `exclude_team` (direct and group messages count only when a team is excluded, as in
/// Mattermost, and then under team id ""). With `include_collapsed_threads` (unless
/// collapsed threads are disabled) each team also carries its unread followed threads.
pub async fn unreads_for_user(
    app: &App,
    user_id: &str,
    exclude_team: &str,
    include_collapsed_threads: bool,
) -> AppResult<Vec<TeamUnread>> {
    let scope = UnreadScope::AllTeamsExcept(exclude_team);
    let channels = store::channel_unreads(&app.store, user_id, scope).await?;
    let mut sums: Vec<TeamUnread> = Vec::new();
    // Rows arrive ordered by team, so each team's channels are consecutive.
    for channel in &channels {
        match sums.last_mut() {
            Some(sum) if sum.team_id == channel.team_id => add_channel(sum, channel),
            _ => {
                let mut sum = TeamUnread {
                    team_id: channel.team_id.clone(),
                    ..TeamUnread::default()
                };
                add_channel(&mut sum, channel);
                sums.push(sum);
            }
        }
    }
    if include_collapsed_threads && app.config().service_settings.collapsed_threads != "disabled" {
        let threads = crate::threads::team_unreads(app, user_id).await?;
        for sum in &mut sums {
            if let Some(unread) = threads.get(&sum.team_id) {
                sum.thread_count = unread.thread_count;
                sum.thread_mention_count = unread.thread_mention_count;
                sum.thread_urgent_mention_count = unread.thread_urgent_mention_count;
            }
        }
    }
    Ok(sums)
}

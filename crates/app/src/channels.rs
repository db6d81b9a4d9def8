//! Channels: creation, membership, DMs and GMs, read state.
//!
//! Services take already-authorised requests; the permission checks live at the top of the
//! api4 handlers, in Mattermost's order.

mod create;
mod direct;
mod members;
mod queries;
mod read_state;
mod search;
pub(crate) mod system_messages;
mod update;
mod validation;

pub use create::create_channel;
pub use direct::{get_or_create_direct, get_or_create_group};
pub use members::*;
pub use queries::*;
pub use read_state::{mark_read, view_channel};
pub use search::*;
pub use update::*;
pub use utmost_store::channels::Archived;
pub use validation::{is_valid_name, validate};

use crate::bus::Event;
use crate::{App, AppResult};
use utmost_model::channel::{
    Channel, CHANNEL_OPEN, DEFAULT_CHANNEL_DISPLAY_NAME, DEFAULT_CHANNEL_NAME,
    OFF_TOPIC_CHANNEL_DISPLAY_NAME, OFF_TOPIC_CHANNEL_NAME,
};
use utmost_model::user::User;
use utmost_model::{new_id, now_millis};
use utmost_store::channels as store;
use utmost_store::Deleted;

/// Creates a new team's default channels (Town Square and Off-Topic) without members, as
/// Mattermost's `CreateDefaultChannels` does: the creator joins them through
/// [`join_default_channels`] when joining the team. Names already taken are left as they are.
pub async fn create_default_channels(app: &App, team_id: &str, _creator_id: &str) -> AppResult<()> {
    for (name, display_name) in [
        (DEFAULT_CHANNEL_NAME, DEFAULT_CHANNEL_DISPLAY_NAME),
        (OFF_TOPIC_CHANNEL_NAME, OFF_TOPIC_CHANNEL_DISPLAY_NAME),
    ] {
        let now = now_millis();
        let channel = Channel {
            id: new_id(),
            create_at: now,
            update_at: now,
            team_id: team_id.to_string(),
            channel_type: CHANNEL_OPEN.to_string(),
            name: name.to_string(),
            display_name: display_name.to_string(),
            ..Channel::default()
        };
        store::create(&app.store, &channel, &[], None).await?;
    }
    Ok(())
}

/// The channels everyone joining a team joins (`DefaultChannelNames`): Town Square, then
/// TeamSettings.ExperimentalDefaultChannels, or Off-Topic when that list is empty.
fn default_channel_names(app: &App) -> Vec<String> {
    let configured = app
        .config()
        .team_settings
        .experimental_default_channels
        .clone();
    let mut names = vec![DEFAULT_CHANNEL_NAME.to_string()];
    if configured.is_empty() {
        names.push(OFF_TOPIC_CHANNEL_NAME.to_string());
    }
    for name in configured {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// Adds a user who joined a team to the team's default channels that exist and are public,
/// saying so in each (`postJoinMessageForDefaultChannel`): "joined the team" in Town Square,
/// "joined the channel" elsewhere.
pub async fn join_default_channels(app: &App, team_id: &str, user_id: &str) -> AppResult<()> {
    let user = crate::users::get(app, user_id).await?;
    for name in default_channel_names(app) {
        let Some(channel) =
            store::get_by_name(&app.store, team_id, &name, Deleted::Exclude).await?
        else {
            continue;
        };
        if channel.is_open() && channel.team_id == team_id {
            store::add_member(
                &app.store,
                &members::new_member(&channel, &user),
                now_millis(),
            )
            .await?;
            app.publish(Event::ChannelMemberAdded {
                channel: channel.clone(),
                user_id: user_id.to_string(),
            })
            .await;
            let message = if channel.name == DEFAULT_CHANNEL_NAME {
                system_messages::join_team(&user)
            } else {
                system_messages::join_channel(&user)
            };
            system_messages::post(app, &channel, user_id, message).await;
        }
    }
    Ok(())
}

/// Removes a user who left a team from every channel of that team, then tells Town Square
/// (as Mattermost's `LeaveTeam`): "left the team" when `requestor_id` is the user, else
/// "removed from the team", written as the user either way.
pub async fn leave_team_channels(
    app: &App,
    team_id: &str,
    user: &User,
    requestor_id: &str,
) -> AppResult<()> {
    store::remove_user_from_team_channels(&app.store, team_id, &user.id, now_millis()).await?;
    app.publish(Event::TeamChannelsLeft {
        team_id: team_id.to_string(),
        user_id: user.id.clone(),
    })
    .await;
    if let Some(town_square) =
        store::get_by_name(&app.store, team_id, DEFAULT_CHANNEL_NAME, Deleted::Exclude).await?
    {
        let message = if requestor_id == user.id {
            system_messages::leave_team(user)
        } else {
            system_messages::removed_from_team(user)
        };
        system_messages::post(app, &town_square, &user.id, message).await;
    }
    Ok(())
}

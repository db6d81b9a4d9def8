//! Direct (two people, or one with themselves) and group (3–8 people) message channels.

use super::members::new_member;
use crate::authorization::has_system_permission;
use crate::bus::Event;
use crate::errors::ChannelError;
use crate::{App, AppResult};
use utmost_model::channel::{
    Channel, ChannelMember, CHANNEL_DIRECT, CHANNEL_GROUP, CHANNEL_NAME_MAX_LENGTH,
    GROUP_CHANNEL_MAX_USERS, GROUP_CHANNEL_MIN_USERS,
};
use utmost_model::id::{direct_channel_name, group_channel_name};
use utmost_model::session::Session;
use utmost_model::user::User;
use utmost_model::{new_id, now_millis, permissions, AppError};
use utmost_store::channels::{self as store, Saved};
use utmost_store::users as user_store;
use utmost_store::Deleted;

/// Saves a DM or GM with its members; when another request created it first, answers that
/// channel.
async fn save_or_existing(
    app: &App,
    channel: Channel,
    members: &[ChannelMember],
) -> AppResult<Channel> {
    match store::create(&app.store, &channel, members, None).await? {
        Saved::Created => Ok(channel),
        Saved::NameTaken | Saved::LimitExceeded => {
            let existing =
                store::get_by_name(&app.store, "", &channel.name, Deleted::Include).await?;
            existing.ok_or_else(|| {
                AppError::internal(
                    "app.channel.create_channel.internal_error",
                    "channel vanished",
                )
            })
        }
    }
}

fn conversation(channel_type: &str, name: String, display_name: String, creator: &str) -> Channel {
    let now = now_millis();
    Channel {
        id: new_id(),
        create_at: now,
        update_at: now,
        channel_type: channel_type.to_string(),
        name,
        display_name,
        creator_id: creator.to_string(),
        ..Channel::default()
    }
}

/// The DM between two users (the same id twice for a self-DM), created on first use.
/// With TeamSettings.RestrictDirectMessage = "team", non-admins may only open DMs with
/// people they share a team with (bots excepted).
pub async fn get_or_create_direct(
    app: &App,
    session: &Session,
    user_id: &str,
    other_id: &str,
) -> AppResult<Channel> {
    let name = direct_channel_name(user_id, other_id);
    if let Some(existing) = store::get_by_name(&app.store, "", &name, Deleted::Include).await? {
        return Ok(existing);
    }
    let user = user_store::get(&app.store, user_id)
        .await?
        .ok_or(ChannelError::DirectInvalidUser)?;
    let other = user_store::get(&app.store, other_id)
        .await?
        .ok_or(ChannelError::DirectInvalidUser)?;

    let restricted = app.config().team_settings.restrict_direct_message == "team";
    if restricted
        && !has_system_permission(app, session, permissions::MANAGE_SYSTEM)
        && !user.is_bot
        && !other.is_bot
        && !utmost_store::teams::share_a_team(&app.store, user_id, other_id).await?
    {
        return Err(ChannelError::DirectNoSharedTeam.into());
    }

    let channel = conversation(CHANNEL_DIRECT, name, String::new(), user_id);
    let mut members = vec![new_member(&channel, &user)];
    if user.id != other.id {
        members.push(new_member(&channel, &other));
    }
    let new_id = channel.id.clone();
    let saved = save_or_existing(app, channel, &members).await?;
    if saved.id == new_id {
        app.publish(Event::DirectChannelCreated {
            channel: saved.clone(),
            creator_id: user_id.to_string(),
            teammate_id: other_id.to_string(),
        })
        .await;
    }
    Ok(saved)
}

/// `GetGroupDisplayNameFromUsers`: sorted usernames joined by ", ", cut to 64 bytes.
fn group_display_name(users: &[User]) -> String {
    let mut names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
    names.sort_unstable();
    let mut name = names.join(", ");
    if name.len() > CHANNEL_NAME_MAX_LENGTH {
        let mut cut = CHANNEL_NAME_MAX_LENGTH;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    name
}

/// The GM among `user_ids` (distinct, the caller included), created on first use.
pub async fn get_or_create_group(app: &App, user_ids: &[String]) -> AppResult<Channel> {
    if !(GROUP_CHANNEL_MIN_USERS..=GROUP_CHANNEL_MAX_USERS).contains(&user_ids.len()) {
        return Err(ChannelError::GroupSize.into());
    }
    let mut users = Vec::with_capacity(user_ids.len());
    for id in user_ids {
        match user_store::get(&app.store, id).await? {
            Some(u) => users.push(u),
            None => return Err(ChannelError::GroupUnknownUser.into()),
        }
    }
    let name = group_channel_name(user_ids);
    if let Some(existing) = store::get_by_name(&app.store, "", &name, Deleted::Include).await? {
        return Ok(existing);
    }
    let channel = conversation(CHANNEL_GROUP, name, group_display_name(&users), "");
    let members: Vec<ChannelMember> = users.iter().map(|u| new_member(&channel, u)).collect();
    let new_id = channel.id.clone();
    let saved = save_or_existing(app, channel, &members).await?;
    if saved.id == new_id {
        app.publish(Event::GroupChannelCreated {
            channel: saved.clone(),
            member_ids: user_ids.to_vec(),
        })
        .await;
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_are_sorted_and_cut() {
        let users: Vec<User> = ["carol", "alice", "bob"]
            .iter()
            .map(|n| User {
                username: n.to_string(),
                ..User::default()
            })
            .collect();
        assert_eq!(group_display_name(&users), "alice, bob, carol");
        let long: Vec<User> = (0..8)
            .map(|i| User {
                username: format!("user{i}-with-a-long-name"),
                ..User::default()
            })
            .collect();
        assert_eq!(group_display_name(&long).len(), 64);
    }
}

//! `/invite`, `/kick` (`/remove`), `/join` and `/leave` (`command_invite.go`,
//! `command_remove.go`, `command_join.go`, `command_leave.go`): channel membership through
//! `channels::add_member` / `remove_member`, under the checks of the channel member routes.

use super::super::registry::CommandCall;
use super::{team_url, user_named};
use crate::authorization::{has_channel_permission, has_team_permission};
use crate::{App, AppResult};
use utmost_model::channel::{Channel, DEFAULT_CHANNEL_NAME};
use utmost_model::command::CommandResponse;
use utmost_model::permissions::{
    JOIN_PUBLIC_CHANNELS, MANAGE_PRIVATE_CHANNEL_MEMBERS, MANAGE_PUBLIC_CHANNEL_MEMBERS,
};

fn says(text: impl Into<String>) -> AppResult<CommandResponse> {
    Ok(CommandResponse::ephemeral(text))
}

async fn may_manage_members(app: &App, call: &CommandCall, channel: &Channel) -> AppResult<bool> {
    let permission = if channel.is_private() {
        MANAGE_PRIVATE_CHANNEL_MEMBERS
    } else {
        MANAGE_PUBLIC_CHANNEL_MEMBERS
    };
    has_channel_permission(app, &call.session, &channel.id, permission).await
}

/// `/invite @user [~channel]`: into the named channel of the team, or this one.
pub async fn invite(
    app: &App,
    call: &CommandCall,
    here: &Channel,
    message: &str,
) -> AppResult<CommandResponse> {
    let mut words = message.split_whitespace();
    let Some(name) = words.next() else {
        return says("You must provide a user to invite. Use /invite @username ~channel.");
    };
    let Some(user) = user_named(app, name).await?.filter(|u| u.delete_at == 0) else {
        return says("We couldn't find the user. They may have been deactivated by the System Administrator.");
    };
    let channel = match words.next() {
        Some(target) => {
            let target = target.trim_start_matches('~');
            match crate::channels::get_channel_by_name(app, &call.team_id, target, false).await {
                Ok(channel) => channel,
                Err(_) => return says("We couldn't find the channel."),
            }
        }
        None => here.clone(),
    };
    if channel.is_group_or_direct() {
        return says("You can't add someone to a direct message channel.");
    }
    if crate::channels::get_member(app, &channel.id, call.user_id())
        .await
        .is_err()
        || !may_manage_members(app, call, &channel).await?
    {
        return says("You don't have enough permissions to add others to this channel.");
    }
    if crate::channels::get_member(app, &channel.id, &user.id)
        .await
        .is_ok()
    {
        return says(format!("@{} is already in the channel.", user.username));
    }
    match crate::channels::add_member(app, &channel, &user.id, call.user_id()).await {
        Ok(_) => says(format!(
            "@{} added to ~{} channel.",
            user.username, channel.name
        )),
        Err(e) => says(e.message),
    }
}

/// `/kick @user` and `/remove @user`: out of this channel.
pub async fn remove(
    app: &App,
    call: &CommandCall,
    channel: &Channel,
    message: &str,
) -> AppResult<CommandResponse> {
    if channel.is_group_or_direct() {
        return says("You can't remove someone from a direct message channel.");
    }
    let Some(name) = message.split_whitespace().next() else {
        return says("You must provide a user to remove. Use /kick @username.");
    };
    let Some(user) = user_named(app, name).await? else {
        return says("We couldn't find the user. They may have been deactivated by the System Administrator.");
    };
    if user.id != call.user_id() && !may_manage_members(app, call, channel).await? {
        return says("You don't have the appropriate permissions to remove the member.");
    }
    if crate::channels::get_member(app, &channel.id, &user.id)
        .await
        .is_err()
    {
        return says(format!(
            "@{} is not a member of the channel.",
            user.username
        ));
    }
    match crate::channels::remove_member(app, channel, &user.id, call.user_id()).await {
        Ok(()) => Ok(CommandResponse::default()),
        Err(e) => says(e.message),
    }
}

/// `/join ~channel`: a public channel of the team (or a private one the user is in), then
/// the client goes there.
pub async fn join(app: &App, call: &CommandCall, message: &str) -> AppResult<CommandResponse> {
    let name = message
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches('~');
    let Ok(channel) = crate::channels::get_channel_by_name(app, &call.team_id, name, false).await
    else {
        return says("Unable to find the channel.");
    };
    let member = crate::channels::get_member(app, &channel.id, call.user_id())
        .await
        .is_ok();
    if !member {
        let may_join = channel.is_open()
            && has_team_permission(app, &call.session, &channel.team_id, JOIN_PUBLIC_CHANNELS)
                .await?;
        if !may_join {
            return says("Unable to find the channel.");
        }
        if let Err(e) = crate::channels::add_member(app, &channel, call.user_id(), "").await {
            return says(format!(
                "An error occurred while joining the channel. {}",
                e.message
            ));
        }
    }
    Ok(CommandResponse::goto(format!(
        "{}/channels/{}",
        team_url(app, call).await?,
        channel.name
    )))
}

/// `/leave`: this channel, then the client goes to Town Square.
pub async fn leave(app: &App, call: &CommandCall, channel: &Channel) -> AppResult<CommandResponse> {
    if channel.is_group_or_direct() {
        return says("You can't leave a direct message channel.");
    }
    if let Err(e) =
        crate::channels::remove_member(app, channel, call.user_id(), call.user_id()).await
    {
        return says(e.message);
    }
    Ok(CommandResponse::goto(format!(
        "{}/channels/{DEFAULT_CHANNEL_NAME}",
        team_url(app, call).await?
    )))
}

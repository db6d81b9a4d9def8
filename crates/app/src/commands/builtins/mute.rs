//! `/mute [~channel]` (`command_mute.go`): toggles the member's `mark_unread` between
//! `all` and `mention` for this channel or the named one.

use super::super::registry::CommandCall;
use crate::{App, AppResult};
use std::collections::BTreeMap;
use utmost_model::channel::Channel;
use utmost_model::command::CommandResponse;

pub async fn toggle(
    app: &App,
    call: &CommandCall,
    here: &Channel,
    message: &str,
) -> AppResult<CommandResponse> {
    let channel = match message.split_whitespace().next() {
        Some(name) => {
            let name = name.trim_start_matches('~');
            match crate::channels::get_channel_by_name(app, &call.team_id, name, false).await {
                Ok(channel) => channel,
                Err(_) => {
                    return Ok(CommandResponse::ephemeral(
                        "Could not find the specified channel. Please use the channel handle to identify channels.",
                    ))
                }
            }
        }
        None => here.clone(),
    };
    let Ok(member) = crate::channels::get_member(app, &channel.id, call.user_id()).await else {
        return Ok(CommandResponse::ephemeral(
            "You are not a member of that channel.",
        ));
    };
    let muted = member
        .notify_props
        .get("mark_unread")
        .is_some_and(|v| v == "mention");
    let value = if muted { "all" } else { "mention" };
    let props = BTreeMap::from([("mark_unread".to_string(), value.to_string())]);
    crate::channels::update_member_notify_props(app, &channel.id, call.user_id(), &props).await?;
    let shown = if channel.is_group_or_direct() {
        "this conversation".to_string()
    } else {
        format!("~{}", channel.name)
    };
    Ok(CommandResponse::ephemeral(if muted {
        format!("{shown} is no longer muted.")
    } else {
        format!("You will not receive notifications for {shown} until channel mute is turned off.")
    }))
}

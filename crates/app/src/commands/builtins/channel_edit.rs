//! `/header`, `/purpose` and `/rename` (`command_channel_header.go` …): the channel patched
//! through `channels::patch_channel`, under the checks of `PATCH /channels/{id}` (the
//! channel's properties permission; a DM or group message's members may set its header
//! only). Success answers nothing: the channel's system message says it.

use super::super::registry::CommandCall;
use crate::authorization::has_channel_permission;
use crate::{App, AppResult};
use utmost_model::channel::{Channel, ChannelPatch};
use utmost_model::command::CommandResponse;
use utmost_model::permissions::{
    MANAGE_PRIVATE_CHANNEL_PROPERTIES, MANAGE_PUBLIC_CHANNEL_PROPERTIES,
};

/// `ChannelDisplayNameMaxRunes`.
const MAX_DISPLAY_NAME: usize = 64;

pub async fn run(
    app: &App,
    call: &CommandCall,
    channel: &Channel,
    field: &str,
    message: &str,
) -> AppResult<CommandResponse> {
    let says = |text: &str| Ok(CommandResponse::ephemeral(text));
    if channel.is_group_or_direct() && field != "header" {
        return says(if field == "purpose" {
            "Unable to set purpose for direct message channels. Use /header to set the header instead."
        } else {
            "Unable to rename direct message channels."
        });
    }
    if message.is_empty() {
        return says(&format!(
            "A message must be provided with the /{field} command."
        ));
    }
    let permitted = if channel.is_open() {
        has_channel_permission(
            app,
            &call.session,
            &channel.id,
            MANAGE_PUBLIC_CHANNEL_PROPERTIES,
        )
        .await?
    } else if channel.is_private() {
        has_channel_permission(
            app,
            &call.session,
            &channel.id,
            MANAGE_PRIVATE_CHANNEL_PROPERTIES,
        )
        .await?
    } else {
        crate::channels::get_member(app, &channel.id, call.user_id())
            .await
            .is_ok()
    };
    if !permitted {
        return says(match field {
            "header" => "You don't have the appropriate permissions to edit the channel header.",
            "purpose" => "You don't have the appropriate permissions to edit the channel purpose.",
            _ => "You don't have the appropriate permissions to rename the channel.",
        });
    }
    let mut patch = ChannelPatch::default();
    match field {
        "header" => patch.header = Some(message.to_string()),
        "purpose" => patch.purpose = Some(message.to_string()),
        _ if message.chars().count() > MAX_DISPLAY_NAME => {
            return says("Channel name must be 64 or fewer characters");
        }
        _ => patch.display_name = Some(message.to_string()),
    }
    match crate::channels::patch_channel(app, call.user_id(), channel.clone(), &patch).await {
        Ok(_) => Ok(CommandResponse::default()),
        Err(e) => says(&e.message),
    }
}

//! Changing channels: properties, privacy, archiving, restoring, deleting for good.

use super::system_messages;
use crate::bus::Event;
use crate::errors::ChannelError;
use crate::{App, AppResult};
use utmost_model::channel::{Channel, ChannelPatch, DEFAULT_CHANNEL_NAME};
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_store::channels as store;
use utmost_store::StoreError;

/// Validates and stores a changed channel (`UpdateChannel`), stamping `update_at`.
pub async fn update_channel(app: &App, mut channel: Channel) -> AppResult<Channel> {
    channel.update_at = now_millis();
    super::validate(&channel)?;
    match store::update(&app.store, &channel).await {
        Ok(true) => {
            app.publish(Event::ChannelUpdated {
                channel: channel.clone(),
            })
            .await;
            Ok(channel)
        }
        Ok(false) => Err(ChannelError::NotFound.into()),
        Err(StoreError::Conflict(_)) => Err(ChannelError::NameTakenOnUpdate.into()),
        Err(e) => Err(e.into()),
    }
}

/// `PUT /channels/{id}`: stores the edited channel and, as Mattermost's handler does, says
/// so in the channel when the display name changed (header and purpose edits stay silent).
pub async fn edit_channel(
    app: &App,
    actor_id: &str,
    before: &Channel,
    channel: Channel,
) -> AppResult<Channel> {
    let channel = update_channel(app, channel).await?;
    if before.display_name != channel.display_name {
        let (old, new) = (&before.display_name, &channel.display_name);
        system_messages::post_as(app, &channel, actor_id, |actor| {
            system_messages::display_name_change(actor, old, new)
        })
        .await;
    }
    Ok(channel)
}

/// `PatchChannel`: applies the patch, then says in the channel what changed, in Mattermost's
/// order: display name, header, purpose.
pub async fn patch_channel(
    app: &App,
    actor_id: &str,
    channel: Channel,
    patch: &ChannelPatch,
) -> AppResult<Channel> {
    let before = channel.clone();
    let mut changed = channel;
    changed.apply(patch);
    let after = update_channel(app, changed).await?;
    let edits: [(&str, &str, EditMessage); 3] = [
        (
            &before.display_name,
            &after.display_name,
            system_messages::display_name_change,
        ),
        (
            &before.header,
            &after.header,
            system_messages::header_change,
        ),
        (
            &before.purpose,
            &after.purpose,
            system_messages::purpose_change,
        ),
    ];
    for (old, new, message) in edits {
        if old != new {
            system_messages::post_as(app, &after, actor_id, |actor| message(actor, old, new)).await;
        }
    }
    Ok(after)
}

/// Builds the message for one edited property from the editor, the old and the new value.
type EditMessage = fn(&User, &str, &str) -> system_messages::SystemMessage;

/// Makes a channel public ("O") or private ("P"); Town Square always stays public. A real
/// conversion is announced in the channel as written by `actor_id`.
pub async fn set_privacy(
    app: &App,
    actor_id: &str,
    mut channel: Channel,
    privacy: &str,
) -> AppResult<Channel> {
    if channel.name == DEFAULT_CHANNEL_NAME && privacy != utmost_model::channel::CHANNEL_OPEN {
        return Err(ChannelError::DefaultMadePrivate.into());
    }
    let converted = channel.channel_type != privacy;
    channel.channel_type = privacy.to_string();
    let channel = update_channel(app, channel).await?;
    if converted {
        system_messages::post_as(app, &channel, actor_id, |actor| {
            system_messages::privacy_change(actor, &channel)
        })
        .await;
        app.publish(Event::ChannelConverted {
            channel: channel.clone(),
        })
        .await;
    }
    Ok(channel)
}

/// Archives a channel (`DeleteChannel`): `delete_at` and `update_at` become now, and the
/// channel's last post says who archived it.
pub async fn archive_channel(
    app: &App,
    actor_id: &str,
    mut channel: Channel,
) -> AppResult<Channel> {
    if channel.is_deleted() {
        return Err(ChannelError::DeleteArchived.into());
    }
    if channel.name == DEFAULT_CHANNEL_NAME {
        return Err(ChannelError::DeleteDefault.into());
    }
    let now = now_millis();
    channel.delete_at = now;
    channel.update_at = now;
    store::update(&app.store, &channel).await?;
    system_messages::post_as(app, &channel, actor_id, system_messages::archived).await;
    app.publish(Event::ChannelDeleted {
        channel: channel.clone(),
    })
    .await;
    Ok(channel)
}

/// Unarchives a channel (`RestoreChannel`) and says who did.
pub async fn restore_channel(
    app: &App,
    actor_id: &str,
    mut channel: Channel,
) -> AppResult<Channel> {
    if !channel.is_deleted() {
        return Err(ChannelError::RestoreNotArchived.into());
    }
    channel.delete_at = 0;
    channel.update_at = now_millis();
    store::update(&app.store, &channel).await?;
    app.publish(Event::ChannelRestored {
        channel: channel.clone(),
    })
    .await;
    system_messages::post_as(app, &channel, actor_id, system_messages::restored).await;
    Ok(channel)
}

/// Deletes a channel and everything in it for good.
pub async fn permanent_delete_channel(app: &App, channel: &Channel) -> AppResult<()> {
    crate::purge::channel_contents(app, &channel.id).await?;
    store::permanent_delete(&app.store, &channel.id).await?;
    app.publish(Event::ChannelPermanentlyDeleted {
        channel: channel.clone(),
    })
    .await;
    Ok(())
}

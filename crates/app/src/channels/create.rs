//! `POST /channels`: public and private team channels (`CreateChannelWithUser`).

use super::members::new_member;
use crate::bus::Event;
use crate::errors::ChannelError;
use crate::{App, AppResult};
use utmost_model::channel::Channel;
use utmost_model::{new_id, now_millis};
use utmost_store::channels::{self as store, Saved};
use utmost_store::Deleted;

/// The error for a name already used in the team: an archived channel holding the name
/// gets its own id so clients can suggest restoring it.
pub(super) async fn name_taken(app: &App, team_id: &str, name: &str) -> AppResult<ChannelError> {
    let archived = store::get_by_name(&app.store, team_id, name, Deleted::Include)
        .await?
        .is_some_and(|c| c.is_deleted());
    Ok(if archived {
        ChannelError::NameTakenByArchived
    } else {
        ChannelError::NameTaken
    })
}

/// Creates a public or private channel in a team; the creator becomes its first member and
/// channel admin, and the channel's first post says they joined.
pub async fn create_channel(app: &App, creator_id: &str, input: Channel) -> AppResult<Channel> {
    if input.is_group_or_direct() {
        return Err(ChannelError::DirectThroughCreate.into());
    }
    if input.team_id.is_empty() {
        return Err(ChannelError::NoTeamId.into());
    }
    let max = app.config().team_settings.max_channels_per_team;
    if store::count_team_channels(&app.store, &input.team_id).await? + 1 > max {
        return Err(ChannelError::TeamLimit(max).into());
    }
    let creator = crate::users::get(app, creator_id).await?;
    let now = now_millis();
    let channel = Channel {
        id: new_id(),
        create_at: now,
        update_at: now,
        delete_at: 0,
        team_id: input.team_id,
        channel_type: input.channel_type,
        display_name: input.display_name.trim().to_string(),
        name: input.name,
        header: input.header,
        purpose: input.purpose,
        creator_id: creator.id.clone(),
        group_constrained: input.group_constrained,
        ..Channel::default()
    };
    super::validate(&channel)?;
    let creator_member = utmost_model::channel::ChannelMember {
        scheme_admin: true,
        ..new_member(&channel, &creator)
    };
    match store::create(&app.store, &channel, &[creator_member], Some(max)).await? {
        Saved::Created => {
            app.publish(Event::ChannelCreated {
                channel: channel.clone(),
                creator_id: creator_id.to_string(),
            })
            .await;
            let joined = super::system_messages::join_channel(&creator);
            super::system_messages::post(app, &channel, creator_id, joined).await;
            Ok(channel)
        }
        Saved::NameTaken => Err(name_taken(app, &channel.team_id, &channel.name)
            .await?
            .into()),
        Saved::LimitExceeded => Err(ChannelError::TeamLimitOnSave.into()),
    }
}

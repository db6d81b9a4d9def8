//! Channel moderation (Mattermost's `GetChannelModerationsForChannel` and
//! `PatchChannelModerationsForChannel` in `app/channel.go`): who may post, react, manage
//! members, use channel mentions and manage bookmarks in one channel, for its members and
//! its guests.
//!
//! Moderation is a channel scheme: the first patch creates one for the channel (its user and
//! guest roles hold only moderated permissions), later patches edit those two roles, and a
//! patch that brings both back to what the team's (or the system's) channel roles give
//! deletes the scheme again. A permission the role above withholds cannot be turned on
//! (`enabled: false`).

use crate::errors::SchemeError;
use crate::{roles, schemes, App, AppResult};
use std::collections::HashSet;
use utmost_model::channel::Channel;
use utmost_model::permissions::CHANNEL_MODERATED_NAMES;
use utmost_model::scheme::{
    moderated_names_changed, moderated_names_granted, permissions_after_moderation_patch,
    ChannelModeration, ChannelModerationPatch, ModeratedRole, ModeratedRoles, Scheme,
    SCOPE_CHANNEL,
};
use utmost_store::roles as role_store;

/// A role's permissions as the engine holds them (none for an unknown role).
fn permissions_of(app: &App, role: &str) -> Vec<String> {
    app.role_permissions()
        .permissions(role)
        .map(|set| {
            let mut list: Vec<String> = set.iter().cloned().collect();
            list.sort();
            list
        })
        .unwrap_or_default()
}

/// The moderations of `channel` as `GET /channels/{id}/moderations` shows them.
pub fn get(app: &App, channel: &Channel) -> Vec<ChannelModeration> {
    let table = app.scheme_table();
    let [higher_guest, higher_user, _] = table.team_channel_roles(&channel.team_id);
    let [guest, user, _] = table.channel_roles(&channel.team_id, channel.scheme_id.as_deref());
    build(
        &channel.channel_type,
        &permissions_of(app, user),
        &permissions_of(app, guest),
        &permissions_of(app, higher_user),
        &permissions_of(app, higher_guest),
    )
}

/// `PUT /channels/{id}/moderations/patch`.
pub async fn patch(
    app: &App,
    channel: &Channel,
    patch: &[ChannelModerationPatch],
) -> AppResult<Vec<ChannelModeration>> {
    let table = app.scheme_table();
    let [higher_guest, higher_user, _] = table.team_channel_roles(&channel.team_id);
    let higher_user_permissions = permissions_of(app, higher_user);
    let higher_guest_permissions = permissions_of(app, higher_guest);
    let allowed_user = names(&higher_user_permissions, &channel.channel_type);
    let allowed_guest = names(&higher_guest_permissions, &channel.channel_type);
    for entry in patch {
        let name = entry.name.as_deref().unwrap_or("");
        if (entry.roles.members == Some(true) && !allowed_user.contains(name))
            || (entry.roles.guests == Some(true) && !allowed_guest.contains(name))
        {
            return Err(SchemeError::ModerationRestricted.into());
        }
    }
    let scheme = match table.channel_scheme(channel.scheme_id.as_deref()) {
        Some(scheme) => scheme.clone(),
        None => create_channel_scheme(app, channel).await?,
    };
    let user_role = role_store::get_by_name(&app.store, &scheme.default_channel_user_role).await?;
    let guest_role =
        role_store::get_by_name(&app.store, &scheme.default_channel_guest_role).await?;
    let user_now = user_role
        .as_ref()
        .map(|r| r.permissions.clone())
        .unwrap_or_default();
    let guest_now = guest_role
        .as_ref()
        .map(|r| r.permissions.clone())
        .unwrap_or_default();
    let user_after = permissions_after_moderation_patch(&user_now, patch, true);
    let guest_after = permissions_after_moderation_patch(&guest_now, patch, false);
    let as_above = moderated_names_changed(&higher_user_permissions, &user_after).is_empty()
        && moderated_names_changed(&higher_guest_permissions, &guest_after).is_empty();
    if as_above {
        // The channel's moderation matches its team's again: the scheme goes.
        // Deleting it also takes the channel back to its team's roles.
        schemes::delete(app, &scheme.id).await?;
        return Ok(build(
            &channel.channel_type,
            &higher_user_permissions,
            &higher_guest_permissions,
            &higher_user_permissions,
            &higher_guest_permissions,
        ));
    }
    let now = utmost_model::now_millis();
    for (role, after) in [(&user_role, &user_after), (&guest_role, &guest_after)] {
        if let Some(role) = role {
            if &role.permissions != after {
                role_store::update_permissions(&app.store, &role.id, after, now).await?;
            }
        }
    }
    roles::reload(app).await?;
    // The channel moves (`update_at`) and is published, so its members' clients ask again
    // whether they may post (Mattermost tells each member their membership changed).
    schemes::write_channel_scheme(app, &channel.id, &scheme.id).await?;
    Ok(build(
        &channel.channel_type,
        &user_after,
        &guest_after,
        &higher_user_permissions,
        &higher_guest_permissions,
    ))
}

/// Mattermost's `CreateChannelScheme`: a channel scheme named by a new id, given to the channel.
async fn create_channel_scheme(app: &App, channel: &Channel) -> AppResult<Scheme> {
    let name = utmost_model::new_id();
    let scheme = schemes::create(
        app,
        Scheme {
            name: name.clone(),
            display_name: name,
            scope: SCOPE_CHANNEL.to_string(),
            ..Scheme::default()
        },
    )
    .await?;
    schemes::write_channel_scheme(app, &channel.id, &scheme.id).await?;
    Ok(scheme)
}

fn names(permissions: &[String], channel_type: &str) -> HashSet<&'static str> {
    moderated_names_granted(permissions.iter().map(String::as_str), channel_type)
        .into_iter()
        .collect()
}

/// Mattermost's `buildChannelModerations`.
fn build(
    channel_type: &str,
    user: &[String],
    guest: &[String],
    higher_user: &[String],
    higher_guest: &[String],
) -> Vec<ChannelModeration> {
    let (user, guest) = (names(user, channel_type), names(guest, channel_type));
    let (higher_user, higher_guest) = (
        names(higher_user, channel_type),
        names(higher_guest, channel_type),
    );
    CHANNEL_MODERATED_NAMES
        .iter()
        .map(|name| ChannelModeration {
            name: name.to_string(),
            roles: ModeratedRoles {
                members: Some(ModeratedRole {
                    value: user.contains(name),
                    enabled: higher_user.contains(name),
                }),
                guests: (*name != "manage_members").then(|| ModeratedRole {
                    value: guest.contains(name),
                    enabled: higher_guest.contains(name),
                }),
            },
        })
        .collect()
}

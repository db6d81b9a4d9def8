//! The WebSocket events the services publish, in Mattermost's shapes (reference §4.5), and the
//! routing updates that go with membership changes. Services call these after their write
//! has committed, so clients never hear of something that was rolled back.

use crate::users::{sanitize_as, Viewer};
use crate::App;
use serde::Serialize;
use serde_json::Value;
use utmost_model::channel::{Channel, ChannelMember};
use utmost_model::permissions::MANAGE_SYSTEM;
use utmost_model::post::Post;
use utmost_model::preference::Preference;
use utmost_model::team::{Team, TeamMember};
use utmost_model::user::User;
use utmost_model::websocket::{events as ev, Audience, WsEvent};
use utmost_store::sessions::EndedSession;

fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

pub fn posted(app: &App, post: &Post, channel: &Channel, sender_name: &str, mentions: Vec<String>) {
    let mut e = WsEvent::to_channel(ev::POSTED, &channel.id)
        .with_json_string("post", post)
        .with("channel_type", channel.channel_type.clone())
        .with("channel_display_name", channel.display_name.clone())
        .with("channel_name", channel.name.clone())
        .with("sender_name", sender_name)
        .with("team_id", channel.team_id.clone())
        .with("set_online", true);
    if !post.file_ids.is_empty() {
        e = e.with("otherFile", "true");
    }
    app.hub.publish_with_mentions(e, mentions);
}

pub fn post_edited(app: &App, post: &Post) {
    app.hub.publish(
        WsEvent::to_channel(ev::POST_EDITED, &post.channel_id).with_json_string("post", post),
    );
}

pub fn post_deleted(app: &App, post: &Post, deleted_by: &str) {
    app.hub.publish(
        WsEvent::to_channel(ev::POST_DELETED, &post.channel_id)
            .with_json_string("post", post)
            .with("delete_by", deleted_by),
    );
}

/// A user joined a channel: route its events to them, tell the channel and the user.
pub fn user_added_to_channel(app: &App, channel: &Channel, user_id: &str) {
    app.hub.join_channel(user_id, &channel.id);
    app.hub.publish(
        WsEvent::to_channel(ev::USER_ADDED, &channel.id)
            .with("user_id", user_id)
            .with("team_id", channel.team_id.clone()),
    );
}

/// A user left or was removed from a channel. As in Mattermost, the channel's remaining
/// members hear it on the channel and the removed user gets their own copy.
pub fn user_removed_from_channel(app: &App, channel: &Channel, user_id: &str, remover_id: &str) {
    app.hub.leave_channel(user_id, &channel.id);
    app.hub.publish(
        WsEvent::to_channel(ev::USER_REMOVED, &channel.id)
            .with("user_id", user_id)
            .with("remover_id", remover_id),
    );
    app.hub.publish(
        WsEvent::to_user(ev::USER_REMOVED, user_id)
            .with("channel_id", channel.id.clone())
            .with("remover_id", remover_id),
    );
}

/// Reloads a user's routing from the database, for changes that touch many memberships.
pub async fn refresh_routes(app: &App, user_id: &str) -> crate::AppResult<()> {
    let (channels, teams) = utmost_store::authz::memberships(&app.store, user_id).await?;
    app.hub.set_routes(user_id, channels, teams);
    Ok(())
}

pub fn channel_created(app: &App, channel: &Channel, creator_id: &str) {
    app.hub.join_channel(creator_id, &channel.id);
    app.hub.publish(
        WsEvent::to_user(ev::CHANNEL_CREATED, creator_id)
            .with("channel_id", channel.id.clone())
            .with("team_id", channel.team_id.clone()),
    );
}

/// A DM was created: both users route it; the channel hears `direct_added`.
pub fn direct_added(app: &App, channel: &Channel, creator_id: &str, teammate_id: &str) {
    app.hub.join_channel(creator_id, &channel.id);
    app.hub.join_channel(teammate_id, &channel.id);
    app.hub.publish(
        WsEvent::to_channel(ev::DIRECT_ADDED, &channel.id)
            .with("creator_id", creator_id)
            .with("teammate_id", teammate_id),
    );
}

/// A GM was created: every member routes it and hears `group_added`.
pub fn group_added(app: &App, channel: &Channel, member_ids: &[String]) {
    for uid in member_ids {
        app.hub.join_channel(uid, &channel.id);
    }
    let teammates = serde_json::to_string(member_ids).unwrap_or_default();
    for uid in member_ids {
        app.hub.publish(
            WsEvent::to_user(ev::GROUP_ADDED, uid)
                .with("teammate_ids", teammates.clone())
                .with("channel_id", channel.id.clone()),
        );
    }
}

pub fn channel_updated(app: &App, channel: &Channel) {
    app.hub.publish(
        WsEvent::to_channel(ev::CHANNEL_UPDATED, &channel.id).with_json_string("channel", channel),
    );
}

pub fn channel_converted(app: &App, channel: &Channel) {
    app.hub.publish(
        WsEvent::to_team(ev::CHANNEL_CONVERTED, &channel.team_id)
            .with("channel_id", channel.id.clone()),
    );
}

pub fn channel_deleted(app: &App, channel: &Channel) {
    app.hub.publish(
        WsEvent::to_team(ev::CHANNEL_DELETED, &channel.team_id)
            .with("channel_id", channel.id.clone())
            .with("delete_at", channel.delete_at),
    );
}

pub fn channel_restored(app: &App, channel: &Channel) {
    app.hub.publish(
        WsEvent::to_team(ev::CHANNEL_RESTORED, &channel.team_id)
            .with("channel_id", channel.id.clone())
            .with("delete_at", 0),
    );
}

pub fn channel_member_updated(app: &App, member: &ChannelMember) {
    app.hub.publish(
        WsEvent::to_user(ev::CHANNEL_MEMBER_UPDATED, &member.user_id)
            .with_json_string("channelMember", member),
    );
}

/// Channels a user marked read (`multiple_channels_viewed`), for their other sessions.
pub fn channels_viewed(app: &App, user_id: &str, times: &[(String, i64)]) {
    let map: serde_json::Map<String, Value> = times
        .iter()
        .map(|(c, t)| (c.clone(), Value::from(*t)))
        .collect();
    app.hub.publish(
        WsEvent::to_user(ev::MULTIPLE_CHANNELS_VIEWED, user_id)
            .with("channel_times", Value::Object(map)),
    );
}

pub fn added_to_team(app: &App, team_id: &str, user_id: &str) {
    app.hub.join_team(user_id, team_id);
    app.hub.publish(
        WsEvent::to_user(ev::ADDED_TO_TEAM, user_id)
            .with("team_id", team_id)
            .with("user_id", user_id),
    );
}

pub fn left_team(app: &App, team_id: &str, user_id: &str) {
    app.hub.publish(
        WsEvent::to_team(ev::LEAVE_TEAM, team_id)
            .with("team_id", team_id)
            .with("user_id", user_id)
            .omit_user(user_id),
    );
    app.hub.publish(
        WsEvent::to_user(ev::LEAVE_TEAM, user_id)
            .with("team_id", team_id)
            .with("user_id", user_id),
    );
    app.hub.leave_team(user_id, team_id);
}

pub fn team_updated(app: &App, team: &Team) {
    app.hub
        .publish(WsEvent::to_team(ev::UPDATE_TEAM, &team.id).with_json_string("team", team));
}

pub fn team_deleted(app: &App, team: &Team) {
    app.hub
        .publish(WsEvent::to_team(ev::DELETE_TEAM, &team.id).with_json_string("team", team));
}

pub fn team_restored(app: &App, team: &Team) {
    app.hub
        .publish(WsEvent::to_team(ev::RESTORE_TEAM, &team.id).with_json_string("team", team));
}

pub fn team_member_role_updated(app: &App, member: &TeamMember) {
    app.hub.publish(
        WsEvent::to_user(ev::MEMBERROLE_UPDATED, &member.user_id)
            .with_json_string("member", member),
    );
}

pub fn new_user(app: &App, user_id: &str) {
    app.hub
        .publish(WsEvent::to_all(ev::NEW_USER).with("user_id", user_id));
}

/// A profile changed. Everyone hears it in the copy they may see, as Mattermost's
/// `sendUpdatedUserEvent`: admins the admin copy, everyone else the copy PrivacySettings
/// trim, the user themself their own.
pub fn user_updated(app: &App, user: &User) {
    let copy = |viewer| to_value(&sanitize_as(app, user.clone(), viewer));
    for (viewer, audience) in [
        (Viewer::Admin, Audience::Admins),
        (Viewer::Other, Audience::NonAdmins),
    ] {
        app.hub.publish(
            WsEvent::to_all(ev::USER_UPDATED)
                .with("user", copy(viewer))
                .omit_user(&user.id)
                .only_to(audience),
        );
    }
    app.hub
        .publish(WsEvent::to_user(ev::USER_UPDATED, &user.id).with("user", copy(Viewer::Owner)));
}

/// Sessions ended (logout, revoke, password change, token revoked or disabled, a new login on
/// the device): their sockets close, the users' other sessions keep theirs.
pub fn sessions_ended(app: &App, ended: &[EndedSession]) {
    for session in ended {
        app.hub.close_session(&session.user_id, &session.id);
    }
}

/// New system roles (copied into the user's sessions): the hub learns whether the user's
/// connections get admin copies now.
pub fn user_role_updated(app: &App, user_id: &str, roles: &str) {
    let is_admin = app.role_permissions().has_system(roles, MANAGE_SYSTEM);
    app.hub.set_admin(user_id, is_admin);
    app.hub.publish(
        WsEvent::to_user(ev::USER_ROLE_UPDATED, user_id)
            .with("user_id", user_id)
            .with("roles", roles),
    );
}

/// Activation changed; a deactivated user's sockets are closed.
pub fn user_activation_changed(app: &App, user_id: &str, active: bool) {
    if !active {
        app.hub.close_user(user_id);
    }
    app.hub
        .publish(WsEvent::to_all(ev::USER_ACTIVATION_STATUS_CHANGE));
}

pub fn preferences_changed(app: &App, user_id: &str, prefs: &[Preference]) {
    app.hub.publish(
        WsEvent::to_user(ev::PREFERENCES_CHANGED, user_id).with_json_string("preferences", &prefs),
    );
}

pub fn preferences_deleted(app: &App, user_id: &str, prefs: &[Preference]) {
    app.hub.publish(
        WsEvent::to_user(ev::PREFERENCES_DELETED, user_id).with_json_string("preferences", &prefs),
    );
}

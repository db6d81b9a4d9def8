//! The WebSocket hub as a bus subscriber: each committed [`Event`] becomes the WebSocket
//! events Mattermost sends for it (reference §4.5), and membership changes update the hub's
//! routing (whose connections hear which channel and team) before those events go out.

use crate::bus::{BoxFuture, Event, Subscriber};
use crate::realtime::Hub;
use crate::threads::{ThreadReadChange, ThreadUpdate};
use crate::unreads::ChannelUnreadAt;
use crate::users::{sanitize_as, Viewer};
use crate::App;
use serde::Serialize;
use serde_json::Value;
use utmost_model::channel::{Channel, ChannelMember};
use utmost_model::draft::{Draft, ScheduledPost};
use utmost_model::permissions::MANAGE_SYSTEM;
use utmost_model::post::Post;
use utmost_model::post_acknowledgement::PostAcknowledgement;
use utmost_model::preference::Preference;
use utmost_model::reaction::Reaction;
use utmost_model::roles::SYSTEM_GUEST;
use utmost_model::status::Status;
use utmost_model::team::Team;
use utmost_model::user::User;
use utmost_model::websocket::{events as ev, Audience, WsEvent};
use utmost_store::sessions::EndedSession;

/// `reaction_added` / `reaction_removed` to the post's channel, the reaction as a JSON string.
async fn reacted(hub: &Hub, event: &str, reaction: &Reaction) {
    hub.publish(
        WsEvent::to_channel(event, &reaction.channel_id).with_json_string("reaction", reaction),
    )
    .await
}

/// `persistent_notification_triggered` to each user: the post again, with what the client
/// needs to raise its desktop notification (`sendPersistentNotifications`).
async fn persistent_notification(
    hub: &Hub,
    post: &Post,
    channel: &Channel,
    sender_name: &str,
    user_ids: &[String],
) {
    let display_name = if channel.channel_type == "D" {
        sender_name
    } else {
        channel.display_name.as_str()
    };
    let mentions = serde_json::to_string(user_ids).unwrap_or_default();
    for user_id in user_ids {
        let mut event = WsEvent::to_user(ev::PERSISTENT_NOTIFICATION_TRIGGERED, user_id)
            .in_team(&channel.team_id);
        event.broadcast.channel_id = channel.id.clone();
        let event = event
            .with_json_string("post", post)
            .with("channel_type", channel.channel_type.as_str())
            .with("channel_display_name", display_name)
            .with("channel_name", channel.name.as_str())
            .with("sender_name", sender_name)
            .with("team_id", channel.team_id.as_str())
            .with("mentions", mentions.as_str());
        hub.publish(event).await;
    }
}

/// `post_acknowledgement_added` / `_removed` to the post's channel, the acknowledgement as a
/// JSON string.
async fn acknowledged(
    hub: &Hub,
    event: &str,
    acknowledgement: &PostAcknowledgement,
    channel_id: &str,
) {
    hub.publish(
        WsEvent::to_channel(event, channel_id).with_json_string("acknowledgement", acknowledgement),
    )
    .await
}

/// `draft_created` / `draft_deleted` to the draft's user only (the broadcast names the
/// channel too, as Mattermost's does), not to the connection that made the change.
async fn draft_event(hub: &Hub, event: &str, draft: &Draft, connection_id: &str) {
    let mut e = WsEvent::to_user(event, &draft.user_id)
        .with_json_string("draft", draft)
        .omit_connection(connection_id);
    e.broadcast.channel_id = draft.channel_id.clone();
    hub.publish(e).await
}

/// `scheduled_post_created/_updated/_deleted` to the post's user only, not to the connection
/// that made the change.
async fn scheduled_event(hub: &Hub, event: &str, scheduled: &ScheduledPost, connection_id: &str) {
    hub.publish(
        WsEvent::to_user(event, &scheduled.draft.user_id)
            .with_json_string("scheduledPost", scheduled)
            .omit_connection(connection_id),
    )
    .await
}

/// `channel_bookmark_*` to the channel's members, `key` holding `value` as a JSON string, not
/// to the connection that made the change.
async fn bookmark_event(
    hub: &Hub,
    event: &str,
    channel_id: &str,
    (key, value): (&str, &impl Serialize),
    connection_id: &str,
) {
    hub.publish(
        WsEvent::to_channel(event, channel_id)
            .with_json_string(key, value)
            .omit_connection(connection_id),
    )
    .await
}

/// Delivers events to WebSocket connections through `App::hub`.
pub struct HubSubscriber;

impl Subscriber for HubSubscriber {
    fn name(&self) -> &'static str {
        "websocket hub"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(deliver(app, event))
    }
}

async fn deliver(app: &App, event: &Event) {
    let hub = &app.hub;
    match event {
        Event::PostCreated {
            post,
            channel,
            sender_name,
            mentions,
        } => posted(hub, post, channel, sender_name, mentions).await,
        Event::PostEdited { post } => {
            hub.publish(
                WsEvent::to_channel(ev::POST_EDITED, &post.channel_id)
                    .with_json_string("post", post),
            )
            .await
        }
        Event::PostDeleted { post, deleted_by } => {
            hub.publish(
                WsEvent::to_channel(ev::POST_DELETED, &post.channel_id)
                    .with_json_string("post", post)
                    .with("delete_by", deleted_by.as_str()),
            )
            .await
        }
        Event::ReactionAdded { reaction } => reacted(hub, ev::REACTION_ADDED, reaction).await,
        Event::ReactionRemoved { reaction } => reacted(hub, ev::REACTION_REMOVED, reaction).await,
        Event::EmojiAdded { emoji } => {
            hub.publish(WsEvent::to_all(ev::EMOJI_ADDED).with_json_string("emoji", emoji))
                .await
        }
        // Mattermost tells no client of a deleted emoji, nor of the reactions it took along.
        Event::EmojiDeleted { .. } => {}
        // Mattermost sends every connection the client configuration (`config` as an object).
        Event::ConfigChanged { client_config } => {
            hub.publish(WsEvent::to_all(ev::CONFIG_CHANGED).with(
                "config",
                serde_json::to_value(client_config).unwrap_or_default(),
            ))
            .await
        }
        Event::AcknowledgementAdded {
            acknowledgement,
            channel_id,
        } => acknowledged(hub, ev::ACKNOWLEDGEMENT_ADDED, acknowledgement, channel_id).await,
        Event::AcknowledgementRemoved {
            acknowledgement,
            channel_id,
        } => {
            acknowledged(
                hub,
                ev::ACKNOWLEDGEMENT_REMOVED,
                acknowledgement,
                channel_id,
            )
            .await
        }
        Event::PersistentNotificationTriggered {
            post,
            channel,
            sender_name,
            user_ids,
        } => persistent_notification(hub, post, channel, sender_name, user_ids).await,
        Event::EphemeralPost { user_id, post } => {
            // To the user's connections only; the channel tells the client where to show it.
            let mut event = WsEvent::to_user(ev::EPHEMERAL_MESSAGE, user_id);
            event.broadcast.channel_id = post.channel_id.clone();
            hub.publish(event.with_json_string("post", post)).await
        }
        Event::DraftSaved {
            draft,
            connection_id,
        } => draft_event(hub, ev::DRAFT_CREATED, draft, connection_id).await,
        Event::DraftDeleted {
            draft,
            connection_id,
        } => draft_event(hub, ev::DRAFT_DELETED, draft, connection_id).await,
        Event::BookmarkCreated {
            bookmark,
            connection_id,
        } => {
            let data = ("bookmark", bookmark);
            let event = ev::CHANNEL_BOOKMARK_CREATED;
            bookmark_event(hub, event, &bookmark.channel_id, data, connection_id).await
        }
        Event::BookmarkUpdated {
            channel_id,
            response,
            connection_id,
        } => {
            let data = ("bookmarks", response);
            let event = ev::CHANNEL_BOOKMARK_UPDATED;
            bookmark_event(hub, event, channel_id, data, connection_id).await
        }
        Event::BookmarkDeleted {
            bookmark,
            connection_id,
        } => {
            let data = ("bookmark", bookmark);
            let event = ev::CHANNEL_BOOKMARK_DELETED;
            bookmark_event(hub, event, &bookmark.channel_id, data, connection_id).await
        }
        Event::BookmarksSorted {
            channel_id,
            bookmarks,
            connection_id,
        } => {
            let data = ("bookmarks", bookmarks);
            let event = ev::CHANNEL_BOOKMARK_SORTED;
            bookmark_event(hub, event, channel_id, data, connection_id).await
        }
        Event::ScheduledPostCreated {
            scheduled_post,
            connection_id,
        } => {
            scheduled_event(
                hub,
                ev::SCHEDULED_POST_CREATED,
                scheduled_post,
                connection_id,
            )
            .await
        }
        Event::ScheduledPostUpdated {
            scheduled_post,
            connection_id,
        } => {
            scheduled_event(
                hub,
                ev::SCHEDULED_POST_UPDATED,
                scheduled_post,
                connection_id,
            )
            .await
        }
        Event::ScheduledPostDeleted {
            scheduled_post,
            connection_id,
        } => {
            scheduled_event(
                hub,
                ev::SCHEDULED_POST_DELETED,
                scheduled_post,
                connection_id,
            )
            .await
        }
        Event::PostMarkedUnread {
            user_id,
            post_id,
            unread,
        } => post_unread(hub, user_id, post_id, unread).await,
        Event::ThreadUpdated { team_id, updates } => thread_updated(hub, team_id, updates).await,
        Event::ThreadRead {
            user_id,
            team_id,
            read,
        } => thread_read(hub, user_id, team_id, read).await,
        Event::ThreadsRead { user_id, team_id } => {
            hub.publish(WsEvent::to_user(ev::THREAD_READ_CHANGED, user_id).in_team(team_id))
                .await
        }
        Event::ThreadFollowChanged {
            user_id,
            team_id,
            thread_id,
            following,
            reply_count,
        } => {
            hub.publish(
                WsEvent::to_user(ev::THREAD_FOLLOW_CHANGED, user_id)
                    .in_team(team_id)
                    .with("thread_id", thread_id.as_str())
                    .with("state", *following)
                    .with("reply_count", *reply_count),
            )
            .await
        }
        Event::SidebarCategoryCreated {
            user_id,
            team_id,
            category_id,
        } => {
            hub.publish(
                WsEvent::to_user(ev::SIDEBAR_CATEGORY_CREATED, user_id)
                    .in_team(team_id)
                    .with("category_id", category_id.as_str()),
            )
            .await
        }
        Event::SidebarCategoriesUpdated {
            user_id,
            team_id,
            categories,
        } => {
            hub.publish(
                WsEvent::to_user(ev::SIDEBAR_CATEGORY_UPDATED, user_id)
                    .in_team(team_id)
                    .with_json_string("updatedCategories", categories),
            )
            .await
        }
        Event::SidebarCategoryDeleted {
            user_id,
            team_id,
            category_id,
        } => {
            hub.publish(
                WsEvent::to_user(ev::SIDEBAR_CATEGORY_DELETED, user_id)
                    .in_team(team_id)
                    .with("category_id", category_id.as_str()),
            )
            .await
        }
        Event::SidebarCategoryOrderUpdated {
            user_id,
            team_id,
            order,
        } => {
            hub.publish(
                WsEvent::to_user(ev::SIDEBAR_CATEGORY_ORDER_UPDATED, user_id)
                    .in_team(team_id)
                    .with("order", order.clone()),
            )
            .await
        }
        Event::ChannelsViewed { user_id, times } => {
            if app.config().service_settings.enable_channel_viewed_messages {
                channels_viewed(hub, user_id, times).await;
            }
        }
        Event::ChannelCreated {
            channel,
            creator_id,
        } => {
            hub.join_channel(creator_id, &channel.id).await;
            hub.publish(
                WsEvent::to_user(ev::CHANNEL_CREATED, creator_id)
                    .with("channel_id", channel.id.as_str())
                    .with("team_id", channel.team_id.as_str()),
            )
            .await;
        }
        Event::DirectChannelCreated {
            channel,
            creator_id,
            teammate_id,
        } => {
            hub.join_channel(creator_id, &channel.id).await;
            hub.join_channel(teammate_id, &channel.id).await;
            hub.publish(
                WsEvent::to_channel(ev::DIRECT_ADDED, &channel.id)
                    .with("creator_id", creator_id.as_str())
                    .with("teammate_id", teammate_id.as_str()),
            )
            .await;
        }
        Event::GroupChannelCreated {
            channel,
            member_ids,
        } => group_added(hub, channel, member_ids).await,
        Event::ChannelUpdated { channel } => {
            hub.publish(
                WsEvent::to_channel(ev::CHANNEL_UPDATED, &channel.id)
                    .with_json_string("channel", channel),
            )
            .await
        }
        Event::ChannelConverted { channel } => {
            hub.publish(
                WsEvent::to_team(ev::CHANNEL_CONVERTED, &channel.team_id)
                    .with("channel_id", channel.id.as_str()),
            )
            .await
        }
        Event::ChannelDeleted { channel } => {
            hub.publish(
                WsEvent::to_team(ev::CHANNEL_DELETED, &channel.team_id)
                    .with("channel_id", channel.id.as_str())
                    .with("delete_at", channel.delete_at),
            )
            .await
        }
        Event::ChannelRestored { channel } => {
            hub.publish(
                WsEvent::to_team(ev::CHANNEL_RESTORED, &channel.team_id)
                    .with("channel_id", channel.id.as_str())
                    .with("delete_at", 0),
            )
            .await
        }
        Event::ChannelMemberAdded { channel, user_id } => {
            hub.join_channel(user_id, &channel.id).await;
            hub.publish(
                WsEvent::to_channel(ev::USER_ADDED, &channel.id)
                    .with("user_id", user_id.as_str())
                    .with("team_id", channel.team_id.as_str()),
            )
            .await;
        }
        Event::ChannelMemberRemoved {
            channel,
            user_id,
            remover_id,
        } => user_removed_from_channel(hub, channel, user_id, remover_id).await,
        Event::ChannelMemberUpdated { member } => channel_member_updated(hub, member).await,
        Event::TeamChannelsLeft { user_id, .. } => refresh_routes(app, user_id).await,
        Event::TeamMemberAdded { team_id, user_id } => {
            hub.join_team(user_id, team_id).await;
            hub.publish(
                WsEvent::to_user(ev::ADDED_TO_TEAM, user_id)
                    .with("team_id", team_id.as_str())
                    .with("user_id", user_id.as_str()),
            )
            .await;
        }
        Event::TeamMemberRemoved { team_id, user_id } => left_team(hub, team_id, user_id).await,
        Event::TeamMemberUpdated { member } => {
            hub.publish(
                WsEvent::to_user(ev::MEMBERROLE_UPDATED, &member.user_id)
                    .with_json_string("member", member),
            )
            .await
        }
        Event::TeamUpdated { team } => team_event(hub, ev::UPDATE_TEAM, team).await,
        Event::TeamDeleted { team } => team_event(hub, ev::DELETE_TEAM, team).await,
        Event::TeamRestored { team } => team_event(hub, ev::RESTORE_TEAM, team).await,
        Event::UserCreated { user_id } => {
            // A new account shares no channel yet: no guest may see it.
            hub.publish(
                WsEvent::to_all(ev::NEW_USER)
                    .with("user_id", user_id.as_str())
                    .not_to_guests(),
            )
            .await;
        }
        Event::UserUpdated { user } => user_updated(app, user).await,
        Event::UserRolesUpdated { user_id, roles } => user_role_updated(app, user_id, roles).await,
        Event::RoleUpdated { role } => role_updated(app, role).await,
        Event::UserActivationChanged { user_id, active } => {
            // A deactivated user's sockets close.
            if !active {
                hub.close_user(user_id).await;
            }
            hub.publish(WsEvent::to_all(ev::USER_ACTIVATION_STATUS_CHANGE))
                .await;
        }
        Event::StatusChanged { status } => status_changed(hub, status).await,
        Event::PreferencesChanged {
            user_id,
            preferences,
        } => preferences_event(hub, ev::PREFERENCES_CHANGED, user_id, preferences).await,
        Event::PreferencesDeleted {
            user_id,
            preferences,
        } => preferences_event(hub, ev::PREFERENCES_DELETED, user_id, preferences).await,
        Event::SessionsEnded { sessions } => sessions_ended(hub, sessions).await,
        Event::UserSessionsEnded { user_id } => hub.close_user(user_id).await,
        Event::UserPermanentlyDeleted { user_id } => hub.close_user(user_id).await,
        Event::AllSessionsEnded => hub.close_all().await,
        Event::GroupUpdated { .. }
        | Event::GroupMemberAdded { .. }
        | Event::GroupMemberDeleted { .. }
        | Event::GroupSyncableChanged { .. } => crate::groups::websocket::deliver(hub, event).await,
        Event::DialogOpened { user_id, dialog } => {
            let event = WsEvent::to_user(ev::OPEN_DIALOG, user_id).with("dialog", dialog.as_str());
            hub.publish(event).await
        }
        // Nothing a client is told of.
        Event::SessionUpdated { .. }
        | Event::UserCredentialsChanged { .. }
        | Event::ChannelPermanentlyDeleted { .. }
        | Event::PluginsChanged {}
        | Event::IncomingWebhookChanged { .. }
        | Event::PostsPurged { .. } => {}
        Event::Typing {
            channel_id,
            parent_id,
            user_id,
        } => {
            hub.publish(
                WsEvent::to_channel(ev::TYPING, channel_id)
                    .with("parent_id", parent_id.as_str())
                    .with("user_id", user_id.as_str())
                    .omit_user(user_id),
            )
            .await
        }
    }
}

fn to_value(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

async fn posted(hub: &Hub, post: &Post, channel: &Channel, sender_name: &str, mentions: &[String]) {
    let mut e = WsEvent::to_channel(ev::POSTED, &channel.id)
        .with_json_string("post", post)
        .with("channel_type", channel.channel_type.as_str())
        .with("channel_display_name", channel.display_name.as_str())
        .with("channel_name", channel.name.as_str())
        .with("sender_name", sender_name)
        .with("team_id", channel.team_id.as_str())
        .with("set_online", true);
    if !post.file_ids.is_empty() {
        e = e.with("otherFile", "true");
    }
    hub.publish_with_mentions(e, mentions.to_vec()).await;
}

/// Each follower hears of the reply with the thread as they see it (`thread_updated`).
async fn thread_updated(hub: &Hub, team_id: &str, updates: &[ThreadUpdate]) {
    for update in updates {
        hub.publish(
            WsEvent::to_user(ev::THREAD_UPDATED, &update.user_id)
                .in_team(team_id)
                .with_json_string("thread", &update.thread)
                .with("previous_unread_mentions", update.previous_unread_mentions)
                .with("previous_unread_replies", update.previous_unread_replies),
        )
        .await;
    }
}

/// The user's sessions learn a thread's new read state (`thread_read_changed`).
async fn thread_read(hub: &Hub, user_id: &str, team_id: &str, read: &ThreadReadChange) {
    hub.publish(
        WsEvent::to_user(ev::THREAD_READ_CHANGED, user_id)
            .in_team(team_id)
            .with("thread_id", read.thread_id.as_str())
            .with("channel_id", read.channel_id.as_str())
            .with("timestamp", read.timestamp)
            .with("unread_mentions", read.unread_mentions)
            .with("unread_replies", read.unread_replies)
            .with("previous_unread_mentions", read.previous_unread_mentions)
            .with("previous_unread_replies", read.previous_unread_replies),
    )
    .await;
}

/// The user's other sessions learn the channel's recounted unread state (`post_unread`).
async fn post_unread(hub: &Hub, user_id: &str, post_id: &str, unread: &ChannelUnreadAt) {
    hub.publish(
        WsEvent::to_user(ev::POST_UNREAD, user_id)
            .with("team_id", unread.team_id.as_str())
            .with("channel_id", unread.channel_id.as_str())
            .with("msg_count", unread.msg_count)
            .with("msg_count_root", unread.msg_count_root)
            .with("mention_count", unread.mention_count)
            .with("mention_count_root", unread.mention_count_root)
            .with("urgent_mention_count", unread.urgent_mention_count)
            .with("last_viewed_at", unread.last_viewed_at)
            .with("post_id", post_id),
    )
    .await;
}

/// Channels a user marked read (`multiple_channels_viewed`), for their other sessions.
async fn channels_viewed(hub: &Hub, user_id: &str, times: &[(String, i64)]) {
    let map: serde_json::Map<String, Value> = times
        .iter()
        .map(|(c, t)| (c.clone(), Value::from(*t)))
        .collect();
    hub.publish(
        WsEvent::to_user(ev::MULTIPLE_CHANNELS_VIEWED, user_id)
            .with("channel_times", Value::Object(map)),
    )
    .await;
}

/// A GM was created: every member routes it and hears `group_added`.
async fn group_added(hub: &Hub, channel: &Channel, member_ids: &[String]) {
    for uid in member_ids {
        hub.join_channel(uid, &channel.id).await;
    }
    let teammates = serde_json::to_string(member_ids).unwrap_or_default();
    for uid in member_ids {
        hub.publish(
            WsEvent::to_user(ev::GROUP_ADDED, uid)
                .with("teammate_ids", teammates.as_str())
                .with("channel_id", channel.id.as_str()),
        )
        .await;
    }
}

/// As in Mattermost, the channel's remaining members hear it on the channel and the removed
/// user gets their own copy.
async fn user_removed_from_channel(hub: &Hub, channel: &Channel, user_id: &str, remover_id: &str) {
    hub.leave_channel(user_id, &channel.id).await;
    hub.publish(
        WsEvent::to_channel(ev::USER_REMOVED, &channel.id)
            .with("user_id", user_id)
            .with("remover_id", remover_id),
    )
    .await;
    hub.publish(
        WsEvent::to_user(ev::USER_REMOVED, user_id)
            .with("channel_id", channel.id.as_str())
            .with("remover_id", remover_id),
    )
    .await;
}

async fn channel_member_updated(hub: &Hub, member: &ChannelMember) {
    hub.publish(
        WsEvent::to_user(ev::CHANNEL_MEMBER_UPDATED, &member.user_id)
            .with_json_string("channelMember", member),
    )
    .await;
}

/// Reloads a user's routing from the database, for changes that touch many memberships.
async fn refresh_routes(app: &App, user_id: &str) {
    match utmost_store::authz::memberships(&app.store, user_id).await {
        Ok((channels, teams)) => app.hub.set_routes(user_id, channels, teams).await,
        // The user's connections keep their old routes until they reconnect.
        Err(e) => tracing::error!(user_id, error = %e, "reloading realtime routes failed"),
    }
}

/// The team hears that the user left before the user's routing drops the team, so the user
/// hears it too (their own copy), as in Mattermost.
async fn left_team(hub: &Hub, team_id: &str, user_id: &str) {
    hub.publish(
        WsEvent::to_team(ev::LEAVE_TEAM, team_id)
            .with("team_id", team_id)
            .with("user_id", user_id)
            .omit_user(user_id),
    )
    .await;
    hub.publish(
        WsEvent::to_user(ev::LEAVE_TEAM, user_id)
            .with("team_id", team_id)
            .with("user_id", user_id),
    )
    .await;
    hub.leave_team(user_id, team_id).await;
}

/// The team's members hear of a change with the copy of the team everyone may see
/// (Mattermost's `sendTeamEvent`).
async fn team_event(hub: &Hub, name: &str, team: &Team) {
    let mut visible = team.clone();
    visible.sanitize();
    hub.publish(WsEvent::to_team(name, &team.id).with_json_string("team", &visible))
        .await;
}

/// A profile changed. Everyone hears it in the copy they may see, as Mattermost's
/// `sendUpdatedUserEvent`: admins the admin copy, everyone else the copy PrivacySettings
/// trim, the user themself their own.
async fn user_updated(app: &App, user: &User) {
    let copy = |viewer| to_value(&sanitize_as(app, user.clone(), viewer));
    for (viewer, audience) in [
        (Viewer::Admin, Audience::Admins),
        (Viewer::Other, Audience::NonAdmins),
    ] {
        app.hub
            .publish(
                WsEvent::to_all(ev::USER_UPDATED)
                    .with("user", copy(viewer))
                    .omit_user(&user.id)
                    .only_to(audience)
                    .not_to_guests(),
            )
            .await;
    }
    // Guests hear only of the people they share a channel with (never admins themselves).
    match utmost_store::guests::guests_sharing_a_channel(&app.store, &user.id).await {
        Ok(guests) => {
            let other = copy(Viewer::Other);
            for guest in guests {
                app.hub
                    .publish(WsEvent::to_user(ev::USER_UPDATED, &guest).with("user", other.clone()))
                    .await;
            }
        }
        Err(e) => tracing::warn!(user_id = %user.id, error = %e,
            "could not tell the guests who see this user of their change"),
    }
    app.hub
        .publish(WsEvent::to_user(ev::USER_UPDATED, &user.id).with("user", copy(Viewer::Owner)))
        .await;
}

/// Every client reloads the role: its permissions decide what the web app shows.
async fn role_updated(app: &App, role: &utmost_model::role::Role) {
    match serde_json::to_string(role) {
        Ok(json) => {
            app.hub
                .publish(WsEvent::to_all(ev::ROLE_UPDATED).with("role", json))
                .await
        }
        Err(e) => tracing::error!(role = %role.name, error = %e, "could not encode a role update"),
    }
}

/// New system roles: the hub learns whether the user's connections get admin copies now.
async fn user_role_updated(app: &App, user_id: &str, roles: &str) {
    let is_admin = app.role_permissions().has_system(roles, MANAGE_SYSTEM);
    app.hub.set_admin(user_id, is_admin).await;
    let is_guest = roles.split_whitespace().any(|r| r == SYSTEM_GUEST);
    app.hub.set_guest(user_id, is_guest).await;
    app.hub
        .publish(
            WsEvent::to_user(ev::USER_ROLE_UPDATED, user_id)
                .with("user_id", user_id)
                .with("roles", roles),
        )
        .await;
}

async fn status_changed(hub: &Hub, status: &Status) {
    hub.publish(
        WsEvent::to_user(ev::STATUS_CHANGE, &status.user_id)
            .with("status", status.status.as_str())
            .with("user_id", status.user_id.as_str()),
    )
    .await;
}

async fn preferences_event(hub: &Hub, name: &str, user_id: &str, preferences: &[Preference]) {
    // Saving or deleting preferences may move favourite channels; as Mattermost, the user's
    // clients are told to reload their categories first, with no details.
    hub.publish(WsEvent::to_user(ev::SIDEBAR_CATEGORY_UPDATED, user_id))
        .await;
    hub.publish(WsEvent::to_user(name, user_id).with_json_string("preferences", &preferences))
        .await;
}

/// The sockets of ended sessions close; the users' other sessions keep theirs.
async fn sessions_ended(hub: &Hub, ended: &[EndedSession]) {
    for session in ended {
        hub.close_session(&session.user_id, &session.id).await;
    }
}

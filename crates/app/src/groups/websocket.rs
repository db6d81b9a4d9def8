//! The WebSocket events of groups, as Mattermost sends them: `received_group` to everyone
//! (the group as a JSON string), `group_member_add` / `group_member_deleted` to the member
//! (`group_member`), and `received_group_(not_)associated_to_team/channel` to the team's or
//! channel's members (`group_id`).

use crate::bus::Event;
use crate::realtime::Hub;
use utmost_model::group::SyncableType;
use utmost_model::websocket::{events as ev, WsEvent};

pub(crate) async fn deliver(hub: &Hub, event: &Event) {
    let ws = match event {
        Event::GroupUpdated { group } => {
            WsEvent::to_all(ev::RECEIVED_GROUP).with_json_string("group", group)
        }
        Event::GroupMemberAdded { member } => {
            WsEvent::to_user(ev::GROUP_MEMBER_ADD, &member.user_id)
                .with_json_string("group_member", member)
        }
        Event::GroupMemberDeleted { member } => {
            WsEvent::to_user(ev::GROUP_MEMBER_DELETED, &member.user_id)
                .with_json_string("group_member", member)
        }
        Event::GroupSyncableChanged {
            kind,
            group_id,
            syncable_id,
            linked,
        } => {
            let ws = match (kind, linked) {
                (SyncableType::Team, true) => {
                    WsEvent::to_team(ev::RECEIVED_GROUP_ASSOCIATED_TO_TEAM, syncable_id)
                }
                (SyncableType::Team, false) => {
                    WsEvent::to_team(ev::RECEIVED_GROUP_NOT_ASSOCIATED_TO_TEAM, syncable_id)
                }
                (SyncableType::Channel, true) => {
                    WsEvent::to_channel(ev::RECEIVED_GROUP_ASSOCIATED_TO_CHANNEL, syncable_id)
                }
                (SyncableType::Channel, false) => {
                    WsEvent::to_channel(ev::RECEIVED_GROUP_NOT_ASSOCIATED_TO_CHANNEL, syncable_id)
                }
            };
            ws.with("group_id", group_id.as_str())
        }
        _ => return,
    };
    hub.publish(ws).await
}

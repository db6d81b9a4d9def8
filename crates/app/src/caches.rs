//! The cache layer: what Mattermost keeps in memory on its hot path, in front of the store.
//!
//! Each cache is bounded and changes only through [`Invalidation`], the first subscriber of
//! the bus: a service that committed a write publishes an event, and the event drops every
//! cached value it may have changed before any later subscriber (or the next request) runs.
//! No write path touches a cache directly, so the same events, arriving from other nodes
//! later, keep every node's caches current. A value read from the database while an
//! invalidation landed is not kept (see `bounded`).
//!
//! The store never caches; the configuration needs no cache here (`App::config` is an
//! `ArcSwap`, replaced whole on reload).

mod bounded;
pub mod channel_members;
pub mod channels;
pub mod member_profiles;
pub mod sessions;
pub mod team_members;
pub mod users;

use crate::bus::{BoxFuture, Event, Subscriber};
use crate::App;
use std::collections::HashSet;
use utmost_store::member_profiles::is_profile_preference;

/// Every cache of the app.
#[derive(Default)]
pub struct Caches {
    pub(crate) sessions: sessions::Sessions,
    pub(crate) users: users::Users,
    pub(crate) channels: channels::Channels,
    pub(crate) channel_members: channel_members::ChannelMembers,
    pub(crate) team_members: team_members::TeamMembers,
    pub(crate) member_profiles: member_profiles::MemberProfiles,
}

/// Drops what each event may have changed. Registered first on the bus.
pub struct Invalidation;

impl Subscriber for Invalidation {
    fn name(&self) -> &'static str {
        "caches"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        app.caches.invalidate(event);
        Box::pin(std::future::ready(()))
    }
}

impl Caches {
    fn invalidate(&self, event: &Event) {
        match event {
            Event::ChannelCreated { channel, .. }
            | Event::DirectChannelCreated { channel, .. }
            | Event::GroupChannelCreated { channel, .. } => {
                self.channel_members.drop_channel(&channel.id);
                self.member_profiles.channel_changed(&channel.id);
            }
            Event::ChannelUpdated { channel }
            | Event::ChannelConverted { channel }
            | Event::ChannelRestored { channel } => self.channels.drop_channel(&channel.id),
            Event::ChannelDeleted { channel } | Event::ChannelPermanentlyDeleted { channel } => {
                self.channels.drop_channel(&channel.id);
                self.channel_members.drop_channel(&channel.id);
                self.member_profiles.channel_changed(&channel.id);
            }
            Event::ChannelMemberAdded { channel, user_id }
            | Event::ChannelMemberRemoved {
                channel, user_id, ..
            } => {
                self.channel_members.drop_member(&channel.id, user_id);
                self.member_profiles.channel_changed(&channel.id);
            }
            Event::ChannelMemberUpdated { member } => {
                self.channel_members
                    .drop_member(&member.channel_id, &member.user_id);
                self.member_profiles.channel_changed(&member.channel_id);
            }
            Event::TeamChannelsLeft { user_id, .. } => {
                self.channel_members.drop_user(user_id);
                self.member_profiles.everyone_changed();
            }
            Event::TeamMemberAdded { team_id, user_id }
            | Event::TeamMemberRemoved { team_id, user_id } => {
                self.team_members.drop_member(team_id, user_id);
            }
            Event::TeamMemberUpdated { member } => {
                self.team_members
                    .drop_member(&member.team_id, &member.user_id);
            }
            // A team deleted for good takes its channels and every membership with it; deleting
            // is rare enough to drop all of them rather than track which belonged to the team.
            Event::TeamDeleted { .. } => {
                self.team_members.drop_all();
                self.channels.drop_all();
                self.channel_members.drop_all();
                self.member_profiles.everyone_changed();
            }
            Event::UserUpdated { user } => {
                self.users.drop_user(&user.id);
                self.member_profiles.everyone_changed();
            }
            Event::UserCredentialsChanged { user_id } => self.users.drop_user(user_id),
            Event::UserRolesUpdated { user_id, .. } => {
                self.users.drop_user(user_id);
                self.sessions.drop_user(user_id);
            }
            Event::UserActivationChanged { user_id, .. } => {
                self.users.drop_user(user_id);
                self.sessions.drop_user(user_id);
                self.member_profiles.everyone_changed();
            }
            Event::PreferencesChanged { preferences, .. }
            | Event::PreferencesDeleted { preferences, .. } => {
                if preferences
                    .iter()
                    .any(|p| is_profile_preference(&p.category, &p.name))
                {
                    self.member_profiles.everyone_changed();
                }
            }
            Event::SessionsEnded { sessions } => {
                self.sessions.drop_ids(
                    &sessions
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<HashSet<_>>(),
                );
            }
            Event::SessionUpdated { session_id } => {
                self.sessions
                    .drop_ids(&HashSet::from([session_id.as_str()]));
            }
            Event::UserSessionsEnded { user_id } => self.sessions.drop_user(user_id),
            Event::AllSessionsEnded => self.sessions.drop_all(),
            // Counters and read state are not cached; teams are read from the store.
            Event::PostCreated { .. }
            | Event::PostEdited { .. }
            | Event::PostDeleted { .. }
            | Event::PostMarkedUnread { .. }
            | Event::ChannelsViewed { .. }
            | Event::TeamUpdated { .. }
            | Event::TeamRestored { .. }
            | Event::UserCreated { .. }
            | Event::StatusChanged { .. }
            | Event::Typing { .. } => {}
        }
    }
}

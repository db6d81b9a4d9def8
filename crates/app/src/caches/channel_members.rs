//! A user's effective roles in a channel (explicit roles and scheme flags), or that they are
//! not a member, by (channel, user): every permission check on a channel reads them.
//!
//! The read counters and notify props are not here: the counters move on every read, and
//! the notify props mention parsing reads are held by `member_profiles`. Memberships change
//! only through events that drop the entry (`ChannelMemberAdded`, `ChannelMemberRemoved`,
//! `ChannelMemberUpdated`, `TeamChannelsLeft`, a channel's creation or deletion).

use super::bounded::Bounded;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::roles::effective_channel_roles;

/// Memberships kept at most.
const CAPACITY: usize = 200_000;

/// `None`: not a member.
pub(crate) type ChannelRoles = Option<Arc<str>>;

pub struct ChannelMembers(Bounded<(String, String), ChannelRoles>);

impl Default for ChannelMembers {
    fn default() -> Self {
        Self(Bounded::new(CAPACITY))
    }
}

impl ChannelMembers {
    pub(crate) fn drop_all(&self) {
        self.0.clear();
    }

    pub(crate) fn drop_member(&self, channel_id: &str, user_id: &str) {
        self.0
            .remove(&(channel_id.to_string(), user_id.to_string()));
    }

    pub(crate) fn drop_channel(&self, channel_id: &str) {
        self.0.remove_where(|(channel, _), _| channel == channel_id);
    }

    pub(crate) fn drop_user(&self, user_id: &str) {
        self.0.remove_where(|(_, user), _| user == user_id);
    }
}

/// `user_id`'s effective roles in `channel_id`, or None when they are not a member.
pub async fn roles(app: &App, channel_id: &str, user_id: &str) -> AppResult<ChannelRoles> {
    let load = async {
        let member =
            utmost_store::authz::channel_member_roles(&app.store, channel_id, user_id).await?;
        AppResult::Ok(member.map(|m| {
            effective_channel_roles(
                m.roles.as_deref().unwrap_or(""),
                m.schemeguest.unwrap_or(false),
                m.schemeuser.unwrap_or(false),
                m.schemeadmin.unwrap_or(false),
            )
            .into()
        }))
    };
    let key = (channel_id.to_string(), user_id.to_string());
    app.caches.channel_members.0.get_or_load(key, load).await
}

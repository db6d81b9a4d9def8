//! A user's effective roles in a channel (explicit roles and scheme flags), or that they are
//! not a member, by (channel, user): every permission check on a channel reads them.
//!
//! The read counters and notify props are not here: the counters move on every read, and
//! the notify props mention parsing reads are held by `member_profiles`. Memberships change
//! only through events that drop the entry (`ChannelMemberAdded`, `ChannelMemberRemoved`,
//! `ChannelMemberUpdated`, `TeamChannelsLeft`, a channel's creation or deletion).

use super::memberships::effective_roles;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::roles::effective_channel_roles;

/// Memberships kept at most.
pub(super) const CAPACITY: usize = 200_000;

/// `user_id`'s effective roles in `channel_id`, or None when they are not a member.
pub async fn roles(app: &App, channel_id: &str, user_id: &str) -> AppResult<Option<Arc<str>>> {
    let load = async {
        let member =
            utmost_store::authz::channel_member_roles(&app.store, channel_id, user_id).await?;
        AppResult::Ok(member.map(|m| effective_roles(m, effective_channel_roles)))
    };
    let key = (channel_id.to_string(), user_id.to_string());
    app.caches.channel_members.get_or_load(key, load).await
}

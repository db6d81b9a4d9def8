//! Every channel's members with the settings mention parsing and notifications read. Every
//! post needs its channel's list; in a channel of 10,000 that query and its rows cost far more
//! than the rest of the post, and in a small one it is still a round trip per post. Lists of
//! every size are kept, bounded by the members they hold in all.
//!
//! A list is dropped when an event says something in it may have changed: a channel's
//! memberships or its members' notify props drop that channel's list; a changed profile drops
//! the lists where the user's profile no longer matches (a custom status, which clients set
//! all the time, drops none); an activation or the collapsed-threads preference can touch
//! any channel and drops them all. A list read while such a change landed is not kept.

use crate::{App, AppResult};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use utmost_model::user::User;
use utmost_store::member_profiles::MemberProfile;

/// At most this many members over all cached channels (a few dozen MB at most); past it the
/// cache starts over.
const MAX_CACHED_MEMBERS: usize = 50_000;
/// Channels whose changes are counted; past it the cache starts over.
const MAX_TRACKED_CHANNELS: usize = 100_000;

#[derive(Default)]
pub struct MemberProfiles(Mutex<Cached>);

/// The changes a reader had seen when it started reading a channel's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    everyone: u64,
    channel: u64,
}

/// Every list held is current: a change drops what it touches at once, and a list read while
/// a change landed is not kept.
#[derive(Default)]
struct Cached {
    /// Counts changes that can touch any channel (a user's profile, a preference).
    everyone: u64,
    /// Counts each channel's own changes (its memberships, its members' notify props).
    channel_changes: HashMap<String, u64>,
    by_channel: HashMap<String, Arc<[MemberProfile]>>,
    members: usize,
}

impl Cached {
    fn stamp(&self, channel_id: &str) -> Stamp {
        Stamp {
            everyone: self.everyone,
            channel: self.channel_changes.get(channel_id).copied().unwrap_or(0),
        }
    }

    /// Drops everything. Counting it as a change to everyone keeps lists that are being read
    /// now from being kept, even though the per-channel counts start again.
    fn start_over(&mut self) {
        *self = Cached {
            everyone: self.everyone + 1,
            ..Cached::default()
        };
    }

    fn channel_changed(&mut self, channel_id: &str) {
        *self
            .channel_changes
            .entry(channel_id.to_string())
            .or_default() += 1;
        if let Some(old) = self.by_channel.remove(channel_id) {
            self.members -= old.len();
        }
        if self.channel_changes.len() > MAX_TRACKED_CHANNELS {
            self.start_over();
        }
    }

    /// `user` changed: drops the lists that hold an older profile of them.
    fn user_changed(&mut self, user: &User) {
        // Lists being read now may hold the older profile: counting a change to everyone
        // keeps them from being kept, while the lists that still match stay.
        self.everyone += 1;
        let stale: Vec<String> = self
            .by_channel
            .iter()
            .filter(|(_, members)| {
                members
                    .iter()
                    .any(|m| m.user_id == user.id && !m.matches(user))
            })
            .map(|(channel_id, _)| channel_id.clone())
            .collect();
        for channel_id in stale {
            self.channel_changed(&channel_id);
        }
    }

    fn keep(&mut self, channel_id: &str, members: Arc<[MemberProfile]>) {
        if self.members + members.len() > MAX_CACHED_MEMBERS {
            self.start_over();
        }
        self.members += members.len();
        if let Some(old) = self.by_channel.insert(channel_id.to_string(), members) {
            self.members -= old.len();
        }
    }
}

impl MemberProfiles {
    fn lock(&self) -> MutexGuard<'_, Cached> {
        // A panic while holding the lock cannot leave the maps inconsistent: keep using them.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A change that may touch any channel's list.
    pub(crate) fn everyone_changed(&self) {
        self.lock().start_over();
        COUNTERS.invalidation.inc();
    }

    /// A change to one user's profile.
    pub(crate) fn user_changed(&self, user: &User) {
        self.lock().user_changed(user);
        COUNTERS.invalidation.inc();
    }

    /// A change to `channel_id`'s members only.
    pub(crate) fn channel_changed(&self, channel_id: &str) {
        self.lock().channel_changed(channel_id);
        COUNTERS.invalidation.inc();
    }
}

/// `mattermost_cache_mem_{hit,miss,invalidation}_total{name="MemberProfiles"}`.
static COUNTERS: std::sync::LazyLock<utmost_metrics::CacheCounters> =
    std::sync::LazyLock::new(|| utmost_metrics::metrics().cache("MemberProfiles"));

/// The active members of a channel with their notification settings.
pub async fn member_profiles(app: &App, channel_id: &str) -> AppResult<Arc<[MemberProfile]>> {
    let cache = &app.caches.member_profiles;
    let stamp = {
        let cached = cache.lock();
        if let Some(hit) = cached.by_channel.get(channel_id) {
            COUNTERS.hit.inc();
            return Ok(hit.clone());
        }
        cached.stamp(channel_id)
    };
    COUNTERS.miss.inc();
    let members: Arc<[MemberProfile]> =
        utmost_store::member_profiles::member_profiles(&app.store, channel_id)
            .await?
            .into();
    let mut cached = cache.lock();
    if cached.stamp(channel_id) == stamp {
        cached.keep(channel_id, members.clone());
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(n: usize) -> Arc<[MemberProfile]> {
        vec![MemberProfile::default(); n].into()
    }

    #[test]
    fn a_read_that_overlaps_a_change_is_not_kept() {
        let mut cached = Cached::default();
        let c1 = cached.stamp("c1");
        let c2 = cached.stamp("c2");
        cached.channel_changed("c1");
        assert_ne!(cached.stamp("c1"), c1);
        assert_eq!(cached.stamp("c2"), c2);
        // Starting over forgets the per-channel counts but still tells both readers.
        let c1 = cached.stamp("c1");
        cached.start_over();
        assert_ne!(cached.stamp("c1"), c1);
        assert_ne!(cached.stamp("c2"), c2);
    }

    #[test]
    fn a_profile_change_drops_only_the_lists_it_makes_stale() {
        let mut user = User {
            id: "u1".into(),
            username: "one".into(),
            first_name: "First".into(),
            notify_props: [("mention_keys".to_string(), "zebra".to_string())].into(),
            ..User::default()
        };
        let profile = MemberProfile {
            user_id: "u1".into(),
            username: "one".into(),
            first_name: "First".into(),
            notify_props: user.notify_props.clone(),
            ..MemberProfile::default()
        };
        let mut cached = Cached::default();
        cached.keep("with", vec![profile].into());
        cached.keep("without", members(2));
        let reading = cached.stamp("with");

        // A custom status and a desktop sound: nothing the server reads.
        user.props.insert("customStatus".into(), "{}".into());
        user.notify_props
            .insert("desktop_sound".into(), "false".into());
        cached.user_changed(&user);
        assert_eq!(cached.by_channel.len(), 2);
        assert_ne!(
            cached.stamp("with"),
            reading,
            "a read in flight is not kept"
        );

        user.first_name = "Renamed".into();
        cached.user_changed(&user);
        assert!(!cached.by_channel.contains_key("with"));
        assert!(cached.by_channel.contains_key("without"));
    }

    #[test]
    fn the_members_held_are_bounded_and_counted() {
        let mut cached = Cached::default();
        cached.keep("c1", members(MAX_CACHED_MEMBERS - 10));
        cached.keep("c2", members(10));
        assert_eq!(cached.members, MAX_CACHED_MEMBERS);
        cached.channel_changed("c2");
        assert_eq!(cached.members, MAX_CACHED_MEMBERS - 10);
        cached.keep("c3", members(11));
        assert_eq!(cached.by_channel.len(), 1, "a full cache starts over");
        assert_eq!(cached.members, 11);
    }
}

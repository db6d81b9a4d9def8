//! Channel members with the settings mention parsing reads, cached per channel.
//!
//! Every post loads its channel's members to find who it mentions; in a channel of 10,000
//! that query and its rows cost far more than the rest of the post. Big channels' member
//! lists are kept in memory and dropped whenever anything they hold may have changed: the
//! store functions that write users' profiles or the preference read here pass their
//! committed result through `Store::after_member_change` (every channel), those that write a
//! channel's memberships or its members' notify props through
//! `Store::after_channel_member_change` (that channel). A list read while such a write landed
//! is not kept. The cache lives in this process; several nodes will need to tell each other
//! of changes.

use crate::Store;
use crate::{db::read, Result};
use sqlx::types::Json;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Channels smaller than this are read from the database each time (cheap, and caching
/// every small channel would cost memory for little).
const MIN_CACHED_MEMBERS: usize = 200;
/// At most this many members over all cached channels (a few dozen MB at most); past it the
/// cache starts over.
const MAX_CACHED_MEMBERS: usize = 50_000;
/// Channels whose changes are counted; past it the cache starts over.
const MAX_TRACKED_CHANNELS: usize = 100_000;

/// User notify props the server reads (mentions, reply notifications).
const USER_PROPS: [&str; 4] = ["mention_keys", "first_name", "channel", "comments"];
/// Channel member notify props the server reads (muted channels' channel-wide mentions).
const CHANNEL_PROPS: [&str; 2] = ["ignore_channel_mentions", "mark_unread"];

/// A channel member as mention parsing needs them.
#[derive(Debug, Clone, Default)]
pub struct MemberProfile {
    pub user_id: String,
    pub username: String,
    pub first_name: String,
    /// Only the keys in `USER_PROPS`.
    pub notify_props: BTreeMap<String, String>,
    /// Only the keys in `CHANNEL_PROPS`.
    pub channel_notify_props: BTreeMap<String, String>,
    /// The `display_settings/collapsed_reply_threads` preference, when set.
    pub collapsed_threads: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MemberProfileRow {
    id: String,
    username: Option<String>,
    firstname: Option<String>,
    notifyprops: Option<Json<BTreeMap<String, String>>>,
    channelnotifyprops: Option<Json<BTreeMap<String, String>>>,
    collapsedthreads: Option<String>,
}

#[derive(Default)]
pub(crate) struct MemberProfileCache(Mutex<Cached>);

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
}

impl Store {
    /// Wraps a committed write that may change any channel's [`member_profiles`] (a user's
    /// profile or settings): drops every cached list, then passes the write's result on.
    pub(crate) fn after_member_change<T>(&self, result: Result<T>) -> Result<T> {
        lock(&self.profiles).start_over();
        result
    }

    /// Like `after_member_change` for a write that only changes `channel_id`'s members.
    pub(crate) fn after_channel_member_change<T>(
        &self,
        channel_id: &str,
        result: Result<T>,
    ) -> Result<T> {
        lock(&self.profiles).channel_changed(channel_id);
        result
    }
}

/// The active members of a channel with their notification settings.
pub async fn member_profiles(store: &Store, channel_id: &str) -> Result<Arc<[MemberProfile]>> {
    let stamp = {
        let cached = lock(&store.profiles);
        if let Some(hit) = cached.by_channel.get(channel_id) {
            return Ok(hit.clone());
        }
        cached.stamp(channel_id)
    };
    let members: Arc<[MemberProfile]> = load(store, channel_id).await?.into();
    if members.len() >= MIN_CACHED_MEMBERS {
        let mut cached = lock(&store.profiles);
        if cached.stamp(channel_id) == stamp {
            if cached.members + members.len() > MAX_CACHED_MEMBERS {
                cached.start_over();
            }
            cached.members += members.len();
            if let Some(old) = cached
                .by_channel
                .insert(channel_id.to_string(), members.clone())
            {
                cached.members -= old.len();
            }
        }
    }
    Ok(members)
}

fn lock(cache: &MemberProfileCache) -> std::sync::MutexGuard<'_, Cached> {
    // A panic while holding the lock cannot leave the maps inconsistent: keep using them.
    cache.0.lock().unwrap_or_else(|e| e.into_inner())
}

async fn load(store: &Store, channel_id: &str) -> Result<Vec<MemberProfile>> {
    let sql = "SELECT u.id, u.username, u.firstname, u.notifyprops, \
        cm.notifyprops AS channelnotifyprops, pr.value AS collapsedthreads \
        FROM channelmembers cm JOIN users u ON u.id = cm.userid \
        LEFT JOIN preferences pr ON pr.userid = u.id AND pr.category = 'display_settings' \
            AND pr.name = 'collapsed_reply_threads' \
        WHERE cm.channelid = $1 AND u.deleteat = 0";
    let rows: Vec<MemberProfileRow> = read!(store, |p| sqlx::query_as(sql)
        .bind(channel_id)
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| MemberProfile {
            user_id: r.id,
            username: r.username.unwrap_or_default(),
            first_name: r.firstname.unwrap_or_default(),
            notify_props: only(r.notifyprops, &USER_PROPS),
            channel_notify_props: only(r.channelnotifyprops, &CHANNEL_PROPS),
            collapsed_threads: r.collapsedthreads,
        })
        .collect())
}

fn only(props: Option<Json<BTreeMap<String, String>>>, keys: &[&str]) -> BTreeMap<String, String> {
    let mut props = props.map(|j| j.0).unwrap_or_default();
    props.retain(|k, _| keys.contains(&k.as_str()));
    props
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use utmost_model::channel::ChannelMember;
    use utmost_model::preference::Preference;

    /// `n` users `u1…un`, all members of channels `c1` and `c2`, written straight into the
    /// database.
    async fn seed(store: &Store, n: usize) {
        let Db::Sqlite { write, .. } = &store.db else {
            unreachable!("a SQLite store")
        };
        let users = format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
             INSERT INTO users (id, username, firstname, notifyprops, deleteat, createat, updateat) \
             SELECT 'u' || i, 'user' || i, 'First' || i, '{{\"desktop\":\"all\"}}', 0, 0, 0 FROM n"
        );
        sqlx::query(&users).execute(write).await.unwrap();
        for channel in ["c1", "c2"] {
            sqlx::query(
                "INSERT INTO channelmembers (channelid, userid, roles, notifyprops) \
                 SELECT $1, id, '', '{}' FROM users",
            )
            .bind(channel)
            .execute(write)
            .await
            .unwrap();
        }
    }

    async fn profile(store: &Store, user_id: &str) -> Option<MemberProfile> {
        let members = member_profiles(store, "c1").await.unwrap();
        members.iter().find(|m| m.user_id == user_id).cloned()
    }

    #[tokio::test]
    async fn big_channels_are_cached_until_a_write_changes_them() {
        let (store, dir) = crate::db::test_store().await;
        seed(&store, MIN_CACHED_MEMBERS + 1).await;
        let first = member_profiles(&store, "c1").await.unwrap();
        assert_eq!(first.len(), MIN_CACHED_MEMBERS + 1);
        assert!(Arc::ptr_eq(
            &first,
            &member_profiles(&store, "c1").await.unwrap()
        ));
        // Only the notify props the server reads are kept.
        assert!(first.iter().all(|m| m.notify_props.is_empty()));

        let mut u7 = crate::users::get(&store, "u7").await.unwrap().unwrap();
        u7.first_name = "Renamed".into();
        u7.notify_props
            .insert("mention_keys".into(), "zebra".into());
        crate::users::update_profile(&store, &u7).await.unwrap();
        let p = profile(&store, "u7").await.unwrap();
        assert_eq!(p.first_name, "Renamed");
        assert_eq!(p.notify_props.get("mention_keys").unwrap(), "zebra");

        let muted = [("ignore_channel_mentions".to_string(), "on".to_string())].into();
        crate::channels::merge_notify_props(&store, "c1", "u7", &muted, 1)
            .await
            .unwrap();
        let p = profile(&store, "u7").await.unwrap();
        assert_eq!(p.channel_notify_props, muted);

        let crt = Preference {
            user_id: "u7".into(),
            category: "display_settings".into(),
            name: "collapsed_reply_threads".into(),
            value: "on".into(),
        };
        crate::preferences::save(&store, std::slice::from_ref(&crt))
            .await
            .unwrap();
        let p = profile(&store, "u7").await.unwrap();
        assert_eq!(p.collapsed_threads.as_deref(), Some("on"));
        crate::preferences::delete(&store, "u7", &[crt])
            .await
            .unwrap();
        assert_eq!(profile(&store, "u7").await.unwrap().collapsed_threads, None);

        // A channel's own changes leave the other channels' lists alone.
        let c2 = member_profiles(&store, "c2").await.unwrap();
        crate::channels::remove_member(&store, "c1", "u8", 2)
            .await
            .unwrap();
        assert!(profile(&store, "u8").await.is_none());
        let member = ChannelMember {
            channel_id: "c1".into(),
            user_id: "u8".into(),
            ..ChannelMember::default()
        };
        crate::channels::add_member(&store, &member, 3)
            .await
            .unwrap();
        assert!(profile(&store, "u8").await.is_some());
        assert!(Arc::ptr_eq(
            &c2,
            &member_profiles(&store, "c2").await.unwrap()
        ));

        crate::users::set_delete_at(&store, "u9", 4, 4)
            .await
            .unwrap();
        assert!(profile(&store, "u9").await.is_none());

        // What clients write all the time leaves the cache alone.
        let cached = member_profiles(&store, "c1").await.unwrap();
        let recent = Preference {
            user_id: "u7".into(),
            category: "recent_emojis".into(),
            name: "u7".into(),
            value: "[]".into(),
        };
        crate::preferences::save(&store, &[recent]).await.unwrap();
        let props = [("customStatus".to_string(), "{}".to_string())].into();
        crate::users::update_props(&store, "u7", &props, 5)
            .await
            .unwrap();
        assert!(Arc::ptr_eq(
            &cached,
            &member_profiles(&store, "c1").await.unwrap()
        ));
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
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

    #[tokio::test]
    async fn small_channels_are_read_each_time() {
        let (store, dir) = crate::db::test_store().await;
        seed(&store, 3).await;
        let first = member_profiles(&store, "c1").await.unwrap();
        assert_eq!(first.len(), 3);
        assert!(!Arc::ptr_eq(
            &first,
            &member_profiles(&store, "c1").await.unwrap()
        ));
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

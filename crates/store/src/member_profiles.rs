//! Channel members with the settings mention parsing and notifications read. Every post
//! needs its channel's list; the cache layer in `app` keeps them (the store never caches).

use crate::Store;
use crate::{db::read, Result};
use sqlx::types::Json;
use std::collections::BTreeMap;
use utmost_model::user::User;

/// User notify props the server reads (mentions, reply notifications, and whether and how
/// to notify: `notifications::decide`).
const USER_PROPS: [&str; 13] = [
    "mention_keys",
    "first_name",
    "channel",
    "comments",
    "desktop",
    "push",
    "email",
    "push_status",
    "desktop_threads",
    "push_threads",
    "email_threads",
    "auto_responder_active",
    "auto_responder_message",
];
/// Channel member notify props the server reads (muted channels' channel-wide mentions, the
/// channel's own notification levels).
const CHANNEL_PROPS: [&str; 7] = [
    "ignore_channel_mentions",
    "mark_unread",
    "desktop",
    "push",
    "email",
    "desktop_threads",
    "push_threads",
];

/// A channel member as mention parsing and notifications need them.
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
    /// Push level `all` in the user's or the member's notify props: a candidate for every
    /// post's push (read once here, not per post for each of a big channel's members).
    pub asks_every_push: bool,
}

impl MemberProfile {
    /// Whether this profile still says what `user` says (clients change other parts of a
    /// user, such as a custom status, all the time).
    pub fn matches(&self, user: &User) -> bool {
        self.username == user.username
            && self.first_name == user.first_name
            && self.notify_props == only_keys(user.notify_props.clone(), &USER_PROPS)
    }
}

/// Whether a preference is one a [`MemberProfile`] holds: clients save others all the time,
/// and those leave the member lists alone.
pub fn is_profile_preference(category: &str, name: &str) -> bool {
    category == "display_settings" && name == "collapsed_reply_threads"
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

/// The active members of a channel with their notification settings.
pub async fn member_profiles(store: &Store, channel_id: &str) -> Result<Vec<MemberProfile>> {
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
        .map(|r| {
            let notify_props = only(r.notifyprops, &USER_PROPS);
            let channel_notify_props = only(r.channelnotifyprops, &CHANNEL_PROPS);
            let push_all = |props: &BTreeMap<String, String>| {
                props.get("push").map(String::as_str) == Some("all")
            };
            MemberProfile {
                user_id: r.id,
                username: r.username.unwrap_or_default(),
                first_name: r.firstname.unwrap_or_default(),
                asks_every_push: push_all(&notify_props) || push_all(&channel_notify_props),
                notify_props,
                channel_notify_props,
                collapsed_threads: r.collapsedthreads,
            }
        })
        .collect())
}

fn only(props: Option<Json<BTreeMap<String, String>>>, keys: &[&str]) -> BTreeMap<String, String> {
    only_keys(props.map(|j| j.0).unwrap_or_default(), keys)
}

fn only_keys(mut props: BTreeMap<String, String>, keys: &[&str]) -> BTreeMap<String, String> {
    props.retain(|k, _| keys.contains(&k.as_str()));
    props
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn active_members_with_only_the_settings_mentions_read() {
        let (store, dir) = crate::db::test_store().await;
        let Db::Sqlite { write, .. } = &store.db else {
            unreachable!("a SQLite store")
        };
        for sql in [
            "INSERT INTO users (id, username, firstname, notifyprops, deleteat, createat, updateat) \
             VALUES ('u1', 'one', 'First', '{\"desktop_sound\":\"true\",\"mention_keys\":\"zebra\"}', 0, 0, 0), \
                    ('u2', 'two', '', '{}', 5, 0, 0)",
            "INSERT INTO channelmembers (channelid, userid, roles, notifyprops) \
             VALUES ('c1', 'u1', '', '{\"ignore_channel_mentions\":\"on\",\"desktop_sound\":\"on\"}'), \
                    ('c1', 'u2', '', '{}'), ('c2', 'u1', '', '{}')",
            "INSERT INTO preferences (userid, category, name, value) \
             VALUES ('u1', 'display_settings', 'collapsed_reply_threads', 'on')",
        ] {
            sqlx::query(sql).execute(write).await.unwrap();
        }
        let members = member_profiles(&store, "c1").await.unwrap();
        assert_eq!(members.len(), 1, "the deactivated member is left out");
        let m = &members[0];
        assert_eq!((m.user_id.as_str(), m.username.as_str()), ("u1", "one"));
        assert_eq!(m.first_name, "First");
        assert_eq!(
            m.notify_props,
            [("mention_keys".to_string(), "zebra".to_string())].into()
        );
        assert_eq!(
            m.channel_notify_props,
            [("ignore_channel_mentions".to_string(), "on".to_string())].into()
        );
        assert_eq!(m.collapsed_threads.as_deref(), Some("on"));
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }
}

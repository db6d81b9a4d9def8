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
pub mod incoming_hooks;
pub mod member_profiles;
mod memberships;
pub mod outside_writes;
pub mod sessions;
pub mod team_members;
pub mod users;

use crate::bus::{BoxFuture, Event, Subscriber};
use crate::App;
use bounded::Bounded;
use memberships::Memberships;
use std::collections::HashSet;
use utmost_store::member_profiles::is_profile_preference;

/// Every cache of the app.
pub struct Caches {
    pub(crate) sessions: sessions::Sessions,
    pub(crate) users: users::Users,
    pub(crate) channels: channels::Channels,
    pub(crate) incoming_hooks: incoming_hooks::IncomingHooks,
    pub(crate) channel_members: Memberships,
    pub(crate) team_members: Memberships,
    pub(crate) member_profiles: member_profiles::MemberProfiles,
}

impl Default for Caches {
    fn default() -> Self {
        Self {
            sessions: Bounded::named("Session", sessions::CAPACITY),
            users: Bounded::named("User", users::CAPACITY),
            channels: Bounded::named("Channel", channels::CAPACITY),
            incoming_hooks: Bounded::named("IncomingWebhook", incoming_hooks::CAPACITY),
            channel_members: Bounded::named("ChannelMember", channel_members::CAPACITY),
            team_members: Bounded::named("TeamMember", team_members::CAPACITY),
            member_profiles: member_profiles::MemberProfiles::default(),
        }
    }
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
    /// Drops everything (another process wrote to the database, see `outside_writes`).
    pub(crate) fn clear(&self) {
        self.sessions.clear();
        self.users.clear();
        self.channels.clear();
        self.incoming_hooks.clear();
        self.channel_members.clear();
        self.team_members.clear();
        self.member_profiles.everyone_changed();
    }

    fn invalidate(&self, event: &Event) {
        match event {
            Event::ChannelCreated { channel, .. }
            | Event::DirectChannelCreated { channel, .. }
            | Event::GroupChannelCreated { channel, .. } => {
                self.channel_members.drop_scope(&channel.id);
                self.member_profiles.channel_changed(&channel.id);
            }
            Event::ChannelUpdated { channel }
            | Event::ChannelConverted { channel }
            | Event::ChannelRestored { channel } => self.channels.remove(&channel.id),
            Event::ChannelDeleted { channel } | Event::ChannelPermanentlyDeleted { channel } => {
                self.channels.remove(&channel.id);
                self.channel_members.drop_scope(&channel.id);
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
                self.team_members.clear();
                self.channels.clear();
                self.channel_members.clear();
                self.member_profiles.everyone_changed();
            }
            Event::UserUpdated { user } => {
                self.users.remove(&user.id);
                self.member_profiles.user_changed(user);
            }
            Event::UserCredentialsChanged { user_id } => self.users.remove(user_id),
            Event::UserPermanentlyDeleted { user_id } => {
                self.users.remove(user_id);
                self.sessions.drop_user_sessions(user_id);
                self.channel_members.drop_user(user_id);
                self.team_members.drop_user(user_id);
                self.member_profiles.everyone_changed();
            }
            Event::UserRolesUpdated { user_id, .. } => {
                self.users.remove(user_id);
                self.sessions.drop_user_sessions(user_id);
            }
            Event::UserActivationChanged { user_id, .. } => {
                self.users.remove(user_id);
                self.sessions.drop_user_sessions(user_id);
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
            Event::UserSessionsEnded { user_id } => self.sessions.drop_user_sessions(user_id),
            Event::AllSessionsEnded => self.sessions.clear(),
            // Counters and read state are not cached; teams are read from the store.
            Event::PostCreated { .. }
            | Event::PostEdited { .. }
            | Event::PostDeleted { .. }
            | Event::PostsPurged { .. }
            | Event::PostMarkedUnread { .. }
            | Event::ReactionAdded { .. }
            | Event::ReactionRemoved { .. }
            | Event::ThreadUpdated { .. }
            | Event::ThreadRead { .. }
            | Event::ThreadsRead { .. }
            | Event::ThreadFollowChanged { .. }
            | Event::EmojiAdded { .. }
            | Event::EmojiDeleted { .. }
            | Event::ConfigChanged { .. }
            // The roles' table is reloaded by the patch itself.
            | Event::RoleUpdated { .. }
            | Event::SidebarCategoryCreated { .. }
            | Event::SidebarCategoriesUpdated { .. }
            | Event::SidebarCategoryDeleted { .. }
            | Event::SidebarCategoryOrderUpdated { .. }
            | Event::AcknowledgementAdded { .. }
            | Event::AcknowledgementRemoved { .. }
            | Event::EphemeralPost { .. }
            | Event::PersistentNotificationTriggered { .. }
            | Event::DraftSaved { .. }
            | Event::DraftDeleted { .. }
            | Event::ScheduledPostCreated { .. }
            | Event::ScheduledPostUpdated { .. }
            | Event::ScheduledPostDeleted { .. }
            | Event::BookmarkCreated { .. }
            | Event::BookmarkUpdated { .. }
            | Event::BookmarkDeleted { .. }
            | Event::BookmarksSorted { .. }
            | Event::ChannelsViewed { .. }
            | Event::TeamUpdated { .. }
            | Event::TeamRestored { .. }
            | Event::UserCreated { .. }
            | Event::StatusChanged { .. }
            // Nothing cached holds groups.
            | Event::GroupUpdated { .. }
            | Event::GroupMemberAdded { .. }
            | Event::GroupMemberDeleted { .. }
            | Event::GroupSyncableChanged { .. }
            | Event::DialogOpened { .. }
            | Event::Typing { .. }
            | Event::PluginsChanged {} => {}
            Event::IncomingWebhookChanged { hook_id } => self.incoming_hooks.remove(hook_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    /// What keeping state between calls takes in Rust: a store module that names one of these
    /// (outside its tests) holds something it could cache.
    const SHARED_STATE: [&str; 11] = [
        "Mutex",
        "RwLock",
        "OnceLock",
        "OnceCell",
        "LazyLock",
        "lazy_static",
        "thread_local!",
        "ArcSwap",
        "DashMap",
        "Atomic",
        "caches::",
    ];

    fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// A file's code before its tests (every store module keeps its tests at the end).
    fn code_before_tests(source: &str) -> &str {
        source.split("#[cfg(test)]").next().unwrap_or(source)
    }

    /// The architecture's invariant: the store never caches. Nothing in it can hold state
    /// between calls, and `Store` holds the database and nothing else.
    #[test]
    fn the_store_never_caches() {
        let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/src");
        let mut files = Vec::new();
        rust_files(&store, &mut files);
        assert!(files.len() > 10, "the store's sources are at {store:?}");
        for file in &files {
            // The one exception: which read replicas are in rotation (health flags of
            // connections, never data; see `store::replicas`).
            if file.ends_with("replicas.rs") {
                continue;
            }
            let source = std::fs::read_to_string(file).unwrap();
            let code = code_before_tests(&source);
            for token in SHARED_STATE {
                assert!(
                    !code.contains(token),
                    "{file:?} uses {token}: the store never caches (see ARCHITECTURE.md)"
                );
            }
        }
        let db = std::fs::read_to_string(store.join("db.rs")).unwrap();
        let fields = db
            .split("pub struct Store {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .unwrap();
        let fields: Vec<&str> = fields
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .collect();
        assert_eq!(
            fields,
            [
                "pub(crate) db: Db,",
                "pub(crate) replicas: crate::replicas::Rotation,"
            ],
            "Store holds the database (its primary and read replicas) only"
        );
    }

    #[test]
    fn the_scan_sees_what_a_cache_in_the_store_was() {
        // The member-profile cache as it lived in the store before this layer.
        let old =
            "pub(crate) struct MemberProfileCache(Mutex<Cached>);\n#[cfg(test)]\nmod tests {}";
        assert!(code_before_tests(old).contains("Mutex"));
        assert!(
            !code_before_tests("fn f() {}\n#[cfg(test)]\nuse std::sync::Mutex;").contains("Mutex")
        );
    }
}

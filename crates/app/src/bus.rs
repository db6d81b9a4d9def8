//! The event stream: "something committed; now tell everyone who cares".
//!
//! A service publishes one [`Event`] after its transaction has committed, never before, so
//! nobody hears of a write that was rolled back. Subscribers react in the order they were
//! registered: the caches first (so a request that follows sees the change), then the
//! WebSocket hub, and every later subsystem (search, mail, webhooks, other nodes). No write
//! path calls the hub or a cache directly.
//!
//! [`LocalBus`] delivers within this process. A bus across nodes (Redis) implements the
//! same [`Bus`] trait: it publishes locally and to the other nodes, and delivers what they
//! publish to the local subscribers: `cluster::ClusterBus`, which hands other nodes' events
//! only to the subscribers that must hear them (`cluster::remote_subscribers`).

use crate::threads::{ThreadReadChange, ThreadUpdate};
use crate::unreads::ChannelUnreadAt;
use crate::App;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use utmost_model::channel::{Channel, ChannelMember};
use utmost_model::channel_bookmark::{ChannelBookmark, UpdateChannelBookmarkResponse};
use utmost_model::channel_sidebar::SidebarCategory;
use utmost_model::draft::{Draft, ScheduledPost};
use utmost_model::emoji::Emoji;
use utmost_model::group::{Group, GroupMember, SyncableType};
use utmost_model::post::Post;
use utmost_model::post_acknowledgement::PostAcknowledgement;
use utmost_model::preference::Preference;
use utmost_model::reaction::Reaction;
use utmost_model::status::Status;
use utmost_model::team::{Team, TeamMember};
use utmost_model::user::User;
use utmost_store::sessions::EndedSession;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that happened, as a fact, not as any one subscriber's message.
// Events are built once per write and passed by reference, never kept in bulk: their size
// costs nothing worth boxing every post and channel for.
#[allow(clippy::large_enum_variant)]
// Serialisable so that a bus across nodes carries it (`cluster`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Event {
    // Posts and read state.
    PostCreated {
        post: Post,
        /// The channel's identity and settings; its counters are not current (a user's post
        /// brings the channel from the cache, which holds them as 0).
        channel: Channel,
        sender_name: String,
        /// Members the post mentions (their unread mention counts went up).
        mentions: Vec<String>,
    },
    PostEdited {
        post: Post,
    },
    PostDeleted {
        post: Post,
        deleted_by: String,
    },
    /// Posts and files deleted for good (data retention, permanent deletion), with every
    /// row that hung off them; nobody is told, as in Mattermost.
    PostsPurged {
        post_ids: Vec<String>,
        file_ids: Vec<String>,
    },
    /// A user marked a post and everything after it unread.
    PostMarkedUnread {
        user_id: String,
        post_id: String,
        unread: ChannelUnreadAt,
    },
    /// A reaction was saved (or saved again).
    ReactionAdded {
        reaction: Reaction,
    },
    /// A reaction was removed (`delete_at` and `update_at` say when).
    ReactionRemoved {
        reaction: Reaction,
    },
    /// A reply moved a thread: its followers under collapsed threads, each with the thread
    /// as they now see it.
    ThreadUpdated {
        team_id: String,
        updates: Vec<ThreadUpdate>,
    },
    /// A user read a thread up to a time (or marked it unread from a post).
    ThreadRead {
        user_id: String,
        team_id: String,
        read: ThreadReadChange,
    },
    /// A user read every thread of a team (and every DM and GM thread).
    ThreadsRead {
        user_id: String,
        team_id: String,
    },
    /// A user followed or unfollowed a thread.
    ThreadFollowChanged {
        user_id: String,
        team_id: String,
        thread_id: String,
        following: bool,
        reply_count: i64,
    },
    /// A custom emoji was created.
    EmojiAdded {
        emoji: Emoji,
    },
    /// A custom emoji was deleted, and with it every reaction of its name (the posts that had
    /// one were updated).
    EmojiDeleted {
        emoji: Emoji,
    },
    /// The configuration changed (saved through the API or reloaded): the client
    /// configuration of a signed-in user, as it now is.
    ConfigChanged {
        client_config: std::collections::BTreeMap<String, String>,
    },
    /// A user created a custom sidebar category in a team.
    SidebarCategoryCreated {
        user_id: String,
        team_id: String,
        category_id: String,
    },
    /// A user's sidebar categories in a team changed (as they are now).
    SidebarCategoriesUpdated {
        user_id: String,
        team_id: String,
        categories: Vec<SidebarCategory>,
    },
    SidebarCategoryDeleted {
        user_id: String,
        team_id: String,
        category_id: String,
    },
    /// A user reordered their sidebar categories in a team.
    SidebarCategoryOrderUpdated {
        user_id: String,
        team_id: String,
        order: Vec<String>,
    },
    /// A user acknowledged a post of `channel_id`.
    AcknowledgementAdded {
        acknowledgement: PostAcknowledgement,
        channel_id: String,
    },
    /// A user took back their acknowledgement (as it was before).
    AcknowledgementRemoved {
        acknowledgement: PostAcknowledgement,
        channel_id: String,
    },
    /// Another round of an urgent post's persistent notifications, for the named members
    /// whose desktop notifications let it through.
    PersistentNotificationTriggered {
        post: Post,
        channel: Channel,
        sender_name: String,
        user_ids: Vec<String>,
    },
    /// A post shown to one user only and never stored (its `channel_id` says where).
    EphemeralPost {
        user_id: String,
        post: Post,
    },
    /// A user saved a draft (`connection_id`: the connection that saved it, which is not told).
    DraftSaved {
        draft: Draft,
        connection_id: String,
    },
    DraftDeleted {
        draft: Draft,
        connection_id: String,
    },
    /// A scheduled post was saved (`connection_id` as for drafts; empty from the job).
    ScheduledPostCreated {
        scheduled_post: ScheduledPost,
        connection_id: String,
    },
    /// A scheduled post changed, or the job recorded why it could not send it.
    ScheduledPostUpdated {
        scheduled_post: ScheduledPost,
        connection_id: String,
    },
    /// A scheduled post was deleted, or sent.
    ScheduledPostDeleted {
        scheduled_post: ScheduledPost,
        connection_id: String,
    },
    /// A channel bookmark was added (`connection_id` as for drafts).
    BookmarkCreated {
        bookmark: ChannelBookmark,
        connection_id: String,
    },
    BookmarkUpdated {
        channel_id: String,
        response: UpdateChannelBookmarkResponse,
        connection_id: String,
    },
    BookmarkDeleted {
        bookmark: ChannelBookmark,
        connection_id: String,
    },
    /// A channel's bookmarks, in their new order.
    BookmarksSorted {
        channel_id: String,
        bookmarks: Vec<ChannelBookmark>,
        connection_id: String,
    },
    /// A user read channels up to these times (milliseconds).
    ChannelsViewed {
        user_id: String,
        times: Vec<(String, i64)>,
    },

    // Channels.
    ChannelCreated {
        channel: Channel,
        creator_id: String,
    },
    DirectChannelCreated {
        channel: Channel,
        creator_id: String,
        teammate_id: String,
    },
    GroupChannelCreated {
        channel: Channel,
        member_ids: Vec<String>,
    },
    ChannelUpdated {
        channel: Channel,
    },
    /// A public channel became private.
    ChannelConverted {
        channel: Channel,
    },
    ChannelDeleted {
        channel: Channel,
    },
    ChannelRestored {
        channel: Channel,
    },
    /// A user and every row of theirs were deleted for good.
    UserPermanentlyDeleted {
        user_id: String,
    },
    /// A channel and its memberships were deleted for good.
    ChannelPermanentlyDeleted {
        channel: Channel,
    },

    // Memberships.
    ChannelMemberAdded {
        channel: Channel,
        user_id: String,
    },
    ChannelMemberRemoved {
        channel: Channel,
        user_id: String,
        remover_id: String,
    },
    /// A member's roles or notify props changed.
    ChannelMemberUpdated {
        member: ChannelMember,
    },
    /// A user left every channel of a team at once (they left the team).
    TeamChannelsLeft {
        team_id: String,
        user_id: String,
    },
    TeamMemberAdded {
        team_id: String,
        user_id: String,
    },
    TeamMemberRemoved {
        team_id: String,
        user_id: String,
    },
    /// A team member's roles changed.
    TeamMemberUpdated {
        member: TeamMember,
    },

    // Teams.
    TeamUpdated {
        team: Team,
    },
    TeamDeleted {
        team: Team,
    },
    TeamRestored {
        team: Team,
    },

    // Users.
    UserCreated {
        user_id: String,
    },
    /// A profile changed (the user as stored now, unsanitised).
    UserUpdated {
        user: User,
    },
    /// A role's permissions changed (the permissions editor).
    RoleUpdated {
        role: utmost_model::role::Role,
    },
    /// New system roles, copied into the user's sessions.
    UserRolesUpdated {
        user_id: String,
        roles: String,
    },
    UserActivationChanged {
        user_id: String,
        active: bool,
    },
    /// A user's password or login bookkeeping (failed attempts, last login) changed; clients
    /// are not told, but the stored user changed.
    UserCredentialsChanged {
        user_id: String,
    },
    StatusChanged {
        status: Status,
    },
    PreferencesChanged {
        user_id: String,
        preferences: Vec<Preference>,
    },
    PreferencesDeleted {
        user_id: String,
        preferences: Vec<Preference>,
    },

    // Sessions.
    /// These sessions were deleted (logout, revoke, password change, token revoked).
    SessionsEnded {
        sessions: Vec<EndedSession>,
    },
    /// Every session of one user was deleted.
    UserSessionsEnded {
        user_id: String,
    },
    /// Every session of everyone was deleted.
    AllSessionsEnded,
    /// A session's activity, expiry, device or props were written.
    SessionUpdated {
        session_id: String,
    },

    // Ephemeral: nothing is stored, but every node's connections hear it.
    Typing {
        channel_id: String,
        parent_id: String,
        user_id: String,
    },
    // Groups (`groups`).
    /// A group was created, changed or deleted (`received_group`).
    GroupUpdated {
        group: Group,
    },
    GroupMemberAdded {
        member: GroupMember,
    },
    GroupMemberDeleted {
        member: GroupMember,
    },
    /// A plugin was installed, replaced or removed: every node looks at the bundles again.
    PluginsChanged {},
    /// An incoming webhook was changed or deleted.
    IncomingWebhookChanged {
        hook_id: String,
    },
    /// A group was linked to (`linked`) or unlinked from a team or channel.
    GroupSyncableChanged {
        kind: SyncableType,
        group_id: String,
        syncable_id: String,
        linked: bool,
    },
    /// An integration opened a dialog for `user_id` (`dialog`: the `OpenDialogRequest` as a
    /// JSON string, Mattermost's `open_dialog` payload).
    DialogOpened {
        user_id: String,
        dialog: String,
    },
}

/// Reacts to events. Runs inside the publisher's request, after its commit: it must be quick
/// (drop a cache entry, queue work with backpressure), never wait on a client.
pub trait Subscriber: Send + Sync {
    /// For logs.
    fn name(&self) -> &'static str;
    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()>;
}

/// Where services publish.
pub trait Bus: Send + Sync {
    fn publish<'a>(&'a self, app: &'a App, event: Event) -> BoxFuture<'a, ()>;
}

/// Delivers each event to this process's subscribers, in registration order.
pub struct LocalBus {
    subscribers: Vec<Arc<dyn Subscriber>>,
}

impl LocalBus {
    pub fn new(subscribers: Vec<Arc<dyn Subscriber>>) -> Self {
        Self { subscribers }
    }

    /// The same bus with `more` subscribers after these.
    pub fn then(mut self, more: Vec<Arc<dyn Subscriber>>) -> Self {
        self.subscribers.extend(more);
        self
    }
}

impl Bus for LocalBus {
    fn publish<'a>(&'a self, app: &'a App, event: Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            for subscriber in &self.subscribers {
                subscriber.on_event(app, &event).await;
            }
        })
    }
}

impl App {
    /// Tells every subscriber that `event` happened. Call it only after the write that
    /// caused it has committed.
    pub async fn publish(&self, event: Event) {
        if let Event::PostCreated { post, .. } = &event {
            let m = utmost_metrics::metrics();
            m.post_total.inc();
            m.post_file_attachments_total
                .inc_by(post.file_ids.len() as u64);
        }
        self.bus.publish(self, event).await;
    }
}

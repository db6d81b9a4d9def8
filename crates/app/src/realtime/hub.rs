use super::frame::{Frame, Prepared};
use super::service::Shards;
use super::shard::{Shard, ShardMsg};
use super::SHARD_QUEUE;
use crate::services::Run;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use utmost_model::websocket::WsEvent;

/// A new or resuming WebSocket connection, as the API layer hands it over.
pub struct ConnectRequest {
    pub user_id: String,
    /// The session that authenticated the socket; ending it closes the socket.
    pub session_id: String,
    /// The session's roles grant `manage_system`: the connection gets the admin copy of
    /// events that have one (see `Audience`).
    pub is_admin: bool,
    /// The session is a guest's: events about users meant for non-guests skip it.
    pub is_guest: bool,
    /// The id from an earlier `hello`, when the client is resuming; empty otherwise.
    pub connection_id: String,
    /// The next sequence number the resuming client expects.
    pub sequence_number: u64,
    /// The client acks `posted` events (`posted_ack=true`), so they carry `should_ack`.
    pub posted_ack: bool,
    /// Where the connection's frames go; the socket writer drains it.
    pub sender: mpsc::Sender<Frame>,
    /// The user's channels and teams, loaded by the caller, for routing.
    pub channels: Vec<String>,
    pub teams: Vec<String>,
}

/// The outcome of a registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub connection_id: String,
    /// True when the missed events were replayed (no new `hello`).
    pub resumed: bool,
    /// Which socket holds the connection id now; a resume hands the id to a new socket,
    /// and the old socket's late `disconnected` must not close the new one.
    pub socket: u64,
}

/// A user's first connection opened (online) or last connection closed (offline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub user_id: String,
    pub online: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubStats {
    pub live_connections: usize,
    pub dead_connections: usize,
    pub users: usize,
}

/// Handle to the shards; cheap to clone. Sending waits while the shard's inbox is full.
#[derive(Clone)]
pub struct Hub {
    shards: Arc<[mpsc::Sender<ShardMsg>]>,
}

impl Hub {
    /// Creates the hub and its `shards` shards, which run as the returned service.
    /// Presence changes are reported on `presence`.
    pub fn new(shards: usize, presence: mpsc::Sender<Presence>) -> (Hub, Shards) {
        Self::with_inbox(shards, SHARD_QUEUE, presence)
    }

    /// Like `new`, with inboxes of `inbox` messages (tests fill them).
    pub(super) fn with_inbox(
        shards: usize,
        inbox: usize,
        presence: mpsc::Sender<Presence>,
    ) -> (Hub, Shards) {
        let (senders, tasks): (Vec<_>, Vec<Run>) = (0..shards.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::channel(inbox);
                (tx, Box::pin(Shard::new(presence.clone()).run(rx)) as Run)
            })
            .unzip();
        let hub = Hub {
            shards: senders.into(),
        };
        (hub, Shards { tasks })
    }

    fn shard_of(&self, user_id: &str) -> &mpsc::Sender<ShardMsg> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        user_id.hash(&mut h);
        let i = (h.finish() % self.shards.len() as u64) as usize;
        &self.shards[i]
    }

    async fn send(&self, user_id: &str, msg: ShardMsg) {
        // A shard only stops when the runtime shuts down; nothing is left to deliver to then.
        let _ = self.shard_of(user_id).send(msg).await;
    }

    async fn broadcast(&self, make: impl Fn() -> ShardMsg) {
        for s in self.shards.iter() {
            let _ = s.send(make()).await;
        }
    }

    /// Sends `event` to everyone its broadcast fields select.
    pub async fn publish(&self, event: WsEvent) {
        self.publish_with_mentions(event, Vec::new()).await;
    }

    /// Like `publish`; recipients in `mentions` get `"mentions": "[\"<their id>\"]"` in the
    /// data, as Mattermost's `posted` event carries.
    pub async fn publish_with_mentions(&self, event: WsEvent, mentions: Vec<String>) {
        let user_id = event.broadcast.user_id.clone();
        utmost_metrics::metrics()
            .websocket_broadcasts
            .get(&event.event)
            .inc();
        let prepared = Prepared::new(event);
        let mentions: Arc<HashSet<String>> = Arc::new(mentions.into_iter().collect());
        if user_id.is_empty() {
            self.broadcast(|| ShardMsg::Publish(prepared.clone(), mentions.clone()))
                .await;
        } else {
            self.send(&user_id, ShardMsg::Publish(prepared, mentions))
                .await;
        }
    }

    /// Routing: `user_id` now receives `channel_id`'s events.
    pub async fn join_channel(&self, user_id: &str, channel_id: &str) {
        self.send(
            user_id,
            ShardMsg::Membership {
                user_id: user_id.into(),
                channel_id: Some(channel_id.into()),
                team_id: None,
                joined: true,
            },
        )
        .await;
    }

    pub async fn leave_channel(&self, user_id: &str, channel_id: &str) {
        self.send(
            user_id,
            ShardMsg::Membership {
                user_id: user_id.into(),
                channel_id: Some(channel_id.into()),
                team_id: None,
                joined: false,
            },
        )
        .await;
    }

    pub async fn join_team(&self, user_id: &str, team_id: &str) {
        self.send(
            user_id,
            ShardMsg::Membership {
                user_id: user_id.into(),
                channel_id: None,
                team_id: Some(team_id.into()),
                joined: true,
            },
        )
        .await;
    }

    pub async fn leave_team(&self, user_id: &str, team_id: &str) {
        self.send(
            user_id,
            ShardMsg::Membership {
                user_id: user_id.into(),
                channel_id: None,
                team_id: Some(team_id.into()),
                joined: false,
            },
        )
        .await;
    }

    /// Replaces a user's routing with the channels and teams they belong to now (after a
    /// change too broad to describe one membership at a time, like leaving a team).
    pub async fn set_routes(&self, user_id: &str, channels: Vec<String>, teams: Vec<String>) {
        self.send(
            user_id,
            ShardMsg::SetRoutes {
                user_id: user_id.into(),
                channels,
                teams,
            },
        )
        .await;
    }

    /// Registers a connection: a resume replays what the client missed; otherwise the
    /// connection gets a fresh id and a `hello` as its first frame.
    pub async fn register(
        &self,
        req: ConnectRequest,
        hello: impl FnOnce(&str) -> WsEvent + Send + 'static,
    ) -> Registered {
        let (reply, answer) = oneshot::channel();
        let user_id = req.user_id.clone();
        self.send(
            &user_id,
            ShardMsg::Register {
                req,
                hello: Box::new(hello),
                reply,
            },
        )
        .await;
        answer.await.unwrap_or(Registered {
            connection_id: String::new(),
            resumed: false,
            socket: 0,
        })
    }

    /// The socket registered as `registered` closed; the replay buffer is kept for a while.
    pub async fn disconnected(&self, user_id: &str, registered: &Registered) {
        self.send(
            user_id,
            ShardMsg::Disconnected {
                connection_id: registered.connection_id.clone(),
                socket: registered.socket,
            },
        )
        .await;
    }

    /// Closes every connection of a user (deactivation, all sessions revoked).
    pub async fn close_user(&self, user_id: &str) {
        self.send(
            user_id,
            ShardMsg::CloseUser {
                user_id: user_id.into(),
            },
        )
        .await;
    }

    /// Closes the connections opened with one session (it ended); the user's other sessions
    /// keep theirs. The replay buffers go too, so no resume brings them back.
    pub async fn close_session(&self, user_id: &str, session_id: &str) {
        self.send(
            user_id,
            ShardMsg::CloseSession {
                user_id: user_id.into(),
                session_id: session_id.into(),
            },
        )
        .await;
    }

    /// Closes every connection (everyone was logged out).
    pub async fn close_all(&self) {
        self.broadcast(|| ShardMsg::CloseAll).await;
    }

    /// The user's roles changed: whether their connections get admin copies from now on.
    pub async fn set_admin(&self, user_id: &str, is_admin: bool) {
        self.send(
            user_id,
            ShardMsg::SetAdmin {
                user_id: user_id.into(),
                is_admin,
            },
        )
        .await;
    }

    /// The user became a guest or stopped being one.
    pub async fn set_guest(&self, user_id: &str, is_guest: bool) {
        self.send(
            user_id,
            ShardMsg::SetGuest {
                user_id: user_id.into(),
                is_guest,
            },
        )
        .await;
    }

    /// (user id, session id) of every live connection, over all shards: what a check for
    /// sessions ended by another process reads.
    pub async fn sessions(&self) -> Vec<(String, String)> {
        let mut all = Vec::new();
        for s in self.shards.iter() {
            let (reply, answer) = oneshot::channel();
            if s.send(ShardMsg::Sessions(reply)).await.is_ok() {
                all.extend(answer.await.unwrap_or_default());
            }
        }
        all
    }

    /// Counts over all shards (tests, metrics).
    pub async fn stats(&self) -> HubStats {
        let mut total = HubStats::default();
        for s in self.shards.iter() {
            let (reply, answer) = oneshot::channel();
            if s.send(ShardMsg::Stats(reply)).await.is_ok() {
                if let Ok(st) = answer.await {
                    total.live_connections += st.live_connections;
                    total.dead_connections += st.dead_connections;
                    total.users += st.users;
                }
            }
        }
        total
    }
}

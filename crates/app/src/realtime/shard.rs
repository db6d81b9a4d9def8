use super::frame::{Frame, Prepared};
use super::hub::{ConnectRequest, HubStats, Presence, Registered};
use super::presence::PresenceOutbox;
use super::{DEAD_CONNECTION_TTL, REPLAY_BUFFER, SEND_QUEUE};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot};
use utmost_model::websocket::{events, WsEvent};

pub(super) enum ShardMsg {
    Publish(Arc<Prepared>, Arc<HashSet<String>>),
    Membership {
        user_id: String,
        channel_id: Option<String>,
        team_id: Option<String>,
        joined: bool,
    },
    Register {
        req: ConnectRequest,
        hello: Box<dyn FnOnce(&str) -> WsEvent + Send>,
        reply: oneshot::Sender<Registered>,
    },
    SetRoutes {
        user_id: String,
        channels: Vec<String>,
        teams: Vec<String>,
    },
    Disconnected {
        connection_id: String,
        socket: u64,
    },
    CloseUser {
        user_id: String,
    },
    CloseSession {
        user_id: String,
        session_id: String,
    },
    CloseAll,
    SetAdmin {
        user_id: String,
        is_admin: bool,
    },
    SetGuest {
        user_id: String,
        is_guest: bool,
    },
    Stats(oneshot::Sender<HubStats>),
    /// (user id, session id) of every live connection.
    Sessions(oneshot::Sender<Vec<(String, String)>>),
}

type Id = Arc<str>;

struct Conn {
    user_id: Id,
    /// The session that authenticated the socket attached now.
    session_id: Id,
    /// The socket currently attached (see `Registered::socket`).
    socket: u64,
    /// None once the socket is gone; the replay buffer stays for a resume.
    sender: Option<mpsc::Sender<Frame>>,
    next_seq: u64,
    replay: VecDeque<Frame>,
    posted_ack: bool,
    dead_since: Option<Instant>,
}

#[derive(Default)]
struct User {
    conns: Vec<Id>,
    /// Holds `manage_system` (from the connecting session's roles, then role changes).
    is_admin: bool,
    /// A guest (from the connecting session's roles, then role changes).
    is_guest: bool,
    channels: HashSet<String>,
    teams: HashSet<String>,
}

pub(super) struct Shard {
    conns: HashMap<Id, Conn>,
    /// Numbers the sockets this shard has attached.
    sockets: u64,
    users: HashMap<Id, User>,
    channel_users: HashMap<String, HashSet<Id>>,
    team_users: HashMap<String, HashSet<Id>>,
    presence: PresenceOutbox,
}

impl Shard {
    pub(super) fn new(presence: mpsc::Sender<Presence>) -> Self {
        Self {
            conns: HashMap::new(),
            sockets: 0,
            users: HashMap::new(),
            channel_users: HashMap::new(),
            team_users: HashMap::new(),
            presence: PresenceOutbox::new(presence),
        }
    }

    pub(super) async fn run(mut self, mut inbox: mpsc::Receiver<ShardMsg>) {
        let mut reaper = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tokio::select! {
                msg = inbox.recv() => match msg {
                    Some(msg) => self.handle(msg),
                    None => return,
                },
                room = self.presence.room(), if self.presence.has_waiting() => {
                    self.presence.flush_one(room);
                }
                _ = reaper.tick() => self.reap(Instant::now()),
            }
        }
    }

    fn handle(&mut self, msg: ShardMsg) {
        match msg {
            ShardMsg::Publish(prepared, mentions) => self.publish(&prepared, &mentions),
            ShardMsg::Membership {
                user_id,
                channel_id,
                team_id,
                joined,
            } => self.membership(&user_id, channel_id, team_id, joined),
            ShardMsg::Register { req, hello, reply } => {
                let _ = reply.send(self.register(req, hello));
            }
            ShardMsg::SetRoutes {
                user_id,
                channels,
                teams,
            } => {
                if self.users.contains_key(user_id.as_str()) {
                    self.set_memberships(&user_id, channels, teams);
                }
            }
            ShardMsg::Disconnected {
                connection_id,
                socket,
            } => {
                let current = self.conns.get(connection_id.as_str()).map(|c| c.socket);
                if current == Some(socket) {
                    if let Some(user_id) = self.kill(&connection_id) {
                        self.report_if_offline(&user_id);
                    }
                }
            }
            ShardMsg::CloseUser { user_id } => self.close_where(&user_id, |_| true),
            ShardMsg::CloseSession {
                user_id,
                session_id,
            } => self.close_where(&user_id, |c| *c.session_id == *session_id),
            ShardMsg::CloseAll => {
                let users: Vec<Id> = self.users.keys().cloned().collect();
                for user_id in users {
                    self.close_where(&user_id, |_| true);
                }
            }
            ShardMsg::SetAdmin { user_id, is_admin } => {
                if let Some(user) = self.users.get_mut(user_id.as_str()) {
                    user.is_admin = is_admin;
                }
            }
            ShardMsg::SetGuest { user_id, is_guest } => {
                if let Some(user) = self.users.get_mut(user_id.as_str()) {
                    user.is_guest = is_guest;
                }
            }
            ShardMsg::Sessions(reply) => {
                let live = self.conns.values().filter(|c| c.sender.is_some());
                let _ = reply.send(
                    live.map(|c| (c.user_id.to_string(), c.session_id.to_string()))
                        .collect(),
                );
            }
            ShardMsg::Stats(reply) => {
                let live = self.conns.values().filter(|c| c.sender.is_some()).count();
                let _ = reply.send(HubStats {
                    live_connections: live,
                    dead_connections: self.conns.len() - live,
                    users: self.users.len(),
                });
            }
        }
    }

    /// Mattermost's filter order: connection_id, omit_connection_id, user_id, omit_users,
    /// then channel membership, team membership, or everyone.
    fn publish(&mut self, prepared: &Arc<Prepared>, mentions: &HashSet<String>) {
        let b = &prepared.event.broadcast;
        let admitted = |u: &User| b.audience.admits(u.is_admin) && !(b.not_to_guests && u.is_guest);
        let targets: Vec<Id> = if !b.connection_id.is_empty() {
            self.conns
                .get_key_value(b.connection_id.as_str())
                .filter(|(_, c)| self.users.get(&c.user_id).is_some_and(admitted))
                .map(|(id, _)| vec![id.clone()])
                .unwrap_or_default()
        } else {
            let users: Vec<&Id> = if !b.user_id.is_empty() {
                self.users
                    .get_key_value(b.user_id.as_str())
                    .map(|(id, _)| vec![id])
                    .unwrap_or_default()
            } else if !b.channel_id.is_empty() {
                self.channel_users
                    .get(&b.channel_id)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default()
            } else if !b.team_id.is_empty() {
                self.team_users
                    .get(&b.team_id)
                    .map(|s| s.iter().collect())
                    .unwrap_or_default()
            } else {
                self.users.keys().collect()
            };
            let omitted = |u: &str| b.omit_users.as_ref().is_some_and(|m| m.contains_key(u));
            users
                .into_iter()
                .filter(|u| !omitted(u))
                .filter_map(|u| self.users.get(u))
                .filter(|u| admitted(u))
                .flat_map(|u| u.conns.iter())
                .filter(|c| c.as_ref() != b.omit_connection_id.as_str())
                .cloned()
                .collect()
        };
        let is_posted = prepared.event.event == events::POSTED;
        let mut acked: Option<Arc<Prepared>> = None;
        for id in targets {
            let Some(conn) = self.conns.get_mut(&id) else {
                continue;
            };
            let frame_event = if is_posted && mentions.contains(&*conn.user_id) {
                let mention = serde_json::Value::String(format!("[\"{}\"]", conn.user_id));
                let mut extra = vec![("mentions", mention)];
                if conn.posted_ack {
                    extra.push(("should_ack", true.into()));
                }
                prepared.variant(&extra)
            } else if is_posted && conn.posted_ack {
                acked
                    .get_or_insert_with(|| prepared.variant(&[("should_ack", true.into())]))
                    .clone()
            } else {
                prepared.clone()
            };
            if let Some(user_id) = deliver(conn, frame_event) {
                self.report_if_offline(&user_id);
            }
        }
    }

    fn membership(
        &mut self,
        user_id: &str,
        channel_id: Option<String>,
        team_id: Option<String>,
        joined: bool,
    ) {
        let Some(uid) = self.users.get_key_value(user_id).map(|(k, _)| k.clone()) else {
            return; // not connected here: memberships are loaded when they connect
        };
        let Some(user) = self.users.get_mut(&uid) else {
            return;
        };
        if let Some(c) = channel_id {
            index(&mut self.channel_users, &mut user.channels, &uid, c, joined);
        }
        if let Some(t) = team_id {
            index(&mut self.team_users, &mut user.teams, &uid, t, joined);
        }
    }

    fn register(
        &mut self,
        req: ConnectRequest,
        hello: Box<dyn FnOnce(&str) -> WsEvent + Send>,
    ) -> Registered {
        let was_online = self.is_online(&req.user_id);
        self.sockets += 1;
        let socket = self.sockets;
        let resumed = self.try_resume(&req, socket);
        let was_resumed = resumed.is_some();
        let connection_id: Id = match resumed {
            Some(id) => id,
            None => {
                let id: Id = utmost_model::new_id().into();
                let (uid, _) = self.user_entry(&req.user_id);
                self.conns.insert(
                    id.clone(),
                    Conn {
                        user_id: uid.clone(),
                        session_id: req.session_id.as_str().into(),
                        socket,
                        sender: Some(req.sender.clone()),
                        next_seq: 0,
                        replay: VecDeque::new(),
                        posted_ack: req.posted_ack,
                        dead_since: None,
                    },
                );
                if let Some(u) = self.users.get_mut(&uid) {
                    u.conns.push(id.clone());
                }
                if let Some(conn) = self.conns.get_mut(&id) {
                    deliver(conn, Prepared::new(hello(&id)));
                }
                id
            }
        };
        self.set_memberships(&req.user_id, req.channels, req.teams);
        if let Some(user) = self.users.get_mut(req.user_id.as_str()) {
            user.is_admin = req.is_admin;
            user.is_guest = req.is_guest;
        }
        if !was_online {
            self.presence.report(&req.user_id, true);
        }
        Registered {
            connection_id: connection_id.to_string(),
            resumed: was_resumed,
            socket,
        }
    }

    /// Reattaches a known connection of the same user when every event from the requested
    /// sequence number on is still buffered, and replays them. Its old socket may still be
    /// attached: a client whose network dropped reconnects before the server notices, so the
    /// new socket takes the connection over (Mattermost resumes only connections it already
    /// saw close, so such a client starts over). A connection that cannot be resumed is
    /// dropped, closing its old socket if it still had one.
    fn try_resume(&mut self, req: &ConnectRequest, socket: u64) -> Option<Id> {
        if req.connection_id.is_empty() {
            return None;
        }
        let id = self
            .conns
            .get_key_value(req.connection_id.as_str())
            .map(|(k, _)| k.clone())?;
        let conn = self.conns.get_mut(&id)?;
        if *conn.user_id != *req.user_id {
            return None;
        }
        let first = conn.replay.front().map_or(conn.next_seq, |f| f.seq);
        if req.sequence_number < first || req.sequence_number > conn.next_seq {
            self.remove_conn(&id);
            return None;
        }
        // Dropping the old socket's sender closes that socket; its late `disconnected` names
        // the old socket number and is ignored.
        conn.sender = Some(req.sender.clone());
        // The new socket's session owns the connection now: ending it closes the connection.
        conn.session_id = req.session_id.as_str().into();
        conn.socket = socket;
        conn.dead_since = None;
        conn.posted_ack = req.posted_ack;
        for frame in conn.replay.iter().filter(|f| f.seq >= req.sequence_number) {
            if req.sender.try_send(frame.clone()).is_err() {
                break;
            }
        }
        Some(id)
    }

    fn user_entry(&mut self, user_id: &str) -> (Id, &mut User) {
        let key: Id = self
            .users
            .get_key_value(user_id)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| user_id.into());
        let user = self.users.entry(key.clone()).or_default();
        (key, user)
    }

    /// Replaces a user's routing memberships with what the database says now.
    fn set_memberships(&mut self, user_id: &str, channels: Vec<String>, teams: Vec<String>) {
        let (uid, user) = self.user_entry(user_id);
        let old_channels = std::mem::take(&mut user.channels);
        let old_teams = std::mem::take(&mut user.teams);
        for c in old_channels {
            unindex(&mut self.channel_users, &uid, &c);
        }
        for t in old_teams {
            unindex(&mut self.team_users, &uid, &t);
        }
        let Some(user) = self.users.get_mut(&uid) else {
            return;
        };
        for c in channels {
            index(&mut self.channel_users, &mut user.channels, &uid, c, true);
        }
        for t in teams {
            index(&mut self.team_users, &mut user.teams, &uid, t, true);
        }
    }

    fn is_online(&self, user_id: &str) -> bool {
        self.users.get(user_id).is_some_and(|u| {
            u.conns
                .iter()
                .any(|c| self.conns.get(c).is_some_and(|c| c.sender.is_some()))
        })
    }

    fn report_if_offline(&mut self, user_id: &str) {
        if !self.is_online(user_id) {
            self.presence.report(user_id, false);
        }
    }

    /// Marks a connection dead (socket gone); returns its user when it was live.
    fn kill(&mut self, connection_id: &str) -> Option<Id> {
        let conn = self.conns.get_mut(connection_id)?;
        conn.sender.take()?;
        conn.dead_since = Some(Instant::now());
        Some(conn.user_id.clone())
    }

    fn remove_conn(&mut self, id: &Id) {
        let Some(conn) = self.conns.remove(id) else {
            return;
        };
        let empty = match self.users.get_mut(&conn.user_id) {
            Some(u) => {
                u.conns.retain(|c| c != id);
                u.conns.is_empty()
            }
            None => false,
        };
        if empty {
            self.set_memberships(&conn.user_id, Vec::new(), Vec::new());
            self.users.remove(&conn.user_id);
        }
    }

    /// Removes the user's connections that `closing` selects, live or awaiting a resume:
    /// dropping a connection's sender closes its socket.
    fn close_where(&mut self, user_id: &str, closing: impl Fn(&Conn) -> bool) {
        let ids: Vec<Id> = self
            .users
            .get(user_id)
            .map(|u| {
                u.conns
                    .iter()
                    .filter(|id| self.conns.get(*id).is_some_and(&closing))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let was_online = self.is_online(user_id);
        for id in ids {
            self.remove_conn(&id);
        }
        if was_online {
            self.report_if_offline(user_id);
        }
    }

    fn reap(&mut self, now: Instant) {
        let expired: Vec<Id> = self
            .conns
            .iter()
            .filter(|(_, c)| c.dead_since.is_some_and(|t| now - t > DEAD_CONNECTION_TTL))
            .map(|(id, _)| id.clone())
            .collect();
        for id in expired {
            self.remove_conn(&id);
        }
    }
}

/// Queues `prepared` for one connection and keeps it for replay. Returns the connection's
/// user when this made the connection dead (its queue was full or its socket gone).
fn deliver(conn: &mut Conn, prepared: Arc<Prepared>) -> Option<Id> {
    let behind = conn
        .sender
        .as_ref()
        .is_none_or(|s| s.capacity() < SEND_QUEUE / 2);
    if prepared.droppable() && behind {
        return None; // dropped before it gets a sequence number, so no gap
    }
    let frame = Frame {
        prepared,
        seq: conn.next_seq,
    };
    conn.next_seq += 1;
    conn.replay.push_back(frame.clone());
    if conn.replay.len() > REPLAY_BUFFER {
        conn.replay.pop_front();
    }
    let sender = conn.sender.as_ref()?;
    match sender.try_send(frame) {
        Ok(()) => None,
        Err(TrySendError::Full(_)) | Err(TrySendError::Closed(_)) => {
            // Dropping the sender closes the socket; the client resumes from the buffer.
            conn.sender = None;
            conn.dead_since = Some(Instant::now());
            Some(conn.user_id.clone())
        }
    }
}

fn index(
    map: &mut HashMap<String, HashSet<Id>>,
    own: &mut HashSet<String>,
    user_id: &Id,
    key: String,
    joined: bool,
) {
    if joined {
        map.entry(key.clone()).or_default().insert(user_id.clone());
        own.insert(key);
    } else {
        unindex(map, user_id, &key);
        own.remove(&key);
    }
}

fn unindex(map: &mut HashMap<String, HashSet<Id>>, user_id: &Id, key: &str) {
    if let Some(set) = map.get_mut(key) {
        set.remove(user_id);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

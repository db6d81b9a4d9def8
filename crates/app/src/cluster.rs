//! Several nodes over one database: the event stream across nodes, through Redis.
//!
//! With `ClusterSettings.Enable` and `CacheSettings.CacheType` `redis`, the app's bus is a
//! [`ClusterBus`]: each event is delivered to this process's subscribers as on one node, then
//! sent once to the other nodes on one Redis pub/sub channel. One [`receiver`] per process
//! hears the other nodes' events and hands them to the subscribers that must hear remote
//! events: the caches (`caches::Invalidation`) and the WebSocket hub (`events::HubSubscriber`),
//! after [`apply_remote`] has brought this node's in-memory state up to date (statuses,
//! roles, schemes, the configuration). What acts once per write for the whole cluster (the
//! `Notifier`'s pushes and emails, the search indexer's wake-up) hears local events only.
//!
//! Each node numbers the events it sends (`seq`, from 1, per process) and sends them in that
//! order through one [`publisher`] task; its heartbeat every [`HEARTBEAT`] carries the last
//! number it handled. A receiver that sees a number skipped (an event dropped while Redis was
//! unreachable or the queue full), or that loses its subscription and subscribes again,
//! cannot know what it missed: it drops every cache and reloads what it holds in memory
//! ([`resync`]) rather than serve stale data. The heartbeat also writes this node's
//! [`ClusterInfo`] under an expiring key, which `/cluster/status` lists.
//!
//! An event that ends sessions (a logout, a revoke, a password change) must be refused by
//! every node at once, not a moment later: it goes out marked `ack_wanted`, each receiver
//! answers with an acknowledgement once its caches and sockets have heard it, and the write
//! that published it waits for the acknowledgements of the nodes heard from lately, at most
//! [`ACK_WAIT`], before it answers its client ([`ClusterBus`]).

pub mod publisher;
pub mod receiver;

use crate::bus::{BoxFuture, Bus, Event, LocalBus, Subscriber};
use crate::{App, AppResult};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use utmost_config::Config;
use utmost_model::AppError;

/// How often a node sends its heartbeat and refreshes its key.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// How long a node's key outlives its last heartbeat: a node silent that long is gone from
/// `/cluster/status`.
pub const NODE_TTL_SECONDS: u64 = 10;
/// The longest a write that ended sessions waits for the other nodes' acknowledgements.
pub const ACK_WAIT: Duration = Duration::from_secs(1);
/// The longest a write waits for its event to leave for Redis before it answers.
pub const SEND_WAIT: Duration = Duration::from_secs(1);
/// A node heard from within this long is waited for; one silent longer is taken as gone.
const PEER_SILENCE: Duration = Duration::from_secs(3);

/// Events waiting for the publisher; past this a publish is dropped (and the receivers see
/// the gap), so a node never waits on Redis.
pub const OUTBOX: usize = 10_000;

/// Mattermost's `ClusterInfo`, one per live node (`GET /cluster/status`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ClusterInfo {
    pub id: String,
    pub version: String,
    pub schema_version: String,
    pub config_hash: String,
    pub ipaddress: String,
    pub hostname: String,
}

/// One message on the channel: an event, or a heartbeat (no event) whose `seq` is the last
/// number its node handled.
#[derive(Debug, Deserialize)]
struct Envelope {
    origin: String,
    seq: u64,
    #[serde(default)]
    event: Option<Event>,
    /// The event's origin waits for every node's acknowledgement of it.
    #[serde(default)]
    ack_wanted: bool,
    /// An acknowledgement (with no event): `origin` has applied event `seq` of `node`.
    #[serde(default)]
    ack: Option<AckOf>,
}

#[derive(Debug, Serialize, Deserialize)]
struct AckOf {
    node: String,
    seq: u64,
}

/// A write waiting for the other nodes to acknowledge its event.
struct AckWait {
    pending: std::collections::HashSet<String>,
    done: tokio::sync::oneshot::Sender<()>,
}

/// What a node sends, numbered in the order it is queued.
pub(crate) struct Outgoing {
    pub seq: u64,
    pub payload: String,
}

/// This node in the cluster: its identity, where it meets the others, the outbox and the
/// subscribers that hear remote events.
pub struct Cluster {
    /// This process's node id (new at each start).
    pub node_id: String,
    client: redis::Client,
    /// Every key and the channel start with it: `RedisCachePrefix` + `utmost:` +
    /// `ClusterName` + `:`.
    prefix: String,
    /// The last number given, and the queue it went into (one lock, so the queue's order is
    /// the numbers' order).
    outbox: Mutex<(u64, mpsc::Sender<Outgoing>)>,
    queued: Mutex<Option<mpsc::Receiver<Outgoing>>>,
    /// The subscribers that hear other nodes' events.
    remote: LocalBus,
    /// What this node reports of itself (less the config hash, read at each heartbeat).
    pub(crate) info: ClusterInfo,
    /// Events not sent (outbox full, or Redis unreachable).
    pub(crate) dropped: AtomicU64,
    /// How often this node dropped its caches for a gap or a new subscription.
    pub(crate) resyncs: AtomicU64,
    /// Remote events handed to the local subscribers.
    pub(crate) received: AtomicU64,
    /// When each other node was last heard from (any message, heartbeats included).
    peers: Mutex<HashMap<String, std::time::Instant>>,
    /// The events of this node waiting for acknowledgements, by number.
    acks: Mutex<HashMap<u64, AckWait>>,
    /// The last number the publisher handled (sent, or dropped for want of Redis).
    pub(crate) handled: tokio::sync::watch::Sender<u64>,
    /// Whether the publisher runs (a write made before it starts or after it stops does
    /// not wait for it).
    pub(crate) publishing: std::sync::atomic::AtomicBool,
}

impl Cluster {
    /// The cluster of `config`, if it enables one (`ClusterSettings.Enable` with the `redis`
    /// cache type; `Config::validate` refuses a cluster without it).
    pub fn from_config(config: &Config, remote: LocalBus) -> AppResult<Option<Arc<Cluster>>> {
        let cache = &config.cache_settings;
        if !config.cluster_settings.enable || cache.cache_type != "redis" {
            return Ok(None);
        }
        let client = redis::Client::open(redis_url(config))
            .map_err(|e| AppError::internal("app.cluster.redis_address.app_error", e))?;
        let prefix = format!(
            "{}utmost:{}:",
            cache.redis_cache_prefix, config.cluster_settings.cluster_name
        );
        let (tx, rx) = mpsc::channel(OUTBOX);
        let node_id = utmost_model::new_id();
        let info = ClusterInfo {
            id: node_id.clone(),
            version: utmost_model::MATTERMOST_VERSION.to_string(),
            schema_version: String::new(),
            config_hash: String::new(),
            ipaddress: advertised_address(config),
            hostname: hostname(config),
        };
        Ok(Some(Arc::new(Cluster {
            node_id,
            client,
            prefix,
            outbox: Mutex::new((0, tx)),
            queued: Mutex::new(Some(rx)),
            remote,
            info,
            dropped: AtomicU64::new(0),
            resyncs: AtomicU64::new(0),
            received: AtomicU64::new(0),
            peers: Mutex::new(HashMap::new()),
            acks: Mutex::new(HashMap::new()),
            handled: tokio::sync::watch::channel(0).0,
            publishing: std::sync::atomic::AtomicBool::new(false),
        })))
    }

    /// The pub/sub channel every node of the cluster publishes on.
    pub fn channel(&self) -> String {
        format!("{}events", self.prefix)
    }

    fn node_key(&self, node_id: &str) -> String {
        format!("{}node:{node_id}", self.prefix)
    }

    /// Numbers `event` and queues it for the publisher: its number, and with `ack_wanted`
    /// (and other nodes heard from lately) what resolves once each of them acknowledged it.
    /// A full queue drops it (counted and logged; the receivers see the gap): None.
    fn send(&self, event: &Event, ack_wanted: bool) -> Option<Queued> {
        let json = match serde_json::to_string(event) {
            Ok(json) => json,
            Err(e) => {
                tracing::error!(error = %e, "cluster bus: an event could not be encoded");
                return None;
            }
        };
        let Ok(mut outbox) = self.outbox.lock() else {
            return None;
        };
        outbox.0 += 1;
        let seq = outbox.0;
        let payload = format!(
            "{{\"origin\":{},\"seq\":{seq},\"ack_wanted\":{ack_wanted},\"event\":{json}}}",
            serde_json::Value::from(self.node_id.as_str())
        );
        // Registered before the event can leave, so no acknowledgement comes too early.
        let waiting = if ack_wanted {
            self.expect_acks(seq)
        } else {
            None
        };
        let metrics = utmost_metrics::metrics();
        metrics.cluster_event_types.get(event_type(&json)).inc();
        if outbox.1.try_send(Outgoing { seq, payload }).is_err() {
            metrics.cluster_events_dropped_total.inc();
            let dropped = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if dropped.is_power_of_two() {
                tracing::warn!(
                    dropped,
                    "cluster bus: the outbox is full; events are dropped"
                );
            }
            if let Ok(mut acks) = self.acks.lock() {
                acks.remove(&seq);
            }
            return None;
        }
        Some(Queued { seq, acks: waiting })
    }

    /// Waits until the publisher handled event `seq` (sent it, or dropped it for want of
    /// Redis), at most [`SEND_WAIT`].
    async fn sent(&self, seq: u64) {
        if !self.publishing.load(Ordering::Acquire) {
            return;
        }
        let mut handled = self.handled.subscribe();
        let waited = tokio::time::timeout(SEND_WAIT, handled.wait_for(|h| *h >= seq)).await;
        if !matches!(waited, Ok(Ok(_))) {
            tracing::warn!(seq, "cluster bus: an event did not leave for Redis in time");
        }
    }

    /// Waits for event `seq` to be acknowledged by the nodes heard from within
    /// [`PEER_SILENCE`]; None when there are none.
    fn expect_acks(&self, seq: u64) -> Option<tokio::sync::oneshot::Receiver<()>> {
        let pending: std::collections::HashSet<String> = {
            let mut peers = self.peers.lock().ok()?;
            peers.retain(|_, heard| heard.elapsed() < PEER_SILENCE);
            peers.keys().cloned().collect()
        };
        if pending.is_empty() {
            return None;
        }
        let (done, waiting) = tokio::sync::oneshot::channel();
        self.acks
            .lock()
            .ok()?
            .insert(seq, AckWait { pending, done });
        Some(waiting)
    }

    /// A message from `origin` was heard.
    fn heard(&self, origin: &str) {
        if let Ok(mut peers) = self.peers.lock() {
            peers.insert(origin.to_string(), std::time::Instant::now());
        }
    }

    /// `origin` acknowledged this node's event `seq`.
    fn acknowledged(&self, origin: &str, seq: u64) {
        let Ok(mut acks) = self.acks.lock() else {
            return;
        };
        let complete = acks.get_mut(&seq).is_some_and(|wait| {
            wait.pending.remove(origin);
            wait.pending.is_empty()
        });
        if complete {
            if let Some(wait) = acks.remove(&seq) {
                let _ = wait.done.send(());
            }
        }
    }

    /// Forgets the wait for event `seq` (timed out).
    fn give_up(&self, seq: u64) {
        if let Ok(mut acks) = self.acks.lock() {
            acks.remove(&seq);
        }
    }

    /// Queues an acknowledgement of event `seq` of node `to` (numbered as a heartbeat: the
    /// last number this node gave, every one of which is ahead of it in the queue).
    fn send_ack(&self, to: &str, seq: u64) {
        let Ok(outbox) = self.outbox.lock() else {
            return;
        };
        let ack = AckOf {
            node: to.to_string(),
            seq,
        };
        let Ok(ack) = serde_json::to_string(&ack) else {
            return;
        };
        let payload = format!(
            "{{\"origin\":{},\"seq\":{},\"ack\":{ack}}}",
            serde_json::Value::from(self.node_id.as_str()),
            outbox.0
        );
        let _ = outbox.1.try_send(Outgoing {
            seq: outbox.0,
            payload,
        });
    }

    fn heartbeat_payload(&self, seq: u64) -> String {
        format!(
            "{{\"origin\":{},\"seq\":{seq}}}",
            serde_json::Value::from(self.node_id.as_str())
        )
    }

    /// Starts the publisher and the receiver (once; a second call starts nothing).
    pub(crate) fn start_services(
        self: &Arc<Self>,
        services: &mut crate::services::Services,
        app: std::sync::Weak<App>,
    ) {
        let Some(queue) = self.queued.lock().ok().and_then(|mut q| q.take()) else {
            return;
        };
        services.start(publisher::Publisher {
            cluster: self.clone(),
            app: app.clone(),
            queue,
        });
        services.start(receiver::Receiver {
            cluster: self.clone(),
            app,
        });
    }
}

/// `redis://[:password@]host:port/db` from `RedisAddress`, `RedisPassword` and `RedisDB` (a
/// negative database, Mattermost's "unset", is 0). An address that is already a URL is
/// taken as it is.
pub fn redis_url(config: &Config) -> String {
    let cache = &config.cache_settings;
    let address = cache.redis_address.trim();
    if address.starts_with("redis://") || address.starts_with("rediss://") {
        return address.to_string();
    }
    let auth = if cache.redis_password.is_empty() {
        String::new()
    } else {
        let password: String =
            url::form_urlencoded::byte_serialize(cache.redis_password.as_bytes())
                .collect::<String>()
                .replace('+', "%20");
        format!(":{password}@")
    };
    format!("redis://{auth}{address}/{}", cache.redis_db.max(0))
}

/// `AdvertiseAddress`, else the machine's address towards the outside (no packet is sent:
/// connecting a UDP socket only picks the route), else loopback.
fn advertised_address(config: &Config) -> String {
    let advertise = config.cluster_settings.advertise_address.trim();
    if !advertise.is_empty() {
        return advertise.to_string();
    }
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map(|addr| addr.ip().to_string())
        .unwrap_or_else(|_| "127.0.0.1".into())
}

/// `OverrideHostname`, else the machine's name.
fn hostname(config: &Config) -> String {
    let name = config.cluster_settings.override_hostname.trim();
    if !name.is_empty() {
        return name.to_string();
    }
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default()
}

/// The bus of a node in a cluster: local delivery as on one node, then the event to the
/// other nodes.
pub struct ClusterBus {
    pub local: LocalBus,
    pub cluster: Arc<Cluster>,
}

impl Bus for ClusterBus {
    fn publish<'a>(&'a self, app: &'a App, event: Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            // Numbered before local delivery: a local subscriber that publishes in turn
            // (none does today) would not overtake this event on the wire.
            let queued = self.cluster.send(&event, ends_sessions(&event));
            self.local.publish(app, event).await;
            let Some(Queued { seq, acks }) = queued else {
                return;
            };
            // The write answers once its event has left for the other nodes, so a node that
            // dies after answering has told them what it answered for.
            self.cluster.sent(seq).await;
            // Ended sessions: the write answers once every other node refuses them too.
            if let Some(waiting) = acks {
                if tokio::time::timeout(ACK_WAIT, waiting).await.is_err() {
                    tracing::warn!(
                        "cluster bus: not every node acknowledged ended sessions in time"
                    );
                    self.cluster.give_up(seq);
                }
            }
        })
    }
}

/// An event in the publisher's queue.
struct Queued {
    seq: u64,
    /// Resolves once every node heard from lately acknowledged it (ended sessions).
    acks: Option<tokio::sync::oneshot::Receiver<()>>,
}

/// The variant name of an event as serde wrote it (`{"PostCreated":{…}}` or
/// `"AllSessionsEnded"`): `mattermost_cluster_cluster_event_type_totals`' label, a closed set.
fn event_type(json: &str) -> &str {
    let rest = json
        .strip_prefix("{\"")
        .or_else(|| json.strip_prefix('"'))
        .unwrap_or("");
    rest.split('"')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("other")
}

/// Whether `event` ends sessions: every node must refuse them before the write answers.
fn ends_sessions(event: &Event) -> bool {
    matches!(
        event,
        Event::SessionsEnded { .. }
            | Event::UserSessionsEnded { .. }
            | Event::AllSessionsEnded
            | Event::UserActivationChanged { active: false, .. }
    )
}

/// The app's bus: across nodes when `cluster` is set, else this process only.
pub fn bus(cluster: Option<&Arc<Cluster>>, local: LocalBus) -> Box<dyn Bus> {
    match cluster {
        Some(cluster) => Box::new(ClusterBus {
            local,
            cluster: cluster.clone(),
        }),
        None => Box::new(local),
    }
}

/// The subscribers that must hear other nodes' events, in the local order: the caches
/// first, then the hub. The `Notifier` (pushes, emails, automatic replies), the search
/// indexer's wake-up and any extra subscriber act once per write, on the node that wrote.
pub fn remote_subscribers() -> LocalBus {
    let subscribers: Vec<Arc<dyn Subscriber>> = vec![
        Arc::new(crate::caches::Invalidation),
        Arc::new(crate::events::HubSubscriber),
    ];
    LocalBus::new(subscribers)
}

/// What a receiver makes of a node's next number.
#[derive(Debug, PartialEq, Eq)]
pub enum Seen {
    /// The next one (or the first heard from that node): deliver it.
    InOrder,
    /// Already seen (a heartbeat repeating the last number): nothing to do.
    Old,
    /// Numbers were skipped: events were lost.
    Gap { expected: u64, got: u64 },
}

/// The last number heard from each node (kept across subscriptions).
#[derive(Default)]
pub struct Sequences {
    last: HashMap<String, u64>,
}

impl Sequences {
    /// Records `seq` from `origin`; `is_event` is false for a heartbeat, which carries the
    /// last number its node handled rather than a new one.
    pub fn see(&mut self, origin: &str, seq: u64, is_event: bool) -> Seen {
        let last = self.last.get(origin).copied();
        let seen = match last {
            None if is_event => Seen::InOrder,
            // A node's first heartbeat only tells where it stands.
            None => Seen::Old,
            Some(last) if is_event && seq == last + 1 => Seen::InOrder,
            Some(last) if seq <= last => Seen::Old,
            Some(last) if !is_event && seq == last => Seen::Old,
            Some(last) => Seen::Gap {
                expected: last + 1,
                got: seq,
            },
        };
        // An old number moves nothing, unless it is the first heard from that node.
        if seen != Seen::Old || last.is_none() {
            self.last.insert(origin.to_string(), seq);
        }
        seen
    }
}

/// Brings what this node holds in memory outside the caches up to date with a remote
/// event, before the remote subscribers hear it; answers the event to deliver (a
/// configuration change carries this node's own client configuration).
pub(crate) async fn apply_remote(app: &App, event: Event) -> Event {
    match event {
        Event::StatusChanged { status } => {
            crate::status::remember(app, status.clone());
            Event::StatusChanged { status }
        }
        Event::RoleUpdated { role } => {
            reload_permissions(app).await;
            Event::RoleUpdated { role }
        }
        // A scheme set on a team or channel, or a channel's moderation, changed the engine's
        // tables on the node that wrote.
        event @ (Event::TeamUpdated { .. } | Event::ChannelUpdated { .. }) => {
            reload_permissions(app).await;
            event
        }
        Event::ConfigChanged { client_config } => match reload_config(app).await {
            Ok(own) => Event::ConfigChanged { client_config: own },
            Err(e) => {
                tracing::error!(error = %e, "cluster bus: reloading the configuration another node saved failed");
                Event::ConfigChanged { client_config }
            }
        },
        Event::PluginsChanged {} => {
            app.plugins.wake();
            Event::PluginsChanged {}
        }
        event => event,
    }
}

async fn reload_permissions(app: &App) {
    if let Err(e) = crate::roles::reload(app).await {
        tracing::error!(error = %e, "cluster bus: reloading the roles failed");
    }
    if let Err(e) = crate::schemes::reload(app).await {
        tracing::error!(error = %e, "cluster bus: reloading the schemes failed");
    }
}

/// Takes the stored configuration in force again (another node saved it), without
/// publishing; answers this node's client configuration.
async fn reload_config(app: &App) -> AppResult<std::collections::BTreeMap<String, String>> {
    if let Some(store) = app.attached_config_store() {
        let loaded = store
            .load()
            .await
            .map_err(|e| AppError::internal("api.config.reload_config.app_error", e))?;
        app.set_config(loaded.config);
    }
    let facts = crate::system::client_facts(app).await?;
    Ok(crate::system::client_config(&app.config(), &facts, true))
}

/// Events from other nodes may have been missed: every cache is dropped and what this node
/// holds in memory is read again (roles, schemes, statuses, the stored configuration, the
/// hub's routes of the users connected here).
pub(crate) async fn resync(app: &App, cluster: &Cluster, reason: &str) {
    cluster.resyncs.fetch_add(1, Ordering::Relaxed);
    tracing::warn!(
        reason,
        "cluster bus: events may have been missed; every cache is dropped"
    );
    app.caches.clear();
    reload_permissions(app).await;
    if let Err(e) = crate::status::reload(app).await {
        tracing::error!(error = %e, "cluster bus: reloading the statuses failed");
    }
    if app.attached_config_store().is_some() {
        if let Err(e) = reload_config(app).await {
            tracing::error!(error = %e, "cluster bus: reloading the configuration failed");
        }
    }
    let mut users: Vec<String> = app
        .hub
        .sessions()
        .await
        .into_iter()
        .map(|(u, _)| u)
        .collect();
    users.sort();
    users.dedup();
    for user_id in users {
        match crate::realtime_routes(app, &user_id).await {
            Ok((channels, teams)) => app.hub.set_routes(&user_id, channels, teams).await,
            Err(e) => tracing::error!(%user_id, error = %e, "cluster bus: reloading routes failed"),
        }
    }
}

impl App {
    /// This node's part in a cluster, if the configuration enables one.
    pub fn cluster(&self) -> Option<&Arc<Cluster>> {
        self.cluster.as_ref()
    }

    /// How often this node dropped its caches because events from other nodes may have been
    /// missed (a gap in a node's numbers, a new subscription). 0 outside a cluster.
    pub fn cluster_resyncs(&self) -> u64 {
        self.cluster
            .as_ref()
            .map_or(0, |c| c.resyncs.load(Ordering::Relaxed))
    }

    /// How many other nodes this node heard from lately (any message, heartbeats included),
    /// which shows their publishers reach it; 0 outside a cluster.
    pub fn cluster_peers_heard(&self) -> usize {
        self.cluster
            .as_ref()
            .and_then(|c| {
                let peers = c.peers.lock().ok()?;
                Some(
                    peers
                        .values()
                        .filter(|h| h.elapsed() < PEER_SILENCE)
                        .count(),
                )
            })
            .unwrap_or(0)
    }

    /// `GET /cluster/status`: the live nodes, as their heartbeats left them in Redis; an
    /// empty list outside a cluster, as Mattermost answers without one.
    pub async fn cluster_status(&self) -> AppResult<Vec<ClusterInfo>> {
        let Some(cluster) = &self.cluster else {
            return Ok(Vec::new());
        };
        let fail = |e: redis::RedisError| AppError::internal("app.cluster.status.app_error", e);
        let mut conn = tokio::time::timeout(
            Duration::from_secs(2),
            cluster.client.get_multiplexed_async_connection(),
        )
        .await
        .map_err(|e| AppError::internal("app.cluster.status.app_error", e))?
        .map_err(fail)?;
        let pattern = format!("{}*", cluster.node_key(""));
        let mut cursor: u64 = 0;
        let mut keys = Vec::new();
        loop {
            let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(200)
                .query_async(&mut conn)
                .await
                .map_err(fail)?;
            keys.extend(batch);
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut conn)
            .await
            .map_err(fail)?;
        let mut infos: Vec<ClusterInfo> = values
            .into_iter()
            .flatten()
            .filter_map(|v| serde_json::from_str(&v).ok())
            .collect();
        infos.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(infos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mattermost_cluster_cluster_event_type_totals`' label: the event's variant name.
    #[test]
    fn an_event_is_counted_under_its_variant_name() {
        let json = serde_json::to_string(&Event::AllSessionsEnded).unwrap();
        assert_eq!(event_type(&json), "AllSessionsEnded");
        let json = serde_json::to_string(&Event::PostsPurged {
            post_ids: vec![],
            file_ids: vec![],
        })
        .unwrap();
        assert_eq!(event_type(&json), "PostsPurged");
        assert_eq!(event_type("[]"), "other");
    }

    #[test]
    fn numbers_in_order_are_delivered_and_a_skipped_one_is_a_gap() {
        let mut seen = Sequences::default();
        assert_eq!(seen.see("a", 7, true), Seen::InOrder);
        assert_eq!(seen.see("a", 8, true), Seen::InOrder);
        assert_eq!(seen.see("b", 1, true), Seen::InOrder);
        assert_eq!(
            seen.see("a", 10, true),
            Seen::Gap {
                expected: 9,
                got: 10
            }
        );
        assert_eq!(seen.see("a", 11, true), Seen::InOrder);
        assert_eq!(seen.see("a", 11, true), Seen::Old);
    }

    #[test]
    fn a_heartbeat_past_the_last_event_heard_is_a_gap() {
        let mut seen = Sequences::default();
        assert_eq!(seen.see("a", 3, false), Seen::Old);
        assert_eq!(seen.see("a", 4, true), Seen::InOrder);
        assert_eq!(seen.see("a", 4, false), Seen::Old);
        assert_eq!(
            seen.see("a", 6, false),
            Seen::Gap {
                expected: 5,
                got: 6
            }
        );
        // The heartbeat moved the mark: the next event is 7.
        assert_eq!(seen.see("a", 7, true), Seen::InOrder);
        // A node heard for the first time (a restarted one has a new id) starts anywhere.
        assert_eq!(seen.see("b", 9, true), Seen::InOrder);
    }

    /// Every kind of event, read back from its JSON, writes the same JSON again (a kind
    /// whose serde were not symmetric would make every node drop its caches on it).
    #[test]
    fn every_kind_of_event_reads_back_as_it_was_written() {
        use crate::threads::{ThreadReadChange, ThreadUpdate};
        use crate::unreads::ChannelUnreadAt;
        use utmost_model::group::SyncableType;
        let d = String::new;
        let thread_update = ThreadUpdate {
            user_id: d(),
            thread: Default::default(),
            previous_unread_replies: 1,
            previous_unread_mentions: 2,
        };
        let read = ThreadReadChange {
            thread_id: d(),
            channel_id: d(),
            timestamp: 3,
            unread_replies: 4,
            unread_mentions: 5,
            previous_unread_replies: 6,
            previous_unread_mentions: 7,
        };
        let unread = ChannelUnreadAt {
            team_id: d(),
            channel_id: d(),
            msg_count: 1,
            mention_count: 2,
            mention_count_root: 3,
            urgent_mention_count: 4,
            msg_count_root: 5,
            last_viewed_at: 6,
        };
        let events = vec![
            Event::PostCreated {
                post: Default::default(),
                channel: Default::default(),
                sender_name: d(),
                mentions: vec![d()],
            },
            Event::PostEdited {
                post: Default::default(),
            },
            Event::PostDeleted {
                post: Default::default(),
                deleted_by: d(),
            },
            Event::PostsPurged {
                post_ids: vec![d()],
                file_ids: vec![],
            },
            Event::PostMarkedUnread {
                user_id: d(),
                post_id: d(),
                unread,
            },
            Event::ReactionAdded {
                reaction: Default::default(),
            },
            Event::ReactionRemoved {
                reaction: Default::default(),
            },
            Event::ThreadUpdated {
                team_id: d(),
                updates: vec![thread_update],
            },
            Event::ThreadRead {
                user_id: d(),
                team_id: d(),
                read,
            },
            Event::ThreadsRead {
                user_id: d(),
                team_id: d(),
            },
            Event::ThreadFollowChanged {
                user_id: d(),
                team_id: d(),
                thread_id: d(),
                following: true,
                reply_count: 2,
            },
            Event::EmojiAdded {
                emoji: Default::default(),
            },
            Event::EmojiDeleted {
                emoji: Default::default(),
            },
            Event::ConfigChanged {
                client_config: [("SiteName".into(), "x".into())].into(),
            },
            Event::SidebarCategoryCreated {
                user_id: d(),
                team_id: d(),
                category_id: d(),
            },
            Event::SidebarCategoriesUpdated {
                user_id: d(),
                team_id: d(),
                categories: vec![Default::default()],
            },
            Event::SidebarCategoryDeleted {
                user_id: d(),
                team_id: d(),
                category_id: d(),
            },
            Event::SidebarCategoryOrderUpdated {
                user_id: d(),
                team_id: d(),
                order: vec![d()],
            },
            Event::AcknowledgementAdded {
                acknowledgement: Default::default(),
                channel_id: d(),
            },
            Event::AcknowledgementRemoved {
                acknowledgement: Default::default(),
                channel_id: d(),
            },
            Event::PersistentNotificationTriggered {
                post: Default::default(),
                channel: Default::default(),
                sender_name: d(),
                user_ids: vec![d()],
            },
            Event::EphemeralPost {
                user_id: d(),
                post: Default::default(),
            },
            Event::DraftSaved {
                draft: Default::default(),
                connection_id: d(),
            },
            Event::DraftDeleted {
                draft: Default::default(),
                connection_id: d(),
            },
            Event::ScheduledPostCreated {
                scheduled_post: Default::default(),
                connection_id: d(),
            },
            Event::ScheduledPostUpdated {
                scheduled_post: Default::default(),
                connection_id: d(),
            },
            Event::ScheduledPostDeleted {
                scheduled_post: Default::default(),
                connection_id: d(),
            },
            Event::BookmarkCreated {
                bookmark: Default::default(),
                connection_id: d(),
            },
            Event::BookmarkUpdated {
                channel_id: d(),
                response: Default::default(),
                connection_id: d(),
            },
            Event::BookmarkDeleted {
                bookmark: Default::default(),
                connection_id: d(),
            },
            Event::BookmarksSorted {
                channel_id: d(),
                bookmarks: vec![Default::default()],
                connection_id: d(),
            },
            Event::ChannelsViewed {
                user_id: d(),
                times: vec![(d(), 5)],
            },
            Event::ChannelCreated {
                channel: Default::default(),
                creator_id: d(),
            },
            Event::DirectChannelCreated {
                channel: Default::default(),
                creator_id: d(),
                teammate_id: d(),
            },
            Event::GroupChannelCreated {
                channel: Default::default(),
                member_ids: vec![d()],
            },
            Event::ChannelUpdated {
                channel: Default::default(),
            },
            Event::ChannelConverted {
                channel: Default::default(),
            },
            Event::ChannelDeleted {
                channel: Default::default(),
            },
            Event::ChannelRestored {
                channel: Default::default(),
            },
            Event::UserPermanentlyDeleted { user_id: d() },
            Event::ChannelPermanentlyDeleted {
                channel: Default::default(),
            },
            Event::ChannelMemberAdded {
                channel: Default::default(),
                user_id: d(),
            },
            Event::ChannelMemberRemoved {
                channel: Default::default(),
                user_id: d(),
                remover_id: d(),
            },
            Event::ChannelMemberUpdated {
                member: Default::default(),
            },
            Event::TeamChannelsLeft {
                team_id: d(),
                user_id: d(),
            },
            Event::TeamMemberAdded {
                team_id: d(),
                user_id: d(),
            },
            Event::TeamMemberRemoved {
                team_id: d(),
                user_id: d(),
            },
            Event::TeamMemberUpdated {
                member: Default::default(),
            },
            Event::TeamUpdated {
                team: Default::default(),
            },
            Event::TeamDeleted {
                team: Default::default(),
            },
            Event::TeamRestored {
                team: Default::default(),
            },
            Event::UserCreated { user_id: d() },
            Event::UserUpdated {
                user: Default::default(),
            },
            Event::RoleUpdated {
                role: Default::default(),
            },
            Event::UserRolesUpdated {
                user_id: d(),
                roles: d(),
            },
            Event::UserActivationChanged {
                user_id: d(),
                active: false,
            },
            Event::UserCredentialsChanged { user_id: d() },
            Event::StatusChanged {
                status: Default::default(),
            },
            Event::PreferencesChanged {
                user_id: d(),
                preferences: vec![Default::default()],
            },
            Event::PreferencesDeleted {
                user_id: d(),
                preferences: vec![],
            },
            Event::SessionsEnded {
                sessions: vec![utmost_store::sessions::EndedSession {
                    id: d(),
                    user_id: d(),
                }],
            },
            Event::UserSessionsEnded { user_id: d() },
            Event::AllSessionsEnded,
            Event::SessionUpdated { session_id: d() },
            Event::Typing {
                channel_id: d(),
                parent_id: d(),
                user_id: d(),
            },
            Event::GroupUpdated {
                group: Default::default(),
            },
            Event::GroupMemberAdded {
                member: Default::default(),
            },
            Event::GroupMemberDeleted {
                member: Default::default(),
            },
            Event::GroupSyncableChanged {
                kind: SyncableType::Channel,
                group_id: d(),
                syncable_id: d(),
                linked: true,
            },
            Event::DialogOpened {
                user_id: d(),
                dialog: d(),
            },
            Event::PluginsChanged {},
            Event::IncomingWebhookChanged { hook_id: d() },
        ];
        for event in events {
            let json = serde_json::to_string(&event).unwrap();
            let back: Event = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
    }

    #[test]
    fn the_redis_url_carries_the_password_and_database() {
        let mut config = Config::default();
        config.cache_settings.redis_address = "10.0.0.5:6379".into();
        assert_eq!(redis_url(&config), "redis://10.0.0.5:6379/0");
        config.cache_settings.redis_password = "p@ss word".into();
        config.cache_settings.redis_db = 3;
        assert_eq!(redis_url(&config), "redis://:p%40ss%20word@10.0.0.5:6379/3");
        config.cache_settings.redis_address = "rediss://cache:6380/2".into();
        assert_eq!(redis_url(&config), "rediss://cache:6380/2");
    }

    #[test]
    fn an_event_crosses_as_json_and_comes_back_the_same() {
        let status = utmost_model::status::Status {
            user_id: utmost_model::new_id(),
            status: "away".into(),
            manual: true,
            last_activity_at: 5,
            ..Default::default()
        };
        let event = Event::StatusChanged { status };
        let json = serde_json::to_string(&event).unwrap();
        let payload = format!("{{\"origin\":\"n\",\"seq\":3,\"event\":{json}}}");
        let back: Envelope = serde_json::from_str(&payload).unwrap();
        assert_eq!((back.origin.as_str(), back.seq), ("n", 3));
        assert_eq!(serde_json::to_string(&back.event.unwrap()).unwrap(), json);
        let heartbeat: Envelope = serde_json::from_str("{\"origin\":\"n\",\"seq\":3}").unwrap();
        assert!(heartbeat.event.is_none());
    }
}

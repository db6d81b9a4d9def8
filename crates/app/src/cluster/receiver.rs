//! The `cluster receiver` service: this process's one Redis subscriber. It hears every
//! node's messages on the cluster's channel, checks each node's numbers, and hands other
//! nodes' events, in the order each node sent them, to the subscribers that hear remote
//! events.
//!
//! Each time the subscription begins (the first time, and after any loss) the node drops its
//! caches and reloads what it holds in memory (`resync`): whatever was published meanwhile
//! was not heard here. A subscription is taken as lost when its stream ends, or when a PING
//! on it goes unanswered.

use super::{apply_remote, resync, Cluster, Envelope, Seen, Sequences, HEARTBEAT};
use crate::services::{Run, Service, Stop};
use crate::App;
use futures_util::StreamExt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How long subscribing, or a PING on the subscription, may take.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(2);
/// The longest wait between two attempts to subscribe.
const MAX_BACKOFF: Duration = Duration::from_secs(2);

pub(crate) struct Receiver {
    pub cluster: Arc<Cluster>,
    pub app: Weak<App>,
}

impl Service for Receiver {
    fn name(&self) -> &'static str {
        "cluster receiver"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let cluster = self.cluster;
            let channel = cluster.channel();
            let mut backoff = Duration::from_millis(100);
            let mut subscribed_before = false;
            let mut failing = false;
            // Kept across subscriptions: a node whose events were dropped while this one was
            // subscribing again shows the gap in its next number, even after the resync.
            let mut sequences = Sequences::default();
            loop {
                let attempt = tokio::time::timeout(SUBSCRIBE_TIMEOUT, async {
                    let mut pubsub = cluster.client.get_async_pubsub().await?;
                    pubsub.subscribe(&channel).await?;
                    Ok::<_, redis::RedisError>(pubsub)
                });
                let pubsub = tokio::select! {
                    () = stop.requested() => return,
                    attempt = attempt => attempt,
                };
                let pubsub = match pubsub {
                    Ok(Ok(pubsub)) => pubsub,
                    failed => {
                        if !failing {
                            let error = match failed {
                                Ok(Err(e)) => e.to_string(),
                                _ => "subscribing timed out".into(),
                            };
                            tracing::error!(
                                error,
                                "cluster bus: cannot subscribe to Redis; other nodes' events \
                                 are not heard until it comes back"
                            );
                            failing = true;
                        }
                        tokio::select! {
                            () = stop.requested() => return,
                            () = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                        continue;
                    }
                };
                failing = false;
                backoff = Duration::from_millis(100);
                let Some(app) = self.app.upgrade() else {
                    return;
                };
                tracing::info!(
                    node_id = %cluster.node_id,
                    again = subscribed_before,
                    "cluster bus: subscribed to the other nodes' events"
                );
                let reason = if subscribed_before {
                    "the Redis subscription was lost and made again"
                } else {
                    "the Redis subscription began"
                };
                resync(&app, &cluster, reason).await;
                subscribed_before = true;
                drop(app);
                let (mut sink, mut stream) = pubsub.split();
                let mut ping = tokio::time::interval(HEARTBEAT * 2);
                ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let lost = loop {
                    tokio::select! {
                        () = stop.requested() => return,
                        message = stream.next() => {
                            let Some(message) = message else {
                                break "the subscription's connection closed";
                            };
                            let Some(app) = self.app.upgrade() else {
                                return;
                            };
                            handle(&app, &cluster, &mut sequences, message.get_payload_bytes()).await;
                        }
                        _ = ping.tick() => {
                            let answered = tokio::time::timeout(
                                SUBSCRIBE_TIMEOUT,
                                sink.ping::<redis::Value>(),
                            ).await;
                            if !matches!(answered, Ok(Ok(_))) {
                                break "a PING on the subscription went unanswered";
                            }
                        }
                    }
                };
                tracing::error!(
                    reason = lost,
                    "cluster bus: the Redis subscription was lost; subscribing again"
                );
            }
        })
    }
}

/// One message: this node's own are skipped; another node's number is checked (a gap drops
/// every cache) and its event goes to the remote subscribers.
async fn handle(app: &App, cluster: &Cluster, sequences: &mut Sequences, payload: &[u8]) {
    let envelope: Envelope = match serde_json::from_slice(payload) {
        Ok(envelope) => envelope,
        Err(e) => {
            // A node of another version, or a stranger on the channel: what it meant is
            // unknown, so nothing cached can be trusted.
            tracing::error!(error = %e, "cluster bus: a message could not be read");
            resync(app, cluster, "a message could not be read").await;
            return;
        }
    };
    if envelope.origin == cluster.node_id {
        return;
    }
    cluster.heard(&envelope.origin);
    if let Some(ack) = &envelope.ack {
        if ack.node == cluster.node_id {
            cluster.acknowledged(&envelope.origin, ack.seq);
        }
    }
    match sequences.see(&envelope.origin, envelope.seq, envelope.event.is_some()) {
        Seen::Old => return,
        Seen::InOrder => {}
        Seen::Gap { expected, got } => {
            tracing::warn!(
                origin = %envelope.origin,
                expected,
                got,
                "cluster bus: events from a node were missed"
            );
            resync(app, cluster, "a gap in a node's event numbers").await;
        }
    }
    if let Some(event) = envelope.event {
        let event = apply_remote(app, event).await;
        cluster.received.fetch_add(1, Ordering::Relaxed);
        crate::bus::Bus::publish(&cluster.remote, app, event).await;
        if envelope.ack_wanted {
            cluster.send_ack(&envelope.origin, envelope.seq);
        }
    }
}

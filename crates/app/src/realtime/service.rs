//! The hub as services: its shard tasks, and the WebSocket connections they hold, which
//! shutdown closes before the shards stop (so every user's going offline is reported).

use super::Hub;
use crate::services::{Run, Service, Stop};
use std::time::Duration;
use tokio::task::JoinSet;

/// The hub's shard tasks (see `Hub::new`).
pub struct Shards {
    pub(super) tasks: Vec<Run>,
}

impl Service for Shards {
    fn name(&self) -> &'static str {
        "hub"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            let mut shards: JoinSet<()> = self.tasks.into_iter().collect();
            // A shard ends by itself once every `Hub` handle is gone (its inbox closes).
            let all_ended = async { while shards.join_next().await.is_some() {} };
            tokio::select! {
                () = stop.requested() => {}
                () = all_ended => return,
            }
            // A shard keeps nothing that must be written: its presence reports went out when
            // its connections closed.
            shards.shutdown().await;
        })
    }
}

/// The WebSocket connections: they live until shutdown, which closes them all.
pub struct Connections {
    pub hub: Hub,
}

/// How often shutdown looks again for a connection that registered after the close (its
/// upgrade was answered just before the HTTP server stopped).
const RECHECK: Duration = Duration::from_millis(20);

impl Service for Connections {
    fn name(&self) -> &'static str {
        "websockets"
    }

    fn run(self: Box<Self>, mut stop: Stop) -> Run {
        Box::pin(async move {
            stop.requested().await;
            loop {
                // Dropping a connection's queue ends its socket's task, which closes the socket.
                self.hub.close_all().await;
                let left = self.hub.stats().await;
                if left.live_connections + left.dead_connections == 0 {
                    return;
                }
                tokio::time::sleep(RECHECK).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::{ConnectRequest, Presence, SEND_QUEUE};
    use crate::services::Services;
    use tokio::sync::mpsc;
    use utmost_model::websocket::{events, WsEvent};

    fn connect_request(
        user_id: &str,
        sender: mpsc::Sender<crate::realtime::Frame>,
    ) -> ConnectRequest {
        ConnectRequest {
            user_id: user_id.into(),
            session_id: "session".into(),
            is_admin: false,
            is_guest: false,
            connection_id: String::new(),
            sequence_number: 0,
            posted_ack: false,
            sender,
            channels: Vec::new(),
            teams: Vec::new(),
        }
    }

    #[tokio::test]
    async fn stopping_closes_the_sockets_reports_them_offline_then_stops_the_shards() {
        let (presence_tx, mut presence) = mpsc::channel(crate::realtime::PRESENCE_QUEUE);
        let (hub, shards) = Hub::new(2, presence_tx);
        let mut services = Services::new(Duration::from_secs(5));
        services.start(shards);
        services.start(Connections { hub: hub.clone() });
        let (sender, mut socket) = mpsc::channel(SEND_QUEUE);
        let hello = |_: &str| WsEvent::to_user(events::HELLO, "u1");
        let registered = hub.register(connect_request("u1", sender), hello).await;
        assert!(!registered.connection_id.is_empty());
        let online = Presence {
            user_id: "u1".into(),
            online: true,
        };
        assert_eq!(presence.recv().await, Some(online));

        services.stop_all().await;

        // The socket's queue ended after the hello: its writer closes the socket.
        assert!(socket.recv().await.is_some());
        assert!(socket.recv().await.is_none());
        let offline = Presence {
            user_id: "u1".into(),
            online: false,
        };
        assert_eq!(presence.try_recv().ok(), Some(offline));
        // No shard answers any more.
        let (sender, _socket) = mpsc::channel(SEND_QUEUE);
        let late = hub.register(connect_request("u2", sender), hello).await;
        assert!(late.connection_id.is_empty());
    }
}

//! How a shard reports presence to the presence worker without ever waiting for it.

use super::hub::Presence;
use std::collections::HashMap;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::mpsc::{OwnedPermit, Sender};

/// A shard's side of the bounded presence queue.
///
/// When the queue is full a change waits here, and only the user's newest change is kept.
/// The shard must not wait for room: the presence worker publishes status changes through
/// the hub, so it can itself be waiting for room in this shard's inbox, and the two would
/// wait on each other for ever. Dropping the change is no better: the user's status would
/// stay wrong until their next connect. Keeping the newest change per user loses nothing the
/// worker needs (it sets the status the user has now), and bounds what waits here by the
/// shard's users.
pub(super) struct PresenceOutbox {
    queue: Sender<Presence>,
    /// Users whose newest change waits for room, and whether it is "online". While any
    /// change waits, new ones wait too, so no user's change overtakes their earlier one.
    waiting: HashMap<String, bool>,
}

impl PresenceOutbox {
    pub(super) fn new(queue: Sender<Presence>) -> Self {
        Self {
            queue,
            waiting: HashMap::new(),
        }
    }

    /// Queues the change, or keeps it until there is room (see the type's comment).
    pub(super) fn report(&mut self, user_id: &str, online: bool) {
        if !self.waiting.is_empty() {
            self.waiting.insert(user_id.to_string(), online);
            return;
        }
        let change = Presence {
            user_id: user_id.to_string(),
            online,
        };
        if let Err(TrySendError::Full(change)) = self.queue.try_send(change) {
            self.waiting.insert(change.user_id, change.online);
        }
        // Closed: the worker has stopped, so nobody applies presence any more.
    }

    /// Room for a waiting change, while some wait; `None` once the worker has stopped.
    pub(super) async fn room(&self) -> Option<OwnedPermit<Presence>> {
        self.queue.clone().reserve_owned().await.ok()
    }

    pub(super) fn has_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Sends one waiting change into the room `permit` holds (`None`: the worker stopped).
    pub(super) fn flush_one(&mut self, permit: Option<OwnedPermit<Presence>>) {
        let Some(permit) = permit else {
            self.waiting.clear();
            return;
        };
        let next = self.waiting.keys().next().cloned();
        if let Some((user_id, online)) = next.and_then(|id| self.waiting.remove_entry(&id)) {
            permit.send(Presence { user_id, online });
        }
    }
}

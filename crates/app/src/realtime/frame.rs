use std::sync::Arc;
use utmost_model::websocket::{events, WsEvent};

/// An event serialised once for all its recipients. `head` is the event's JSON without its
/// closing brace, so each connection only appends its own `"seq"`.
#[derive(Debug)]
pub struct Prepared {
    pub event: WsEvent,
    head: Box<str>,
}

impl Prepared {
    pub fn new(event: WsEvent) -> Arc<Self> {
        let mut json = serde_json::to_string(&event).unwrap_or_else(|_| "{}".into());
        json.pop(); // the closing brace; `Frame::text` puts it back after "seq"
        Arc::new(Self {
            event,
            head: json.into_boxed_str(),
        })
    }

    /// A copy of the event with extra `data` fields for one recipient.
    pub fn variant(&self, extra: &[(&str, serde_json::Value)]) -> Arc<Self> {
        let mut event = self.event.clone();
        for (k, v) in extra {
            event.data.insert((*k).to_string(), v.clone());
        }
        Self::new(event)
    }

    /// Typing and status events are the first to go when a connection falls behind.
    pub fn droppable(&self) -> bool {
        matches!(
            self.event.event.as_str(),
            events::TYPING | events::STATUS_CHANGE | events::MULTIPLE_CHANNELS_VIEWED
        )
    }
}

/// One event for one connection: the shared serialisation plus this connection's sequence
/// number. Cheap to clone; the replay buffer holds these.
#[derive(Debug, Clone)]
pub struct Frame {
    pub prepared: Arc<Prepared>,
    pub seq: u64,
}

impl Frame {
    /// The text sent on the socket.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let head = &self.prepared.head;
        let mut s = String::with_capacity(head.len() + 28);
        s.push_str(head);
        let _ = write!(s, ",\"seq\":{}}}", self.seq); // writing to a String cannot fail
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_the_event_with_seq() {
        let p = Prepared::new(WsEvent::to_channel("posted", "c1").with("post", "{}"));
        let f = Frame {
            prepared: p,
            seq: 7,
        };
        let v: serde_json::Value = serde_json::from_str(&f.text()).unwrap();
        assert_eq!(v["event"], "posted");
        assert_eq!(v["seq"], 7);
        assert_eq!(v["broadcast"]["channel_id"], "c1");
        assert_eq!(v["data"]["post"], "{}");
    }
}

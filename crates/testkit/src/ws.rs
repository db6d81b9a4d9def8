//! A WebSocket client for tests, speaking Mattermost's protocol.

use crate::TestServer;
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub struct WsClient {
    stream: Stream,
}

/// What [`WsClient::next_or_closed`] saw.
#[derive(Debug)]
pub enum Next {
    Message(Value),
    /// The socket closed (a close frame, an error, or the end of the stream).
    Closed,
    /// Nothing arrived within the limit.
    Quiet,
}

impl WsClient {
    /// Connects to `/api/v4/websocket{query}`, authenticated with `token` when given.
    pub async fn connect(server: &TestServer, token: Option<&str>, query: &str) -> WsClient {
        Self::connect_to(&server.url, token, query).await
    }

    /// Like `connect`, for the server at `base_url` (`http://host:port`), a test server or not.
    pub async fn connect_to(base_url: &str, token: Option<&str>, query: &str) -> WsClient {
        let url = format!("{}/api/v4/websocket{query}", base_url.replace("http", "ws"));
        let mut req = url.into_client_request().unwrap();
        if let Some(t) = token {
            req.headers_mut()
                .insert("authorization", format!("Bearer {t}").parse().unwrap());
        }
        let stream = tokio_tungstenite::connect_async(req).await.unwrap().0;
        WsClient { stream }
    }

    /// Like `connect_to`, answering the error instead of failing the test (a client that
    /// reconnects while the balancer still routes to a dead node).
    pub async fn try_connect_to(
        base_url: &str,
        token: Option<&str>,
        query: &str,
    ) -> Result<WsClient, tokio_tungstenite::tungstenite::Error> {
        let url = format!("{}/api/v4/websocket{query}", base_url.replace("http", "ws"));
        let mut req = url.into_client_request()?;
        if let Some(t) = token {
            req.headers_mut()
                .insert("authorization", format!("Bearer {t}").parse().unwrap());
        }
        let stream = tokio_tungstenite::connect_async(req).await?.0;
        Ok(WsClient { stream })
    }

    /// Connects with `token` and waits for `hello`; returns the client and the hello.
    pub async fn connect_ready(server: &TestServer, token: &str) -> (WsClient, Value) {
        let mut c = Self::connect(server, Some(token), "").await;
        let hello = c.next_event("hello").await;
        (c, hello)
    }

    /// The next JSON message; fails the test after 5 s.
    pub async fn next(&mut self) -> Value {
        self.next_within(Duration::from_secs(5))
            .await
            .expect("timed out waiting for a websocket message")
    }

    /// The next JSON message, or None when nothing arrives within `limit`.
    pub async fn next_within(&mut self, limit: Duration) -> Option<Value> {
        loop {
            let msg = tokio::time::timeout(limit, self.stream.next()).await.ok()?;
            match msg {
                Some(Ok(Message::Text(t))) => return Some(serde_json::from_str(&t).unwrap()),
                Some(Ok(_)) => continue,
                _ => return None,
            }
        }
    }

    /// The next JSON message, telling a closed socket apart from a quiet one.
    pub async fn next_or_closed(&mut self, limit: Duration) -> Next {
        loop {
            match tokio::time::timeout(limit, self.stream.next()).await {
                Err(_) => return Next::Quiet,
                Ok(Some(Ok(Message::Text(t)))) => {
                    return Next::Message(serde_json::from_str(&t).unwrap())
                }
                Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => {
                    return Next::Closed
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// True when the server closes the socket within `limit` (without sending text first).
    pub async fn closed_within(&mut self, limit: Duration) -> bool {
        loop {
            match tokio::time::timeout(limit, self.stream.next()).await {
                Err(_) => return false,
                Ok(Some(Ok(Message::Text(_)))) => return false,
                Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// True when the server closes the socket within `limit`; the events it sends first
    /// (a deactivation is announced to everyone, its user included) are read past.
    pub async fn closes_within(&mut self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(tokio::time::Instant::now()) {
            if self.closed_within(left).await {
                return true;
            }
        }
        false
    }

    /// The next event named `name`, skipping others; fails the test after 5 s.
    pub async fn next_event(&mut self, name: &str) -> Value {
        loop {
            let v = self.next().await;
            if v["event"] == name {
                return v;
            }
        }
    }

    /// All events that arrive within `quiet` (collecting until the socket is quiet that long).
    pub async fn drain(&mut self, quiet: Duration) -> Vec<Value> {
        let mut out = Vec::new();
        while let Some(v) = self.next_within(quiet).await {
            out.push(v);
        }
        out
    }

    /// The reply to the request with `seq`, skipping events.
    pub async fn reply(&mut self, seq: i64) -> Value {
        loop {
            let v = self.next().await;
            if v["seq_reply"] == seq {
                return v;
            }
        }
    }

    pub async fn send(&mut self, v: Value) {
        self.stream
            .send(Message::Text(v.to_string().into()))
            .await
            .unwrap();
    }
}

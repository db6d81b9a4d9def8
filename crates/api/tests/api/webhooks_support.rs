//! Helpers of the webhook tests: a real HTTP receiver on loopback for outgoing hooks, the
//! `POST /hooks/{id}` call, and the roles the tests hand out.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use utmost_testkit::{Client, Resp, TestServer};

/// One request a receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub content_type: String,
    pub accept: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// The form fields, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        url_decode_pairs(std::str::from_utf8(&self.body).unwrap())
    }
}

fn url_decode_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// A callback receiver: `/reply/{name}` answers the JSON `answers` holds under that name
/// (an empty body when none), `/fail` answers 500 every time.
pub struct Receiver {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
}

#[derive(Clone)]
struct ReceiverState {
    received: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Value>,
}

impl Receiver {
    pub async fn start(answers: Value) -> Receiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let state = ReceiverState {
            received: received.clone(),
            answers: Arc::new(answers),
        };
        let app = Router::new()
            .route("/reply/{name}", post(reply))
            .route("/fail", post(fail))
            .with_state(state);
        let addr = crate::support::serve_on_loopback(app).await;
        Receiver { addr, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests came (10 s at most), and returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

fn record(state: &ReceiverState, path: String, headers: &HeaderMap, body: Bytes) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    state.received.lock().unwrap().push(Received {
        path,
        content_type: header("content-type"),
        accept: header("accept"),
        body: body.to_vec(),
    });
}

async fn reply(
    State(state): State<ReceiverState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(&state, format!("/reply/{name}"), &headers, body);
    match state.answers.get(&name) {
        Some(answer) => {
            ([("content-type", "application/json")], answer.to_string()).into_response()
        }
        None => StatusCode::OK.into_response(),
    }
}

async fn fail(State(state): State<ReceiverState>, headers: HeaderMap, body: Bytes) -> Response {
    record(&state, "/fail".into(), &headers, body);
    (StatusCode::INTERNAL_SERVER_ERROR, "down").into_response()
}

/// `POST /hooks/{id}` with `body` and `content_type`.
pub async fn send_hook(
    server: &TestServer,
    hook_id: &str,
    content_type: &str,
    body: String,
) -> Resp {
    let resp = reqwest::Client::new()
        .post(format!("{}/hooks/{hook_id}", server.url))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    Client::read(resp).await
}

/// `POST /hooks/{id}` with a JSON body.
pub async fn send_json(server: &TestServer, hook_id: &str, body: Value) -> Resp {
    send_hook(server, hook_id, "application/json", body.to_string()).await
}

/// Makes `user_id` an admin of `team_id`.
pub async fn make_team_admin(admin: &Client, team_id: &str, user_id: &str) {
    admin
        .put(
            &format!("/teams/{team_id}/members/{user_id}/roles"),
            json!({"roles": "team_user team_admin"}),
        )
        .await
        .expect(200);
}

/// Grants `permission` to every member of built-in role `role_name` (an admin's patch).
pub async fn grant(admin: &Client, role_name: &str, permission: &str) {
    let role = admin
        .get(&format!("/roles/name/{role_name}"))
        .await
        .expect(200)
        .body;
    let mut permissions: Vec<Value> = role["permissions"].as_array().unwrap().clone();
    permissions.push(json!(permission));
    admin
        .put(
            &format!("/roles/{}/patch", role["id"].as_str().unwrap()),
            json!({"permissions": permissions}),
        )
        .await
        .expect(200);
}

/// Waits until `check` holds (10 s at most); true if it did.
pub async fn eventually<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

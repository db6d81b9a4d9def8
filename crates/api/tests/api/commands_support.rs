//! Helpers of the slash command tests: a real HTTP integration on loopback that answers
//! commands (GET or POST, JSON or text) and dynamic lists, and records what it was sent.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use utmost_testkit::{Basic, Client, TestServer};

use crate::support::{configure, serve_on_loopback};

/// One request the integration got.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub query: String,
    pub authorization: String,
    pub content_type: String,
    pub body: String,
}

impl Call {
    /// The form fields of the body (POST) or of the query (GET).
    pub fn fields(&self) -> HashMap<String, String> {
        let source = if self.method == Method::GET {
            &self.query
        } else {
            &self.body
        };
        reqwest::Url::parse(&format!("http://form/?{source}"))
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    }
}

/// `/cmd/{name}` answers what `answers[name]` holds: a JSON value is sent as JSON, a
/// `{"text": …}` under `"plain"` as text/plain.
pub struct Integration {
    pub addr: SocketAddr,
    calls: Arc<Mutex<Vec<Call>>>,
}

#[derive(Clone)]
struct IntegrationState {
    calls: Arc<Mutex<Vec<Call>>>,
    answers: Arc<Value>,
}

impl Integration {
    pub async fn start(answers: Value) -> Integration {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let state = IntegrationState {
            calls: calls.clone(),
            answers: Arc::new(answers),
        };
        let app = Router::new()
            .route("/cmd/{name}", any(answer))
            .with_state(state);
        let addr = serve_on_loopback(app).await;
        Integration { addr, calls }
    }

    pub fn url(&self, name: &str) -> String {
        format!("http://{}/cmd/{name}", self.addr)
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }
}

async fn answer(
    State(state): State<IntegrationState>,
    Path(name): Path<String>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    state.calls.lock().unwrap().push(Call {
        method,
        query: query.unwrap_or_default(),
        authorization: header("authorization"),
        content_type: header("content-type"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    match state.answers.get(&name) {
        Some(Value::String(text)) => {
            ([("content-type", "text/plain")], text.clone()).into_response()
        }
        Some(value) => ([("content-type", "application/json")], value.to_string()).into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, "no").into_response(),
    }
}

/// The site URL set (custom commands need it) and loopback allowed for the integrations.
pub fn allow_integrations(server: &TestServer) {
    let url = server.url.clone();
    configure(server, |c| {
        c.service_settings.site_url = url;
        c.service_settings.allowed_untrusted_internal_connections = "127.0.0.1".into();
    });
}

/// A custom command of the basic team made by the admin.
pub async fn create_command(basic: &Basic, trigger: &str, url: &str, method: &str) -> Value {
    basic
        .admin
        .post(
            "/commands",
            json!({
                "team_id": basic.team_id(),
                "trigger": trigger,
                "url": url,
                "method": method,
                "display_name": trigger,
                "auto_complete": true,
                "auto_complete_desc": format!("{trigger} things"),
                "auto_complete_hint": "[what]",
            }),
        )
        .await
        .expect(201)
        .body
}

/// `POST /commands/execute` in the basic channel.
pub async fn execute(client: &Client, basic: &Basic, command: &str) -> utmost_testkit::Resp {
    client
        .post(
            "/commands/execute",
            json!({"channel_id": basic.channel_id(), "team_id": basic.team_id(), "command": command}),
        )
        .await
}

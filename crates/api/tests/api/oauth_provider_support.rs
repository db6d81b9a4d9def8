//! Helpers of the OAuth provider tests: a "third-party app" on loopback (its callback
//! records the redirects it receives), registering an app, the consent and the token
//! endpoint's form.

use axum::extract::{RawQuery, State};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use utmost_testkit::{Client, Resp, TestServer};

/// A third-party app's web server: `/callback` records each query it is sent.
pub struct ThirdParty {
    pub callback: String,
    received: Arc<Mutex<Vec<String>>>,
}

impl ThirdParty {
    pub async fn start() -> ThirdParty {
        let received = Arc::new(Mutex::new(Vec::new()));
        let router = Router::new()
            .route(
                "/callback",
                get(
                    |State(seen): State<Arc<Mutex<Vec<String>>>>, RawQuery(q): RawQuery| async move {
                        seen.lock().unwrap().push(q.unwrap_or_default());
                        "signed in"
                    },
                ),
            )
            .with_state(received.clone());
        let addr = crate::support::serve_on_loopback(router).await;
        ThirdParty {
            callback: format!("http://{addr}/callback"),
            received,
        }
    }

    /// The query parameter `name` of the last redirect the callback received.
    pub fn last(&self, name: &str) -> String {
        let received = self.received.lock().unwrap();
        let query = received.last().expect("the callback was called");
        param(&format!("?{query}"), name)
    }
}

/// Query parameter `name` of `url`, decoded ("" when absent).
pub fn param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(v))
        .unwrap_or_default()
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Registers an app with `callbacks` as `client` (201), answering it with its secret.
pub async fn register(client: &Client, name: &str, callbacks: &[&str]) -> Value {
    client
        .post(
            "/oauth/apps",
            json!({
                "name": name,
                "description": "a third-party app",
                "homepage": "https://app.example.com",
                "callback_urls": callbacks,
            }),
        )
        .await
        .expect(201)
        .body
}

/// The consent: `POST /oauth/authorize` as `user`, answering the redirect URL.
pub async fn allow(user: &Client, app: &Value, redirect_uri: &str, extra: Value) -> Resp {
    let mut request = json!({
        "response_type": "code",
        "client_id": app["id"],
        "redirect_uri": redirect_uri,
        "state": "xyz",
    });
    for (k, v) in extra.as_object().unwrap() {
        request[k] = v.clone();
    }
    root_post(user, "/oauth/authorize", request).await
}

/// A JSON POST to `path` outside `/api/v4`, as `client`.
pub async fn root_post(client: &Client, path: &str, body: Value) -> Resp {
    let mut req = client
        .http
        .post(format!("{}{path}", client.base))
        .json(&body);
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    Client::read(req.send().await.unwrap()).await
}

/// A code for `app` from `user`'s consent.
pub async fn code_for(user: &Client, app: &Value, redirect_uri: &str, extra: Value) -> String {
    let answer = allow(user, app, redirect_uri, extra).await.expect(200);
    let redirect = answer.body["redirect"].as_str().unwrap().to_string();
    assert!(redirect.starts_with(redirect_uri), "{redirect}");
    assert_eq!(param(&redirect, "state"), "xyz");
    param(&redirect, "code")
}

/// `POST /oauth/access_token` with `fields` as the form, as a third-party app sends it.
pub async fn token_request(server: &TestServer, fields: &[(&str, &str)]) -> Resp {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let resp = reqwest::Client::new()
        .post(format!("{}/oauth/access_token", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    Client::read(resp).await
}

/// Exchanges `code` for tokens with `app`'s id and `secret`.
pub async fn exchange(server: &TestServer, app: &Value, code: &str, redirect_uri: &str) -> Resp {
    token_request(
        server,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", app["id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("code", code),
            ("redirect_uri", redirect_uri),
        ],
    )
    .await
}

/// Refreshes with `refresh_token`.
pub async fn refresh(server: &TestServer, app: &Value, refresh_token: &str) -> Resp {
    token_request(
        server,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", app["id"].as_str().unwrap()),
            ("client_secret", app["client_secret"].as_str().unwrap()),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

/// Whether `access_token` works on the API (`/users/me`): its user's id, or None on 401.
pub async fn me(server: &TestServer, access_token: &str) -> Option<String> {
    let resp = server
        .client()
        .with_token(access_token)
        .get("/users/me")
        .await;
    match resp.status {
        200 => Some(resp.body["id"].as_str().unwrap().to_string()),
        401 => None,
        other => panic!("unexpected status {other}: {}", resp.text),
    }
}

/// The full flow for `user`: consent, code, tokens.
pub async fn sign_in(server: &TestServer, user: &Client, app: &Value, redirect_uri: &str) -> Value {
    let code = code_for(user, app, redirect_uri, json!({})).await;
    exchange(server, app, &code, redirect_uri)
        .await
        .expect(200)
        .body
}

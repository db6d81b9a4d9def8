//! Helpers shared by the users_* API tests.

use serde_json::Value;
use utmost_testkit::{Client, Resp, TestServer};

/// The first account (a system admin) and one more user, both logged in.
pub async fn admin_and_user(server: &TestServer) -> (Client, Value, Client, Value) {
    let (admin_user, admin) = server.create_user(None, "sysadmin").await;
    let (user, client) = server.create_user(Some(&admin), "alice").await;
    (admin, admin_user, client, user)
}

/// The ids of the user's sessions, as `client` (one of them) lists them.
pub async fn session_ids(client: &Client) -> Vec<String> {
    let list = client.get("/users/me/sessions").await.expect(200).body;
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// Which request a [`send`] makes.
pub enum Verb {
    Get,
    Post,
    Put,
}

/// Sends a request with the given headers and no bearer token (cookie and CSRF tests).
pub async fn send(
    server: &TestServer,
    verb: Verb,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Resp {
    let http = server.client().http;
    let url = format!("{}/api/v4{}", server.url, path);
    let mut req = match verb {
        Verb::Get => http.get(url),
        Verb::Post => http.post(url),
        Verb::Put => http.put(url),
    };
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    Client::read(req.send().await.unwrap()).await
}

/// The `Set-Cookie` values of a response.
pub fn set_cookies(r: &Resp) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect()
}

/// The value a `Set-Cookie` list gives cookie `name`.
pub fn cookie_value(cookies: &[String], name: &str) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or("")
        .to_string()
}

//! Hardening tests: websocket.
//!
//! The upgrade refuses foreign browser origins (issue 9, item 5).

use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Error as WsError;
use utmost_config::Config;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, TestServer};

/// Generous on a busy machine: a closing socket closes in milliseconds.
const CLOSE_WITHIN: Duration = Duration::from_secs(5);

fn configure(server: &TestServer, change: impl FnOnce(&mut Config)) {
    let mut config = (*server.app.config()).clone();
    change(&mut config);
    server.app.set_config(config);
}

// ---- item 5: the Origin of a browser upgrade ----

/// Upgrades with the session cookie (as a browser does) and `origin`; the HTTP status of a
/// refusal and its body, or None when the upgrade succeeded and `hello` arrived.
async fn cookie_upgrade(
    server: &TestServer,
    token: &str,
    origin: Option<&str>,
) -> Option<(u16, Value)> {
    let url = format!("{}/api/v4/websocket", server.url.replace("http", "ws"));
    let mut req = url.into_client_request().unwrap();
    let headers = req.headers_mut();
    headers.insert("cookie", format!("MMAUTHTOKEN={token}").parse().unwrap());
    if let Some(o) = origin {
        headers.insert("origin", o.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((mut stream, _)) => {
            use futures_util::StreamExt;
            let first = tokio::time::timeout(CLOSE_WITHIN, stream.next())
                .await
                .unwrap();
            let text = first.unwrap().unwrap().into_text().unwrap();
            let hello: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(hello["event"], "hello");
            None
        }
        Err(WsError::Http(resp)) => {
            let body = resp.body().clone().unwrap_or_default();
            Some((
                resp.status().as_u16(),
                serde_json::from_slice(&body).unwrap_or(Value::Null),
            ))
        }
        Err(e) => panic!("upgrade failed unexpectedly: {e}"),
    }
}

#[track_caller]
fn assert_refused(outcome: Option<(u16, Value)>) {
    let (status, body) = outcome.expect("the upgrade should have been refused");
    assert_eq!(status, 403);
    assert_eq!(body["id"], "api.web_socket.connect.upgrade.app_error");
    assert_eq!(body["status_code"], 403);
}

dual_db_test!(
    async fn browser_upgrades_from_foreign_origins_are_refused(server) {
        let (_user, client) = server.create_user(None, "wsorigin").await;
        let token = client.token.clone().unwrap();
        let own_origin = server.url.clone();

        assert_refused(cookie_upgrade(&server, &token, Some("http://evil.example")).await);
        assert_refused(cookie_upgrade(&server, &token, Some("null")).await);
        // Same host, by name and port; scheme and case do not matter to the host check.
        assert!(cookie_upgrade(&server, &token, Some(&own_origin)).await.is_none());
        // A non-browser client sends no Origin and authenticates with its token.
        let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
        ws.send(json!({"seq": 1, "action": "ping"})).await;
        assert_eq!(ws.reply(1).await["status"], "OK");

        // The public address behind a proxy (SiteURL) is the server's own origin.
        configure(&server, |c| c.service_settings.site_url = "https://chat.example.com/".into());
        assert!(cookie_upgrade(&server, &token, Some("https://chat.example.com")).await.is_none());
        assert_refused(cookie_upgrade(&server, &token, Some("http://chat.example.com")).await);
        assert_refused(cookie_upgrade(&server, &token, Some("https://chat.example.com.evil.example")).await);

        // AllowCorsFrom lists more origins; "*" allows all of them.
        configure(&server, |c| c.service_settings.allow_cors_from = "https://app.example.com https://other.example.com".into());
        assert!(cookie_upgrade(&server, &token, Some("https://other.example.com")).await.is_none());
        assert!(cookie_upgrade(&server, &token, Some("https://chat.example.com")).await.is_none());
        assert_refused(cookie_upgrade(&server, &token, Some("http://evil.example")).await);
        configure(&server, |c| c.service_settings.allow_cors_from = "*".into());
        assert!(cookie_upgrade(&server, &token, Some("http://evil.example")).await.is_none());
    }
);

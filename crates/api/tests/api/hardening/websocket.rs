//! Hardening tests: websocket.
//!
//! Every way a session ends closes that session's sockets and only those (issue 9, item 4);
//! the upgrade refuses foreign browser origins (item 5); `user_updated` is sanitized per
//! recipient (item 12).

use crate::support::{configure, id, PASSWORD};
use crate::users_support::session_ids;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Error as WsError;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

/// Generous on a busy machine: a closing socket closes in milliseconds.
const CLOSE_WITHIN: Duration = Duration::from_secs(5);

/// A second session of `username`, optionally bound to a mobile device.
async fn login(server: &TestServer, username: &str, device_id: &str) -> Client {
    let r = server
        .client()
        .post(
            "/users/login",
            json!({"login_id": username, "password": PASSWORD, "device_id": device_id}),
        )
        .await
        .expect(200);
    server.client().with_token(r.header("token"))
}

/// A socket of `client`'s session, past its `hello` and the initial status noise.
async fn socket(server: &TestServer, client: &Client) -> WsClient {
    let (mut ws, _hello) = WsClient::connect_ready(server, client.token.as_deref().unwrap()).await;
    ws.drain(Duration::from_millis(200)).await;
    ws
}

/// `ws` still hears the DM that basicuser2 posts now.
async fn still_hears_dms(basic: &Basic, ws: &mut WsClient) {
    let post = basic
        .client2
        .post(
            "/posts",
            json!({"channel_id": basic.dm["id"], "message": "still there?"}),
        )
        .await
        .expect(201)
        .body;
    let event = ws.next_event("posted").await;
    let sent: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
    assert_eq!(sent["id"], post["id"]);
}

/// basicuser's current session (from the fixture) and a second one, each with a socket.
async fn two_sessions(server: &TestServer) -> (Basic, String, WsClient, Client, WsClient) {
    let basic = server.init_basic().await;
    let first_id = session_ids(&basic.client).await.remove(0);
    let first_ws = socket(server, &basic.client).await;
    let second = login(server, "basicuser", "").await;
    let second_ws = socket(server, &second).await;
    (basic, first_id, first_ws, second, second_ws)
}

dual_db_test!(
    async fn logout_closes_that_sessions_socket_and_no_resume_revives_it(server) {
        let (basic, _, mut first_ws, second, mut second_ws) = two_sessions(&server).await;
        // The first socket's connection id, as a client would keep it for a resume.
        let (mut probe, hello) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        let probe_id = hello["data"]["connection_id"].as_str().unwrap().to_string();

        basic.client.post("/users/logout", json!({})).await.expect(200);
        assert!(first_ws.closed_within(CLOSE_WITHIN).await);
        assert!(probe.closed_within(CLOSE_WITHIN).await);
        still_hears_dms(&basic, &mut second_ws).await;

        // Resuming the ended session's connection from the live session starts afresh.
        let query = format!("?connection_id={probe_id}&sequence_number=1");
        let mut resumed = WsClient::connect(&server, second.token.as_deref(), &query).await;
        let hello = resumed.next_event("hello").await;
        assert_ne!(hello["data"]["connection_id"], probe_id.as_str());
    }
);

dual_db_test!(
    async fn password_change_closes_the_other_sessions_sockets(server) {
        let (basic, _, mut first_ws, second, mut second_ws) = two_sessions(&server).await;
        second
            .put(
                &format!("/users/{}/password", basic.user_id()),
                json!({"current_password": PASSWORD, "new_password": "Another-Pass-5678"}),
            )
            .await
            .expect(200);
        assert!(first_ws.closed_within(CLOSE_WITHIN).await);
        still_hears_dms(&basic, &mut second_ws).await;
    }
);

dual_db_test!(
    async fn admin_revoking_one_session_closes_only_its_sockets(server) {
        let (basic, first_id, mut first_ws, _second, mut second_ws) = two_sessions(&server).await;
        basic
            .admin
            .post(
                &format!("/users/{}/sessions/revoke", basic.user_id()),
                json!({"session_id": first_id}),
            )
            .await
            .expect(200);
        assert!(first_ws.closed_within(CLOSE_WITHIN).await);
        still_hears_dms(&basic, &mut second_ws).await;
    }
);

dual_db_test!(
    async fn revoking_all_of_a_users_sessions_closes_all_their_sockets(server) {
        let (basic, _, mut first_ws, _second, mut second_ws) = two_sessions(&server).await;
        let mut other_user_ws = socket(&server, &basic.client2).await;
        basic
            .admin
            .post(
                &format!("/users/{}/sessions/revoke/all", basic.user_id()),
                json!({}),
            )
            .await
            .expect(200);
        assert!(first_ws.closed_within(CLOSE_WITHIN).await);
        assert!(second_ws.closed_within(CLOSE_WITHIN).await);
        // basicuser2's socket is untouched: it hears the team change.
        basic
            .admin
            .put(
                &format!("/teams/{}/patch", basic.team_id()),
                json!({"display_name": "Renamed"}),
            )
            .await
            .expect(200);
        other_user_ws.next_event("update_team").await;
    }
);

dual_db_test!(
    async fn revoking_everyone_closes_every_socket(server) {
        let (basic, _, mut first_ws, _second, mut second_ws) = two_sessions(&server).await;
        let mut other_user_ws = socket(&server, &basic.client2).await;
        basic
            .admin
            .post("/users/sessions/revoke/all", json!({}))
            .await
            .expect(200);
        for ws in [&mut first_ws, &mut second_ws, &mut other_user_ws] {
            assert!(ws.closed_within(CLOSE_WITHIN).await);
        }
    }
);

dual_db_test!(
    async fn an_expiring_session_closes_its_sockets(server) {
        let (basic, first_id, _first_ws, _second, mut second_ws) = two_sessions(&server).await;
        // The first session expires in two seconds (a socket reads the expiry as it connects).
        let now = utmost_model::now_millis();
        utmost_store::sessions::touch(&server.app.store, &first_id, now, now + 2_000)
            .await
            .unwrap();
        let mut expiring_ws = socket(&server, &basic.client).await;
        assert!(expiring_ws.closed_within(Duration::from_secs(10)).await);
        still_hears_dms(&basic, &mut second_ws).await;
    }
);

/// A personal access token of basicuser and a socket opened with it.
async fn token_socket(server: &TestServer, basic: &Basic) -> (String, WsClient) {
    configure(server, |c| {
        c.service_settings.enable_user_access_tokens = true
    });
    let token = basic
        .admin
        .post(
            &format!("/users/{}/tokens", basic.user_id()),
            json!({"description": "bot script"}),
        )
        .await
        .expect(200)
        .body;
    let client = server.client().with_token(token["token"].as_str().unwrap());
    (id(&token), socket(server, &client).await)
}

dual_db_test!(
    async fn revoking_or_disabling_a_token_closes_its_sockets(server) {
        let basic = server.init_basic().await;
        let mut session_ws = socket(&server, &basic.client).await;
        for action in ["disable", "revoke"] {
            let (token_id, mut token_ws) = token_socket(&server, &basic).await;
            basic
                .admin
                .post(&format!("/users/tokens/{action}"), json!({"token_id": token_id}))
                .await
                .expect(200);
            assert!(token_ws.closed_within(CLOSE_WITHIN).await, "{action}");
            still_hears_dms(&basic, &mut session_ws).await;
        }
    }
);

dual_db_test!(
    async fn a_new_login_on_a_device_closes_the_old_sessions_sockets(server) {
        let basic = server.init_basic().await;
        let mut web_ws = socket(&server, &basic.client).await;
        let phone = login(&server, "basicuser", "android:phone-1").await;
        let mut phone_ws = socket(&server, &phone).await;
        let _phone_again = login(&server, "basicuser", "android:phone-1").await;
        assert!(phone_ws.closed_within(CLOSE_WITHIN).await);
        still_hears_dms(&basic, &mut web_ws).await;

        // Attaching a device to a session ends the device's previous session the same way.
        let tablet = login(&server, "basicuser", "").await;
        tablet
            .put("/users/sessions/device", json!({"device_id": "ios:tablet-1"}))
            .await
            .expect(200);
        let mut tablet_ws = socket(&server, &tablet).await;
        let other = login(&server, "basicuser", "").await;
        other
            .put("/users/sessions/device", json!({"device_id": "ios:tablet-1"}))
            .await
            .expect(200);
        assert!(tablet_ws.closed_within(CLOSE_WITHIN).await);
        still_hears_dms(&basic, &mut web_ws).await;
    }
);

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

// ---- item 12: user_updated per recipient ----

/// The `user` of the next `user_updated` event about `user_id` on `ws`.
async fn updated_user(ws: &mut WsClient, user_id: &str) -> Value {
    loop {
        let e = ws.next_event("user_updated").await;
        if e["data"]["user"]["id"] == user_id {
            return e["data"]["user"].clone();
        }
    }
}

/// No further `user_updated` arrives on `ws` (each recipient gets exactly one copy).
async fn no_second_copy(ws: &mut WsClient) {
    let rest = ws.drain(Duration::from_millis(300)).await;
    assert!(
        rest.iter().all(|e| e["event"] != "user_updated"),
        "a second user_updated arrived: {rest:?}"
    );
}

dual_db_test!(
    async fn user_updated_is_sanitized_for_each_recipient(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| {
            c.privacy_settings.show_email_address = false;
            c.privacy_settings.show_full_name = false;
        });
        // A failed login, so the account has a failed attempt on record.
        server
            .client()
            .post("/users/login", json!({"login_id": "basicuser", "password": "wrong"}))
            .await
            .expect(401);
        let mut own_ws = socket(&server, &basic.client).await;
        let mut other_ws = socket(&server, &basic.client2).await;
        let mut admin_ws = socket(&server, &basic.admin).await;
        basic
            .client
            .put(
                "/users/me/patch",
                json!({"nickname": "nick", "first_name": "Basic", "last_name": "User"}),
            )
            .await
            .expect(200);
        let uid = basic.user_id();

        let other = updated_user(&mut other_ws, uid).await;
        assert_eq!(other["nickname"], "nick");
        for private in [
            "email", "first_name", "last_name", "failed_attempts", "last_password_update",
            "notify_props", "auth_service", "auth_data", "password", "mfa_secret", "last_login",
        ] {
            let v = &other[private];
            assert!(v.is_null() || v == "" || v == 0, "{private} leaked: {other}");
        }
        assert_eq!(other["email_verified"], false);
        no_second_copy(&mut other_ws).await;

        let admin = updated_user(&mut admin_ws, uid).await;
        assert_eq!(admin["email"], "basicuser@example.com");
        assert_eq!(admin["first_name"], "Basic");
        assert!(admin.get("password").is_none() && admin.get("mfa_secret").is_none());
        no_second_copy(&mut admin_ws).await;

        let own = updated_user(&mut own_ws, uid).await;
        assert_eq!(own["email"], "basicuser@example.com");
        assert_eq!(own["last_name"], "User");
        assert!(own["notify_props"].is_object());
        assert!(own.get("password").is_none() && own.get("mfa_secret").is_none());
        no_second_copy(&mut own_ws).await;
    }
);

dual_db_test!(
    async fn a_user_made_admin_gets_the_admin_copy_from_then_on(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| c.privacy_settings.show_email_address = false);
        let mut promoted_ws = socket(&server, &basic.client2).await;
        basic
            .admin
            .put(
                &format!("/users/{}/roles", basic.user2_id()),
                json!({"roles": "system_user system_admin"}),
            )
            .await
            .expect(200);
        basic
            .client
            .put("/users/me/patch", json!({"nickname": "again"}))
            .await
            .expect(200);
        let seen = updated_user(&mut promoted_ws, basic.user_id()).await;
        assert_eq!(seen["email"], "basicuser@example.com");
        no_second_copy(&mut promoted_ws).await;
    }
);

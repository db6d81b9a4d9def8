//! Push notifications through a real push proxy on loopback: the exact JSON of each
//! `PushNotificationContents` mode, the ack flow of ID-only pushes, clear on read, what
//! silences a push (a muted channel, do not disturb), retry after the proxy fails, the
//! automatic out-of-office reply, and the warning about channel-wide mentions in a big
//! channel.

use crate::posts_support::{create_post, newest_posts, outsider, reply};
use crate::support::{configure, id, serve_on_loopback};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

/// What the proxy received, and how many requests it still fails.
#[derive(Default)]
struct Received {
    pushes: Mutex<Vec<Value>>,
    acks: Mutex<Vec<Value>>,
    requests: AtomicUsize,
    failures_left: AtomicUsize,
    /// Answer `{"status": "REMOVE"}`: the app is gone from the device.
    removed: std::sync::atomic::AtomicBool,
}

/// A push proxy (`/api/v1/send_push`, `/api/v1/ack`) on loopback.
struct Proxy {
    url: String,
    received: Arc<Received>,
}

impl Proxy {
    async fn start() -> Proxy {
        let received = Arc::new(Received::default());
        let app = Router::new()
            .route("/api/v1/send_push", post(send_push))
            .route("/api/v1/ack", post(ack))
            .with_state(received.clone());
        let url = format!("http://{}", serve_on_loopback(app).await);
        Proxy { url, received }
    }

    /// Answers the next `n` pushes with 503.
    fn fail_next(&self, n: usize) {
        self.received.failures_left.store(n, Ordering::SeqCst);
    }

    /// Waits until at least `n` pushes arrived, then returns them all.
    async fn pushes(&self, n: usize) -> Vec<Value> {
        for _ in 0..500 {
            let pushes = self.received.pushes.lock().unwrap().clone();
            if pushes.len() >= n {
                return pushes;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{n} pushes did not arrive");
    }

    fn acks(&self) -> Vec<Value> {
        self.received.acks.lock().unwrap().clone()
    }
}

async fn send_push(
    State(received): State<Arc<Received>>,
    Json(push): Json<Value>,
) -> (StatusCode, Json<Value>) {
    received.requests.fetch_add(1, Ordering::SeqCst);
    let failing = received
        .failures_left
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return (StatusCode::SERVICE_UNAVAILABLE, Json(json!({})));
    }
    received.pushes.lock().unwrap().push(push);
    let status = if received.removed.load(Ordering::SeqCst) {
        "REMOVE"
    } else {
        "OK"
    };
    (StatusCode::OK, Json(json!({"status": status})))
}

async fn ack(State(received): State<Arc<Received>>, Json(ack): Json<Value>) -> Json<Value> {
    received.acks.lock().unwrap().push(ack);
    Json(json!({"status": "OK"}))
}

/// Pushes on, through `proxy`, with `contents`, under collapsed threads.
fn enable_push(server: &TestServer, proxy: &Proxy, contents: &str) {
    configure(server, |cfg| {
        cfg.email_settings.send_push_notifications = true;
        cfg.email_settings.push_notification_server = proxy.url.clone();
        cfg.email_settings.push_notification_contents = contents.to_string();
        cfg.service_settings.collapsed_threads = "always_on".into();
    });
}

/// The basic fixture with its second user on a phone.
async fn with_phone(server: &TestServer) -> Basic {
    let basic = server.init_basic().await;
    basic
        .client2
        .put(
            "/users/sessions/device",
            json!({"device_id": "android_rn:device-2"}),
        )
        .await
        .expect(200);
    basic
}

async fn server_id(client: &Client) -> String {
    let config = client.get("/config/client?format=old").await.expect(200);
    config.body["DiagnosticId"].as_str().unwrap().to_string()
}

/// The fixture's "added to the channel" messages mention its second user twice.
const FIXTURE_MENTIONS: usize = 2;

fn ack_id(push: &Value) -> String {
    let ack_id = push["ack_id"].as_str().unwrap().to_string();
    assert_eq!(ack_id.len(), 26, "a fresh id per push");
    ack_id
}

dual_db_test!(
    async fn each_contents_mode_sends_mattermost_json(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        let server_id = server_id(&basic.client).await;
        let channel = basic.channel_id().to_string();
        let modes = [
            ("full", json!({"message": "@basicuser: hey @basicuser2", "channel_name": "Basic Channel", "sender_name": "@basicuser"})),
            ("generic", json!({"message": "@basicuser mentioned you.", "channel_name": "Basic Channel", "sender_name": "@basicuser"})),
            ("generic_no_channel", json!({"message": "@basicuser mentioned you.", "sender_name": "@basicuser"})),
        ];
        for (n, (mode, text)) in modes.iter().enumerate() {
            enable_push(&server, &proxy, mode);
            let post = create_post(&basic.client, &channel, "hey @basicuser2").await;
            let push = proxy.pushes(n + 1).await[n].clone();
            let mut expected = json!({
                "ack_id": ack_id(&push), "platform": "android_rn", "server_id": server_id,
                "device_id": "device-2", "post_id": id(&post), "category": "CAN_REPLY",
                "badge": FIXTURE_MENTIONS + n + 1, "team_id": basic.team_id(), "channel_id": channel,
                "type": "message", "sender_id": basic.user_id(), "version": "v2",
                "is_crt_enabled": true, "is_id_loaded": false, "signature": "",
            });
            expected.as_object_mut().unwrap().extend(text.as_object().unwrap().clone());
            assert_eq!(push, expected, "{mode}");
        }

        enable_push(&server, &proxy, "id_loaded");
        let post = create_post(&basic.client, &channel, "hey @basicuser2").await;
        let push = proxy.pushes(4).await[3].clone();
        assert_eq!(
            push,
            json!({
                "ack_id": ack_id(&push), "platform": "android_rn", "server_id": server_id,
                "device_id": "device-2", "post_id": id(&post), "category": "CAN_REPLY",
                "message": "You've received a new message.", "badge": FIXTURE_MENTIONS + 4,
                "team_id": basic.team_id(), "channel_id": channel, "type": "message",
                "sender_id": basic.user2_id(), "version": "v2", "is_crt_enabled": true,
                "is_id_loaded": true, "signature": "",
            })
        );
    }
);

dual_db_test!(
    async fn an_id_only_push_is_read_through_the_ack(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "id_loaded");
        let private = id(&basic.private_channel);
        let post = create_post(&basic.client, &private, "the secret is @basicuser2").await;
        let push = proxy.pushes(1).await[0].clone();
        assert_eq!(push["message"], "You've received a new message.");
        let ack_id = ack_id(&push);
        let receipt = json!({
            "id": ack_id, "received_at": 1_700_000_000_000_i64, "platform": "android_rn",
            "type": "message", "post_id": id(&post), "is_id_loaded": true,
        });

        let content = basic.client2.post("/notifications/ack", receipt.clone()).await.expect(200).body;
        assert_eq!(
            content,
            json!({
                "ack_id": ack_id, "platform": "android_rn", "server_id": server_id(&basic.client).await,
                "device_id": "", "post_id": id(&post), "category": "CAN_REPLY",
                "message": "@basicuser: the secret is @basicuser2", "badge": FIXTURE_MENTIONS + 1,
                "team_id": basic.team_id(), "channel_id": private, "channel_name": "Basic Private",
                "type": "message", "sender_id": basic.user_id(), "sender_name": "@basicuser",
                "version": "v2", "is_crt_enabled": true, "is_id_loaded": false, "signature": "",
            })
        );
        assert_eq!(proxy.acks(), std::slice::from_ref(&receipt), "the receipt went on to the proxy");

        // Someone who cannot read the channel learns nothing from the post's id.
        let (_, outsider) = outsider(&server, &basic).await;
        outsider
            .post("/notifications/ack", receipt.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client2
            .post("/notifications/ack", json!(["not", "a", "receipt"]))
            .await
            .expect_error(400, "api.push_notifications_ack.message.parse.app_error");
        // A plain receipt is only passed on.
        let plain = json!({"id": ack_id, "platform": "android_rn", "type": "message", "is_id_loaded": false});
        let answer = basic.client2.post("/notifications/ack", plain).await.expect(200).body;
        assert_eq!(answer, json!({"status": "OK"}));
        configure(&server, |cfg| cfg.email_settings.send_push_notifications = false);
        basic
            .client2
            .post("/notifications/ack", receipt)
            .await
            .expect_error(501, "api.push_notification.disabled.app_error");
    }
);

dual_db_test!(
    async fn reading_a_channel_clears_its_notifications(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let channel = basic.channel_id().to_string();
        create_post(&basic.client, &channel, "look @basicuser2").await;
        assert_eq!(proxy.pushes(1).await[0]["badge"], FIXTURE_MENTIONS + 1);

        basic
            .client2
            .post("/channels/members/me/view", json!({"channel_id": channel}))
            .await
            .expect(200);
        let clear = proxy.pushes(2).await[1].clone();
        assert_eq!(
            clear,
            json!({
                "ack_id": ack_id(&clear), "platform": "android_rn",
                "server_id": server_id(&basic.client).await, "device_id": "device-2",
                "post_id": "", "badge": FIXTURE_MENTIONS - 1, "cont_ava": 1, "channel_id": channel,
                "type": "clear", "version": "v2", "is_crt_enabled": true, "is_id_loaded": false,
                "signature": "",
            }),
            "the badge counts what is still unread"
        );
    }
);

dual_db_test!(
    async fn a_muted_channel_and_do_not_disturb_send_nothing(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let (channel, private) = (basic.channel_id().to_string(), id(&basic.private_channel));
        let bob = basic.user2_id().to_string();
        basic
            .client2
            .put(
                &format!("/channels/{channel}/members/{bob}/notify_props"),
                json!({"mark_unread": "mention"}),
            )
            .await
            .expect(200);
        create_post(&basic.client, &channel, "muted @basicuser2").await;

        let set_status = |status: &'static str| {
            let (client, bob) = (basic.client2.clone(), bob.clone());
            async move {
                client
                    .put(&format!("/users/{bob}/status"), json!({"user_id": bob, "status": status}))
                    .await
                    .expect(200);
            }
        };
        set_status("dnd").await;
        create_post(&basic.client, &private, "do not disturb @basicuser2").await;
        set_status("offline").await;
        let marker = create_post(&basic.client, &private, "now @basicuser2").await;

        let pushes = proxy.pushes(1).await;
        assert_eq!(pushes[0]["post_id"], id(&marker), "the muted and dnd posts sent nothing");
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(proxy.pushes(1).await.len(), 1);
    }
);

dual_db_test!(
    async fn a_failing_push_proxy_is_tried_again(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        proxy.fail_next(2);
        let post = create_post(&basic.client, basic.channel_id(), "retry @basicuser2").await;
        let pushes = proxy.pushes(1).await;
        assert_eq!(pushes[0]["post_id"], id(&post));
        assert_eq!(proxy.received.requests.load(Ordering::SeqCst), 3, "two failures, then sent");
    }
);

dual_db_test!(
    async fn out_of_office_answers_a_direct_message_once_a_day(server) {
        let basic = server.init_basic().await;
        let mut props = basic.client2.get("/users/me").await.expect(200).body["notify_props"].clone();
        props["auto_responder_active"] = json!("true");
        props["auto_responder_message"] = json!("Away until Monday");
        basic
            .client2
            .put("/users/me/patch", json!({"notify_props": props}))
            .await
            .expect(200);
        let dm = id(&basic.dm);
        let first = create_post(&basic.client, &dm, "ping").await;
        reply(&basic.client, &dm, &id(&first), "ping again").await;
        create_post(&basic.client, &dm, "still there?").await;

        let replies: Vec<Value> = newest_posts(&basic.client, &dm)
            .await
            .into_iter()
            .filter(|p| p["type"] == "system_auto_responder")
            .collect();
        assert_eq!(replies.len(), 1, "{replies:?}");
        assert_eq!(replies[0]["message"], "Away until Monday");
        assert_eq!(replies[0]["user_id"], basic.user2_id());
        assert_eq!(replies[0]["root_id"], id(&first));

        // The automatic reply's switch moves the status, as Mattermost's does.
        let status = |client: &utmost_testkit::Client| {
            let (client, path) = (client.clone(), format!("/users/{}/status", basic.user2_id()));
            async move { client.get(&path).await.expect(200).body["status"].clone() }
        };
        assert_eq!(status(&basic.client).await, "ooo");
        props["auto_responder_active"] = json!("false");
        basic
            .client2
            .put("/users/me/patch", json!({"notify_props": props}))
            .await
            .expect(200);
        assert_eq!(status(&basic.client).await, "online");
    }
);

dual_db_test!(
    async fn channel_wide_mentions_in_a_big_channel_are_refused_to_the_poster(server) {
        let basic = server.init_basic().await;
        configure(&server, |cfg| cfg.team_settings.max_notifications_per_channel = 1);
        let (mut ws, _) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        create_post(&basic.client, basic.channel_id(), "@here and @all, look").await;
        let mut told = Vec::new();
        for _ in 0..2 {
            let event = ws.next_event("ephemeral_message").await;
            let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
            assert_eq!(post["channel_id"], basic.channel_id());
            told.push(post["message"].as_str().unwrap().to_string());
        }
        assert_eq!(
            told,
            [
                "@here notifications are disabled in channels with more than 1 users. Contact your system administrator for more information.",
                "@all notifications are disabled in channels with more than 1 users. Contact your system administrator for more information.",
            ]
        );
    }
);

dual_db_test!(
    async fn followers_of_a_thread_hear_of_its_replies(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "generic");
        let channel = basic.channel_id().to_string();
        let root = create_post(&basic.client2, &channel, "a question").await;
        let answer = reply(&basic.client, &channel, &id(&root), "an answer").await;
        let push = proxy.pushes(1).await[0].clone();
        assert_eq!(push["post_id"], id(&answer));
        assert_eq!(push["root_id"], id(&root));
        assert_eq!(push["message"], "@basicuser replied to a thread you're following.");
        assert_eq!(push["channel_name"], "Reply in Basic Channel");
        assert_eq!(push["is_crt_enabled"], true);
    }
);

dual_db_test!(
    async fn a_device_the_proxy_removed_gets_no_more_pushes(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        proxy.received.removed.store(true, Ordering::SeqCst);
        create_post(&basic.client, basic.channel_id(), "first @basicuser2").await;
        proxy.pushes(1).await;
        for _ in 0..100 {
            let sessions = basic.client2.get("/users/me/sessions").await.expect(200).body;
            if sessions[0]["device_id"] == "" {
                create_post(&basic.client, basic.channel_id(), "second @basicuser2").await;
                tokio::time::sleep(Duration::from_millis(300)).await;
                assert_eq!(proxy.pushes(1).await.len(), 1, "nothing went to the removed device");
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the session kept its device");
    }
);

dual_db_test!(
    async fn an_expired_phone_session_is_told_once_to_sign_in_again(server) {
        use utmost_app::notifications::session_expiry::queue_expired;
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let bob = basic.user2_id().to_string();
        let sessions = basic
            .client2
            .get(&format!("/users/{bob}/sessions"))
            .await
            .expect(200);
        let phone = sessions
            .body
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["device_id"] == "android_rn:device-2")
            .unwrap()
            .clone();
        let expired_at = phone["expires_at"].as_i64().unwrap();

        // Not yet expired, then expired over an hour ago: nothing to tell.
        let app = &server.app;
        assert_eq!(queue_expired(app, expired_at - 1).await.unwrap(), 0);
        assert_eq!(queue_expired(app, expired_at + 61 * 60_000).await.unwrap(), 0);
        // Without ExtendSessionLengthWithActivity Mattermost's job does not run.
        configure(&server, |cfg| {
            cfg.service_settings.extend_session_length_with_activity = false
        });
        assert_eq!(queue_expired(app, expired_at + 60_000).await.unwrap(), 0);
        configure(&server, |cfg| {
            cfg.service_settings.extend_session_length_with_activity = true
        });

        assert_eq!(queue_expired(app, expired_at + 60_000).await.unwrap(), 1);
        let push = proxy.pushes(1).await[0].clone();
        assert_eq!(
            push,
            json!({
                "ack_id": ack_id(&push), "platform": "android_rn",
                "server_id": server_id(&basic.client).await, "device_id": "device-2",
                "post_id": "", "type": "session", "version": "v2",
                "message": "Session Expired: Please log in to continue receiving notifications. \
                    Sessions for Utmost are configured by your System Administrator to \
                    expire every 720 hours.",
                "is_crt_enabled": false, "is_id_loaded": false, "signature": "",
            })
        );
        // Told once: the session is marked, and the next look finds nothing.
        let id = phone["id"].as_str().unwrap();
        for _ in 0..250 {
            let session = utmost_store::sessions::get(&app.store, id).await.unwrap();
            if session.is_some_and(|s| s.expired_notify) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(queue_expired(app, expired_at + 120_000).await.unwrap(), 0);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(proxy.pushes(1).await.len(), 1);
    }
);

dual_db_test!(
    async fn an_urgent_post_repeats_its_notifications_until_answered(server) {
        use utmost_app::notifications::persistent::send_due;
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let app = &server.app;
        let (mut ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let urgent = basic
            .client
            .post(
                "/posts",
                json!({
                    "channel_id": basic.channel_id(), "message": "@basicuser2 the site is down",
                    "metadata": {"priority": {"priority": "urgent", "persistent_notifications": true}},
                }),
            )
            .await
            .expect(201)
            .body;
        let post_id = id(&urgent);
        let created_at = urgent["create_at"].as_i64().unwrap();
        assert_eq!(proxy.pushes(1).await.len(), 1, "the first notification");

        // Not before the interval (5 minutes by default).
        assert_eq!(send_due(app, created_at + 60_000).await.unwrap(), 0);
        let round = created_at + 5 * 60_000;
        assert_eq!(send_due(app, round).await.unwrap(), 1);
        let pushes = proxy.pushes(2).await;
        assert_eq!(pushes[1]["post_id"], post_id.as_str());
        assert_eq!(pushes[1]["message"], pushes[0]["message"], "the same push again");
        let event = ws.next_event("persistent_notification_triggered").await;
        let data = &event["data"];
        let post: Value = serde_json::from_str(data["post"].as_str().unwrap()).unwrap();
        assert_eq!(post["id"], post_id.as_str());
        assert_eq!(data["channel_name"], basic.channel["name"]);
        assert_eq!(data["sender_name"], "@basicuser");
        assert_eq!(data["mentions"], json!([basic.user2_id()]).to_string());
        // Each round waits for the interval again.
        assert_eq!(send_due(app, round + 60_000).await.unwrap(), 0);

        // Its author cannot stop it; the member it names, by reacting, does.
        let reaction = |user: &str| {
            json!({"user_id": user, "post_id": post_id, "emoji_name": "eyes"})
        };
        basic
            .client
            .post("/reactions", reaction(basic.user_id()))
            .await
            .expect(200);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(send_due(app, round + 5 * 60_000).await.unwrap(), 1, "the author's own reaction");
        basic
            .client2
            .post("/reactions", reaction(basic.user2_id()))
            .await
            .expect(200);
        let mut stopped = false;
        for _ in 0..100 {
            if !utmost_store::post_priority::has_persistent_notification(&app.store, &post_id)
                .await
                .unwrap()
            {
                stopped = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(stopped, "the named member's reaction stops the notifications");
        assert_eq!(send_due(app, round + 20 * 60_000).await.unwrap(), 0);
    }
);

dual_db_test!(
    async fn persistent_notifications_stop_after_their_count(server) {
        use utmost_app::notifications::persistent::send_due;
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        configure(&server, |cfg| {
            cfg.service_settings.persistent_notification_max_count = 2;
            cfg.service_settings.persistent_notification_interval_minutes = 1;
        });
        let urgent = basic
            .client
            .post(
                "/posts",
                json!({
                    "channel_id": basic.channel_id(), "message": "@basicuser2 now",
                    "metadata": {"priority": {"priority": "urgent", "persistent_notifications": true}},
                }),
            )
            .await
            .expect(201)
            .body;
        let at = urgent["create_at"].as_i64().unwrap();
        let app = &server.app;
        assert_eq!(send_due(app, at + 60_000).await.unwrap(), 1);
        assert_eq!(send_due(app, at + 120_000).await.unwrap(), 1);
        assert_eq!(send_due(app, at + 180_000).await.unwrap(), 0, "two rounds at most");
        assert!(!utmost_store::post_priority::has_persistent_notification(
            &app.store,
            &id(&urgent)
        )
        .await
        .unwrap());
        assert_eq!(proxy.pushes(3).await.len(), 3);

        // A reply by the member it names stops an urgent post's notifications.
        let third = basic
            .client
            .post(
                "/posts",
                json!({
                    "channel_id": basic.channel_id(), "message": "@basicuser2 answer me",
                    "metadata": {"priority": {"priority": "urgent", "persistent_notifications": true}},
                }),
            )
            .await
            .expect(201)
            .body;
        reply(&basic.client2, basic.channel_id(), &id(&third), "on it").await;
        assert!(!utmost_store::post_priority::has_persistent_notification(
            &app.store,
            &id(&third)
        )
        .await
        .unwrap());

        // Deleting an urgent post stops its notifications.
        let second = basic
            .client
            .post(
                "/posts",
                json!({
                    "channel_id": basic.channel_id(), "message": "@basicuser2 again",
                    "metadata": {"priority": {"priority": "urgent", "persistent_notifications": true}},
                }),
            )
            .await
            .expect(201)
            .body;
        basic
            .client
            .delete(&format!("/posts/{}", id(&second)))
            .await
            .expect(200);
        let mut stopped = false;
        for _ in 0..100 {
            let live = utmost_store::post_priority::has_persistent_notification(
                &app.store,
                &id(&second),
            )
            .await
            .unwrap();
            if !live {
                stopped = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(stopped);
    }
);

dual_db_test!(
    async fn a_member_at_push_level_all_hears_of_every_post(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let (channel, bob) = (basic.channel_id().to_string(), basic.user2_id().to_string());
        create_post(&basic.client, &channel, "nobody named").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(proxy.received.pushes.lock().unwrap().is_empty(), "no mention, no push");

        basic
            .client2
            .put(
                &format!("/channels/{channel}/members/{bob}/notify_props"),
                json!({"push": "all"}),
            )
            .await
            .expect(200);
        create_post(&basic.client, &channel, "still nobody named").await;
        let push = proxy.pushes(1).await[0].clone();
        assert_eq!(push["message"], "@basicuser: still nobody named");
    }
);

dual_db_test!(
    async fn reading_a_thread_updates_the_phones_badge(server) {
        let proxy = Proxy::start().await;
        let basic = with_phone(&server).await;
        enable_push(&server, &proxy, "full");
        let (channel, bob) = (basic.channel_id().to_string(), basic.user2_id().to_string());
        let root = create_post(&basic.client, &channel, "@basicuser2 a thread").await;
        reply(&basic.client2, &channel, &id(&root), "following").await;
        let before = proxy.pushes(1).await.len();
        let path = format!(
            "/users/{bob}/teams/{}/threads/{}/read/{}",
            basic.team_id(),
            id(&root),
            utmost_model::now_millis()
        );
        basic.client2.put(&path, json!({})).await.expect(200);
        let pushes = proxy.pushes(before + 1).await;
        let badge = pushes.last().unwrap().clone();
        assert_eq!(
            badge,
            json!({
                "ack_id": ack_id(&badge), "platform": "android_rn",
                "server_id": server_id(&basic.client).await, "device_id": "device-2",
                "post_id": "", "badge": badge["badge"], "cont_ava": 1,
                "type": "update_badge", "version": "v2", "is_crt_enabled": true,
                "is_id_loaded": false, "signature": "",
            })
        );
        assert!(badge["badge"].is_i64());
    }
);

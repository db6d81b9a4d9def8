//! The WebSocket protocol end to end: authentication, hello, actions, resume, statuses.

use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

dual_db_test!(
    async fn hello_with_bearer_and_ping(server) {
        let (user, client) = server.create_user(None, "wsuser").await;
        let token = client.token.clone().unwrap();
        let mut ws = WsClient::connect(&server, Some(&token), "").await;
        let hello = ws.next().await;
        assert_eq!(hello["event"], "hello");
        assert_eq!(hello["seq"], 0);
        assert_eq!(hello["broadcast"]["user_id"], user["id"]);
        assert_eq!(hello["data"]["connection_id"].as_str().unwrap().len(), 26);
        assert!(hello["data"]["server_version"]
            .as_str()
            .unwrap()
            .starts_with("10.11.0."));
        ws.send(json!({"seq": 1, "action": "ping"})).await;
        let pong = loop {
            let v = ws.next().await;
            if v.get("seq_reply").is_some() {
                break v;
            }
        };
        assert_eq!(pong["seq_reply"], 1);
        assert_eq!(pong["status"], "OK");
        assert_eq!(pong["data"]["text"], "pong");
        ws.send(json!({"seq": 2, "action": "no_such_action"})).await;
        let fail = loop {
            let v = ws.next().await;
            if v.get("seq_reply").is_some() {
                break v;
            }
        };
        assert_eq!(fail["status"], "FAIL");
        assert_eq!(fail["error"]["id"], "api.web_socket_router.bad_action.app_error");
    }
);

dual_db_test!(
    async fn authentication_challenge(server) {
        let (_user, client) = server.create_user(None, "wsuser").await;
        let token = client.token.clone().unwrap();
        let mut ws = WsClient::connect(&server, None, "").await;
        ws.send(json!({"seq": 1, "action": "authentication_challenge", "data": {"token": token}}),
        )
        .await;
        let reply = ws.next().await;
        assert_eq!(reply["seq_reply"], 1);
        assert_eq!(reply["status"], "OK");
        assert_eq!(ws.next().await["event"], "hello");

        // A bad token closes the socket.
        let mut bad = WsClient::connect(&server, None, "").await;
        bad.send(json!({"seq": 1, "action": "authentication_challenge", "data": {"token": "nope"}}),
        )
        .await;
        assert!(bad.closed_within(Duration::from_secs(5)).await);
    }
);

dual_db_test!(
    async fn presence_and_status_endpoints(server) {
        let (user, client) = server.create_user(None, "wsuser").await;
        let uid = user["id"].as_str().unwrap().to_string();
        let status = client.get(&format!("/users/{uid}/status")).await.expect(200);
        assert_eq!(status.body["status"], "offline");

        let mut ws = WsClient::connect(&server, client.token.as_deref(), "").await;
        ws.next_event("hello").await;
        let change = ws.next_event("status_change").await;
        assert_eq!(change["data"]["status"], "online");
        let status = client.get("/users/me/status").await.expect(200);
        assert_eq!(status.body["status"], "online");

        client
            .put("/users/me/status", json!({"user_id": uid, "status": "dnd"}))
            .await
            .expect(200);
        let change = ws.next_event("status_change").await;
        assert_eq!(change["data"]["status"], "dnd");
        let many = client.post("/users/status/ids", json!([uid])).await.expect(200);
        assert_eq!(many.body[0]["status"], "dnd");
        assert_eq!(many.body[0]["manual"], true);

        client
            .put("/users/me/status", json!({"user_id": uid, "status": "sleeping"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        client
            .post("/users/status/ids", json!(["bad"]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        // Someone else's status is not ours to set.
        let (other, _) = server.create_user(Some(&client), "other").await;
        client
            .put(
                &format!("/users/{}/status", other["id"].as_str().unwrap()),
                json!({"status": "away"}),
            )
            .await
            .expect(200); // client is the first user: a system admin may
    }
);

dual_db_test!(
    async fn custom_status_set_and_clear(server) {
        let (_user, client) = server.create_user(None, "wsuser").await;
        client
            .put("/users/me/status/custom", json!({"emoji": "calendar", "text": "In a meeting"}))
            .await
            .expect(200);
        let me = client.get("/users/me").await.expect(200);
        let cs: Value =
            serde_json::from_str(me.body["props"]["customStatus"].as_str().unwrap()).unwrap();
        assert_eq!(cs["text"], "In a meeting");
        client
            .put("/users/me/status/custom", json!({"emoji": "x", "text": "y", "duration": "forever"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        client.delete("/users/me/status/custom").await.expect(200);
        let me = client.get("/users/me").await.expect(200);
        assert!(me.body["props"].get("customStatus").is_none());
    }
);

dual_db_test!(
    async fn resume_after_a_dropped_socket_is_lossless(server) {
        let (user, client) = server.create_user(None, "wsuser").await;
        let uid = user["id"].as_str().unwrap().to_string();
        let token = client.token.clone().unwrap();
        let mut ws = WsClient::connect(&server, Some(&token), "").await;
        let hello = ws.next_event("hello").await;
        let conn_id = hello["data"]["connection_id"].as_str().unwrap().to_string();
        let mut last_seq = hello["seq"].as_i64().unwrap();
        // Drain the online status change.
        let v = ws.next_event("status_change").await;
        last_seq = last_seq.max(v["seq"].as_i64().unwrap());
        drop(ws);
        tokio::time::sleep(Duration::from_millis(200)).await;
        // Events while the client is away: three preference changes to the user.
        for i in 0..3 {
            server
                .app
                .hub
                .publish(
                    utmost_model::websocket::WsEvent::to_user("preferences_changed", &uid)
                        .with("n", i),
                )
                .await;
        }
        let mut ws = WsClient::connect(
            &server,
            Some(&token),
            &format!("?connection_id={conn_id}&sequence_number={}", last_seq + 1),
        )
        .await;
        let mut got = Vec::new();
        while got.len() < 3 {
            let v = ws.next().await;
            assert_ne!(v["event"], "hello", "a resume must not start over");
            if v["event"] == "preferences_changed" {
                got.push((v["seq"].as_i64().unwrap(), v["data"]["n"].as_i64().unwrap()));
            }
        }
        assert_eq!(got[0].1, 0);
        assert_eq!(got[2].1, 2);
        assert!(got.windows(2).all(|w| w[1].0 == w[0].0 + 1));
    }
);

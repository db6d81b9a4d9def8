//! Events reach exactly the right connections as the REST API changes things.

use serde_json::json;
use std::time::Duration;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

const QUIET: Duration = Duration::from_millis(400);

fn events(frames: &[serde_json::Value]) -> Vec<String> {
    frames
        .iter()
        .filter_map(|f| f["event"].as_str().map(str::to_string))
        .collect()
}

dual_db_test!(
    async fn channel_membership_events_and_routing(server) {
        let b = server.init_basic().await;
        let (_u3, client3) = server.create_user(Some(&b.admin), "outsider").await;
        let (mut ws1, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let (mut ws3, _) = WsClient::connect_ready(&server, client3.token.as_deref().unwrap()).await;
        ws1.drain(QUIET).await;
        ws2.drain(QUIET).await;
        ws3.drain(QUIET).await;

        // A new private channel: its creator hears channel_created; nobody else does.
        let ch = b
            .client
            .post(
                "/channels",
                json!({"team_id": b.team_id(), "name": "secret", "display_name": "Secret", "type": "P"}),
            )
            .await
            .expect(201)
            .body;
        let cid = ch["id"].as_str().unwrap().to_string();
        let created = ws1.next_event("channel_created").await;
        assert_eq!(created["data"]["channel_id"], cid.as_str());
        assert_eq!(created["broadcast"]["user_id"], b.user_id());

        // Adding user2: the channel (now both) hears user_added; user2 routes the channel.
        b.client
            .post(&format!("/channels/{cid}/members"), json!({"user_id": b.user2_id()}))
            .await
            .expect(201);
        let added = ws2.next_event("user_added").await;
        assert_eq!(added["data"]["user_id"], b.user2_id());
        ws1.next_event("user_added").await;

        // A change to the private channel reaches members only.
        b.client
            .put(&format!("/channels/{cid}/patch"), json!({"header": "new header"}))
            .await
            .expect(200);
        let upd = ws2.next_event("channel_updated").await;
        let channel: serde_json::Value =
            serde_json::from_str(upd["data"]["channel"].as_str().unwrap()).unwrap();
        assert_eq!(channel["header"], "new header");
        ws1.next_event("channel_updated").await;
        assert!(!events(&ws3.drain(QUIET).await).contains(&"channel_updated".to_string()));

        // Removed: user2 hears user_removed, then no longer gets the channel's events.
        b.client
            .delete(&format!("/channels/{cid}/members/{}", b.user2_id()))
            .await
            .expect(200);
        let removed = ws2.next_event("user_removed").await;
        assert_eq!(removed["data"]["channel_id"], cid.as_str());
        b.client
            .put(&format!("/channels/{cid}/patch"), json!({"header": "after"}))
            .await
            .expect(200);
        ws1.next_event("channel_updated").await;
        assert!(!events(&ws2.drain(QUIET).await).contains(&"channel_updated".to_string()));
    }
);

dual_db_test!(
    async fn direct_messages_reach_only_their_two_members(server) {
        let b = server.init_basic().await;
        let (u3, client3) = server.create_user(Some(&b.admin), "third").await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let (mut ws3, _) = WsClient::connect_ready(&server, client3.token.as_deref().unwrap()).await;
        ws2.drain(QUIET).await;
        ws3.drain(QUIET).await;
        // A new DM between user and the third user: both route it, user2 hears nothing.
        let dm = b
            .client
            .post("/channels/direct", json!([b.user_id(), u3["id"]]))
            .await
            .expect(201)
            .body;
        let added = ws3.next_event("direct_added").await;
        assert_eq!(added["broadcast"]["channel_id"], dm["id"]);
        assert_eq!(added["data"]["teammate_id"], u3["id"]);
        assert!(ws2.drain(QUIET).await.iter().all(|e| e["broadcast"]["channel_id"] != dm["id"]));
    }
);

dual_db_test!(
    async fn posts_reach_members_with_mentions_edits_and_deletes(server) {
        let b = server.init_basic().await;
        let (_u3, client3) = server.create_user(Some(&b.admin), "outsider").await;
        let (mut ws1, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let (mut ws3, _) = WsClient::connect_ready(&server, client3.token.as_deref().unwrap()).await;
        for ws in [&mut ws1, &mut ws2, &mut ws3] {
            ws.drain(QUIET).await;
        }
        let private = b.private_channel["id"].as_str().unwrap().to_string();
        let post = b
            .client
            .post(
                "/posts",
                json!({"channel_id": private, "message": "hello @basicuser2", "pending_post_id": "x:1"}),
            )
            .await
            .expect(201)
            .body;
        let got = ws2.next_event("posted").await;
        assert_eq!(got["broadcast"]["channel_id"], private.as_str());
        let p: serde_json::Value = serde_json::from_str(got["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(p["id"], post["id"]);
        assert_eq!(p["message"], "hello @basicuser2");
        assert_eq!(got["data"]["channel_type"], "P");
        assert_eq!(got["data"]["channel_name"], "basic-private");
        assert_eq!(got["data"]["sender_name"], "@basicuser");
        assert_eq!(got["data"]["team_id"], b.team_id());
        assert_eq!(got["data"]["mentions"], format!("[\"{}\"]", b.user2_id()));
        let own = ws1.next_event("posted").await;
        assert!(own["data"].get("mentions").is_none(), "the poster is not mentioned");
        // Someone outside the private channel hears nothing of it.
        assert!(ws3
            .drain(QUIET)
            .await
            .iter()
            .all(|e| e["broadcast"]["channel_id"] != private.as_str()));

        let pid = post["id"].as_str().unwrap();
        b.client
            .put(&format!("/posts/{pid}/patch"), json!({"message": "edited"}))
            .await
            .expect(200);
        let edited = ws2.next_event("post_edited").await;
        let p: serde_json::Value = serde_json::from_str(edited["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(p["message"], "edited");
        b.client.delete(&format!("/posts/{pid}")).await.expect(200);
        let deleted = ws2.next_event("post_deleted").await;
        let p: serde_json::Value = serde_json::from_str(deleted["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(p["id"], pid);
        assert!(p["delete_at"].as_i64().unwrap() > 0);
    }
);

dual_db_test!(
    async fn typing_reaches_other_members_only(server) {
        let b = server.init_basic().await;
        let (mut ws1, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        ws1.drain(QUIET).await;
        ws2.drain(QUIET).await;
        ws1.send(json!({"seq": 1, "action": "user_typing", "data": {"channel_id": b.channel_id(), "parent_id": ""}}))
            .await;
        assert_eq!(ws1.reply(1).await["status"], "OK");
        let typing = ws2.next_event("typing").await;
        assert_eq!(typing["data"]["user_id"], b.user_id());
        assert_eq!(typing["broadcast"]["channel_id"], b.channel_id());
        assert!(!events(&ws1.drain(QUIET).await).contains(&"typing".to_string()));
        // A thread is named by a post id; anything else is refused, not echoed to everyone.
        ws1.send(json!({"seq": 2, "action": "user_typing", "data": {"channel_id": b.channel_id(), "parent_id": "x".repeat(4000)}}))
            .await;
        let reply = ws1.reply(2).await;
        assert_eq!(reply["status"], "FAIL");
        assert_eq!(reply["error"]["id"], "api.websocket_handler.invalid_param.app_error");
        // Typing into a channel one is not in is refused.
        let (_u3, client3) = server.create_user(Some(&b.admin), "outsider").await;
        let (mut ws3, _) = WsClient::connect_ready(&server, client3.token.as_deref().unwrap()).await;
        let private = b.private_channel["id"].as_str().unwrap();
        ws3.send(json!({"seq": 1, "action": "user_typing", "data": {"channel_id": private}}))
            .await;
        let reply = ws3.reply(1).await;
        assert_eq!(reply["status"], "FAIL");
        assert_eq!(reply["error"]["id"], "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn user_and_preference_events(server) {
        let b = server.init_basic().await;
        let (mut ws_admin, _) = WsClient::connect_ready(&server, b.admin.token.as_deref().unwrap()).await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        ws_admin.drain(QUIET).await;
        ws2.drain(QUIET).await;

        let (u, _) = server.create_user(Some(&b.admin), "newcomer").await;
        let created = ws2.next_event("new_user").await;
        assert_eq!(created["data"]["user_id"], u["id"]);

        b.client
            .put("/users/me/patch", json!({"nickname": "Basic"}))
            .await
            .expect(200);
        let updated = ws2.next_event("user_updated").await;
        assert_eq!(updated["data"]["user"]["nickname"], "Basic");
        assert!(updated["data"]["user"].get("password").is_none());

        b.admin
            .put(&format!("/users/{}/roles", b.user2_id()), json!({"roles": "system_user system_admin"}))
            .await
            .expect(200);
        let role = ws2.next_event("user_role_updated").await;
        assert_eq!(role["data"]["roles"], "system_user system_admin");

        let me = b.user2_id();
        b.client2
            .put(
                "/users/me/preferences",
                json!([{"user_id": me, "category": "display_settings", "name": "use_military_time", "value": "true"}]),
            )
            .await
            .expect(200);
        let prefs = ws2.next_event("preferences_changed").await;
        let list: serde_json::Value =
            serde_json::from_str(prefs["data"]["preferences"].as_str().unwrap()).unwrap();
        assert_eq!(list[0]["name"], "use_military_time");
        assert_eq!(prefs["broadcast"]["user_id"], me);
        // Another user's preferences are not broadcast to the admin.
        assert!(!events(&ws_admin.drain(QUIET).await).contains(&"preferences_changed".to_string()));

        b.client2
            .post(
                "/users/me/preferences/delete",
                json!([{"user_id": me, "category": "display_settings", "name": "use_military_time", "value": ""}]),
            )
            .await
            .expect(200);
        ws2.next_event("preferences_deleted").await;

        b.admin
            .put(&format!("/users/{}/active", u["id"].as_str().unwrap()), json!({"active": false}))
            .await
            .expect(200);
        ws2.next_event("user_activation_status_change").await;
    }
);

dual_db_test!(
    async fn idle_users_become_away_and_timed_dnd_ends(server) {
        let (user, client) = server.create_user(None, "idler").await;
        let uid = user["id"].as_str().unwrap().to_string();
        let (mut ws, _) = WsClient::connect_ready(&server, client.token.as_deref().unwrap()).await;
        assert_eq!(ws.next_event("status_change").await["data"]["status"], "online");

        // With the away timeout passed, the sweep marks the idle user away.
        let mut config = (*server.app.config()).clone();
        config.team_settings.user_status_away_timeout = 1;
        server.app.set_config(config);
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        utmost_app::status::sweep(&server.app).await.unwrap();
        assert_eq!(ws.next_event("status_change").await["data"]["status"], "away");

        // Activity brings them back.
        ws.send(json!({"seq": 1, "action": "user_update_active_status", "data": {"user_is_active": true}}))
            .await;
        assert_eq!(ws.next_event("status_change").await["data"]["status"], "online");

        // A DND that has already ended gives way to the previous status.
        let past = utmost_model::now_millis() / 1000 - 1;
        client
            .put("/users/me/status", json!({"user_id": uid, "status": "dnd", "dnd_end_time": past}))
            .await
            .expect(200);
        assert_eq!(ws.next_event("status_change").await["data"]["status"], "dnd");
        utmost_app::status::sweep(&server.app).await.unwrap();
        assert_eq!(ws.next_event("status_change").await["data"]["status"], "online");
    }
);

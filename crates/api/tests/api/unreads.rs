//! Unread state: marking a channel unread from a post, several channels read at once, and
//! the team unread counts that follow.

use serde_json::json;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

dual_db_test!(
    async fn set_unread_from_a_post_recounts_messages_and_mentions(server) {
        let b = server.init_basic().await;
        let cid = b.channel_id().to_string();
        let me = b.user2_id().to_string();
        // Being added to the fixture's private channel mentioned user2 there (Mattermost's
        // "added to the channel by" message); reading it leaves only this test's mentions.
        for channel in [cid.as_str(), b.private_channel["id"].as_str().unwrap()] {
            b.client2
                .post("/channels/members/me/view", json!({"channel_id": channel}))
                .await
                .expect(200);
        }
        let mut ids = Vec::new();
        for msg in ["first", "hi @basicuser2", "third"] {
            let p = b
                .client
                .post("/posts", json!({"channel_id": cid, "message": msg}))
                .await
                .expect(201)
                .body;
            ids.push((p["id"].as_str().unwrap().to_string(), p["create_at"].as_i64().unwrap()));
        }
        b.client2
            .post("/channels/members/me/view", json!({"channel_id": cid}))
            .await
            .expect(200);
        let (mut ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;

        let r = b
            .client2
            .post(&format!("/users/me/posts/{}/set_unread", ids[0].0), json!({}))
            .await
            .expect(200)
            .body;
        let channel = b.client2.get(&format!("/channels/{cid}")).await.expect(200).body;
        let total = channel["total_msg_count"].as_i64().unwrap();
        assert_eq!(r["channel_id"], cid.as_str());
        assert_eq!(r["team_id"], b.team_id());
        assert_eq!(r["msg_count"], total - 3);
        assert_eq!(r["mention_count"], 1);
        assert_eq!(r["mention_count_root"], 1);
        assert_eq!(r["last_viewed_at"], ids[0].1 - 1);

        let event = ws.next_event("post_unread").await;
        assert_eq!(event["broadcast"]["user_id"], me.as_str());
        assert_eq!(event["data"]["post_id"], ids[0].0.as_str());
        assert_eq!(event["data"]["mention_count"], 1);

        let member = b
            .client2
            .get(&format!("/channels/{cid}/members/me"))
            .await
            .expect(200)
            .body;
        assert_eq!(member["msg_count"], total - 3);
        assert_eq!(member["mention_count"], 1);
        let unread = b
            .client2
            .get(&format!("/users/me/teams/{}/unread", b.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(unread["msg_count"], 3);
        assert_eq!(unread["mention_count"], 1);

        // From the last post: one unread, no mention.
        let r = b
            .client2
            .post(&format!("/users/me/posts/{}/set_unread", ids[2].0), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(r["msg_count"], total - 1);
        assert_eq!(r["mention_count"], 0);
    }
);

dual_db_test!(
    async fn set_unread_permissions_and_errors(server) {
        let b = server.init_basic().await;
        let pid = b.post["id"].as_str().unwrap();
        let (_u3, client3) = server.create_user(Some(&b.admin), "outsider").await;
        client3
            .post(&format!("/users/{}/posts/{pid}/set_unread", b.user2_id()), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        client3
            .post(&format!("/users/me/posts/{pid}/set_unread"), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        b.client2
            .post("/users/me/posts/aaaaaaaaaaaaaaaaaaaaaaaaaa/set_unread", json!({}))
            .await
            .expect(404);
        b.client2
            .post("/users/me/posts/nope/set_unread", json!({}))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn mark_several_channels_read(server) {
        let b = server.init_basic().await;
        let public = b.channel_id().to_string();
        let private = b.private_channel["id"].as_str().unwrap().to_string();
        for cid in [&public, &private] {
            b.client
                .post("/posts", json!({"channel_id": cid, "message": "hey @basicuser2"}))
                .await
                .expect(201);
        }
        let (mut ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let r = b
            .client2
            .post("/channels/members/me/mark_read", json!([public, private]))
            .await
            .expect(200)
            .body;
        assert_eq!(r["status"], "OK");
        assert!(r["last_viewed_at_times"][&public].as_i64().unwrap() > 0);
        let viewed = ws.next_event("multiple_channels_viewed").await;
        assert!(viewed["data"]["channel_times"].get(&private).is_some());
        for cid in [&public, &private] {
            let m = b.client2.get(&format!("/channels/{cid}/members/me")).await.expect(200).body;
            assert_eq!(m["mention_count"], 0);
        }
        b.client2
            .post("/channels/members/me/mark_read", json!(["bad"]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        b.client2
            .post(&format!("/channels/members/{}/mark_read", b.user_id()), json!([public]))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

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

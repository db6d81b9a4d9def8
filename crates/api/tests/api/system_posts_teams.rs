//! System messages of team membership (in Town Square and the other default channels), none
//! in DMs and GMs, and their delivery as `posted` to the channel's members over WebSocket.

use crate::posts_support::newest_posts;
use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic};

const QUIET: Duration = Duration::from_millis(400);

async fn channel_by_name(b: &Basic, name: &str) -> Value {
    b.admin
        .get(&format!("/teams/{}/channels/name/{name}", b.team_id()))
        .await
        .expect(200)
        .body
}

/// The post carried by a `posted` event.
fn posted_post(event: &Value) -> Value {
    serde_json::from_str(event["data"]["post"].as_str().unwrap_or("null")).unwrap_or_default()
}

dual_db_test!(
    async fn joining_a_team_is_announced_in_its_default_channels(server) {
        let b = server.init_basic().await;
        let town = channel_by_name(&b, "town-square").await;
        let posts = newest_posts(&b.admin, &id(&town)).await;
        // The creator, then the two members the fixture added, each writing their own.
        let expected = [
            (b.user2_id(), "basicuser2"),
            (b.user_id(), "basicuser"),
            (b.admin_user["id"].as_str().unwrap(), "sysadmin"),
        ];
        assert_eq!(posts.len(), expected.len(), "{posts:?}");
        for (post, (user_id, username)) in posts.iter().zip(expected) {
            assert_eq!(post["type"], "system_join_team");
            assert_eq!(post["user_id"], user_id);
            assert_eq!(post["message"], format!("{username} joined the team."));
            assert_eq!(post["props"], json!({"username": username}));
        }
        assert_eq!(town["total_msg_count"], 0);

        let off_topic = channel_by_name(&b, "off-topic").await;
        let posts = newest_posts(&b.admin, &id(&off_topic)).await;
        assert_eq!(posts.len(), 3);
        assert!(posts.iter().all(|p| p["type"] == "system_join_channel"));
        assert_eq!(posts[2]["message"], "sysadmin joined the channel.");
        assert_eq!(off_topic["total_msg_count"], 0);
    }
);

dual_db_test!(
    async fn removing_a_team_member_is_announced_in_town_square(server) {
        let b = server.init_basic().await;
        let town_id = id(&channel_by_name(&b, "town-square").await);
        b.admin
            .delete(&format!("/teams/{}/members/{}", b.team_id(), b.user2_id()))
            .await
            .expect(200);
        let removed = &newest_posts(&b.admin, &town_id).await[0];
        assert_eq!(removed["type"], "system_remove_from_team");
        assert_eq!(removed["user_id"], b.user2_id());
        assert_eq!(removed["message"], "basicuser2 removed from the team.");
        assert_eq!(removed["props"], json!({"username": "basicuser2"}));
        // Only the team message: leaving the team's channels is not announced in each.
        let basic = newest_posts(&b.admin, b.channel_id()).await;
        assert_ne!(basic[0]["type"], "system_leave_channel");
        // Not allowed to remove someone: 403, and nothing is written.
        let (outsider, _) = server.create_user(Some(&b.admin), "outsider").await;
        b.admin
            .post(
                &format!("/teams/{}/members", b.team_id()),
                json!({"team_id": b.team_id(), "user_id": outsider["id"]}),
            )
            .await
            .expect(201);
        let newest = id(&newest_posts(&b.admin, &town_id).await[0]);
        b.client
            .delete(&format!("/teams/{}/members/{}", b.team_id(), outsider["id"].as_str().unwrap()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert_eq!(id(&newest_posts(&b.admin, &town_id).await[0]), newest);
    }
);

dual_db_test!(
    async fn direct_and_group_messages_get_no_membership_messages(server) {
        let b = server.init_basic().await;
        let (u3, _) = server.create_user(Some(&b.admin), "third").await;
        assert!(newest_posts(&b.client, &id(&b.dm)).await.is_empty());
        let gm = b
            .client
            .post("/channels/group", json!([b.user_id(), b.user2_id(), u3["id"]]))
            .await
            .expect(201)
            .body;
        assert!(newest_posts(&b.client, &id(&gm)).await.is_empty());
        // A DM's header is still a channel property whose change Mattermost announces.
        let dm_id = id(&b.dm);
        b.client
            .put(&format!("/channels/{dm_id}/patch"), json!({"header": "our dm"}))
            .await
            .expect(200);
        let posts = newest_posts(&b.client2, &dm_id).await;
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0]["type"], "system_header_change");
        assert_eq!(posts[0]["message"], "basicuser updated the channel header to: our dm");
    }
);

dual_db_test!(
    async fn members_receive_system_messages_as_posted(server) {
        let b = server.init_basic().await;
        let (mut ws1, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let (mut ws2, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        ws1.drain(QUIET).await;
        ws2.drain(QUIET).await;
        let cid = id(&b
            .client
            .post(
                "/channels",
                json!({"team_id": b.team_id(), "name": "announced", "display_name": "Announced", "type": "O"}),
            )
            .await
            .expect(201)
            .body);
        // The creator hears their own join message.
        let created = ws1.next_event("posted").await;
        assert_eq!(posted_post(&created)["type"], "system_join_channel");
        assert_eq!(created["data"]["sender_name"], "System");
        assert_eq!(created["data"]["channel_type"], "O");

        // Someone added hears the message that mentions them; the adder hears it too.
        b.client
            .post(&format!("/channels/{cid}/members"), json!({"user_id": b.user2_id()}))
            .await
            .expect(201);
        let added = ws2.next_event("posted").await;
        let post = posted_post(&added);
        assert_eq!(post["type"], "system_add_to_channel");
        assert_eq!(post["props"]["addedUserId"], b.user2_id());
        assert_eq!(added["broadcast"]["channel_id"], cid.as_str());
        assert_eq!(added["data"]["mentions"], format!("[\"{}\"]", b.user2_id()));
        assert_eq!(posted_post(&ws1.next_event("posted").await)["id"], post["id"]);

        // The one who leaves is gone before the message: only the remaining member hears it.
        b.client2
            .delete(&format!("/channels/{cid}/members/{}", b.user2_id()))
            .await
            .expect(200);
        let left = ws1.next_event("posted").await;
        assert_eq!(posted_post(&left)["type"], "system_leave_channel");
        assert_eq!(posted_post(&left)["user_id"], b.user2_id());
        assert!(ws2
            .drain(QUIET)
            .await
            .iter()
            .all(|e| e["event"] != "posted"));
    }
);

dual_db_test!(
    async fn leaving_a_team_is_announced_as_leaving(server) {
        let b = server.init_basic().await;
        let town_id = id(&channel_by_name(&b, "town-square").await);
        b.client2
            .delete(&format!("/teams/{}/members/{}", b.team_id(), b.user2_id()))
            .await
            .expect(200);
        let left = &newest_posts(&b.admin, &town_id).await[0];
        assert_eq!(left["type"], "system_leave_team");
        assert_eq!(left["user_id"], b.user2_id());
        assert_eq!(left["message"], "basicuser2 left the team.");
    }
);

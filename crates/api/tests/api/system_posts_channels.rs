//! The system messages channel changes leave in the channel (Mattermost's `post…Message`):
//! type, text, author and props, which of them count in `total_msg_count`, and that nothing
//! is written when the change itself is refused.

use crate::posts_support::create_channel;
use crate::posts_support::newest_posts;
use crate::support::id;
use serde_json::json;
use utmost_testkit::{dual_db_test, Client};

async fn total_msg_count(client: &Client, channel_id: &str) -> i64 {
    client
        .get(&format!("/channels/{channel_id}"))
        .await
        .expect(200)
        .body["total_msg_count"]
        .as_i64()
        .unwrap_or(-1)
}

dual_db_test!(
    async fn a_new_channel_starts_with_its_creators_join_message(server) {
        let b = server.init_basic().await;
        let channel = create_channel(&b.client, b.team_id(), "fresh", "O").await;
        let cid = id(&channel);
        let posts = newest_posts(&b.client, &cid).await;
        assert_eq!(posts.len(), 1, "{posts:?}");
        let join = &posts[0];
        assert_eq!(join["type"], "system_join_channel");
        assert_eq!(join["user_id"], b.user_id());
        assert_eq!(join["message"], "basicuser joined the channel.");
        assert_eq!(join["props"], json!({"username": "basicuser"}));
        assert_eq!(join["channel_id"], cid.as_str());
        // Join messages are not counted.
        assert_eq!(total_msg_count(&b.client, &cid).await, 0);
    }
);

dual_db_test!(
    async fn joining_and_leaving_are_announced_by_the_member(server) {
        let b = server.init_basic().await;
        let cid = id(&create_channel(&b.client, b.team_id(), "open-door", "O").await);
        b.client2
            .post(&format!("/channels/{cid}/members"), json!({"user_id": b.user2_id()}))
            .await
            .expect(201);
        b.client2
            .delete(&format!("/channels/{cid}/members/{}", b.user2_id()))
            .await
            .expect(200);
        let posts = newest_posts(&b.client, &cid).await;
        assert_eq!(posts.len(), 3, "{posts:?}");
        let (leave, join) = (&posts[0], &posts[1]);
        assert_eq!(leave["type"], "system_leave_channel");
        assert_eq!(leave["user_id"], b.user2_id());
        assert_eq!(leave["message"], "@basicuser2 left the channel.");
        assert_eq!(leave["props"], json!({"username": "basicuser2"}));
        assert_eq!(join["type"], "system_join_channel");
        assert_eq!(join["user_id"], b.user2_id());
        assert_eq!(join["message"], "basicuser2 joined the channel.");
        assert_eq!(total_msg_count(&b.client, &cid).await, 0);
    }
);

dual_db_test!(
    async fn adding_and_removing_someone_else_names_both(server) {
        let b = server.init_basic().await;
        let cid = id(&create_channel(&b.client, b.team_id(), "hand-picked", "P").await);
        b.client
            .post(&format!("/channels/{cid}/members"), json!({"user_id": b.user2_id()}))
            .await
            .expect(201);
        let added = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(added["type"], "system_add_to_channel");
        assert_eq!(added["user_id"], b.user_id());
        assert_eq!(added["message"], "basicuser2 added to the channel by basicuser.");
        assert_eq!(
            added["props"],
            json!({
                "userId": b.user_id(),
                "username": "basicuser",
                "addedUserId": b.user2_id(),
                "addedUsername": "basicuser2",
            })
        );
        // The added member is mentioned by it; the count of messages is not.
        let member = b
            .client2
            .get(&format!("/channels/{cid}/members/me"))
            .await
            .expect(200)
            .body;
        assert_eq!(member["mention_count"], 1);
        assert_eq!(total_msg_count(&b.client, &cid).await, 0);

        b.client
            .delete(&format!("/channels/{cid}/members/{}", b.user2_id()))
            .await
            .expect(200);
        let removed = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(removed["type"], "system_remove_from_channel");
        assert_eq!(removed["user_id"], b.user_id());
        assert_eq!(removed["message"], "@basicuser2 removed from the channel.");
        assert_eq!(
            removed["props"],
            json!({"removedUserId": b.user2_id(), "removedUsername": "basicuser2"})
        );
        assert_eq!(total_msg_count(&b.client, &cid).await, 0);
    }
);

dual_db_test!(
    async fn patching_properties_posts_one_counted_message_each(server) {
        let b = server.init_basic().await;
        let cid = b.channel_id().to_string();
        let before = total_msg_count(&b.client, &cid).await;
        b.client
            .put(
                &format!("/channels/{cid}/patch"),
                json!({"display_name": "Renamed", "header": "hello", "purpose": "why"}),
            )
            .await
            .expect(200);
        let posts = newest_posts(&b.client, &cid).await;
        let (purpose, header, renamed) = (&posts[0], &posts[1], &posts[2]);
        assert_eq!(renamed["type"], "system_displayname_change");
        assert_eq!(
            renamed["message"],
            "basicuser updated the channel display name from: Basic Channel to: Renamed"
        );
        assert_eq!(
            renamed["props"],
            json!({"username": "basicuser", "old_displayname": "Basic Channel", "new_displayname": "Renamed"})
        );
        assert_eq!(header["type"], "system_header_change");
        assert_eq!(header["message"], "basicuser updated the channel header to: hello");
        assert_eq!(
            header["props"],
            json!({"username": "basicuser", "old_header": "", "new_header": "hello"})
        );
        assert_eq!(purpose["type"], "system_purpose_change");
        assert_eq!(purpose["message"], "basicuser updated the channel purpose to: why");
        assert_eq!(purpose["props"]["new_purpose"], "why");
        for p in [purpose, header, renamed] {
            assert_eq!(p["user_id"], b.user_id());
        }
        // Property changes are ordinary messages for the counters.
        assert_eq!(total_msg_count(&b.client, &cid).await, before + 3);

        // Changing one thing says only that; removing a header quotes the old one.
        b.client
            .put(&format!("/channels/{cid}/patch"), json!({"header": ""}))
            .await
            .expect(200);
        let posts = newest_posts(&b.client, &cid).await;
        assert_eq!(posts[0]["message"], "basicuser removed the channel header (was: hello)");
        assert_eq!(posts[1]["type"], "system_purpose_change");
        // A patch that changes nothing posts nothing.
        b.client
            .put(&format!("/channels/{cid}/patch"), json!({"purpose": "why"}))
            .await
            .expect(200);
        assert_eq!(newest_posts(&b.client, &cid).await[0]["id"], posts[0]["id"]);
    }
);

dual_db_test!(
    async fn updating_a_channel_announces_only_a_new_display_name(server) {
        let b = server.init_basic().await;
        let cid = b.channel_id().to_string();
        let newest = id(&newest_posts(&b.client, &cid).await[0]);
        let mut channel = b.client.get(&format!("/channels/{cid}")).await.expect(200).body;
        channel["header"] = json!("quiet header");
        b.client.put(&format!("/channels/{cid}"), channel.clone()).await.expect(200);
        assert_eq!(id(&newest_posts(&b.client, &cid).await[0]), newest);
        channel["display_name"] = json!("Loud Name");
        b.client.put(&format!("/channels/{cid}"), channel).await.expect(200);
        let renamed = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(renamed["type"], "system_displayname_change");
        assert_eq!(renamed["props"]["old_displayname"], "Basic Channel");
        assert_eq!(renamed["props"]["new_displayname"], "Loud Name");
    }
);

dual_db_test!(
    async fn archiving_restoring_and_converting_are_announced(server) {
        let b = server.init_basic().await;
        let cid = id(&create_channel(&b.client, b.team_id(), "short-lived", "O").await);
        b.admin
            .put(&format!("/channels/{cid}/privacy"), json!({"privacy": "P"}))
            .await
            .expect(200);
        let converted = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(converted["type"], "system_change_chan_privacy");
        assert_eq!(converted["user_id"], b.admin_user["id"]);
        assert_eq!(converted["message"], "This channel has been converted to a Private Channel.");
        assert_eq!(converted["props"], json!({"username": "sysadmin"}));

        b.client.delete(&format!("/channels/{cid}")).await.expect(200);
        let archived = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(archived["type"], "system_channel_deleted");
        assert_eq!(archived["user_id"], b.user_id());
        assert_eq!(archived["message"], "basicuser archived the channel.");
        assert_eq!(archived["props"], json!({"username": "basicuser"}));

        b.admin.post(&format!("/channels/{cid}/restore"), json!({})).await.expect(200);
        let restored = &newest_posts(&b.client, &cid).await[0];
        assert_eq!(restored["type"], "system_channel_restored");
        assert_eq!(restored["message"], "sysadmin unarchived the channel.");
        assert_eq!(restored["props"], json!({"username": "sysadmin"}));
    }
);

dual_db_test!(
    async fn refused_changes_and_client_posts_write_no_system_message(server) {
        let b = server.init_basic().await;
        let cid = b.private_channel["id"].as_str().unwrap().to_string();
        let (outsider, outsider_client) = server.create_user(Some(&b.admin), "outsider").await;
        let newest = id(&newest_posts(&b.client, &cid).await[0]);

        // No permission: 403 and nothing written.
        outsider_client
            .put(&format!("/channels/{cid}/patch"), json!({"header": "mine"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .delete(&format!("/channels/{cid}/members/{}", b.user_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // Not a team member: 404 and nothing written.
        b.client
            .post(&format!("/channels/{cid}/members"), json!({"user_id": outsider["id"]}))
            .await
            .expect_error(404, "app.team.get_member.missing.app_error");
        // A client may not write system messages itself.
        b.client
            .post(
                "/posts",
                json!({"channel_id": cid, "message": "fake", "type": "system_join_channel"}),
            )
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        assert_eq!(id(&newest_posts(&b.client, &cid).await[0]), newest);
        // Town Square cannot be left, so nothing is announced there either.
        let town = b
            .client
            .get(&format!("/teams/{}/channels/name/town-square", b.team_id()))
            .await
            .expect(200)
            .body;
        let town_id = id(&town);
        let town_newest = id(&newest_posts(&b.client, &town_id).await[0]);
        b.client
            .delete(&format!("/channels/{town_id}/members/{}", b.user_id()))
            .await
            .expect_error(400, "api.channel.remove.default.app_error");
        assert_eq!(id(&newest_posts(&b.client, &town_id).await[0]), town_newest);
    }
);

//! `POST /posts` and what it moves: channel totals, threads, mention counters, read state.

use crate::posts_support::*;
use crate::support::id;
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn creates_a_post_with_mattermost_fields(server) {
        let basic = server.init_basic().await;
        let c = &basic.client;
        let r = c
            .post(
                "/posts?set_online=false",
                json!({"channel_id": basic.channel_id(), "message": "hello #world",
                       "pending_post_id": "abc:123", "props": {"custom": 1}}),
            )
            .await
            .expect(201);
        let p = &r.body;
        assert_eq!(p["message"], "hello #world");
        assert_eq!(p["hashtags"], "#world");
        assert_eq!(p["pending_post_id"], "abc:123");
        assert_eq!(p["user_id"], basic.user_id());
        assert_eq!(p["props"]["custom"], 1);
        assert_eq!(p["metadata"], json!({}));
        assert_eq!(p["file_ids"], json!([]));
        assert_eq!(p["root_id"], "");
        assert!(p["create_at"].as_i64().unwrap() > 0);
        assert_eq!(p["create_at"], p["update_at"]);
        assert_eq!(p["id"].as_str().unwrap().len(), 26);
    }
);

dual_db_test!(
    async fn refuses_bad_posts(server) {
        let basic = server.init_basic().await;
        let c = &basic.client;
        let channel_id = basic.channel_id();
        let long = "é".repeat(16384);
        c.post("/posts", json!({"channel_id": channel_id, "message": long}))
            .await
            .expect_error(400, "model.post.is_valid.message_length.app_error");
        c.post("/posts", json!({"channel_id": channel_id, "message": "é".repeat(16383)}))
            .await
            .expect(201);
        c.post("/posts", json!("not a post"))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "type": "nonsense"}))
            .await
            .expect_error(400, "model.post.is_valid.type.app_error");
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "type": "system_join_channel"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let too_many: Vec<String> = (0..11).map(|i| format!("{i:026}")).collect();
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "file_ids": too_many}))
            .await
            .expect_error(400, "model.post.is_valid.file_ids.app_error");

        // Replies: the root must exist, be a root, and live in the same channel.
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "root_id": "a".repeat(26)}))
            .await
            .expect_error(400, "api.post.create_post.root_id.app_error");
        let root = id(&basic.post);
        let first = reply(c, channel_id, &root, "first reply").await;
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "root_id": id(&first)}))
            .await
            .expect_error(400, "api.post.create_post.root_id.app_error");
        let private_id = id(&basic.private_channel);
        c.post("/posts", json!({"channel_id": private_id, "message": "x", "root_id": root}))
            .await
            .expect_error(400, "api.post.create_post.channel_root_id.app_error");
        // A bad root is refused before a bad post; with a good root the post's fault shows.
        c.post("/posts", json!({"channel_id": private_id, "message": "x", "root_id": root, "type": "nonsense"}))
            .await
            .expect_error(400, "api.post.create_post.channel_root_id.app_error");
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "root_id": root, "type": "nonsense"}))
            .await
            .expect_error(400, "model.post.is_valid.type.app_error");
        // A priority is for root posts only.
        c.post("/posts", json!({"channel_id": channel_id, "message": "x", "root_id": root,
                                "metadata": {"priority": {"priority": "urgent"}}}))
            .await
            .expect_error(400, "api.post.post_priority.priority_post_only_allowed_for_root_post.request_error");
    }
);

dual_db_test!(
    async fn only_members_post_in_private_and_nobody_in_archived_channels(server) {
        let basic = server.init_basic().await;
        let (_, outsider) = outsider(&server, &basic).await;
        let private_id = id(&basic.private_channel);
        outsider
            .post("/posts", json!({"channel_id": private_id, "message": "let me in"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider
            .post("/posts", json!({"channel_id": "b".repeat(26), "message": "nowhere"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server
            .client()
            .post("/posts", json!({"channel_id": private_id, "message": "anonymous"}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");

        basic
            .admin
            .delete(&format!("/channels/{private_id}"))
            .await
            .expect(200);
        basic
            .client
            .post("/posts", json!({"channel_id": private_id, "message": "too late"}))
            .await
            .expect_error(400, "api.post.create_post.can_not_post_to_deleted.error");
    }
);

dual_db_test!(
    async fn a_mention_moves_the_counters_in_one_go(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let before = get_channel(&basic.client, channel_id).await;
        let b_before = my_member(&basic.client2, channel_id).await;

        let post = create_post(&basic.client, channel_id, "@basicuser2 hi").await;

        let channel = get_channel(&basic.client, channel_id).await;
        let total = channel["total_msg_count"].as_i64().unwrap();
        assert_eq!(total, before["total_msg_count"].as_i64().unwrap() + 1);
        assert_eq!(
            channel["total_msg_count_root"].as_i64().unwrap(),
            before["total_msg_count_root"].as_i64().unwrap() + 1
        );
        assert_eq!(channel["last_post_at"], post["create_at"]);
        assert_eq!(channel["last_root_post_at"], post["create_at"]);

        let b = my_member(&basic.client2, channel_id).await;
        assert_eq!(b["mention_count"].as_i64().unwrap(), b_before["mention_count"].as_i64().unwrap() + 1);
        assert_eq!(b["mention_count_root"].as_i64().unwrap(), b_before["mention_count_root"].as_i64().unwrap() + 1);
        assert_eq!(b["urgent_mention_count"], 0);
        assert!(b["msg_count"].as_i64().unwrap() < total);

        // The poster has read their own post.
        let a = my_member(&basic.client, channel_id).await;
        assert_eq!(a["msg_count"].as_i64().unwrap(), total);
        assert_eq!(a["mention_count"], 0);
        assert_eq!(a["last_viewed_at"], post["create_at"]);

        // Mentioning yourself, or a word that only contains a name, mentions nobody.
        create_post(&basic.client, channel_id, "@basicuser talking to myself, basicuser2").await;
        let b_after = my_member(&basic.client2, channel_id).await;
        assert_eq!(b_after["mention_count"], b["mention_count"]);
    }
);

dual_db_test!(
    async fn a_reply_counts_as_a_mention_but_not_a_root_mention(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let root = id(&basic.post);
        let before = get_channel(&basic.client, channel_id).await;
        let b_before = my_member(&basic.client2, channel_id).await;

        let r = reply(&basic.client, channel_id, &root, "@basicuser2, see this.").await;
        assert_eq!(r["root_id"], root.as_str());
        assert_eq!(r["reply_count"], 1);

        let b = my_member(&basic.client2, channel_id).await;
        assert_eq!(b["mention_count"].as_i64().unwrap(), b_before["mention_count"].as_i64().unwrap() + 1);
        assert_eq!(b["mention_count_root"], b_before["mention_count_root"]);
        let channel = get_channel(&basic.client, channel_id).await;
        assert_eq!(
            channel["total_msg_count"].as_i64().unwrap(),
            before["total_msg_count"].as_i64().unwrap() + 1
        );
        assert_eq!(channel["total_msg_count_root"], before["total_msg_count_root"]);
        assert_eq!(channel["last_root_post_at"], before["last_root_post_at"]);

        // The root's update_at moves to the reply, and it reports the reply.
        let root_now = basic.client.get(&format!("/posts/{root}")).await.expect(200).body;
        assert_eq!(root_now["update_at"], r["create_at"]);
        assert_eq!(root_now["reply_count"], 1);

        // A second reply by the other user: both are thread participants, in reply order.
        reply(&basic.client2, channel_id, &root, "me too").await;
        let list = basic
            .client
            .get(&format!("/channels/{channel_id}/posts?collapsedThreads=true"))
            .await
            .expect(200)
            .body;
        let root_post = &list["posts"][&root];
        assert_eq!(root_post["reply_count"], 2);
        assert_eq!(root_post["participants"], json!([{"id": basic.user_id()}, {"id": basic.user2_id()}]));
        assert!(root_post["last_reply_at"].as_i64().unwrap() > 0);
    }
);

dual_db_test!(
    async fn channel_wide_mentions_count_for_members(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let b0 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        create_post(&basic.client, channel_id, "@channel standup").await;
        let b1 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b1, b0 + 1);
        create_post(&basic.client, channel_id, "@all: lunch").await;
        let b2 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b2, b1 + 1);
        // Nobody has a status yet, so @here reaches no one; nor does code.
        create_post(&basic.client, channel_id, "@here anyone? `@basicuser2`").await;
        let b3 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b3, b2);
        // Once B ignores channel mentions in this channel, @channel no longer counts.
        basic
            .client2
            .put(
                &format!("/channels/{channel_id}/members/{}/notify_props", basic.user2_id()),
                json!({"ignore_channel_mentions": "on"}),
            )
            .await
            .expect(200);
        create_post(&basic.client, channel_id, "@channel again").await;
        let b4 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b4, b3);
    }
);

dual_db_test!(
    async fn here_mentions_the_members_who_are_online(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let user2 = basic.user2_id().to_string();
        let set_status = |status: &'static str| {
            let path = format!("/users/{user2}/status");
            let body = json!({"user_id": user2, "status": status});
            let client = &basic.client2;
            async move { client.put(&path, body).await.expect(200) }
        };
        set_status("online").await;
        let b0 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        create_post(&basic.client, channel_id, "@HERE quick question").await;
        let b1 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b1, b0 + 1);
        set_status("away").await;
        create_post(&basic.client, channel_id, "@here anyone else?").await;
        let b2 = my_member(&basic.client2, channel_id).await["mention_count"].as_i64().unwrap();
        assert_eq!(b2, b1);
    }
);

dual_db_test!(
    async fn every_direct_message_mentions_the_other_user(server) {
        let basic = server.init_basic().await;
        let dm = id(&basic.dm);
        let b0 = my_member(&basic.client2, &dm).await;
        create_post(&basic.client, &dm, "no names here").await;
        let b1 = my_member(&basic.client2, &dm).await;
        assert_eq!(b1["mention_count"].as_i64().unwrap(), b0["mention_count"].as_i64().unwrap() + 1);
        assert_eq!(b1["mention_count_root"].as_i64().unwrap(), b0["mention_count_root"].as_i64().unwrap() + 1);
        let a = my_member(&basic.client, &dm).await;
        assert_eq!(a["mention_count"], 0);
    }
);

dual_db_test!(
    async fn urgent_posts_raise_the_urgent_counter(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let r = basic
            .client
            .post(
                "/posts",
                json!({"channel_id": channel_id, "message": "@basicuser2 prod is down",
                       "metadata": {"priority": {"priority": "urgent"}}}),
            )
            .await
            .expect(201);
        assert_eq!(r.body["metadata"]["priority"]["priority"], "urgent");
        let b = my_member(&basic.client2, channel_id).await;
        assert_eq!(b["urgent_mention_count"], 1);
    }
);

//! Reading posts: one post, a thread, a channel's posts, the unread window, pinned posts,
//! posts by ids, with their permissions and ETags.

use crate::posts_support::*;
use crate::support::id;
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn gets_a_post_with_etag(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let r = basic.client2.get(&format!("/posts/{post_id}")).await.expect(200);
        assert_eq!(r.body["message"], "basic post");
        assert_eq!(r.body["metadata"], json!({}));
        assert_eq!(r.body["reply_count"], 0);
        let etag = r.header("etag").to_string();
        assert!(etag.contains(&post_id), "{etag}");
        let again = get_if_none_match(&basic.client2, &format!("/posts/{post_id}"), &etag).await;
        assert_eq!(again.status, 304);
        let stale = get_if_none_match(&basic.client2, &format!("/posts/{post_id}"), "old").await;
        assert_eq!(stale.status, 200);

        basic.client.get(&format!("/posts/{}", "z".repeat(26)))
            .await
            .expect_error(404, "app.post.get.app_error");
        basic.client.get("/posts/not-an-id")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        basic.client.get(&format!("/posts/{post_id}?include_deleted=true"))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        let private = create_post(&basic.client, &id(&basic.private_channel), "secret").await;
        let (_, outsider) = outsider(&server, &basic).await;
        outsider.get(&format!("/posts/{}", id(&private)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A public channel is readable by any team member.
        outsider.get(&format!("/posts/{post_id}")).await.expect(200);
    }
);

dual_db_test!(
    async fn lists_channel_posts_by_page_cursor_and_time(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id().to_string();
        let c = &basic.client;
        let mut ids = vec![id(&basic.post)];
        for i in 0..4 {
            ids.push(id(&create_post(c, &channel_id, &format!("post {i}")).await));
        }
        let newest: Vec<String> = ids.iter().rev().cloned().collect();

        let r = c.get(&format!("/channels/{channel_id}/posts?per_page=2")).await.expect(200);
        assert_eq!(r.body["order"], json!(newest[..2]));
        assert_eq!(r.body["next_post_id"], "");
        assert_eq!(r.body["prev_post_id"], newest[2].as_str());
        let etag = r.header("etag").to_string();
        assert!(etag.starts_with("10.11.0."), "{etag}");
        let cached = get_if_none_match(c, &format!("/channels/{channel_id}/posts?per_page=2"), &etag).await;
        assert_eq!(cached.status, 304);

        let page1 = c.get(&format!("/channels/{channel_id}/posts?per_page=2&page=1")).await.expect(200);
        assert_eq!(page1.body["order"], json!(newest[2..4]));
        assert_eq!(page1.body["next_post_id"], newest[1].as_str());

        let before = c
            .get(&format!("/channels/{channel_id}/posts?before={}&per_page=2", newest[1]))
            .await
            .expect(200);
        assert_eq!(before.body["order"], json!(newest[2..4]));
        assert_eq!(before.body["next_post_id"], newest[1].as_str());
        assert_eq!(before.body["prev_post_id"], newest[4].as_str());

        let after = c
            .get(&format!("/channels/{channel_id}/posts?after={}&per_page=10", newest[3]))
            .await
            .expect(200);
        assert_eq!(after.body["order"], json!(newest[..3]));
        assert_eq!(after.body["prev_post_id"], newest[3].as_str());
        assert_eq!(after.body["next_post_id"], "");

        // since: created, edited or deleted after the time, deleted ones included.
        let since = basic.post["create_at"].as_i64().unwrap();
        c.delete(&format!("/posts/{}", newest[0])).await.expect(200);
        let changed = c.get(&format!("/channels/{channel_id}/posts?since={since}")).await.expect(200);
        assert_eq!(changed.body["order"], json!(newest[..4]));
        assert_eq!(changed.body["posts"][&newest[0]]["message"], "");
        assert!(changed.body["posts"][&newest[0]]["delete_at"].as_i64().unwrap() > 0);
        assert!(changed.header("etag").is_empty());

        // Replies bring their thread along.
        let r1 = reply(c, &channel_id, &ids[0], "a reply").await;
        let top = c.get(&format!("/channels/{channel_id}/posts?per_page=1")).await.expect(200);
        assert_eq!(top.body["order"], json!([id(&r1)]));
        assert!(top.body["posts"].get(&ids[0]).is_some());

        c.get(&format!("/channels/{channel_id}/posts?before=bad")).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        c.get(&format!("/channels/{channel_id}/posts?since=yesterday")).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        c.get(&format!("/channels/{channel_id}/posts?include_deleted=true")).await
            .expect_error(403, "api.context.permissions.app_error");
        basic.admin.get(&format!("/channels/{channel_id}/posts?include_deleted=true")).await.expect(200);
        c.get(&format!("/channels/{}/posts", "q".repeat(26))).await.expect(404);
        let (_, outsider) = outsider(&server, &basic).await;
        outsider.get(&format!("/channels/{}/posts", id(&basic.private_channel))).await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn gets_a_thread(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let root = id(&basic.post);
        let r1 = id(&reply(&basic.client, channel_id, &root, "one").await);
        let r2 = id(&reply(&basic.client2, channel_id, &root, "two").await);
        let thread = basic.client.get(&format!("/posts/{root}/thread")).await.expect(200);
        assert_eq!(thread.body["order"][0], root.as_str());
        assert_eq!(thread.body["order"].as_array().unwrap().len(), 3);
        assert_eq!(thread.body["posts"][&root]["reply_count"], 2);
        let etag = thread.header("etag").to_string();
        assert_eq!(get_if_none_match(&basic.client, &format!("/posts/{root}/thread"), &etag).await.status, 304);

        // From a reply the whole thread comes back, the reply first.
        let from_reply = basic.client.get(&format!("/posts/{r2}/thread")).await.expect(200);
        assert_eq!(from_reply.body["order"][0], r2.as_str());
        assert!(from_reply.body["posts"].get(&r1).is_some());

        let paged = basic
            .client
            .get(&format!("/posts/{root}/thread?perPage=1&direction=down"))
            .await
            .expect(200);
        assert_eq!(paged.body["has_next"], true);
        assert_eq!(paged.body["order"].as_array().unwrap().len(), 1);

        basic.client.get(&format!("/posts/{root}/thread?direction=sideways")).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic.client.get(&format!("/posts/{root}/thread?perPage=201")).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic.client.get(&format!("/posts/{}/thread", "w".repeat(26))).await
            .expect_error(404, "app.post.get.app_error");
        let private = create_post(&basic.client, &id(&basic.private_channel), "secret").await;
        let (_, outsider) = outsider(&server, &basic).await;
        outsider.get(&format!("/posts/{}/thread", id(&private))).await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn gets_posts_around_the_first_unread(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        // B views the channel, then A posts three more.
        basic
            .client2
            .post("/channels/members/me/view", json!({"channel_id": channel_id}))
            .await
            .expect(200);
        let first = id(&create_post(&basic.client, channel_id, "unread 1").await);
        let second = id(&create_post(&basic.client, channel_id, "unread 2").await);
        create_post(&basic.client, channel_id, "unread 3").await;
        let r = basic
            .client2
            .get(&format!("/users/me/channels/{channel_id}/posts/unread?limit_before=1&limit_after=2"))
            .await
            .expect(200);
        assert_eq!(r.body["order"], json!([second, first, id(&basic.post)]));
        assert!(!r.body["next_post_id"].as_str().unwrap().is_empty());

        basic
            .client2
            .get(&format!("/users/me/channels/{channel_id}/posts/unread?limit_after=0"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        basic
            .client
            .get(&format!("/users/{}/channels/{channel_id}/posts/unread", basic.user2_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let (_, outsider) = outsider(&server, &basic).await;
        outsider
            .get(&format!("/users/me/channels/{}/posts/unread", id(&basic.private_channel)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A reader of a public channel without a membership has no read state.
        outsider
            .get(&format!("/users/me/channels/{channel_id}/posts/unread"))
            .await
            .expect_error(404, "app.channel.get_member.missing.app_error");
    }
);

dual_db_test!(
    async fn pins_and_lists_pinned_posts(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let post_id = id(&basic.post);
        basic.client2.post(&format!("/posts/{post_id}/pin"), json!({})).await.expect(200);
        let pinned = basic.client.get(&format!("/channels/{channel_id}/pinned")).await.expect(200);
        assert_eq!(pinned.body["order"], json!([post_id]));
        assert_eq!(pinned.body["posts"][&post_id]["is_pinned"], true);
        let etag = pinned.header("etag").to_string();
        assert_eq!(get_if_none_match(&basic.client, &format!("/channels/{channel_id}/pinned"), &etag).await.status, 304);

        basic.client.post(&format!("/posts/{post_id}/unpin"), json!({})).await.expect(200);
        let pinned = basic.client.get(&format!("/channels/{channel_id}/pinned")).await.expect(200);
        assert_eq!(pinned.body["order"], json!([]));

        basic.client.post(&format!("/posts/{}/pin", "k".repeat(26)), json!({})).await
            .expect_error(403, "api.context.permissions.app_error");
        let private = create_post(&basic.client, &id(&basic.private_channel), "secret").await;
        let (_, outsider) = outsider(&server, &basic).await;
        outsider.post(&format!("/posts/{}/pin", id(&private)), json!({})).await
            .expect_error(403, "api.context.permissions.app_error");
        outsider.get(&format!("/channels/{}/pinned", id(&basic.private_channel))).await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn gets_posts_by_ids_the_caller_may_read(server) {
        let basic = server.init_basic().await;
        let public = id(&basic.post);
        let private = id(&create_post(&basic.client, &id(&basic.private_channel), "secret").await);
        let (_, outsider) = outsider(&server, &basic).await;
        let r = outsider.post("/posts/ids", json!([public, private])).await.expect(200);
        assert_eq!(r.body.as_array().unwrap().len(), 1);
        assert_eq!(r.body[0]["id"], public.as_str());
        let both = basic.client.post("/posts/ids", json!([public, private, public])).await.expect(200);
        assert_eq!(both.body.as_array().unwrap().len(), 2);

        basic.client.post("/posts/ids", json!([])).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic.client.post("/posts/ids", json!({"ids": 1})).await
            .expect_error(400, "api.payload.parse.error");
        basic.client.post("/posts/ids", json!(["y".repeat(26)])).await
            .expect_error(404, "app.post.get.app_error");
        let many: Vec<String> = (0..1001).map(|i| format!("{i:026}")).collect();
        basic.client.post("/posts/ids", json!(many)).await
            .expect_error(400, "api.post.posts_by_ids.invalid_body.request_error");
    }
);

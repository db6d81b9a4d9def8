//! Editing (update and patch, with edit history), deleting.

use crate::posts_support::*;
use crate::support::id;
use serde_json::json;
use utmost_testkit::{dual_db_test, DbKind, TestServer};

dual_db_test!(
    async fn updates_and_patches_keep_history(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let r = basic
            .client
            .put(&format!("/posts/{post_id}"), json!({"id": post_id, "message": "edited #tag"}))
            .await
            .expect(200);
        assert_eq!(r.body["message"], "edited #tag");
        assert_eq!(r.body["hashtags"], "#tag");
        assert!(r.body["edit_at"].as_i64().unwrap() > 0);
        assert_eq!(r.body["metadata"], json!({}));

        let p = basic
            .client
            .put(&format!("/posts/{post_id}/patch"), json!({"props": {"k": "v"}}))
            .await
            .expect(200);
        assert_eq!(p.body["message"], "edited #tag");
        assert_eq!(p.body["props"]["k"], "v");

        // Each edit left the previous version as a deleted row pointing at the post.
        let since = basic.post["create_at"].as_i64().unwrap() - 1;
        let changed = basic
            .client
            .get(&format!("/channels/{}/posts?since={since}", basic.channel_id()))
            .await
            .expect(200);
        let history: Vec<_> = changed.body["posts"]
            .as_object()
            .unwrap()
            .values()
            .filter(|p| p["original_id"] == post_id.as_str())
            .collect();
        assert_eq!(history.len(), 2);
        assert!(history.iter().all(|p| p["delete_at"].as_i64().unwrap() > 0));

        // The live post is what GET returns.
        let live = basic.client.get(&format!("/posts/{post_id}")).await.expect(200);
        assert_eq!(live.body["props"]["k"], "v");
        assert_eq!(live.body["original_id"], "");
    }
);

dual_db_test!(
    async fn edits_are_checked(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        // Not the author: basicuser2 lacks edit_others_posts.
        basic.client2
            .put(&format!("/posts/{post_id}/patch"), json!({"message": "hijack"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic.client2
            .put(&format!("/posts/{post_id}"), json!({"id": post_id, "message": "hijack"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // An admin may.
        basic.admin
            .put(&format!("/posts/{post_id}/patch"), json!({"message": "moderated"}))
            .await
            .expect(200);
        basic.client
            .put(&format!("/posts/{post_id}"), json!({"id": "x".repeat(26), "message": "m"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic.client
            .put(&format!("/posts/{post_id}/patch"), json!({"message": 5}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic.client
            .put(&format!("/posts/{post_id}/patch"), json!({"message": "é".repeat(16384)}))
            .await
            .expect_error(400, "model.post.is_valid.message_length.app_error");
        basic.client
            .put(&format!("/posts/{}/patch", "v".repeat(26)), json!({"message": "m"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_after_the_time_limit_are_refused() {
    let server = TestServer::start_with(DbKind::Sqlite, |c| {
        c.service_settings.post_edit_time_limit = 0;
    })
    .await;
    let basic = server.init_basic().await;
    let post_id = id(&basic.post);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    basic
        .client
        .put(
            &format!("/posts/{post_id}/patch"),
            json!({"message": "late"}),
        )
        .await
        .expect_error(400, "api.post.update_post.permissions_time_limit.app_error");
    // Changing other things than the message stays allowed.
    basic
        .client
        .put(
            &format!("/posts/{post_id}/patch"),
            json!({"props": {"a": 1}}),
        )
        .await
        .expect(200);
}

dual_db_test!(
    async fn deletes_a_thread_softly(server) {
        let basic = server.init_basic().await;
        let channel_id = basic.channel_id();
        let root = id(&basic.post);
        let r1 = id(&reply(&basic.client2, channel_id, &root, "reply").await);
        let total = get_channel(&basic.client, channel_id).await["total_msg_count"].clone();

        // Others' posts need delete_others_posts.
        basic.client2.delete(&format!("/posts/{root}")).await
            .expect_error(403, "api.context.permissions.app_error");
        // Deleting one's own reply recounts the thread.
        basic.client2.delete(&format!("/posts/{r1}")).await.expect(200);
        let root_now = basic.client.get(&format!("/posts/{root}")).await.expect(200);
        assert_eq!(root_now.body["reply_count"], 0);
        let r2 = id(&reply(&basic.client2, channel_id, &root, "again").await);

        let r = basic.client.delete(&format!("/posts/{root}")).await.expect(200);
        assert_eq!(r.body["status"], "OK");
        basic.client.get(&format!("/posts/{root}")).await.expect_error(404, "app.post.get.app_error");
        basic.client.get(&format!("/posts/{r2}")).await.expect_error(404, "app.post.get.app_error");
        let deleted = basic.admin.get(&format!("/posts/{root}?include_deleted=true")).await.expect(200);
        assert!(deleted.body["delete_at"].as_i64().unwrap() > 0);
        let ids = basic.admin.post("/posts/ids", json!([r2])).await.expect(200);
        assert_eq!(ids.body[0]["props"]["deleteBy"], basic.user_id());

        // Mattermost leaves the channel totals alone.
        let after = get_channel(&basic.client, channel_id).await["total_msg_count"].clone();
        assert_eq!(after.as_i64().unwrap(), total.as_i64().unwrap() + 1);

        basic.client.delete(&format!("/posts/{root}")).await
            .expect_error(404, "app.post.get.app_error");
        basic.client.delete("/posts/bad").await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

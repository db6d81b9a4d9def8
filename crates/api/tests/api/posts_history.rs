//! Edit history: `GET /posts/{id}/edit_history` and `POST /posts/{id}/restore/{version}`.

use crate::posts_support::{create_post, outsider};
use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client};

const QUIET: Duration = Duration::from_millis(400);

async fn edit(client: &Client, post_id: &str, message: &str) -> Value {
    client
        .put(
            &format!("/posts/{post_id}/patch"),
            json!({"message": message}),
        )
        .await
        .expect(200)
        .body
}

async fn history(client: &Client, post_id: &str) -> Vec<Value> {
    client
        .get(&format!("/posts/{post_id}/edit_history"))
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .clone()
}

fn messages(versions: &[Value]) -> Vec<&str> {
    versions
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn edit_history_lists_earlier_versions_for_the_author(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let post_id = id(&basic.post);
        // Never edited: nothing to list.
        basic
            .client
            .get(&format!("/posts/{post_id}/edit_history"))
            .await
            .expect_error(404, "app.post.get.app_error");
        edit(&basic.client, &post_id, "first edit").await;
        edit(&basic.client, &post_id, "second edit").await;

        let versions = history(&basic.client, &post_id).await;
        assert_eq!(messages(&versions), ["first edit", "basic post"]);
        for v in &versions {
            assert_eq!(v["original_id"], post_id.as_str());
            assert_ne!(v["id"], post_id.as_str());
            assert!(v["delete_at"].as_i64().unwrap() > 0);
            assert_eq!(v["user_id"], basic.user_id());
        }
        assert!(versions[0]["edit_at"].as_i64().unwrap() > 0);
        assert_eq!(versions[1]["edit_at"], 0);

        // Only the author: another member, an outsider and an admin are all refused.
        for other in [&basic.client2, &outsider_client, &basic.admin] {
            other
                .get(&format!("/posts/{post_id}/edit_history"))
                .await
                .expect_error(403, "api.context.permissions.app_error");
        }
        // A missing post is refused the same way; a malformed id is bad input.
        basic
            .client
            .get(&format!("/posts/{}/edit_history", "a".repeat(26)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client
            .get("/posts/nope/edit_history")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn restoring_a_version_is_an_edit(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let post_id = id(&basic.post);
        edit(&basic.client, &post_id, "changed").await;
        let original = history(&basic.client, &post_id).await[0].clone();
        assert_eq!(original["message"], "basic post");

        let (mut member_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let (mut outsider_ws, _) =
            WsClient::connect_ready(&server, outsider_client.token.as_deref().unwrap()).await;
        member_ws.drain(QUIET).await;
        outsider_ws.drain(QUIET).await;

        let restored = basic
            .client
            .post(&format!("/posts/{post_id}/restore/{}", id(&original)), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(restored["id"], post_id.as_str());
        assert_eq!(restored["message"], "basic post");
        assert!(restored["edit_at"].as_i64().unwrap() > 0);
        let live = basic.client.get(&format!("/posts/{post_id}")).await.expect(200).body;
        assert_eq!(live["message"], "basic post");
        // The replaced content became a version in its turn.
        let versions = history(&basic.client, &post_id).await;
        assert_eq!(messages(&versions), ["changed", "basic post"]);

        let edited = member_ws.next_event("post_edited").await;
        let sent: Value = serde_json::from_str(edited["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(sent["id"], post_id.as_str());
        assert_eq!(sent["message"], "basic post");
        let heard = outsider_ws.drain(QUIET).await;
        assert!(heard.iter().all(|e| e["event"] != "post_edited"), "{heard:?}");
    }
);

dual_db_test!(
    async fn restoring_is_checked(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        edit(&basic.client, &post_id, "changed").await;
        let version = id(&history(&basic.client, &post_id).await[0]);
        let other = id(&create_post(&basic.client, basic.channel_id(), "another").await);
        edit(&basic.client, &other, "another, changed").await;
        let other_version = id(&history(&basic.client, &other).await[0]);
        let restore = |post: &str, version: &str| format!("/posts/{post}/restore/{version}");

        // Someone else's version, or someone else's post.
        basic
            .client2
            .post(&restore(&post_id, &version), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A version that does not exist.
        basic
            .client
            .post(&restore(&post_id, &"b".repeat(26)), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A version of another post.
        basic
            .client
            .post(&restore(&post_id, &other_version), json!({}))
            .await
            .expect_error(400, "app.post.restore_post_version.not_an_history_item.app_error");
        // The live post itself is no earlier version.
        basic
            .client
            .post(&restore(&post_id, &post_id), json!({}))
            .await
            .expect_error(
                400,
                "app.post.restore_post_version.not_an_history_item.app_error",
            );
        let live = basic.client.get(&format!("/posts/{post_id}")).await.expect(200).body;
        assert_eq!(live["message"], "changed");
    }
);

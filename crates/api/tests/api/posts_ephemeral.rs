//! Ephemeral posts: `POST /posts/ephemeral` shows a post to one user and stores nothing; and
//! `POST /posts/{post_id}/move`, off as in Mattermost without its feature flag.

use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

const QUIET: Duration = Duration::from_millis(400);

dual_db_test!(
    async fn ephemeral_posts_reach_one_user_and_are_not_stored(server) {
        let basic = server.init_basic().await;
        let (mut user2_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let (mut user1_ws, _) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        user2_ws.drain(QUIET).await;
        user1_ws.drain(QUIET).await;

        let sent = basic
            .admin
            .post(
                "/posts/ephemeral",
                json!({"user_id": basic.user2_id(),
                       "post": {"channel_id": basic.channel_id(), "message": "just you"}}),
            )
            .await
            .expect(201)
            .body;
        assert_eq!(sent["type"], "system_ephemeral");
        assert_eq!(sent["message"], "just you");
        assert_eq!(sent["channel_id"], basic.channel_id());
        assert_eq!(sent["user_id"], basic.admin_user["id"]);
        assert_eq!(id(&sent).len(), 26);
        assert!(sent["create_at"].as_i64().unwrap() > 0);

        let event = user2_ws.next_event("ephemeral_message").await;
        assert_eq!(event["broadcast"]["user_id"], basic.user2_id());
        assert_eq!(event["broadcast"]["channel_id"], basic.channel_id());
        let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(post, sent);
        let heard = user1_ws.drain(QUIET).await;
        assert!(heard.iter().all(|e| e["event"] != "ephemeral_message"), "{heard:?}");

        basic
            .admin
            .get(&format!("/posts/{}", id(&sent)))
            .await
            .expect_error(404, "app.post.get.app_error");
    }
);

dual_db_test!(
    async fn ephemeral_posts_are_checked(server) {
        let basic = server.init_basic().await;
        let body = json!({"user_id": basic.user2_id(),
                          "post": {"channel_id": basic.channel_id(), "message": "hi"}});
        // create_post_ephemeral belongs to system admins.
        basic
            .client
            .post("/posts/ephemeral", body)
            .await
            .expect_error(403, "api.context.permissions.app_error");
        for bad in [
            json!({"post": {"message": "hi"}}),
            json!({"user_id": basic.user2_id()}),
            json!({"user_id": 5}),
        ] {
            basic
                .admin
                .post("/posts/ephemeral", bad)
                .await
                .expect_error(400, "api.context.invalid_body_param.app_error");
        }
    }
);

dual_db_test!(
    async fn moving_a_thread_is_off(server) {
        let basic = server.init_basic().await;
        basic
            .admin
            .post(
                &format!("/posts/{}/move", id(&basic.post)),
                json!({"channel_id": id(&basic.private_channel)}),
            )
            .await
            .expect_error(501, "api.post.move_thread.disabled.app_error");
    }
);

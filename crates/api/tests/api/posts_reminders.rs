//! Post reminders: `POST /users/{user_id}/posts/{post_id}/reminder`, its ephemeral
//! confirmation, and the delivery step of the `post reminders` service (a direct message
//! from the system bot).

use crate::posts_support::{create_post, newest_posts, outsider};
use crate::support::id;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_app::post_reminders::deliver_due;
use utmost_model::now_millis;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client};

const QUIET: Duration = Duration::from_millis(400);

fn reminder_path(user: &str, post_id: &str) -> String {
    format!("/users/{user}/posts/{post_id}/reminder")
}

fn in_seconds(delta: i64) -> i64 {
    now_millis() / 1000 + delta
}

async fn remind(client: &Client, post_id: &str, target_time: i64) {
    let r = client
        .post(
            &reminder_path("me", post_id),
            json!({"target_time": target_time}),
        )
        .await
        .expect(200);
    assert_eq!(r.body, json!({"status": "OK"}));
}

dual_db_test!(
    async fn setting_a_reminder_confirms_it_to_the_user_alone(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        let (mut user2_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let (mut author_ws, _) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        user2_ws.drain(QUIET).await;
        author_ws.drain(QUIET).await;

        let target = in_seconds(3600);
        remind(&basic.client2, &post_id, target).await;
        let event = user2_ws.next_event("ephemeral_message").await;
        assert_eq!(event["broadcast"]["user_id"], basic.user2_id());
        assert_eq!(event["broadcast"]["channel_id"], basic.channel_id());
        let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(post["type"], "system_ephemeral");
        assert_eq!(post["channel_id"], basic.channel_id());
        assert_eq!(post["root_id"], post_id.as_str());
        assert_eq!(post["user_id"], basic.user2_id());
        assert_eq!(post["props"]["type"], "reminder");
        assert_eq!(post["props"]["post_id"], post_id.as_str());
        assert_eq!(post["props"]["username"], "basicuser");
        assert_eq!(post["props"]["team_name"], "basic-team");
        assert_eq!(post["props"]["target_time"], target);
        let message = post["message"].as_str().unwrap();
        assert!(message.contains(&format!("/basic-team/pl/{post_id} by @basicuser at ")), "{message}");
        assert!(message.ends_with(" UTC"), "{message}");

        let heard = author_ws.drain(QUIET).await;
        assert!(heard.iter().all(|e| e["event"] != "ephemeral_message"), "{heard:?}");
    }
);

dual_db_test!(
    async fn due_reminders_arrive_from_the_system_bot(server) {
        let basic = server.init_basic().await;
        let post_id = id(&basic.post);
        remind(&basic.client2, &post_id, in_seconds(3600)).await;
        // Not due yet.
        assert_eq!(deliver_due(&server.app).await.unwrap(), 0);

        // Setting it again moves it; now it is due.
        remind(&basic.client2, &post_id, in_seconds(-1)).await;
        let (mut user2_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        user2_ws.drain(QUIET).await;
        assert_eq!(deliver_due(&server.app).await.unwrap(), 1);
        // Sent once only.
        assert_eq!(deliver_due(&server.app).await.unwrap(), 0);

        let bot = basic
            .client2
            .get("/users/username/system-bot")
            .await
            .expect(200)
            .body;
        assert_eq!(bot["is_bot"], true);
        let dm = basic
            .client2
            .post("/channels/direct", json!([basic.user2_id(), bot["id"]]))
            .await
            .expect(201)
            .body;
        let posts = newest_posts(&basic.client2, &id(&dm)).await;
        assert_eq!(posts.len(), 1, "{posts:?}");
        let reminder = &posts[0];
        assert_eq!(reminder["type"], "reminder");
        assert_eq!(reminder["user_id"], bot["id"]);
        assert_eq!(reminder["props"]["post_id"], post_id.as_str());
        assert_eq!(reminder["props"]["username"], "basicuser");
        assert_eq!(reminder["props"]["team_name"], "basic-team");
        let message = reminder["message"].as_str().unwrap();
        assert!(message.contains("@basicuser"), "{message}");
        assert!(message.ends_with(&format!("/basic-team/pl/{post_id}")), "{message}");
        let posted = user2_ws.next_event("posted").await;
        assert_eq!(posted["broadcast"]["channel_id"], id(&dm).as_str());

        // A second reminder reuses the bot and its direct channel.
        let other = id(&create_post(&basic.client, basic.channel_id(), "again").await);
        remind(&basic.client2, &other, in_seconds(-1)).await;
        assert_eq!(deliver_due(&server.app).await.unwrap(), 1);
        assert_eq!(newest_posts(&basic.client2, &id(&dm)).await.len(), 2);
    }
);

dual_db_test!(
    async fn reminders_are_checked(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let post_id = id(&basic.post);
        let private_post =
            id(&create_post(&basic.client, &id(&basic.private_channel), "private").await);
        let body = json!({"target_time": in_seconds(60)});
        // For someone else, or on a post one cannot read.
        basic
            .client2
            .post(&reminder_path(basic.user_id(), &post_id), body.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .post(&reminder_path("me", &private_post), body.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A post that does not exist: refused for a user, not found for an admin.
        let missing = "c".repeat(26);
        basic
            .client
            .post(&reminder_path("me", &missing), body.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .admin
            .post(&reminder_path("me", &missing), body.clone())
            .await
            .expect_error(404, "app.post.get.app_error");
        // Bad input.
        for bad in [json!({"target_time": "soon"}), json!({"target_time": 1.5})] {
            basic
                .client
                .post(&reminder_path("me", &post_id), bad)
                .await
                .expect_error(400, "api.context.invalid_body_param.app_error");
        }
        basic
            .client
            .post(&reminder_path("me", "nope"), body)
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        assert_eq!(deliver_due(&server.app).await.unwrap(), 0);
    }
);

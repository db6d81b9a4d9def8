//! Message priority (`metadata.priority` on create and reads) and acknowledgements
//! (`POST`/`DELETE /users/{user_id}/posts/{post_id}/ack`, `metadata.acknowledgements`, their
//! WebSocket events).

use crate::posts_support::get_post;
use crate::posts_support::{create_post, newest_posts, outsider};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_model::now_millis;
use utmost_model::post_acknowledgement::PostAcknowledgement;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client};

const QUIET: Duration = Duration::from_millis(400);

async fn create_with_priority(client: &Client, channel_id: &str, priority: Value) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "listen", "metadata": {"priority": priority}}),
        )
        .await
        .expect(201)
        .body
}

fn ack_path(user: &str, post_id: &str) -> String {
    format!("/users/{user}/posts/{post_id}/ack")
}

dual_db_test!(
    async fn priority_is_kept_and_returned_on_reads(server) {
        let basic = server.init_basic().await;
        let priority = json!({"priority": "urgent", "requested_ack": true, "persistent_notifications": true});
        let created = create_with_priority(&basic.client, basic.channel_id(), priority.clone()).await;
        assert_eq!(created["metadata"]["priority"], priority);
        let post_id = id(&created);

        assert_eq!(get_post(&basic.client2, &post_id).await["metadata"]["priority"], priority);
        let listed = newest_posts(&basic.client2, basic.channel_id()).await;
        let in_list = listed.iter().find(|p| p["id"] == post_id.as_str()).unwrap();
        assert_eq!(in_list["metadata"]["priority"], priority);
        let plain = listed.iter().find(|p| p["id"] == basic.post["id"]).unwrap();
        assert_eq!(plain["metadata"], json!({}));
        let by_ids = basic.client.post("/posts/ids", json!([post_id])).await.expect(200);
        assert_eq!(by_ids.body[0]["metadata"]["priority"], priority);
        // An edit keeps it.
        let edited = basic
            .client
            .put(&format!("/posts/{post_id}/patch"), json!({"message": "listen!"}))
            .await
            .expect(200);
        assert_eq!(edited.body["metadata"]["priority"], priority);

        // An important post that asks for nothing else.
        let important =
            create_with_priority(&basic.client, basic.channel_id(), json!({"priority": "important"}))
                .await;
        let read = get_post(&basic.client, &id(&important)).await;
        assert_eq!(read["metadata"]["priority"]["priority"], "important");
        assert!(read["metadata"]["priority"]["requested_ack"].is_null());

        // Clients learn the settings from the client config.
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["PostPriority"], "true");
        assert_eq!(config["AllowPersistentNotifications"], "true");
        assert_eq!(config["PersistentNotificationIntervalMinutes"], "5");
        assert_eq!(config["PersistentNotificationMaxCount"], "6");
        assert_eq!(config["PersistentNotificationMaxRecipients"], "5");

        // With priority turned off, reads leave it out.
        configure(&server, |c| c.service_settings.post_priority = false);
        assert_eq!(get_post(&basic.client, &post_id).await["metadata"], json!({}));
    }
);

dual_db_test!(
    async fn priority_is_checked_on_create(server) {
        let basic = server.init_basic().await;
        let post = |priority: Value| {
            json!({"channel_id": basic.channel_id(), "message": "m", "metadata": {"priority": priority}})
        };
        basic
            .client
            .post("/posts", post(json!({"priority": "important", "persistent_notifications": true})))
            .await
            .expect_error(
                400,
                "api.post.post_priority.urgent_persistent_notification_post.request_error",
            );
        configure(&server, |c| c.service_settings.allow_persistent_notifications = false);
        basic
            .client
            .post("/posts", post(json!({"priority": "urgent", "persistent_notifications": true})))
            .await
            .expect_error(
                403,
                "api.post.post_priority.priority_post_not_allowed_for_user.request_error",
            );
        basic
            .client
            .post("/posts", post(json!({"priority": "urgent", "requested_ack": true})))
            .await
            .expect(201);
        configure(&server, |c| c.service_settings.post_priority = false);
        basic
            .client
            .post("/posts", post(json!({"priority": "important"})))
            .await
            .expect_error(
                403,
                "api.post.post_priority.priority_post_not_allowed_for_user.request_error",
            );
    }
);

dual_db_test!(
    async fn acknowledgements_are_saved_shown_and_taken_back(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let created = create_with_priority(
            &basic.client,
            basic.channel_id(),
            json!({"priority": "important", "requested_ack": true}),
        )
        .await;
        let post_id = id(&created);
        let (mut author_ws, _) =
            WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        let (mut outsider_ws, _) =
            WsClient::connect_ready(&server, outsider_client.token.as_deref().unwrap()).await;
        author_ws.drain(QUIET).await;
        outsider_ws.drain(QUIET).await;

        let before = now_millis();
        let ack = basic
            .client2
            .post(&ack_path("me", &post_id), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(ack["user_id"], basic.user2_id());
        assert_eq!(ack["post_id"], post_id.as_str());
        assert!(ack["acknowledged_at"].as_i64().unwrap() >= before);

        let added = author_ws.next_event("post_acknowledgement_added").await;
        assert_eq!(added["broadcast"]["channel_id"], basic.channel_id());
        let sent: Value =
            serde_json::from_str(added["data"]["acknowledgement"].as_str().unwrap()).unwrap();
        assert_eq!(sent, ack);

        // Reads carry it, and the post moved so that clients refetch it.
        let read = get_post(&basic.client, &post_id).await;
        assert_eq!(read["metadata"]["acknowledgements"], json!([ack]));
        assert!(read["update_at"].as_i64().unwrap() >= ack["acknowledged_at"].as_i64().unwrap());
        let listed = newest_posts(&basic.client, basic.channel_id()).await;
        let in_list = listed.iter().find(|p| p["id"] == post_id.as_str()).unwrap();
        assert_eq!(in_list["metadata"]["acknowledgements"], json!([ack]));

        basic
            .client2
            .delete(&ack_path(basic.user2_id(), &post_id))
            .await
            .expect(200);
        let removed = author_ws.next_event("post_acknowledgement_removed").await;
        let sent: Value =
            serde_json::from_str(removed["data"]["acknowledgement"].as_str().unwrap()).unwrap();
        assert_eq!(sent, ack);
        let read = get_post(&basic.client, &post_id).await;
        assert!(read["metadata"].get("acknowledgements").is_none(), "{read}");
        // Nothing left to take back.
        basic
            .client2
            .delete(&ack_path("me", &post_id))
            .await
            .expect_error(404, "app.acknowledgement.get.app_error");

        let heard = outsider_ws.drain(QUIET).await;
        assert!(
            heard
                .iter()
                .all(|e| !e["event"].as_str().unwrap_or("").starts_with("post_acknowledgement")),
            "{heard:?}"
        );
    }
);

dual_db_test!(
    async fn acknowledgements_are_checked(server) {
        let basic = server.init_basic().await;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let private_post =
            id(&create_post(&basic.client, &id(&basic.private_channel), "private").await);
        let post_id = id(&basic.post);
        // For someone else, or in a channel one cannot read.
        basic
            .client2
            .post(&ack_path(basic.user_id(), &post_id), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .post(&ack_path("me", &private_post), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider_client
            .delete(&ack_path("me", &private_post))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client
            .post(&ack_path("me", "nope"), json!({}))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        // Five minutes later it can no longer be taken back.
        let old = PostAcknowledgement {
            user_id: basic.user2_id().to_string(),
            post_id: post_id.clone(),
            acknowledged_at: now_millis() - 6 * 60 * 1000,
        };
        utmost_store::post_acknowledgements::save(&server.app.store, &old)
            .await
            .unwrap();
        basic
            .client2
            .delete(&ack_path("me", &post_id))
            .await
            .expect_error(403, "api.acknowledgement.delete.deadline.app_error");

        // Not in an archived channel.
        basic
            .client
            .delete(&format!("/channels/{}", basic.channel_id()))
            .await
            .expect(200);
        basic
            .client
            .post(&ack_path("me", &post_id), json!({}))
            .await
            .expect_error(403, "api.acknowledgement.save.archived_channel.app_error");
        basic
            .client2
            .delete(&ack_path("me", &post_id))
            .await
            .expect_error(403, "api.acknowledgement.delete.archived_channel.app_error");
    }
);

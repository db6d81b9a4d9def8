//! Scheduled posts: save, list, update, delete, their checks, the sending job, and their
//! WebSocket events.

use crate::posts_support::{create_post, newest_posts, outsider};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_model::now_millis;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client};

const QUIET: Duration = Duration::from_millis(400);
const HOUR: i64 = 3_600_000;

fn scheduled(channel_id: &str, message: &str, at: i64) -> Value {
    json!({"channel_id": channel_id, "message": message, "scheduled_at": at})
}

async fn schedule(client: &Client, body: Value) -> Value {
    client.post("/posts/schedule", body).await.expect(201).body
}

async fn listed(basic: &Basic, client: &Client) -> Value {
    client
        .get(&format!(
            "/posts/scheduled/team/{}?includeDirectChannels=true",
            basic.team_id()
        ))
        .await
        .expect(200)
        .body
}

fn messages(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn scheduled_posts_are_saved_listed_updated_and_deleted(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let at = now_millis() + HOUR;
        let saved = schedule(&basic.client, scheduled(&channel, "later", at + 1)).await;
        assert_eq!(id(&saved).len(), 26);
        assert_eq!(saved["user_id"], basic.user_id());
        assert_eq!(saved["channel_id"], channel.as_str());
        assert_eq!(saved["message"], "later");
        assert_eq!(saved["scheduled_at"], at + 1);
        assert_eq!((saved["processed_at"].clone(), saved["error_code"].clone()), (json!(0), json!("")));
        assert!(saved["create_at"].as_i64().unwrap() > 0);
        let sooner = schedule(&basic.client, scheduled(&channel, "sooner", at)).await;
        let direct = schedule(&basic.client, scheduled(&id(&basic.dm), "direct", at)).await;
        schedule(&basic.client2, scheduled(&channel, "user2's", at)).await;

        let lists = listed(&basic, &basic.client).await;
        assert_eq!(messages(&lists[basic.team_id()]), ["sooner", "later"]);
        assert_eq!(messages(&lists["directChannels"]), ["direct"]);
        let team_only = basic
            .client
            .get(&format!("/posts/scheduled/team/{}", basic.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(team_only.as_object().unwrap().len(), 1);

        // An update changes the content and time; what identifies the post stays.
        let mut change = saved.clone();
        change["message"] = json!("rewritten");
        change["scheduled_at"] = json!(at + 2);
        change["channel_id"] = json!(id(&basic.dm));
        let updated = basic
            .client
            .put(&format!("/posts/schedule/{}", id(&saved)), change)
            .await
            .expect(201)
            .body;
        assert_eq!(updated["message"], "rewritten");
        assert_eq!(updated["scheduled_at"], at + 2);
        assert_eq!(updated["channel_id"], channel.as_str());
        assert_eq!(updated["create_at"], saved["create_at"]);

        let deleted = basic
            .client
            .delete(&format!("/posts/schedule/{}", id(&sooner)))
            .await
            .expect(201)
            .body;
        assert_eq!(deleted["message"], "sooner");
        basic
            .client
            .delete(&format!("/posts/schedule/{}", id(&direct)))
            .await
            .expect(201);
        let lists = listed(&basic, &basic.client).await;
        assert_eq!(messages(&lists[basic.team_id()]), ["rewritten"]);
        assert_eq!(lists["directChannels"], json!([]));
    }
);

dual_db_test!(
    async fn scheduled_posts_are_checked(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let private = id(&basic.private_channel);
        let at = now_millis() + HOUR;
        let (_outsider, outsider_client) = outsider(&server, &basic).await;
        let mine = schedule(&basic.client, scheduled(&private, "mine", at)).await;
        let path = format!("/posts/schedule/{}", id(&mine));

        // Only where one may post.
        outsider_client
            .post("/posts/schedule", scheduled(&private, "sneaky", at))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // Someone else's scheduled post is theirs.
        let mut taken = mine.clone();
        taken["message"] = json!("taken");
        outsider_client
            .put(&path, taken)
            .await
            .expect_error(403, "app.update_scheduled_post.update_permission.error");
        outsider_client
            .delete(&path)
            .await
            .expect_error(403, "app.delete_scheduled_post.delete_permission.error");
        assert_eq!(messages(&listed(&basic, &basic.client).await[basic.team_id()]), ["mine"]);
        // Another user lists their own, never the caller's.
        assert_eq!(listed(&basic, &outsider_client).await[basic.team_id()], json!([]));
        let (_stranger, stranger_client) = server.create_user(Some(&basic.admin), "stranger").await;
        stranger_client
            .get(&format!("/posts/scheduled/team/{}", basic.team_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // Missing ones.
        let missing = format!("/posts/schedule/{}", "a".repeat(26));
        let mut body = mine.clone();
        body["id"] = json!("a".repeat(26));
        basic
            .client
            .put(&missing, body)
            .await
            .expect_error(404, "app.update_scheduled_post.existing_scheduled_post.not_exist");
        basic
            .client
            .delete(&missing)
            .await
            .expect_error(404, "app.delete_scheduled_post.existing_scheduled_post.not_exist");

        // Bad input.
        for (body, status, error) in [
            (scheduled(&channel, "", at), 400, "model.scheduled_post.is_valid.empty_post.app_error"),
            (
                scheduled(&channel, "past", now_millis() - 60_000),
                400,
                "model.scheduled_post.is_valid.scheduled_at.app_error",
            ),
            (
                scheduled(&channel, &"x".repeat(16_384), at),
                400,
                "model.draft.is_valid.message_length.app_error",
            ),
            (json!({"message": 5}), 400, "api.context.invalid_body_param.app_error"),
        ] {
            basic
                .client
                .post("/posts/schedule", body)
                .await
                .expect_error(status, error);
        }
        basic
            .client
            .put(&path, scheduled(&private, "no id", at))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        let mut past = mine.clone();
        past["scheduled_at"] = json!(1);
        basic
            .client
            .put(&path, past)
            .await
            .expect_error(400, "model.scheduled_post.is_valid.scheduled_at.app_error");
        basic
            .client
            .delete("/posts/schedule/nope")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        // Not in an archived channel.
        basic.client.delete(&format!("/channels/{channel}")).await.expect(200);
        basic
            .client
            .post("/posts/schedule", scheduled(&channel, "late", at))
            .await
            .expect_error(400, "app.save_scheduled_post.channel_deleted.app_error");

        // Off: every route says so.
        configure(&server, |c| c.service_settings.scheduled_posts = false);
        let config = basic.client.get("/config/client?format=old").await.expect(200);
        assert_eq!(config.body["ScheduledPosts"], "false");
        for resp in [
            basic.client.post("/posts/schedule", scheduled(&private, "x", at)).await,
            basic.client.get(&format!("/posts/scheduled/team/{}", basic.team_id())).await,
            basic.client.delete(&path).await,
        ] {
            resp.expect_error(400, "api.scheduled_posts.feature_disabled");
        }
    }
);

dual_db_test!(
    async fn the_job_sends_due_posts_and_records_why_it_cannot(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let private = id(&basic.private_channel);
        let token = basic.client.token.as_deref().unwrap();
        let (mut user_ws, _) = WsClient::connect_ready(&server, token).await;
        let (mut member_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        let root = create_post(&basic.client, &channel, "a thread").await;

        // Due once the root is deleted and the channel archived below.
        let at = now_millis() + 4_000;
        let sent = schedule(&basic.client, scheduled(&channel, "on time", at)).await;
        let archived = schedule(&basic.client, scheduled(&private, "archived", at)).await;
        let mut reply = scheduled(&channel, "a reply", at);
        reply["root_id"] = json!(id(&root));
        let orphan = schedule(&basic.client, reply).await;
        let later = schedule(&basic.client, scheduled(&channel, "later", at + HOUR)).await;
        let created = user_ws.next_event("scheduled_post_created").await;
        assert_eq!(created["broadcast"]["user_id"], basic.user_id());
        let sent_over: Value =
            serde_json::from_str(created["data"]["scheduledPost"].as_str().unwrap()).unwrap();
        assert_eq!(sent_over, sent);
        basic
            .client
            .delete(&format!("/posts/{}", id(&root)))
            .await
            .expect(200);
        basic.client.delete(&format!("/channels/{private}")).await.expect(200);

        // The job (every two seconds) posts the due one as its user, as POST /posts would.
        let until_due = u64::try_from(at - now_millis()).unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(until_due)).await;
        let post = loop {
            let posted = member_ws.next_event("posted").await;
            let post: Value =
                serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
            // Skip the thread's root and the archiving's system message.
            if post["message"] == "on time" {
                break post;
            }
        };
        assert_eq!((post["message"].as_str(), post["user_id"].as_str()), (Some("on time"), Some(basic.user_id())));
        // In whatever order the job took them: one sent (deleted), two failed (updated).
        let (mut gone, mut failed) = (Vec::new(), Vec::new());
        while gone.len() + failed.len() < 3 {
            let e = user_ws.next().await;
            let Some(text) = e["data"]["scheduledPost"].as_str() else { continue };
            let scheduled: Value = serde_json::from_str(text).unwrap();
            match e["event"].as_str().unwrap() {
                "scheduled_post_deleted" => gone.push(scheduled),
                "scheduled_post_updated" => failed.push(scheduled),
                _ => {}
            }
        }
        assert_eq!(gone.len(), 1);
        assert_eq!(id(&gone[0]), id(&sent));
        failed.sort_by_key(|p| p["message"].as_str().unwrap().to_string());
        assert_eq!(failed[0]["message"], "a reply");
        assert_eq!(failed[1]["message"], "archived");
        assert_eq!(newest_posts(&basic.client, &channel).await[0]["message"], "on time");

        // The failures stay, with Mattermost's error codes; the post not due yet waits.
        let lists = listed(&basic, &basic.client).await;
        let by_id = |wanted: &Value| {
            lists[basic.team_id()]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == wanted["id"])
                .cloned()
                .unwrap_or(Value::Null)
        };
        assert_eq!(by_id(&sent), Value::Null);
        assert_eq!(by_id(&archived)["error_code"], "channel_archived");
        assert_eq!(by_id(&orphan)["error_code"], "thread_deleted");
        assert!(by_id(&archived)["processed_at"].as_i64().unwrap() > 0);
        assert_eq!((by_id(&later)["error_code"].clone(), by_id(&later)["processed_at"].clone()), (json!(""), json!(0)));

        // Running the job again sends nothing twice.
        assert!(!utmost_app::scheduled_posts::send_due(&server.app).await.unwrap());
        let on_time = newest_posts(&basic.client, &channel).await;
        assert_eq!(on_time.iter().filter(|p| p["message"] == "on time").count(), 1);

        // A member of the channel heard the post, never the scheduling.
        let heard = member_ws.drain(QUIET).await;
        assert!(
            heard
                .iter()
                .all(|e| !e["event"].as_str().unwrap_or("").starts_with("scheduled_post")),
            "{heard:?}"
        );
    }
);

dual_db_test!(
    async fn a_post_left_claimed_by_a_crash_is_not_sent_again(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let post = schedule(&basic.client, scheduled(&channel, "claimed", now_millis() + HOUR)).await;
        // A process stopped between claiming the post and deleting it.
        let claimed = utmost_store::scheduled_posts::claim(&server.app.store, &id(&post), now_millis())
            .await
            .unwrap();
        assert!(claimed);
        utmost_app::scheduled_posts::send_due(&server.app).await.unwrap();
        let lists = listed(&basic, &basic.client).await;
        assert_eq!(lists[basic.team_id()][0]["error_code"], "unknown");
        assert!(newest_posts(&basic.client, &channel)
            .await
            .iter()
            .all(|p| p["message"] != "claimed"));
    }
);

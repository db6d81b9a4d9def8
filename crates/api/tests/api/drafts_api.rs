//! Drafts: save, list, delete, their checks, `AllowSyncedDrafts`, and their WebSocket events.

use crate::posts_support::{create_post, outsider};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client, Resp};

const QUIET: Duration = Duration::from_millis(400);

fn draft(channel_id: &str, root_id: &str, message: &str) -> Value {
    json!({"channel_id": channel_id, "root_id": root_id, "message": message})
}

async fn save(client: &Client, body: Value) -> Value {
    client.post("/drafts", body).await.expect(201).body
}

async fn listed(client: &Client, team_id: &str) -> Vec<(String, String, String)> {
    let list = client
        .get(&format!("/users/me/teams/{team_id}/drafts"))
        .await
        .expect(200)
        .body;
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().unwrap().to_string();
            (field("channel_id"), field("root_id"), field("message"))
        })
        .collect()
}

/// A request that names the WebSocket connection it comes from, as the web app's do.
async fn from_connection(
    client: &Client,
    method: &str,
    path: &str,
    body: Option<Value>,
    conn: &str,
) -> Resp {
    let mut req = client
        .http
        .request(
            method.parse().unwrap(),
            format!("{}/api/v4{path}", client.base),
        )
        .bearer_auth(client.token.as_deref().unwrap())
        .header("Connection-Id", conn);
    if let Some(body) = body {
        req = req.json(&body);
    }
    Client::read(req.send().await.unwrap()).await
}

fn dm_id(basic: &Basic) -> String {
    id(&basic.dm)
}

dual_db_test!(
    async fn drafts_are_saved_listed_and_deleted(server) {
        let basic = server.init_basic().await;
        let (channel, team) = (basic.channel_id().to_string(), basic.team_id().to_string());
        let root = id(&basic.post);

        let mut body = draft(&channel, "", "hello");
        body["props"] = json!({"key": "value"});
        body["priority"] = json!({"priority": "important", "requested_ack": false});
        body["file_ids"] = json!(["a", "a"]);
        let saved = save(&basic.client, body).await;
        assert_eq!(saved["user_id"], basic.user_id());
        assert_eq!(saved["channel_id"], channel.as_str());
        assert_eq!(saved["root_id"], "");
        assert_eq!(saved["message"], "hello");
        assert_eq!(saved["props"], json!({"key": "value"}));
        assert_eq!(saved["priority"]["priority"], "important");
        assert_eq!(saved["file_ids"], json!(["a"]));
        assert_eq!(saved["delete_at"], 0);
        assert_eq!(saved["metadata"], json!({}));
        let created = saved["create_at"].as_i64().unwrap();
        assert!(created > 0);
        assert_eq!(saved["update_at"], created);

        // Saving again updates the same draft; the client's create_at is kept.
        let mut again = draft(&channel, "", "hello again");
        again["create_at"] = json!(created);
        let updated = save(&basic.client, again).await;
        assert_eq!(updated["create_at"], created);
        assert!(updated["update_at"].as_i64().unwrap() >= created);
        save(&basic.client, draft(&channel, &root, "a reply")).await;
        save(&basic.client, draft(&dm_id(&basic), "", "to user2")).await;
        // The other user's drafts are theirs.
        save(&basic.client2, draft(&channel, "", "user2's")).await;

        let mine = listed(&basic.client, &team).await;
        assert_eq!(
            mine,
            vec![
                (dm_id(&basic), String::new(), "to user2".to_string()),
                (channel.clone(), root.clone(), "a reply".to_string()),
                (channel.clone(), String::new(), "hello again".to_string()),
            ]
        );
        let first = &basic
            .client
            .get(&format!("/users/{}/teams/{team}/drafts", basic.user_id()))
            .await
            .expect(200)
            .body[0];
        assert_eq!(first["metadata"], json!({}));

        // Deleting the thread's draft, then again: both fine.
        for _ in 0..2 {
            basic
                .client
                .delete(&format!("/users/me/channels/{channel}/drafts/{root}"))
                .await
                .expect(200);
        }
        // An empty message deletes the draft and answers null.
        let emptied = basic.client.post("/drafts", draft(&channel, "", "")).await.expect(201);
        assert_eq!(emptied.body, Value::Null);
        assert_eq!(
            listed(&basic.client, &team).await,
            vec![(dm_id(&basic), String::new(), "to user2".to_string())]
        );
        basic
            .client
            .delete(&format!("/users/me/channels/{}/drafts", dm_id(&basic)))
            .await
            .expect(200);
        assert!(listed(&basic.client, &team).await.is_empty());
        assert_eq!(listed(&basic.client2, &team).await.len(), 1);

        // Leaving a channel hides its drafts.
        save(&basic.client2, draft(&dm_id(&basic), "", "dm draft")).await;
        basic
            .client2
            .delete(&format!("/channels/{channel}/members/{}", basic.user2_id()))
            .await
            .expect(200);
        assert_eq!(
            listed(&basic.client2, &team).await,
            vec![(dm_id(&basic), String::new(), "dm draft".to_string())]
        );
    }
);

dual_db_test!(
    async fn drafts_are_checked(server) {
        let basic = server.init_basic().await;
        let (channel, team) = (basic.channel_id().to_string(), basic.team_id().to_string());
        let private = id(&basic.private_channel);
        let (_outsider, outsider_client) = outsider(&server, &basic).await;

        // Only where one may post: not in a private channel one is not in, nor a missing one.
        outsider_client
            .post("/drafts", draft(&private, "", "sneaky"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client
            .post("/drafts", draft(&"a".repeat(26), "", "nowhere"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // Nor in a public channel one has not joined (that takes create_post_public).
        outsider_client
            .post("/drafts", draft(&channel, "", "public"))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // Another user's path: the caller's own drafts, never the named user's.
        save(&basic.client, draft(&private, "", "secret")).await;
        let theirs = outsider_client
            .get(&format!("/users/{}/teams/{team}/drafts", basic.user_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(theirs.as_array().unwrap().len(), 0, "{theirs}");
        outsider_client
            .delete(&format!("/users/{}/channels/{private}/drafts", basic.user_id()))
            .await
            .expect(200);
        assert_eq!(listed(&basic.client, &team).await.len(), 1);
        // A team one is not in.
        let (_stranger, stranger_client) = server.create_user(Some(&basic.admin), "stranger").await;
        stranger_client
            .get(&format!("/users/me/teams/{team}/drafts"))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // Bad input.
        basic
            .client
            .post("/drafts", json!({"message": 5}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic
            .client
            .post("/drafts", draft(&channel, "", &"x".repeat(16_384)))
            .await
            .expect_error(400, "model.draft.is_valid.message_length.app_error");
        save(&basic.client, draft(&channel, "", &"é".repeat(16_383))).await;
        basic
            .client
            .post("/drafts", draft(&channel, "nope", "x"))
            .await
            .expect_error(400, "model.draft.is_valid.root_id.app_error");
        let mut props = draft(&channel, "", "x");
        props["props"] = json!({"big": "x".repeat(8_000)});
        basic
            .client
            .post("/drafts", props)
            .await
            .expect_error(400, "model.draft.is_valid.props.app_error");
        basic
            .client
            .delete(&format!("/users/me/channels/{channel}/drafts/not-alnum"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        basic
            .client
            .delete("/users/me/channels/nope/drafts")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        // Not in an archived channel.
        basic.client.delete(&format!("/channels/{channel}")).await.expect(200);
        basic
            .client
            .post("/drafts", draft(&channel, "", "late"))
            .await
            .expect_error(400, "api.draft.create_draft.can_not_draft_to_deleted.error");
    }
);

dual_db_test!(
    async fn drafts_follow_allow_synced_drafts(server) {
        let basic = server.init_basic().await;
        let (channel, team) = (basic.channel_id().to_string(), basic.team_id().to_string());
        let config = basic.client.get("/config/client?format=old").await.expect(200);
        assert_eq!(config.body["AllowSyncedDrafts"], "true");
        save(&basic.client, draft(&channel, "", "kept")).await;

        configure(&server, |c| c.service_settings.allow_synced_drafts = false);
        let config = basic.client.get("/config/client?format=old").await.expect(200);
        assert_eq!(config.body["AllowSyncedDrafts"], "false");
        for resp in [
            basic.client.post("/drafts", draft(&channel, "", "x")).await,
            basic.client.get(&format!("/users/me/teams/{team}/drafts")).await,
            basic.client.delete(&format!("/users/me/channels/{channel}/drafts")).await,
        ] {
            resp.expect_error(501, "api.drafts.disabled.app_error");
        }
        configure(&server, |c| c.service_settings.allow_synced_drafts = true);
        assert_eq!(listed(&basic.client, &team).await.len(), 1);
    }
);

dual_db_test!(
    async fn draft_events_reach_the_users_other_connections_only(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id().to_string();
        let token = basic.client.token.as_deref().unwrap();
        let (mut saving_ws, hello) = WsClient::connect_ready(&server, token).await;
        let saving_conn = hello["data"]["connection_id"].as_str().unwrap().to_string();
        let (mut other_ws, _) = WsClient::connect_ready(&server, token).await;
        let (mut user2_ws, _) =
            WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        for ws in [&mut saving_ws, &mut other_ws, &mut user2_ws] {
            ws.drain(QUIET).await;
        }

        let saved = from_connection(
            &basic.client,
            "POST",
            "/drafts",
            Some(draft(&channel, "", "synced")),
            &saving_conn,
        )
        .await
        .expect(201)
        .body;
        let created = other_ws.next_event("draft_created").await;
        assert_eq!(created["broadcast"]["user_id"], basic.user_id());
        let sent: Value = serde_json::from_str(created["data"]["draft"].as_str().unwrap()).unwrap();
        assert_eq!(sent, saved);

        from_connection(
            &basic.client,
            "DELETE",
            &format!("/users/me/channels/{channel}/drafts"),
            None,
            &saving_conn,
        )
        .await
        .expect(200);
        let deleted = other_ws.next_event("draft_deleted").await;
        let sent: Value = serde_json::from_str(deleted["data"]["draft"].as_str().unwrap()).unwrap();
        assert_eq!(sent["message"], "synced");
        assert_eq!(sent["channel_id"], channel.as_str());

        // Neither the saving connection nor another member of the channel hears of it.
        create_post(&basic.client, &channel, "a post to hear").await;
        for ws in [&mut saving_ws, &mut user2_ws] {
            let heard = ws.drain(QUIET).await;
            assert!(heard.iter().any(|e| e["event"] == "posted"), "{heard:?}");
            assert!(
                heard
                    .iter()
                    .all(|e| !e["event"].as_str().unwrap_or("").starts_with("draft_")),
                "{heard:?}"
            );
        }
    }
);

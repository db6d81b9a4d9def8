//! A post whose message attachments have buttons and menus: the integration each one calls
//! (its URL and context) stays on the server. The creator's answer, a member's read, the
//! channel's page, a search and the WebSocket event all come without it, while the stored
//! post keeps it for the server's own calls.

use serde_json::{json, Value};
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

const SECRET_URL: &str = "http://ci.internal:9000/deploy-hook";

fn actions(post: &Value) -> &Vec<Value> {
    post["props"]["attachments"][0]["actions"]
        .as_array()
        .unwrap_or_else(|| panic!("no actions: {post}"))
}

fn assert_stripped(post: &Value, seen_by: &str) {
    assert!(post.is_object(), "{seen_by}: no post");
    let actions = actions(post);
    assert_eq!(actions.len(), 2, "{seen_by}: {post}");
    assert_eq!(actions[0]["name"], "Deploy", "{seen_by}");
    assert!(
        actions.iter().all(|a| a.get("integration").is_none()),
        "{seen_by}: {post}"
    );
    assert!(
        !post.to_string().contains("ci.internal"),
        "{seen_by}: {post}"
    );
}

dual_db_test!(
    async fn action_integrations_never_reach_clients(server) {
        let b = server.init_basic().await;
        let channel_id = b.channel["id"].as_str().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let attachment = json!({
            "text": "release 1.2 is ready deployable",
            "actions": [
                {"id": "deploy", "name": "Deploy", "integration": {"url": SECRET_URL, "context": {"token": "hunter2"}}},
                {"id": "env", "name": "Environment", "type": "select",
                 "integration": {"url": SECRET_URL}, "options": [{"text": "prod", "value": "prod"}]}
            ]
        });
        let created = b
            .client
            .post("/posts", json!({"channel_id": channel_id, "message": "deployable", "props": {"attachments": [attachment]}}))
            .await
            .expect(201)
            .body;
        assert_stripped(&created, "the creator's answer");
        let post_id = created["id"].as_str().unwrap();

        let event = ws.next_event("posted").await;
        let posted: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
        assert_stripped(&posted, "the WebSocket event");
        let read = b.client2.get(&format!("/posts/{post_id}")).await.expect(200).body;
        assert_stripped(&read, "a member's read");
        let page = b.client2.get(&format!("/channels/{channel_id}/posts")).await.expect(200).body;
        assert_stripped(&page["posts"][post_id], "the channel's page");
        let team_id = b.team["id"].as_str().unwrap();
        crate::search_posts::wait_indexed(&b.client2, team_id, channel_id).await;
        let found = b
            .client2
            .post(&format!("/teams/{team_id}/posts/search"), json!({"terms": "deployable"}))
            .await
            .expect(200)
            .body;
        assert_stripped(&found["posts"][post_id], "a search");

        // The server still has what its own calls need.
        let stored = utmost_app::posts::get_single(&server.app, post_id, false).await.unwrap();
        let integration = &stored.props["attachments"][0]["actions"][0]["integration"];
        assert_eq!(integration["url"], SECRET_URL);
        assert_eq!(integration["context"]["token"], "hunter2");
    }
);

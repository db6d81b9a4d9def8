//! Interactive messages: a click on a post's button or menu calls the integration (a real
//! receiver on loopback) with the context, the user, the channel and a trigger id, and the
//! integration's answer updates the post or sends the clicker an ephemeral reply. Ephemeral
//! posts' actions carry sealed cookies instead. Who may click, and the SSRF guard.

use crate::interactive_support::{
    action, attachment, click, integration, post_attachments, trigger_parts,
};
use crate::webhooks_support::Receiver;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

fn post_of(event: &Value) -> Value {
    serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap()
}

dual_db_test!(
    async fn a_click_calls_the_integration_and_applies_its_answer(server) {
        let b = server.init_basic().await;
        let answers = json!({"approve": {
            "update": {"message": "Approved by @basicuser2", "props": {"attachments": [
                {"text": "done", "actions": [{"name": "Undo", "integration": {"url": "http://x.invalid", "context": {"k": 1}}}]}
            ]}},
            "ephemeral_text": "You approved <https://ci.example.com/1|build 1>",
            "goto_location": "https://ci.example.com/1"
        }});
        let receiver = integration(&server, answers).await;
        let created = post_attachments(&b.client, b.channel_id(), json!([attachment(&receiver.url("/reply/approve"))])).await;
        let post_id = created["id"].as_str().unwrap();
        // Every action has an id, the menu one the server made.
        assert_eq!(action(&created, 0)["id"], "approve");
        let menu_id = action(&created, 1)["id"].as_str().unwrap().to_string();
        assert_eq!(menu_id.len(), 26, "{created}");
        b.admin.post(&format!("/posts/{post_id}/pin"), json!({})).await.expect(200);

        let (mut clicker_ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let (mut author_ws, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let answer = click(&b.client2, post_id, "approve", json!({})).await.expect(200).body;
        assert_eq!(answer["status"], "OK");
        assert_eq!(answer["goto_location"], "https://ci.example.com/1");

        let sent = receiver.wait_for(1).await[0].json();
        assert_eq!(sent["user_id"], b.user2_id());
        assert_eq!(sent["user_name"], b.user2["username"]);
        assert_eq!(sent["channel_id"], b.channel_id());
        assert_eq!(sent["channel_name"], "basic-channel");
        assert_eq!(sent["team_id"], b.team_id());
        assert_eq!(sent["team_domain"], "basic-team");
        assert_eq!(sent["post_id"], post_id);
        assert_eq!(sent["type"], "button");
        assert_eq!(sent["context"], json!({"secret": "s3", "n": 1}));
        let trigger_id = sent["trigger_id"].as_str().unwrap();
        let (client_trigger_id, user_id, millis) = trigger_parts(trigger_id);
        assert_eq!(client_trigger_id, answer["trigger_id"].as_str().unwrap(), "the client gets its half");
        assert_eq!(user_id, b.user2_id());
        assert!((utmost_model::now_millis() - millis).abs() < 10_000);
        assert_eq!(utmost_app::trigger_id::verify(&server.app, trigger_id).await.unwrap().1, b.user2_id());

        // The update replaced message and props, kept the pin, and gave the new button an id;
        // everyone in the channel hears it, without the integration.
        let edited = post_of(&author_ws.next_event("post_edited").await);
        assert_eq!(edited["message"], "Approved by @basicuser2");
        assert_eq!(edited["is_pinned"], true);
        let undo = action(&edited, 0);
        assert_eq!(undo["name"], "Undo");
        assert_eq!(undo["id"].as_str().unwrap().len(), 26);
        assert!(undo.get("integration").is_none(), "{edited}");
        let stored = utmost_app::posts::get_single(&server.app, post_id, false).await.unwrap();
        assert_eq!(stored.props["attachments"][0]["actions"][0]["integration"]["url"], "http://x.invalid");

        // The ephemeral text goes to the clicker alone, as a reply, Slack links made Markdown.
        let reply = post_of(&clicker_ws.next_event("ephemeral_message").await);
        assert_eq!(reply["message"], "You approved [build 1](https://ci.example.com/1)");
        assert_eq!(reply["root_id"], post_id);
        assert_eq!(reply["channel_id"], b.channel_id());
        assert_eq!(reply["type"], "system_ephemeral");
        let others = author_ws.drain(Duration::from_millis(300)).await;
        assert!(others.iter().all(|e| e["event"] != "ephemeral_message"), "{others:?}");
    }
);

dual_db_test!(
    async fn a_menu_choice_is_sent_with_the_context(server) {
        let b = server.init_basic().await;
        let receiver = integration(&server, json!({})).await;
        let users_menu = json!({"id": "assignee", "name": "Assign", "type": "select", "data_source": "users",
            "integration": {"url": receiver.url("/reply/menu"), "context": {"ticket": 7}}});
        let created = post_attachments(&b.client, b.channel_id(), json!([{"actions": [users_menu]}])).await;
        let post_id = created["id"].as_str().unwrap();
        // An empty answer changes nothing and is fine.
        let answer = click(&b.client2, post_id, "assignee", json!({"selected_option": b.user_id()})).await.expect(200).body;
        assert_eq!(answer["status"], "OK");
        assert!(answer.get("goto_location").is_none(), "{answer}");
        let sent = receiver.wait_for(1).await[0].json();
        assert_eq!(sent["type"], "select");
        assert_eq!(sent["data_source"], "users");
        assert_eq!(sent["context"], json!({"ticket": 7, "selected_option": b.user_id()}));
        let unchanged = b.client.get(&format!("/posts/{post_id}")).await.expect(200).body;
        assert_eq!(unchanged["edit_at"], 0);
    }
);

dual_db_test!(
    async fn an_ephemeral_posts_actions_carry_a_cookie_that_a_click_sends_back(server) {
        let b = server.init_basic().await;
        let receiver = integration(&server, json!({"approve": {"ephemeral_text": "noted"}})).await;
        let (mut ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let sent = b
            .admin
            .post("/posts/ephemeral", json!({"user_id": b.user2_id(), "post": {
                "channel_id": b.channel_id(), "message": "only you",
                "props": {"from_webhook": "true", "attachments": [attachment(&receiver.url("/reply/approve"))]}}}))
            .await
            .expect(201)
            .body;
        let shown = post_of(&ws.next_event("ephemeral_message").await);
        let post_id = shown["id"].as_str().unwrap();
        assert_eq!(sent["id"], shown["id"]);
        for action in [action(&shown, 0), action(&shown, 1)] {
            assert!(action["cookie"].as_str().is_some_and(|c| c.len() > 40), "{shown}");
            assert!(action.get("integration").is_none(), "{shown}");
        }
        assert_eq!(action(&shown, 0)["id"], "approve");
        assert_eq!(action(&shown, 1)["id"].as_str().unwrap().len(), 26, "{shown}");
        assert!(!shown.to_string().contains("127.0.0.1"), "the URL is sealed: {shown}");
        let cookie = action(&shown, 0)["cookie"].as_str().unwrap().to_string();

        click(&b.client2, post_id, "approve", json!({"cookie": cookie})).await.expect(200);
        let request = receiver.wait_for(1).await[0].json();
        assert_eq!(request["post_id"], post_id);
        assert_eq!(request["channel_id"], b.channel_id());
        assert_eq!(request["context"]["secret"], "s3");
        // The reply keeps the retained props and goes to the post's thread.
        let reply = post_of(&ws.next_event("ephemeral_message").await);
        assert_eq!(reply["message"], "noted");
        assert_eq!(reply["root_id"], post_id);
        assert_eq!(reply["props"]["from_webhook"], "true");

        // An altered cookie, or one shown for another post, is refused without a call.
        let mut altered = data_encoding::BASE64.decode(cookie.as_bytes()).unwrap();
        *altered.last_mut().unwrap() ^= 1;
        let altered = data_encoding::BASE64.encode(&altered);
        click(&b.client2, post_id, "approve", json!({"cookie": altered}))
            .await
            .expect_error(400, "api.post.do_action.action_integration.app_error");
        let other_post = utmost_model::new_id();
        click(&b.client2, &other_post, "approve", json!({"cookie": cookie}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A cookie does not let an outsider act in a channel they cannot read.
        let (_, outsider) = server.create_user(Some(&b.admin), "outsider").await;
        click(&outsider, post_id, "approve", json!({"cookie": cookie}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert_eq!(receiver.received().len(), 1);
    }
);

dual_db_test!(
    async fn a_click_needs_read_access_to_the_posts_channel(server) {
        let b = server.init_basic().await;
        let receiver = integration(&server, json!({})).await;
        let secret = b
            .client
            .post("/channels", json!({"team_id": b.team_id(), "name": "secret", "display_name": "Secret", "type": "P"}))
            .await
            .expect(201)
            .body;
        let created = post_attachments(&b.client, secret["id"].as_str().unwrap(), json!([attachment(&receiver.url("/reply/x"))])).await;
        let post_id = created["id"].as_str().unwrap();
        // basicuser2 is in the team but not in the private channel.
        click(&b.client2, post_id, "approve", json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A post that does not exist is refused alike.
        click(&b.client2, &utmost_model::new_id(), "approve", json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        utmost_testkit::Client::new(&server.url)
            .post(&format!("/posts/{post_id}/actions/approve"), json!({}))
            .await
            .expect(401);
        // The member may; an action the post does not have is 404.
        click(&b.client, post_id, "nosuchaction", json!({}))
            .await
            .expect_error(404, "api.post.do_action.action_id.app_error");
        // Mattermost's route takes letters, digits, `_` and `-` only.
        click(&b.client, post_id, "no.such", json!({}))
            .await
            .expect_error(404, "api.context.404.app_error");
        click(&b.client, post_id, "approve", json!({})).await.expect(200);
        assert_eq!(receiver.wait_for(1).await.len(), 1);
        // A body that is not the request is refused.
        b.client
            .request(reqwest::Method::POST, &format!("/posts/{post_id}/actions/approve"), Some(&json!({"selected_option": 5})))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

dual_db_test!(
    async fn an_internal_action_url_is_refused_unless_allowed(server) {
        let b = server.init_basic().await;
        // Not allowed: the loopback receiver is an internal address.
        let receiver = Receiver::start(json!({})).await;
        let created = post_attachments(&b.client, b.channel_id(), json!([attachment(&receiver.url("/reply/x"))])).await;
        let post_id = created["id"].as_str().unwrap();
        click(&b.client2, post_id, "approve", json!({}))
            .await
            .expect_error(400, "api.post.do_action.action_integration.app_error");
        assert!(receiver.received().is_empty());
        // Allowed, a failing integration is still an integration error.
        crate::links_support::allow_internal(&server, "127.0.0.1");
        let failing = post_attachments(&b.client, b.channel_id(), json!([attachment(&receiver.url("/fail"))])).await;
        click(&b.client2, failing["id"].as_str().unwrap(), "approve", json!({}))
            .await
            .expect_error(400, "api.post.do_action.action_integration.app_error");
        click(&b.client2, post_id, "approve", json!({})).await.expect(200);
    }
);

//! Interactive dialogs: an integration opens one with the trigger id of a click (no session:
//! the signed id is the proof), the named user's connections get `open_dialog`, and the
//! user's submission goes to the integration, whose field errors come back.

use crate::interactive_support::{attachment, click, integration, post_attachments};
use crate::webhooks_support::Receiver;
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client, Resp, TestServer};

fn dialog() -> Value {
    json!({
        "callback_id": "cb1",
        "title": "Deploy",
        "introduction_text": "Pick a target",
        "elements": [
            {"display_name": "Name", "name": "name", "type": "text", "max_length": 20},
            {"display_name": "Target", "name": "target", "type": "select",
             "options": [{"text": "Production", "value": "prod"}], "default": "prod"}
        ],
        "submit_label": "Go",
        "notify_on_cancel": true,
        "state": "s1"
    })
}

async fn open(server: &TestServer, trigger_id: &str, url: &str, dialog: Value) -> Resp {
    // The integration calls without a session.
    Client::new(&server.url)
        .post(
            "/actions/dialogs/open",
            json!({"trigger_id": trigger_id, "url": url, "dialog": dialog}),
        )
        .await
}

dual_db_test!(
    async fn an_integration_opens_a_dialog_for_the_user_who_clicked(server) {
        let b = server.init_basic().await;
        let receiver = integration(&server, json!({})).await;
        let created = post_attachments(&b.client, b.channel_id(), json!([attachment(&receiver.url("/reply/click"))])).await;
        let (mut clicker_ws, _) = WsClient::connect_ready(&server, b.client2.token.as_deref().unwrap()).await;
        let (mut other_ws, _) = WsClient::connect_ready(&server, b.client.token.as_deref().unwrap()).await;
        let answer = click(&b.client2, created["id"].as_str().unwrap(), "approve", json!({})).await.expect(200).body;
        let trigger_id = receiver.wait_for(1).await[0].json()["trigger_id"].as_str().unwrap().to_string();

        let opened = open(&server, &trigger_id, "http://127.0.0.1:1/submit", dialog()).await.expect(200).body;
        assert_eq!(opened["status"], "OK");
        let event = clicker_ws.next_event("open_dialog").await;
        assert_eq!(event["broadcast"]["user_id"], b.user2_id());
        let shown: Value = serde_json::from_str(event["data"]["dialog"].as_str().unwrap()).unwrap();
        assert_eq!(shown["trigger_id"], answer["trigger_id"], "the client's half, as the click answered");
        assert_eq!(shown["url"], "http://127.0.0.1:1/submit");
        assert_eq!(shown["dialog"]["title"], "Deploy");
        assert_eq!(shown["dialog"]["elements"][1]["options"][0]["value"], "prod");
        assert_eq!(shown["dialog"]["notify_on_cancel"], true);
        let others = other_ws.drain(Duration::from_millis(300)).await;
        assert!(others.iter().all(|e| e["event"] != "open_dialog"), "{others:?}");

        // Mattermost opens a dialog that fails its checks all the same (and logs why).
        let invalid = json!({"title": "A title far longer than twenty-four", "elements": [
            {"display_name": "X", "name": "x", "type": "nonsense"}]});
        open(&server, &trigger_id, "http://127.0.0.1:1/submit", invalid).await.expect(200);
        let event = clicker_ws.next_event("open_dialog").await;
        assert!(event["data"]["dialog"].as_str().unwrap().contains("nonsense"));
    }
);

dual_db_test!(
    async fn a_dialog_needs_a_valid_fresh_trigger_id_and_a_url(server) {
        let b = server.init_basic().await;
        let (_, fresh) = utmost_app::trigger_id::generate(&server.app, b.user2_id()).await.unwrap();
        open(&server, "not base64!", "http://x.example", dialog())
            .await
            .expect_error(400, "interactive_message.decode_trigger_id.base64_decode_failed");
        let parts = data_encoding::BASE64.encode(b"only:three:parts");
        open(&server, &parts, "http://x.example", dialog())
            .await
            .expect_error(400, "interactive_message.decode_trigger_id.missing_data");
        // Another user's id in a signed trigger id does not verify.
        let decoded = String::from_utf8(data_encoding::BASE64.decode(fresh.as_bytes()).unwrap()).unwrap();
        let forged = decoded.replace(b.user2_id(), b.user_id());
        let forged = data_encoding::BASE64.encode(forged.as_bytes());
        open(&server, &forged, "http://x.example", dialog())
            .await
            .expect_error(400, "interactive_message.decode_trigger_id.verify_signature_failed");
        open(&server, &fresh, "", dialog())
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        Client::new(&server.url)
            .post("/actions/dialogs/open", json!({"trigger_id": 5}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        open(&server, &fresh, "http://x.example", dialog()).await.expect(200);
        // Three seconds later it has expired.
        tokio::time::sleep(Duration::from_millis(3_200)).await;
        open(&server, &fresh, "http://x.example", dialog())
            .await
            .expect_error(400, "interactive_message.decode_trigger_id.expired");
    }
);

dual_db_test!(
    async fn a_submission_reaches_the_integration_and_its_errors_come_back(server) {
        let b = server.init_basic().await;
        let receiver = integration(
            &server,
            json!({"errors": {"error": "Try again", "errors": {"name": "That name is taken"}}}),
        )
        .await;
        let submission = json!({
            "url": receiver.url("/reply/errors"), "callback_id": "cb1", "state": "s1",
            "user_id": b.user_id(), "channel_id": b.channel_id(), "team_id": b.team_id(),
            "submission": {"name": "taken", "target": "prod", "ok": true}, "cancelled": false
        });
        let answer = b.client2.post("/actions/dialogs/submit", submission.clone()).await.expect(200).body;
        assert_eq!(answer, json!({"error": "Try again", "errors": {"name": "That name is taken"}}));
        let sent = receiver.wait_for(1).await[0].clone();
        assert_eq!(sent.content_type, "application/json");
        let sent = sent.json();
        assert_eq!(sent["type"], "dialog_submission");
        assert_eq!(sent["user_id"], b.user2_id(), "the session's user, whatever the body says");
        assert_eq!(sent["callback_id"], "cb1");
        assert_eq!(sent["state"], "s1");
        assert_eq!(sent["channel_id"], b.channel_id());
        assert_eq!(sent["team_id"], b.team_id());
        assert_eq!(sent["submission"], json!({"name": "taken", "target": "prod", "ok": true}));
        assert_eq!(sent["cancelled"], false);
        assert!(sent.get("url").is_none(), "{sent}");

        // A cancellation is sent as such; an empty answer is no error.
        let mut cancel = submission.clone();
        cancel["url"] = json!(receiver.url("/reply/cancelled"));
        cancel["cancelled"] = json!(true);
        cancel["submission"] = json!({});
        let answer = b.client2.post("/actions/dialogs/submit", cancel).await.expect(200).body;
        assert_eq!(answer, json!({}));
        assert_eq!(receiver.wait_for(2).await[1].json()["cancelled"], true);

        // A failing integration is an integration error.
        let mut failing = submission.clone();
        failing["url"] = json!(receiver.url("/fail"));
        b.client2
            .post("/actions/dialogs/submit", failing)
            .await
            .expect_error(400, "api.post.do_action.action_integration.app_error");
    }
);

dual_db_test!(
    async fn a_submission_needs_the_channel_and_team_and_an_allowed_url(server) {
        let b = server.init_basic().await;
        let receiver = Receiver::start(json!({})).await;
        let body = |channel_id: &str, team_id: &str, url: &str| {
            json!({"url": url, "callback_id": "cb", "channel_id": channel_id, "team_id": team_id, "submission": {}})
        };
        let url = receiver.url("/reply/ok");
        // Not allowed to reach loopback yet.
        b.client2
            .post("/actions/dialogs/submit", body(b.channel_id(), b.team_id(), &url))
            .await
            .expect_error(400, "api.post.do_action.action_integration.app_error");
        assert!(receiver.received().is_empty());
        crate::links_support::allow_internal(&server, "127.0.0.1");
        b.client2
            .post("/actions/dialogs/submit", body(b.channel_id(), b.team_id(), &url))
            .await
            .expect(200);

        let (_, outsider) = server.create_user(Some(&b.admin), "outsider").await;
        outsider
            .post("/actions/dialogs/submit", body(b.channel_id(), b.team_id(), &url))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let private = b.private_channel["id"].as_str().unwrap();
        let (_, teammate) = server.create_user(Some(&b.admin), "teammate").await;
        b.admin
            .post(&format!("/teams/{}/members", b.team_id()), json!({"team_id": b.team_id(), "user_id": crate::support::id(&teammate.get("/users/me").await.body)}))
            .await
            .expect(201);
        teammate
            .post("/actions/dialogs/submit", body(private, b.team_id(), &url))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // The channel is readable but the team named is not the user's.
        let other_team = b.second_team().await;
        b.client2
            .post("/actions/dialogs/submit", body(b.channel_id(), &other_team, &url))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        b.client2
            .post("/actions/dialogs/submit", body(b.channel_id(), b.team_id(), ""))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        Client::new(&server.url)
            .post("/actions/dialogs/submit", body(b.channel_id(), b.team_id(), &url))
            .await
            .expect(401);
        assert_eq!(receiver.received().len(), 1);
    }
);

//! Custom commands against a real integration on loopback: Mattermost's form fields by POST
//! and by GET with the token header, ephemeral and in-channel responses, extra responses,
//! `goto_location`, a plain-text answer, a failing integration, the response URL's delayed
//! responses (and their limit), and the SSRF guard.

use crate::commands_support::{allow_integrations, create_command, execute, Integration};
use crate::posts_support::newest_posts;
use crate::support::configure;
use serde_json::{json, Value};
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

async fn has_post(basic: &utmost_testkit::Basic, message: &str) -> Option<Value> {
    newest_posts(&basic.admin, basic.channel_id())
        .await
        .into_iter()
        .find(|p| p["message"] == message)
}

dual_db_test!(
    async fn a_post_command_gets_mattermosts_fields_and_its_in_channel_answer_is_posted(server) {
        let basic = server.init_basic().await;
        allow_integrations(&server);
        let integration = Integration::start(json!({
            "deploy": {
                "response_type": "in_channel",
                "text": "deployed <http://ci.example/1|build 1>",
                "username": "deploybot",
                "props": {"build": 1},
                "extra_responses": [{"response_type": "in_channel", "text": "second"}],
                "goto_location": "http://ci.example/1"
            }
        }))
        .await;
        let command = create_command(&basic, "deploy", &integration.url("deploy"), "P").await;
        let answer = execute(&basic.client, &basic, "/Deploy  now please").await.expect(200).body;
        assert_eq!(answer["goto_location"], "http://ci.example/1");
        assert!(!answer["trigger_id"].as_str().unwrap().is_empty());

        let calls = integration.calls();
        assert_eq!(calls.len(), 1);
        let call = &calls[0];
        assert_eq!(call.method, "POST");
        assert_eq!(call.content_type, "application/x-www-form-urlencoded");
        assert_eq!(call.authorization, format!("Token {}", command["token"].as_str().unwrap()));
        let fields = call.fields();
        assert_eq!(fields["token"], command["token"].as_str().unwrap());
        assert_eq!(fields["team_id"], basic.team_id());
        assert_eq!(fields["team_domain"], basic.team["name"].as_str().unwrap());
        assert_eq!(fields["channel_id"], basic.channel_id());
        assert_eq!(fields["channel_name"], basic.channel["name"].as_str().unwrap());
        assert_eq!(fields["user_id"], basic.user_id());
        assert_eq!(fields["user_name"], basic.user["username"].as_str().unwrap());
        assert_eq!(fields["command"], "/deploy");
        assert_eq!(fields["text"], " now please");
        assert!(!fields["trigger_id"].is_empty());
        assert!(fields["response_url"].starts_with(&format!("{}/hooks/commands/", server.url)));

        let post = has_post(&basic, "deployed [build 1](http://ci.example/1)").await.expect("the answer");
        assert_eq!(post["user_id"], basic.user_id());
        assert_eq!(post["props"]["from_webhook"], "true");
        assert_eq!(post["props"]["build"], 1);
        // Overrides are off by default: no name override.
        assert!(post["props"].get("override_username").is_none());
        assert!(has_post(&basic, "second").await.is_some());
    }
);

dual_db_test!(
    async fn a_get_command_sends_its_fields_on_the_query_and_an_ephemeral_answer_reaches_only_the_user(server) {
        let basic = server.init_basic().await;
        allow_integrations(&server);
        configure(&server, |c| c.service_settings.enable_post_username_override = true);
        let integration = Integration::start(json!({
            "weather": {"text": "sunny", "username": "sky"},
            "plain": "just text"
        }))
        .await;
        create_command(&basic, "weather", &integration.url("weather"), "G").await;
        create_command(&basic, "plain", &integration.url("plain"), "P").await;
        let (mut ws, _) = WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        execute(&basic.client, &basic, "/weather paris").await.expect(200);
        let call = &integration.calls()[0];
        assert_eq!(call.method, "GET");
        assert!(call.body.is_empty());
        assert_eq!(call.fields()["text"], "paris");
        let event = ws.next_event("ephemeral_message").await;
        let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(post["message"], "sunny");
        assert_eq!(post["type"], "system_ephemeral");
        assert_eq!(post["props"]["override_username"], "sky");
        assert!(has_post(&basic, "sunny").await.is_none());

        execute(&basic.client, &basic, "/plain").await.expect(200);
        let event = ws.next_event("ephemeral_message").await;
        let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
        assert_eq!(post["message"], "just text");
    }
);

dual_db_test!(
    async fn a_failing_or_unknown_command_is_refused_as_mattermost_does(server) {
        let basic = server.init_basic().await;
        allow_integrations(&server);
        let integration = Integration::start(json!({})).await;
        create_command(&basic, "broken", &integration.url("missing"), "P").await;
        execute(&basic.client, &basic, "/broken")
            .await
            .expect_error(500, "api.command.execute_command.failed_resp.app_error");
        execute(&basic.client, &basic, "/nosuch x")
            .await
            .expect_error(404, "api.command.execute_command.not_found.app_error");
        execute(&basic.client, &basic, "nothing")
            .await
            .expect_error(400, "api.command.execute_command.start.app_error");
        // Someone who may not post in the channel.
        let (_, stranger) = server.create_user(Some(&basic.admin), "stranger").await;
        execute(&stranger, &basic, "/echo hi").await.expect(403);
        // The site URL is required for the response URL.
        configure(&server, |c| c.service_settings.site_url = String::new());
        execute(&basic.client, &basic, "/broken")
            .await
            .expect_error(400, "api.command.execute_command.site_url_required.app_error");
    }
);

dual_db_test!(
    async fn a_command_url_to_an_internal_address_is_refused_by_the_outgoing_guard(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| c.service_settings.site_url = "http://localhost:8065".into());
        let integration = Integration::start(json!({"x": {"text": "never"}})).await;
        create_command(&basic, "internal", &integration.url("x"), "P").await;
        execute(&basic.client, &basic, "/internal")
            .await
            .expect_error(500, "api.command.execute_command.failed.app_error");
        assert!(integration.calls().is_empty(), "the guard let a call through");
    }
);

dual_db_test!(
    async fn the_response_url_takes_delayed_responses_five_times(server) {
        let basic = server.init_basic().await;
        allow_integrations(&server);
        let integration = Integration::start(json!({"later": {"text": ""}})).await;
        create_command(&basic, "later", &integration.url("later"), "P").await;
        execute(&basic.client, &basic, "/later").await.expect(200);
        let response_url = integration.calls()[0].fields()["response_url"].clone();
        let http = reqwest::Client::new();
        for n in 0..5 {
            let resp = http
                .post(&response_url)
                .json(&json!({"response_type": "in_channel", "text": format!("delayed {n}")}))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            assert_eq!(resp.text().await.unwrap(), "ok");
        }
        let post = has_post(&basic, "delayed 4").await.expect("the delayed post");
        assert_eq!(post["user_id"], basic.user_id());
        let sixth = http.post(&response_url).json(&json!({"text": "x"})).send().await.unwrap();
        assert_eq!(sixth.status(), 400);
        let body: Value = sixth.json().await.unwrap();
        assert_eq!(body["id"], "app.command_webhook.try_use.invalid");
        let unknown = http
            .post(format!("{}/hooks/commands/{}", server.url, "a".repeat(26)))
            .json(&json!({"text": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);
        let unparsable = http
            .post(&response_url)
            .header("content-type", "application/json")
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(unparsable.status(), 400);
    }
);

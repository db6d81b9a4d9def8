//! Outgoing webhooks against a real HTTP receiver on loopback: the exact payload in both
//! content types, the token, trigger words (exact and starts-with, channel and team
//! scope), the answer posted back (as a reply with `response_type: comment`), a receiver
//! that fails (tried a bounded number of times, nothing posted), the SSRF guard, and
//! `/hooks/outgoing`'s management with an outsider test for every route.

use crate::posts_support::{create_post, newest_posts};
use crate::support::{configure, id};
use crate::webhooks_support::{eventually, make_team_admin, Receiver};
use serde_json::{json, Value};
use std::time::Duration;
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

fn allow_loopback(server: &TestServer) {
    configure(server, |c| {
        c.service_settings.allowed_untrusted_internal_connections = "127.0.0.1".into();
    });
}

async fn create_hook(client: &Client, body: Value) -> Value {
    client.post("/hooks/outgoing", body).await.expect(201).body
}

/// Waits for a post in the channel, other than `except`, whose message is `message`.
async fn wait_for_post(basic: &Basic, channel_id: &str, message: &str) -> Value {
    let mut found = Value::Null;
    let seen = eventually(|| {
        let admin = basic.admin.clone();
        let channel_id = channel_id.to_string();
        async move {
            newest_posts(&admin, &channel_id)
                .await
                .iter()
                .any(|p| p["message"] == message)
        }
    })
    .await;
    assert!(seen, "no post {message:?} appeared");
    for post in newest_posts(&basic.admin, channel_id).await {
        if post["message"] == message {
            found = post;
            break;
        }
    }
    found
}

dual_db_test!(
    async fn a_json_hook_gets_the_exact_payload_and_its_answer_is_posted_back(server) {
        let basic = server.init_basic().await;
        allow_loopback(&server);
        let receiver = Receiver::start(json!({
            "answer": {
                "text": "deployed <!channel> see <http://ci.example/1|build 1>",
                "response_type": "comment",
                "username": "deploybot",
                "props": {"build": 1},
                "attachments": [{"color": "good", "text": "all <http://ci.example|green>"}]
            }
        }))
        .await;
        let hook = create_hook(
            &basic.admin,
            json!({
                "team_id": basic.team_id(),
                "channel_id": basic.channel_id(),
                "trigger_words": ["deploy"],
                "trigger_when": 0,
                "callback_urls": [receiver.url("/reply/answer")],
                "content_type": "application/json",
                "display_name": "Deployer"
            }),
        )
        .await;
        assert_eq!(hook["token"].as_str().unwrap().len(), 26);
        assert_eq!(hook["creator_id"], basic.admin_user["id"]);

        // Not the first word: nothing is sent.
        create_post(&basic.client, basic.channel_id(), "please deploy").await;
        let post = create_post(&basic.client, basic.channel_id(), "deploy  the thing").await;
        let got = receiver.wait_for(1).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let got_all = receiver.received();
        assert_eq!(got_all.len(), 1, "{got:?}");
        let call = &got_all[0];
        assert_eq!(call.path, "/reply/answer");
        assert_eq!(call.content_type, "application/json");
        assert_eq!(call.accept, "application/json");
        assert_eq!(
            call.json(),
            json!({
                "token": hook["token"],
                "team_id": basic.team_id(),
                "team_domain": "basic-team",
                "channel_id": basic.channel_id(),
                "channel_name": "basic-channel",
                "timestamp": post["create_at"],
                "user_id": basic.user_id(),
                "user_name": "basicuser",
                "post_id": post["id"],
                "text": "deploy  the thing",
                "trigger_word": "deploy",
                "file_ids": ""
            })
        );

        // The answer, as a reply in the post's thread, from the hook's creator.
        let reply = wait_for_post(
            &basic,
            basic.channel_id(),
            "deployed @channel see [build 1](http://ci.example/1)",
        )
        .await;
        assert_eq!(reply["root_id"], post["id"]);
        assert_eq!(reply["user_id"], basic.admin_user["id"]);
        assert_eq!(reply["type"], "slack_attachment");
        assert_eq!(reply["props"]["from_webhook"], "true");
        assert_eq!(reply["props"]["webhook_display_name"], "Deployer");
        assert_eq!(reply["props"]["build"], 1);
        assert_eq!(reply["props"]["attachments"][0]["text"], "all [green](http://ci.example)");
        assert_eq!(reply["props"]["attachments"][0]["color"], "good");
        // Overrides are off: the answer's username is not shown.
        assert_eq!(reply["props"].get("override_username"), None);
        // The answer, being a webhook post, triggers nothing itself.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.received().len(), 1);

        // A new token is sent once regenerated.
        let regen = basic
            .admin
            .post(&format!("/hooks/outgoing/{}/regen_token", id(&hook)), json!({}))
            .await
            .expect(200)
            .body;
        assert_ne!(regen["token"], hook["token"]);
        create_post(&basic.client, basic.channel_id(), "deploy again").await;
        let got = receiver.wait_for(2).await;
        assert_eq!(got[1].json()["token"], regen["token"]);
    }
);

dual_db_test!(
    async fn a_form_hook_gets_the_payload_as_form_fields(server) {
        let basic = server.init_basic().await;
        allow_loopback(&server);
        configure(&server, |c| c.service_settings.enable_post_username_override = true);
        let receiver = Receiver::start(json!({"answer": {"text": "form answer"}})).await;
        let hook = create_hook(
            &basic.admin,
            json!({
                "team_id": basic.team_id(),
                "trigger_words": ["!stat"],
                "trigger_when": 1,
                "callback_urls": [receiver.url("/reply/answer")],
                "content_type": "application/x-www-form-urlencoded",
                "username": "stats"
            }),
        )
        .await;
        // Team scope with starts-with: any public channel of the team, `!status` matches.
        let other = basic
            .client
            .post(
                "/channels",
                json!({"team_id": basic.team_id(), "name": "other-pub", "display_name": "Other", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let post = create_post(&basic.client, &id(&other), "!status & more=yes").await;
        // Private channels never trigger.
        create_post(&basic.client, &id(&basic.private_channel), "!status").await;
        let got = receiver.wait_for(1).await;
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].content_type, "application/x-www-form-urlencoded");
        let seconds = (post["create_at"].as_i64().unwrap() / 1000).to_string();
        let expected: Vec<(String, String)> = [
            ("token", hook["token"].as_str().unwrap()),
            ("team_id", basic.team_id()),
            ("team_domain", "basic-team"),
            ("channel_id", &id(&other)),
            ("channel_name", "other-pub"),
            ("timestamp", &seconds),
            ("user_id", basic.user_id()),
            ("user_name", "basicuser"),
            ("post_id", post["id"].as_str().unwrap()),
            ("text", "!status & more=yes"),
            ("trigger_word", "!stat"),
            ("file_ids", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut form = got[0].form();
        form.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(form, expected);
        // A plain post in the channel (no comment), with the hook's name as override.
        let answer = wait_for_post(&basic, &id(&other), "form answer").await;
        assert_eq!(answer["root_id"], "");
        assert_eq!(answer["props"]["override_username"], "stats");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(receiver.received().len(), 1);
    }
);

dual_db_test!(
    async fn a_failing_receiver_is_tried_a_bounded_number_of_times(server) {
        let basic = server.init_basic().await;
        allow_loopback(&server);
        let receiver = Receiver::start(json!({"answer": {"text": "still here"}})).await;
        create_hook(
            &basic.admin,
            json!({
                "team_id": basic.team_id(),
                "channel_id": basic.channel_id(),
                "callback_urls": [receiver.url("/fail"), receiver.url("/reply/answer")],
                "content_type": "application/json"
            }),
        )
        .await;
        // A channel hook without trigger words fires on every post of its channel.
        create_post(&basic.client, basic.channel_id(), "anything at all").await;
        // The other callback still answers.
        wait_for_post(&basic, basic.channel_id(), "still here").await;
        // (Only this post's calls count: init_basic's post, queued before the hook existed,
        // may find it when its turn comes.)
        let of_this_post = |got: &[crate::webhooks_support::Received]| -> Vec<String> {
            got.iter()
                .filter(|r| r.json()["text"] == "anything at all")
                .map(|r| r.path.clone())
                .collect()
        };
        assert!(eventually(|| {
            let n = of_this_post(&receiver.received()).len();
            async move { n >= 4 }
        })
        .await);
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut paths = of_this_post(&receiver.received());
        paths.sort();
        assert_eq!(paths, ["/fail", "/fail", "/fail", "/reply/answer"], "three tries, then given up");
        // The post went through at once, and nothing came of the failures.
        let posts = newest_posts(&basic.admin, basic.channel_id()).await;
        let answers = posts.iter().filter(|p| p["props"]["from_webhook"] == "true");
        assert!(answers.clone().count() >= 1);
        assert!(answers.into_iter().all(|p| p["message"] == "still here"));
    }
);

dual_db_test!(
    async fn internal_callbacks_are_refused_unless_allowed(server) {
        let basic = server.init_basic().await;
        let receiver = Receiver::start(json!({"answer": {"text": "should not appear"}})).await;
        create_hook(
            &basic.admin,
            json!({
                "team_id": basic.team_id(),
                "channel_id": basic.channel_id(),
                "callback_urls": [receiver.url("/reply/answer")]
            }),
        )
        .await;
        create_post(&basic.client, basic.channel_id(), "hello").await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(receiver.received().is_empty(), "a loopback callback was called");
        // Turned off: nothing is called even when allowed.
        configure(&server, |c| {
            c.service_settings.allowed_untrusted_internal_connections = "127.0.0.1".into();
            c.service_settings.enable_outgoing_webhooks = false;
        });
        create_post(&basic.client, basic.channel_id(), "hello again").await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert!(receiver.received().is_empty());
        basic
            .admin
            .get(&format!("/hooks/outgoing?team_id={}", basic.team_id()))
            .await
            .expect_error(501, "api.outgoing_webhook.disabled.app_error");
    }
);

dual_db_test!(
    async fn management_needs_the_permissions_and_checks_the_hook(server) {
        let basic = server.init_basic().await;
        let url = "http://callback.example/hook";
        let hook = create_hook(
            &basic.admin,
            json!({"team_id": basic.team_id(), "channel_id": basic.channel_id(), "callback_urls": [url], "trigger_words": ["a"]}),
        )
        .await;
        let hook_id = id(&hook);
        let path = format!("/hooks/outgoing/{hook_id}");
        let team_list = format!("/hooks/outgoing?team_id={}", basic.team_id());

        // A member without `manage_outgoing_webhooks`: every route is 403.
        let user = &basic.client;
        for resp in [
            user.post("/hooks/outgoing", json!({"team_id": basic.team_id(), "trigger_words": ["b"], "callback_urls": [url]})).await,
            user.get(&team_list).await,
            user.get(&format!("/hooks/outgoing?channel_id={}", basic.channel_id())).await,
            user.get("/hooks/outgoing").await,
            user.get(&path).await,
            user.put(&path, json!({"id": hook_id, "trigger_words": ["c"], "callback_urls": [url]})).await,
            user.post(&format!("{path}/regen_token"), json!({})).await,
            user.delete(&path).await,
        ] {
            resp.expect_error(403, "api.context.permissions.app_error");
        }
        server.client().get(&path).await.expect(401);

        // The checks of the hook itself.
        let admin = &basic.admin;
        admin
            .post("/hooks/outgoing", json!({"team_id": basic.team_id(), "callback_urls": [url]}))
            .await
            .expect_error(400, "api.webhook.create_outgoing.triggers.app_error");
        admin
            .post(
                "/hooks/outgoing",
                json!({"team_id": basic.team_id(), "channel_id": id(&basic.private_channel), "callback_urls": [url]}),
            )
            .await
            .expect_error(403, "api.outgoing_webhook.disabled.app_error");
        admin
            .post(
                "/hooks/outgoing",
                json!({"team_id": basic.team_id(), "trigger_words": ["x"], "callback_urls": ["ftp://nope"]}),
            )
            .await
            .expect_error(400, "model.outgoing_hook.is_valid.url.app_error");
        admin
            .post(
                "/hooks/outgoing",
                json!({"team_id": basic.team_id(), "trigger_words": ["x"], "callback_urls": []}),
            )
            .await
            .expect_error(400, "model.outgoing_hook.is_valid.callback.app_error");
        admin
            .post(
                "/hooks/outgoing",
                json!({"team_id": basic.team_id(), "channel_id": basic.channel_id(), "trigger_words": ["a", "z"], "callback_urls": [url]}),
            )
            .await
            .expect_error(500, "api.webhook.create_outgoing.intersect.app_error");

        // A team admin manages others' hooks of the team.
        make_team_admin(&basic.admin, basic.team_id(), basic.user2_id()).await;
        let admin2 = &basic.client2;
        let listed = admin2.get(&team_list).await.expect(200).body;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let by_channel = admin2
            .get(&format!("/hooks/outgoing?channel_id={}", basic.channel_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(by_channel[0]["id"], hook_id.as_str());
        let updated = admin2
            .put(
                &path,
                json!({"id": hook_id, "channel_id": basic.channel_id(), "trigger_words": ["b"], "trigger_when": 1, "callback_urls": [url], "display_name": "renamed"}),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(updated["display_name"], "renamed");
        assert_eq!(updated["trigger_words"], json!(["b"]));
        assert_eq!(updated["trigger_when"], 1);
        assert_eq!(updated["creator_id"], basic.admin_user["id"]);
        assert_eq!(updated["token"], hook["token"]);
        let got = admin2.get(&path).await.expect(200).body;
        assert_eq!(got, updated);
        admin2
            .put(&path, json!({"id": hook_id, "trigger_words": [], "callback_urls": [url]}))
            .await
            .expect_error(500, "api.webhook.create_outgoing.triggers.app_error");

        // Another team's hook is out of reach and out of its lists.
        let team_two = basic.second_team().await;
        let far = create_hook(
            &basic.admin,
            json!({"team_id": team_two, "trigger_words": ["far"], "callback_urls": [url]}),
        )
        .await;
        let far_path = format!("/hooks/outgoing/{}", id(&far));
        admin2.get(&far_path).await.expect_error(403, "api.context.permissions.app_error");
        admin2
            .post(&format!("{far_path}/regen_token"), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin2.delete(&far_path).await.expect_error(403, "api.context.permissions.app_error");
        admin2
            .get(&format!("/hooks/outgoing?team_id={team_two}"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin2
            .put(&path, json!({"id": hook_id, "team_id": team_two, "trigger_words": ["b"], "callback_urls": [url]}))
            .await
            .expect_error(400, "api.webhook.team_mismatch.app_error");
        let all = basic.admin.get("/hooks/outgoing").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 2);
        admin2.delete(&path).await.expect(200);
        admin2.get(&path).await.expect_error(404, "app.webhooks.get_outgoing.app_error");
    }
);

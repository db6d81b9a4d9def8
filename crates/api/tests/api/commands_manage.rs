//! `/commands` management: create, list (custom only or with the built-ins), get, update,
//! move, regenerate the token, delete; Mattermost's checks with an outsider test for every
//! route, and `EnableCommands` off.

use crate::commands_support::create_command;
use crate::support::configure;
use serde_json::json;
use utmost_testkit::dual_db_test;

const URL: &str = "http://example.com/command";

dual_db_test!(
    async fn a_command_is_managed_by_its_team_and_hidden_from_outsiders(server) {
        let basic = server.init_basic().await;
        let team_two = basic.second_team().await;
        let created = create_command(&basic, "Deploy", URL, "P").await;
        let id = created["id"].as_str().unwrap().to_string();
        assert_eq!(created["trigger"], "deploy");
        assert_eq!(created["token"].as_str().unwrap().len(), 26);
        assert_eq!(created["creator_id"], basic.admin_user["id"]);

        // The same trigger again, or a built-in's, is refused.
        let dup = json!({"team_id": basic.team_id(), "trigger": "deploy", "url": URL, "method": "P"});
        basic.admin.post("/commands", dup).await.expect_error(400, "api.command.duplicate_trigger.app_error");
        let builtin = json!({"team_id": basic.team_id(), "trigger": "echo", "url": URL, "method": "P"});
        basic.admin.post("/commands", builtin).await.expect_error(400, "api.command.duplicate_trigger.app_error");
        let bad = json!({"team_id": basic.team_id(), "trigger": "x", "url": "ftp://x", "method": "P"});
        basic.admin.post("/commands", bad).await.expect_error(400, "model.command.is_valid.url_http.app_error");

        // A plain member may not manage commands (Mattermost's default roles).
        let outsider = json!({"team_id": basic.team_id(), "trigger": "mine", "url": URL, "method": "P"});
        basic.client.post("/commands", outsider).await.expect(403);
        basic.client.get(&format!("/commands/{id}")).await.expect_error(404, "store.sql_command.save.get.app_error");
        let update = json!({"id": id, "team_id": basic.team_id(), "trigger": "deploy2", "url": URL, "method": "G"});
        basic.client.put(&format!("/commands/{id}"), update.clone()).await.expect(404);
        basic.client.put(&format!("/commands/{id}/regen_token"), json!({})).await.expect(404);
        basic.client.put(&format!("/commands/{id}/move"), json!({"team_id": basic.team_id()})).await.expect(403);
        basic.client.delete(&format!("/commands/{id}")).await.expect(404);
        basic
            .client
            .get(&format!("/commands?team_id={}&custom_only=true", basic.team_id()))
            .await
            .expect(403);
        // Without manage rights the list is the autocomplete list, sanitized.
        let listed = basic.client.get(&format!("/commands?team_id={}", basic.team_id())).await.expect(200).body;
        let deploy = listed.as_array().unwrap().iter().find(|c| c["trigger"] == "deploy").unwrap().clone();
        assert_eq!(deploy["token"], "");
        assert_eq!(deploy["url"], "");
        assert!(listed.as_array().unwrap().iter().any(|c| c["trigger"] == "echo"));
        basic.client.get("/commands").await.expect_error(400, "api.context.invalid_body_param.app_error");
        let (_, stranger) = server.create_user(Some(&basic.admin), "stranger").await;
        stranger.get(&format!("/commands?team_id={}", basic.team_id())).await.expect(403);
        stranger.get(&format!("/teams/{}/commands/autocomplete", basic.team_id())).await.expect(403);

        // The admin reads, updates, regenerates, moves and deletes.
        let got = basic.admin.get(&format!("/commands/{id}")).await.expect(200).body;
        assert_eq!(got["token"], created["token"]);
        let updated = basic.admin.put(&format!("/commands/{id}"), update).await.expect(200).body;
        assert_eq!(updated["trigger"], "deploy2");
        assert_eq!(updated["method"], "G");
        assert_eq!(updated["token"], created["token"]);
        let other_team = json!({"id": id, "team_id": team_two, "trigger": "x", "url": URL, "method": "P"});
        basic.admin.put(&format!("/commands/{id}"), other_team).await.expect_error(400, "api.command.team_mismatch.app_error");
        let token = basic.admin.put(&format!("/commands/{id}/regen_token"), json!({})).await.expect(200).body;
        assert_ne!(token["token"], created["token"]);
        let custom = basic
            .admin
            .get(&format!("/commands?team_id={}&custom_only=true", basic.team_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(custom.as_array().unwrap().len(), 1);
        assert_eq!(custom[0]["token"], token["token"]);
        basic.admin.put(&format!("/commands/{id}/move"), json!({"team_id": team_two})).await.expect(200);
        assert_eq!(basic.admin.get(&format!("/commands/{id}")).await.expect(200).body["team_id"], team_two.as_str());
        basic.admin.delete(&format!("/commands/{id}")).await.expect(200);
        basic.admin.get(&format!("/commands/{id}")).await.expect(404);
        basic.admin.get("/commands/nope").await.expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn with_commands_disabled_custom_commands_answer_501(server) {
        let basic = server.init_basic().await;
        let created = create_command(&basic, "ci", URL, "P").await;
        configure(&server, |c| c.service_settings.enable_commands = false);
        let body = json!({"team_id": basic.team_id(), "trigger": "other", "url": URL, "method": "P"});
        basic.admin.post("/commands", body).await.expect_error(501, "api.command.disabled.app_error");
        basic
            .admin
            .get(&format!("/commands?team_id={}&custom_only=true", basic.team_id()))
            .await
            .expect_error(501, "api.command.disabled.app_error");
        basic.admin.get(&format!("/commands/{}", created["id"].as_str().unwrap())).await.expect(404);
        crate::commands_support::execute(&basic.client, &basic, "/echo hi")
            .await
            .expect_error(501, "api.command.disabled.app_error");
    }
);

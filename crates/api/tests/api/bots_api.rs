//! Bot accounts: `/bots` (create, get, list with `include_deleted`/`only_orphaned`, patch,
//! disable, enable, assign), `convert_to_bot`, a bot posting with a personal access token,
//! and an outsider test for every route.

use crate::support::{configure, id, PASSWORD};
use serde_json::json;
use utmost_testkit::{dual_db_test, Client, TestServer};

fn enable_bots(server: &TestServer) {
    configure(server, |c| {
        c.service_settings.enable_bot_account_creation = true;
        c.service_settings.enable_user_access_tokens = true;
    });
}

async fn create_bot(admin: &Client, username: &str) -> serde_json::Value {
    admin
        .post(
            "/bots",
            json!({"username": username, "display_name": "CI", "description": "builds"}),
        )
        .await
        .expect(201)
        .body
}

dual_db_test!(
    async fn bots_are_created_read_listed_and_patched(server) {
        let basic = server.init_basic().await;
        basic
            .admin
            .post("/bots", json!({"username": "ci-bot"}))
            .await
            .expect_error(403, "api.bot.create_disabled");
        enable_bots(&server);
        let bot = create_bot(&basic.admin, "ci-bot").await;
        assert_eq!(bot["username"], "ci-bot");
        assert_eq!(bot["display_name"], "CI");
        assert_eq!(bot["description"], "builds");
        assert_eq!(bot["owner_id"], basic.admin_user["id"]);
        assert_eq!(bot["delete_at"], 0);
        let bot_id = bot["user_id"].as_str().unwrap().to_string();
        let user = basic.admin.get(&format!("/users/{bot_id}")).await.expect(200).body;
        assert_eq!(user["is_bot"], true);
        assert_eq!(user["bot_description"], "builds");
        assert_eq!(basic.admin.get(&format!("/bots/{bot_id}")).await.expect(200).body, bot);
        let listed = basic.admin.get("/bots").await.expect(200).body;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        let patched = basic
            .admin
            .put(&format!("/bots/{bot_id}"), json!({"display_name": "CI 2", "description": "new"}))
            .await
            .expect(200)
            .body;
        assert_eq!(patched["display_name"], "CI 2");
        assert_eq!(patched["description"], "new");
        assert_eq!(patched["username"], "ci-bot");
        basic
            .admin
            .post("/bots", json!({"username": "basicuser"}))
            .await
            .expect_error(400, "app.user.save.username_exists.app_error");
        basic
            .admin
            .post("/bots", json!({"username": "Not Valid"}))
            .await
            .expect_error(400, "model.bot.is_valid.username.app_error");
        basic
            .admin
            .put(&format!("/bots/{bot_id}"), json!({"username": "basicuser2"}))
            .await
            .expect_error(400, "app.user.save.username_exists.app_error");
    }
);

dual_db_test!(
    async fn bots_are_disabled_enabled_assigned_and_orphaned(server) {
        let basic = server.init_basic().await;
        enable_bots(&server);
        let bot = create_bot(&basic.admin, "ops-bot").await;
        let bot_id = bot["user_id"].as_str().unwrap().to_string();
        let disabled = basic
            .admin
            .post(&format!("/bots/{bot_id}/disable"), json!({}))
            .await
            .expect(200)
            .body;
        assert!(disabled["delete_at"].as_i64().unwrap() > 0);
        basic
            .admin
            .get(&format!("/bots/{bot_id}"))
            .await
            .expect_error(404, "store.sql_bot.get.missing.app_error");
        basic
            .admin
            .get(&format!("/bots/{bot_id}?include_deleted=true"))
            .await
            .expect(200);
        assert_eq!(basic.admin.get("/bots").await.expect(200).body, json!([]));
        let all = basic.admin.get("/bots?include_deleted=true").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 1);
        let user = basic.admin.get(&format!("/users/{bot_id}")).await.expect(200).body;
        assert!(user["delete_at"].as_i64().unwrap() > 0);
        let enabled = basic
            .admin
            .post(&format!("/bots/{bot_id}/enable"), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(enabled["delete_at"], 0);

        // Given to the basic user, then orphaned when that user is deactivated.
        let assigned = basic
            .admin
            .post(&format!("/bots/{bot_id}/assign/{}", basic.user_id()), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(assigned["owner_id"], basic.user["id"]);
        let other = create_bot(&basic.admin, "other-bot").await;
        basic
            .admin
            .post(&format!("/bots/{bot_id}/assign/{}", other["user_id"].as_str().unwrap()), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert_eq!(
            basic.admin.get("/bots?only_orphaned=true").await.expect(200).body,
            json!([])
        );
        basic
            .admin
            .delete(&format!("/users/{}", basic.user_id()))
            .await
            .expect(200);
        let orphans = basic.admin.get("/bots?only_orphaned=true").await.expect(200).body;
        assert_eq!(orphans.as_array().unwrap().len(), 1);
        assert_eq!(orphans[0]["user_id"], bot_id.as_str());
    }
);

dual_db_test!(
    async fn outsiders_are_refused_or_told_the_bot_does_not_exist(server) {
        let basic = server.init_basic().await;
        enable_bots(&server);
        let bot = create_bot(&basic.admin, "secret-bot").await;
        let bot_id = bot["user_id"].as_str().unwrap().to_string();
        let user = &basic.client;
        user.post("/bots", json!({"username": "mine"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        user.get("/bots").await.expect_error(403, "api.context.permissions.app_error");
        let missing = "store.sql_bot.get.missing.app_error";
        user.get(&format!("/bots/{bot_id}")).await.expect_error(404, missing);
        user.put(&format!("/bots/{bot_id}"), json!({"display_name": "x"}))
            .await
            .expect_error(404, missing);
        user.post(&format!("/bots/{bot_id}/disable"), json!({}))
            .await
            .expect_error(404, missing);
        user.post(&format!("/bots/{bot_id}/enable"), json!({}))
            .await
            .expect_error(404, missing);
        user.post(&format!("/bots/{bot_id}/assign/{}", basic.user_id()), json!({}))
            .await
            .expect_error(404, missing);
        user.post(&format!("/users/{}/convert_to_bot", basic.user2_id()), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().get("/bots").await.expect(401);
        // Nothing changed.
        let still = basic.admin.get(&format!("/bots/{bot_id}")).await.expect(200).body;
        assert_eq!(still, bot);
    }
);

dual_db_test!(
    async fn a_bot_posts_with_its_access_token_and_users_convert_to_bots(server) {
        let basic = server.init_basic().await;
        enable_bots(&server);
        let bot = create_bot(&basic.admin, "poster-bot").await;
        let bot_id = bot["user_id"].as_str().unwrap().to_string();
        basic
            .admin
            .post(
                &format!("/teams/{}/members", basic.team_id()),
                json!({"team_id": basic.team_id(), "user_id": bot_id}),
            )
            .await
            .expect(201);
        basic
            .admin
            .post(
                &format!("/channels/{}/members", basic.channel_id()),
                json!({"user_id": bot_id}),
            )
            .await
            .expect(201);
        let token = basic
            .admin
            .post(&format!("/users/{bot_id}/tokens"), json!({"description": "ci"}))
            .await
            .expect(200)
            .body;
        let as_bot = server.client().with_token(token["token"].as_str().unwrap());
        let me = as_bot.get("/users/me").await.expect(200).body;
        assert_eq!(me["is_bot"], true);
        let post = as_bot
            .post("/posts", json!({"channel_id": basic.channel_id(), "message": "from the bot"}))
            .await
            .expect(201)
            .body;
        assert_eq!(post["user_id"], bot_id.as_str());
        // A bot creates no bots.
        as_bot
            .post("/bots", json!({"username": "child-bot"}))
            .await
            .expect(403);

        let converted = basic
            .admin
            .post(&format!("/users/{}/convert_to_bot", basic.user2_id()), json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(converted["user_id"], basic.user2["id"]);
        assert_eq!(converted["owner_id"], basic.user2["id"]);
        assert_eq!(converted["username"], "basicuser2");
        let user2 = basic.admin.get(&format!("/users/{}", id(&basic.user2))).await.expect(200).body;
        assert_eq!(user2["is_bot"], true);
    }
);

dual_db_test!(
    async fn a_bot_converts_back_to_a_user_who_signs_in(server) {
        let basic = server.init_basic().await;
        enable_bots(&server);
        let bot = create_bot(&basic.admin, "retired-bot").await;
        let bot_id = bot["user_id"].as_str().unwrap().to_string();
        let path = format!("/bots/{bot_id}/convert_to_user");
        basic
            .admin
            .post(&path, json!({"email": "retired@example.com"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic
            .client
            .post(&path, json!({"password": PASSWORD}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let user = basic
            .admin
            .post(&path, json!({"password": PASSWORD, "email": "retired@example.com"}))
            .await
            .expect(200)
            .body;
        assert_eq!(user["id"], bot_id.as_str());
        assert_ne!(user["is_bot"], true);
        assert_eq!(user["email"], "retired@example.com");
        basic
            .admin
            .get(&format!("/bots/{bot_id}?include_deleted=true"))
            .await
            .expect_error(404, "store.sql_bot.get.missing.app_error");
        let signed_in = server.client().login("retired-bot", PASSWORD).await;
        let me = signed_in.get("/users/me").await.expect(200).body;
        assert_eq!(me["id"], bot_id.as_str());
    }
);

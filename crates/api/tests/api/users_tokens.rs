//! Personal access tokens: creating, using, disabling and revoking them, for oneself and as an
//! admin.

use crate::support::{configure, id};
use crate::users_support::admin_and_user;
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn personal_access_tokens_work_as_bearer_tokens_until_disabled_or_revoked(server) {
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let aid = id(&alice_user);
        let tokens = format!("/users/{aid}/tokens");
        let new_token = json!({"description": "ci bot"});

        // Off by default: 501.
        admin.post(&tokens, new_token.clone()).await.expect_error(501, "app.user_access_token.disabled");
        configure(&server, |cfg| cfg.service_settings.enable_user_access_tokens = true);
        // A plain user lacks create_user_access_token until given the role.
        alice.post(&tokens, new_token.clone()).await.expect_error(403, "api.context.permissions.app_error");
        admin.put(&format!("/users/{aid}/roles"), json!({"roles": "system_user system_user_access_token"}))
            .await
            .expect(200);
        alice.post(&tokens, json!({"description": ""})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        alice.post(&tokens, json!({"description": "d".repeat(256)}))
            .await
            .expect_error(400, "model.user_access_token.is_valid.description.app_error");
        admin.post("/users/aaaaaaaaaaaaaaaaaaaaaaaaaa/tokens", new_token.clone())
            .await
            .expect_error(404, "app.user.missing_account.const");

        let created = alice.post(&tokens, new_token.clone()).await.expect(200).body;
        let raw = created["token"].as_str().unwrap().to_string();
        assert_eq!(raw.len(), 26);
        assert_eq!(created["user_id"], aid.as_str());
        assert_eq!(created["is_active"], true);
        let token_id = created["id"].as_str().unwrap().to_string();

        // Usable as a bearer token; its session is marked as a token session.
        let pat = server.client().with_token(&raw);
        assert_eq!(pat.get("/users/me").await.expect(200).body["id"], aid.as_str());
        let sessions = alice.get("/users/me/sessions").await.expect(200).body;
        let token_session = sessions
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["props"]["type"] == "UserAccessToken")
            .expect("a token session")
            .clone();
        assert_eq!(token_session["props"]["user_access_token_id"], token_id.as_str());
        let hundred_years = 100_i64 * 365 * 24 * 3_600_000;
        let length = token_session["expires_at"].as_i64().unwrap() - token_session["create_at"].as_i64().unwrap();
        assert_eq!(length, hundred_years);
        pat.get("/users/me").await.expect(200);
        assert_eq!(alice.get("/users/me/sessions").await.body.as_array().unwrap().len(), 2, "one session per token");

        // Listing and reading never show the secret.
        let mine = alice.get(&tokens).await.expect(200).body;
        assert_eq!(mine.as_array().unwrap().len(), 1);
        assert!(mine[0].get("token").is_none());
        let one = alice.get(&format!("/users/tokens/{token_id}")).await.expect(200).body;
        assert_eq!(one["description"], "ci bot");
        assert!(one.get("token").is_none());
        bob.get(&format!("/users/tokens/{token_id}")).await.expect_error(403, "api.context.permissions.app_error");
        bob.get(&tokens).await.expect_error(403, "api.context.permissions.app_error");
        alice.get("/users/tokens/aaaaaaaaaaaaaaaaaaaaaaaaaa").await.expect_error(404, "app.user_access_token.get_by_user.app_error");
        alice.get("/users/tokens/bad").await.expect_error(400, "api.context.invalid_url_param.app_error");
        alice.get("/users/tokens").await.expect_error(403, "api.context.permissions.app_error");
        assert_eq!(admin.get("/users/tokens").await.expect(200).body.as_array().unwrap().len(), 1);
        let found = admin.post("/users/tokens/search", json!({"term": "ali"})).await.expect(200).body;
        assert_eq!(found[0]["id"], token_id.as_str());
        assert!(admin.post("/users/tokens/search", json!({"term": "zzz"})).await.expect(200).body.as_array().unwrap().is_empty());
        admin.post("/users/tokens/search", json!({"term": ""})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        alice.post("/users/tokens/search", json!({"term": "a"})).await.expect_error(403, "api.context.permissions.app_error");

        // Disable ends the session and refuses the token; enable lets it in again.
        let target = json!({"token_id": token_id});
        bob.post("/users/tokens/disable", target.clone()).await.expect_error(403, "api.context.permissions.app_error");
        alice.post("/users/tokens/disable", target.clone()).await.expect(200);
        pat.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        alice.post("/users/tokens/enable", target.clone()).await.expect(200);
        pat.get("/users/me").await.expect(200);

        // Turning the feature off shuts tokens out too.
        alice.post("/users/tokens/revoke", json!({"token_id": ""})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        alice.post("/users/tokens/revoke", json!({"token_id": "aaaaaaaaaaaaaaaaaaaaaaaaaa"}))
            .await
            .expect_error(404, "app.user_access_token.get_by_user.app_error");
        alice.post("/users/tokens/revoke", target).await.expect(200);
        pat.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        assert!(alice.get(&tokens).await.expect(200).body.as_array().unwrap().is_empty());
    }
);

dual_db_test!(
    async fn admins_manage_other_users_tokens(server) {
        configure(&server, |cfg| cfg.service_settings.enable_user_access_tokens = true);
        let (admin, admin_user, alice, alice_user) = admin_and_user(&server).await;
        let created = admin
            .post(&format!("/users/{}/tokens", id(&alice_user)), json!({"description": "made by admin"}))
            .await
            .expect(200)
            .body;
        let pat = server.client().with_token(created["token"].as_str().unwrap());
        assert_eq!(pat.get("/users/me").await.expect(200).body["username"], "alice");
        // A token holder without system rights cannot mint tokens for an admin.
        admin.put(&format!("/users/{}/roles", id(&alice_user)), json!({"roles": "system_user system_user_access_token"}))
            .await
            .expect(200);
        alice.post(&format!("/users/{}/tokens", id(&admin_user)), json!({"description": "x"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let listed = admin.get(&format!("/users/{}/tokens?per_page=1", id(&alice_user))).await.expect(200).body;
        assert_eq!(listed.as_array().unwrap().len(), 1);
        admin.post("/users/tokens/revoke", json!({"token_id": created["id"]})).await.expect(200);
        pat.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        // Deactivated users' tokens stop working.
        let again = alice
            .post(&format!("/users/{}/tokens", id(&alice_user)), json!({"description": "second"}))
            .await
            .expect(200)
            .body;
        admin.put(&format!("/users/{}/active", id(&alice_user)), json!({"active": false})).await.expect(200);
        server.client().with_token(again["token"].as_str().unwrap())
            .get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

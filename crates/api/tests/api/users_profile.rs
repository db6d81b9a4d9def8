//! A user's profile: privacy and ETags, update and patch, passwords, deactivation, roles,
//! lookups, images.

use crate::support::{configure, id, PASSWORD};
use crate::users_support::{admin_and_user, send, Verb};
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn get_user_sanitises_by_privacy_and_answers_etags(server) {
        let (admin, admin_user, alice, alice_user) = admin_and_user(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let aid = id(&alice_user);
        let path = format!("/users/{aid}");

        let own = alice.get("/users/me").await.expect(200);
        assert_eq!(own.body["email"], "alice@example.com");
        assert!(own.body.get("notify_props").is_some());
        assert!(own.body.get("password").is_none());

        let seen = bob.get(&path).await.expect(200);
        assert_eq!(seen.body["email"], "alice@example.com");
        assert!(seen.body.get("notify_props").is_none());
        configure(&server, |cfg| {
            cfg.privacy_settings.show_email_address = false;
            cfg.privacy_settings.show_full_name = false;
        });
        alice.put("/users/me/patch", json!({"first_name": "Alice", "last_name": "Liddell"})).await.expect(200);
        let seen = bob.get(&path).await.expect(200);
        assert_eq!(seen.body["email"], "");
        assert_eq!(seen.body["first_name"], "");
        let by_admin = admin.get(&path).await.expect(200);
        assert_eq!(by_admin.body["email"], "alice@example.com");
        assert_eq!(by_admin.body["last_name"], "Liddell");
        assert_eq!(by_admin.body["roles"], "system_user");
        assert_ne!(id(&admin_user), aid);

        // ETag: a repeat with If-None-Match is a 304 until the profile changes.
        let etag = seen.header("etag").to_string();
        assert!(etag.starts_with("10.11.0."), "{etag}");
        let token = bob.token.clone().unwrap();
        let auth = format!("Bearer {token}");
        let r = send(&server, Verb::Get, &path, &[("Authorization", &auth), ("If-None-Match", &etag)], None).await;
        assert_eq!(r.status, 304);
        assert_eq!(r.header("etag"), etag);
        alice.put("/users/me/patch", json!({"nickname": "al"})).await.expect(200);
        let r = send(&server, Verb::Get, &path, &[("Authorization", &auth), ("If-None-Match", &etag)], None).await.expect(200);
        assert_eq!(r.body["nickname"], "al");
        assert_ne!(r.header("etag"), etag);

        bob.get("/users/not-an-id").await.expect_error(400, "api.context.invalid_url_param.app_error");
        bob.get("/users/aaaaaaaaaaaaaaaaaaaaaaaaaa").await.expect_error(404, "app.user.missing_account.const");
        server.client().get(&path).await.expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn update_and_patch_follow_mattermosts_rules(server) {
        let (admin, admin_user, alice, alice_user) = admin_and_user(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let aid = id(&alice_user);

        // PUT replaces the profile; the id in the body must be the one in the path.
        let mut full = alice.get("/users/me").await.body;
        full["nickname"] = json!("Ali");
        full["position"] = json!("Engineer");
        let r = alice.put(&format!("/users/{aid}"), full.clone()).await.expect(200);
        assert_eq!(r.body["nickname"], "Ali");
        assert_eq!(r.body["roles"], "system_user", "roles are not changed through PUT");
        let mut wrong_id = full.clone();
        wrong_id["id"] = json!(id(&admin_user));
        alice.put(&format!("/users/{aid}"), wrong_id).await.expect_error(400, "api.context.invalid_body_param.app_error");
        bob.put(&format!("/users/{aid}"), full.clone()).await.expect_error(403, "api.context.permissions.app_error");
        let mut escalate = full.clone();
        escalate["roles"] = json!("system_admin system_user");
        alice.put(&format!("/users/{aid}"), escalate).await.expect(200);
        assert_eq!(alice.get("/users/me").await.body["roles"], "system_user");
        // Nobody but an admin edits an admin.
        alice.put(&format!("/users/{}/patch", id(&admin_user)), json!({"nickname": "x"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin.put(&format!("/users/{aid}/patch"), json!({"nickname": "by-admin"})).await.expect(200);

        // Patch changes only what it names.
        let r = alice.put("/users/me/patch", json!({"first_name": "Alice"})).await.expect(200);
        assert_eq!(r.body["first_name"], "Alice");
        assert_eq!(r.body["position"], "Engineer");
        alice.put("/users/me/patch", json!({"username": "bob"}))
            .await
            .expect_error(400, "app.user.save.username_exists.app_error");
        alice.put("/users/me/patch", json!({"username": "Not Valid"}))
            .await
            .expect_error(400, "model.user.is_valid.username.app_error");
        alice.put("/users/me/patch", json!({"nickname": "n".repeat(65)}))
            .await
            .expect_error(400, "model.user.is_valid.nickname.app_error");
        alice.put("/users/me/patch", "not an object".into())
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // Changing one's own e-mail needs the password.
        alice.put("/users/me/patch", json!({"email": "new@example.com"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        alice.put("/users/me/patch", json!({"email": "new@example.com", "password": "wrong"}))
            .await
            .expect_error(401, "api.user.check_user_password.invalid.app_error");
        let r = alice.put("/users/me/patch", json!({"email": "New@Example.com", "password": PASSWORD}))
            .await
            .expect(200);
        assert_eq!(r.body["email"], "new@example.com");
        admin.put(&format!("/users/{aid}/patch"), json!({"email": "bob@example.com"}))
            .await
            .expect_error(400, "app.user.save.email_exists.app_error");
    }
);

dual_db_test!(
    async fn passwords_change_with_the_current_one_or_by_an_admin(server) {
        let (admin, admin_user, alice, alice_user) = admin_and_user(&server).await;
        let aid = id(&alice_user);
        let path = format!("/users/{aid}/password");
        let other_session = server.client().login("alice", PASSWORD).await;

        alice.put(&path, json!({"new_password": "Newpass-123"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        alice.put(&path, json!({"current_password": "wrong", "new_password": "Newpass-123"}))
            .await
            .expect_error(400, "api.user.update_password.incorrect.app_error");
        alice.put(&path, json!({"current_password": PASSWORD, "new_password": "short"}))
            .await
            .expect_error(400, "model.user.is_valid.pwd.app_error");
        alice.put(&path, json!({"current_password": PASSWORD, "new_password": "Newpass-123"}))
            .await
            .expect(200);
        // The session that changed it lives on; the others end.
        alice.get("/users/me").await.expect(200);
        other_session.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        server.client().login("alice", "Newpass-123").await;

        alice.put(&format!("/users/{}/password", id(&admin_user)), json!({"new_password": "Hijack-1234"}))
            .await
            .expect_error(403, "api.user.update_password.context.app_error");
        admin.put(&path, json!({"new_password": "Admin-set-1"})).await.expect(200);
        alice.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        server.client().login("alice", "Admin-set-1").await;
    }
);

dual_db_test!(
    async fn deactivation_ends_sessions_and_blocks_login(server) {
        let (admin, admin_user, alice, alice_user) = admin_and_user(&server).await;
        let (bob_user, bob) = server.create_user(Some(&admin), "bob").await;
        let aid = id(&alice_user);
        let path = format!("/users/{aid}/active");

        bob.put(&path, json!({"active": false}))
            .await
            .expect_error(403, "api.user.update_active.permissions.app_error");
        alice.put(&path, json!({"active": false}))
            .await
            .expect_error(401, "api.user.update_active.not_enable.app_error");
        admin.put(&path, json!({"active": "no"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin.put("/users/aaaaaaaaaaaaaaaaaaaaaaaaaa/active", json!({"active": false}))
            .await
            .expect_error(404, "app.user.missing_account.const");

        admin.put(&path, json!({"active": false})).await.expect(200);
        alice.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        server.client()
            .post("/users/login", json!({"login_id": "alice", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.inactive.app_error");
        assert_ne!(admin.get(&format!("/users/{aid}")).await.body["delete_at"], 0);
        admin.put(&path, json!({"active": true})).await.expect(200);
        server.client().login("alice", PASSWORD).await;

        configure(&server, |cfg| cfg.team_settings.enable_user_deactivation = true);
        bob.put(&format!("/users/{}/active", id(&bob_user)), json!({"active": false})).await.expect(200);
        bob.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        assert_ne!(id(&admin_user), "");
    }
);

dual_db_test!(
    async fn roles_are_set_by_role_managers_and_reach_live_sessions(server) {
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let path = format!("/users/{}/roles", id(&alice_user));
        alice.put(&path, json!({"roles": "system_user system_admin"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin.put(&path, json!({"roles": "system_admin"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin.put(&path, json!({"roles": "system_user Bad-Role"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin.put(&path, json!({"roles": "system_user no_such_role"}))
            .await
            .expect_error(400, "app.role.check_roles_exist.role_not_found");
        admin.put("/users/aaaaaaaaaaaaaaaaaaaaaaaaaa/roles", json!({"roles": "system_user"}))
            .await
            .expect_error(400, "app.user.missing_account.const");

        alice.get("/users/tokens").await.expect_error(403, "api.context.permissions.app_error");
        admin.put(&path, json!({"roles": "system_user system_admin"})).await.expect(200);
        assert_eq!(alice.get("/users/me").await.body["roles"], "system_user system_admin");
        // The existing session got the new roles: an admin-only call now succeeds.
        alice.get("/users/tokens").await.expect(200);
    }
);

dual_db_test!(
    async fn lookups_by_username_and_email(server) {
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let r = alice.get("/users/username/sysadmin").await.expect(200);
        assert_eq!(r.body["username"], "sysadmin");
        assert!(!r.header("etag").is_empty());
        alice.get("/users/username/nobody").await.expect_error(404, "app.user.get_by_username.app_error");
        alice.get("/users/username/Not%20Valid").await.expect_error(400, "api.context.invalid_url_param.app_error");
        let r = admin.get("/users/email/alice@example.com").await.expect(200);
        assert_eq!(r.body["id"], alice_user["id"]);
        alice.get("/users/email/nobody@example.com").await.expect_error(404, "app.user.missing_account.const");
        alice.get("/users/email/not-an-email").await.expect_error(400, "api.context.invalid_url_param.app_error");
        configure(&server, |cfg| cfg.privacy_settings.show_email_address = false);
        alice.get("/users/email/sysadmin@example.com")
            .await
            .expect_error(403, "api.user.get_user_by_email.permissions.app_error");
        admin.get("/users/email/alice@example.com").await.expect(200);
    }
);

dual_db_test!(
    async fn profile_images_are_generated_pngs_with_cache_headers(server) {
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let path = format!("/users/{}/image", id(&alice_user));
        let token = alice.token.clone().unwrap();
        let auth = format!("Bearer {token}");
        let r = send(&server, Verb::Get, &path, &[("Authorization", &auth)], None).await.expect(200);
        assert_eq!(r.header("content-type"), "image/png");
        assert!(r.header("cache-control").contains("private"));
        assert!(r.header("last-modified").ends_with(" GMT"));
        let etag = r.header("etag").to_string();
        assert!(!etag.is_empty());
        let bytes = server.client().http.get(format!("{}/api/v4{path}", server.url))
            .bearer_auth(&token).send().await.unwrap().bytes().await.unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let again = send(&server, Verb::Get, &path, &[("Authorization", &auth), ("If-None-Match", &etag)], None).await;
        assert_eq!(again.status, 304);
        // A new username means a new initial, so a new tag.
        alice.put("/users/me/patch", json!({"username": "zelda"})).await.expect(200);
        send(&server, Verb::Get, &path, &[("Authorization", &auth), ("If-None-Match", &etag)], None).await.expect(200);

        let default = admin.get(&format!("{path}/default")).await.expect(200);
        assert_eq!(default.header("content-type"), "image/png");
        admin.get("/users/aaaaaaaaaaaaaaaaaaaaaaaaaa/image").await.expect_error(404, "app.user.missing_account.const");
        admin.get("/users/bad/image").await.expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

/// The picture served for `user_id`, decoded.
async fn served_picture(client: &utmost_testkit::Client, user_id: &str) -> image::RgbaImage {
    let mut req = client
        .http
        .get(format!("{}/api/v4/users/{user_id}/image", client.base));
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    let bytes = req.send().await.unwrap().bytes().await.unwrap();
    image::load_from_memory(&bytes).unwrap().to_rgba8()
}

/// A `width × height` PNG of one colour.
fn solid_png(width: u32, height: u32, colour: [u8; 4]) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbaImage::from_pixel(width, height, image::Rgba(colour))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

dual_db_test!(
    async fn a_profile_picture_is_uploaded_scaled_to_128_and_reset(server) {
        use crate::files_support::{form, send as send_body, BOUNDARY};
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let alice_id = id(&alice_user);
        let path = format!("/users/{alice_id}/image");
        let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
        let upload = |client: &utmost_testkit::Client, bytes: Vec<u8>| {
            let body = form(&[], &[("image", "me.png", &bytes)]);
            let (client, path, multipart) = (client.clone(), path.clone(), multipart.clone());
            async move { send_body(&client, &path, &multipart, body).await }
        };
        let red = solid_png(300, 200, [200, 10, 10, 255]);
        let generated = served_picture(&alice, &alice_id).await;

        // Someone else may not change alice's picture; nothing but an image is taken.
        upload(&bob, red.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        upload(&alice, b"not an image".to_vec())
            .await
            .expect_error(400, "api.user.upload_profile_user.decode.app_error");
        let no_image = form(&[("other", "x")], &[]);
        send_body(&alice, &path, &multipart, no_image)
            .await
            .expect_error(400, "api.user.upload_profile_user.no_file.app_error");
        assert_eq!(served_picture(&alice, &alice_id).await, generated);

        let (mut ws, _) =
            utmost_testkit::ws::WsClient::connect_ready(&server, bob.token.as_deref().unwrap()).await;
        upload(&alice, red).await.expect(200);
        let me = alice.get("/users/me").await.expect(200).body;
        let changed_at = me["last_picture_update"].as_i64().unwrap();
        assert!(changed_at > 0, "{me}");
        let picture = served_picture(&bob, &alice_id).await;
        assert_eq!(picture.dimensions(), (128, 128));
        assert_eq!(picture.get_pixel(64, 64).0, [200, 10, 10, 255]);
        let updated = ws.next_event("user_updated").await;
        assert_eq!(updated["data"]["user"]["id"], json!(alice_id));
        assert_eq!(updated["data"]["user"]["last_picture_update"], json!(changed_at));

        // An admin may set anyone's; resetting brings the generated picture back.
        upload(&admin, solid_png(64, 64, [10, 10, 200, 255])).await.expect(200);
        assert_eq!(served_picture(&alice, &alice_id).await.get_pixel(64, 64).0, [10, 10, 200, 255]);
        bob.delete(&path).await.expect_error(403, "api.context.permissions.app_error");
        alice.delete(&path).await.expect(200);
        assert_eq!(served_picture(&alice, &alice_id).await, generated);
        let me = alice.get("/users/me").await.expect(200).body;
        assert!(me["last_picture_update"].as_i64().unwrap() < 0, "a reset is marked negative: {me}");
        server.client().delete(&path).await.expect(401);

        // Without a file store there are no pictures to set.
        configure(&server, |c| c.file_settings.driver_name = String::new());
        upload(&alice, solid_png(8, 8, [0, 0, 0, 255]))
            .await
            .expect_error(501, "api.user.upload_profile_user.storage.app_error");
    }
);

//! Sign-up and login: the first admin, lockout, session lengths, cookies and CSRF, framework
//! errors.

use crate::support::{configure, PASSWORD};
use crate::users_support::{cookie_value, send, set_cookies, Verb};
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn bots_made_before_anyone_signed_up_leave_the_first_account_to_a_person(server) {
        // What a shipped plugin does when it starts on a fresh server.
        utmost_app::bots::ensure(&server.app, "pollsbot", "Polls", "", "utmost.polls")
            .await
            .unwrap();
        let c = server.client();
        let config = c.get("/config/client?format=old").await.expect(200);
        assert_eq!(config.body["NoAccounts"], "true");
        let first = c
            .post("/users", json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD}))
            .await
            .expect(201);
        assert_eq!(first.body["roles"], "system_admin system_user");
        let config = c.get("/config/client?format=old").await.expect(200);
        assert_eq!(config.body["NoAccounts"], "false");
    }
);

dual_db_test!(
    async fn first_user_is_admin_and_can_log_in(server) {
        let c = server.client();
        let r = c
            .post("/users", json!({"username": "Admin", "email": "Admin@Example.com", "password": PASSWORD}))
            .await
            .expect(201);
        assert_eq!(r.body["username"], "admin");
        assert_eq!(r.body["email"], "admin@example.com");
        assert_eq!(r.body["roles"], "system_admin system_user");
        assert!(r.body.get("password").is_none());

        let admin = c.login("admin", PASSWORD).await;
        let me = admin.get("/users/me").await.expect(200);
        assert_eq!(me.body["id"], r.body["id"]);
        assert!(!me.header("x-version-id").is_empty());
        assert!(!me.header("x-request-id").is_empty());

        // Open sign-up is off by default: an anonymous second account is refused.
        c.post("/users", json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}))
            .await
            .expect_error(403, "api.user.create_user.no_open_server");
        // An admin can always create.
        admin
            .post("/users", json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}))
            .await
            .expect(201);
        admin
            .post("/users", json!({"username": "bob", "email": "bob2@example.com", "password": PASSWORD}))
            .await
            .expect_error(400, "app.user.save.username_exists.app_error");
        // A plain user is no admin: with open sign-up off they cannot create accounts either.
        let bob = c.login("bob", PASSWORD).await;
        bob.post("/users", json!({"username": "carol", "email": "carol@example.com", "password": PASSWORD}))
            .await
            .expect_error(403, "api.user.create_user.no_open_server");
    }
);

dual_db_test!(
    async fn sign_up_follows_the_team_and_email_settings(server) {
        let c = server.client();
        server.create_user(None, "sysadmin").await;
        let signup = |name: &str| {
            json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD})
        };
        configure(&server, |cfg| cfg.team_settings.enable_open_server = true);
        c.post("/users", signup("open1")).await.expect(201);
        configure(&server, |cfg| cfg.email_settings.enable_sign_up_with_email = false);
        c.post("/users", signup("open2"))
            .await
            .expect_error(501, "api.user.create_user.signup_email_disabled.app_error");
        configure(&server, |cfg| cfg.team_settings.enable_user_creation = false);
        c.post("/users", signup("open3"))
            .await
            .expect_error(501, "api.user.create_user.disabled.app_error");
        configure(&server, |cfg| {
            cfg.team_settings.enable_user_creation = true;
            cfg.email_settings.enable_sign_up_with_email = true;
            cfg.password_settings.uppercase = true;
        });
        c.post("/users", json!({"username": "weak", "email": "weak@example.com", "password": "lowercase-only"}))
            .await
            .expect_error(400, "model.user.is_valid.pwd_uppercase.app_error");
    }
);

dual_db_test!(
    async fn login_errors_do_not_tell_which_part_was_wrong(server) {
        let c = server.client();
        server.create_user(None, "alice").await;
        // Wrong password and unknown account answer alike, as Mattermost masks them.
        c.post("/users/login", json!({"login_id": "alice", "password": "nope"}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_email_username");
        c.post("/users/login", json!({"login_id": "nobody", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_email_username");
        c.post("/users/login", json!({"login_id": "alice", "password": ""}))
            .await
            .expect_error(400, "api.user.login.blank_pwd.app_error");
        configure(&server, |cfg| cfg.email_settings.enable_sign_in_with_email = false);
        c.post("/users/login", json!({"login_id": "alice@example.com", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_username");
        configure(&server, |cfg| {
            cfg.email_settings.enable_sign_in_with_email = true;
            cfg.email_settings.enable_sign_in_with_username = false;
        });
        c.post("/users/login", json!({"login_id": "alice", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_email");
        // By e-mail (any case) it works.
        let r = c
            .post("/users/login", json!({"login_id": "Alice@Example.com", "password": PASSWORD}))
            .await
            .expect(200);
        assert_eq!(r.body["username"], "alice");
        assert!(r.body.get("password").is_none());
        c.get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        let r = c.get("/users/me").await;
        assert_eq!(r.body["request_id"], r.header("x-request-id"));
    }
);

dual_db_test!(
    async fn too_many_failed_logins_lock_the_account_until_an_admin_resets_it(server) {
        configure(&server, |cfg| cfg.service_settings.maximum_login_attempts = 3);
        let c = server.client();
        let (_, admin) = server.create_user(None, "sysadmin").await;
        let (user, _) = server.create_user(Some(&admin), "alice").await;
        for _ in 0..3 {
            c.post("/users/login", json!({"login_id": "alice", "password": "wrong-password"}))
                .await
                .expect_error(401, "api.user.login.invalid_credentials_email_username");
        }
        c.post("/users/login", json!({"login_id": "alice", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.check_user_login_attempts.too_many.app_error");
        let uid = user["id"].as_str().unwrap();
        admin
            .put(&format!("/users/{uid}/password"), json!({"new_password": "Another-pass-1"}))
            .await
            .expect(200);
        c.login("alice", "Another-pass-1").await;
        c.post("/users/login", json!({"login_id": "alice", "password": PASSWORD}))
            .await
            .expect_error(401, "api.user.login.invalid_credentials_email_username");
    }
);

dual_db_test!(
    async fn session_length_follows_the_client_kind(server) {
        configure(&server, |cfg| {
            cfg.service_settings.session_length_web_in_hours = 24;
            cfg.service_settings.session_length_mobile_in_hours = 48;
        });
        let c = server.client();
        // `create_user` logs in once too: that makes two web sessions.
        let (_, web) = server.create_user(None, "alice").await;
        c.login("alice", PASSWORD).await;
        let r = c
            .post("/users/login", json!({"login_id": "alice", "password": PASSWORD, "device_id": "apple:abc", "token": ""}))
            .await
            .expect(200);
        let mobile = c.with_token(r.header("token"));
        let sessions = web.get("/users/me/sessions").await.expect(200).body;
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 3);
        let hour = 3_600_000;
        for s in sessions {
            assert_eq!(s["token"], "", "tokens never leave the server");
            let length = s["expires_at"].as_i64().unwrap() - s["create_at"].as_i64().unwrap();
            let expected = if s["device_id"] == "apple:abc" { 48 * hour } else { 24 * hour };
            assert_eq!(length, expected);
        }
        // Logging in again from the same device replaces that device's session.
        c.post("/users/login", json!({"login_id": "alice", "password": PASSWORD, "device_id": "apple:abc"}))
            .await
            .expect(200);
        mobile
            .get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        assert_eq!(web.get("/users/me/sessions").await.body.as_array().unwrap().len(), 3);
        // Logout ends the session.
        web.post("/users/logout", json!({})).await.expect(200);
        web.get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn browser_logins_get_cookies_and_must_pass_the_csrf_check(server) {
        server.create_user(None, "alice").await;
        let body = json!({"login_id": "alice", "password": PASSWORD});
        let r = send(&server, Verb::Post, "/users/login", &[], Some(body.clone())).await.expect(200);
        assert!(set_cookies(&r).is_empty(), "no cookies without X-Requested-With");

        let xhr = ("X-Requested-With", "XMLHttpRequest");
        let r = send(&server, Verb::Post, "/users/login", &[xhr], Some(body)).await.expect(200);
        let cookies = set_cookies(&r);
        let token = cookie_value(&cookies, "MMAUTHTOKEN");
        let csrf = cookie_value(&cookies, "MMCSRF");
        assert_eq!(token, r.header("token"));
        assert_eq!(cookie_value(&cookies, "MMUSERID"), r.body["id"].as_str().unwrap());
        assert!(!csrf.is_empty());
        assert!(cookies.iter().any(|c| c.starts_with("MMAUTHTOKEN=") && c.contains("HttpOnly")));

        let cookie = format!("MMAUTHTOKEN={token}");
        let patch = json!({"nickname": "ally"});
        send(&server, Verb::Get, "/users/me", &[("Cookie", &cookie)], None).await.expect(200);
        send(&server, Verb::Put, "/users/me/patch", &[("Cookie", &cookie)], Some(patch.clone()))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        send(&server, Verb::Put, "/users/me/patch", &[("Cookie", &cookie), ("X-CSRF-Token", "wrong")], Some(patch.clone()))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        let r = send(&server, Verb::Put, "/users/me/patch", &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)], Some(patch.clone()))
            .await
            .expect(200);
        assert_eq!(r.body["nickname"], "ally");
        send(&server, Verb::Put, "/users/me/patch", &[("Cookie", &cookie), xhr], Some(patch))
            .await
            .expect(200);

        let r = send(&server, Verb::Post, "/users/logout", &[("Cookie", &cookie)], None).await.expect(200);
        assert!(set_cookies(&r).iter().any(|c| c.starts_with("MMAUTHTOKEN=;")));
        send(&server, Verb::Get, "/users/me", &[("Cookie", &cookie)], None)
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn framework_errors_are_mattermost_json(server) {
        let c = server.client();
        c.get("/no/such/route")
            .await
            .expect_error(404, "api.context.404.app_error");
        let r = c
            .http
            .post(format!("{}/api/v4/users", server.url))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        let r = utmost_testkit::Client::read(r).await;
        r.expect_error(400, "api.context.invalid_body_param.app_error");
        let big = "x".repeat(400_000);
        let r = c
            .post("/users", json!({"username": big}))
            .await;
        assert_eq!(r.status, 413, "{}", r.text);
    }
);

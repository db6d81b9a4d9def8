use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn first_user_is_admin_and_can_log_in(server) {
        let c = server.client();
        let r = c
            .post("/users", json!({"username": "Admin", "email": "Admin@Example.com", "password": "Password-1234"}))
            .await
            .expect(201);
        assert_eq!(r.body["username"], "admin");
        assert_eq!(r.body["email"], "admin@example.com");
        assert_eq!(r.body["roles"], "system_admin system_user");
        assert!(r.body.get("password").is_none());

        let admin = c.login("admin", "Password-1234").await;
        let me = admin.get("/users/me").await.expect(200);
        assert_eq!(me.body["id"], r.body["id"]);
        assert!(!me.header("x-version-id").is_empty());
        assert!(!me.header("x-request-id").is_empty());

        // Open sign-up is off by default: an anonymous second account is refused.
        c.post("/users", json!({"username": "bob", "email": "bob@example.com", "password": "Password-1234"}))
            .await
            .expect_error(403, "api.user.create_user.no_open_server");
        // An admin can always create.
        admin
            .post("/users", json!({"username": "bob", "email": "bob@example.com", "password": "Password-1234"}))
            .await
            .expect(201);
        admin
            .post("/users", json!({"username": "bob", "email": "bob2@example.com", "password": "Password-1234"}))
            .await
            .expect_error(400, "app.user.save.username_exists.app_error");
    }
);

dual_db_test!(
    async fn wrong_password_and_missing_session(server) {
        let c = server.client();
        server.create_user(None, "alice").await;
        c.post("/users/login", json!({"login_id": "alice", "password": "nope"}))
            .await
            .expect_error(401, "api.user.check_user_password.invalid.app_error");
        c.get("/users/me")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        let r = c.get("/users/me").await;
        assert_eq!(r.body["request_id"], r.header("x-request-id"));
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

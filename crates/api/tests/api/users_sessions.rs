//! Sessions: listing and revoking them, logging everyone out, attaching a mobile device.

use crate::support::{configure, id, PASSWORD};
use crate::users_support::{admin_and_user, session_ids};
use serde_json::json;
use utmost_testkit::dual_db_test;

/// Logs alice in once more and returns the client and its session id.
async fn another_login(
    server: &utmost_testkit::TestServer,
    alice: &utmost_testkit::Client,
) -> (utmost_testkit::Client, String) {
    let before = session_ids(alice).await;
    let client = server.client().login("alice", PASSWORD).await;
    let new = session_ids(alice)
        .await
        .into_iter()
        .find(|id| !before.contains(id))
        .unwrap();
    (client, new)
}

dual_db_test!(
    async fn users_list_and_revoke_their_sessions(server) {
        let (admin, _, alice, alice_user) = admin_and_user(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        let aid = id(&alice_user);
        let (second, second_id) = another_login(&server, &alice).await;
        let (third, third_id) = another_login(&server, &alice).await;

        let sessions = alice.get("/users/me/sessions").await.expect(200).body;
        let sessions = sessions.as_array().unwrap();
        assert_eq!(sessions.len(), 3);
        assert!(sessions.iter().all(|s| s["token"] == "" && s["user_id"] == aid.as_str()));
        bob.get(&format!("/users/{aid}/sessions")).await.expect_error(403, "api.context.permissions.app_error");
        assert_eq!(admin.get(&format!("/users/{aid}/sessions")).await.expect(200).body.as_array().unwrap().len(), 3);

        let revoke = format!("/users/{aid}/sessions/revoke");
        alice.post(&revoke, json!({})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        bob.post(&revoke, json!({"session_id": second_id})).await.expect_error(403, "api.context.permissions.app_error");
        let bob_session = session_ids(&bob).await.remove(0);
        alice.post(&revoke, json!({"session_id": bob_session})).await.expect_error(400, "api.context.invalid_url_param.app_error");
        alice.post(&revoke, json!({"session_id": second_id})).await.expect(200);
        second.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        third.get("/users/me").await.expect(200);
        alice.post(&revoke, json!({"session_id": second_id})).await.expect_error(400, "app.session.get.app_error");
        admin.post(&revoke, json!({"session_id": third_id})).await.expect(200);
        third.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");

        let fresh = server.client().login("alice", PASSWORD).await;
        bob.post(&format!("/users/{aid}/sessions/revoke/all"), json!({})).await.expect_error(403, "api.context.permissions.app_error");
        admin.post(&format!("/users/{aid}/sessions/revoke/all"), json!({})).await.expect(200);
        fresh.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        alice.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        bob.get("/users/me").await.expect(200);
    }
);

dual_db_test!(
    async fn admins_log_everyone_out(server) {
        let (admin, _, alice, _) = admin_and_user(&server).await;
        alice.post("/users/sessions/revoke/all", json!({})).await.expect_error(403, "api.context.permissions.app_error");
        alice.get("/users/me").await.expect(200);
        admin.post("/users/sessions/revoke/all", json!({})).await.expect(200);
        alice.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        admin.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn attaching_a_device_makes_a_mobile_session(server) {
        configure(&server, |cfg| {
            cfg.service_settings.session_length_web_in_hours = 24;
            cfg.service_settings.session_length_mobile_in_hours = 72;
        });
        let (_, _, alice, _) = admin_and_user(&server).await;
        let older = server.client().login("alice", PASSWORD).await;
        older.put("/users/sessions/device", json!({"device_id": "android:xyz"})).await.expect(200);
        alice.put("/users/sessions/device", json!({})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        alice
            .put("/users/sessions/device", json!({"device_id": "android:xyz", "device_notification_disabled": "true", "mobile_version": "2.43.0"}))
            .await
            .expect(200);
        // The device's previous session is gone; this one now lasts the mobile length.
        older.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        let sessions = alice.get("/users/me/sessions").await.expect(200).body;
        let s = &sessions.as_array().unwrap()[0];
        assert_eq!(sessions.as_array().unwrap().len(), 1);
        assert_eq!(s["device_id"], "android:xyz");
        assert_eq!(s["props"]["mobile_version"], "2.43.0");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let remaining = s["expires_at"].as_i64().unwrap() - now;
        assert!(remaining > 71 * 3_600_000 && remaining <= 72 * 3_600_000, "{remaining}");
    }
);

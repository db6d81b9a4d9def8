//! Every cache of `app::caches` is warmed by one request, a change is made through the API,
//! and the very next request sees it: the change's event dropped the cached value.

use crate::posts_support::{create_post, my_member};
use crate::support::id;
use serde_json::json;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

dual_db_test!(
    async fn a_role_change_is_a_permission_at_once(server) {
        let basic = server.init_basic().await;
        let (channel, user, user2) = (basic.channel_id(), basic.user_id(), basic.user2_id());

        // Channel roles (the channel member cache).
        let roles = format!("/channels/{channel}/members/{user}/roles");
        let channel_user = json!({"roles": "channel_user"});
        basic.client2.put(&roles, channel_user.clone()).await
            .expect_error(403, "api.context.permissions.app_error");
        basic.client.put(&format!("/channels/{channel}/members/{user2}/roles"),
            json!({"roles": "channel_user channel_admin"})).await.expect(200);
        basic.client2.put(&roles, channel_user).await.expect(200);

        // System roles (copied into the sessions: the session cache).
        let sessions = format!("/users/{user}/sessions");
        basic.client2.get(&sessions).await.expect_error(403, "api.context.permissions.app_error");
        let system_roles = format!("/users/{user2}/roles");
        basic.admin.put(&system_roles, json!({"roles": "system_user system_admin"})).await.expect(200);
        basic.client2.get(&sessions).await.expect(200);
        basic.admin.put(&system_roles, json!({"roles": "system_user"})).await.expect(200);
        basic.client2.get(&sessions).await.expect_error(403, "api.context.permissions.app_error");

        // Membership (the channel member cache, and the team's).
        basic.client2.post("/posts", json!({"channel_id": channel, "message": "in"})).await.expect(201);
        basic.client.delete(&format!("/channels/{channel}/members/{user2}")).await.expect(200);
        basic.client2.post("/posts", json!({"channel_id": channel, "message": "out"})).await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn notify_props_decide_the_next_posts_mentions(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id();
        let mentions = || async { my_member(&basic.client2, channel).await["mention_count"].as_i64().unwrap() };

        // The user's mention keys (the member profiles, through the user's profile).
        let before = mentions().await;
        create_post(&basic.client, channel, "zebra crossing").await;
        assert_eq!(mentions().await, before);
        basic.client2.put("/users/me/patch",
            json!({"notify_props": {"mention_keys": "zebra", "channel": "true"}})).await.expect(200);
        create_post(&basic.client, channel, "zebra crossing").await;
        assert_eq!(mentions().await, before + 1);

        // The member's channel notify props (the member profiles, through the membership).
        create_post(&basic.client, channel, "@channel look").await;
        assert_eq!(mentions().await, before + 2);
        basic.client2.put(&format!("/channels/{channel}/members/{}/notify_props", basic.user2_id()),
            json!({"ignore_channel_mentions": "on"})).await.expect(200);
        create_post(&basic.client, channel, "@channel look").await;
        assert_eq!(mentions().await, before + 2);
    }
);

dual_db_test!(
    async fn a_renamed_channel_is_named_so_in_the_next_post_event(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id();
        let (mut ws, _) = WsClient::connect_ready(&server, basic.client2.token.as_deref().unwrap()).await;
        create_post(&basic.client, channel, "before").await;
        let posted = ws.next_event("posted").await;
        assert_eq!(posted["data"]["channel_display_name"], "Basic Channel");
        basic.client.put(&format!("/channels/{channel}/patch"),
            json!({"display_name": "Renamed Channel"})).await.expect(200);
        create_post(&basic.client, channel, "after").await;
        let posted = ws.next_event("posted").await;
        assert_eq!(posted["data"]["channel_display_name"], "Renamed Channel");
        // The counters a cached channel leaves out are still read from the store: the
        // fixture's post, "before", the rename's system message and "after".
        let got = basic.client.get(&format!("/channels/{channel}")).await.expect(200).body;
        assert_eq!(got["display_name"], "Renamed Channel");
        assert_eq!(got["total_msg_count"], 4);
    }
);

dual_db_test!(
    async fn a_revoked_session_is_refused_at_once(server) {
        let basic = server.init_basic().await;
        let other = server.client().login("basicuser2", crate::support::PASSWORD).await;
        other.get("/users/me").await.expect(200);
        basic.client2.get("/users/me").await.expect(200);
        let sessions = basic.client2.get("/users/me/sessions").await.expect(200).body;
        // `other` logged in last.
        let newest = sessions.as_array().unwrap().iter()
            .max_by_key(|s| s["create_at"].as_i64().unwrap()).map(id).unwrap();
        basic.client2.post(&format!("/users/{}/sessions/revoke", basic.user2_id()),
            json!({"session_id": newest})).await.expect(200);
        other.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        basic.client2.get("/users/me").await.expect(200);

        basic.client2.post("/users/logout", json!({})).await.expect(200);
        basic.client2.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn a_deactivated_users_token_is_refused_at_once(server) {
        let basic = server.init_basic().await;
        let me = basic.client2.get("/users/me").await.expect(200).body;
        assert_eq!(me["delete_at"], 0);
        basic.admin.put(&format!("/users/{}/active", basic.user2_id()), json!({"active": false})).await.expect(200);
        basic.client2.get("/users/me").await.expect_error(401, "api.context.session_expired.app_error");
        // The cached user is dropped too: an admin sees the deactivation.
        let user = basic.admin.get(&format!("/users/{}", basic.user2_id())).await.expect(200).body;
        assert!(user["delete_at"].as_i64().unwrap() > 0);
    }
);

dual_db_test!(
    async fn a_new_password_is_the_one_checked(server) {
        let basic = server.init_basic().await;
        let me = basic.client2.get("/users/me").await.expect(200).body;
        let password = format!("/users/{}/password", id(&me));
        let new = "Another-Password-5678";
        basic.client2.put(&password, json!({"current_password": crate::support::PASSWORD, "new_password": new})).await.expect(200);
        // The user (with its password hash) was cached by the first request.
        basic.client2.put(&password, json!({"current_password": crate::support::PASSWORD, "new_password": "Third-Password-9012"})).await
            .expect_error(400, "api.user.update_password.incorrect.app_error");
        basic.client2.put(&password, json!({"current_password": new, "new_password": "Third-Password-9012"})).await.expect(200);
    }
);

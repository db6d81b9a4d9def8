//! Ids in URL paths: the typed path extractor refuses a malformed one with Mattermost's
//! `SetInvalidURLParam` answer naming the segment, before authorization runs, and after the
//! session check.

use utmost_testkit::dual_db_test;

/// 25 characters: one short of an id.
const SHORT: &str = "abcdefghijklmnopqrstuvwxy";
/// 26 characters, one of them not alphanumeric.
const PUNCTUATED: &str = "abcdefghijklmnopqrstuvwxy!";

/// Asserts Mattermost's answer to a malformed `param` in the URL.
#[track_caller]
fn assert_invalid_url_param(resp: utmost_testkit::Resp, param: &str) {
    let resp = resp.expect_error(400, "api.context.invalid_url_param.app_error");
    assert_eq!(
        resp.body["message"],
        format!("Invalid or missing {param} parameter in request URL."),
        "{}",
        resp.text
    );
    assert_eq!(resp.body["status_code"], 400);
}

dual_db_test!(
    async fn malformed_ids_are_refused_naming_the_parameter(server) {
        let basic = server.init_basic().await;
        let (user, team, channel) = (basic.user_id(), basic.team_id(), basic.channel_id());
        let post = crate::support::id(&basic.post);
        let c = &basic.client;
        for bad in [SHORT, PUNCTUATED, "me"] {
            // `me` stands for the session's user only in `{user_id}`.
            if bad != "me" {
                assert_invalid_url_param(c.get(&format!("/users/{bad}")).await, "user_id");
                assert_invalid_url_param(
                    c.get(&format!("/channels/{channel}/members/{bad}")).await,
                    "user_id",
                );
            }
            assert_invalid_url_param(c.get(&format!("/teams/{bad}")).await, "team_id");
            assert_invalid_url_param(
                c.get(&format!("/users/{user}/teams/{bad}/channels")).await,
                "team_id",
            );
            assert_invalid_url_param(c.get(&format!("/teams/{bad}/members/me")).await, "team_id");
            assert_invalid_url_param(c.get(&format!("/channels/{bad}")).await, "channel_id");
            assert_invalid_url_param(
                c.get(&format!("/channels/{bad}/members/{user}")).await,
                "channel_id",
            );
            assert_invalid_url_param(c.get(&format!("/posts/{bad}")).await, "post_id");
            assert_invalid_url_param(
                c.put(&format!("/posts/{bad}/patch"), serde_json::json!({"message": "x"})).await,
                "post_id",
            );
            assert_invalid_url_param(
                c.post(&format!("/users/me/posts/{bad}/set_unread"), serde_json::json!({})).await,
                "post_id",
            );
            assert_invalid_url_param(c.get(&format!("/roles/{bad}")).await, "role_id");
            assert_invalid_url_param(c.get(&format!("/users/tokens/{bad}")).await, "token_id");
        }
        // A route whose second id is good reports the first.
        assert_invalid_url_param(
            c.get(&format!("/users/{SHORT}/teams/{team}/channels")).await,
            "user_id",
        );
        assert_invalid_url_param(
            c.post(&format!("/users/{SHORT}/posts/{post}/set_unread"), serde_json::json!({})).await,
            "user_id",
        );
    }
);

dual_db_test!(
    async fn the_id_is_checked_before_permission_and_after_the_session(server) {
        let basic = server.init_basic().await;
        // client2 may not read other users' sessions, yet a malformed id is answered first.
        assert_invalid_url_param(
            basic.client2.get(&format!("/users/{SHORT}/sessions")).await,
            "user_id",
        );
        basic
            .client2
            .get(&format!("/users/{}/sessions", basic.user_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // Without a session, the answer is the session's 401, whatever the path holds.
        server
            .client()
            .get(&format!("/posts/{SHORT}"))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn well_formed_ids_and_me_reach_the_handler(server) {
        let basic = server.init_basic().await;
        let (user, team, channel) = (basic.user_id(), basic.team_id(), basic.channel_id());
        let post = crate::support::id(&basic.post);
        let c = &basic.client;
        for path in [
            format!("/users/{user}"),
            "/users/me".to_string(),
            format!("/users/me/teams/{team}/channels"),
            format!("/teams/{team}"),
            format!("/teams/{team}/members/me"),
            format!("/teams/{team}/members/{user}"),
            format!("/channels/{channel}"),
            format!("/channels/{channel}/members/me"),
            format!("/posts/{post}"),
            format!("/posts/{post}/thread"),
        ] {
            c.get(&path).await.expect(200);
        }
        let me = c.get("/users/me").await.expect(200);
        assert_eq!(me.body["id"], user);
        c.put(&format!("/posts/{post}/patch"), serde_json::json!({"message": "edited"}))
            .await
            .expect(200);
        let role = c.get("/roles/name/system_user").await.expect(200);
        let role_id = crate::support::id(&role.body);
        c.get(&format!("/roles/{role_id}")).await.expect(200);
        // A well-formed id that names nothing is the handler's 404, not a 400.
        c.get(&format!("/posts/{}", "z".repeat(26)))
            .await
            .expect_error(404, "app.post.get.app_error");
    }
);

//! Errors raised from more than one place carry one message, and a status the service chose
//! (`utmost_app::errors`), never one the store picked.

use serde_json::json;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

dual_db_test!(
    async fn a_missing_team_name_reads_the_same_from_teams_and_channels(server) {
        let basic = server.init_basic().await;
        let c = &basic.client;
        let by_team = c
            .get("/teams/name/no-such-team")
            .await
            .expect_error(404, "app.team.get_by_name.missing.app_error");
        let by_channel = c
            .get("/teams/name/no-such-team/channels/name/town-square")
            .await
            .expect_error(404, "app.team.get_by_name.missing.app_error");
        assert_eq!(by_team.body["message"], "Unable to find the existing team.");
        assert_eq!(by_channel.body["message"], by_team.body["message"]);
    }
);

dual_db_test!(
    async fn an_unknown_role_is_a_404_to_look_up_and_a_400_in_member_roles(server) {
        let basic = server.init_basic().await;
        let (team, channel, user) = (basic.team_id(), basic.channel_id(), basic.user_id());
        let lookup = basic
            .client
            .get("/roles/name/no_such_role")
            .await
            .expect_error(404, "app.role.get_by_name.app_error");
        let roles = json!({"roles": "team_user no_such_role"});
        let in_team = basic
            .admin
            .put(&format!("/teams/{team}/members/{user}/roles"), roles)
            .await
            .expect_error(400, "app.role.get_by_name.app_error");
        let roles = json!({"roles": "channel_user no_such_role"});
        let in_channel = basic
            .admin
            .put(&format!("/channels/{channel}/members/{user}/roles"), roles)
            .await
            .expect_error(400, "app.role.get_by_name.app_error");
        assert_eq!(in_team.body["message"], lookup.body["message"]);
        assert_eq!(in_channel.body["message"], lookup.body["message"]);
    }
);

dual_db_test!(
    async fn a_websocket_message_without_a_usable_sequence_has_one_answer(server) {
        let basic = server.init_basic().await;
        let token = basic.client.token.as_deref().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, token).await;
        ws.send(json!("not a request")).await;
        let garbled = ws.reply(0).await;
        ws.send(json!({"seq": 0, "action": "get_statuses"})).await;
        let unnumbered = ws.reply(0).await;
        assert_eq!(garbled["status"], "FAIL");
        assert_eq!(garbled["error"]["id"], "api.web_socket_router.bad_seq.app_error");
        assert_eq!(garbled["error"], unnumbered["error"]);
    }
);

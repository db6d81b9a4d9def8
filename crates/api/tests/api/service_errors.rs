//! Errors raised from more than one place carry one message, and a status the service chose
//! (`utmost_app::errors`), never one the store picked.

use serde_json::json;
use utmost_testkit::dual_db_test;

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

//! Direct and group message channels.

use crate::channels_support::Fixture;
use crate::support::id;
use serde_json::json;
use utmost_testkit::{dual_db_test, TestServer};

const PERMISSIONS: &str = "api.context.permissions.app_error";

dual_db_test!(
    async fn direct_messages(server) {
        let f = Fixture::new(&server).await;
        let r = f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        let dm = id(&r.body);
        let mut ids = [f.user_id.clone(), f.user2_id.clone()];
        ids.sort();
        assert_eq!(r.body["name"], format!("{}__{}", ids[0], ids[1]));
        assert_eq!(r.body["type"], "D");
        assert_eq!(r.body["display_name"], "");
        assert_eq!(r.body["team_id"], "");
        // The same DM twice, in either order, is the same channel.
        let again = f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        assert_eq!(id(&again.body), dm);
        let reversed = f.user2.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        assert_eq!(id(&reversed.body), dm);
        // Both are members; nobody else may read it.
        f.user2.get(&format!("/channels/{dm}")).await.expect(200);
        let members = f.user.get(&format!("/channels/{dm}/members")).await.expect(200);
        assert_eq!(members.body.as_array().unwrap().len(), 2);
        f.outsider.get(&format!("/channels/{dm}")).await.expect_error(403, PERMISSIONS);
        f.outsider.get(&format!("/channels/{dm}/members")).await.expect_error(403, PERMISSIONS);
        // Members may edit the header but not rename it.
        f.user.put(&format!("/channels/{dm}/patch"), json!({"header": "hi"})).await.expect(200);
        f.user.put(&format!("/channels/{dm}/patch"), json!({"display_name": "x"})).await
            .expect_error(400, "api.channel.update_channel.update_direct_or_group_messages_not_allowed.app_error");
        f.outsider.put(&format!("/channels/{dm}/patch"), json!({"header": "x"})).await
            .expect_error(403, "api.channel.patch_update_channel.forbidden.app_error");
        f.user.delete(&format!("/channels/{dm}")).await.expect_error(400, "api.channel.delete_channel.type.invalid");
    }
);

dual_db_test!(
    async fn direct_message_input(server) {
        let f = Fixture::new(&server).await;
        let own = f.user.post("/channels/direct", json!([f.user_id])).await.expect(201);
        assert_eq!(own.body["name"], format!("{0}__{0}", f.user_id));
        assert_eq!(f.user.get(&format!("/channels/{}/members", id(&own.body))).await.expect(200).body.as_array().unwrap().len(), 1);

        f.user.post("/channels/direct", json!([f.user2_id])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels/direct", json!([f.user_id, f.user2_id, f.admin_id])).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels/direct", json!([f.user_id, "short"])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels/direct", json!({"a": 1})).await.expect_error(400, "api.payload.parse.error");
        f.user.post("/channels/direct", json!([f.user_id, utmost_model::new_id()])).await
            .expect_error(400, "api.channel.create_direct_channel.invalid_user.app_error");
        // Opening a DM between two other people takes manage_system.
        f.user.post("/channels/direct", json!([f.user2_id, f.outsider_id])).await.expect_error(403, PERMISSIONS);
        f.admin.post("/channels/direct", json!([f.user2_id, f.outsider_id])).await.expect(201);
    }
);

dual_db_test!(
    async fn direct_messages_restricted_to_teams(server) {
        let server = TestServer::start_with(server.kind, |c| {
            c.team_settings.restrict_direct_message = "team".into();
        })
        .await;
        let f = Fixture::new(&server).await;
        f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        f.user.post("/channels/direct", json!([f.user_id, f.outsider_id])).await
            .expect_error(403, "api.channel.create_channel.direct_channel.team_restricted_error");
        f.admin.post("/channels/direct", json!([f.admin_id, f.outsider_id])).await.expect(201);
    }
);

dual_db_test!(
    async fn group_messages(server) {
        let f = Fixture::new(&server).await;
        let r = f.user.post("/channels/group", json!([f.user2_id, f.admin_id])).await.expect(201);
        let gm = id(&r.body);
        assert_eq!(r.body["type"], "G");
        assert_eq!(r.body["display_name"], "basicuser, basicuser2, sysadmin");
        let ids = vec![f.user_id.clone(), f.user2_id.clone(), f.admin_id.clone()];
        assert_eq!(r.body["name"], utmost_model::id::group_channel_name(&ids));
        let again = f.user2.post("/channels/group", json!([f.admin_id, f.user_id, f.user2_id])).await.expect(201);
        assert_eq!(id(&again.body), gm);
        assert_eq!(f.user.get(&format!("/channels/{gm}/members")).await.expect(200).body.as_array().unwrap().len(), 3);
        f.outsider.get(&format!("/channels/{gm}")).await.expect_error(403, PERMISSIONS);

        f.user.post("/channels/group", json!([f.user2_id])).await
            .expect_error(400, "api.channel.create_group.bad_size.app_error");
        f.user.post("/channels/group", json!([f.user2_id, utmost_model::new_id()])).await
            .expect_error(400, "api.channel.create_group.bad_user.app_error");
        f.user.post("/channels/group", json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels/group", json!("x")).await.expect_error(400, "api.payload.parse.error");
    }
);

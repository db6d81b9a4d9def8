//! Channel membership: adding, removing, listing, roles, notify props, marking viewed.

use crate::channels_support::Fixture;
use crate::support::id;
use serde_json::json;
use utmost_testkit::dual_db_test;

const PERMISSIONS: &str = "api.context.permissions.app_error";

dual_db_test!(
    async fn adding_members(server) {
        let f = Fixture::new(&server).await;
        let channel = f.create_channel("more", "O").await;
        let path = format!("/channels/{channel}/members");
        let r = f.user.post(&path, json!({"user_id": f.user2_id})).await.expect(201);
        assert_eq!(r.body["user_id"], f.user2_id.as_str());
        assert_eq!(r.body["roles"], "channel_user");
        assert_eq!(r.body["scheme_user"], true);
        assert!(r.body.get("last_viewed_at").is_none(), "another user's read time is hidden");
        // Adding an existing member answers the membership.
        f.user.post(&path, json!({"user_id": f.user2_id})).await.expect(201);
        // Anyone in the team may join a public channel; the list form answers a list.
        let joined = f.admin.post(&path, json!({"user_ids": [f.admin_id]})).await.expect(201);
        assert_eq!(joined.body.as_array().unwrap().len(), 1);

        f.user.post(&path, json!({"user_id": f.outsider_id})).await
            .expect_error(404, "app.team.get_member.missing.app_error");
        f.user.post(&path, json!({})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post(&path, json!({"user_ids": ["bad"]})).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.outsider.post(&path, json!({"user_id": f.outsider_id})).await.expect_error(403, PERMISSIONS);
        f.user.post(&format!("/channels/{}/members", utmost_model::new_id()), json!({"user_id": f.user2_id})).await
            .expect_error(404, "app.channel.get.existing.app_error");

        // Private channels take manage_private_channel_members, which only members have.
        let secret = f.create_channel("secret", "P").await;
        f.user2.post(&format!("/channels/{secret}/members"), json!({"user_id": f.user2_id})).await
            .expect_error(403, PERMISSIONS);
        f.user.post(&format!("/channels/{secret}/members"), json!({"user_id": f.user2_id})).await.expect(201);

        let dm = id(&f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201).body);
        f.user.post(&format!("/channels/{dm}/members"), json!({"user_id": f.admin_id})).await
            .expect_error(400, "api.channel.add_user_to_channel.type.app_error");
    }
);

dual_db_test!(
    async fn listing_and_reading_members(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}/members", f.private_id);
        let r = f.user.get(&path).await.expect(200);
        let members = r.body.as_array().unwrap();
        assert_eq!(members.len(), 2);
        for m in members {
            let own = m["user_id"] == f.user_id.as_str();
            assert_eq!(m.get("last_viewed_at").is_some(), own);
        }
        let page = f.user.get(&format!("{path}?page=1&per_page=1")).await.expect(200);
        assert_eq!(page.body.as_array().unwrap().len(), 1);
        f.outsider.get(&path).await.expect_error(403, PERMISSIONS);
        // Like Mattermost, a negative page is read as the first page.
        let first = f.user.get(&format!("{path}?page=-1")).await.expect(200);
        assert_eq!(first.body, f.user.get(&path).await.expect(200).body);

        let me = f.user2.get(&format!("{path}/me")).await.expect(200);
        assert_eq!(me.body["user_id"], f.user2_id.as_str());
        assert!(me.body.get("last_viewed_at").is_some());
        f.user.get(&format!("{path}/{}", f.admin_id)).await
            .expect_error(404, "app.channel.get_member.missing.app_error");
        f.outsider.get(&format!("{path}/me")).await.expect_error(403, PERMISSIONS);

        let ids = f.user.post(&format!("{path}/ids"), json!([f.user2_id, f.admin_id])).await.expect(200);
        assert_eq!(ids.body.as_array().unwrap().len(), 1);
        f.user.post(&format!("{path}/ids"), json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post(&format!("{path}/ids"), json!({"no": 1})).await.expect_error(400, "api.payload.parse.error");
        f.outsider.post(&format!("{path}/ids"), json!([f.user_id])).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn removing_members(server) {
        let f = Fixture::new(&server).await;
        let private = format!("/channels/{}/members", f.private_id);
        // Removing someone else takes the manage-members permission of the channel type.
        f.outsider.delete(&format!("{private}/{}", f.user_id)).await.expect_error(403, PERMISSIONS);
        let r = f.user.delete(&format!("{private}/{}", f.user2_id)).await.expect(200);
        assert_eq!(r.body["status"], "OK");
        f.user.get(&format!("{private}/{}", f.user2_id)).await
            .expect_error(404, "app.channel.get_member.missing.app_error");
        f.user.delete(&format!("{private}/{}", f.user2_id)).await
            .expect_error(404, "app.channel.get_member.missing.app_error");
        // Leaving yourself needs no permission.
        f.user2.delete(&format!("/channels/{}/members/me", f.channel_id)).await.expect(200);

        let town_square = f.channel_named("town-square").await;
        f.user.delete(&format!("/channels/{town_square}/members/me")).await
            .expect_error(400, "api.channel.remove.default.app_error");
        let dm = id(&f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201).body);
        f.user.delete(&format!("/channels/{dm}/members/me")).await
            .expect_error(400, "api.channel.remove_channel_member.type.app_error");
        f.user.delete(&format!("{private}/{}", utmost_model::new_id())).await
            .expect_error(404, "app.user.missing_account.const");
    }
);

dual_db_test!(
    async fn member_roles(server) {
        let f = Fixture::new(&server).await;
        let member = format!("/channels/{}/members/{}", f.channel_id, f.user2_id);
        f.user2.put(&format!("/channels/{}/members/{}/roles", f.channel_id, f.user_id), json!({"roles": "channel_user"})).await
            .expect_error(403, PERMISSIONS);
        f.user.put(&format!("{member}/roles"), json!({"roles": "channel_user channel_admin"})).await.expect(200);
        let m = f.user.get(&member).await.expect(200);
        assert_eq!(m.body["scheme_admin"], true);
        assert_eq!(m.body["roles"], "channel_user channel_admin");
        f.user.put(&format!("{member}/roles"), json!({"roles": "Bad-Role"})).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.put(&format!("{member}/roles"), json!({"roles": "no_such_role"})).await
            .expect_error(400, "app.role.get_by_name.app_error");
        f.user.put(&format!("{member}/roles"), json!({"roles": "team_admin"})).await
            .expect_error(400, "api.channel.update_channel_member_roles.scheme_role.app_error");
        f.user.put(&format!("{member}/roles"), json!({"roles": "channel_guest"})).await
            .expect_error(400, "api.channel.update_channel_member_roles.changing_guest_role.app_error");
        f.user.put(&format!("/channels/{}/members/{}/roles", f.channel_id, f.admin_id), json!({"roles": "channel_user"})).await
            .expect_error(404, "app.channel.get_member.missing.app_error");

        let scheme = format!("{member}/schemeRoles");
        f.user.put(&scheme, json!({"scheme_admin": false, "scheme_user": true, "scheme_guest": false})).await.expect(200);
        let m = f.user.get(&member).await.expect(200);
        assert_eq!(m.body["roles"], "channel_user");
        assert_eq!(m.body["scheme_admin"], false);
        f.user.put(&scheme, json!({"scheme_user": true, "scheme_guest": true})).await
            .expect_error(400, "api.channel.update_channel_member_roles.guest_and_user.app_error");
        f.user.put(&scheme, json!("nope")).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.outsider.put(&scheme, json!({"scheme_user": true})).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn notify_props_merge(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/channels/{}/members/me/notify_props", f.channel_id);
        f.user.put(&path, json!({"desktop": "mention", "unknown": "x"})).await.expect(200);
        f.user.put(&path, json!({"push": "none"})).await.expect(200);
        let m = f.user.get(&format!("/channels/{}/members/me", f.channel_id)).await.expect(200);
        assert_eq!(m.body["notify_props"]["desktop"], "mention");
        assert_eq!(m.body["notify_props"]["push"], "none");
        assert_eq!(m.body["notify_props"]["mark_unread"], "all");
        assert!(m.body["notify_props"].get("unknown").is_none());
        f.user.put(&path, json!({"mark_unread": "sometimes"})).await
            .expect_error(400, "model.channel_member.is_valid.unread_level.app_error");
        f.user.put(&path, json!(["x"])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user2.put(&format!("/channels/{}/members/{}/notify_props", f.channel_id, f.user_id), json!({"desktop": "all"})).await
            .expect_error(403, PERMISSIONS);
        f.admin.put(&format!("/channels/{}/members/me/notify_props", f.channel_id), json!({"desktop": "all"})).await
            .expect_error(404, "app.channel.get_member.missing.app_error");
    }
);

dual_db_test!(
    async fn viewing_resets_unread_state(server) {
        let f = Fixture::new(&server).await;
        let before = f.user.get(&format!("/channels/{}/members/me", f.channel_id)).await.expect(200).body;
        f.user2
            .post("/posts", json!({"channel_id": f.channel_id, "message": "hello @basicuser"}))
            .await
            .expect(201);
        let channel = f.user.get(&format!("/channels/{}", f.channel_id)).await.expect(200).body;
        let unread = f.user.get(&format!("/channels/{}/members/me", f.channel_id)).await.expect(200).body;
        assert_eq!(unread["mention_count"], 1);
        assert!(unread["msg_count"].as_i64() < channel["total_msg_count"].as_i64());

        let r = f
            .user
            .post(
                "/channels/members/me/view",
                json!({"channel_id": f.channel_id, "prev_channel_id": "", "collapsed_threads_supported": true}),
            )
            .await
            .expect(200);
        assert_eq!(r.body["status"], "OK");
        let last_post_at = channel["last_post_at"].as_i64().unwrap();
        assert_eq!(r.body["last_viewed_at_times"][&f.channel_id], last_post_at);
        let read = f.user.get(&format!("/channels/{}/members/me", f.channel_id)).await.expect(200).body;
        assert_eq!(read["mention_count"], 0);
        assert_eq!(read["mention_count_root"], 0);
        assert_eq!(read["urgent_mention_count"], 0);
        assert_eq!(read["msg_count"], channel["total_msg_count"]);
        assert_eq!(read["msg_count_root"], channel["total_msg_count_root"]);
        assert_eq!(read["last_viewed_at"], last_post_at);
        assert_eq!(read["last_update_at"], last_post_at);
        assert!(before["last_viewed_at"].as_i64() < Some(last_post_at));

        let empty = f.user.post("/channels/members/me/view", json!({})).await.expect(200);
        assert_eq!(empty.body["last_viewed_at_times"], json!({}));
        f.user.post("/channels/members/me/view", json!({"channel_id": "bad"})).await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post("/channels/members/me/view", json!({"channel_id": utmost_model::new_id()})).await
            .expect_error(400, "app.channel.update_last_viewed_at.app_error");
        f.user2.post(&format!("/channels/members/{}/view", f.user_id), json!({"channel_id": f.channel_id})).await
            .expect_error(403, PERMISSIONS);
    }
);

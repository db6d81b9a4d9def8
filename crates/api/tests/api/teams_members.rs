//! Team membership: join, add, batch add, leave/remove, list, roles.

use crate::teams_support::{add_member, create_team, id, people, revoke_permission, MISSING_ID};
use serde_json::{json, Value};
use utmost_testkit::dual_db_test;

fn user_ids(members: &Value) -> Vec<&str> {
    members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["user_id"].as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn join_an_open_team_yourself(server) {
        let p = people(&server).await;
        let open = create_team(&p.alice, "open", true).await;
        let closed = create_team(&p.alice, "closed", false).await;

        let me = add_member(&p.bob, &open, p.bob_id()).await;
        assert_eq!(me["team_id"], open["id"]);
        assert_eq!(me["user_id"], p.bob_id());
        assert_eq!(me["roles"], "team_user");
        assert_eq!(me["scheme_user"], true);
        assert_eq!(me["scheme_admin"], false);
        // Joining again answers the existing membership.
        let again = add_member(&p.bob, &open, p.bob_id()).await;
        assert_eq!(again, me);

        // A closed team needs join_private_teams, which regular users lack.
        p.bob
            .post(&format!("/teams/{}/members", id(&closed)), json!({"team_id": id(&closed), "user_id": p.bob_id()}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        revoke_permission(&p.admin, "system_user", "join_public_teams").await;
        let (carol_user, carol) = server.create_user(Some(&p.admin), "carol").await;
        carol
            .post(&format!("/teams/{}/members", id(&open)), json!({"team_id": id(&open), "user_id": carol_user["id"]}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn add_member_validates_and_checks_permission(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "team", false).await;
        let tid = id(&team).to_string();
        let path = format!("/teams/{tid}/members");

        // Bob is not in the team, so he may not add anyone to it.
        p.bob
            .post(&path, json!({"team_id": tid, "user_id": p.admin_id()}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.alice
            .post(&path, json!({"team_id": MISSING_ID, "user_id": p.bob_id()}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        p.alice
            .post(&path, json!({"team_id": tid, "user_id": "nope"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        p.alice
            .post(&path, json!({"team_id": tid, "user_id": 12}))
            .await
            .expect_error(400, "api.team.add_team_member.invalid_body.app_error");
        p.alice
            .post(&path, json!({"team_id": tid, "user_id": MISSING_ID}))
            .await
            .expect_error(404, "app.user.missing_account.const");
        p.admin
            .post(&format!("/teams/{MISSING_ID}/members"), json!({"team_id": MISSING_ID, "user_id": p.bob_id()}))
            .await
            .expect_error(404, "app.team.get.find.app_error");

        let added = add_member(&p.alice, &team, p.bob_id()).await;
        assert_eq!(added["roles"], "team_user");
        // Bob, now a team user, may add others (team_user holds add_user_to_team).
        add_member(&p.bob, &team, p.admin_id()).await;
        let members = p.alice.get(&format!("/teams/{tid}/members")).await.expect(200).body;
        assert_eq!(members.as_array().unwrap().len(), 3);
    }
);

dual_db_test!(
    async fn max_users_per_team_is_enforced(server) {
        let server = utmost_testkit::TestServer::start_with(server.kind, |c| {
            c.team_settings.max_users_per_team = 2;
        })
        .await;
        let p = people(&server).await;
        let team = create_team(&p.alice, "small", true).await;
        add_member(&p.alice, &team, p.bob_id()).await;
        p.alice
            .post(&format!("/teams/{}/members", id(&team)), json!({"team_id": id(&team), "user_id": p.admin_id()}))
            .await
            .expect_error(400, "app.team.join_user_to_team.save_member.max_accounts.app_error");
        // Leaving frees a seat; rejoining a full team is refused with Mattermost's other id.
        p.bob.delete(&format!("/teams/{}/members/me", id(&team))).await.expect(200);
        add_member(&p.alice, &team, p.admin_id()).await;
        p.bob
            .post(&format!("/teams/{}/members", id(&team)), json!({"team_id": id(&team), "user_id": p.bob_id()}))
            .await
            .expect_error(400, "app.team.join_user_to_team.max_accounts.app_error");
    }
);

dual_db_test!(
    async fn batch_add_members(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "batch", false).await;
        let tid = id(&team).to_string();
        let path = format!("/teams/{tid}/members/batch");
        let added = p
            .alice
            .post(&path, json!([
                {"team_id": tid, "user_id": p.bob_id()},
                {"team_id": tid, "user_id": p.admin_id()},
            ]))
            .await
            .expect(201)
            .body;
        assert_eq!(user_ids(&added), [p.bob_id(), p.admin_id()]);

        let (carol_user, _) = server.create_user(Some(&p.admin), "carol").await;
        let graceful = p
            .alice
            .post(&format!("{path}?graceful=true"), json!([
                {"team_id": tid, "user_id": carol_user["id"]},
                {"team_id": tid, "user_id": MISSING_ID},
            ]))
            .await
            .expect(201)
            .body;
        assert_eq!(graceful[0]["user_id"], carol_user["id"]);
        assert_eq!(graceful[0]["member"]["roles"], "team_user");
        assert!(graceful[0]["error"].is_null());
        assert!(graceful[1]["member"].is_null());
        assert_eq!(graceful[1]["error"]["id"], "app.user.missing_account.const");

        p.alice
            .post(&path, json!([{"team_id": tid, "user_id": MISSING_ID}]))
            .await
            .expect_error(404, "app.user.missing_account.const");
        p.alice.post(&path, json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        p.alice
            .post(&path, json!([{"team_id": MISSING_ID, "user_id": p.bob_id()}]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let too_many: Vec<Value> = (0..257).map(|_| json!({"team_id": tid, "user_id": p.bob_id()})).collect();
        p.alice.post(&path, json!(too_many)).await.expect_error(400, "api.context.invalid_body_param.app_error");
        p.alice.post(&path, json!({"not": "a list"})).await.expect_error(400, "api.context.invalid_body_param.app_error");

        let (_, dave) = server.create_user(Some(&p.admin), "dave").await;
        dave.post(&path, json!([{"team_id": tid, "user_id": p.bob_id()}]))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.admin
            .post(&format!("/teams/{MISSING_ID}/members/batch"), json!([{"team_id": MISSING_ID, "user_id": p.bob_id()}]))
            .await
            .expect_error(404, "app.team.get.find.app_error");
    }
);

dual_db_test!(
    async fn leave_and_rejoin_keep_one_row(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "leavers", true).await;
        let tid = id(&team).to_string();
        add_member(&p.bob, &team, p.bob_id()).await;

        let r = p.bob.delete(&format!("/teams/{tid}/members/me")).await.expect(200);
        assert_eq!(r.body, json!({"status": "OK"}));
        // The row stays, marked deleted; it no longer grants view_team.
        let left = p.alice.get(&format!("/teams/{tid}/members/{}", p.bob_id())).await.expect(200).body;
        assert!(left["delete_at"].as_i64().unwrap() > 0);
        let members = p.alice.get(&format!("/teams/{tid}/members")).await.expect(200).body;
        assert_eq!(user_ids(&members), [p.alice_id()]);
        let memberships = p.bob.get("/users/me/teams/members").await.expect(200).body;
        assert_eq!(memberships.as_array().unwrap().len(), 1, "teams you left are still listed");
        assert!(memberships[0]["delete_at"].as_i64().unwrap() > 0);
        assert!(p.bob.get("/users/me/teams").await.expect(200).body.as_array().unwrap().is_empty());

        let back = add_member(&p.bob, &team, p.bob_id()).await;
        assert_eq!(back["delete_at"], 0);
        assert_eq!(back["roles"], "team_user");
        let members = p.alice.get(&format!("/teams/{tid}/members")).await.expect(200).body;
        assert_eq!(members.as_array().unwrap().len(), 2);
    }
);

dual_db_test!(
    async fn remove_member_needs_permission(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "removals", true).await;
        let tid = id(&team).to_string();
        add_member(&p.alice, &team, p.bob_id()).await;
        // A team user may not remove others; the team admin may.
        p.bob
            .delete(&format!("/teams/{tid}/members/{}", p.alice_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.alice.delete(&format!("/teams/{tid}/members/{}", p.bob_id())).await.expect(200);
        p.alice
            .delete(&format!("/teams/{tid}/members/{}", p.admin_id()))
            .await
            .expect_error(400, "api.team.remove_user_from_team.missing.app_error");
        p.alice
            .delete(&format!("/teams/{tid}/members/{MISSING_ID}"))
            .await
            .expect_error(404, "app.user.missing_account.const");
        p.admin
            .delete(&format!("/teams/{MISSING_ID}/members/{}", p.bob_id()))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        p.alice
            .delete(&format!("/teams/{tid}/members/bad"))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        // Bob has left, so he can no longer see the members.
        p.bob
            .get(&format!("/teams/{tid}/members"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn list_and_fetch_members(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "listing", false).await;
        let tid = id(&team).to_string();
        add_member(&p.alice, &team, p.bob_id()).await;
        add_member(&p.alice, &team, p.admin_id()).await;

        let mut expected = vec![p.alice_id(), p.bob_id(), p.admin_id()];
        expected.sort();
        let all = p.bob.get(&format!("/teams/{tid}/members")).await.expect(200).body;
        assert_eq!(user_ids(&all), expected, "ordered by user id");
        let page = p.bob.get(&format!("/teams/{tid}/members?page=1&per_page=2")).await.expect(200).body;
        assert_eq!(user_ids(&page), [expected[2]]);
        let by_name = p.bob.get(&format!("/teams/{tid}/members?sort=Username")).await.expect(200).body;
        assert_eq!(user_ids(&by_name), [p.alice_id(), p.bob_id(), p.admin_id()]);

        let one = p.bob.get(&format!("/teams/{tid}/members/{}", p.alice_id())).await.expect(200).body;
        assert_eq!(one["roles"], "team_user team_admin");
        p.bob
            .get(&format!("/teams/{tid}/members/{MISSING_ID}"))
            .await
            .expect_error(404, "app.team.get_member.missing.app_error");

        let by_ids = p
            .bob
            .post(&format!("/teams/{tid}/members/ids"), json!([p.alice_id(), MISSING_ID]))
            .await
            .expect(200)
            .body;
        assert_eq!(user_ids(&by_ids), [p.alice_id()]);
        p.bob
            .post(&format!("/teams/{tid}/members/ids"), json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        let (_, carol) = server.create_user(Some(&p.admin), "carol").await;
        for path in [format!("/teams/{tid}/members"), format!("/teams/{tid}/members/{}", p.alice_id())] {
            carol.get(&path).await.expect_error(403, "api.context.permissions.app_error");
        }
        carol
            .post(&format!("/teams/{tid}/members/ids"), json!([p.alice_id()]))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.bob
            .get("/teams/bad-id/members")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn member_roles(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "roles", false).await;
        let tid = id(&team).to_string();
        add_member(&p.alice, &team, p.bob_id()).await;
        let roles_path = format!("/teams/{tid}/members/{}/roles", p.bob_id());
        let member_path = format!("/teams/{tid}/members/{}", p.bob_id());

        let r = p.alice.put(&roles_path, json!({"roles": "team_user team_admin team_post_all"})).await.expect(200);
        assert_eq!(r.body, json!({"status": "OK"}));
        let m = p.alice.get(&member_path).await.expect(200).body;
        assert_eq!(m["roles"], "team_post_all team_user team_admin");
        assert_eq!(m["explicit_roles"], "team_post_all");
        assert_eq!(m["scheme_admin"], true);
        // As a team admin now, Bob may remove others.
        p.bob.put(&format!("/teams/{tid}/members/{}/roles", p.bob_id()), json!({"roles": "team_user"})).await.expect(200);
        let m = p.alice.get(&member_path).await.expect(200).body;
        assert_eq!(m["roles"], "team_user");
        assert_eq!(m["explicit_roles"], "");

        let bad = [
            (json!({"roles": "Not Valid!"}), "api.context.invalid_body_param.app_error"),
            (json!({"roles": "system_admin"}), "api.context.invalid_body_param.app_error"),
            (json!({"roles": "no_such_role"}), "app.role.get_by_name.app_error"),
            (json!({"roles": "channel_admin"}), "api.channel.update_team_member_roles.scheme_role.app_error"),
            (json!({"roles": "team_user team_guest"}), "api.team.update_team_member_roles.guest_and_user.app_error"),
            (json!({"roles": "team_guest"}), "api.channel.update_team_member_roles.changing_guest_role.app_error"),
        ];
        for (body, error_id) in bad {
            p.alice.put(&roles_path, body).await.expect_error(400, error_id);
        }
        p.bob
            .put(&format!("/teams/{tid}/members/{}/roles", p.alice_id()), json!({"roles": "team_user"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.alice
            .put(&format!("/teams/{tid}/members/{MISSING_ID}/roles"), json!({"roles": "team_user"}))
            .await
            .expect_error(404, "app.team.get_member.missing.app_error");

        let scheme_path = format!("/teams/{tid}/members/{}/schemeRoles", p.bob_id());
        p.alice
            .put(&scheme_path, json!({"scheme_admin": true, "scheme_user": true, "scheme_guest": false}))
            .await
            .expect(200);
        let m = p.alice.get(&member_path).await.expect(200).body;
        assert_eq!(m["roles"], "team_user team_admin");
        p.alice
            .put(&scheme_path, json!({"scheme_admin": false, "scheme_user": true, "scheme_guest": true}))
            .await
            .expect_error(400, "api.team.update_team_member_roles.guest_and_user.app_error");
        p.alice
            .put(&scheme_path, json!({"scheme_admin": "yes"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let (_, carol) = server.create_user(Some(&p.admin), "carol").await;
        carol
            .put(&scheme_path, json!({"scheme_admin": true, "scheme_user": true}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.alice
            .put(&format!("/teams/{tid}/members/{MISSING_ID}/schemeRoles"), json!({"scheme_user": true}))
            .await
            .expect_error(404, "app.team.get_member.missing.app_error");
    }
);

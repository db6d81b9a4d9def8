//! `POST /teams`, `GET /teams/{id}`, `GET /teams/name/…`, update, patch, privacy, archive,
//! restore and `GET /teams`.

use crate::teams_support::{add_member, create_team, id, people, revoke_permission, MISSING_ID};
use serde_json::json;
use utmost_testkit::dual_db_test;

dual_db_test!(
    async fn create_team_makes_the_creator_its_admin(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "alpha", true).await;
        assert_eq!(team["name"], "alpha");
        assert_eq!(team["display_name"], "Team alpha");
        assert_eq!(team["type"], "O");
        assert_eq!(team["allow_open_invite"], true);
        assert_eq!(team["email"], "alice@example.com");
        assert_eq!(team["invite_id"].as_str().unwrap().len(), 26);
        assert_eq!(team["delete_at"], 0);
        assert!(team["scheme_id"].is_null());

        let member = p
            .alice
            .get(&format!("/teams/{}/members/me", id(&team)))
            .await
            .expect(200)
            .body;
        assert_eq!(member["roles"], "team_user team_admin");
        assert_eq!(member["explicit_roles"], "");
        assert_eq!(member["scheme_user"], true);
        assert_eq!(member["scheme_admin"], true);
        assert_eq!(member["scheme_guest"], false);
        assert_eq!(member["delete_at"], 0);
        assert!(member.get("create_at").is_none());

        // The creator manages the team, so they see its e-mail and invite id.
        let got = p.alice.get(&format!("/teams/{}", id(&team))).await.expect(200).body;
        assert_eq!(got, team);
    }
);

dual_db_test!(
    async fn create_team_rejects_bad_input(server) {
        let p = people(&server).await;
        let cases = [
            (json!({"name": "api", "display_name": "X", "type": "O"}), "model.team.is_valid.reserved.app_error"),
            (json!({"name": "signup-team", "display_name": "X", "type": "O"}), "model.team.is_valid.reserved.app_error"),
            (json!({"name": "Bad Name", "display_name": "X", "type": "O"}), "model.team.is_valid.characters.app_error"),
            (json!({"name": "-ab", "display_name": "X", "type": "O"}), "model.team.is_valid.characters.app_error"),
            (json!({"name": "a", "display_name": "X", "type": "O"}), "model.team.is_valid.characters.app_error"),
            (json!({"name": "a".repeat(65), "display_name": "X", "type": "O"}), "model.team.is_valid.url.app_error"),
            (json!({"name": "good", "display_name": "", "type": "O"}), "model.team.is_valid.name.app_error"),
            (json!({"name": "good", "display_name": "X", "type": "P"}), "model.team.is_valid.type.app_error"),
            (json!({"name": "good", "display_name": "X", "type": "O", "description": "d".repeat(256)}), "model.team.is_valid.description.app_error"),
            (json!({"id": MISSING_ID, "name": "good", "display_name": "X", "type": "O"}), "app.team.save.existing.app_error"),
            (json!({"name": 5}), "api.context.invalid_body_param.app_error"),
        ];
        for (body, error_id) in cases {
            p.alice.post("/teams", body).await.expect_error(400, error_id);
        }
        create_team(&p.alice, "taken", true).await;
        p.bob
            .post("/teams", json!({"name": "taken", "display_name": "Again", "type": "O"}))
            .await
            .expect_error(400, "app.team.save.existing.app_error");
        // Nothing half-made stayed behind: only the one team exists.
        let all = p.admin.get("/teams").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 1);
    }
);

dual_db_test!(
    async fn create_team_needs_the_permission(server) {
        let p = people(&server).await;
        // A scheme id needs the user-management permission even for someone who may create.
        p.alice
            .post("/teams", json!({"name": "schemed", "display_name": "S", "type": "O", "scheme_id": MISSING_ID}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        revoke_permission(&p.admin, "system_user", "create_team").await;
        p.alice
            .post("/teams", json!({"name": "nope", "display_name": "Nope", "type": "O"}))
            .await
            .expect_error(403, "api.team.is_team_creation_allowed.disabled.app_error");
        // Admins keep the permission.
        create_team(&p.admin, "staff-team", false).await;
        server.client()
            .post("/teams", json!({"name": "anon", "display_name": "A", "type": "O"}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn create_team_respects_restricted_domains(server) {
        // The accounts exist before the restriction: it would refuse them now (sign-up
        // follows RestrictCreationToDomains too).
        let p = people(&server).await;
        crate::support::configure(&server, |c| {
            c.team_settings.restrict_creation_to_domains = "corp.example".into();
        });
        p.alice
            .post("/teams", json!({"name": "outside", "display_name": "O", "type": "O"}))
            .await
            .expect_error(400, "api.team.is_team_creation_allowed.domain.app_error");
    }
);

dual_db_test!(
    async fn get_team_hides_private_teams_and_secrets(server) {
        let p = people(&server).await;
        let open = create_team(&p.alice, "open-team", true).await;
        let closed = create_team(&p.alice, "closed-team", false).await;

        // Anyone may read an open team, without its e-mail and invite id.
        let seen = p.bob.get(&format!("/teams/{}", id(&open))).await.expect(200).body;
        assert_eq!(seen["name"], "open-team");
        assert_eq!(seen["email"], "");
        assert_eq!(seen["invite_id"], "");
        let by_name = p.bob.get("/teams/name/open-team").await.expect(200).body;
        assert_eq!(by_name["id"], open["id"]);

        // A closed team needs view_team.
        p.bob
            .get(&format!("/teams/{}", id(&closed)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.bob
            .get("/teams/name/closed-team")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // An admin sees everything.
        let admin_view = p.admin.get(&format!("/teams/{}", id(&closed))).await.expect(200).body;
        assert_eq!(admin_view["email"], "alice@example.com");

        p.bob
            .get(&format!("/teams/{MISSING_ID}"))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        p.bob
            .get("/teams/name/no-such-team")
            .await
            .expect_error(404, "app.team.get_by_name.missing.app_error");
        p.bob
            .get("/teams/not-an-id")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        p.bob
            .get("/teams/name/Bad_Name")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn team_exists_only_for_teams_you_may_see(server) {
        let p = people(&server).await;
        create_team(&p.alice, "visible", true).await;
        create_team(&p.alice, "hidden", false).await;
        let exists = |body: serde_json::Value| body["exists"].as_bool().unwrap();
        assert!(exists(p.bob.get("/teams/name/visible/exists").await.expect(200).body));
        assert!(!exists(p.bob.get("/teams/name/hidden/exists").await.expect(200).body));
        assert!(exists(p.alice.get("/teams/name/hidden/exists").await.expect(200).body));
        assert!(exists(p.admin.get("/teams/name/hidden/exists").await.expect(200).body));
        assert!(!exists(p.bob.get("/teams/name/nothing-here/exists").await.expect(200).body));
        p.bob
            .get("/teams/name/x/exists")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn update_and_patch_need_manage_team(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "editable", true).await;
        let tid = id(&team).to_string();

        let mut edited = team.clone();
        edited["display_name"] = json!("Renamed");
        edited["description"] = json!("About us");
        edited["name"] = json!("ignored-name");
        let updated = p.alice.put(&format!("/teams/{tid}"), edited.clone()).await.expect(200).body;
        assert_eq!(updated["display_name"], "Renamed");
        assert_eq!(updated["description"], "About us");
        assert_eq!(updated["name"], "editable", "the name is not editable through PUT");
        assert!(updated["update_at"].as_i64().unwrap() >= team["update_at"].as_i64().unwrap());

        p.bob
            .put(&format!("/teams/{tid}"), edited.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let mut other_id = edited.clone();
        other_id["id"] = json!(MISSING_ID);
        p.alice
            .put(&format!("/teams/{tid}"), other_id.clone())
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        p.admin
            .put(&format!("/teams/{MISSING_ID}"), other_id)
            .await
            .expect_error(404, "app.team.get.find.app_error");
        let mut blank = edited.clone();
        blank["display_name"] = json!("");
        p.alice
            .put(&format!("/teams/{tid}"), blank)
            .await
            .expect_error(400, "model.team.is_valid.name.app_error");

        let patched = p
            .alice
            .put(&format!("/teams/{tid}/patch"), json!({"company_name": "ACME"}))
            .await
            .expect(200)
            .body;
        assert_eq!(patched["company_name"], "ACME");
        assert_eq!(patched["display_name"], "Renamed");
        assert_eq!(patched["invite_id"], team["invite_id"]);
        // Closing the team to open invites regenerates its invite id.
        let closed = p
            .alice
            .put(&format!("/teams/{tid}/patch"), json!({"allow_open_invite": false}))
            .await
            .expect(200)
            .body;
        assert_eq!(closed["allow_open_invite"], false);
        assert_ne!(closed["invite_id"], team["invite_id"]);

        p.bob
            .put(&format!("/teams/{tid}/patch"), json!({"company_name": "X"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.admin
            .put(&format!("/teams/{MISSING_ID}/patch"), json!({"company_name": "X"}))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        p.alice
            .put(&format!("/teams/{tid}/patch"), json!({"display_name": 7}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        p.alice
            .put(&format!("/teams/{tid}/patch"), json!({"company_name": "c".repeat(65)}))
            .await
            .expect_error(400, "model.team.is_valid.company.app_error");
    }
);

dual_db_test!(
    async fn privacy_switches_type_and_open_invite(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "private-soon", true).await;
        let tid = id(&team).to_string();
        let private = p
            .alice
            .put(&format!("/teams/{tid}/privacy"), json!({"privacy": "I"}))
            .await
            .expect(200)
            .body;
        assert_eq!(private["type"], "I");
        assert_eq!(private["allow_open_invite"], false);
        assert_ne!(private["invite_id"], team["invite_id"]);

        let open = p
            .alice
            .put(&format!("/teams/{tid}/privacy"), json!({"privacy": "O"}))
            .await
            .expect(200)
            .body;
        assert_eq!(open["type"], "O");
        assert_eq!(open["allow_open_invite"], true);
        assert_eq!(open["invite_id"], private["invite_id"], "opening keeps the invite id");

        for bad in [json!({"privacy": "P"}), json!({}), json!({"privacy": 1})] {
            p.alice
                .put(&format!("/teams/{tid}/privacy"), bad)
                .await
                .expect_error(400, "api.context.invalid_body_param.app_error");
        }
        p.bob
            .put(&format!("/teams/{tid}/privacy"), json!({"privacy": "I"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.admin
            .put(&format!("/teams/{MISSING_ID}/privacy"), json!({"privacy": "I"}))
            .await
            .expect_error(404, "app.team.get.find.app_error");
    }
);

dual_db_test!(
    async fn archive_and_restore(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "archivable", true).await;
        let tid = id(&team).to_string();
        p.bob
            .delete(&format!("/teams/{tid}"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let r = p.alice.delete(&format!("/teams/{tid}")).await.expect(200);
        assert_eq!(r.body, json!({"status": "OK"}));
        let archived = p.alice.get(&format!("/teams/{tid}")).await.expect(200).body;
        assert!(archived["delete_at"].as_i64().unwrap() > 0);
        // Archived teams drop out of the member's team list.
        let mine = p.alice.get("/users/me/teams").await.expect(200).body;
        assert!(mine.as_array().unwrap().is_empty());

        p.bob
            .post(&format!("/teams/{tid}/restore"), json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let restored = p.alice.post(&format!("/teams/{tid}/restore"), json!({})).await.expect(200).body;
        assert_eq!(restored["delete_at"], 0);
        assert_eq!(p.alice.get("/users/me/teams").await.expect(200).body.as_array().unwrap().len(), 1);

        p.admin
            .delete(&format!("/teams/{MISSING_ID}"))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        p.admin
            .post(&format!("/teams/{MISSING_ID}/restore"), json!({}))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        p.admin
            .delete(&format!("/teams/{tid}?permanent=true"))
            .await
            .expect_error(401, "api.user.delete_team.not_enabled.app_error");
        // Only a true `permanent` deletes for good; anything else archives, as in Mattermost.
        p.admin.delete(&format!("/teams/{tid}?permanent=maybe")).await.expect(200);
        assert!(p.admin.get(&format!("/teams/{tid}")).await.expect(200).body["delete_at"].as_i64().unwrap() > 0);
    }
);

dual_db_test!(
    async fn permanent_delete_when_enabled(server) {
        let server = utmost_testkit::TestServer::start_with(server.kind, |c| {
            c.service_settings.enable_api_team_deletion = true;
        })
        .await;
        let p = people(&server).await;
        let team = create_team(&p.alice, "doomed", true).await;
        let tid = id(&team).to_string();
        p.alice.delete(&format!("/teams/{tid}?permanent=true")).await.expect(200);
        p.admin
            .get(&format!("/teams/{tid}"))
            .await
            .expect_error(404, "app.team.get.find.app_error");
        let memberships = p.alice.get("/users/me/teams/members").await.expect(200).body;
        assert!(memberships.as_array().unwrap().is_empty());
    }
);

dual_db_test!(
    async fn list_teams_by_permission(server) {
        let p = people(&server).await;
        create_team(&p.alice, "zulu", true).await;
        create_team(&p.alice, "alpha-closed", false).await;
        create_team(&p.bob, "mike", true).await;

        // Regular users list only teams open to open invites, by display name.
        let names = |v: &serde_json::Value| -> Vec<String> {
            v.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
        };
        let listed = p.bob.get("/teams").await.expect(200).body;
        assert_eq!(names(&listed), ["mike", "zulu"]);
        assert!(listed[0]["invite_id"].as_str().unwrap().len() == 26, "bob manages mike");
        assert_eq!(listed[1]["invite_id"], "");
        assert_eq!(listed[1]["email"], "");

        // Admins list every team; paging and the total count work.
        let all = p.admin.get("/teams").await.expect(200).body;
        assert_eq!(names(&all), ["alpha-closed", "mike", "zulu"]);
        let page = p.admin.get("/teams?page=1&per_page=2").await.expect(200).body;
        assert_eq!(names(&page), ["zulu"]);
        let counted = p.admin.get("/teams?per_page=1&include_total_count=true").await.expect(200).body;
        assert_eq!(counted["total_count"], 3);
        assert_eq!(names(&counted["teams"]), ["alpha-closed"]);
        let counted = p.bob.get("/teams?include_total_count=true").await.expect(200).body;
        assert_eq!(counted["total_count"], 2);

        // Like Mattermost, an unparseable per_page falls back to the default.
        let lenient = p.bob.get("/teams?per_page=many").await.expect(200).body;
        assert_eq!(names(&lenient).len(), 2);
        revoke_permission(&p.admin, "system_user", "list_public_teams").await;
        p.bob
            .get("/teams")
            .await
            .expect_error(403, "api.team.get_all_teams.insufficient_permissions");
    }
);

dual_db_test!(
    async fn team_stats_count_members(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "counted", true).await;
        let tid = id(&team).to_string();
        add_member(&p.alice, &team, p.bob_id()).await;
        let stats = p.alice.get(&format!("/teams/{tid}/stats")).await.expect(200).body;
        assert_eq!(stats, json!({"team_id": tid, "total_member_count": 2, "active_member_count": 2}));
        p.admin
            .get(&format!("/teams/{tid}/stats"))
            .await
            .expect(200);
        let (_, carol) = server.create_user(Some(&p.admin), "carol").await;
        carol
            .get(&format!("/teams/{tid}/stats"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.alice
            .get("/teams/bad/stats")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

//! Permission schemes (`/schemes`), team and channel scheme assignment, channel moderation
//! (read-only channels) and `/permissions/ancillary`.

use crate::support::id;
use crate::teams_support::revoke_permission;
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Basic, Client};

const DENIED: &str = "api.context.permissions.app_error";
const NO_SESSION: &str = "api.context.session_expired.app_error";

async fn create_scheme(admin: &Client, name: &str, scope: &str) -> Value {
    admin
        .post(
            "/schemes",
            json!({"name": name, "display_name": format!("{name} display"), "scope": scope}),
        )
        .await
        .expect(201)
        .body
}

fn post_body(channel_id: &str, message: &str) -> Value {
    json!({"channel_id": channel_id, "message": message})
}

async fn user2_posts(basic: &Basic, status: u16) {
    let resp = basic
        .client2
        .post("/posts", post_body(basic.channel_id(), "from user2"))
        .await;
    if status == 201 {
        resp.expect(201);
    } else {
        resp.expect_error(status, DENIED);
    }
}

dual_db_test!(
    async fn schemes_are_created_listed_patched_and_deleted(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let team = create_scheme(admin, "team_scheme", "team").await;
        assert_eq!(team["scope"], "team");
        assert_eq!(team["display_name"], "team_scheme display");
        assert_eq!(team["delete_at"], 0);
        let role_fields = [
            "default_team_admin_role",
            "default_team_user_role",
            "default_team_guest_role",
            "default_channel_admin_role",
            "default_channel_user_role",
            "default_channel_guest_role",
        ];
        let role_names: Vec<Value> = role_fields.iter().map(|f| team[*f].clone()).collect();
        let roles = admin.post("/roles/names", json!(role_names)).await.expect(200).body;
        assert_eq!(roles.as_array().unwrap().len(), 6);
        let user_role = roles
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == team["default_channel_user_role"])
            .unwrap();
        assert_eq!(user_role["display_name"], "Channel User Role for Scheme team_scheme");
        assert_eq!(user_role["scheme_managed"], true);
        assert_eq!(user_role["built_in"], false);
        assert!(user_role["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("read_channel")));

        // Listed newest first: a later millisecond for the second.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let channel = create_scheme(admin, "channel_scheme", "channel").await;
        assert_eq!(channel["default_team_user_role"], "");
        let admin_role = admin
            .get(&format!("/roles/name/{}", channel["default_channel_admin_role"].as_str().unwrap()))
            .await
            .expect(200)
            .body;
        assert_eq!(admin_role["permissions"], json!([]));
        let member_role = admin
            .get(&format!("/roles/name/{}", channel["default_channel_user_role"].as_str().unwrap()))
            .await
            .expect(200)
            .body;
        let member_perms = member_role["permissions"].as_array().unwrap();
        assert!(member_perms.contains(&json!("create_post")));
        assert!(!member_perms.contains(&json!("read_channel")));

        admin
            .post("/schemes", json!({"name": "bad_scope", "display_name": "x", "scope": "system"}))
            .await
            .expect_error(400, "app.scheme.save.invalid_scheme.app_error");
        admin
            .post("/schemes", json!({"name": "Bad Name", "display_name": "x", "scope": "team"}))
            .await
            .expect_error(400, "app.scheme.save.invalid_scheme.app_error");
        admin
            .post("/schemes", json!({"name": "team_scheme", "display_name": "x", "scope": "team"}))
            .await
            .expect_error(400, "app.scheme.save.app_error");

        let all = admin.get("/schemes").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 2);
        assert_eq!(all[0]["id"], channel["id"], "newest first");
        let teams_only = admin.get("/schemes?scope=team").await.expect(200).body;
        assert_eq!(teams_only.as_array().unwrap().len(), 1);
        assert_eq!(teams_only[0]["id"], team["id"]);
        let page = admin.get("/schemes?page=1&per_page=1").await.expect(200).body;
        assert_eq!(page[0]["id"], team["id"]);
        admin
            .get("/schemes?scope=nope")
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        let team_id = id(&team);
        let got = admin.get(&format!("/schemes/{team_id}")).await.expect(200).body;
        assert_eq!(got, team);
        admin
            .get("/schemes/aaaaaaaaaaaaaaaaaaaaaaaaaa")
            .await
            .expect_error(404, "app.scheme.get.app_error");
        let patched = admin
            .put(
                &format!("/schemes/{team_id}/patch"),
                json!({"display_name": "Renamed", "description": "about"}),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(patched["display_name"], "Renamed");
        assert_eq!(patched["description"], "about");
        assert_eq!(patched["name"], "team_scheme");
        admin
            .put(&format!("/schemes/{team_id}/patch"), json!({"name": "channel_scheme"}))
            .await
            .expect_error(400, "app.scheme.save.app_error");
        admin
            .put(&format!("/schemes/{team_id}/patch"), json!({"display_name": ""}))
            .await
            .expect_error(400, "app.scheme.save.invalid_scheme.app_error");

        admin.delete(&format!("/schemes/{team_id}")).await.expect(200);
        let deleted = admin.get(&format!("/schemes/{team_id}")).await.expect(200).body;
        assert!(deleted["delete_at"].as_i64().unwrap() > 0);
        let left = admin.get("/schemes").await.expect(200).body;
        assert_eq!(left.as_array().unwrap().len(), 1);
        let roles = admin.post("/roles/names", json!(role_names)).await.expect(200).body;
        assert_eq!(roles, json!([]), "the scheme's roles are deleted with it");
    }
);

dual_db_test!(
    async fn outsiders_are_refused_on_every_route(server) {
        let basic = server.init_basic().await;
        let scheme = create_scheme(&basic.admin, "some_scheme", "team").await;
        let sid = id(&scheme);
        let (tid, cid) = (basic.team_id().to_string(), basic.channel_id().to_string());
        let user = &basic.client;
        let anon = server.client();
        let body = json!({"name": "x1", "display_name": "x", "scope": "team"});
        for (client, status, error) in [(user, 403, DENIED), (&anon, 401, NO_SESSION)] {
            let expect = |resp: utmost_testkit::Resp| {
                resp.expect_error(status, error);
            };
            expect(client.get("/schemes").await);
            expect(client.post("/schemes", body.clone()).await);
            expect(client.get(&format!("/schemes/{sid}")).await);
            expect(client.put(&format!("/schemes/{sid}/patch"), json!({"display_name": "y"})).await);
            expect(client.delete(&format!("/schemes/{sid}")).await);
            expect(client.get(&format!("/schemes/{sid}/teams")).await);
            expect(client.get(&format!("/schemes/{sid}/channels")).await);
            expect(client.put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": sid})).await);
            expect(client.put(&format!("/channels/{cid}/scheme"), json!({"scheme_id": sid})).await);
            expect(client.get(&format!("/channels/{cid}/moderations")).await);
            expect(
                client
                    .put(
                        &format!("/channels/{cid}/moderations/patch"),
                        json!([{"name": "create_post", "roles": {"members": false}}]),
                    )
                    .await,
            );
        }
        anon.get("/permissions/ancillary?subsection_permissions=sysconsole_read_user_management_channels")
            .await
            .expect_error(401, NO_SESSION);
        // Nothing changed.
        let team = basic.admin.get(&format!("/teams/{tid}")).await.expect(200).body;
        assert!(team["scheme_id"].as_str().unwrap_or("").is_empty());
    }
);

dual_db_test!(
    async fn a_team_scheme_governs_its_members_until_removed_or_deleted(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let scheme = create_scheme(admin, "strict_team", "team").await;
        let sid = id(&scheme);
        let tid = basic.team_id().to_string();
        let channel_scheme = create_scheme(admin, "a_channel_one", "channel").await;

        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": id(&channel_scheme)}))
            .await
            .expect_error(400, "api.team.update_team_scheme.scheme_scope.error");
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": "short"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": "aaaaaaaaaaaaaaaaaaaaaaaaaa"}))
            .await
            .expect_error(404, "app.scheme.get.app_error");

        // Members of the scheme's teams may not post; their channel admins still may.
        revoke_permission(admin, scheme["default_channel_user_role"].as_str().unwrap(), "create_post").await;
        user2_posts(&basic, 201).await;
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": sid}))
            .await
            .expect(200);
        let team = admin.get(&format!("/teams/{tid}")).await.expect(200).body;
        assert_eq!(team["scheme_id"], sid);
        let teams = admin.get(&format!("/schemes/{sid}/teams")).await.expect(200).body;
        assert_eq!(teams[0]["id"], tid);
        admin
            .get(&format!("/schemes/{}/teams", id(&channel_scheme)))
            .await
            .expect_error(400, "api.scheme.get_teams_for_scheme.scope.error");
        admin
            .get(&format!("/schemes/{sid}/channels"))
            .await
            .expect_error(400, "api.scheme.get_channels_for_scheme.scope.error");

        user2_posts(&basic, 403).await;
        basic
            .client
            .post("/posts", post_body(basic.channel_id(), "channel admin"))
            .await
            .expect(201);
        // Reading is untouched.
        basic
            .client2
            .get(&format!("/channels/{}/posts", basic.channel_id()))
            .await
            .expect(200);

        // Removing the scheme (an empty id) gives the defaults back.
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": ""}))
            .await
            .expect(200);
        user2_posts(&basic, 201).await;

        // So does deleting it.
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": sid}))
            .await
            .expect(200);
        user2_posts(&basic, 403).await;
        admin.delete(&format!("/schemes/{sid}")).await.expect(200);
        user2_posts(&basic, 201).await;
        let team = admin.get(&format!("/teams/{tid}")).await.expect(200).body;
        assert!(team["scheme_id"].as_str().unwrap_or("").is_empty());
    }
);

fn moderation<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap()
}

dual_db_test!(
    async fn channel_moderation_makes_a_channel_read_only(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let cid = basic.channel_id().to_string();
        let path = format!("/channels/{cid}/moderations");
        let before = admin.get(&path).await.expect(200).body;
        let names: Vec<&str> = before
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["create_post", "create_reactions", "manage_members", "use_channel_mentions", "manage_bookmarks"]
        );
        assert_eq!(
            moderation(&before, "create_post")["roles"],
            json!({"members": {"value": true, "enabled": true}, "guests": {"value": true, "enabled": true}})
        );
        assert!(moderation(&before, "manage_members")["roles"].get("guests").is_none());

        let after = admin
            .put(
                &format!("{path}/patch"),
                json!([{"name": "create_post", "roles": {"members": false}}]),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(
            moderation(&after, "create_post")["roles"]["members"],
            json!({"value": false, "enabled": true})
        );
        assert_eq!(
            moderation(&after, "create_reactions")["roles"]["members"],
            json!({"value": true, "enabled": true})
        );
        assert_eq!(admin.get(&path).await.expect(200).body, after);
        let channel = admin.get(&format!("/channels/{cid}")).await.expect(200).body;
        let scheme_id = channel["scheme_id"].as_str().unwrap().to_string();
        let scheme = admin.get(&format!("/schemes/{scheme_id}")).await.expect(200).body;
        assert_eq!(scheme["scope"], "channel");
        let channels = admin.get(&format!("/schemes/{scheme_id}/channels")).await.expect(200).body;
        assert_eq!(channels[0]["id"], cid);

        // Members are refused, the channel admin posts, reactions are independent.
        user2_posts(&basic, 403).await;
        basic.client.post("/posts", post_body(&cid, "admin")).await.expect(201);
        basic
            .client2
            .post(
                "/reactions",
                json!({"user_id": basic.user2_id(), "post_id": id(&basic.post), "emoji_name": "smile"}),
            )
            .await
            .expect(200);
        // Other channels of the team are untouched.
        basic
            .client2
            .post("/posts", post_body(id(&basic.private_channel).as_str(), "elsewhere"))
            .await
            .expect(201);

        // Reactions off too, then on again.
        admin
            .put(
                &format!("{path}/patch"),
                json!([{"name": "create_reactions", "roles": {"members": false}}]),
            )
            .await
            .expect(200);
        basic
            .client2
            .post(
                "/reactions",
                json!({"user_id": basic.user2_id(), "post_id": id(&basic.post), "emoji_name": "tada"}),
            )
            .await
            .expect_error(403, DENIED);
        admin
            .put(
                &format!("{path}/patch"),
                json!([{"name": "create_reactions", "roles": {"members": true}}]),
            )
            .await
            .expect(200);

        // Back to the defaults: the channel scheme goes.
        let restored = admin
            .put(
                &format!("{path}/patch"),
                json!([{"name": "create_post", "roles": {"members": true}}]),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(restored, before);
        let channel = admin.get(&format!("/channels/{cid}")).await.expect(200).body;
        assert!(channel["scheme_id"].as_str().unwrap_or("").is_empty());
        let gone = admin.get(&format!("/schemes/{scheme_id}")).await.expect(200).body;
        assert!(gone["delete_at"].as_i64().unwrap() > 0);
        user2_posts(&basic, 201).await;
    }
);

dual_db_test!(
    async fn moderation_cannot_grant_what_the_team_withholds(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let tid = basic.team_id().to_string();
        let cid = basic.channel_id().to_string();
        let scheme = create_scheme(admin, "no_mentions", "team").await;
        revoke_permission(admin, scheme["default_channel_user_role"].as_str().unwrap(), "use_channel_mentions").await;
        admin
            .put(&format!("/teams/{tid}/scheme"), json!({"scheme_id": id(&scheme)}))
            .await
            .expect(200);
        let path = format!("/channels/{cid}/moderations");
        let list = admin.get(&path).await.expect(200).body;
        assert_eq!(
            moderation(&list, "use_channel_mentions")["roles"]["members"],
            json!({"value": false, "enabled": false})
        );
        admin
            .put(
                &format!("{path}/patch"),
                json!([{"name": "use_channel_mentions", "roles": {"members": true}}]),
            )
            .await
            .expect_error(400, "api.channel.patch_channel_moderations.restricted_permission");
    }
);

dual_db_test!(
    async fn channel_scheme_assignment(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let cid = basic.channel_id().to_string();
        let channel_scheme = create_scheme(admin, "quiet_channel", "channel").await;
        let team_scheme = create_scheme(admin, "a_team_one", "team").await;
        admin
            .put(&format!("/channels/{cid}/scheme"), json!({"scheme_id": id(&team_scheme)}))
            .await
            .expect_error(400, "api.channel.update_channel_scheme.scheme_scope.error");
        admin
            .put(&format!("/channels/{cid}/scheme"), json!({"scheme_id": ""}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        revoke_permission(admin, channel_scheme["default_channel_user_role"].as_str().unwrap(), "create_post").await;
        admin
            .put(&format!("/channels/{cid}/scheme"), json!({"scheme_id": id(&channel_scheme)}))
            .await
            .expect(200);
        user2_posts(&basic, 403).await;
        // The member's roles name the scheme's roles, as Mattermost's member reads do.
        let me = basic
            .client2
            .get(&format!("/channels/{cid}/members/me"))
            .await
            .expect(200)
            .body;
        assert_eq!(me["roles"], channel_scheme["default_channel_user_role"]);
        admin.delete(&format!("/schemes/{}", id(&channel_scheme))).await.expect(200);
        user2_posts(&basic, 201).await;
    }
);

dual_db_test!(
    async fn ancillary_permissions(server) {
        let basic = server.init_basic().await;
        let got = basic
            .client
            .get("/permissions/ancillary?subsection_permissions=sysconsole_read_user_management_channels")
            .await
            .expect(200)
            .body;
        let got: Vec<&str> = got.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(got[0], "sysconsole_read_user_management_channels");
        assert!(got.contains(&"read_public_channel"));
        assert!(got.contains(&"read_channel"));
        let posted = basic
            .client
            .post("/permissions/ancillary", json!(["sysconsole_read_user_management_channels"]))
            .await
            .expect(200)
            .body;
        assert_eq!(posted.as_array().unwrap().len(), got.len());
        basic
            .client
            .get("/permissions/ancillary")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        basic
            .client
            .post("/permissions/ancillary", json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

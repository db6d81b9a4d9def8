//! The calls clients make at start-up that need no feature of their own: groups, data
//! retention policies, notices, licenses, plugin statuses, filtered user counts and the
//! channel searches — each answered in Mattermost's shape, an outsider refused where
//! Mattermost refuses.

use crate::support::id;
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client};

const PERMISSIONS: &str = "api.context.permissions.app_error";
const INVALID_PARAM: &str = "api.context.invalid_body_param.app_error";

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["display_name"].as_str().unwrap().to_string())
        .collect()
}

async fn get_ok(client: &Client, path: &str) -> Value {
    client.get(path).await.expect(200).body
}

dual_db_test!(
    async fn groups_are_empty_lists_after_the_permission_checks(server) {
        let basic = server.init_basic().await;
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let client = &basic.client;
        assert_eq!(get_ok(client, "/groups").await, json!([]));
        assert_eq!(
            get_ok(client, "/groups?q=x&filter_allow_reference=true&page=0&per_page=60").await,
            json!([])
        );
        assert_eq!(
            get_ok(client, "/groups?include_total_count=true").await,
            json!({"groups": [], "total_count": 0})
        );
        client
            .get("/groups?since=yesterday")
            .await
            .expect_error(400, INVALID_PARAM);
        let private = id(&basic.private_channel);
        client
            .get(&format!("/groups?not_associated_to_channel={private}"))
            .await
            .expect(200);
        outsider
            .get(&format!("/groups?not_associated_to_channel={private}"))
            .await
            .expect_error(403, PERMISSIONS);

        // A user's own groups; another's only for manage_system.
        assert_eq!(get_ok(client, "/users/me/groups").await, json!([]));
        let user2 = format!("/users/{}/groups", basic.user2_id());
        client.get(&user2).await.expect_error(403, PERMISSIONS);
        assert_eq!(get_ok(&basic.admin, &user2).await, json!([]));

        // A channel's and a team's: members only.
        let page = json!({"groups": [], "total_group_count": 0});
        for path in [
            format!("/channels/{}/groups", basic.channel_id()),
            format!("/channels/{private}/groups"),
            format!("/teams/{}/groups?paginate=false", basic.team_id()),
        ] {
            assert_eq!(get_ok(client, &path).await, page);
            outsider.get(&path).await.expect_error(403, PERMISSIONS);
        }
        client
            .get(&format!("/channels/{}/groups", utmost_model::new_id()))
            .await
            .expect(404);
    }
);

dual_db_test!(
    async fn retention_notices_licenses_and_plugins(server) {
        let basic = server.init_basic().await;
        let (client, admin) = (&basic.client, &basic.admin);
        let empty = json!({"policies": [], "total_count": 0});
        for kind in ["team_policies", "channel_policies"] {
            let mine = format!("/users/me/data_retention/{kind}?page=0&per_page=100");
            assert_eq!(get_ok(client, &mine).await, empty);
            let theirs = format!("/users/{}/data_retention/{kind}", basic.user2_id());
            client.get(&theirs).await.expect_error(403, PERMISSIONS);
            assert_eq!(get_ok(admin, &theirs).await, empty);
        }

        let notices = format!("/system/notices/{}", basic.team_id());
        assert_eq!(
            get_ok(client, &format!("{notices}?client=web&clientVersion=10.11.0&locale=en")).await,
            json!([])
        );
        client.get(&notices).await.expect_error(400, INVALID_PARAM);
        client
            .get("/system/notices/not-a-team?client=web")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        assert_eq!(
            get_ok(client, "/trial-license/prev").await,
            json!({"IsLicensed": "false"})
        );

        client
            .get("/upgrade_to_enterprise/status")
            .await
            .expect_error(403, PERMISSIONS);
        assert_eq!(
            get_ok(admin, "/upgrade_to_enterprise/status").await,
            json!({"percentage": 0, "error": null})
        );

        client.get("/plugins/statuses").await.expect_error(403, PERMISSIONS);
        assert_eq!(get_ok(admin, "/plugins/statuses").await, json!([]));
        assert_eq!(get_ok(client, "/plugins/webapp").await, json!([]));
    }
);

dual_db_test!(
    async fn filtered_user_stats_are_for_the_system_console(server) {
        let basic = server.init_basic().await;
        server.create_user(Some(&basic.admin), "elsewhere").await;
        let count = |v: Value| v["total_users_count"].as_i64().unwrap();
        basic
            .client
            .get("/users/stats/filtered")
            .await
            .expect_error(403, PERMISSIONS);
        let admin = &basic.admin;
        assert_eq!(count(get_ok(admin, "/users/stats/filtered").await), 4);
        let in_team = format!("/users/stats/filtered?in_team={}", basic.team_id());
        assert_eq!(count(get_ok(admin, &in_team).await), 3);
        let in_channel = format!(
            "/users/stats/filtered?in_channel={}&include_bots=true",
            basic.channel_id()
        );
        assert_eq!(count(get_ok(admin, &in_channel).await), 2);
        assert_eq!(
            count(get_ok(admin, "/users/stats/filtered?roles=system_admin").await),
            1
        );
        assert_eq!(
            count(get_ok(admin, "/users/stats/filtered?roles=system_admin,system_user").await),
            4
        );
        admin
            .get("/users/stats/filtered?roles=system_admin,Bad-Role")
            .await
            .expect_error(400, INVALID_PARAM);
        // Deactivated accounts count only when asked for.
        let (gone, _) = server.create_user(Some(admin), "gone").await;
        admin
            .put(&format!("/users/{}/active", id(&gone)), json!({"active": false}))
            .await
            .expect(200);
        assert_eq!(count(get_ok(admin, "/users/stats/filtered").await), 4);
        assert_eq!(
            count(get_ok(admin, "/users/stats/filtered?include_deleted=true").await),
            5
        );
    }
);

dual_db_test!(
    async fn every_teams_channels_are_searched_from_the_system_console(server) {
        let basic = server.init_basic().await;
        let (client, admin) = (&basic.client, &basic.admin);
        client
            .post("/channels/search", json!({"term": "basic"}))
            .await
            .expect_error(403, PERMISSIONS);
        client
            .post("/channels/search", json!("not a search"))
            .await
            .expect_error(400, INVALID_PARAM);

        let found = admin
            .post("/channels/search", json!({"term": "BASIC"}))
            .await
            .expect(200)
            .body;
        assert_eq!(names(&found), ["Basic Channel", "Basic Private"]);
        assert_eq!(found[0]["team_name"], "basic-team");
        assert_eq!(found[0]["team_display_name"], "Basic Team");
        assert!(found[0]["team_update_at"].as_i64().unwrap() > 0);

        // Pages carry the total.
        let page = admin
            .post("/channels/search", json!({"term": "basic", "page": 1, "per_page": 1}))
            .await
            .expect(200)
            .body;
        assert_eq!(page["total_count"], 2);
        assert_eq!(names(&page["channels"]), ["Basic Private"]);
        let public = admin
            .post(
                "/channels/search",
                json!({"term": "", "public": true, "exclude_default_channels": true}),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(names(&public), ["Basic Channel"]);

        // Archived ones only when asked for.
        client
            .delete(&format!("/channels/{}", basic.channel_id()))
            .await
            .expect(200);
        let live = admin
            .post("/channels/search", json!({"term": "basic"}))
            .await
            .expect(200)
            .body;
        assert_eq!(names(&live), ["Basic Private"]);
        let all = admin
            .post("/channels/search?include_deleted=true", json!({"term": "basic"}))
            .await
            .expect(200)
            .body;
        assert_eq!(names(&all).len(), 2);

        // Outside the system console: the caller's own channels, for anyone.
        let mine = client
            .post("/channels/search?system_console=false", json!({"term": "basic"}))
            .await
            .expect(200)
            .body;
        assert_eq!(names(&mine), ["Basic Private"]);
        assert_eq!(mine[0]["team_name"], "basic-team");
        client
            .post("/channels/search?system_console=maybe", json!({"term": "x"}))
            .await
            .expect_error(400, INVALID_PARAM);
    }
);

dual_db_test!(
    async fn group_messages_and_own_channels_are_searched(server) {
        let basic = server.init_basic().await;
        let (third, _) = server.create_user(Some(&basic.admin), "carol").await;
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let gm = basic
            .client
            .post(
                "/channels/group",
                json!([basic.user_id(), basic.user2_id(), id(&third)]),
            )
            .await
            .expect(201)
            .body;
        let search = |client: &Client, term: &str| {
            let (client, term) = (client.clone(), term.to_string());
            async move {
                client
                    .post("/channels/group/search", json!({ "term": term }))
                    .await
                    .expect(200)
                    .body
            }
        };
        let found = search(&basic.client, "car basicuser2").await;
        assert_eq!(found.as_array().unwrap().len(), 1);
        assert_eq!(found[0]["id"], id(&gm).as_str());
        assert_eq!(search(&basic.client, "nobody").await, json!([]));
        assert_eq!(search(&basic.client, "").await, json!([]));
        assert_eq!(search(&outsider, "carol").await, json!([]));

        let path = format!(
            "/teams/{}/channels/search_autocomplete?name=basic",
            basic.team_id()
        );
        let own = get_ok(&basic.client, &path).await;
        assert_eq!(names(&own), ["Basic Channel", "Basic Private"]);
        // Only the caller's channels: an outsider finds none of the team's.
        assert_eq!(get_ok(&outsider, &path).await, json!([]));
        basic
            .client
            .get("/teams/bad/channels/search_autocomplete?name=x")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn every_new_route_wants_a_session(server) {
        let basic = server.init_basic().await;
        let anon = server.client();
        let (user, team, channel) = (basic.user_id(), basic.team_id(), basic.channel_id());
        for path in [
            "/groups".to_string(),
            format!("/users/{user}/groups"),
            format!("/channels/{channel}/groups"),
            format!("/teams/{team}/groups"),
            format!("/users/{user}/data_retention/team_policies"),
            format!("/users/{user}/data_retention/channel_policies"),
            format!("/system/notices/{team}?client=web"),
            "/trial-license/prev".to_string(),
            "/upgrade_to_enterprise/status".to_string(),
            "/plugins/statuses".to_string(),
            "/users/stats/filtered".to_string(),
            format!("/teams/{team}/channels/search_autocomplete?name=x"),
            format!("/users/{user}/teams/{team}/channels/categories"),
            format!("/users/{user}/teams/{team}/channels/categories/order"),
        ] {
            anon.get(&path).await.expect(401);
        }
        for path in ["/channels/search", "/channels/group/search"] {
            anon.post(path, json!({"term": "x"})).await.expect(401);
        }
    }
);

//! Finding users: lists with filters, by ids and usernames, search and autocomplete.

use crate::support::{configure, id};
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client};

/// The usernames of a list of users, sorted.
fn names(users: &Value) -> Vec<String> {
    let mut n: Vec<String> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect();
    n.sort();
    n
}

async fn listed(c: &Client, query: &str) -> Vec<String> {
    names(&c.get(&format!("/users?{query}")).await.expect(200).body)
}

dual_db_test!(
    async fn get_users_filters_by_team_channel_activity_and_role(server) {
        let b = server.init_basic().await;
        let (loner, loner_client) = server.create_user(Some(&b.admin), "loner").await;
        let team = b.team_id();
        let channel = b.channel_id();
        let admin = &b.admin;

        let all = listed(admin, "").await;
        assert!(["basicuser", "basicuser2", "loner", "sysadmin"].iter().all(|n| all.contains(&n.to_string())));
        assert_eq!(listed(admin, "per_page=2").await.len(), 2);
        assert_eq!(listed(admin, "page=1&per_page=2").await.len(), all.len() - 2);
        // Like Mattermost, a negative page is read as the first page.
        assert_eq!(listed(admin, "page=-1").await, all);

        let in_team = listed(admin, &format!("in_team={team}")).await;
        assert!(in_team.contains(&"basicuser".into()) && in_team.contains(&"basicuser2".into()));
        assert!(!in_team.contains(&"loner".into()));
        let not_in_team = listed(admin, &format!("not_in_team={team}")).await;
        assert!(not_in_team.contains(&"loner".into()) && !not_in_team.contains(&"basicuser".into()));
        assert_eq!(listed(admin, "without_team=true").await, vec!["loner".to_string()]);
        b.client.get("/users?without_team=true").await.expect_error(403, "api.context.permissions.app_error");
        loner_client.get(&format!("/users?in_team={team}")).await.expect_error(403, "api.context.permissions.app_error");

        assert_eq!(listed(&b.client, &format!("in_channel={channel}")).await, vec!["basicuser", "basicuser2"]);
        let outside = listed(&b.client, &format!("in_team={team}&not_in_channel={channel}")).await;
        assert!(!outside.contains(&"basicuser".into()) && !outside.contains(&"loner".into()));
        b.client.get(&format!("/users?not_in_channel={channel}")).await.expect_error(400, "api.context.invalid_url_param.app_error");
        loner_client.get(&format!("/users?in_channel={channel}")).await.expect_error(403, "api.context.permissions.app_error");

        let newest = admin.get(&format!("/users?in_team={team}&sort=create_at")).await.expect(200).body;
        assert_eq!(newest[0]["username"], "basicuser2");
        admin.get(&format!("/users?in_team={team}&sort=last_activity_at")).await.expect(200);
        admin.get("/users?sort=create_at").await.expect_error(400, "api.context.invalid_url_param.app_error");
        admin.get("/users?sort=bogus").await.expect_error(400, "api.context.invalid_url_param.app_error");

        admin.put(&format!("/users/{}/active", id(&loner)), json!({"active": false})).await.expect(200);
        assert_eq!(listed(admin, "inactive=true").await, vec!["loner".to_string()]);
        assert!(!listed(admin, "active=true").await.contains(&"loner".into()));
        admin.get("/users?active=true&inactive=true").await.expect_error(400, "api.context.invalid_url_param.app_error");

        assert_eq!(listed(admin, "role=system_admin").await, vec!["sysadmin".to_string()]);
        admin.get("/users?role=no_such_role").await.expect_error(400, "api.context.invalid_body_param.app_error");
        server.client().get("/users").await.expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn users_by_ids_and_usernames(server) {
        let b = server.init_basic().await;
        let c = &b.client;
        let r = c.post("/users/ids", json!([b.user2_id(), b.user2_id(), "aaaaaaaaaaaaaaaaaaaaaaaaaa"])).await.expect(200);
        assert_eq!(names(&r.body), vec!["basicuser2"]);
        assert!(r.body[0].get("notify_props").is_none(), "other users are sanitised");
        let future = i64::MAX / 2;
        let r = c.post(&format!("/users/ids?since={future}"), json!([b.user2_id()])).await.expect(200);
        assert!(r.body.as_array().unwrap().is_empty());
        let r = c.post("/users/ids?since=0", json!([b.user2_id()])).await.expect(200);
        assert_eq!(r.body.as_array().unwrap().len(), 1);
        c.post("/users/ids?since=abc", json!([b.user2_id()])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        c.post("/users/ids", json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        c.post("/users/ids", json!({"not": "a list"})).await.expect_error(400, "api.context.invalid_body_param.app_error");

        let r = c.post("/users/usernames", json!(["basicuser", "BasicUser2", "nobody"])).await.expect(200);
        assert_eq!(names(&r.body), vec!["basicuser", "basicuser2"]);
        c.post("/users/usernames", json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
    }
);

dual_db_test!(
    async fn search_matches_prefixes_within_the_requested_scope(server) {
        let b = server.init_basic().await;
        let (loner, _) = server.create_user(Some(&b.admin), "loner").await;
        let c = &b.client;
        let team = b.team_id();
        let channel = b.channel_id();
        let search = |body: Value| async move { c.post("/users/search", body).await };

        assert_eq!(names(&search(json!({"term": "basic"})).await.expect(200).body), vec!["basicuser", "basicuser2"]);
        assert_eq!(names(&search(json!({"term": "@basicuser2"})).await.expect(200).body), vec!["basicuser2"]);
        assert_eq!(names(&search(json!({"term": "Basic", "limit": 1})).await.expect(200).body).len(), 1);
        assert_eq!(names(&search(json!({"term": "lon", "team_id": team})).await.expect(200).body), Vec::<String>::new());
        assert_eq!(names(&search(json!({"term": "lon", "not_in_team_id": team})).await.expect(200).body), vec!["loner"]);
        assert_eq!(names(&search(json!({"term": "basic", "in_channel_id": channel})).await.expect(200).body), vec!["basicuser", "basicuser2"]);
        assert!(names(&search(json!({"term": "basic", "team_id": team, "not_in_channel_id": channel})).await.expect(200).body).is_empty());
        search(json!({"term": ""})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        search(json!({"term": "x", "not_in_channel_id": channel})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        search(json!({"term": "x", "limit": 1001})).await.expect_error(400, "api.context.invalid_body_param.app_error");
        search(json!({"term": 5})).await.expect_error(400, "api.context.invalid_body_param.app_error");

        // E-mail addresses are searchable only where they may be seen.
        assert_eq!(names(&search(json!({"term": "loner@example"})).await.expect(200).body), vec!["loner"]);
        configure(&server, |cfg| cfg.privacy_settings.show_email_address = false);
        assert!(search(json!({"term": "loner@example"})).await.expect(200).body.as_array().unwrap().is_empty());
        let by_admin = b.admin.post("/users/search", json!({"term": "loner@example"})).await.expect(200);
        assert_eq!(names(&by_admin.body), vec!["loner"]);

        // Deactivated accounts only with allow_inactive.
        b.admin.put(&format!("/users/{}/active", id(&loner)), json!({"active": false})).await.expect(200);
        assert!(search(json!({"term": "lon"})).await.expect(200).body.as_array().unwrap().is_empty());
        assert_eq!(names(&search(json!({"term": "lon", "allow_inactive": true})).await.expect(200).body), vec!["loner"]);
    }
);

dual_db_test!(
    async fn autocomplete_splits_channel_members_from_the_rest_of_the_team(server) {
        let b = server.init_basic().await;
        server.create_user(Some(&b.admin), "basicloner").await;
        let c = &b.client;
        let team = b.team_id();
        let channel = b.channel_id();

        let r = c.get("/users/autocomplete?name=basic").await.expect(200).body;
        assert_eq!(names(&r["users"]), vec!["basicloner", "basicuser", "basicuser2"]);
        assert!(r.get("out_of_channel").is_none());
        let r = c.get(&format!("/users/autocomplete?in_team={team}&name=basic")).await.expect(200).body;
        assert_eq!(names(&r["users"]), vec!["basicuser", "basicuser2"]);
        let r = c.get(&format!("/users/autocomplete?in_team={team}&in_channel={channel}&name=")).await.expect(200).body;
        assert_eq!(names(&r["users"]), vec!["basicuser", "basicuser2"]);
        assert!(names(&r["out_of_channel"]).contains(&"sysadmin".to_string()));
        let r = c.get("/users/autocomplete?name=basic&limit=1").await.expect(200).body;
        assert_eq!(r["users"].as_array().unwrap().len(), 1);
        c.get(&format!("/users/autocomplete?in_channel={channel}&name=x"))
            .await
            .expect_error(400, "api.user.autocomplete_users.missing_team_id.app_error");
        c.get("/users/autocomplete?limit=abc").await.expect_error(400, "api.context.invalid_body_param.app_error");
        let (_, loner) = server.create_user(Some(&b.admin), "outsider").await;
        loner.get(&format!("/users/autocomplete?in_team={team}&name=")).await.expect_error(403, "api.context.permissions.app_error");
    }
);

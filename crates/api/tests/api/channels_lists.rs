//! Channel lists, search and the team hooks (default channels, leaving a team).

use crate::channels_support::Fixture;
use crate::support::id;
use serde_json::{json, Value};
use utmost_testkit::dual_db_test;

const PERMISSIONS: &str = "api.context.permissions.app_error";

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

dual_db_test!(
    async fn new_teams_get_default_channels(server) {
        let f = Fixture::new(&server).await;
        let ts = f.admin.get(&format!("/teams/{}/channels/name/town-square", f.team_id)).await.expect(200);
        assert_eq!(ts.body["display_name"], "Town Square");
        assert_eq!(ts.body["type"], "O");
        let off = f.admin.get(&format!("/teams/{}/channels/name/off-topic", f.team_id)).await.expect(200);
        assert_eq!(off.body["display_name"], "Off-Topic");
        // The creator and everyone who joined are in both.
        for (client, channel) in [(&f.admin, &ts.body), (&f.user, &ts.body), (&f.user2, &off.body)] {
            let m = client.get(&format!("/channels/{}/members/me", id(channel))).await.expect(200);
            assert_eq!(m.body["roles"], "channel_user");
        }
    }
);

dual_db_test!(
    async fn leaving_a_team_leaves_its_channels(server) {
        let f = Fixture::new(&server).await;
        f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        f.admin.delete(&format!("/teams/{}/members/{}", f.team_id, f.user2_id)).await.expect(200);
        for c in [&f.channel_id, &f.private_id] {
            f.admin.get(&format!("/channels/{c}/members/{}", f.user2_id)).await
                .expect_error(404, "app.channel.get_member.missing.app_error");
        }
        let left = f.admin.get(&format!("/users/{}/channels", f.user2_id)).await.expect(200);
        let kinds: Vec<&str> = left.body.as_array().unwrap().iter().map(|c| c["type"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["D"], "only the DM stays");
    }
);

dual_db_test!(
    async fn a_users_channels(server) {
        let f = Fixture::new(&server).await;
        let dm = id(&f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201).body);
        let path = format!("/users/me/teams/{}/channels", f.team_id);
        let r = f.user.get(&path).await.expect(200);
        let listed = names(&r.body);
        for n in ["town-square", "off-topic", "basic-channel", "basic-private"] {
            assert!(listed.contains(&n.to_string()), "{n} in {listed:?}");
        }
        assert!(r.body.as_array().unwrap().iter().any(|c| c["id"] == dm.as_str()), "DMs are included");

        f.user.delete(&format!("/channels/{}", f.channel_id)).await.expect(200);
        assert!(!names(&f.user.get(&path).await.expect(200).body).contains(&"basic-channel".to_string()));
        assert!(names(&f.user.get(&format!("{path}?include_deleted=true")).await.expect(200).body)
            .contains(&"basic-channel".to_string()));
        let future = 9_999_999_999_999i64;
        assert!(!names(&f.user.get(&format!("{path}?include_deleted=true&last_delete_at={future}")).await.expect(200).body)
            .contains(&"basic-channel".to_string()));
        f.user.get(&format!("{path}?last_delete_at=-1")).await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        f.user.get(&format!("/users/{}/teams/{}/channels", f.user2_id, f.team_id)).await.expect_error(403, PERMISSIONS);
        f.outsider.get(&format!("/users/me/teams/{}/channels", f.team_id)).await.expect_error(403, PERMISSIONS);
        f.admin.get(&format!("/users/{}/teams/{}/channels", f.outsider_id, f.team_id)).await
            .expect_error(404, "app.channel.get_channels.not_found.app_error");

        let all = f.user.get("/users/me/channels").await.expect(200);
        assert!(all.body.as_array().unwrap().iter().any(|c| c["id"] == dm.as_str()));
        assert!(f.user.get("/users/me/channels?include_deleted=true").await.expect(200).body.as_array().unwrap().len()
            > all.body.as_array().unwrap().len());
        f.user.get(&format!("/users/{}/channels", f.user2_id)).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn a_users_memberships(server) {
        let f = Fixture::new(&server).await;
        f.user.post("/channels/direct", json!([f.user_id, f.user2_id])).await.expect(201);
        let r = f.user.get(&format!("/users/me/teams/{}/channels/members", f.team_id)).await.expect(200);
        let channels: Vec<&str> = r.body.as_array().unwrap().iter().map(|m| m["channel_id"].as_str().unwrap()).collect();
        assert_eq!(channels.len(), 5, "town square, off-topic, two channels and the DM");
        assert!(channels.contains(&f.private_id.as_str()));
        f.user.get(&format!("/users/{}/teams/{}/channels/members", f.user2_id, f.team_id)).await
            .expect_error(403, PERMISSIONS);
        f.outsider.get(&format!("/users/me/teams/{}/channels/members", f.team_id)).await
            .expect_error(403, PERMISSIONS);

        let page = f.user.get("/users/me/channel_members?page=0&per_page=3").await.expect(200);
        assert_eq!(page.body.as_array().unwrap().len(), 3);
        let all = f.user.get("/users/me/channel_members").await.expect(200);
        let all = all.body.as_array().unwrap();
        assert_eq!(all.len(), 5);
        let team_member = all.iter().find(|m| m["channel_id"] == f.channel_id.as_str()).unwrap();
        assert_eq!(team_member["team_name"], "basic-team");
        assert_eq!(team_member["user_id"], f.user_id.as_str());
        f.user.get(&format!("/users/{}/channel_members", f.user2_id)).await.expect_error(403, PERMISSIONS);
        // Like Mattermost, a bad per_page falls back to the default instead of failing.
        let lenient = f.user.get("/users/me/channel_members?per_page=-1").await.expect(200);
        assert_eq!(lenient.body.as_array().unwrap().len(), 5);
    }
);

dual_db_test!(
    async fn team_channel_lists(server) {
        let f = Fixture::new(&server).await;
        let path = format!("/teams/{}/channels", f.team_id);
        let all = names(&f.user2.get(&path).await.expect(200).body);
        // By display name, as Mattermost orders them ("Off-Topic" < "Town Square" < "basic-channel").
        assert_eq!(all, ["off-topic", "town-square", "basic-channel"]);
        assert_eq!(f.user.get(&format!("{path}?per_page=1&page=1")).await.expect(200).body.as_array().unwrap().len(), 1);
        f.outsider.get(&path).await.expect_error(403, PERMISSIONS);

        f.user.delete(&format!("/channels/{}", f.channel_id)).await.expect(200);
        f.user.delete(&format!("/channels/{}", f.private_id)).await.expect(200);
        let deleted = names(&f.user.get(&format!("{path}/deleted")).await.expect(200).body);
        assert_eq!(deleted, ["basic-channel", "basic-private"]);
        let admin_view = names(&f.admin.get(&format!("{path}/deleted")).await.expect(200).body);
        assert_eq!(admin_view, ["basic-channel"], "archived private channels only for members");
        f.outsider.get(&format!("{path}/deleted")).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn searching_team_channels(server) {
        let f = Fixture::new(&server).await;
        let search = format!("/teams/{}/channels/search", f.team_id);
        let found = names(&f.user.post(&search, json!({"term": "BASIC"})).await.expect(200).body);
        assert_eq!(found, ["basic-channel"], "private channels are not searched");
        assert!(names(&f.user.post(&search, json!({"term": "nothing"})).await.expect(200).body).is_empty());
        f.user.post(&search, json!([1])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.outsider.post(&search, json!({"term": "basic"})).await
            .expect_error(404, "app.team.get_member.missing.app_error");

        let auto = format!("/teams/{}/channels/autocomplete?name=basic", f.team_id);
        assert_eq!(names(&f.user.get(&auto).await.expect(200).body), ["basic-channel", "basic-private"]);
        assert_eq!(names(&f.admin.get(&auto).await.expect(200).body), ["basic-channel"]);
        f.outsider.get(&auto).await.expect_error(403, PERMISSIONS);

        let ids = format!("/teams/{}/channels/ids", f.team_id);
        let r = f.user.post(&ids, json!([f.channel_id, f.private_id])).await.expect(200);
        assert_eq!(names(&r.body), ["basic-channel"]);
        f.user.post(&ids, json!([f.private_id])).await
            .expect_error(404, "app.channel.get_channels_by_ids.not_found.app_error");
        f.user.post(&ids, json!([])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.user.post(&ids, json!(["bad"])).await.expect_error(400, "api.context.invalid_body_param.app_error");
        f.outsider.post(&ids, json!([f.channel_id])).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn channel_searches_match_word_beginnings(server) {
        let f = Fixture::new(&server).await;
        let planned = json!({"team_id": f.team_id, "name": "launch-crew", "type": "O",
            "display_name": "Release Planning", "purpose": "Weekly sync-up"});
        let launch = id(&f.user.post("/channels", planned).await.expect(201).body);
        let secret = json!({"team_id": f.team_id, "name": "crew-secrets", "type": "P",
            "display_name": "Crew Secrets"});
        f.user.post("/channels", secret).await.expect(201);

        let search = format!("/teams/{}/channels/search", f.team_id);
        let searched = |term: &'static str| {
            let search = search.clone();
            let client = &f.user2;
            async move { names(&client.post(&search, json!({"term": term})).await.expect(200).body) }
        };
        for term in ["plan", "REL pla", "crew", "sync", "up"] {
            assert_eq!(searched(term).await, ["launch-crew"], "{term}: private channels are not searched");
        }
        assert!(searched("lease").await.is_empty(), "the middle of a word is not a beginning");

        let auto = |term: &str| format!("/teams/{}/channels/autocomplete?name={term}", f.team_id);
        assert_eq!(names(&f.user.get(&auto("crew")).await.expect(200).body), ["crew-secrets", "launch-crew"]);
        assert_eq!(names(&f.user2.get(&auto("crew")).await.expect(200).body), ["launch-crew"]);
        assert!(names(&f.user.get(&auto("sync")).await.expect(200).body).is_empty(), "purposes are not autocompleted");

        let mine = format!("/teams/{}/channels/search_autocomplete?name=pla", f.team_id);
        assert_eq!(names(&f.user.get(&mine).await.expect(200).body), ["launch-crew"]);
        assert!(names(&f.user2.get(&mine).await.expect(200).body).is_empty(), "only the caller's channels");

        let console = |body: Value| f.admin.post("/channels/search", body);
        let all = console(json!({"term": "crew", "page": 0, "per_page": 10})).await.expect(200).body;
        assert_eq!(all["total_count"], 2);

        // Archived: still found by the team's search (ExperimentalViewArchivedChannels is on by
        // default), left out of the system console's unless asked for.
        f.user.delete(&format!("/channels/{launch}")).await.expect(200);
        assert_eq!(searched("plan").await, ["launch-crew"]);
        let live = console(json!({"term": "crew", "page": 0, "per_page": 10})).await.expect(200).body;
        assert_eq!(names(&live["channels"]), ["crew-secrets"]);
        assert_eq!(live["total_count"], 1);
    }
);

//! A user's teams: `/users/{user_id}/teams`, `/teams/members`, unread counts, and the default
//! channels a team comes with.

use crate::teams_support::{add_member, create_team, id, people, MISSING_ID};
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client};

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn teams_of_a_user(server) {
        let p = people(&server).await;
        let a = create_team(&p.alice, "alpha", true).await;
        create_team(&p.alice, "beta", false).await;
        add_member(&p.bob, &a, p.bob_id()).await;

        let mine = p.alice.get("/users/me/teams").await.expect(200).body;
        assert_eq!(names(&mine), ["alpha", "beta"]);
        assert_eq!(mine[0]["email"], "alice@example.com", "team admins see the e-mail");
        let bobs = p.bob.get(&format!("/users/{}/teams", p.bob_id())).await.expect(200).body;
        assert_eq!(names(&bobs), ["alpha"]);
        assert_eq!(bobs[0]["email"], "", "team users do not see the e-mail");
        assert_eq!(bobs[0]["invite_id"], a["invite_id"], "team users may invite (invite_user)");
        // Admins may look at anyone's teams; others may not.
        let seen = p.admin.get(&format!("/users/{}/teams", p.alice_id())).await.expect(200).body;
        assert_eq!(names(&seen), ["alpha", "beta"]);
        p.bob
            .get(&format!("/users/{}/teams", p.alice_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.bob
            .get("/users/not-an-id/teams")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        let nobody = p.admin.get(&format!("/users/{MISSING_ID}/teams")).await.expect(200).body;
        assert!(nobody.as_array().unwrap().is_empty());
    }
);

dual_db_test!(
    async fn team_emails_follow_privacy_settings(server) {
        let server = utmost_testkit::TestServer::start_with(server.kind, |c| {
            c.privacy_settings.show_email_address = false;
        })
        .await;
        let p = people(&server).await;
        create_team(&p.alice, "quiet", true).await;
        let mine = p.alice.get("/users/me/teams").await.expect(200).body;
        assert_eq!(mine[0]["email"], "", "hidden even from the team admin");
        let admin_view = p.admin.get(&format!("/users/{}/teams", p.alice_id())).await.expect(200).body;
        assert_eq!(admin_view[0]["email"], "alice@example.com");
    }
);

dual_db_test!(
    async fn memberships_of_a_user(server) {
        let p = people(&server).await;
        let a = create_team(&p.alice, "alpha", true).await;
        add_member(&p.bob, &a, p.bob_id()).await;
        let mine = p.bob.get("/users/me/teams/members").await.expect(200).body;
        assert_eq!(mine.as_array().unwrap().len(), 1);
        assert_eq!(mine[0]["team_id"], a["id"]);
        assert_eq!(mine[0]["roles"], "team_user");
        let seen = p.admin.get(&format!("/users/{}/teams/members", p.bob_id())).await.expect(200).body;
        assert_eq!(seen, mine);
        p.bob
            .get(&format!("/users/{}/teams/members", p.alice_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.bob
            .get("/users/xyz/teams/members")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

/// The id of channel `name` of team `team_id`, as `client` sees its channels.
async fn channel_id(client: &Client, team_id: &str, name: &str) -> String {
    let channels = client
        .get(&format!("/users/me/teams/{team_id}/channels"))
        .await
        .expect(200)
        .body;
    channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no channel {name} in {channels}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn channel_names(v: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    names
}

dual_db_test!(
    async fn new_teams_come_with_default_channels(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "defaults", true).await;
        let tid = id(&team).to_string();
        let mine = p.alice.get(&format!("/users/me/teams/{tid}/channels")).await.expect(200).body;
        assert_eq!(channel_names(&mine), ["off-topic", "town-square"]);

        add_member(&p.bob, &team, p.bob_id()).await;
        let bobs = p.bob.get(&format!("/users/me/teams/{tid}/channels")).await.expect(200).body;
        assert_eq!(channel_names(&bobs), ["off-topic", "town-square"]);

        // Leaving the team leaves its channels.
        p.bob.delete(&format!("/teams/{tid}/members/me")).await.expect(200);
        let members = p
            .alice
            .post(
                &format!("/channels/{}/members/ids", channel_id(&p.alice, &tid, "town-square").await),
                json!([p.bob_id()]),
            )
            .await
            .expect(200)
            .body;
        assert!(members.as_array().unwrap().is_empty(), "{members}");
    }
);

dual_db_test!(
    async fn unread_counts_per_team(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "chatty", true).await;
        let quiet = create_team(&p.alice, "quiet", true).await;
        let tid = id(&team).to_string();
        add_member(&p.bob, &team, p.bob_id()).await;
        add_member(&p.bob, &quiet, p.bob_id()).await;

        let town = channel_id(&p.alice, &tid, "town-square").await;
        for message in ["one", "two"] {
            p.alice
                .post("/posts", json!({"channel_id": town, "message": message}))
                .await
                .expect(201);
        }

        let unread = p.bob.get(&format!("/users/me/teams/{tid}/unread")).await.expect(200).body;
        assert_eq!(unread["team_id"], tid.as_str());
        assert_eq!(unread["msg_count"], 2);
        assert_eq!(unread["msg_count_root"], 2);
        assert_eq!(unread["mention_count"], 0);

        let all = p.bob.get("/users/me/teams/unread").await.expect(200).body;
        let by_team = |team: &Value| {
            all.as_array()
                .unwrap()
                .iter()
                .find(|u| u["team_id"] == team["id"])
                .cloned()
                .unwrap_or_else(|| panic!("no unread entry for {team} in {all}"))
        };
        assert_eq!(by_team(&team)["msg_count"], 2);
        assert_eq!(by_team(&quiet)["msg_count"], 0);
        let excluded = p
            .bob
            .get(&format!("/users/me/teams/unread?exclude_team={tid}"))
            .await
            .expect(200)
            .body;
        assert!(excluded.as_array().unwrap().iter().all(|u| u["team_id"] != tid.as_str()));

        // Muting the channel down to mentions drops its plain messages from the sums.
        p.bob
            .put(
                &format!("/channels/{town}/members/{}/notify_props", p.bob_id()),
                json!({"mark_unread": "mention"}),
            )
            .await
            .expect(200);
        let muted = p.bob.get(&format!("/users/me/teams/{tid}/unread")).await.expect(200).body;
        assert_eq!(muted["msg_count"], 0);
        assert_eq!(muted["msg_count_root"], 0);

        // The poster has read their own messages.
        let own = p.alice.get(&format!("/users/me/teams/{tid}/unread")).await.expect(200).body;
        assert_eq!(own["msg_count"], 0);
    }
);

dual_db_test!(
    async fn unread_permissions_and_input(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "private", false).await;
        let tid = id(&team).to_string();
        p.bob
            .get(&format!("/users/{}/teams/unread", p.alice_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.admin
            .get(&format!("/users/{}/teams/unread", p.alice_id()))
            .await
            .expect(200);
        p.bob
            .get(&format!("/users/{}/teams/{tid}/unread", p.alice_id()))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // Bob is not in the team, so not even his own unreads there are his to read.
        p.bob
            .get(&format!("/users/me/teams/{tid}/unread"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        p.bob
            .get("/users/me/teams/bad/unread")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        p.bob
            .get("/users/bad/teams/unread")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        let none = p.bob.get("/users/me/teams/unread").await.expect(200).body;
        assert!(none.as_array().unwrap().is_empty());
    }
);

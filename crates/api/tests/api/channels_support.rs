//! The fixture the channel tests share: an admin, two team members with a public and a
//! private channel (both members in each), and a third user outside the team.

use crate::support::id;
use serde_json::json;
use utmost_testkit::{Client, TestServer};

pub struct Fixture {
    pub admin: Client,
    pub admin_id: String,
    pub user: Client,
    pub user_id: String,
    pub user2: Client,
    pub user2_id: String,
    pub outsider: Client,
    pub outsider_id: String,
    pub team_id: String,
    pub channel_id: String,
    pub private_id: String,
}

impl Fixture {
    pub async fn new(server: &TestServer) -> Fixture {
        let (admin_user, admin) = server.create_user(None, "sysadmin").await;
        let (user, client) = server.create_user(Some(&admin), "basicuser").await;
        let (user2, client2) = server.create_user(Some(&admin), "basicuser2").await;
        let (outsider_user, outsider) = server.create_user(Some(&admin), "outsider").await;
        let team = admin
            .post(
                "/teams",
                json!({"name": "basic-team", "display_name": "Basic Team", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let team_id = id(&team);
        for u in [&user, &user2] {
            admin
                .post(
                    &format!("/teams/{team_id}/members"),
                    json!({"team_id": team_id, "user_id": u["id"]}),
                )
                .await
                .expect(201);
        }
        let mut f = Fixture {
            admin,
            admin_id: id(&admin_user),
            user: client,
            user_id: id(&user),
            user2: client2,
            user2_id: id(&user2),
            outsider,
            outsider_id: id(&outsider_user),
            team_id,
            channel_id: String::new(),
            private_id: String::new(),
        };
        f.channel_id = f.create_channel("basic-channel", "O").await;
        f.private_id = f.create_channel("basic-private", "P").await;
        for c in [&f.channel_id, &f.private_id] {
            f.user
                .post(
                    &format!("/channels/{c}/members"),
                    json!({"user_id": f.user2_id}),
                )
                .await
                .expect(201);
        }
        f
    }

    /// `basicuser` creates a channel in the team; returns its id.
    pub async fn create_channel(&self, name: &str, kind: &str) -> String {
        let body =
            json!({"team_id": self.team_id, "name": name, "display_name": name, "type": kind});
        id(&self.user.post("/channels", body).await.expect(201).body)
    }

    /// The id of a channel of the fixture team, looked up by name as the admin.
    pub async fn channel_named(&self, name: &str) -> String {
        let path = format!("/teams/{}/channels/name/{name}", self.team_id);
        id(&self.admin.get(&path).await.expect(200).body)
    }
}

//! Mattermost's InitBasic, over the HTTP API: a system admin, two users, a team with a public
//! and a private channel, a DM between the users, and one post.

use crate::{Client, TestServer};
use serde_json::{json, Value};

pub const PASSWORD: &str = "Password-1234";

pub struct Basic {
    pub admin: Client,
    pub admin_user: Value,
    pub client: Client,
    pub user: Value,
    pub client2: Client,
    pub user2: Value,
    pub team: Value,
    pub channel: Value,
    pub private_channel: Value,
    pub dm: Value,
    pub post: Value,
}

impl Basic {
    pub fn user_id(&self) -> &str {
        self.user["id"].as_str().unwrap_or("")
    }
    pub fn user2_id(&self) -> &str {
        self.user2["id"].as_str().unwrap_or("")
    }
    pub fn team_id(&self) -> &str {
        self.team["id"].as_str().unwrap_or("")
    }
    pub fn channel_id(&self) -> &str {
        self.channel["id"].as_str().unwrap_or("")
    }

    /// A second open team, `team-two`, made by the admin, with the basic user as a member;
    /// returns its id.
    pub async fn second_team(&self) -> String {
        let team = self
            .admin
            .post(
                "/teams",
                json!({"name": "team-two", "display_name": "Two", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let team_id = team["id"].as_str().unwrap_or("").to_string();
        self.admin
            .post(
                &format!("/teams/{team_id}/members"),
                json!({"team_id": team_id, "user_id": self.user_id()}),
            )
            .await
            .expect(201);
        team_id
    }
}

impl TestServer {
    /// Creates a user through the API (`admin` may be None for the first, open sign-up).
    pub async fn create_user(&self, admin: Option<&Client>, username: &str) -> (Value, Client) {
        let anon = self.client();
        let creator = admin.unwrap_or(&anon);
        let user = creator
            .post(
                "/users",
                json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD}),
            )
            .await
            .expect(201)
            .body;
        let client = anon.login(username, PASSWORD).await;
        (user, client)
    }

    /// Builds Mattermost's InitBasic fixture.
    pub async fn init_basic(&self) -> Basic {
        let (admin_user, admin) = self.create_user(None, "sysadmin").await;
        let (user, client) = self.create_user(Some(&admin), "basicuser").await;
        let (user2, client2) = self.create_user(Some(&admin), "basicuser2").await;
        let team = admin
            .post(
                "/teams",
                json!({"name": "basic-team", "display_name": "Basic Team", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let team_id = team["id"].as_str().unwrap_or("").to_string();
        for u in [&user, &user2] {
            admin
                .post(
                    &format!("/teams/{team_id}/members"),
                    json!({"team_id": team_id, "user_id": u["id"]}),
                )
                .await
                .expect(201);
        }
        let channel = client
            .post(
                "/channels",
                json!({"team_id": team_id, "name": "basic-channel", "display_name": "Basic Channel", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let private_channel = client
            .post(
                "/channels",
                json!({"team_id": team_id, "name": "basic-private", "display_name": "Basic Private", "type": "P"}),
            )
            .await
            .expect(201)
            .body;
        for c in [&channel, &private_channel] {
            client
                .post(
                    &format!("/channels/{}/members", c["id"].as_str().unwrap_or("")),
                    json!({"user_id": user2["id"]}),
                )
                .await
                .expect(201);
        }
        let dm = client
            .post("/channels/direct", json!([user["id"], user2["id"]]))
            .await
            .expect(201)
            .body;
        let post = client
            .post(
                "/posts",
                json!({"channel_id": channel["id"], "message": "basic post"}),
            )
            .await
            .expect(201)
            .body;
        Basic {
            admin,
            admin_user,
            client,
            user,
            client2,
            user2,
            team,
            channel,
            private_channel,
            dm,
            post,
        }
    }
}

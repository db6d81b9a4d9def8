//! Fixtures shared by the teams_* API tests.

use serde_json::{json, Value};
use utmost_testkit::{Client, TestServer};

/// A system admin and two regular users, none of them in any team yet.
pub struct People {
    pub admin: Client,
    pub admin_user: Value,
    pub alice: Client,
    pub alice_user: Value,
    pub bob: Client,
    pub bob_user: Value,
}

impl People {
    pub fn admin_id(&self) -> &str {
        self.admin_user["id"].as_str().unwrap()
    }
    pub fn alice_id(&self) -> &str {
        self.alice_user["id"].as_str().unwrap()
    }
    pub fn bob_id(&self) -> &str {
        self.bob_user["id"].as_str().unwrap()
    }
}

pub async fn people(server: &TestServer) -> People {
    let (admin_user, admin) = server.create_user(None, "sysadmin").await;
    let (alice_user, alice) = server.create_user(Some(&admin), "alice").await;
    let (bob_user, bob) = server.create_user(Some(&admin), "bob").await;
    People {
        admin,
        admin_user,
        alice,
        alice_user,
        bob,
        bob_user,
    }
}

/// Creates a team as `client`; `open` makes it open to anyone (type O, open invites).
pub async fn create_team(client: &Client, name: &str, open: bool) -> Value {
    let body = json!({
        "name": name,
        "display_name": format!("Team {name}"),
        "type": if open { "O" } else { "I" },
        "allow_open_invite": open,
    });
    client.post("/teams", body).await.expect(201).body
}

pub fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// Adds `user_id` to `team` as `client`.
pub async fn add_member(client: &Client, team: &Value, user_id: &str) -> Value {
    client
        .post(
            &format!("/teams/{}/members", id(team)),
            json!({"team_id": id(team), "user_id": user_id}),
        )
        .await
        .expect(201)
        .body
}

/// Removes `permission` from the role `role_name` through the roles API.
pub async fn revoke_permission(admin: &Client, role_name: &str, permission: &str) {
    let role = admin
        .get(&format!("/roles/name/{role_name}"))
        .await
        .expect(200)
        .body;
    let permissions: Vec<Value> = role["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.as_str() != Some(permission))
        .cloned()
        .collect();
    admin
        .put(
            &format!("/roles/{}/patch", id(&role)),
            json!({"permissions": permissions}),
        )
        .await
        .expect(200);
}

/// A 26-character id that names nothing.
pub const MISSING_ID: &str = "abcdefghijklmnopqrstuvwxyz";

//! Helpers shared by the posts_* and system_posts_* API tests.

use serde_json::{json, Value};
use utmost_testkit::{Basic, Client};

/// The channel's posts, newest first.
pub async fn newest_posts(client: &Client, channel_id: &str) -> Vec<Value> {
    let list = client
        .get(&format!("/channels/{channel_id}/posts"))
        .await
        .expect(200)
        .body;
    list["order"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|pid| list["posts"][pid].clone())
        .collect()
}

/// Creates a post and returns it.
pub async fn create_post(client: &Client, channel_id: &str, message: &str) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": message}),
        )
        .await
        .expect(201)
        .body
}

/// Creates a reply to `root_id`.
pub async fn reply(client: &Client, channel_id: &str, root_id: &str, message: &str) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "root_id": root_id, "message": message}),
        )
        .await
        .expect(201)
        .body
}

/// The session user's membership of a channel.
pub async fn my_member(client: &Client, channel_id: &str) -> Value {
    client
        .get(&format!("/channels/{channel_id}/members/me"))
        .await
        .expect(200)
        .body
}

pub async fn get_channel(client: &Client, channel_id: &str) -> Value {
    client
        .get(&format!("/channels/{channel_id}"))
        .await
        .expect(200)
        .body
}

/// A third team member who is in no channel of the fixture.
pub async fn outsider(server: &utmost_testkit::TestServer, basic: &Basic) -> (Value, Client) {
    let (user, client) = server.create_user(Some(&basic.admin), "outsider").await;
    let team_id = basic.team_id();
    basic
        .admin
        .post(
            &format!("/teams/{team_id}/members"),
            json!({"team_id": team_id, "user_id": user["id"]}),
        )
        .await
        .expect(201);
    (user, client)
}

/// GET with `If-None-Match`.
pub async fn get_if_none_match(client: &Client, path: &str, etag: &str) -> utmost_testkit::Resp {
    let mut req = client
        .http
        .get(format!("{}/api/v4{}", client.base, path))
        .header("If-None-Match", etag);
    if let Some(t) = &client.token {
        req = req.bearer_auth(t);
    }
    Client::read(req.send().await.expect("request failed to send")).await
}

/// `GET /posts/{id}` as `client` sees it.
pub async fn get_post(client: &Client, post_id: &str) -> Value {
    client
        .get(&format!("/posts/{post_id}"))
        .await
        .expect(200)
        .body
}

/// A channel of `kind` ("O" or "P") named and shown as `name`.
pub async fn create_channel(client: &Client, team_id: &str, name: &str, kind: &str) -> Value {
    client
        .post(
            "/channels",
            json!({"team_id": team_id, "name": name, "display_name": name, "type": kind}),
        )
        .await
        .expect(201)
        .body
}

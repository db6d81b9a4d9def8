//! The WebSocket events team changes send: added_to_team, update_team, memberrole_updated,
//! leave_team, delete_team.

use crate::teams_support::{add_member, create_team, id, people};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;
use utmost_testkit::{dual_db_test, Client, TestServer};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(server: &TestServer, client: &Client) -> Socket {
    let url = format!("{}/api/v4/websocket", server.url.replace("http", "ws"));
    let mut req = url.into_client_request().unwrap();
    let token = client.token.clone().unwrap();
    req.headers_mut()
        .insert("authorization", format!("Bearer {token}").parse().unwrap());
    let mut ws = tokio_tungstenite::connect_async(req).await.unwrap().0;
    next_event(&mut ws, "hello").await;
    ws
}

/// The next event named `name`, skipping others; fails the test after 5 s.
async fn next_event(ws: &mut Socket, name: &str) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {name}"))
            .expect("socket closed")
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["event"] == name {
                return v;
            }
        }
    }
}

fn team_in(event: &Value) -> Value {
    serde_json::from_str(event["data"]["team"].as_str().unwrap()).unwrap()
}

dual_db_test!(
    async fn members_hear_about_their_team(server) {
        let p = people(&server).await;
        let team = create_team(&p.alice, "eventful", true).await;
        let tid = id(&team).to_string();
        let mut bob_ws = connect(&server, &p.bob).await;

        add_member(&p.alice, &team, p.bob_id()).await;
        let added = next_event(&mut bob_ws, "added_to_team").await;
        assert_eq!(added["data"]["team_id"], tid.as_str());
        assert_eq!(added["data"]["user_id"], p.bob_id());

        p.alice
            .put(&format!("/teams/{tid}/patch"), json!({"display_name": "Renamed"}))
            .await
            .expect(200);
        let updated = team_in(&next_event(&mut bob_ws, "update_team").await);
        assert_eq!(updated["display_name"], "Renamed");
        assert_eq!(updated["invite_id"], "", "events carry the sanitized team");
        assert_eq!(updated["email"], "");

        p.alice
            .put(&format!("/teams/{tid}/members/{}/roles", p.bob_id()), json!({"roles": "team_user team_admin"}))
            .await
            .expect(200);
        let role = next_event(&mut bob_ws, "memberrole_updated").await;
        let member: Value = serde_json::from_str(role["data"]["member"].as_str().unwrap()).unwrap();
        assert_eq!(member["roles"], "team_user team_admin");

        p.alice.delete(&format!("/teams/{tid}")).await.expect(200);
        let deleted = team_in(&next_event(&mut bob_ws, "delete_team").await);
        assert_eq!(deleted["id"], tid.as_str());
        assert!(deleted["delete_at"].as_i64().unwrap() > 0);

        p.alice.delete(&format!("/teams/{tid}/members/{}", p.bob_id())).await.expect(200);
        let left = next_event(&mut bob_ws, "leave_team").await;
        assert_eq!(left["data"]["team_id"], tid.as_str());
        assert_eq!(left["data"]["user_id"], p.bob_id());
    }
);

//! The built-in commands: what each posts, answers or changes, and what a user without the
//! permission is told.

use crate::commands_support::execute;
use crate::posts_support::newest_posts;
use serde_json::{json, Value};
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic};

async fn wait_post(basic: &Basic, message: &str) -> Value {
    for _ in 0..100 {
        if let Some(post) = newest_posts(&basic.admin, basic.channel_id())
            .await
            .into_iter()
            .find(|p| p["message"] == message)
        {
            return post;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no post {message:?}");
}

async fn ephemeral_text(ws: &mut WsClient) -> String {
    let event = ws.next_event("ephemeral_message").await;
    let post: Value = serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap();
    post["message"].as_str().unwrap().to_string()
}

dual_db_test!(
    async fn me_shrug_code_and_echo_post_in_the_channel(server) {
        let basic = server.init_basic().await;
        execute(&basic.client, &basic, "/me waves").await.expect(200);
        let me = wait_post(&basic, "*waves*").await;
        assert_eq!(me["type"], "me");
        assert_eq!(me["props"]["message"], "waves");
        execute(&basic.client, &basic, "/shrug oh well").await.expect(200);
        wait_post(&basic, "oh well ¯\\\\\\_(ツ)\\_/¯").await;
        execute(&basic.client, &basic, "/code let x = 1;").await.expect(200);
        wait_post(&basic, "    let x = 1;").await;
        let answer = execute(&basic.client, &basic, "/echo hello there").await.expect(200).body;
        assert_eq!(answer["text"], "");
        let echoed = wait_post(&basic, "hello there").await;
        assert_eq!(echoed["user_id"], basic.user_id());
    }
);

dual_db_test!(
    async fn status_commands_set_the_status_and_answer_ephemerally(server) {
        let basic = server.init_basic().await;
        let (mut ws, _) = WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        for (command, status) in [("/away", "away"), ("/dnd", "dnd"), ("/offline", "offline"), ("/online", "online")] {
            execute(&basic.client, &basic, command).await.expect(200);
            let got = basic.client.get(&format!("/users/{}/status", basic.user_id())).await.expect(200).body;
            assert_eq!(got["status"], status, "{command}");
        }
        assert!(ephemeral_text(&mut ws).await.contains("away"));
        execute(&basic.client, &basic, "/status :coffee: Out for coffee").await.expect(200);
        let me = basic.client.get("/users/me").await.expect(200).body;
        assert!(me["props"]["customStatus"].as_str().unwrap().contains("Out for coffee"));
        execute(&basic.client, &basic, "/collapse").await.expect(200);
        let pref = basic
            .client
            .get(&format!("/users/{}/preferences/display_settings/name/collapse_previews", basic.user_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(pref["value"], "true");
        let help = execute(&basic.client, &basic, "/help").await.expect(200).body;
        assert_eq!(help["goto_location"], "https://mattermost.com/pl/help/");
    }
);

dual_db_test!(
    async fn header_purpose_and_rename_edit_the_channel_under_its_permission(server) {
        let basic = server.init_basic().await;
        execute(&basic.client, &basic, "/header New header").await.expect(200);
        execute(&basic.client, &basic, "/purpose New purpose").await.expect(200);
        execute(&basic.client, &basic, "/rename Renamed").await.expect(200);
        let channel = basic.admin.get(&format!("/channels/{}", basic.channel_id())).await.expect(200).body;
        assert_eq!(channel["header"], "New header");
        assert_eq!(channel["purpose"], "New purpose");
        assert_eq!(channel["display_name"], "Renamed");

        // Without the channel properties permission: an ephemeral refusal, nothing changed.
        let role = basic.admin.get("/roles/name/channel_user").await.expect(200).body;
        let kept: Vec<Value> = role["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| *p != "manage_public_channel_properties")
            .cloned()
            .collect();
        basic
            .admin
            .put(&format!("/roles/{}/patch", role["id"].as_str().unwrap()), json!({"permissions": kept}))
            .await
            .expect(200);
        let (mut ws, _) = WsClient::connect_ready(&server, basic.client.token.as_deref().unwrap()).await;
        execute(&basic.client, &basic, "/header Sneaky").await.expect(200);
        assert!(ephemeral_text(&mut ws).await.contains("permissions"));
        let channel = basic.admin.get(&format!("/channels/{}", basic.channel_id())).await.expect(200).body;
        assert_eq!(channel["header"], "New header");
    }
);

dual_db_test!(
    async fn membership_commands_join_leave_invite_kick_and_message(server) {
        let basic = server.init_basic().await;
        let team_name = basic.team["name"].as_str().unwrap().to_string();
        let other = basic
            .admin
            .post(
                "/channels",
                json!({"team_id": basic.team_id(), "name": "other-place", "display_name": "Other", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let joined = execute(&basic.client, &basic, "/join ~other-place").await.expect(200).body;
        assert!(joined["goto_location"].as_str().unwrap().ends_with(&format!("/{team_name}/channels/other-place")));
        basic.client.get(&format!("/channels/{}/members/me", other["id"].as_str().unwrap())).await.expect(200);

        let invited = execute(&basic.client, &basic, &format!("/invite @{} ~other-place", basic.user2["username"].as_str().unwrap())).await;
        invited.expect(200);
        basic
            .admin
            .get(&format!("/channels/{}/members/{}", other["id"].as_str().unwrap(), basic.user2_id()))
            .await
            .expect(200);

        execute(&basic.admin, &basic, &format!("/kick @{}", basic.user2["username"].as_str().unwrap())).await.expect(200);
        basic
            .admin
            .get(&format!("/channels/{}/members/{}", basic.channel_id(), basic.user2_id()))
            .await
            .expect(404);

        let message = execute(&basic.client, &basic, &format!("/msg @{} hi there", basic.user2["username"].as_str().unwrap())).await.expect(200).body;
        assert!(message["goto_location"].as_str().unwrap().ends_with(&format!("/messages/@{}", basic.user2["username"].as_str().unwrap())));
        let dm = newest_posts(&basic.client, basic.dm["id"].as_str().unwrap()).await;
        assert!(dm.iter().any(|p| p["message"] == "hi there"));

        let left = execute(&basic.client, &basic, "/leave").await.expect(200).body;
        assert!(left["goto_location"].as_str().unwrap().ends_with("/channels/town-square"));
        basic.client.get(&format!("/channels/{}/members/me", basic.channel_id())).await.expect(403);
    }
);

dual_db_test!(
    async fn logout_revokes_the_session(server) {
        let basic = server.init_basic().await;
        let answer = execute(&basic.client, &basic, "/logout").await.expect(200).body;
        assert_eq!(answer["goto_location"], "/login");
        basic.client.get("/users/me").await.expect(401);
    }
);

//! Roles: reading all, by name and by names, and patching permissions.

use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client, TestServer};

async fn admin_and_user(server: &TestServer) -> (Client, Client) {
    let (_, admin) = server.create_user(None, "admin").await;
    let (_, user) = server.create_user(Some(&admin), "alice").await;
    (admin, user)
}

fn names(roles: &Value) -> Vec<&str> {
    roles
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect()
}

dual_db_test!(
    async fn read_roles(server) {
        let (admin, user) = admin_and_user(&server).await;
        let all = admin.get("/roles").await.expect(200).body;
        assert!(names(&all).contains(&"system_admin"));
        assert!(names(&all).contains(&"channel_user"));
        user.get("/roles")
            .await
            .expect_error(403, "api.context.permissions.app_error");

        let by_name = user.get("/roles/name/team_user").await.expect(200).body;
        assert_eq!(by_name["name"], "team_user");
        assert_eq!(by_name["built_in"], true);
        assert!(by_name["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("view_team")));
        let id = by_name["id"].as_str().unwrap();
        let by_id = user.get(&format!("/roles/{id}")).await.expect(200).body;
        assert_eq!(by_id, by_name);

        user.get("/roles/name/no_such_role")
            .await
            .expect_error(404, "app.role.get_by_name.app_error");
        user.get("/roles/aaaaaaaaaaaaaaaaaaaaaaaaaa")
            .await
            .expect_error(404, "app.role.get.app_error");
        user.get("/roles/name/Bad-Name")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        user.get("/roles/short")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        server
            .client()
            .get("/roles/name/team_user")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn roles_by_names(server) {
        let (_, user) = admin_and_user(&server).await;
        let found = user
            .post(
                "/roles/names",
                json!(["system_user", "channel_user", " ", "not_a_role", "system_user"]),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(names(&found), ["channel_user", "system_user"]);
        user.post("/roles/names", json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        user.post("/roles/names", json!(["system_user", "Not Valid"]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        user.post("/roles/names", json!({"names": []}))
            .await
            .expect_error(400, "api.payload.parse.error");
        let many: Vec<String> = (0..101).map(|i| format!("role_{i}")).collect();
        user.post("/roles/names", json!(many))
            .await
            .expect_error(400, "api.roles.get_multiple_by_name_too_many.request_error");
    }
);

dual_db_test!(
    async fn patch_role_permissions(server) {
        let (admin, user) = admin_and_user(&server).await;
        let role = user.get("/roles/name/system_user").await.expect(200).body;
        let id = role["id"].as_str().unwrap().to_string();
        let path = format!("/roles/{id}/patch");
        let mut perms: Vec<Value> = role["permissions"].as_array().unwrap().clone();
        assert!(!perms.contains(&json!("list_private_teams")));
        perms.push(json!("list_private_teams"));

        user.put(&path, json!({"permissions": perms.clone()}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        admin
            .put("/roles/aaaaaaaaaaaaaaaaaaaaaaaaaa/patch", json!({"permissions": []}))
            .await
            .expect_error(404, "app.role.get.app_error");
        admin
            .put(&path, json!({"permissions": ["no_such_permission"]}))
            .await
            .expect_error(400, "app.role.save.invalid_role.app_error");
        admin
            .put(&path, json!({"permissions": "not a list"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let mut escalate = perms.clone();
        escalate.push(json!("manage_system"));
        admin
            .put(&path, json!({"permissions": escalate}))
            .await
            .expect_error(501, "api.roles.patch_roles.not_allowed_permission.error");

        let token = user.token.clone().unwrap();
        let (mut socket, _) = utmost_testkit::ws::WsClient::connect_ready(&server, &token).await;
        let patched = admin
            .put(&path, json!({"permissions": perms.clone()}))
            .await
            .expect(200)
            .body;
        // Every client hears of the change, with the role as Mattermost sends it (JSON text).
        let heard = loop {
            let event = socket.next().await;
            if event["event"] == "role_updated" {
                break event;
            }
        };
        let sent: Value = serde_json::from_str(heard["data"]["role"].as_str().unwrap()).unwrap();
        assert_eq!(sent, patched);
        assert!(patched["permissions"]
            .as_array()
            .unwrap()
            .contains(&json!("list_private_teams")));
        assert!(patched["update_at"].as_i64().unwrap() >= role["update_at"].as_i64().unwrap());
        let again = user.get(&format!("/roles/{id}")).await.expect(200).body;
        assert_eq!(again["permissions"], patched["permissions"]);

        // The permission engine follows the table at once: granting system users a System
        // Console read permission opens GET /config to them.
        user.get("/config")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let mut console = perms.clone();
        console.push(json!("sysconsole_read_reporting_site_statistics"));
        admin
            .put(&path, json!({"permissions": console}))
            .await
            .expect(200);
        user.get("/config").await.expect(200);
    }
);

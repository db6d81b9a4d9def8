//! Preferences: saving, reading and deleting one's own, other users' (with edit_other_users),
//! validation.

use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client, TestServer};

/// An admin, and a plain user with their id.
async fn users(server: &TestServer) -> (Client, Client, String, String) {
    let (admin_user, admin) = server.create_user(None, "admin").await;
    let (user, client) = server.create_user(Some(&admin), "alice").await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    (admin, client, id(&user), id(&admin_user))
}

fn pref(user_id: &str, category: &str, name: &str, value: &str) -> Value {
    json!({"user_id": user_id, "category": category, "name": name, "value": value})
}

dual_db_test!(
    async fn save_read_and_delete_own_preferences(server) {
        let (_, client, me, _) = users(&server).await;
        let r = client
            .put(
                "/users/me/preferences",
                json!([
                    pref(&me, "display_settings", "use_military_time", "true"),
                    pref(&me, "display_settings", "name_format", "username"),
                    pref(&me, "theme", "", r##"{"sidebarBg":"#145dbf","linkColor":"javascript:x"}"##),
                ]),
            )
            .await
            .expect(200);
        assert_eq!(r.body, json!({"status": "OK"}));

        // Saving again replaces the value instead of adding a row.
        client
            .put(
                &format!("/users/{me}/preferences"),
                json!([pref(&me, "display_settings", "use_military_time", "false")]),
            )
            .await
            .expect(200);
        let all = client.get("/users/me/preferences").await.expect(200).body;
        // Three saved here, plus the three every new account starts with.
        assert_eq!(all.as_array().unwrap().len(), 6);

        let one = client
            .get("/users/me/preferences/display_settings/name/use_military_time")
            .await
            .expect(200)
            .body;
        assert_eq!(one, pref(&me, "display_settings", "use_military_time", "false"));

        let category = client
            .get("/users/me/preferences/display_settings")
            .await
            .expect(200)
            .body;
        let names: Vec<_> = category.as_array().unwrap().iter().map(|p| p["name"].clone()).collect();
        assert_eq!(names, [json!("name_format"), json!("use_military_time")]);

        // Theme colours that are not colours are neutralised.
        let theme = client.get("/users/me/preferences/theme").await.expect(200).body;
        let value: Value = serde_json::from_str(theme[0]["value"].as_str().unwrap()).unwrap();
        assert_eq!(value, json!({"sidebarBg": "#145dbf", "linkColor": "#ffffff"}));

        client
            .post(
                "/users/me/preferences/delete",
                json!([pref(&me, "display_settings", "use_military_time", "")]),
            )
            .await
            .expect(200);
        client
            .get("/users/me/preferences/display_settings/name/use_military_time")
            .await
            .expect_error(400, "app.preference.get.app_error");
        let all = client.get("/users/me/preferences").await.expect(200).body;
        assert_eq!(all.as_array().unwrap().len(), 5);
    }
);

dual_db_test!(
    async fn missing_category_is_not_found(server) {
        let (_, client, _, _) = users(&server).await;
        client
            .get("/users/me/preferences/nothing_here")
            .await
            .expect_error(404, "api.preference.preferences_category.get.app_error");
        client
            .get("/users/me/preferences/bad-category")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        client
            .get("/users/not-an-id/preferences")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        server
            .client()
            .get("/users/me/preferences")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn other_users_preferences_need_edit_other_users(server) {
        let (admin, client, alice, admin_id) = users(&server).await;
        let (_, bob) = server.create_user(Some(&admin), "bob").await;
        bob.get(&format!("/users/{alice}/preferences"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        bob.put(
            &format!("/users/{alice}/preferences"),
            json!([pref(&alice, "display_settings", "name_format", "x")]),
        )
        .await
        .expect_error(403, "api.context.permissions.app_error");
        bob.post(
            &format!("/users/{alice}/preferences/delete"),
            json!([pref(&alice, "display_settings", "name_format", "")]),
        )
        .await
        .expect_error(403, "api.context.permissions.app_error");
        bob.get(&format!("/users/{alice}/preferences/display_settings/name/name_format"))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        client
            .get(&format!("/users/{admin_id}/preferences/display_settings"))
            .await
            .expect_error(403, "api.context.permissions.app_error");

        // A system admin may edit anyone's.
        admin
            .put(
                &format!("/users/{alice}/preferences"),
                json!([pref(&alice, "display_settings", "name_format", "full_name")]),
            )
            .await
            .expect(200);
        let got = client
            .get("/users/me/preferences/display_settings/name/name_format")
            .await
            .expect(200);
        assert_eq!(got.body["value"], "full_name");

        // Preferences in the body must belong to the user of the path.
        client
            .put(
                "/users/me/preferences",
                json!([pref(&admin_id, "display_settings", "name_format", "x")]),
            )
            .await
            .expect_error(403, "api.preference.update_preferences.set.app_error");
        client
            .post(
                "/users/me/preferences/delete",
                json!([pref(&admin_id, "display_settings", "name_format", "")]),
            )
            .await
            .expect_error(403, "api.preference.delete_preferences.delete.app_error");
    }
);

dual_db_test!(
    async fn invalid_preferences_are_refused(server) {
        let (_, client, me, _) = users(&server).await;
        let put = |body: Value| {
            let client = client.clone();
            async move { client.put("/users/me/preferences", body).await }
        };
        put(json!([pref(&me, &"c".repeat(33), "n", "v")]))
            .await
            .expect_error(400, "model.preference.is_valid.category.app_error");
        put(json!([pref(&me, "c", &"n".repeat(33), "v")]))
            .await
            .expect_error(400, "model.preference.is_valid.name.app_error");
        put(json!([pref(&me, "theme", "", "not json")]))
            .await
            .expect_error(400, "model.preference.is_valid.theme.app_error");
        put(json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let many: Vec<Value> = (0..101)
            .map(|i| pref(&me, "c", &format!("n{i}"), "v"))
            .collect();
        put(Value::Array(many))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        put(json!({"not": "a list"}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        // Saving a post that does not exist.
        put(json!([pref(&me, "flagged_post", "nosuchpost0000000000000000", "true")]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        // Nothing of a refused batch was written.
        put(json!([
            pref(&me, "c", "fine", "v"),
            pref(&me, "c", &"n".repeat(33), "v"),
        ]))
        .await
        .expect_error(400, "model.preference.is_valid.name.app_error");
        client
            .get("/users/me/preferences/c")
            .await
            .expect_error(404, "api.preference.preferences_category.get.app_error");
    }
);

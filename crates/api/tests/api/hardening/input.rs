//! Hardening tests: input.

use crate::posts_support::outsider;
use crate::support::{id, PASSWORD};
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Client, Resp};

/// `text` twice with a NUL character between (JSON-encoded as `\u0000`).
fn with_nul(text: &str) -> String {
    format!("{text}\u{0}{text}")
}

/// PUTs `body` as it is (not re-encoded), so a test can put a NUL in an object key.
async fn put_raw(client: &Client, path: &str, body: &str) -> Resp {
    let mut req = client
        .http
        .put(format!("{}/api/v4{path}", client.base))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    Client::read(req.send().await.unwrap()).await
}

enum Verb {
    Post,
    Put,
}

const BODY_PARAM: &str = "api.context.invalid_body_param.app_error";
const URL_PARAM: &str = "api.context.invalid_url_param.app_error";

dual_db_test!(
    async fn nul_characters_are_refused_before_they_reach_the_database(server) {
        let b = server.init_basic().await;
        let (team, channel, me) = (b.team_id(), b.channel_id(), b.user_id());
        let posts_before = b.client.get(&format!("/channels/{channel}/posts")).await.expect(200).body;
        let me_before = b.client.get("/users/me").await.expect(200).body;
        let channel_before = b.client.get(&format!("/channels/{channel}")).await.expect(200).body;
        let team_before = b.admin.get(&format!("/teams/{team}")).await.expect(200).body;

        let anon = server.client();
        let bodies: Vec<(&Client, Verb, String, Value)> = vec![
            (&anon, Verb::Post, "/users/login".into(),
                json!({"login_id": with_nul("basicuser"), "password": PASSWORD})),
            (&anon, Verb::Post, "/users/login".into(),
                json!({"login_id": "basicuser", "password": PASSWORD, "device_id": with_nul("d")})),
            (&b.client, Verb::Post, "/posts".into(),
                json!({"channel_id": channel, "message": with_nul("hello")})),
            (&b.client, Verb::Post, "/posts".into(),
                json!({"channel_id": channel, "message": "hello", "props": {"attachments": [{"text": with_nul("x")}]}})),
            (&b.client, Verb::Put, format!("/channels/{channel}/patch"),
                json!({"header": with_nul("header")})),
            (&b.client, Verb::Put, format!("/channels/{channel}/patch"),
                json!({"name": with_nul("name")})),
            (&b.client, Verb::Put, "/users/me/patch".into(),
                json!({"nickname": with_nul("nick")})),
            (&b.client, Verb::Put, "/users/me/patch".into(),
                json!({"timezone": {"useAutomaticTimezone": "false", "manualTimezone": with_nul("Europe/Paris")}})),
            (&b.client, Verb::Put, format!("/users/{me}/preferences"),
                json!([{"user_id": me, "category": "display_settings", "name": "use_military_time", "value": with_nul("true")}])),
            (&b.admin, Verb::Put, format!("/teams/{team}/patch"),
                json!({"description": with_nul("team")})),
            (&b.admin, Verb::Post, format!("/users/{me}/tokens"),
                json!({"description": with_nul("token")})),
            (&b.client, Verb::Post, format!("/teams/{team}/channels/search"),
                json!({"term": with_nul("basic")})),
        ];
        for (client, method, path, body) in bodies {
            let r = match method {
                Verb::Post => client.post(&path, body).await,
                Verb::Put => client.put(&path, body).await,
            };
            assert_eq!((r.status, r.error_id()), (400, BODY_PARAM), "{path}: {}", r.text);
        }

        // A NUL in an object key is refused too.
        let r = put_raw(&b.client, "/users/me/patch", r#"{"props": {"a\u0000b": "c"}}"#).await;
        assert_eq!((r.status, r.error_id()), (400, BODY_PARAM), "{}", r.text);
        // An escaped backslash before "u0000" is no NUL: that text is stored as it is.
        let r = put_raw(&b.client, "/users/me/patch", r#"{"nickname": "a\\u0000b"}"#).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["nickname"], "a\\u0000b");

        // %00 in a path segment or a query parameter.
        b.client.get("/users/username/basic%00user").await.expect_error(400, URL_PARAM);
        b.client.get("/teams/name/basic%00team").await.expect_error(400, URL_PARAM);
        b.client
            .get(&format!("/users/autocomplete?in_team={team}&name=basic%00"))
            .await
            .expect_error(400, BODY_PARAM);
        b.client
            .get(&format!("/teams/{team}/channels/autocomplete?name=basic%00"))
            .await
            .expect_error(400, BODY_PARAM);

        // Nothing was written.
        let posts_after = b.client.get(&format!("/channels/{channel}/posts")).await.expect(200).body;
        assert_eq!(posts_after["order"], posts_before["order"]);
        let me_after = b.client.get("/users/me").await.expect(200).body;
        assert_eq!(me_after["timezone"], me_before["timezone"]);
        assert_eq!(me_after["props"], me_before["props"]);
        let channel_after = b.client.get(&format!("/channels/{channel}")).await.expect(200).body;
        assert_eq!(channel_after["header"], channel_before["header"]);
        assert_eq!(channel_after["name"], channel_before["name"]);
        let team_after = b.admin.get(&format!("/teams/{team}")).await.expect(200).body;
        assert_eq!(team_after["description"], team_before["description"]);
        let prefs = b.client.get(&format!("/users/{me}/preferences")).await.expect(200).body;
        assert!(!prefs.to_string().contains("use_military_time"), "{prefs}");
        let tokens = b.admin.get(&format!("/users/{me}/tokens")).await.expect(200).body;
        assert_eq!(tokens, json!([]));
    }
);

/// `(last_viewed_at, msg_count, mention_count)` of `user_id` in `channel_id`, read by an admin.
async fn read_state(admin: &Client, channel_id: &str, user_id: &str) -> Value {
    let m = admin
        .get(&format!("/channels/{channel_id}/members/{user_id}"))
        .await
        .expect(200)
        .body;
    json!([m["last_viewed_at"], m["msg_count"], m["mention_count"]])
}

dual_db_test!(
    async fn viewing_channels_answers_only_for_the_callers_own_channels(server) {
        let b = server.init_basic().await;
        let (private, dm) = (id(&b.private_channel), id(&b.dm));
        for channel in [&private, &dm] {
            b.client2
                .post("/posts", json!({"channel_id": channel, "message": "@basicuser news"}))
                .await
                .expect(201);
        }
        let state_before = [
            read_state(&b.admin, &private, b.user_id()).await,
            read_state(&b.admin, &dm, b.user_id()).await,
        ];
        let (outsider_user, outsider) = outsider(&server, &b).await;
        let unknown = utmost_model::new_id();

        // Naming others' channels answers exactly what naming a channel that does not exist does.
        let none = outsider
            .post("/channels/members/me/view", json!({"channel_id": unknown}))
            .await;
        assert_eq!(none.status, 400, "{}", none.text);
        let view = outsider
            .post("/channels/members/me/view", json!({"channel_id": private, "prev_channel_id": dm}))
            .await;
        assert_eq!((view.status, view.error_id()), (none.status, none.error_id()), "{}", view.text);
        let mark = outsider
            .post("/channels/members/me/mark_read", json!([private, dm]))
            .await;
        assert_eq!((mark.status, mark.error_id()), (none.status, none.error_id()), "{}", mark.text);

        // With one channel of their own in the list, only that one is answered.
        outsider
            .post(&format!("/channels/{}/members", b.channel_id()), json!({"user_id": outsider_user["id"]}))
            .await
            .expect(201);
        let mine = outsider
            .post("/channels/members/me/mark_read", json!([b.channel_id(), private, dm]))
            .await
            .expect(200);
        let answered: Vec<&String> = mine.body["last_viewed_at_times"].as_object().unwrap().keys().collect();
        assert_eq!(answered, vec![b.channel_id()], "{}", mine.text);
        let view = outsider
            .post("/channels/members/me/view", json!({"channel_id": b.channel_id(), "prev_channel_id": private}))
            .await
            .expect(200);
        let answered: Vec<&String> = view.body["last_viewed_at_times"].as_object().unwrap().keys().collect();
        assert_eq!(answered, vec![b.channel_id()], "{}", view.text);

        // The members' read state did not move.
        let state_after = [
            read_state(&b.admin, &private, b.user_id()).await,
            read_state(&b.admin, &dm, b.user_id()).await,
        ];
        assert_eq!(state_after, state_before);
    }
);

const CHANNEL_SCHEME_ROLE: &str = "api.channel.update_channel_member_roles.scheme_role.app_error";
const TEAM_SCHEME_ROLE: &str = "api.channel.update_team_member_roles.scheme_role.app_error";

dual_db_test!(
    async fn a_channel_admin_cannot_give_themselves_roles_from_another_level(server) {
        let b = server.init_basic().await;
        let private = id(&b.private_channel);
        let me = b.user_id();
        let roles_path = format!("/channels/{private}/members/{me}/roles");
        let member = b.client.get(&format!("/channels/{private}/members/{me}")).await.expect(200).body;
        assert!(member["roles"].as_str().unwrap().contains("channel_admin"), "{member}");

        for foreign in ["system_manager", "system_admin", "system_user_manager", "team_admin", "system_post_all"] {
            b.client
                .put(&roles_path, json!({"roles": format!("channel_user channel_admin {foreign}")}))
                .await
                .expect_error(400, CHANNEL_SCHEME_ROLE);
        }
        b.client
            .put(&format!("/channels/{private}/privacy"), json!({"privacy": "O"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let channel = b.client.get(&format!("/channels/{private}")).await.expect(200).body;
        assert_eq!(channel["type"], "P");
        let after = b.client.get(&format!("/channels/{private}/members/{me}")).await.expect(200).body;
        assert_eq!(after["roles"], member["roles"]);

        // The channel's own roles are still assignable.
        let user2 = b.user2_id();
        b.client
            .put(&format!("/channels/{private}/members/{user2}/roles"), json!({"roles": "channel_user channel_admin"}))
            .await
            .expect(200);
    }
);

dual_db_test!(
    async fn a_team_admin_cannot_give_themselves_roles_from_another_level(server) {
        let b = server.init_basic().await;
        let (team, me) = (b.team_id(), b.user_id());
        let roles_path = format!("/teams/{team}/members/{me}/roles");
        b.admin
            .put(&roles_path, json!({"roles": "team_user team_admin"}))
            .await
            .expect(200);
        for foreign in ["system_manager", "system_user_manager", "channel_admin", "system_post_all"] {
            b.client
                .put(&roles_path, json!({"roles": format!("team_user team_admin {foreign}")}))
                .await
                .expect_error(400, TEAM_SCHEME_ROLE);
        }
        let member = b.client.get(&format!("/teams/{team}/members/{me}")).await.expect(200).body;
        assert_eq!(member["roles"], "team_user team_admin");
        // The system console stays closed to them.
        b.client.get("/config").await.expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    async fn replies_and_edits_of_their_root_run_concurrently_without_failing(server) {
        let b = server.init_basic().await;
        let root = id(&b.post);
        let channel = b.channel_id().to_string();
        let (tasks, per_task) = (8, 40);
        let mut handles = Vec::new();
        for task in 0..tasks {
            let editor = task % 2 == 0;
            // The root's author edits it while the other user replies to it.
            let client = if editor { b.client.clone() } else { b.client2.clone() };
            let (root, channel) = (root.clone(), channel.clone());
            handles.push(tokio::spawn(async move {
                let mut failures = Vec::new();
                for i in 0..per_task {
                    let r = if editor {
                        client
                            .put(&format!("/posts/{root}/patch"), json!({"message": format!("edit {task} {i}")}))
                            .await
                    } else {
                        client
                            .post("/posts", json!({"channel_id": channel, "root_id": root, "message": format!("reply {task} {i}")}))
                            .await
                    };
                    if r.status >= 300 {
                        failures.push(format!("{}: {}", r.status, r.text));
                    }
                }
                failures
            }));
        }
        let mut failures = Vec::new();
        for h in handles {
            failures.extend(h.await.unwrap());
        }
        assert!(failures.is_empty(), "{} failed, e.g. {:?}", failures.len(), failures.first());
    }
);

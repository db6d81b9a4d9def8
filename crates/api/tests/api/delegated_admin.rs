//! Delegated admin roles: system_manager, system_user_manager, system_read_only_admin and
//! patched ("custom") system roles may do exactly what Mattermost lets them do on the admin
//! routes, the configuration included, and nothing more.

use reqwest::Method;
use serde_json::{json, Value};
use utmost_testkit::{dual_db_test, Basic, Client, TestServer};

const PERMISSIONS: &str = "api.context.permissions.app_error";

/// The callers of the table, each a plain user given one delegated role by the admin.
struct Callers {
    manager: Client,
    user_manager: Client,
    read_only: Client,
}

async fn with_role(server: &TestServer, admin: &Client, name: &str, role: &str) -> Client {
    let (user, client) = server.create_user(Some(admin), name).await;
    let id = user["id"].as_str().unwrap();
    admin
        .put(
            &format!("/users/{id}/roles"),
            json!({"roles": format!("system_user {role}")}),
        )
        .await
        .expect(200);
    client
}

async fn callers(server: &TestServer, admin: &Client) -> Callers {
    Callers {
        manager: with_role(server, admin, "manager", "system_manager").await,
        user_manager: with_role(server, admin, "usermanager", "system_user_manager").await,
        read_only: with_role(server, admin, "readonly", "system_read_only_admin").await,
    }
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// One admin route and the status each caller gets, in the order
/// `[system_admin, system_manager, system_user_manager, system_read_only_admin, system_user]`.
struct Row {
    method: Method,
    path: String,
    body: Option<Value>,
    expected: [u16; 5],
}

fn row(method: Method, path: impl Into<String>, body: Option<Value>, expected: [u16; 5]) -> Row {
    Row {
        method,
        path: path.into(),
        body,
        expected,
    }
}

dual_db_test!(
    async fn each_delegated_role_does_what_mattermost_allows_and_no_more(server) {
        let b = server.init_basic().await;
        let c = callers(&server, &b.admin).await;
        let (target, _) = server.create_user(Some(&b.admin), "target").await;
        let (tid, cid, uid) = (b.team_id(), b.channel_id(), id(&target));
        use Method as M;
        let table = [
            // The configuration: any console reader reads it, any console writer saves it.
            row(M::GET, "/config", None, [200, 200, 200, 200, 403]),
            row(M::PUT, "/config/patch", Some(json!({"TeamSettings": {"SiteName": "Site"}})), [200, 200, 200, 403, 403]),
            row(M::GET, "/config/environment", None, [200, 200, 200, 200, 200]),
            // Roles and their assignment: system admins only.
            row(M::GET, "/roles", None, [200, 403, 403, 403, 403]),
            row(M::PUT, format!("/users/{uid}/roles"), Some(json!({"roles": "system_user"})), [200, 403, 403, 403, 403]),
            // Users: deactivation takes the users section's write permission, which no
            // built-in delegated role holds; another's sessions take edit_other_users.
            row(M::GET, format!("/users/{uid}/sessions"), None, [200, 403, 403, 403, 403]),
            // Teams and channels, as the console lists them.
            row(M::GET, "/channels", None, [200, 200, 200, 200, 403]),
            row(M::POST, "/channels/search", Some(json!({"term": ""})), [200, 200, 200, 200, 403]),
            row(M::GET, "/teams", None, [200, 200, 200, 200, 200]),
            row(M::POST, "/teams/search", Some(json!({"term": "basic"})), [200, 200, 200, 200, 200]),
            row(M::PUT, format!("/teams/{tid}/patch"), Some(json!({"group_constrained": false})), [200, 200, 200, 403, 403]),
            row(M::GET, format!("/channels/{cid}/moderations"), None, [200, 200, 200, 200, 403]),
            row(
                M::PUT,
                format!("/channels/{cid}/moderations/patch"),
                Some(json!([{"name": "create_reactions", "roles": {"members": true}}])),
                [200, 200, 200, 403, 403],
            ),
            // Permission schemes: read with the permissions section, written with its write.
            row(M::GET, "/schemes", None, [200, 200, 200, 200, 403]),
            // Compliance: audits and data retention are the read-only admin's, not the managers'.
            row(M::GET, "/audits", None, [200, 403, 403, 200, 403]),
            row(M::GET, "/data_retention/policies", None, [200, 403, 403, 200, 403]),
        ];
        let clients = [&b.admin, &c.manager, &c.user_manager, &c.read_only, &b.client];
        let names = ["system_admin", "system_manager", "system_user_manager", "system_read_only_admin", "system_user"];
        let mut wrong = Vec::new();
        for r in &table {
            for ((client, name), expected) in clients.iter().zip(names).zip(r.expected) {
                let got = client.request(r.method.clone(), &r.path, r.body.as_ref()).await;
                if got.status != expected {
                    wrong.push(format!("{name} {} {}: {} (expected {expected}) {}", r.method, r.path, got.status, got.body));
                } else if expected == 403 {
                    assert_eq!(got.body["id"], PERMISSIONS, "{name} {} {}", r.method, r.path);
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));

        // Writing a scheme takes the permissions section's write: the manager's, not the
        // user manager's.
        let scheme = |name: &str| json!({"name": name, "display_name": name, "scope": "channel"});
        c.manager.post("/schemes", scheme("by_manager")).await.expect(201);
        c.user_manager.post("/schemes", scheme("by_user_manager")).await.expect_error(403, PERMISSIONS);
        c.read_only.post("/schemes", scheme("by_read_only")).await.expect_error(403, PERMISSIONS);
    }
);

dual_db_test!(
    async fn the_console_lists_private_teams_and_every_channel_to_delegated_admins_only(server) {
        let b = server.init_basic().await;
        let c = callers(&server, &b.admin).await;
        b.admin
            .post("/teams", json!({"name": "hidden-team", "display_name": "Hidden Team", "type": "I"}))
            .await
            .expect(201);
        let team_names = |teams: &Value| -> Vec<String> {
            teams.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_string()).collect()
        };
        let found = c.read_only.post("/teams/search", json!({"term": "HIDDEN"})).await.expect(200).body;
        assert_eq!(team_names(&found), ["hidden-team"]);
        let found = b.client.post("/teams/search", json!({"term": "hidden"})).await.expect(200).body;
        assert!(team_names(&found).is_empty(), "a plain user lists open teams only: {found}");
        let paged = c.manager
            .post("/teams/search", json!({"term": "team", "page": 0, "per_page": 1}))
            .await
            .expect(200)
            .body;
        assert_eq!(paged["total_count"], 2);
        assert_eq!(paged["teams"].as_array().unwrap().len(), 1);
        // A LIKE wildcard in the term is a character, not a pattern.
        let found = c.manager.post("/teams/search", json!({"term": "%"})).await.expect(200).body;
        assert!(team_names(&found).is_empty());
        server.client().post("/teams/search", json!({"term": ""})).await.expect(401);
        c.manager
            .post("/teams/search", json!({"term": 7}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        c.user_manager
            .get("/channels?page=x")
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        // GET /channels: every team's public and private channels, with their team's names.
        let all = c.user_manager.get("/channels?per_page=100&include_total_count=true").await.expect(200).body;
        let names: Vec<&str> = all["channels"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"basic-private"), "{names:?}");
        assert!(!names.iter().any(|n| n.contains("__")), "no direct messages: {names:?}");
        assert_eq!(all["total_count"].as_i64().unwrap(), names.len() as i64);
        let private = all["channels"].as_array().unwrap().iter().find(|c| c["name"] == "basic-private").unwrap();
        assert_eq!(private["team_name"], "basic-team");
        let first = c.user_manager.get("/channels?per_page=1&exclude_default_channels=true").await.expect(200).body;
        assert_eq!(first.as_array().unwrap().len(), 1);
        assert!(!["town-square", "off-topic"].contains(&first[0]["name"].as_str().unwrap()));
        // Leaving out the data retention policies' channels is the policies' readers'.
        c.user_manager
            .get("/channels?exclude_policy_constrained=true")
            .await
            .expect_error(403, PERMISSIONS);
        c.read_only.get("/channels?exclude_policy_constrained=true").await.expect(200);
        b.client.get("/channels").await.expect_error(403, PERMISSIONS);
        server.client().get("/channels").await.expect(401);
    }
);

/// The value at `Section.Key` of a configuration document.
fn setting<'v>(config: &'v Value, path: &str) -> &'v Value {
    let (section, key) = path.split_once('.').unwrap();
    &config[section][key]
}

dual_db_test!(
    async fn the_configuration_is_read_and_written_by_console_section(server) {
        let b = server.init_basic().await;
        let c = callers(&server, &b.admin).await;

        // Reading: each sees the sections their role reads; the rest is null.
        let seen = |config: &Value, path: &str| !setting(config, path).is_null();
        let user_manager = c.user_manager.get("/config").await.expect(200).body;
        assert!(seen(&user_manager, "LdapSettings.Enable"), "authentication is the user manager's to read");
        assert!(!seen(&user_manager, "TeamSettings.SiteName"));
        assert!(!seen(&user_manager, "SqlSettings.DriverName"));
        let read_only = c.read_only.get("/config").await.expect(200).body;
        assert!(seen(&read_only, "TeamSettings.SiteName"));
        assert!(seen(&read_only, "SqlSettings.DriverName"));
        // Settings without a console section are the system admins' alone.
        assert!(!seen(&read_only, "ServiceSettings.EnableAPIUserDeletion"));
        let admin = b.admin.get("/config").await.expect(200).body;
        assert!(seen(&admin, "ServiceSettings.EnableAPIUserDeletion"));
        // Secrets stay masked for everyone.
        assert_eq!(setting(&read_only, "SqlSettings.DataSource"), utmost_config::FAKE_SETTING);

        // Writing: the manager's write reaches the sections it may write, and only those,
        // whatever case the keys are written in.
        let patched = c.manager
            .put(
                "/config/patch",
                json!({
                    "TeamSettings": {"SiteName": "Managed"},
                    "teamsettings": {"maxuserspERteam": 3},
                    "LdapSettings": {"Enable": true},
                    "ServiceSettings": {"EnableAPIUserDeletion": true},
                }),
            )
            .await
            .expect(200)
            .body;
        assert_eq!(setting(&patched, "TeamSettings.SiteName"), "Managed");
        assert_eq!(setting(&patched, "ServiceSettings.EnableAPIUserDeletion"), &Value::Null, "answered as the manager reads it");
        let now = b.admin.get("/config").await.expect(200).body;
        assert_eq!(setting(&now, "TeamSettings.SiteName"), "Managed");
        assert_eq!(setting(&now, "TeamSettings.MaxUsersPerTeam"), 3, "site_users_and_teams is the manager's");
        assert_eq!(setting(&now, "LdapSettings.Enable"), false, "authentication is read-only to the manager");
        assert_eq!(setting(&now, "ServiceSettings.EnableAPIUserDeletion"), false);

        // A whole-document save by the user manager keeps everything it may not write, even
        // what the document leaves out or nulls.
        c.user_manager.put("/config", json!({"TeamSettings": {"SiteName": "Reset"}})).await.expect(200);
        let after = b.admin.get("/config").await.expect(200).body;
        assert_eq!(after, now, "the user manager writes no setting of the configuration");
        c.read_only.put("/config", json!({})).await.expect_error(403, PERMISSIONS);

        // The environment overrides, limited to what the caller reads.
        let env = c.user_manager.get("/config/environment").await.expect(200).body;
        assert!(env.get("SqlSettings").is_none(), "{env}");
    }
);

dual_db_test!(
    async fn the_last_system_admin_keeps_the_role(server) {
        let b = server.init_basic().await;
        let me = b.admin.get("/users/me").await.expect(200).body;
        let demote = json!({"roles": "system_user"});
        b.admin
            .put(&format!("/users/{}/roles", id(&me)), demote.clone())
            .await
            .expect_error(400, "app.user.update.lastAdmin.app_error");
        let still = b.admin.get("/users/me").await.expect(200).body;
        assert!(still["roles"].as_str().unwrap().contains("system_admin"));
        // With a second admin, the first may step down, and the second is then the last.
        let (second, second_admin) = server.create_user(Some(&b.admin), "second").await;
        b.admin
            .put(&format!("/users/{}/roles", id(&second)), json!({"roles": "system_user system_admin"}))
            .await
            .expect(200);
        b.admin.put(&format!("/users/{}/roles", id(&me)), demote.clone()).await.expect(200);
        second_admin
            .put(&format!("/users/{}/roles", id(&second)), demote)
            .await
            .expect_error(400, "app.user.update.lastAdmin.app_error");
    }
);

/// Adds `permissions` to the built-in role `name` through the permissions editor's call.
async fn grant(admin: &Client, name: &str, permissions: &[&str]) {
    let role = admin
        .get(&format!("/roles/name/{name}"))
        .await
        .expect(200)
        .body;
    let mut all: Vec<Value> = role["permissions"].as_array().unwrap().clone();
    all.extend(permissions.iter().map(|p| json!(p)));
    admin
        .put(
            &format!("/roles/{}/patch", id(&role)),
            json!({"permissions": all}),
        )
        .await
        .expect(200);
}

async fn deactivate(client: &Client, user_id: &str) -> utmost_testkit::Resp {
    client
        .put(
            &format!("/users/{user_id}/active"),
            json!({"active": false}),
        )
        .await
}

dual_db_test!(
    async fn a_system_role_given_more_console_permissions_does_more(server) {
        let Basic { admin, .. } = server.init_basic().await;
        let user_manager = with_role(&server, &admin, "usermanager", "system_user_manager").await;
        let (target, _) = server.create_user(Some(&admin), "target").await;
        deactivate(&user_manager, id(&target))
            .await
            .expect_error(403, "api.user.update_active.permissions.app_error");
        // Only system admins edit the delegated roles.
        let role = admin.get("/roles/name/system_user_manager").await.expect(200).body;
        user_manager
            .put(&format!("/roles/{}/patch", id(&role)), json!({"permissions": ["manage_system"]}))
            .await
            .expect(403);

        grant(&admin, "system_user_manager", &["sysconsole_write_user_management_users"]).await;
        deactivate(&user_manager, id(&target)).await.expect(200);
        // Still no power over a system admin.
        let me = admin.get("/users/me").await.expect(200).body;
        deactivate(&user_manager, id(&me)).await.expect(403);
        let config = user_manager.get("/config").await.expect(200).body;
        assert!(setting(&config, "TeamSettings.SiteName").is_null(), "users management opens no site setting");
    }
);

dual_db_test!(
    async fn a_restricted_system_admin_is_refused_the_unrestricted_actions(server) {
        let b = server.init_basic().await;
        crate::support::configure(&server, |c| c.experimental_settings.restrict_system_admin = true);
        for (path, permission) in [
            ("/email/test", "test_email"),
            ("/bleve/purge_indexes", "purge_bleve_indexes"),
        ] {
            let refused = b.admin.post(path, json!({})).await.expect_error(403, PERMISSIONS);
            assert!(refused.body.to_string().contains(permission), "{path}: {}", refused.body);
        }
        b.admin.get("/logs").await.expect_error(403, PERMISSIONS);
        // Settings tagged write_restrictable cannot be saved; the others can.
        let before = b.admin.get("/config").await.expect(200).body;
        let developer = setting(&before, "ServiceSettings.EnableDeveloper").as_bool().unwrap();
        b.admin
            .put("/config/patch", json!({"ServiceSettings": {"EnableDeveloper": !developer}, "TeamSettings": {"SiteName": "Restricted"}}))
            .await
            .expect(200);
        crate::support::configure(&server, |c| c.experimental_settings.restrict_system_admin = false);
        let config = b.admin.get("/config").await.expect(200).body;
        assert_eq!(setting(&config, "ServiceSettings.EnableDeveloper"), developer);
        assert_eq!(setting(&config, "TeamSettings.SiteName"), "Restricted");
    }
);

//! The config API: `PUT /config`, `PUT /config/patch`, `POST /config/reload` (permissions,
//! validation with Mattermost's ids, masked secrets, locked env values), the change live
//! without a restart and after one, in a file and in the database, and `config_changed`.

use crate::support::{configure, PASSWORD};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use utmost_config::FAKE_SETTING;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client, DbKind, TestServer};

const MASK: &str = FAKE_SETTING;

async fn client_config(server: &TestServer) -> Value {
    server
        .client()
        .get("/config/client?format=old")
        .await
        .expect(200)
        .body
}

dual_db_test!(
    async fn writing_and_reloading_need_a_system_admin(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let (_, user) = server.create_user(Some(&admin), "alice").await;
        let config = admin.get("/config").await.expect(200).body;
        user.put("/config", config.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        user.put("/config/patch", json!({"TeamSettings": {"SiteName": "Nope"}}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        user.post("/config/reload", json!({}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        let anon = server.client();
        anon.put("/config", config)
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        anon.put("/config/patch", json!({}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        anon.post("/config/reload", json!({}))
            .await
            .expect_error(401, "api.context.session_expired.app_error");
        assert_eq!(client_config(&server).await["SiteName"], "Utmost");
    }
);

dual_db_test!(
    async fn a_patch_is_live_at_once_and_announced(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let (_, user) = server.create_user(Some(&admin), "alice").await;
        let (mut ws, _) = WsClient::connect_ready(&server, user.token.as_deref().unwrap()).await;
        let r = admin
            .put(
                "/config/patch",
                json!({"TeamSettings": {"SiteName": "Patched"}, "ServiceSettings": {"EnableCustomEmoji": true}}),
            )
            .await
            .expect(200);
        assert_eq!(r.header("cache-control"), "no-cache, no-store, must-revalidate");
        assert_eq!(r.body["TeamSettings"]["SiteName"], "Patched");
        assert_eq!(r.body["SqlSettings"]["DataSource"], MASK);
        // Keys the patch left out kept their values.
        assert_eq!(r.body["ServiceSettings"]["EnableDeveloper"], true);
        let client = client_config(&server).await;
        assert_eq!(client["SiteName"], "Patched");
        assert_eq!(server.app.config().team_settings.site_name, "Patched");
        // Every connection hears of it, with the client configuration.
        let event = ws.next_event("config_changed").await;
        assert_eq!(event["data"]["config"]["SiteName"], "Patched");
        assert_eq!(event["data"]["config"]["EnableCustomEmoji"], "true");
    }
);

dual_db_test!(
    async fn put_replaces_the_whole_configuration(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let mut config = admin.get("/config").await.expect(200).body;
        config["TeamSettings"]["SiteName"] = json!("Whole");
        config["TeamSettings"]["MaxUsersPerTeam"] = json!(77);
        // A key left out takes its default, as in Mattermost.
        config["ServiceSettings"]
            .as_object_mut()
            .unwrap()
            .remove("EnableDeveloper");
        let r = admin.put("/config", config).await.expect(200);
        assert_eq!(r.body["TeamSettings"]["SiteName"], "Whole");
        assert_eq!(r.body["TeamSettings"]["MaxUsersPerTeam"], 77);
        assert_eq!(r.body["ServiceSettings"]["EnableDeveloper"], false);
        assert_eq!(server.app.config().team_settings.max_users_per_team, 77);
        // The database settings sent back masked still reach the same database.
        assert_ne!(server.app.config().sql_settings.data_source, MASK);
        assert_eq!(client_config(&server).await["SiteName"], "Whole");
    }
);

dual_db_test!(
    async fn invalid_values_are_refused_with_mattermosts_ids(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let cases = [
            (
                json!({"PasswordSettings": {"MinimumLength": 2}}),
                "model.config.is_valid.password_length.app_error",
            ),
            (
                json!({"ServiceSettings": {"ListenAddress": "nowhere"}}),
                "model.config.is_valid.listen_address.app_error",
            ),
            (
                json!({"ServiceSettings": {"SiteURL": "ftp://chat.example"}}),
                "model.config.is_valid.site_url.app_error",
            ),
            (
                json!({"FileSettings": {"MaxFileSize": 0}}),
                "model.config.is_valid.max_file_size.app_error",
            ),
            (
                json!({"RateLimitSettings": {"PerSec": 0}}),
                "model.config.is_valid.rate_sec.app_error",
            ),
            (
                json!({"TeamSettings": {"SiteName": 5}}),
                "api.context.invalid_body_param.app_error",
            ),
        ];
        for (patch, id) in cases {
            admin.put("/config/patch", patch).await.expect_error(400, id);
        }
        let mut whole = admin.get("/config").await.expect(200).body;
        whole["PasswordSettings"]["MinimumLength"] = json!(100);
        admin
            .put("/config", whole)
            .await
            .expect_error(400, "model.config.is_valid.password_length.app_error");
        // Nothing changed.
        assert_eq!(server.app.config().password_settings.minimum_length, 8);

        // Not JSON at all.
        let token = admin.token.clone().unwrap();
        let http = reqwest::Client::new();
        for (method, path) in [
            (reqwest::Method::PUT, "/config"),
            (reqwest::Method::PUT, "/config/patch"),
        ] {
            let r = http
                .request(method, format!("{}/api/v4{path}", server.url))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body("{not json")
                .send()
                .await
                .unwrap();
            let r = Client::read(r).await;
            r.expect_error(400, "api.context.invalid_body_param.app_error");
        }

        // A set site URL cannot be cleared.
        admin
            .put(
                "/config/patch",
                json!({"ServiceSettings": {"SiteURL": "https://chat.example"}}),
            )
            .await
            .expect(200);
        admin
            .put("/config/patch", json!({"ServiceSettings": {"SiteURL": ""}}))
            .await
            .expect_error(400, "api.config.update_config.clear_siteurl.app_error");
    }
);

dual_db_test!(
    async fn a_masked_secret_keeps_the_stored_one(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        configure(&server, |c| {
            c.email_settings.smtp_password = "smtp-secret".into();
            c.ldap_settings.bind_password = "bind-secret".into();
        });
        let mut config = admin.get("/config").await.expect(200).body;
        assert_eq!(config["EmailSettings"]["SMTPPassword"], MASK);
        config["EmailSettings"]["SMTPServer"] = json!("mail.example");
        let r = admin.put("/config", config).await.expect(200);
        assert_eq!(r.body["EmailSettings"]["SMTPPassword"], MASK);
        let in_force = server.app.config();
        assert_eq!(in_force.email_settings.smtp_password, "smtp-secret");
        assert_eq!(in_force.ldap_settings.bind_password, "bind-secret");
        assert_eq!(in_force.email_settings.smtp_server, "mail.example");
        // A patch with the mask keeps it too; a new value replaces it.
        admin
            .put("/config/patch", json!({"EmailSettings": {"SMTPPassword": MASK}}))
            .await
            .expect(200);
        assert_eq!(server.app.config().email_settings.smtp_password, "smtp-secret");
        admin
            .put("/config/patch", json!({"EmailSettings": {"SMTPPassword": "new-secret"}}))
            .await
            .expect(200);
        assert_eq!(server.app.config().email_settings.smtp_password, "new-secret");
    }
);

/// A directory of the test's own, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir =
            std::env::temp_dir().join(format!("utmost-config-api-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `--set` flags that keep each start's data in a directory of its own (the test's).
fn own_dirs(dir: &TempDir, run: u32) -> Vec<(String, String)> {
    let data = dir.path(&format!("data-{run}"));
    vec![
        (
            "FileSettings.Directory".into(),
            data.to_string_lossy().into_owned(),
        ),
        ("LogSettings.EnableConsole".into(), "false".into()),
    ]
}

/// A config file for `base`'s database, with `extra` sections merged in.
fn write_config_file(base: &TestServer, path: &Path, extra: Value) {
    let config = base.app.config();
    let mut doc = json!({
        "SqlSettings": {
            "DriverName": config.sql_settings.driver_name,
            "DataSource": config.sql_settings.data_source,
            "MaxOpenConns": 5,
        },
        "ServiceSettings": {"ListenAddress": "127.0.0.1:0", "EnableDeveloper": true},
        "TeamSettings": {"SiteName": "From File"},
        // A section Utmost does not have: a save must keep it.
        "PluginSettings": {"Enable": true, "Plugins": {"com.example": {"x": 1}}},
    });
    for (section, keys) in extra.as_object().unwrap() {
        for (key, value) in keys.as_object().unwrap() {
            doc[section][key] = value.clone();
        }
    }
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn admin_of(server: &TestServer) -> Client {
    server.client().login("admin", PASSWORD).await
}

dual_db_test!(
    async fn a_saved_file_config_survives_a_restart(base) {
        base.create_user(None, "admin").await;
        let dir = TempDir::new();
        let file = dir.path("config.json");
        write_config_file(&base, &file, json!({}));
        let location = file.to_string_lossy().into_owned();

        let first = TestServer::start_from_config(base.kind, &location, vec![], own_dirs(&dir, 1)).await;
        assert_eq!(client_config(&first).await["SiteName"], "From File");
        let admin = admin_of(&first).await;
        admin
            .put("/config/patch", json!({"TeamSettings": {"SiteName": "Saved"}}))
            .await
            .expect(200);
        assert_eq!(client_config(&first).await["SiteName"], "Saved");
        let stored = read_json(&file);
        assert_eq!(stored["TeamSettings"]["SiteName"], "Saved");
        assert_eq!(stored["PluginSettings"]["Plugins"]["com.example"]["x"], 1);
        // The --set values are not written; the file's own are kept.
        assert!(stored["FileSettings"].get("Directory").is_none());
        assert_eq!(stored["SqlSettings"]["MaxOpenConns"], 5);
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(&dir.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
        first.stop().await;

        let second =
            TestServer::start_from_config(base.kind, &location, vec![], own_dirs(&dir, 2)).await;
        assert_eq!(client_config(&second).await["SiteName"], "Saved");
        second.stop().await;
    }
);

dual_db_test!(
    async fn reload_reads_the_file_again(base) {
        base.create_user(None, "admin").await;
        let dir = TempDir::new();
        let file = dir.path("config.json");
        write_config_file(&base, &file, json!({}));
        let location = file.to_string_lossy().into_owned();
        let server =
            TestServer::start_from_config(base.kind, &location, vec![], own_dirs(&dir, 1)).await;
        let admin = admin_of(&server).await;
        let (mut ws, _) = WsClient::connect_ready(&server, admin.token.as_deref().unwrap()).await;
        write_config_file(&base, &file, json!({"TeamSettings": {"SiteName": "Edited"}}));
        assert_eq!(client_config(&server).await["SiteName"], "From File");
        let r = admin.post("/config/reload", json!({})).await.expect(200);
        assert_eq!(r.body["status"], "OK");
        assert_eq!(client_config(&server).await["SiteName"], "Edited");
        let event = ws.next_event("config_changed").await;
        assert_eq!(event["data"]["config"]["SiteName"], "Edited");
        server.stop().await;
    }
);

dual_db_test!(
    async fn a_value_set_by_the_environment_stays(base) {
        base.create_user(None, "admin").await;
        let dir = TempDir::new();
        let file = dir.path("config.json");
        write_config_file(&base, &file, json!({}));
        let location = file.to_string_lossy().into_owned();
        let env = vec![("MM_TEAMSETTINGS_SITENAME".to_string(), "From Env".to_string())];
        let server = TestServer::start_from_config(base.kind, &location, env, own_dirs(&dir, 1)).await;
        let admin = admin_of(&server).await;
        let environment = admin.get("/config/environment").await.expect(200).body;
        assert_eq!(environment["TeamSettings"]["SiteName"], true);
        let r = admin
            .put(
                "/config/patch",
                json!({"TeamSettings": {"SiteName": "Other", "MaxUsersPerTeam": 42}}),
            )
            .await
            .expect(200);
        // The environment's value stays in force, the file keeps its own, the rest is saved.
        assert_eq!(r.body["TeamSettings"]["SiteName"], "From Env");
        assert_eq!(r.body["TeamSettings"]["MaxUsersPerTeam"], 42);
        assert_eq!(client_config(&server).await["SiteName"], "From Env");
        let stored = read_json(&file);
        assert_eq!(stored["TeamSettings"]["SiteName"], "From File");
        assert_eq!(stored["TeamSettings"]["MaxUsersPerTeam"], 42);
        server.stop().await;
    }
);

/// The DSN of `base`'s database as `--config` takes it.
fn database_dsn(base: &TestServer) -> String {
    let data_source = base.app.config().sql_settings.data_source.clone();
    match base.kind {
        DbKind::Sqlite => format!("sqlite://{data_source}"),
        DbKind::Postgres => data_source,
    }
}

async fn store_of(base: &TestServer) -> utmost_store::Store {
    let config = base.app.config();
    utmost_store::Store::connect(&utmost_app::store_options(&config))
        .await
        .unwrap()
}

dual_db_test!(
    async fn a_database_config_is_saved_as_a_new_active_row(base) {
        base.create_user(None, "admin").await;
        let dir = TempDir::new();
        let dsn = database_dsn(&base);
        let first = TestServer::start_from_config(base.kind, &dsn, vec![], own_dirs(&dir, 1)).await;
        // An empty config database: the data lives in the same database.
        let in_force = first.app.config();
        assert_eq!(in_force.sql_settings.driver_name, base.app.config().sql_settings.driver_name);
        let admin = admin_of(&first).await;
        admin
            .put("/config/patch", json!({"TeamSettings": {"SiteName": "In The DB"}}))
            .await
            .expect(200);
        admin
            .put("/config/patch", json!({"TeamSettings": {"MaxUsersPerTeam": 33}}))
            .await
            .expect(200);
        let store = store_of(&base).await;
        let active: Value =
            serde_json::from_str(&utmost_store::configurations::active(&store).await.unwrap().unwrap())
                .unwrap();
        assert_eq!(active["TeamSettings"]["SiteName"], "In The DB");
        assert_eq!(active["TeamSettings"]["MaxUsersPerTeam"], 33);
        // --set values stay out of the database too.
        assert!(active["FileSettings"].get("Directory").is_none());
        // Each save is a row; one is active.
        assert_eq!(utmost_store::configurations::count(&store).await.unwrap(), 2);
        first.stop().await;

        let second =
            TestServer::start_from_config(base.kind, &dsn, vec![], own_dirs(&dir, 2)).await;
        assert_eq!(client_config(&second).await["SiteName"], "In The DB");
        assert_eq!(second.app.config().team_settings.max_users_per_team, 33);
        second.stop().await;
        store.close().await;
    }
);

#[tokio::test]
async fn a_read_only_cluster_config_file_is_refused() {
    if !TestServer::postgres_available() {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let base = TestServer::start(DbKind::Postgres).await;
    base.create_user(None, "admin").await;
    let dir = TempDir::new();
    let file = dir.path("config.json");
    write_config_file(
        &base,
        &file,
        json!({
            "ClusterSettings": {"Enable": true, "ReadOnlyConfig": true},
            "CacheSettings": {"CacheType": "redis", "RedisAddress": "127.0.0.1:1"},
        }),
    );
    let location = file.to_string_lossy().into_owned();
    let server =
        TestServer::start_from_config(DbKind::Postgres, &location, vec![], own_dirs(&dir, 1)).await;
    let admin = admin_of(&server).await;
    admin
        .put(
            "/config/patch",
            json!({"TeamSettings": {"SiteName": "Nope"}}),
        )
        .await
        .expect_error(403, "ent.cluster.save_config.error");
    let config = admin.get("/config").await.expect(200).body;
    admin
        .put("/config", config)
        .await
        .expect_error(403, "ent.cluster.save_config.error");
    assert_eq!(read_json(&file)["TeamSettings"]["SiteName"], "From File");
    server.stop().await;
}

dual_db_test!(
    async fn config_listeners_follow_a_saved_change(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = seen.clone();
        server.app.add_config_listener(move |old, new| {
            record.lock().unwrap().push((
                old.log_settings.console_level.clone(),
                new.log_settings.console_level.clone(),
            ));
        });
        admin
            .put("/config/patch", json!({"LogSettings": {"ConsoleLevel": "DEBUG"}}))
            .await
            .expect(200);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![("INFO".to_string(), "DEBUG".to_string())]
        );
    }
);

dual_db_test!(
    async fn reload_without_a_stored_config_keeps_what_is_in_force(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let before = server.app.config();
        admin
            .put("/config/patch", json!({"TeamSettings": {"SiteName": "Kept"}}))
            .await
            .expect(200);
        admin.post("/config/reload", json!({})).await.expect(200);
        let after = server.app.config();
        assert_eq!(after.team_settings.site_name, "Kept");
        assert_eq!(after.sql_settings.data_source, before.sql_settings.data_source);
        assert_eq!(after.file_settings.directory, before.file_settings.directory);
    }
);

dual_db_test!(
    async fn with_the_config_in_a_database_its_certificates_are_rows_there(base) {
        base.create_user(None, "admin").await;
        let dir = TempDir::new();
        let dsn = database_dsn(&base);
        let server = TestServer::start_from_config(base.kind, &dsn, vec![], own_dirs(&dir, 1)).await;
        let admin = admin_of(&server).await;
        let (_, crt) = utmost_testkit::saml::key_pair(&dir.0, "sp");
        let crt = std::fs::read(crt).unwrap();
        crate::saml::upload(&admin, "public", &crt).await.expect(200);
        let store = store_of(&base).await;
        let row = utmost_store::configurations::get_file(&store, "saml-public.crt").await.unwrap();
        assert_eq!(row.as_deref().map(str::as_bytes), Some(&crt[..]));
        assert!(!server.app.config().files_dir().join("saml-public.crt").exists(), "no file beside");
        let status = admin.get("/saml/certificate/status").await.expect(200).body;
        assert_eq!(status["public_certificate_file"], true);
        assert_eq!(status["private_key_file"], false);
        // Another node on the same config database sees it.
        let other = TestServer::start_from_config(base.kind, &dsn, vec![], own_dirs(&dir, 2)).await;
        let other_admin = admin_of(&other).await;
        assert_eq!(other_admin.get("/saml/certificate/status").await.expect(200).body, status);
        other_admin.delete("/saml/certificate/public").await.expect(200);
        assert_eq!(utmost_store::configurations::get_file(&store, "saml-public.crt").await.unwrap(), None);
        other.stop().await;
        server.stop().await;
        store.close().await;
    }
);

//! System endpoints: ping and health, client config, license, plugins, limits, admin config,
//! timezones.

use serde_json::json;
use utmost_model::{MATTERMOST_VERSION, UTMOST_VERSION};
use utmost_testkit::{dual_db_test, DbKind, TestServer};

const PERMISSIONS: &str = "api.context.permissions.app_error";

dual_db_test!(
    async fn ping_reports_health(server) {
        let anon = server.client();
        let r = anon.get("/system/ping?time=1").await.expect(200);
        assert_eq!(
            r.body,
            json!({
                "status": "OK",
                "AndroidLatestVersion": "",
                "AndroidMinVersion": "",
                "IosLatestVersion": "",
                "IosMinVersion": "",
                "ActiveSearchBackend": "database",
            })
        );
        let r = anon.get("/system/ping?get_server_status=true").await.expect(200);
        assert_eq!(r.body["database_status"], "OK");
        assert_eq!(r.body["filestore_status"], "OK");
        assert_eq!(r.header("status"), "OK");
        assert_eq!(r.header("database_status"), "OK");
        assert_eq!(r.header("filestore_status"), "OK");
        assert!(r.body.get("root_status").is_none(), "only admins see root_status");

        let (_, admin) = server.create_user(None, "admin").await;
        let r = admin.get("/system/ping?get_server_status=true").await.expect(200);
        assert!(r.body["root_status"].is_boolean());
        let r = anon.get("/system/ping?device_id=android_rn-v2:abc").await.expect(200);
        assert_eq!(r.body["CanReceiveNotifications"], "false");
    }
);

/// A file store that cannot be written makes the server unhealthy: 500, unless the caller
/// asked for REST semantics. (The search index, by default in the same directory, is put
/// elsewhere: an index that cannot be opened stops the start.)
async fn unwritable_file_store(kind: DbKind) {
    let index = std::env::temp_dir().join(format!("utmost-index-{}", utmost_model::new_id()));
    let server = TestServer::start_with(kind, |c| {
        c.file_settings.directory = "/dev/null/utmost-data".into();
        c.bleve_settings.index_dir = index.display().to_string();
    })
    .await;
    let anon = server.client();
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(500);
    assert_eq!(r.body["status"], "UNHEALTHY");
    assert_eq!(r.body["filestore_status"], "UNHEALTHY");
    assert_eq!(r.body["database_status"], "OK");
    assert_eq!(r.header("status"), "UNHEALTHY");
    anon.get("/system/ping?get_server_status=true&use_rest_semantics=true")
        .await
        .expect(200);
    // Without the status checks the ping stays OK.
    anon.get("/system/ping").await.expect(200);
    drop(server);
    let _ = std::fs::remove_dir_all(index);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhealthy_file_store_sqlite() {
    unwritable_file_store(DbKind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unhealthy_file_store_postgres() {
    if !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    unwritable_file_store(DbKind::Postgres).await;
}

dual_db_test!(
    async fn client_config_limited_and_full(server) {
        let anon = server.client();
        anon.get("/config/client")
            .await
            .expect_error(501, "api.config.client.old_format.app_error");
        anon.get("/config/client?format=new")
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");

        let limited = anon.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(limited["NoAccounts"], "true");
        assert_eq!(limited["Version"], MATTERMOST_VERSION);
        assert_eq!(limited["BuildNumber"], UTMOST_VERSION);
        assert_eq!(limited["EnableLdap"], "false");
        assert_eq!(limited["EnableSaml"], "false");
        assert_eq!(limited["PluginsEnabled"], "false");
        assert_eq!(limited["EnableSignUpWithEmail"], "true");
        assert!(limited.get("MaxPostSize").is_none());
        assert!(limited.as_object().unwrap().values().all(|v| v.is_string()));
        let telemetry = limited["DiagnosticId"].as_str().unwrap().to_string();
        assert_eq!(telemetry.len(), 26);

        let (_, admin) = server.create_user(None, "admin").await;
        let full = admin.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(full["NoAccounts"], "false");
        assert_eq!(full["MaxPostSize"], "16383");
        assert_eq!(full["TeammateNameDisplay"], "username");
        assert_eq!(full["EnableMultifactorAuthentication"], "false");
        assert_eq!(full["DiagnosticId"], telemetry.as_str());
        let after = anon.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(after["NoAccounts"], "false");
        assert!(after.get("TeammateNameDisplay").is_none());
    }
);

dual_db_test!(
    async fn license_and_plugins(server) {
        let anon = server.client();
        let r = anon.get("/license/client?format=old").await.expect(200);
        assert_eq!(r.body["IsLicensed"], "true");
        assert_eq!(r.body["SAML"], "true");
        assert_eq!(r.body["CustomPermissionsSchemes"], "true");
        assert!(r.body.get("Id").is_none(), "sanitized for those who may not read it");
        anon.get("/license/client")
            .await
            .expect_error(501, "api.license.client.old_format.app_error");
        anon.get("/license/client?format=json")
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let r = anon.get("/plugins/webapp").await.expect(200);
        assert_eq!(r.body, json!([]));
    }
);

dual_db_test!(
    async fn a_licence_is_neither_needed_nor_taken(server) {
        use crate::files_support::{form, send, BOUNDARY};
        let basic = server.init_basic().await;
        let full = basic.admin.get("/license/client?format=old").await.expect(200).body;
        assert_eq!(full["SkuShortName"], "advanced");
        assert_eq!(full["Cloud"], "false");
        assert!(full["ExpiresAt"].as_str().unwrap().parse::<i64>().unwrap() > utmost_model::now_millis());
        let member = basic.client.get("/license/client?format=old").await.expect(200).body;
        assert!(member.get("ExpiresAt").is_none());

        let multipart = format!("multipart/form-data; boundary={BOUNDARY}");
        let file = form(&[], &[("license", "mattermost.mattermost-license", b"bytes")]);
        for path in ["/license", "/license/preview"] {
            send(&basic.client, path, &multipart, file.clone()).await.expect_error(403, PERMISSIONS);
            send(&server.client(), path, &multipart, file.clone()).await.expect(401);
            send(&basic.admin, path, &multipart, file.clone())
                .await
                .expect_error(400, "api.license.add_license.invalid.app_error");
            send(&basic.admin, path, &multipart, form(&[("other", "x")], &[]))
                .await
                .expect_error(400, "api.license.add_license.no_file.app_error");
        }
        basic.client.delete("/license").await.expect_error(403, PERMISSIONS);
        basic.admin.delete("/license").await.expect(200);
        assert_eq!(
            basic.admin.get("/license/client?format=old").await.expect(200).body,
            full,
            "removing the licence changes nothing"
        );
        basic
            .admin
            .post("/trial-license", json!({"users": 10, "terms_accepted": true}))
            .await
            .expect_error(400, "api.license.request-trial.can-start-trial.not-allowed");
        basic.client.post("/trial-license", json!({})).await.expect_error(403, PERMISSIONS);
        assert_eq!(basic.admin.get("/license/load_metric").await.expect(200).body, json!({"load": 0}));
        server.client().get("/license/load_metric").await.expect(401);
    }
);

dual_db_test!(
    async fn server_limits(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let (_, user) = server.create_user(Some(&admin), "alice").await;
        let r = admin.get("/limits/server").await.expect(200);
        assert_eq!(
            r.body,
            json!({
                "maxUsersLimit": 0,
                "maxUsersHardLimit": 0,
                "activeUserCount": 2,
                "singleChannelGuestCount": 0,
                "singleChannelGuestLimit": 0,
                "postHistoryLimit": 0,
                "lastAccessiblePostTime": 0,
            })
        );
        let r = user.get("/limits/server").await.expect(200);
        assert_eq!(r.body["activeUserCount"], 0);
        server
            .client()
            .get("/limits/server")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn admin_config_and_environment(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let (_, user) = server.create_user(Some(&admin), "alice").await;
        let r = admin.get("/config").await.expect(200);
        assert_eq!(r.header("cache-control"), "no-cache, no-store, must-revalidate");
        assert_eq!(
            r.body["SqlSettings"]["DataSource"],
            "********************************"
        );
        assert_eq!(r.body["ServiceSettings"]["EnableDeveloper"], true);
        user.get("/config")
            .await
            .expect_error(403, "api.context.permissions.app_error");

        let r = admin.get("/config/environment").await.expect(200);
        assert!(r.body.is_object());
        let r = user.get("/config/environment").await.expect(200);
        assert_eq!(r.body, json!({}));
        server
            .client()
            .get("/config/environment")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

dual_db_test!(
    async fn timezones_need_a_session(server) {
        let (_, admin) = server.create_user(None, "admin").await;
        let zones = admin.get("/system/timezones").await.expect(200).body;
        let zones = zones.as_array().unwrap();
        assert!(zones.contains(&json!("Europe/Berlin")));
        assert!(zones.contains(&json!("UTC")));
        server
            .client()
            .get("/system/timezones")
            .await
            .expect_error(401, "api.context.session_expired.app_error");
    }
);

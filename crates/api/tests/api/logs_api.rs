//! The server's log file through the API: lines written appear in `/logs` (paged from the
//! end), `/logs/query` and `/logs/download`; `LogSettings` changes take effect without a
//! restart; a client's `POST /logs`; the support packet's zip; and the outsiders.
//!
//! The log file is a tracing layer, so each test installs the process's subscriber once
//! (nextest runs each test in its own process) and lets it follow its server's config.

use crate::compliance_api::{download, unzip};
use crate::support::{configure, id, PASSWORD};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use utmost_app::logs::Logging;
use utmost_testkit::{dual_db_test, Client, TestServer};

/// The process's logging, installed once; it follows `server`'s configuration from now on.
fn follow(server: &TestServer) {
    static LOGGING: OnceLock<Option<Logging>> = OnceLock::new();
    let logging = LOGGING.get_or_init(|| utmost_app::logs::init(&server.app.config()));
    logging
        .as_ref()
        .expect("this process's tracing subscriber was installed by someone else")
        .follow(&server.app);
}

fn log_dir() -> PathBuf {
    std::env::temp_dir().join(format!("utmost-logs-{}", utmost_model::new_id()))
}

/// Turns the file log on in `dir` at `level`.
fn file_log_in(server: &TestServer, dir: &Path, level: &str) {
    let dir = dir.to_string_lossy().into_owned();
    let level = level.to_string();
    configure(server, move |c| {
        c.log_settings.enable_file = true;
        c.log_settings.file_location = dir;
        c.log_settings.file_level = level;
        c.log_settings.file_json = true;
    });
}

async fn client_log(client: &Client, level: &str, message: &str) {
    client
        .post("/logs", json!({"level": level, "message": message}))
        .await
        .expect(200);
}

/// The lines of `/logs` (everything, oldest first).
async fn logged(admin: &Client) -> Vec<String> {
    let body = admin.get("/logs").await.expect(200).body;
    body.as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// The parsed lines of `/logs` whose message holds `marker`.
async fn with_marker(admin: &Client, marker: &str) -> Vec<Value> {
    logged(admin)
        .await
        .iter()
        .filter(|l| l.contains(marker))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn file_text(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("mattermost.log")).unwrap_or_default()
}

dual_db_test!(
    async fn lines_written_to_the_file_appear_in_logs_and_settings_apply_at_once(server) {
        follow(&server);
        let dir = log_dir();
        file_log_in(&server, &dir, "INFO");
        let b = server.init_basic().await;
        let admin = &b.admin;

        client_log(admin, "ERROR", "first-marker").await;
        let lines = with_marker(admin, "first-marker").await;
        assert_eq!(lines.len(), 1, "{lines:?}");
        let line = &lines[0];
        // Mattermost's JSON shape: timestamp, level, msg, caller, then the fields.
        assert_eq!(line["level"], "error");
        assert_eq!(line["msg"], "Client Logs API Endpoint Message: first-marker");
        assert_eq!(line["type"], "client_message");
        assert!(line["caller"].as_str().unwrap().starts_with("api/src/api4/logs.rs:"), "{line}");
        let ts = line["timestamp"].as_str().unwrap();
        assert!(ts.len() == "2026-01-02 15:04:05.000 Z".len() && ts.ends_with(" Z"), "{ts}");

        // DEBUG is under INFO: not written.
        client_log(admin, "DEBUG", "debug-marker-1").await;
        assert!(with_marker(admin, "debug-marker-1").await.is_empty());
        // FileLevel DEBUG, saved through the config API, applies to the next line.
        admin
            .put("/config/patch", json!({"LogSettings": {"FileLevel": "DEBUG"}}))
            .await
            .expect(200);
        client_log(admin, "DEBUG", "debug-marker-2").await;
        let lines = with_marker(admin, "debug-marker-2").await;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["level"], "debug");

        // Paging: page 0 is the newest lines, oldest first; page 1 the ones before.
        for n in 0..3 {
            client_log(admin, "ERROR", &format!("paged-{n}")).await;
        }
        let last: Vec<String> = admin.get("/logs?page=0&logs_per_page=3").await.expect(200).body
            .as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()).collect();
        // Other lines (the requests' own, at DEBUG) fall between them: oldest first.
        let all = logged(admin).await;
        let paged: Vec<&String> = all.iter().filter(|l| l.contains("paged-")).collect();
        assert_eq!(paged.len(), 3);
        for (n, line) in paged.iter().enumerate() {
            assert!(line.contains(&format!("paged-{n}")), "{paged:?}");
        }
        assert_eq!(last.len(), 3);
        // Page 0 is a run of the file's newest lines, as the later full read shows them.
        let at = all.iter().position(|l| *l == last[0]).unwrap();
        assert_eq!(all[at..at + 3], last[..]);
        let page_one = admin.get("/logs?page=1&logs_per_page=1").await.expect(200).body;
        assert_eq!(page_one.as_array().unwrap().len(), 1);
        // Garbage paging takes the defaults.
        admin.get("/logs?page=x&logs_per_page=-4").await.expect(200);

        // EnableFile off: nothing more is written, and /logs answers [""] as Mattermost.
        configure(&server, |c| c.log_settings.enable_file = false);
        client_log(admin, "ERROR", "while-off").await;
        assert_eq!(admin.get("/logs").await.expect(200).body, json!([""]));
        assert!(!file_text(&dir).contains("while-off"));
        admin.get("/logs/download").await.expect_error(500, "api.system.logs.download_bytes_buffer.app_error");

        // On again in another directory: the new file takes the lines.
        let moved = log_dir();
        file_log_in(&server, &moved, "INFO");
        client_log(admin, "ERROR", "moved-marker").await;
        assert!(file_text(&moved).contains("moved-marker"));
        assert!(!file_text(&dir).contains("moved-marker"));
        assert_eq!(with_marker(admin, "moved-marker").await.len(), 1);

        // Plain text with FileJson off.
        configure(&server, |c| c.log_settings.file_json = false);
        client_log(admin, "ERROR", "plain-marker").await;
        let text = file_text(&moved);
        let plain = text.lines().find(|l| l.contains("plain-marker")).unwrap();
        assert!(plain.starts_with("error [") && plain.contains("caller=\"api/src/api4/logs.rs:"), "{plain}");
        assert!(plain.contains("type=client_message"), "{plain}");
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&moved);
    }
);

dual_db_test!(
    async fn download_and_query_read_the_same_file(server) {
        follow(&server);
        let dir = log_dir();
        file_log_in(&server, &dir, "DEBUG");
        let b = server.init_basic().await;
        let admin = &b.admin;
        client_log(admin, "ERROR", "query-error-marker").await;
        client_log(admin, "DEBUG", "query-debug-marker").await;

        let (status, disposition, bytes) = download(admin, "/logs/download").await;
        assert_eq!(status, 200);
        assert!(disposition.contains("mattermost.log"), "{disposition}");
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("query-error-marker") && text.contains("query-debug-marker"));

        let found = admin
            .post("/logs/query?logs_per_page=10000", json!({"log_levels": ["error"]}))
            .await
            .expect(200)
            .body;
        let entries = found["default"].as_array().unwrap();
        assert!(entries.iter().all(|e| e["level"] == "error"), "{found}");
        assert!(entries.iter().any(|e| e["msg"].as_str().unwrap().contains("query-error-marker")));
        // Another node's name finds nothing; a body that is no filter is Mattermost's 500.
        let other = admin.post("/logs/query", json!({"server_names": ["elsewhere"]})).await.expect(200).body;
        assert_eq!(other, json!({}));
        admin.post("/logs/query", json!("nope")).await.expect_error(500, "api.system.logs.invalidFilter");
        let _ = std::fs::remove_dir_all(&dir);
    }
);

dual_db_test!(
    async fn a_client_log_needs_a_session_unless_developer_mode_and_only_admins_log_errors(server) {
        follow(&server);
        let dir = log_dir();
        file_log_in(&server, &dir, "INFO");
        configure(&server, |c| c.service_settings.enable_developer = false);
        let b = server.init_basic().await;
        let anon = server.client();
        anon.post("/logs", json!({"level": "ERROR", "message": "anon"}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A plain user's ERROR goes in at DEBUG, so not into an INFO file.
        let echoed = b.client.post("/logs", json!({"level": "ERROR", "message": "user-marker"})).await.expect(200).body;
        assert_eq!(echoed["message"], "Client Logs API Endpoint Message: user-marker");
        assert_eq!(echoed["level"], "ERROR");
        assert!(!file_text(&dir).contains("user-marker"));
        client_log(&b.admin, "ERROR", "admin-marker").await;
        assert!(file_text(&dir).contains("admin-marker"));
        // A long message is cut to 399 bytes.
        let long = "é".repeat(300);
        let echoed = b.admin.post("/logs", json!({"level": "ERROR", "message": long})).await.expect(200).body;
        let message = echoed["message"].as_str().unwrap();
        assert!(message.len() <= "Client Logs API Endpoint Message: ".len() + 399);
        // Developer mode: anyone, even without a session.
        configure(&server, |c| c.service_settings.enable_developer = true);
        anon.post("/logs", json!({"level": "ERROR", "message": "anon-marker"})).await.expect(200);
        assert!(file_text(&dir).contains("anon-marker"));
        let _ = std::fs::remove_dir_all(&dir);
    }
);

dual_db_test!(
    async fn the_support_packet_is_a_zip_without_secrets(server) {
        follow(&server);
        let dir = log_dir();
        file_log_in(&server, &dir, "INFO");
        configure(&server, |c| {
            c.email_settings.smtp_password = "smtp-secret-in-config".into();
            c.sql_settings.at_rest_encrypt_key = "at-rest-secret-key-of-thirty-two-chars".into();
            c.file_settings.amazon_s3_secret_access_key = "s3-secret-in-config".into();
        });
        let b = server.init_basic().await;
        client_log(&b.admin, "ERROR", "packet-marker").await;

        let (status, disposition, bytes) = download(&b.admin, "/system/support_packet").await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        assert!(disposition.contains("mm_support_packet_") && disposition.ends_with(".zip\""), "{disposition}");
        let entries = unzip(&bytes);
        let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
        for expected in ["metadata.yaml", "stats.yaml", "jobs.yaml", "diagnostics.yaml", "sanitized_config.json", "plugins.json", "mattermost.log"] {
            assert!(names.contains(&expected), "{expected} missing from {names:?}");
        }
        let entry = |name: &str| {
            String::from_utf8(entries.iter().find(|(n, _)| n == name).unwrap().1.clone()).unwrap()
        };
        assert!(entry("mattermost.log").contains("packet-marker"));
        assert!(entry("metadata.yaml").contains("\"type\": \"support-packet\""));
        assert!(entry("diagnostics.yaml").contains(if server.app.config().sql_settings.driver_name == "postgres" { "\"postgres\"" } else { "\"sqlite\"" }));
        assert!(entry("stats.yaml").contains("\"registered_users\":"));
        let config: Value = serde_json::from_str(&entry("sanitized_config.json")).unwrap();
        assert_eq!(config["EmailSettings"]["SMTPPassword"], "********************************");
        for (name, body) in &entries {
            let text = String::from_utf8_lossy(body);
            for secret in ["smtp-secret-in-config", "at-rest-secret-key-of-thirty-two-chars", "s3-secret-in-config"] {
                assert!(!text.contains(secret), "{secret} in {name}");
            }
        }
        // Without the logs.
        let (_, _, bytes) = download(&b.admin, "/system/support_packet?basic_server_logs=false").await;
        assert!(!unzip(&bytes).iter().any(|(n, _)| n == "mattermost.log"));
        let _ = std::fs::remove_dir_all(&dir);
    }
);

dual_db_test!(
    async fn outsiders_read_no_logs_and_get_no_packet(server) {
        let b = server.init_basic().await;
        let anon = server.client();
        for path in ["/logs", "/logs/download", "/system/support_packet"] {
            anon.get(path).await.expect(401);
            b.client.get(path).await.expect_error(403, "api.context.permissions.app_error");
        }
        anon.post("/logs/query", json!({})).await.expect(401);
        b.client.post("/logs/query", json!({})).await.expect_error(403, "api.context.permissions.app_error");

        // A read-only administrator reads the logs (sysconsole_read_reporting_server_logs
        // implies get_logs) but gets no support packet (manage_system).
        let uid = id(&b.user2);
        b.admin
            .put(&format!("/users/{uid}/roles"), json!({"roles": "system_user system_read_only_admin"}))
            .await
            .expect(200);
        let reader = server.client().login(b.user2["username"].as_str().unwrap(), PASSWORD).await;
        reader.get("/logs").await.expect(200);
        reader.post("/logs/query", json!({})).await.expect(200);
        reader.get("/system/support_packet").await.expect_error(403, "api.context.permissions.app_error");

        // A restricted system admin reads no logs and gets no packet.
        configure(&server, |c| c.experimental_settings.restrict_system_admin = true);
        for path in ["/logs", "/logs/download", "/system/support_packet"] {
            b.admin.get(path).await.expect_error(403, "api.context.permissions.app_error");
        }
        b.admin.post("/logs/query", json!({})).await.expect_error(403, "api.context.permissions.app_error");
    }
);

dual_db_test!(
    /// Every line logged while a request runs names it: `request_id`, the `X-Request-ID` the
    /// answer carries; and a store call over `SlowStoreCallMilliseconds` is logged by name
    /// and duration, inside its request.
    async fn lines_logged_in_a_request_carry_its_id_and_slow_store_calls_are_logged(server) {
        follow(&server);
        let dir = log_dir();
        file_log_in(&server, &dir, "WARN");
        let b = server.init_basic().await;
        let admin = &b.admin;

        let answer = admin
            .post("/logs", json!({"level": "ERROR", "message": "request-id-marker"}))
            .await
            .expect(200);
        let request_id = answer.header("x-request-id").to_string();
        assert_eq!(request_id.len(), 26);
        let lines = with_marker(admin, "request-id-marker").await;
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert_eq!(lines[0]["request_id"], request_id.as_str());

        // The plain format names it too.
        configure(&server, |c| c.log_settings.file_json = false);
        let answer = admin
            .post("/logs", json!({"level": "ERROR", "message": "plain-id-marker"}))
            .await
            .expect(200);
        let plain_id = answer.header("x-request-id").to_string();
        let text = file_text(&dir);
        let line = text.lines().find(|l| l.contains("plain-id-marker")).unwrap();
        assert!(line.contains(&format!("request_id={plain_id}")), "{line}");
        configure(&server, |c| c.log_settings.file_json = true);

        // Off (0): nothing is logged as slow, whatever the time.
        configure(&server, |c| c.log_settings.slow_store_call_milliseconds = 0);
        b.client
            .get(&format!("/channels/{}/posts", b.channel_id()))
            .await
            .expect(200);
        assert!(!file_text(&dir).contains("slow store call"));
        // Every call is slow under a 1 µs threshold (the setting's unit is the millisecond;
        // the store's own threshold takes microseconds).
        utmost_metrics::set_slow_store_call_threshold(std::time::Duration::from_micros(1));
        let answer = b
            .client
            .get(&format!("/channels/{}/posts", b.channel_id()))
            .await
            .expect(200);
        let posts_request = answer.header("x-request-id").to_string();
        let slow: Vec<Value> = file_text(&dir)
            .lines()
            .filter(|l| l.contains("slow store call"))
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let in_request: Vec<&Value> = slow
            .iter()
            .filter(|l| l["request_id"] == posts_request.as_str())
            .collect();
        assert!(!in_request.is_empty(), "{slow:?}");
        for line in &in_request {
            assert_eq!(line["level"], "warn");
            assert!(line["duration_ms"].as_f64().unwrap() >= 0.0, "{line}");
            let name = line["store_call"].as_str().unwrap();
            assert!(!name.is_empty() && !name.contains("{{closure}}"), "{line}");
        }
        assert!(
            in_request
                .iter()
                .any(|l| l["store_call"].as_str().unwrap().starts_with("posts::")),
            "{in_request:?}"
        );
        // The setting takes over again at the next save.
        configure(&server, |c| c.log_settings.slow_store_call_milliseconds = 60_000);
        assert_eq!(
            utmost_metrics::slow_store_call_threshold(),
            std::time::Duration::from_secs(60)
        );
    }
);

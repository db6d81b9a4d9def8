//! Bulk import and export over the API: an import file uploaded through `/uploads`
//! (`type: "import"`), listed by `/imports`, run by an `import_process` job; an
//! `export_process` job's zip listed, downloaded and deleted through `/exports`. Only
//! system administrators may touch any of it.

use crate::files_support::send;
use crate::support::id;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::{dual_db_test, Client};

fn jsonl(lines: &[Value]) -> Vec<u8> {
    lines
        .iter()
        .map(|l| format!("{l}\n"))
        .collect::<String>()
        .into_bytes()
}

fn good_import() -> Vec<u8> {
    jsonl(&[
        json!({"type": "version", "version": 1}),
        json!({"type": "team", "team": {"name": "imported", "display_name": "Imported", "type": "O"}}),
        json!({"type": "channel", "channel": {"team": "imported", "name": "general",
            "display_name": "General", "type": "O"}}),
        json!({"type": "user", "user": {"username": "importee", "email": "importee@example.com",
            "teams": [{"name": "imported", "roles": "team_user",
                "channels": [{"name": "general", "roles": "channel_user"}]}]}}),
        json!({"type": "post", "post": {"team": "imported", "channel": "general", "user": "importee",
            "message": "imported words", "create_at": 1_600_000_000_000_i64}}),
    ])
}

/// Uploads `content` as an import file; returns its name in the import directory.
async fn upload_import(admin: &Client, filename: &str, content: &[u8]) -> String {
    let created = admin
        .post(
            "/uploads",
            json!({"type": "import", "filename": filename, "file_size": content.len()}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(created["type"], "import");
    let upload_id = id(&created);
    send(
        admin,
        &format!("/uploads/{upload_id}"),
        "application/octet-stream",
        content.to_vec(),
    )
    .await
    .expect(204);
    format!("{upload_id}_{filename}")
}

async fn run_job(admin: &Client, job_type: &str, data: Value) -> Value {
    let created = admin
        .post("/jobs", json!({"type": job_type, "data": data}))
        .await
        .expect(201)
        .body;
    let job_id = id(&created);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = admin.get(&format!("/jobs/{job_id}")).await.expect(200).body;
        if !["pending", "in_progress"].contains(&job["status"].as_str().unwrap()) {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not finish: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn download(client: &Client, path: &str) -> (u16, Vec<u8>) {
    let mut req = client.http.get(format!("{}/api/v4{path}", client.base));
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.bytes().await.unwrap().to_vec())
}

dual_db_test!(
    async fn an_uploaded_import_runs_as_a_job_and_an_export_downloads(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let name = upload_import(admin, "data.jsonl", &good_import()).await;
        let listed = admin.get("/imports").await.expect(200).body;
        assert_eq!(listed, json!([name]));

        let job = run_job(admin, "import_process", json!({"import_file": name})).await;
        assert_eq!(job["status"], "success", "{job}");
        let team = admin.get("/teams/name/imported").await.expect(200).body;
        assert_eq!(team["display_name"], "Imported");
        // Run again: it changes nothing, and succeeds.
        let again = run_job(admin, "import_process", json!({"import_file": name})).await;
        assert_eq!(again["status"], "success", "{again}");

        let export = run_job(admin, "export_process", json!({})).await;
        assert_eq!(export["status"], "success", "{export}");
        let file = export["data"]["export_file"].as_str().unwrap().to_string();
        assert_eq!(admin.get("/exports").await.expect(200).body, json!([file]));
        let (status, zip) = download(admin, &format!("/exports/{file}")).await;
        assert_eq!(status, 200);
        assert!(zip.starts_with(b"PK"), "not a zip");
        admin.delete(&format!("/exports/{file}")).await.expect(200);
        assert_eq!(admin.get("/exports").await.expect(200).body, json!([]));
        admin
            .get(&format!("/exports/{file}"))
            .await
            .expect_error(404, "api.export.export_not_found.app_error");

        admin.delete(&format!("/imports/{name}")).await.expect(200);
        assert_eq!(admin.get("/imports").await.expect(200).body, json!([]));
        admin.delete("/imports/.parts").await.expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn a_bad_import_fails_its_job_with_the_line_and_writes_nothing(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let bad = jsonl(&[
            json!({"type": "version", "version": 1}),
            json!({"type": "team", "team": {"name": "half", "display_name": "Half", "type": "O"}}),
            json!({"type": "channel", "channel": {"team": "nowhere", "name": "c", "display_name": "C", "type": "O"}}),
        ]);
        let name = upload_import(admin, "bad.jsonl", &bad).await;
        let job = run_job(admin, "import_process", json!({"import_file": name})).await;
        assert_eq!(job["status"], "error", "{job}");
        assert_eq!(job["data"]["line_number"], "3");
        let error = job["data"]["error"].as_str().unwrap();
        assert!(error.contains("line 3: team nowhere is not declared"), "{error}");
        admin.get("/teams/name/half").await.expect(404);

        let missing = run_job(admin, "import_process", json!({"import_file": "nothing.zip"})).await;
        assert_eq!(missing["status"], "error", "{missing}");
    }
);

dual_db_test!(
    async fn only_system_admins_touch_imports_and_exports(server) {
        let basic = server.init_basic().await;
        // Nothing exported yet: an empty list, not an error.
        assert_eq!(basic.admin.get("/exports").await.expect(200).body, json!([]));
        let name = upload_import(&basic.admin, "data.jsonl", &good_import()).await;
        let user = &basic.client;
        let denied = "api.context.permissions.app_error";
        user.get("/imports").await.expect_error(403, denied);
        user.delete(&format!("/imports/{name}")).await.expect_error(403, denied);
        user.get("/exports").await.expect_error(403, denied);
        user.get("/exports/x.zip").await.expect_error(403, denied);
        user.delete("/exports/x.zip").await.expect_error(403, denied);
        user.post("/uploads", json!({"type": "import", "filename": "a.zip", "file_size": 10}))
            .await
            .expect_error(403, denied);
        user.post("/jobs", json!({"type": "import_process", "data": {"import_file": name}}))
            .await
            .expect_error(403, denied);
        user.post("/jobs", json!({"type": "export_process"})).await.expect_error(403, denied);
        let anonymous = server.client();
        anonymous.get("/imports").await.expect(401);
        anonymous.get("/exports").await.expect(401);
        anonymous.delete("/exports/x.zip").await.expect(401);
        // The file is still there.
        assert_eq!(basic.admin.get("/imports").await.expect(200).body, json!([name]));
    }
);

/// (teams, users, posts, reactions on live posts): what an import writes.
async fn written(server: &utmost_testkit::TestServer) -> (i64, i64, i64, usize) {
    let store = &server.app.store;
    let teams = utmost_store::teams::count(store, utmost_store::teams::OpenInvite::Any)
        .await
        .unwrap();
    let users = utmost_store::users::count_all(store).await.unwrap();
    let posts = utmost_store::search::count_posts(store).await.unwrap();
    let mut ids = Vec::new();
    let mut after = (0, String::new());
    loop {
        let page = utmost_store::bulk::root_post_ids_after(store, (after.0, &after.1), 100)
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = last.clone();
        ids.extend(page.into_iter().map(|(_, id)| id));
    }
    let reactions = utmost_store::reactions::for_posts(store, &ids)
        .await
        .unwrap()
        .len();
    (teams, users, posts, reactions)
}

dual_db_test!(
    async fn an_import_cut_short_is_finished_by_running_it_again(server) {
        use utmost_app::bulk::{apply::apply, source::Source};
        let dir = std::env::temp_dir().join(format!("utmost-resume-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("in.jsonl");
        let mut lines = good_import();
        lines.extend(jsonl(&[json!({"type": "post", "post": {"team": "imported", "channel": "general",
            "user": "importee", "message": "second", "create_at": 1_600_000_000_001_i64,
            "reactions": [{"user": "importee", "emoji_name": "smile", "create_at": 1_600_000_000_002_i64}],
            "replies": [{"user": "importee", "message": "a reply", "create_at": 1_600_000_000_003_i64}]}})]));
        std::fs::write(&path, lines).unwrap();
        let source = Source::open(&path).unwrap();

        // Stopped after the user's line: teams, channels and users are in, no post.
        let before = written(&server).await;
        let done = apply(&server.app, &source, &|n| n < 4).await.unwrap();
        assert_eq!(done, 4);
        assert_eq!(written(&server).await, (before.0 + 1, before.1 + 1, before.2, 0));

        // Running it again finishes the work, and a third run changes nothing.
        assert_eq!(apply(&server.app, &source, &|_| true).await.unwrap(), 6);
        let after = written(&server).await;
        assert_eq!(after, (before.0 + 1, before.1 + 1, before.2 + 3, 1));
        apply(&server.app, &source, &|_| true).await.unwrap();
        assert_eq!(written(&server).await, after, "a re-run changed something");
        let _ = std::fs::remove_dir_all(&dir);
    }
);

dual_db_test!(
    async fn import_and_export_files_past_their_retention_are_deleted(server) {
        let basic = server.init_basic().await;
        let store = &server.app.files.store;
        let root = std::path::PathBuf::from(&server.app.config().file_settings.directory);
        let day = Duration::from_secs(24 * 60 * 60);
        let files = [
            ("import/old.zip", 31 * day),
            ("import/recent.zip", 29 * day),
            ("export/old.zip", 40 * day),
            ("export/today.zip", Duration::ZERO),
            // A message export's batch: a compliance record, not an export to clean up.
            ("export/2020-01-01T01-00-00Z-0-1/batch001.zip", 400 * day),
        ];
        for (path, age) in files {
            store.write(path, b"zip".to_vec()).await.unwrap();
            let file = std::fs::File::options().write(true).open(root.join(path)).unwrap();
            file.set_modified(std::time::SystemTime::now() - age).unwrap();
        }
        let now = utmost_model::now_millis();
        let deleted = utmost_app::bulk::cleanup::delete_expired(&server.app, now).await.unwrap();
        assert_eq!(deleted, 2);
        let exists = |path: &str| root.join(path).exists();
        assert!(!exists("import/old.zip") && !exists("export/old.zip"));
        assert!(exists("import/recent.zip") && exists("export/today.zip"));
        assert!(exists("export/2020-01-01T01-00-00Z-0-1/batch001.zip"));
        let listed = basic.admin.get("/imports").await.expect(200).body;
        assert_eq!(listed, json!(["recent.zip"]));

        // Retention 0 keeps every file, however old.
        let mut config = (*server.app.config()).clone();
        config.import_settings.retention_days = 0;
        server.app.set_config(config);
        let much_later = now + 3650 * 24 * 3_600_000;
        let deleted = utmost_app::bulk::cleanup::delete_expired(&server.app, much_later).await.unwrap();
        assert_eq!(deleted, 1, "only the export aged out");
        assert!(exists("import/recent.zip"));
    }
);

dual_db_test!(
    /// Deprovisioning by import: the import's end tells every server's caches, which close
    /// the sockets whose sessions the deactivation ended.
    async fn an_import_that_deactivates_a_user_ends_their_sessions_and_sockets(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let user = |delete_at: i64| {
            jsonl(&[
                json!({"type": "version", "version": 1}),
                json!({"type": "user", "user": {"username": "leaver", "email": "leaver@example.com",
                    "password": "Leaver-password-1", "delete_at": delete_at}}),
            ])
        };
        let name = upload_import(admin, "joiner.jsonl", &user(0)).await;
        let job = run_job(admin, "import_process", json!({"import_file": name})).await;
        assert_eq!(job["status"], "success", "{job}");
        let leaver = server.client().login("leaver", "Leaver-password-1").await;
        let token = leaver.token.clone().unwrap();
        let (mut ws, _) = utmost_testkit::ws::WsClient::connect_ready(&server, &token).await;
        leaver.get("/users/me").await.expect(200);

        let name = upload_import(admin, "leaver.jsonl", &user(1_700_000_000_000)).await;
        let job = run_job(admin, "import_process", json!({"import_file": name})).await;
        assert_eq!(job["status"], "success", "{job}");
        assert!(ws.closes_within(Duration::from_secs(5)).await, "the socket was left open");
        leaver.get("/users/me").await.expect(401);
    }
);

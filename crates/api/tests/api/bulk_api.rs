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

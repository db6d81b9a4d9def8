//! `/compliance/reports`: validation, permissions, 501 when the feature is off, and the
//! downloaded report's rows against the posts, with the keyword and email filters.

use crate::posts_support::{create_post, outsider};
use crate::support::{configure, id};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::Read;
use std::time::{Duration, Instant};
use utmost_model::now_millis;
use utmost_testkit::{dual_db_test, Client};

/// The bytes and headers of a download (the test client reads bodies as text).
pub async fn download(client: &Client, path: &str) -> (u16, String, Vec<u8>) {
    let resp = client
        .http
        .get(format!("{}/api/v4{path}", client.base))
        .bearer_auth(client.token.as_deref().unwrap_or_default())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let disposition = resp
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, disposition, resp.bytes().await.unwrap().to_vec())
}

/// The entries of a zip, by name.
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            (entry.name().unwrap().to_string(), content)
        })
        .collect()
}

/// The report once it has left `running`.
async fn finished(admin: &Client, report_id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let report = admin
            .get(&format!("/compliance/reports/{report_id}"))
            .await
            .expect(200)
            .body;
        if report["status"] != "running" {
            return report;
        }
        assert!(
            Instant::now() < deadline,
            "the report did not finish: {report}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Runs a report and returns its CSV rows (header first).
async fn report_rows(admin: &Client, body: Value) -> Vec<Vec<String>> {
    let created = admin
        .post("/compliance/reports", body)
        .await
        .expect(201)
        .body;
    assert_eq!(created["status"], "running");
    assert_eq!(created["type"], "adhoc");
    let report_id = id(&created);
    let done = finished(admin, &report_id).await;
    assert_eq!(done["status"], "finished", "{done}");
    let (status, disposition, zip) =
        download(admin, &format!("/compliance/reports/{report_id}/download")).await;
    assert_eq!(status, 200);
    assert_eq!(
        disposition,
        format!("attachment;filename=\"adhoc-{report_id}.zip\"")
    );
    let entries = unzip(&zip);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].0, "posts.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&entries[0].1[..]);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(done["count"].as_i64().unwrap() as usize, rows.len() - 1);
    rows
}

/// The column `name` of the data rows.
fn column(rows: &[Vec<String>], name: &str) -> Vec<String> {
    let at = rows[0].iter().position(|h| h == name).unwrap();
    rows[1..].iter().map(|r| r[at].clone()).collect()
}

dual_db_test!(
    async fn a_report_holds_every_post_of_its_window_and_its_filters_narrow_it(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| {
            c.compliance_settings.enable = true;
            c.compliance_settings.batch_size = 2;
        });
        let start = now_millis();
        let public = create_post(&basic.client, basic.channel_id(), "alpha in public").await;
        let private = create_post(&basic.client2, basic.private_channel["id"].as_str().unwrap(), "beta in private").await;
        let direct = create_post(&basic.client2, basic.dm["id"].as_str().unwrap(), "Alpha in a DM").await;
        let edited = create_post(&basic.client, basic.channel_id(), "first words").await;
        basic
            .client
            .put(&format!("/posts/{}", id(&edited)), json!({"id": id(&edited), "message": "second words"}))
            .await
            .expect(200);
        let deleted = create_post(&basic.client, basic.channel_id(), "gone soon").await;
        basic.client.delete(&format!("/posts/{}", id(&deleted))).await.expect(200);
        let end = now_millis() + 1;
        let window = |extra: Value| {
            let mut body = json!({"desc": "window", "start_at": start, "end_at": end});
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            body
        };

        let rows = report_rows(&basic.admin, window(json!({}))).await;
        assert_eq!(rows[0], utmost_model::compliance::POST_HEADER);
        let ids: Vec<String> = column(&rows, "PostId");
        // The edit's old version is a row of its own, pointing at the live post.
        let originals = column(&rows, "PostOriginalId");
        let old_version = originals.iter().position(|o| *o == id(&edited)).expect("the edit's old version");
        assert_eq!(column(&rows, "PostMessage")[old_version], "first words");
        let expected: BTreeSet<String> =
            [&public, &private, &direct, &edited, &deleted].iter().map(|p| id(p)).collect();
        let live: BTreeSet<String> =
            ids.iter().enumerate().filter(|(i, _)| *i != old_version).map(|(_, p)| p.clone()).collect();
        assert_eq!(live, expected);
        assert_eq!(ids.len(), 6);
        let at = |post: &Value| ids.iter().position(|p| *p == id(post)).unwrap();
        let messages = column(&rows, "PostMessage");
        assert_eq!(messages[at(&edited)], "second words");
        assert_eq!(column(&rows, "PostDeleteAt")[at(&public)], "1970-01-01T00:00:00Z");
        assert_ne!(column(&rows, "PostDeleteAt")[at(&deleted)], "1970-01-01T00:00:00Z");
        assert_eq!(column(&rows, "ChannelName")[at(&public)], "basic-channel");
        assert_eq!(column(&rows, "TeamName")[at(&private)], "basic-team");
        assert_eq!(column(&rows, "TeamName")[at(&direct)], "");
        assert_eq!(column(&rows, "UserUsername")[at(&direct)], "basicuser2");
        assert_eq!(column(&rows, "UserEmail")[at(&public)], "basicuser@example.com");
        // Posts before the window are not in it.
        assert!(!ids.contains(&id(&basic.post)));

        let alpha = report_rows(&basic.admin, window(json!({"keywords": "ALPHA"}))).await;
        let found: BTreeSet<String> = column(&alpha, "PostId").into_iter().collect();
        assert_eq!(found, [id(&public), id(&direct)].into_iter().collect());

        let by_user2 = report_rows(&basic.admin, window(json!({"emails": "BasicUser2@example.com"}))).await;
        let found: BTreeSet<String> = column(&by_user2, "PostId").into_iter().collect();
        assert_eq!(found, [id(&private), id(&direct)].into_iter().collect());

        let both = report_rows(&basic.admin, window(json!({"emails": "basicuser2@example.com, nobody@example.com", "keywords": "beta gamma"}))).await;
        assert_eq!(column(&both, "PostId"), [id(&private)]);

        // Listed newest first.
        let listed = basic.admin.get("/compliance/reports?page=0&per_page=2").await.expect(200).body;
        let listed = listed.as_array().unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0]["keywords"], "beta gamma");
        assert_eq!(listed[1]["emails"], "basicuser2@example.com");
    }
);

dual_db_test!(
    async fn reports_are_validated_as_mattermost_validates_them(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| c.compliance_settings.enable = true);
        let admin = &basic.admin;
        let invalid = |field: &str| format!("model.compliance.is_valid.{field}.app_error");
        let now = now_millis();
        for (body, field) in [
            (json!({"start_at": 1, "end_at": now}), "desc"),
            (json!({"desc": "x".repeat(513), "start_at": 1, "end_at": now}), "desc"),
            (json!({"desc": "d", "end_at": now}), "start_at"),
            (json!({"desc": "d", "start_at": 1}), "end_at"),
            (json!({"desc": "d", "start_at": now, "end_at": now}), "start_end_at"),
        ] {
            admin.post("/compliance/reports", body).await.expect_error(400, &invalid(field));
        }
        admin
            .post("/compliance/reports", json!("x"))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin.get("/compliance/reports/nope").await.expect_error(400, "api.context.invalid_url_param.app_error");
        admin
            .get(&format!("/compliance/reports/{}", utmost_model::new_id()))
            .await
            .expect_error(500, "app.compliance.get.finding.app_error");
        assert!(admin.get("/compliance/reports").await.expect(200).body.as_array().unwrap().is_empty());
    }
);

dual_db_test!(
    async fn outsiders_get_403_and_a_server_without_the_feature_501(server) {
        let basic = server.init_basic().await;
        let (_, user) = outsider(&server, &basic).await;
        let body = json!({"desc": "d", "start_at": 1, "end_at": now_millis()});
        let some_id = utmost_model::new_id();
        let denied = "api.context.permissions.app_error";
        let disabled = "ent.compliance.licence_disable.app_error";
        // Off by default: the admin is told the feature is missing, a user is refused first.
        basic.admin.post("/compliance/reports", body.clone()).await.expect_error(501, disabled);
        basic.admin.get("/compliance/reports").await.expect_error(501, disabled);
        basic.admin.get(&format!("/compliance/reports/{some_id}")).await.expect_error(501, disabled);
        let (status, _, _) = download(&basic.admin, &format!("/compliance/reports/{some_id}/download")).await;
        assert_eq!(status, 501);
        configure(&server, |c| c.compliance_settings.enable = true);
        let report = basic.admin.post("/compliance/reports", body.clone()).await.expect(201).body;
        let report_id = id(&report);
        assert_eq!(finished(&basic.admin, &report_id).await["status"], "finished");
        for client in [&user, &basic.client] {
            client.post("/compliance/reports", body.clone()).await.expect_error(403, denied);
            client.get("/compliance/reports").await.expect_error(403, denied);
            client.get(&format!("/compliance/reports/{report_id}")).await.expect_error(403, denied);
            let resp = client.get(&format!("/compliance/reports/{report_id}/download")).await;
            resp.expect_error(403, denied);
        }
        server.client().get("/compliance/reports").await.expect(401);
    }
);

dual_db_test!(
    async fn a_report_left_running_by_a_stopped_server_is_finished_by_the_next_start(server) {
        let basic = server.init_basic().await;
        configure(&server, |c| c.compliance_settings.enable = true);
        let post = create_post(&basic.client, basic.channel_id(), "kept for the auditors").await;
        // As a server that stopped in the middle of the report left it.
        let left = utmost_model::compliance::Compliance {
            id: utmost_model::new_id(),
            create_at: now_millis(),
            user_id: id(&basic.admin_user),
            status: "running".into(),
            desc: "left running".into(),
            kind: "adhoc".into(),
            start_at: 1,
            end_at: now_millis() + 60_000,
            ..Default::default()
        };
        utmost_store::compliance::insert(&server.app.store, &left).await.unwrap();
        // The server restarts on the same database and file store (its own search index).
        // It stops first: on PostgreSQL only the leader runs the reports left running, and a
        // server still running beside it would be the leader.
        let index = std::env::temp_dir().join(format!("utmost-index-{}", utmost_model::new_id()));
        let index_dir = index.display().to_string();
        let server = server.restart_with(|c| c.bleve_settings.index_dir = index_dir).await;
        assert!(server.app.is_leader());
        let done = finished(&basic.admin, &left.id).await;
        let _ = std::fs::remove_dir_all(index);
        assert_eq!(done["status"], "finished", "{done}");
        let (status, _, zip) =
            download(&basic.admin, &format!("/compliance/reports/{}/download", left.id)).await;
        assert_eq!(status, 200);
        let csv = String::from_utf8(unzip(&zip).remove(0).1).unwrap();
        assert!(csv.contains(&id(&post)) && csv.contains("kept for the auditors"), "{csv}");
        assert_eq!(done["count"].as_i64().unwrap() as usize, csv.lines().count() - 1);
    }
);

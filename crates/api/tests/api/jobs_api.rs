//! `/jobs`: reindexing as a job (`bleve_post_indexing`), read, listed and canceled with
//! Mattermost's permissions; and the search engines' purge calls.

use crate::posts_support::create_post;
use crate::search_posts::{found, wait_indexed};
use crate::support::id;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_model::job::{self, Job};
use utmost_testkit::{dual_db_test, search_engines_test, Client};

/// The job as `GET /jobs/{id}` shows it once it has left `pending` and `in_progress`.
pub async fn finished(admin: &Client, job_id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let job = admin.get(&format!("/jobs/{job_id}")).await.expect(200).body;
        let status = job["status"].as_str().unwrap().to_string();
        if status != job::STATUS_PENDING && status != job::STATUS_IN_PROGRESS {
            return job;
        }
        assert!(Instant::now() < deadline, "the job did not finish: {job}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

search_engines_test!(
    async fn a_reindexing_job_runs_to_success_and_search_still_finds_every_post(server) {
        let basic = server.init_basic().await;
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let post = create_post(&basic.client, channel, "reindexed words").await;
        wait_indexed(&basic.client, team, channel).await;

        let created = basic
            .admin
            .post("/jobs", json!({"type": "bleve_post_indexing"}))
            .await
            .expect(201)
            .body;
        assert_eq!(created["type"], "bleve_post_indexing");
        assert_eq!(created["status"], "pending");
        assert!(created["create_at"].as_i64().unwrap() > 0);
        let job_id = id(&created);
        let done = finished(&basic.admin, &job_id).await;
        assert_eq!(done["status"], "success", "{done}");
        assert_eq!(done["progress"], 100);
        assert!(done["start_at"].as_i64().unwrap() >= created["create_at"].as_i64().unwrap());
        assert_eq!(found(&basic.client, team, "reindexed").await, [id(&post)]);

        // Listed, newest first, by every route that lists it.
        let listed = |v: Value| -> Vec<String> { v.as_array().unwrap().iter().map(id).collect() };
        let all = basic.admin.get("/jobs?page=0&per_page=10").await.expect(200).body;
        assert_eq!(listed(all), std::slice::from_ref(&job_id));
        let by_type = basic.admin.get("/jobs/type/bleve_post_indexing").await.expect(200).body;
        assert_eq!(listed(by_type), std::slice::from_ref(&job_id));
        let filtered = basic.admin.get("/jobs?job_type=bleve_post_indexing&status=success").await.expect(200).body;
        assert_eq!(listed(filtered), std::slice::from_ref(&job_id));
        let none = basic.admin.get("/jobs?job_type=bleve_post_indexing&status=pending").await.expect(200).body;
        assert!(listed(none).is_empty());
        // A finished job cannot be canceled.
        basic
            .admin
            .post(&format!("/jobs/{job_id}/cancel"), json!({}))
            .await
            .expect_error(500, "jobs.request_cancellation.status.error");
    }
);

/// A migrations job in `status`: no worker here runs migrations jobs, so it stays as put.
fn migrations_job(status: &str) -> Job {
    Job {
        id: utmost_model::new_id(),
        job_type: "migrations".into(),
        create_at: utmost_model::now_millis(),
        last_activity_at: utmost_model::now_millis(),
        status: status.into(),
        ..Job::default()
    }
}

dual_db_test!(
    async fn jobs_are_created_read_and_canceled_as_mattermost_does(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        admin
            .post("/jobs", json!({"type": "active_users"}))
            .await
            .expect_error(400, "model.job.is_valid.type.app_error");
        admin
            .post("/jobs", json!({"type": "no_such_type"}))
            .await
            .expect_error(400, "api.job.unable_to_create_job.incorrect_job_type");
        admin.post("/jobs", json!("x")).await.expect_error(400, "api.context.invalid_body_param.app_error");
        admin
            .get(&format!("/jobs/{}", utmost_model::new_id()))
            .await
            .expect_error(404, "app.job.get.app_error");
        admin.get("/jobs/not-an-id").await.expect_error(400, "api.context.invalid_url_param.app_error");
        admin.get("/jobs?job_type=bogus").await.expect_error(400, "api.context.invalid_url_param.app_error");
        admin.get("/jobs?status=bogus").await.expect_error(400, "api.job.status.invalid");
        admin
            .get("/jobs/type/no_such_type")
            .await
            .expect_error(400, "api.job.retrieve.nopermissions");

        // No worker here runs migrations jobs: they stay as they are put, so cancelling is
        // seen from each state. Pending is canceled at once, running is asked to stop.
        let store = &server.app.store;
        let (pending, running) = (migrations_job(job::STATUS_PENDING), migrations_job(job::STATUS_IN_PROGRESS));
        for j in [&pending, &running] {
            utmost_store::jobs::insert(store, j).await.unwrap();
        }
        for (j, status) in [(&pending, "canceled"), (&running, "cancel_requested")] {
            admin.post(&format!("/jobs/{}/cancel", j.id), json!({})).await.expect(200);
            let read = admin.get(&format!("/jobs/{}", j.id)).await.expect(200).body;
            assert_eq!(read["status"], status);
        }
        admin
            .post(&format!("/jobs/{}/cancel", pending.id), json!({}))
            .await
            .expect_error(500, "jobs.request_cancellation.status.error");
    }
);

dual_db_test!(
    async fn outsiders_touch_no_job(server) {
        let basic = server.init_basic().await;
        let created = basic
            .admin
            .post("/jobs", json!({"type": "bleve_post_indexing"}))
            .await
            .expect(201)
            .body;
        let job_id = id(&created);
        let user = &basic.client;
        let denied = "api.context.permissions.app_error";
        user.get("/jobs").await.expect_error(403, denied);
        user.get("/jobs?job_type=bleve_post_indexing").await.expect_error(403, denied);
        user.get("/jobs/type/bleve_post_indexing").await.expect_error(403, denied);
        user.get(&format!("/jobs/{job_id}")).await.expect_error(403, denied);
        user.post("/jobs", json!({"type": "bleve_post_indexing"})).await.expect_error(403, denied);
        user.post(&format!("/jobs/{job_id}/cancel"), json!({})).await.expect_error(403, denied);
        user.post("/bleve/purge_indexes", json!({})).await.expect_error(403, denied);
        user.post("/elasticsearch/purge_indexes", json!({})).await.expect_error(403, denied);
        server.client().get("/jobs").await.expect(401);
        server.client().post("/jobs", json!({"type": "bleve_post_indexing"})).await.expect(401);
    }
);

search_engines_test!(
    async fn purging_answers_as_mattermost_does(server) {
        let basic = server.init_basic().await;
        basic
            .admin
            .post("/elasticsearch/purge_indexes", json!({}))
            .await
            .expect_error(501, "ent.elasticsearch.test_config.license.error");
        let (team, channel) = (basic.team_id(), basic.channel_id());
        let post = create_post(&basic.client, channel, "purged words").await;
        wait_indexed(&basic.client, team, channel).await;
        let purge = basic.admin.post("/bleve/purge_indexes", json!({})).await;
        if server.app.search_engine() == utmost_app::search::Engine::Tantivy {
            // The index is empty until a reindexing job fills it again.
            purge.expect(200);
            assert!(found(&basic.client, team, "purged").await.is_empty());
            let job = basic.admin.post("/jobs", json!({"type": "bleve_post_indexing"})).await.expect(201).body;
            assert_eq!(finished(&basic.admin, &id(&job)).await["status"], "success");
        } else {
            purge.expect_error(501, "searchengine.bleve.disabled.error");
        }
        assert_eq!(found(&basic.client, team, "purged").await, [id(&post)]);
    }
);

dual_db_test!(
    async fn a_job_abandoned_in_progress_runs_again_and_a_live_one_is_left_alone(server) {
        let basic = server.init_basic().await;
        let store = &server.app.store;
        let now = utmost_model::now_millis();
        let in_progress_since = |last_activity_at: i64| Job {
            id: utmost_model::new_id(),
            job_type: job::TYPE_BLEVE_POST_INDEXING.into(),
            create_at: last_activity_at,
            start_at: last_activity_at,
            last_activity_at,
            status: job::STATUS_IN_PROGRESS.into(),
            ..Job::default()
        };
        // A node died while running the first; another node reported on the second a moment ago.
        let abandoned_for = utmost_app::jobs::runner::ABANDONED_AFTER.as_millis() as i64 + 1_000;
        let abandoned = in_progress_since(now - abandoned_for);
        let live = in_progress_since(now);
        for j in [&abandoned, &live] {
            utmost_store::jobs::insert(store, j).await.unwrap();
        }
        let done = finished(&basic.admin, &abandoned.id).await;
        assert_eq!(done["status"], "success", "{done}");
        let read = basic.admin.get(&format!("/jobs/{}", live.id)).await.expect(200).body;
        assert_eq!(read["status"], "in_progress");
    }
);

dual_db_test!(
    async fn an_admin_moves_a_job_as_mattermost_allows(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        // No worker here runs migrations jobs, so they stay where they are put.
        let store = &server.app.store;
        let running = migrations_job(job::STATUS_IN_PROGRESS);
        let done = migrations_job(job::STATUS_SUCCESS);
        for j in [&running, &done] {
            utmost_store::jobs::insert(store, j).await.unwrap();
        }
        let status_of = |id: String| async move {
            admin.get(&format!("/jobs/{id}")).await.expect(200).body["status"].clone()
        };
        let path = |j: &Job| format!("/jobs/{}/status", j.id);

        // In progress → pending is allowed; pending → success is not, unless forced.
        admin.request(reqwest::Method::PATCH, &path(&running), Some(&json!({"status": "pending"}))).await.expect(200);
        assert_eq!(status_of(running.id.clone()).await, "pending");
        admin
            .request(reqwest::Method::PATCH, &path(&running), Some(&json!({"status": "success"})))
            .await
            .expect_error(400, "api.job.status.invalid");
        admin
            .request(reqwest::Method::PATCH, &path(&running), Some(&json!({"status": "success", "force": true})))
            .await
            .expect(200);
        assert_eq!(status_of(running.id.clone()).await, "success");
        // A finished job moves nowhere without force; no status, or an unknown one, is refused.
        admin
            .request(reqwest::Method::PATCH, &path(&done), Some(&json!({"status": "cancel_requested"})))
            .await
            .expect_error(400, "api.job.status.invalid");
        admin
            .request(reqwest::Method::PATCH, &path(&done), Some(&json!({"force": true})))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        admin
            .request(reqwest::Method::PATCH, &path(&done), Some(&json!({"status": "bogus", "force": true})))
            .await
            .expect_error(400, "api.job.status.invalid");
        admin
            .request(reqwest::Method::PATCH, &format!("/jobs/{}/status", utmost_model::new_id()), Some(&json!({"status": "pending"})))
            .await
            .expect_error(404, "app.job.get.app_error");
        admin
            .request(reqwest::Method::PATCH, "/jobs/not-an-id/status", Some(&json!({"status": "pending"})))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        // Outsiders.
        let body = json!({"status": "pending", "force": true});
        basic
            .client
            .request(reqwest::Method::PATCH, &path(&done), Some(&body))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server.client().request(reqwest::Method::PATCH, &path(&done), Some(&body)).await.expect(401);
        assert_eq!(status_of(done.id.clone()).await, "success");
    }
);

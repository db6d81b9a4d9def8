//! `/data_retention`: custom policies with Mattermost's permissions, and the deletion job
//! run on a fixed clock over posts written through the store with old creation times.

use crate::bus_commit::peer_count;
use crate::files_support::{upload_raw, uploaded_id};
use crate::jobs_api::finished;
use crate::posts_support::{create_channel, reply};
use crate::search_posts::{found, wait_indexed};
use crate::support::{configure, id};
use reqwest::Method;
use serde_json::{json, Value};
use utmost_model::post::Post;
use utmost_model::{new_id, now_millis};
use utmost_store::posts::NewPostEffects;
use utmost_testkit::{dual_db_test, Client, TestServer};

const DAY: i64 = 86_400_000;
const DENIED: &str = "api.context.permissions.app_error";

/// A post of `user_id` written straight into the store, created at `create_at`.
async fn post_at(server: &TestServer, channel_id: &str, user_id: &str, create_at: i64) -> String {
    let post = Post {
        id: new_id(),
        channel_id: channel_id.into(),
        user_id: user_id.into(),
        create_at,
        update_at: create_at,
        message: "old words".into(),
        ..Post::default()
    };
    utmost_store::posts::create(&server.app.store, &post, &NewPostEffects::default())
        .await
        .unwrap();
    post.id
}

async fn rows(server: &TestServer, table_and_column: &str, id: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table_and_column} = $1");
    peer_count(&server.app, &sql, id).await
}

async fn create_policy(admin: &Client, body: Value) -> Value {
    admin
        .post("/data_retention/policies", body)
        .await
        .expect(201)
        .body
}

async fn send(client: &Client, method: Method, path: &str, body: Value) -> utmost_testkit::Resp {
    client.request(method, path, Some(&body)).await
}

/// Runs a `data_retention` job to its end; its `data`.
async fn run_job(admin: &Client) -> Value {
    let created = admin
        .post("/jobs", json!({"type": "data_retention"}))
        .await
        .expect(201)
        .body;
    let done = finished(admin, &id(&created)).await;
    assert_eq!(done["status"], "success", "{done}");
    done["data"].clone()
}

dual_db_test!(
    async fn policies_are_created_read_changed_and_deleted(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let (team, channel) = (basic.team_id().to_string(), basic.channel_id().to_string());
        let created = create_policy(
            admin,
            json!({"display_name": "Legal", "post_duration": 30, "team_ids": [team], "channel_ids": [channel]}),
        )
        .await;
        let policy = id(&created);
        assert_eq!(
            (created["display_name"].clone(), created["post_duration"].clone()),
            (json!("Legal"), json!(30))
        );
        assert_eq!((created["team_count"].clone(), created["channel_count"].clone()), (json!(1), json!(1)));
        let path = format!("/data_retention/policies/{policy}");
        assert_eq!(admin.get(&path).await.expect(200).body, created);
        let listed = admin.get("/data_retention/policies").await.expect(200).body;
        assert_eq!(listed, json!({"policies": [created], "total_count": 1}));
        let count = admin.get("/data_retention/policies_count").await.expect(200).body;
        assert_eq!(count, json!({"total_count": 1}));

        let teams = admin.get(&format!("{path}/teams")).await.expect(200).body;
        assert_eq!(teams["total_count"], 1);
        assert_eq!(teams["teams"][0]["id"], team.as_str());
        assert_eq!(teams["teams"][0]["policy_id"], policy.as_str());
        let channels = admin.get(&format!("{path}/channels")).await.expect(200).body;
        assert_eq!(channels["total_count"], 1);
        assert_eq!(channels["channels"][0]["id"], channel.as_str());
        assert_eq!(channels["channels"][0]["team_name"], "basic-team");
        let hits = admin.post(&format!("{path}/teams/search"), json!({"term": "BASIC"})).await.expect(200).body;
        assert_eq!(hits.as_array().unwrap().len(), 1);
        let none = admin.post(&format!("{path}/channels/search"), json!({"term": "nothing"})).await.expect(200).body;
        assert_eq!(none, json!([]));

        // The policies over a user's teams and channels, for the user.
        let mine = basic.client.get("/users/me/data_retention/team_policies").await.expect(200).body;
        assert_eq!(mine, json!({"policies": [{"team_id": team, "post_duration": 30}], "total_count": 1}));
        let mine = basic.client.get("/users/me/data_retention/channel_policies").await.expect(200).body;
        assert_eq!(mine, json!({"policies": [{"channel_id": channel, "post_duration": 30}], "total_count": 1}));

        // Channels added and removed; a patch replaces the teams it names.
        let private = basic.private_channel["id"].as_str().unwrap().to_string();
        admin.post(&format!("{path}/channels"), json!([private])).await.expect(200);
        let read = admin.get(&path).await.expect(200).body;
        assert_eq!(read["channel_count"], 2);
        send(admin, Method::DELETE, &format!("{path}/channels"), json!([channel])).await.expect(200);
        let patched = send(admin, Method::PATCH, &path, json!({"post_duration": -1, "team_ids": []}))
            .await
            .expect(200)
            .body;
        assert_eq!(
            (patched["display_name"].clone(), patched["post_duration"].clone()),
            (json!("Legal"), json!(-1))
        );
        assert_eq!((patched["team_count"].clone(), patched["channel_count"].clone()), (json!(0), json!(1)));
        send(admin, Method::DELETE, &format!("{path}/teams"), json!([team])).await.expect(200);

        // Mattermost's refusals.
        let policies = "/data_retention/policies";
        admin.post(policies, json!({"display_name": "x"})).await.expect_error(400, "model.retention_policy.post_duration.app_error");
        admin.post(policies, json!({"display_name": " ", "post_duration": 5})).await.expect_error(400, "model.retention_policy.display_name.app_error");
        admin
            .post(policies, json!({"display_name": "x", "post_duration": 5, "team_ids": [new_id()]}))
            .await
            .expect_error(400, "app.data_retention.team_or_channel.not_found");
        admin.post(&format!("{path}/teams"), json!("x")).await.expect_error(400, "api.payload.parse.error");
        admin.get("/data_retention/policies/not-an-id").await.expect_error(400, "api.context.invalid_url_param.app_error");

        send(admin, Method::DELETE, &path, json!({})).await.expect(200);
        admin.get(&path).await.expect_error(404, "app.data_retention.get_policy.app_error");
        send(admin, Method::DELETE, &path, json!({})).await.expect_error(404, "app.data_retention.get_policy.app_error");
        let count = admin.get("/data_retention/policies_count").await.expect(200).body;
        assert_eq!(count, json!({"total_count": 0}));
        let mine = basic.client.get("/users/me/data_retention/channel_policies").await.expect(200).body;
        assert_eq!(mine, json!({"policies": [], "total_count": 0}));
    }
);

dual_db_test!(
    async fn outsiders_touch_no_policy(server) {
        let basic = server.init_basic().await;
        let policy = id(&create_policy(&basic.admin, json!({"display_name": "P", "post_duration": 3})).await);
        let path = format!("/data_retention/policies/{policy}");
        let user = &basic.client;
        user.get("/data_retention/policies").await.expect_error(403, DENIED);
        user.get("/data_retention/policies_count").await.expect_error(403, DENIED);
        user.post("/data_retention/policies", json!({"display_name": "P", "post_duration": 3})).await.expect_error(403, DENIED);
        user.get(&path).await.expect_error(403, DENIED);
        send(user, Method::PATCH, &path, json!({"post_duration": 1})).await.expect_error(403, DENIED);
        send(user, Method::DELETE, &path, json!({})).await.expect_error(403, DENIED);
        for members in ["teams", "channels"] {
            let members_path = format!("{path}/{members}");
            user.get(&members_path).await.expect_error(403, DENIED);
            user.post(&members_path, json!([basic.team_id()])).await.expect_error(403, DENIED);
            send(user, Method::DELETE, &members_path, json!([basic.team_id()])).await.expect_error(403, DENIED);
            user.post(&format!("{members_path}/search"), json!({"term": ""})).await.expect_error(403, DENIED);
        }
        let other = format!("/users/{}/data_retention/team_policies", basic.user2_id());
        user.get(&other).await.expect_error(403, DENIED);
        let other = format!("/users/{}/data_retention/channel_policies", basic.user2_id());
        user.get(&other).await.expect_error(403, DENIED);
        basic.admin.get(&other).await.expect(200);
        // The global policy is for every session, and no one else.
        let global = user.get("/data_retention/policy").await.expect(200).body;
        assert_eq!(global["message_deletion_enabled"], false);
        assert_eq!(global["message_retention_cutoff"], 0);
        server.client().get("/data_retention/policy").await.expect(401);
        server.client().get("/data_retention/policies").await.expect(401);
    }
);

dual_db_test!(
    async fn the_job_deletes_what_channel_team_and_global_policies_expire(server) {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let (team, public) = (basic.team_id().to_string(), basic.channel_id().to_string());
        let private = basic.private_channel["id"].as_str().unwrap().to_string();
        let dm = basic.dm["id"].as_str().unwrap().to_string();
        let kept_forever = id(&create_channel(&basic.client, &team, "kept-forever", "O").await);
        configure(&server, |c| {
            let r = &mut c.data_retention_settings;
            r.enable_message_deletion = true;
            r.message_retention_days = 30;
            r.batch_size = 2;
            r.time_between_batches_milliseconds = 0;
        });
        // A post with a reply, a reaction and a file, and words in the search index.
        let file_id = uploaded_id(upload_raw(&basic.client, &public, "a.txt", b"file bytes").await);
        let root = basic
            .client
            .post("/posts", json!({"channel_id": public, "message": "expiring vanishingword", "file_ids": [file_id]}))
            .await
            .expect(201)
            .body;
        let root_id = id(&root);
        reply(&basic.client, &public, &root_id, "a reply").await;
        let reaction = json!({"user_id": basic.user_id(), "post_id": root_id, "emoji_name": "smile"});
        basic.client.post("/reactions", reaction).await.expect(200);
        wait_indexed(&basic.client, &team, &public).await;
        assert_eq!(found(&basic.client, &team, "vanishingword").await, std::slice::from_ref(&root_id));
        let stored = utmost_store::fileinfo::get(&server.app.store, &file_id).await.unwrap().unwrap();
        let on_disk = std::path::Path::new(&server.app.config().file_settings.directory).join(&stored.path);
        assert!(on_disk.exists());

        // A thousand days on, "now" for the job.
        let now = now_millis() + 1000 * DAY;
        server.app.retention_clock.set(now);
        create_policy(admin, json!({"display_name": "Channel", "post_duration": 10, "channel_ids": [public]})).await;
        create_policy(admin, json!({"display_name": "Team", "post_duration": 100, "team_ids": [team]})).await;
        create_policy(admin, json!({"display_name": "Forever", "post_duration": -1, "channel_ids": [kept_forever]})).await;
        let user = basic.user_id().to_string();
        let expired = [
            post_at(&server, &public, &user, now - 11 * DAY).await,
            post_at(&server, &private, &user, now - 101 * DAY).await,
            post_at(&server, &dm, &user, now - 31 * DAY).await,
        ];
        let kept = [
            post_at(&server, &public, &user, now - 9 * DAY).await,
            post_at(&server, &private, &user, now - 50 * DAY).await,
            post_at(&server, &dm, &user, now - 29 * DAY).await,
            post_at(&server, &kept_forever, &user, now - 900 * DAY).await,
        ];

        let global = basic.client.get("/data_retention/policy").await.expect(200).body;
        assert_eq!(global["message_retention_cutoff"], now - 30 * DAY);
        let data = run_job(admin).await;
        for post_id in &expired {
            assert_eq!(rows(&server, "posts WHERE id", post_id).await, 0, "{post_id} is past its policy");
        }
        for post_id in &kept {
            assert_eq!(rows(&server, "posts WHERE id", post_id).await, 1, "{post_id} is within its policy");
        }
        for table in ["posts WHERE id", "posts WHERE rootid", "reactions WHERE postid", "threads WHERE postid", "threadmemberships WHERE postid", "fileinfo WHERE postid"] {
            assert_eq!(rows(&server, table, &root_id).await, 0, "{table} of the expired post");
        }
        assert!(!on_disk.exists(), "the file's bytes stay in the store");
        assert_eq!(data["deleted_files"], "1");
        assert_eq!(data["deleted_reactions"], "1");
        let deleted: u64 = data["deleted_posts"].as_str().unwrap().parse().unwrap();
        assert!(deleted >= 5, "{data}");
        assert!(found(&basic.client, &team, "vanishingword").await.is_empty());

        // The global file retention deletes files whatever their post.
        let unattached = uploaded_id(upload_raw(&basic.client, &kept_forever, "b.txt", b"more").await);
        configure(&server, |c| {
            c.data_retention_settings.enable_file_deletion = true;
            c.data_retention_settings.file_retention_hours = 24;
        });
        let data = run_job(admin).await;
        assert_eq!(data["deleted_files"], "1");
        assert_eq!(data["deleted_posts"], "0");
        assert_eq!(rows(&server, "fileinfo WHERE id", &unattached).await, 0);
        for post_id in &kept {
            assert_eq!(rows(&server, "posts WHERE id", post_id).await, 1);
        }
    }
);

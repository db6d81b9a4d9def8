//! Files beyond uploads and downloads: a user's uploads in progress, abandoned uploads
//! swept away, files on thread roots, in drafts and in scheduled posts.

use crate::files_support::*;
use crate::files_uploads::send_chunk;
use crate::posts_support::{create_post, newest_posts, outsider, reply};
use crate::support::id;
use serde_json::{json, Value};
use std::path::PathBuf;
use utmost_app::files::abandoned::{delete_abandoned, ABANDONED_AFTER_MS};
use utmost_model::now_millis;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Basic, Client, DbKind, TestServer};

const MIB: usize = 1024 * 1024;

async fn create_upload(client: &Client, channel_id: &str, name: &str, size: usize) -> Value {
    client
        .post(
            "/uploads",
            json!({"channel_id": channel_id, "filename": name, "file_size": size}),
        )
        .await
        .expect(201)
        .body
}

fn listed_ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(id).collect()
}

/// The ids in a `metadata.files`, in order.
fn file_ids(metadata: &Value) -> Vec<String> {
    metadata["files"]
        .as_array()
        .map(|files| files.iter().map(id).collect())
        .unwrap_or_default()
}

/// A file of `client`'s user in the basic channel, on no post yet.
async fn loose_file(client: &Client, basic: &Basic, name: &str) -> String {
    uploaded_id(upload_files(client, basic.channel_id(), &[(name, b"some text")]).await)
}

/// A post of `client`'s in the basic channel with the file `file_id`.
async fn post_with_file(client: &Client, basic: &Basic, file_id: &str) -> Value {
    client
        .post(
            "/posts",
            json!({"channel_id": basic.channel_id(), "message": "with a file", "file_ids": [file_id]}),
        )
        .await
        .expect(201)
        .body
}

fn data_dir(server: &TestServer) -> PathBuf {
    PathBuf::from(&server.app.config().file_settings.directory)
}

fn chunks_left(server: &TestServer) -> usize {
    files_under(&data_dir(server))
        .iter()
        .filter(|p| p.to_string_lossy().contains("/.parts/"))
        .count()
}

dual_db_test!(
    async fn a_user_lists_their_own_uploads_only(server) {
        let basic = server.init_basic().await;
        let first = create_upload(&basic.client, basic.channel_id(), "a.bin", 10).await;
        let second = create_upload(&basic.client, basic.channel_id(), "b.bin", 20).await;
        create_upload(&basic.client2, basic.channel_id(), "theirs.bin", 30).await;

        let mine = basic.client.get("/users/me/uploads").await.expect(200).body;
        assert_eq!(listed_ids(&mine), [id(&first), id(&second)], "oldest first");
        assert_eq!(mine[0]["filename"], "a.bin");
        assert_eq!(mine[0]["file_size"], 10);
        assert_eq!(mine[0]["user_id"], basic.user_id());
        let by_id = basic
            .client
            .get(&format!("/users/{}/uploads", basic.user_id()))
            .await
            .expect(200)
            .body;
        assert_eq!(by_id, mine);

        // A finished upload is no longer in progress.
        let done = create_upload(&basic.client, basic.channel_id(), "c.bin", 3).await;
        send_chunk(&basic.client, &id(&done), b"abc").await.expect(200);
        let mine = basic.client.get("/users/me/uploads").await.expect(200).body;
        assert_eq!(listed_ids(&mine).len(), 2);

        // Nobody else's, a system administrator's request included.
        let path = format!("/users/{}/uploads", basic.user_id());
        for client in [&basic.client2, &basic.admin] {
            client
                .get(&path)
                .await
                .expect_error(403, "api.user.get_uploads_for_user.forbidden.app_error");
        }
        let (_, stranger) = outsider(&server, &basic).await;
        stranger
            .get(&path)
            .await
            .expect_error(403, "api.user.get_uploads_for_user.forbidden.app_error");
        server.client().get(&path).await.expect(401);
        basic
            .client
            .get("/users/not-an-id/uploads")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn abandoned_uploads_go_with_their_chunks(server) {
        let basic = server.init_basic().await;
        let size = 6 * MIB;
        let upload = create_upload(&basic.client, basic.channel_id(), "big.bin", size).await;
        let upload_id = id(&upload);
        send_chunk(&basic.client, &upload_id, &bytes(5 * MIB, 3))
            .await
            .expect(204);
        assert_eq!(chunks_left(&server), 1);

        // Younger than the limit: kept.
        let limit = now_millis() - ABANDONED_AFTER_MS;
        assert_eq!(delete_abandoned(&server.app, limit).await.unwrap(), 0);
        basic
            .client
            .get(&format!("/uploads/{upload_id}"))
            .await
            .expect(200);

        // Older (the sweep is told every upload so far is): the row and the chunks go.
        assert_eq!(delete_abandoned(&server.app, now_millis() + 1).await.unwrap(), 1);
        basic
            .client
            .get(&format!("/uploads/{upload_id}"))
            .await
            .expect_error(404, "app.upload.get.app_error");
        assert_eq!(chunks_left(&server), 0);
        let mine = basic.client.get("/users/me/uploads").await.expect(200).body;
        assert_eq!(mine, json!([]));
        // A chunk sent late finds nothing to add to.
        send_chunk(&basic.client, &upload_id, &bytes(MIB, 3))
            .await
            .expect_error(404, "app.upload.get.app_error");
        assert_eq!(chunks_left(&server), 0);
    }
);

dual_db_test!(
    async fn thread_roots_carry_their_files(server) {
        let basic = server.init_basic().await;
        let token = basic.client.token.clone().unwrap();
        let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
        let file_id = loose_file(&basic.client, &basic, "notes.txt").await;
        let root = post_with_file(&basic.client, &basic, &file_id).await;
        reply(&basic.client2, basic.channel_id(), &id(&root), "a reply").await;

        let updated = ws.next_event("thread_updated").await;
        let sent: Value = serde_json::from_str(updated["data"]["thread"].as_str().unwrap()).unwrap();
        assert_eq!(file_ids(&sent["post"]["metadata"]), [file_id.as_str()]);
        assert_eq!(sent["post"]["metadata"]["files"][0]["name"], "notes.txt");

        let threads_path = format!("/users/me/teams/{}/threads", basic.team_id());
        let list = basic.client.get(&threads_path).await.expect(200).body;
        assert_eq!(list["threads"][0]["id"], root["id"]);
        assert_eq!(
            file_ids(&list["threads"][0]["post"]["metadata"]),
            [file_id.as_str()]
        );
        let one = basic
            .client
            .get(&format!("{threads_path}/{}", id(&root)))
            .await
            .expect(200)
            .body;
        assert_eq!(file_ids(&one["post"]["metadata"]), [file_id]);

        // A root without files is listed as before.
        let plain = create_post(&basic.client, basic.channel_id(), "no files").await;
        reply(&basic.client2, basic.channel_id(), &id(&plain), "a reply").await;
        let list = basic.client.get(&threads_path).await.expect(200).body;
        assert_eq!(list["threads"][0]["id"], plain["id"]);
        assert_eq!(file_ids(&list["threads"][0]["post"]["metadata"]), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn drafts_show_their_authors_loose_files_only(server) {
        let basic = server.init_basic().await;
        let mine = loose_file(&basic.client, &basic, "mine.txt").await;
        let theirs = loose_file(&basic.client2, &basic, "theirs.txt").await;
        let draft = json!({
            "channel_id": basic.channel_id(),
            "root_id": "",
            "message": "with files",
            "file_ids": [mine, theirs],
        });
        let saved = basic.client.post("/drafts", draft).await.expect(201).body;
        assert_eq!(file_ids(&saved["metadata"]), [mine.as_str()]);
        let drafts_path = format!("/users/me/teams/{}/drafts", basic.team_id());
        let listed = basic.client.get(&drafts_path).await.expect(200).body;
        assert_eq!(file_ids(&listed[0]["metadata"]), [mine.as_str()]);
        // The draft keeps the ids it was given; only the metadata is checked.
        assert_eq!(listed[0]["file_ids"], json!([mine, theirs]));

        // Once a post has the file, the draft no longer shows it.
        post_with_file(&basic.client, &basic, &mine).await;
        let listed = basic.client.get(&drafts_path).await.expect(200).body;
        assert_eq!(file_ids(&listed[0]["metadata"]), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn scheduled_posts_show_and_send_their_files(server) {
        let basic = server.init_basic().await;
        let mine = loose_file(&basic.client, &basic, "plan.txt").await;
        let theirs = loose_file(&basic.client2, &basic, "theirs.txt").await;
        let scheduled = basic
            .client
            .post(
                "/posts/schedule",
                json!({
                    "channel_id": basic.channel_id(),
                    "message": "scheduled with a file",
                    "file_ids": [mine, theirs],
                    "scheduled_at": now_millis(),
                }),
            )
            .await
            .expect(201)
            .body;
        let list = basic
            .client
            .get(&format!("/posts/scheduled/team/{}", basic.team_id()))
            .await
            .expect(200)
            .body;
        let listed = &list[basic.team_id()][0];
        assert_eq!(listed["id"], scheduled["id"]);
        assert_eq!(file_ids(&listed["metadata"]), [mine.as_str()]);

        // Sent as POST /posts would: the author's loose file attached, the other left out.
        // The `scheduled posts` service may be sending it at the same time: wait for it.
        utmost_app::scheduled_posts::send_due(&server.app).await.unwrap();
        let mut post = Value::Null;
        for _ in 0..50 {
            post = newest_posts(&basic.client, basic.channel_id()).await[0].clone();
            if post["message"] == "scheduled with a file" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(post["message"], "scheduled with a file");
        assert_eq!(post["file_ids"], json!([mine]));
        assert_eq!(file_ids(&post["metadata"]), [mine.as_str()]);
        let info = basic
            .client
            .get(&format!("/files/{mine}/info"))
            .await
            .expect(200)
            .body;
        assert_eq!(info["post_id"], post["id"]);
        let other = basic
            .client2
            .get(&format!("/files/{theirs}/info"))
            .await
            .expect(200)
            .body;
        assert_eq!(other["post_id"], "");
    }
);

/// A multipart body with the file parts before the fields, as some clients send it.
fn files_first(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = form(&[], files);
    body.truncate(body.len() - format!("--{BOUNDARY}--\r\n").len());
    body.extend(form(fields, &[]));
    body
}

async fn post_form(client: &Client, body: Vec<u8>) -> utmost_testkit::Resp {
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    send(client, "/files", &content_type, body).await
}

fn staged_left(server: &TestServer) -> usize {
    files_under(&data_dir(server))
        .iter()
        .filter(|p| p.to_string_lossy().contains("/.staged/"))
        .count()
}

dual_db_test!(
    async fn a_file_before_the_channel_waits_for_the_form_to_name_it(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id();
        let body = files_first(
            &[("channel_id", channel), ("client_ids", "c0"), ("client_ids", "c1"), ("other", "x")],
            &[
                ("files", "first.txt", b"first file"),
                ("ignored", "not-a-file.txt", b"not in the legacy form"),
                ("files", "second.txt", b"second file"),
            ],
        );
        let resp = post_form(&basic.client, body).await.expect(201).body;
        let infos = resp["file_infos"].as_array().unwrap();
        let names: Vec<&str> = infos.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["first.txt", "second.txt"]);
        assert_eq!(resp["client_ids"], json!(["c0", "c1"]));
        assert_eq!(infos[0]["channel_id"], channel);
        assert_eq!(infos[0]["user_id"], basic.user_id());
        let (status, _, content) =
            fetch(&basic.client, &format!("/api/v4/files/{}", id(&infos[1])), &[]).await;
        assert_eq!((status, content.as_slice()), (200, b"second file".as_slice()));
        assert_eq!(staged_left(&server), 0, "placed, not copied");
        // Placed where Mattermost keeps a file of that channel.
        let path = files_under(&data_dir(&server));
        assert!(path.iter().any(|p| p.to_string_lossy().contains(&format!("/channels/{channel}/users/{}/", basic.user_id()))));

        // Without client ids the files come back without them.
        let body = files_first(&[("channel_id", channel)], &[("files", "a.txt", b"a")]);
        let resp = post_form(&basic.client, body).await.expect(201).body;
        assert_eq!(resp["client_ids"], json!([]));
    }
);

dual_db_test!(
    async fn a_file_before_the_channel_is_refused_after_the_form_and_leaves_nothing(server) {
        let basic = server.init_basic().await;
        let before = files_under(&data_dir(&server)).len();
        let one: &[(&str, &str, &[u8])] = &[("files", "a.txt", b"some bytes")];

        // No channel at all.
        post_form(&basic.client, files_first(&[], one))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        post_form(&basic.client, files_first(&[("channel_id", "nope")], one))
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        // As many client ids as files, or none.
        let body = files_first(
            &[("channel_id", basic.channel_id()), ("client_ids", "c0"), ("client_ids", "c1")],
            one,
        );
        post_form(&basic.client, body).await.expect_error(
            400,
            "api.file.upload_file.incorrect_number_of_client_ids.app_error",
        );
        // A channel the user may not upload to.
        let (_, stranger) = outsider(&server, &basic).await;
        post_form(&stranger, files_first(&[("channel_id", basic.channel_id())], one))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        server
            .client()
            .post("/files", json!({}))
            .await
            .expect(401);

        assert_eq!(staged_left(&server), 0);
        assert_eq!(files_under(&data_dir(&server)).len(), before, "no bytes left behind");
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_a_file_before_the_channel_is_placed_in_the_bucket() {
    let Some(s3) = S3Server::start().await else {
        return;
    };
    let server = TestServer::start_with(DbKind::Sqlite, |c| s3.configure(c)).await;
    let basic = server.init_basic().await;
    let one: &[(&str, &str, &[u8])] = &[("files", "late.txt", b"named late")];
    let body = files_first(&[("channel_id", basic.channel_id())], one);
    let info = post_form(&basic.client, body).await.expect(201).body["file_infos"][0].clone();
    let (status, _, content) =
        fetch(&basic.client, &format!("/api/v4/files/{}", id(&info)), &[]).await;
    assert_eq!(
        (status, content.as_slice()),
        (200, b"named late".as_slice())
    );
    let staged = |objects: &[PathBuf]| {
        objects
            .iter()
            .filter(|p| p.to_string_lossy().contains(".staged"))
            .count()
    };
    let objects = s3.objects();
    assert_eq!(staged(&objects), 0);
    assert!(objects
        .iter()
        .any(|p| p.to_string_lossy().contains("/channels/") && p.ends_with("late.txt")));

    let (_, stranger) = outsider(&server, &basic).await;
    post_form(
        &stranger,
        files_first(&[("channel_id", basic.channel_id())], one),
    )
    .await
    .expect_error(403, "api.context.permissions.app_error");
    assert_eq!(
        s3.objects().len(),
        objects.len(),
        "nothing left in the bucket"
    );
}

//! `/uploads`: resumable uploads in chunks, their owner, their limits and their refusals.

use crate::files_support::*;
use crate::support::{configure, id};
use serde_json::json;
use utmost_testkit::{dual_db_test, Client, Resp, TestServer};

const MIB: usize = 1024 * 1024;

pub async fn send_chunk(client: &Client, upload_id: &str, chunk: &[u8]) -> Resp {
    send(
        client,
        &format!("/uploads/{upload_id}"),
        "application/octet-stream",
        chunk.to_vec(),
    )
    .await
}

/// Uploads `content` through `/uploads` in chunks of `chunk` bytes; returns the file info.
pub async fn upload_in_chunks(
    client: &Client,
    channel_id: &str,
    name: &str,
    content: &[u8],
    chunk: usize,
) -> serde_json::Value {
    let created = client
        .post(
            "/uploads",
            json!({"channel_id": channel_id, "filename": name, "file_size": content.len()}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(created["file_offset"], 0);
    assert_eq!(created["type"], "attachment");
    let upload_id = id(&created);
    let pieces: Vec<&[u8]> = content.chunks(chunk).collect();
    for (i, piece) in pieces.iter().enumerate() {
        let resp = send_chunk(client, &upload_id, piece).await;
        if i + 1 < pieces.len() {
            resp.expect(204);
            let status = client
                .get(&format!("/uploads/{upload_id}"))
                .await
                .expect(200);
            assert_eq!(status.body["file_offset"], (i + 1) * chunk);
        } else {
            return resp.expect(200).body;
        }
    }
    unreachable!("no chunks")
}

pub async fn resumable_upload(server: &TestServer, size: usize) {
    let basic = server.init_basic().await;
    let content = bytes(size, 7);
    let info = upload_in_chunks(
        &basic.client,
        basic.channel_id(),
        "big.bin",
        &content,
        5 * MIB + 17,
    )
    .await;
    assert_eq!(info["size"], size);
    assert_eq!(info["name"], "big.bin");
    let (status, _, body) =
        fetch(&basic.client, &format!("/api/v4/files/{}", id(&info)), &[]).await;
    assert_eq!(status, 200);
    assert!(
        body == content,
        "the joined file differs from what was sent"
    );
}

dual_db_test!(
    async fn a_file_arrives_in_chunks(server) {
        resumable_upload(&server, 12 * MIB + 5).await;
    }
);

dual_db_test!(
    async fn uploads_belong_to_their_owner_and_keep_mattermosts_rules(server) {
        let basic = server.init_basic().await;
        let channel = basic.channel_id();
        let created = basic
            .client
            .post("/uploads", json!({"channel_id": channel, "filename": "a.bin", "file_size": 6 * MIB}))
            .await
            .expect(201)
            .body;
        let upload_id = id(&created);
        // Someone else can neither see it nor send to it.
        basic
            .client2
            .get(&format!("/uploads/{upload_id}"))
            .await
            .expect_error(403, "api.upload.get_upload.forbidden.app_error");
        send_chunk(&basic.client2, &upload_id, b"x")
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // A first chunk under 5 MiB that is not the whole file is refused, and leaves nothing.
        send_chunk(&basic.client, &upload_id, &bytes(1000, 1))
            .await
            .expect_error(400, "app.upload.upload_data.first_part_too_small.app_error");
        let status = basic.client.get(&format!("/uploads/{upload_id}")).await.expect(200);
        assert_eq!(status.body["file_offset"], 0);
        // A chunk declared longer than what is left (of a small upload: the server refuses
        // the chunk without reading it, and a client still sending megabytes could see the
        // connection close before the answer).
        let small = basic
            .client
            .post("/uploads", json!({"channel_id": channel, "filename": "b.bin", "file_size": 10}))
            .await
            .expect(201)
            .body;
        send_chunk(&basic.client, &id(&small), &bytes(11, 1))
            .await
            .expect_error(400, "api.upload.upload_data.invalid_content_length");

        let missing = utmost_model::new_id();
        basic
            .client
            .get(&format!("/uploads/{missing}"))
            .await
            .expect_error(404, "app.upload.get.app_error");
        configure(&server, |c| c.file_settings.max_file_size = 1000);
        basic
            .client
            .post("/uploads", json!({"channel_id": channel, "filename": "b.bin", "file_size": 1001}))
            .await
            .expect_error(413, "api.upload.create.upload_too_large.app_error");
        let private = id(&basic.private_channel);
        let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        outsider
            .post("/uploads", json!({"channel_id": private, "filename": "c.bin", "file_size": 10}))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client
            .post("/uploads", json!({"channel_id": channel, "filename": "", "file_size": 10}))
            .await
            .expect(400);
        configure(&server, |c| c.file_settings.enable_file_attachments = false);
        basic
            .client
            .post("/uploads", json!({"channel_id": channel, "filename": "d.bin", "file_size": 10}))
            .await
            .expect_error(501, "api.file.attachments.disabled.app_error");
    }
);

dual_db_test!(
    async fn a_small_file_is_one_chunk(server) {
        let basic = server.init_basic().await;
        let info = upload_in_chunks(&basic.client, basic.channel_id(), "tiny.txt", b"tiny", 4).await;
        assert_eq!(info["mime_type"], "text/plain");
        let data = std::path::PathBuf::from(&server.app.config().file_settings.directory);
        let stored = files_under(&data);
        assert_eq!(stored.len(), 1, "chunks are removed once joined: {stored:?}");
        assert!(stored[0].ends_with(format!("users/{}/{}/tiny.txt", basic.user_id(), {
            // The upload's folder is the upload id, as Mattermost's path has it.
            stored[0].parent().unwrap().file_name().unwrap().to_string_lossy().into_owned()
        })));
    }
);

//! The files suite on a real S3 server (s3s-fs): the same scenarios as on local disk, a
//! restart of Utmost between upload and download, a 100 MB file in chunks, and the health
//! check of `/system/ping` on the bucket.

use crate::files_api::{files_on_posts, outsiders, public_links, refusals, uploads_and_downloads};
use crate::files_support::*;
use crate::files_uploads::{resumable_upload, upload_in_chunks};
use crate::support::id;
use utmost_testkit::{Client, DbKind, TestServer};

/// A server on SQLite whose files live in a fresh bucket of a fresh s3s-fs.
async fn on_s3() -> Option<(TestServer, S3Server)> {
    let s3 = S3Server::start().await?;
    let server = TestServer::start_with(DbKind::Sqlite, |c| s3.configure(c)).await;
    Some((server, s3))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_uploads_and_downloads() {
    let Some((server, s3)) = on_s3().await else {
        return;
    };
    uploads_and_downloads(&server).await;
    // The objects are at Mattermost's paths in the bucket, and nothing is on local disk.
    let objects = s3.objects();
    assert!(objects
        .iter()
        .any(|p| p.to_string_lossy().contains("/teams/noteam/channels/")
            && p.ends_with("report.pdf")));
    let data = std::path::PathBuf::from(&server.app.config().file_settings.directory);
    assert!(files_under(&data).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_files_on_posts() {
    let Some((server, _s3)) = on_s3().await else {
        return;
    };
    files_on_posts(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_outsiders() {
    let Some((server, _s3)) = on_s3().await else {
        return;
    };
    outsiders(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_refusals_leave_no_objects() {
    let Some((server, s3)) = on_s3().await else {
        return;
    };
    refusals(&server, || s3.objects().len()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_public_links() {
    let Some((server, _s3)) = on_s3().await else {
        return;
    };
    public_links(&server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_a_100_mb_file_in_chunks() {
    let Some((server, s3)) = on_s3().await else {
        return;
    };
    resumable_upload(&server, 100 * 1024 * 1024).await;
    assert!(
        !s3.objects()
            .iter()
            .any(|p| p.to_string_lossy().contains(".parts")),
        "the chunks are removed once joined"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_files_outlive_a_restart() {
    let Some((server, _s3)) = on_s3().await else {
        return;
    };
    let basic = server.init_basic().await;
    let content = bytes(9 * 1024 * 1024, 5);
    let raw =
        uploaded_id(upload_raw(&basic.client, basic.channel_id(), "before.bin", &content).await);
    let chunked = id(&upload_in_chunks(
        &basic.client,
        basic.channel_id(),
        "chunked.bin",
        &content,
        6 * 1024 * 1024,
    )
    .await);

    // Stop this server's app and start another on the same database and bucket.
    let config = (*server.app.config()).clone();
    server.app.shutdown().await;
    let app = utmost_app::App::start(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(utmost_api::serve(
        app,
        listener,
        std::future::pending::<()>(),
    ));
    let client = Client::new(&url)
        .login("basicuser", crate::support::PASSWORD)
        .await;
    for file in [raw, chunked] {
        let (status, _, body) = fetch(&client, &format!("/api/v4/files/{file}"), &[]).await;
        assert_eq!(status, 200);
        assert!(body == content, "file {file} changed across the restart");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_images() {
    let Some((server, s3)) = on_s3().await else {
        return;
    };
    crate::files_api::images(&server, || s3.objects().len()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_the_health_check_reaches_the_bucket() {
    let Some((server, s3)) = on_s3().await else {
        return;
    };
    let anon = server.client();
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(200);
    assert_eq!(r.body["filestore_status"], "OK");
    // The probe leaves nothing behind.
    assert!(s3.objects().is_empty(), "{:?}", s3.objects());
    // With the S3 server gone, a load balancer or Kubernetes probe sees the node unhealthy.
    drop(s3);
    let r = anon
        .get("/system/ping?get_server_status=true")
        .await
        .expect(500);
    assert_eq!(r.body["filestore_status"], "UNHEALTHY");
    assert_eq!(r.body["database_status"], "OK");
}

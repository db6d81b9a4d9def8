//! `/files`: uploads (multipart with client ids, raw body), downloads (ranges, content
//! headers), info, files on posts, deletion with the post, public links, and the refusals:
//! too big, disabled, no permission, bad input. Each scenario is a function so the S3
//! tests (`files_s3`) run the same ones against a real S3 server.

use crate::files_support::*;
use crate::support::{configure, id};
use serde_json::json;
use utmost_testkit::{dual_db_test, TestServer};

/// Two files in one multipart request come back as sent, with Mattermost's headers.
pub async fn uploads_and_downloads(server: &TestServer) {
    let basic = server.init_basic().await;
    let report = bytes(70_000, 3);
    let resp = upload_files(
        &basic.client,
        basic.channel_id(),
        &[("report.pdf", &report), ("photo.png", b"not really a png")],
    )
    .await
    .expect(201);
    assert_eq!(resp.body["client_ids"], json!(["client-0", "client-1"]));
    let infos = resp.body["file_infos"].as_array().unwrap().clone();
    assert_eq!(infos.len(), 2);
    let pdf = &infos[0];
    assert_eq!(pdf["name"], "report.pdf");
    assert_eq!(pdf["extension"], "pdf");
    assert_eq!(pdf["mime_type"], "application/pdf");
    assert_eq!(pdf["size"], 70_000);
    assert_eq!(pdf["user_id"], basic.user_id());
    assert_eq!(pdf["channel_id"], basic.channel_id());
    assert_eq!(pdf["post_id"], "");
    assert!(pdf.get("path").is_none());

    let pdf_id = id(pdf);
    let (status, headers, body) =
        fetch(&basic.client, &format!("/api/v4/files/{pdf_id}"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(body, report);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "attachment;filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["content-length"], "70000");

    // An image is shown inline unless a download is asked for.
    let png_id = id(&infos[1]);
    let (_, headers, _) = fetch(&basic.client, &format!("/api/v4/files/{png_id}"), &[]).await;
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline;"));
    let (_, headers, _) = fetch(
        &basic.client,
        &format!("/api/v4/files/{png_id}?download=1"),
        &[],
    )
    .await;
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));

    // Ranges.
    let path = format!("/api/v4/files/{pdf_id}");
    let (status, headers, body) = fetch(&basic.client, &path, &[("Range", "bytes=100-199")]).await;
    assert_eq!(status, 206);
    assert_eq!(body, report[100..200].to_vec());
    assert_eq!(headers["content-range"], "bytes 100-199/70000");
    let (status, _, body) = fetch(&basic.client, &path, &[("Range", "bytes=-10")]).await;
    assert_eq!((status, body), (206, report[69_990..].to_vec()));
    let (status, headers, _) = fetch(&basic.client, &path, &[("Range", "bytes=70000-")]).await;
    assert_eq!(status, 416);
    assert_eq!(headers["content-range"], "bytes */70000");

    let info = basic
        .client
        .get(&format!("/files/{pdf_id}/info"))
        .await
        .expect(200);
    assert_eq!(info.body, *pdf);
    // No image processing for a PDF: Mattermost's 400s.
    basic
        .client
        .get(&format!("/files/{pdf_id}/thumbnail"))
        .await
        .expect_error(400, "api.file.get_file_thumbnail.no_thumbnail.app_error");
    basic
        .client
        .get(&format!("/files/{pdf_id}/preview"))
        .await
        .expect_error(400, "api.file.get_file_preview.no_preview.app_error");
}

dual_db_test!(
    async fn uploaded_files_are_served_as_sent(server) {
        uploads_and_downloads(&server).await;
    }
);

/// Files on a post: attached when it is created, in `metadata.files` everywhere the post
/// is read, listed by `/posts/{id}/files/info`, and gone with the post.
pub async fn files_on_posts(server: &TestServer) {
    let basic = server.init_basic().await;
    let channel = basic.channel_id();
    let mine = uploaded_id(upload_raw(&basic.client, channel, "notes.txt", b"hello notes").await);
    let theirs = uploaded_id(upload_raw(&basic.client2, channel, "other.txt", b"theirs").await);
    let post = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel, "message": "see attached", "file_ids": [mine, theirs]}),
        )
        .await
        .expect(201)
        .body;
    // Someone else's file is dropped, as Mattermost does.
    assert_eq!(post["file_ids"], json!([mine]));
    assert_eq!(post["metadata"]["files"][0]["id"], mine.as_str());
    assert_eq!(post["metadata"]["files"][0]["post_id"], id(&post));
    let post_id = id(&post);

    let read = basic
        .client2
        .get(&format!("/posts/{post_id}"))
        .await
        .expect(200);
    assert_eq!(read.body["metadata"]["files"][0]["name"], "notes.txt");
    let page = basic
        .client2
        .get(&format!("/channels/{channel}/posts"))
        .await
        .expect(200);
    assert_eq!(
        page.body["posts"][&post_id]["metadata"]["files"][0]["id"],
        mine.as_str()
    );
    let infos = basic
        .client2
        .get(&format!("/posts/{post_id}/files/info"))
        .await
        .expect(200);
    assert_eq!(infos.body.as_array().unwrap().len(), 1);
    // Now on a post in a channel user2 reads, the file is theirs to download too.
    let (status, _, body) = fetch(&basic.client2, &format!("/api/v4/files/{mine}"), &[]).await;
    assert_eq!((status, body), (200, b"hello notes".to_vec()));

    // A file is attached once.
    let again = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel, "message": "again", "file_ids": [mine]}),
        )
        .await
        .expect(201);
    assert_eq!(again.body["file_ids"], json!([]));

    basic
        .client
        .delete(&format!("/posts/{post_id}"))
        .await
        .expect(200);
    basic
        .client
        .get(&format!("/files/{mine}/info"))
        .await
        .expect_error(404, "app.file_info.get.app_error");
    let left = basic
        .admin
        .get(&format!("/posts/{post_id}/files/info?include_deleted=true"))
        .await
        .expect(200);
    assert!(left.body[0]["delete_at"].as_i64().unwrap() > 0);
}

dual_db_test!(
    async fn files_follow_their_post(server) {
        files_on_posts(&server).await;
    }
);

/// What a user without access learns: nothing but 403/404, as Mattermost answers.
pub async fn outsiders(server: &TestServer) {
    let basic = server.init_basic().await;
    let private = id(&basic.private_channel);
    let (_, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
    // No upload into a channel one is not in, in either form.
    upload_raw(&outsider, &private, "x.txt", b"x")
        .await
        .expect_error(403, "api.context.permissions.app_error");
    upload_files(&outsider, &private, &[("x.txt", b"x")])
        .await
        .expect_error(403, "api.context.permissions.app_error");

    let file = uploaded_id(upload_raw(&basic.client, &private, "secret.txt", b"secret").await);
    for route in ["", "/info", "/thumbnail", "/preview", "/link"] {
        let resp = outsider.get(&format!("/files/{file}{route}")).await;
        assert_eq!(resp.status, 403, "route {route}");
        assert!(!resp.text.contains("secret"));
    }
    // Unattached, even a channel member cannot read someone else's file.
    basic
        .client2
        .get(&format!("/files/{file}/info"))
        .await
        .expect_error(403, "api.context.permissions.app_error");
    let missing = utmost_model::new_id();
    outsider
        .get(&format!("/files/{missing}"))
        .await
        .expect_error(404, "app.file_info.get.app_error");
    outsider
        .get(&format!("/posts/{}/files/info", id(&basic.post)))
        .await
        .expect_error(403, "api.context.permissions.app_error");
    // Without a session nothing is served.
    server
        .client()
        .get(&format!("/files/{file}"))
        .await
        .expect(401);
}

dual_db_test!(
    async fn outsiders_learn_nothing(server) {
        outsiders(&server).await;
    }
);

/// Refusals leave neither bytes nor rows.
pub async fn refusals(server: &TestServer, stored_files: impl Fn() -> usize) {
    let basic = server.init_basic().await;
    let channel = basic.channel_id().to_string();
    configure(server, |c| c.file_settings.max_file_size = 1000);
    let before = stored_files();
    // Declared too large: refused before reading.
    upload_raw(&basic.client, &channel, "big.bin", &bytes(1001, 1))
        .await
        .expect_error(413, "api.file.upload_file.too_large_detailed.app_error");
    // Too large as it streams (a multipart part has no declared length).
    upload_files(
        &basic.client,
        &channel,
        &[("small.txt", b"ok"), ("big.bin", &bytes(5000, 2))],
    )
    .await
    .expect_error(413, "api.file.upload_file.too_large_detailed.app_error");
    assert_eq!(
        stored_files(),
        before,
        "the complete first file went with the request"
    );

    let wrong_channel = utmost_model::new_id();
    upload_raw(&basic.client, &wrong_channel, "a.txt", b"a")
        .await
        .expect_error(403, "api.context.permissions.app_error");
    upload_raw(&basic.client, "not-an-id", "a.txt", b"a")
        .await
        .expect_error(400, "api.context.invalid_url_param.app_error");
    upload_raw(&basic.client, &channel, "", b"a")
        .await
        .expect_error(400, "api.context.invalid_url_param.app_error");
    upload_raw(&basic.client, &channel, "empty.txt", b"")
        .await
        .expect_error(400, "api.file.upload_file.read_request.app_error");
    let body = form(
        &[
            ("channel_id", &channel),
            ("client_ids", "a"),
            ("client_ids", "b"),
        ],
        &[("files", "one.txt", b"1")],
    );
    send(
        &basic.client,
        "/files",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body,
    )
    .await
    .expect_error(
        400,
        "api.file.upload_file.incorrect_number_of_client_ids.app_error",
    );
    let body = form(&[("channel_id", &channel), ("colour", "red")], &[]);
    send(
        &basic.client,
        "/files",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body,
    )
    .await
    .expect_error(400, "api.context.invalid_body_param.app_error");

    configure(server, |c| c.file_settings.enable_file_attachments = false);
    upload_raw(&basic.client, &channel, "a.txt", b"a")
        .await
        .expect_error(403, "api.file.attachments.disabled.app_error");
    assert_eq!(stored_files(), before);
}

dual_db_test!(
    async fn refused_uploads_leave_nothing(server) {
        let data = std::path::PathBuf::from(&server.app.config().file_settings.directory);
        refusals(&server, || files_under(&data).len()).await;
    }
);

/// Public links: off by default; on, a link serves the file to anyone, and only the right
/// hash does.
pub async fn public_links(server: &TestServer) {
    let basic = server.init_basic().await;
    let channel = basic.channel_id();
    let file = uploaded_id(upload_raw(&basic.client, channel, "shared.txt", b"shared").await);
    basic
        .client
        .get(&format!("/files/{file}/link"))
        .await
        .expect_error(403, "api.file.get_public_link.disabled.app_error");
    configure(server, |c| c.file_settings.enable_public_link = true);
    basic
        .client
        .get(&format!("/files/{file}/link"))
        .await
        .expect_error(400, "api.file.get_public_link.no_post.app_error");
    basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel, "message": "m", "file_ids": [file]}),
        )
        .await
        .expect(201);
    let link = basic
        .client
        .get(&format!("/files/{file}/link"))
        .await
        .expect(200);
    let link = link.body["link"].as_str().unwrap().to_string();
    assert!(link.starts_with(&format!("{}/files/{file}/public?h=", server.url)));

    let anonymous = server.client();
    let public_path = link.trim_start_matches(&server.url).to_string();
    let (status, _, body) = fetch(&anonymous, &public_path, &[]).await;
    assert_eq!((status, body), (200, b"shared".to_vec()));
    let (status, _, body) = fetch(&anonymous, &format!("/files/{file}/public?h=forged"), &[]).await;
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("api.file.get_file.public_invalid.app_error"));
    configure(server, |c| c.file_settings.enable_public_link = false);
    let (status, _, _) = fetch(&anonymous, &public_path, &[]).await;
    assert_eq!(status, 403);
}

dual_db_test!(
    async fn public_links_need_the_setting_and_the_hash(server) {
        public_links(&server).await;
    }
);

dual_db_test!(
    async fn html_and_svg_are_downloaded_never_rendered(server) {
        let basic = server.init_basic().await;
        for (name, expected_type) in [("page.html", "text/plain"), ("logo.svg", "image/svg+xml")] {
            let file = uploaded_id(
                upload_raw(&basic.client, basic.channel_id(), name, b"<script>alert(1)</script>")
                    .await,
            );
            let (_, headers, _) = fetch(&basic.client, &format!("/api/v4/files/{file}"), &[]).await;
            assert_eq!(headers["content-type"], expected_type);
            assert!(headers["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment;"));
        }
    }
);

dual_db_test!(
    async fn the_s3_test_is_for_administrators(server) {
        let basic = server.init_basic().await;
        let config = serde_json::to_value(&*server.app.config()).unwrap();
        basic
            .client
            .post("/file/s3_test", config.clone())
            .await
            .expect_error(403, "api.context.permissions.app_error");
        // The local settings in force list fine.
        basic.admin.post("/file/s3_test", config.clone()).await.expect(200);
        let mut unreachable = config;
        unreachable["FileSettings"]["DriverName"] = json!("amazons3");
        unreachable["FileSettings"]["AmazonS3Bucket"] = json!("nowhere");
        unreachable["FileSettings"]["AmazonS3Endpoint"] = json!("127.0.0.1:9");
        unreachable["FileSettings"]["AmazonS3SSL"] = json!(false);
        unreachable["FileSettings"]["AmazonS3AccessKeyId"] = json!("key");
        unreachable["FileSettings"]["AmazonS3SecretAccessKey"] = json!("secret");
        unreachable["FileSettings"]["AmazonS3RequestTimeoutMilliseconds"] = json!(2000);
        basic
            .admin
            .post("/file/s3_test", unreachable)
            .await
            .expect_error(500, "api.file.test_connection.app_error");
    }
);

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

/// An image gets its size, thumbnail, preview and mini preview; one over
/// `MaxImageResolution` is refused and leaves nothing.
pub async fn images(server: &TestServer, stored_files: impl Fn() -> usize) {
    let basic = server.init_basic().await;
    let info = upload_raw(
        &basic.client,
        basic.channel_id(),
        "photo.jpg",
        &jpeg(400, 300),
    )
    .await
    .expect(201)
    .body["file_infos"][0]
        .clone();
    assert_eq!(
        (info["width"].as_i64(), info["height"].as_i64()),
        (Some(400), Some(300))
    );
    assert_eq!(info["has_preview_image"], true);
    assert!(info["mini_preview"].as_str().is_some_and(|m| !m.is_empty()));
    let file = id(&info);
    for route in ["thumbnail", "preview"] {
        let (status, headers, body) =
            fetch(&basic.client, &format!("/api/v4/files/{file}/{route}"), &[]).await;
        assert_eq!(status, 200, "{route}");
        assert_eq!(headers["content-type"], "image/jpeg");
        assert!(
            image::load_from_memory(&body).is_ok(),
            "{route} is an image"
        );
    }
    assert_eq!(
        stored_files(),
        3,
        "the image, its thumbnail and its preview"
    );

    configure(server, |c| c.file_settings.max_image_resolution = 100 * 100);
    upload_raw(
        &basic.client,
        basic.channel_id(),
        "huge.jpg",
        &jpeg(200, 200),
    )
    .await
    .expect_error(400, "api.file.upload_file.large_image_detailed.app_error");
    assert_eq!(stored_files(), 3);
}

dual_db_test!(
    async fn images_get_thumbnails_and_previews(server) {
        let data = std::path::PathBuf::from(&server.app.config().file_settings.directory);
        images(&server, || files_under(&data).len()).await;
    }
);

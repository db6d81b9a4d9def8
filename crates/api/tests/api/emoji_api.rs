//! Custom emoji: create (with its image), read, list, search, delete, their permissions,
//! their event, and what they change for reactions.

use crate::support::{configure, id};
use image::codecs::gif::{GifDecoder, GifEncoder};
use image::{AnimationDecoder, DynamicImage, Frame, ImageFormat, Rgba, RgbaImage};
use serde_json::{json, Value};
use std::io::Cursor;
use std::time::Duration;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, Client, Resp, TestServer};

const QUIET: Duration = Duration::from_millis(400);
const BOUNDARY: &str = "utmost-emoji-test-boundary";

fn enable(server: &TestServer) {
    configure(server, |c| c.service_settings.enable_custom_emoji = true);
}

fn still(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbaImage::from_fn(width, height, |x, y| Rgba([x as u8, y as u8, 90, 255]));
    let image = match format {
        ImageFormat::Jpeg => DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(image).to_rgb8()),
        _ => DynamicImage::ImageRgba8(image),
    };
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    still(width, height, ImageFormat::Png)
}

fn gif(width: u32, height: u32, frames: u8) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        for i in 0..frames {
            let shade = Rgba([i.wrapping_mul(80), 0, 255 - i, 255]);
            encoder
                .encode_frame(Frame::new(RgbaImage::from_pixel(width, height, shade)))
                .unwrap();
        }
    }
    out
}

fn gif_frames(bytes: &[u8]) -> Vec<(u32, u32)> {
    GifDecoder::new(Cursor::new(bytes))
        .unwrap()
        .into_frames()
        .map(|f| f.unwrap().buffer().dimensions())
        .collect()
}

/// `POST /emoji` with an `emoji` part (raw text) and an `image` part, each when given.
async fn upload(client: &Client, emoji: Option<&str>, image: Option<&[u8]>) -> Resp {
    let mut body = Vec::new();
    if let Some(emoji) = emoji {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"emoji\"\r\n\r\n{emoji}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(image) = image {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"image\"; \
                 filename=\"emoji.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(image);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    let mut req = client
        .http
        .post(format!("{}/api/v4/emoji", client.base))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body);
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    Client::read(req.send().await.unwrap()).await
}

fn emoji_json(creator_id: &str, name: &str) -> String {
    json!({"creator_id": creator_id, "name": name}).to_string()
}

async fn create(client: &Client, creator_id: &str, name: &str, image: &[u8]) -> Value {
    upload(client, Some(&emoji_json(creator_id, name)), Some(image))
        .await
        .expect(200)
        .body
}

/// The image as served, with its content type.
async fn served_image(client: &Client, emoji_id: &str) -> (Vec<u8>, String, String) {
    let mut req = client
        .http
        .get(format!("{}/api/v4/emoji/{emoji_id}/image", client.base));
    if let Some(token) = &client.token {
        req = req.bearer_auth(token);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (content_type, cache) = (header("content-type"), header("cache-control"));
    (resp.bytes().await.unwrap().to_vec(), content_type, cache)
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect()
}

/// The emoji images kept in the (local) file store.
fn emoji_dirs(server: &TestServer) -> usize {
    fn images(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.flatten()
                .map(|e| match e.path() {
                    p if p.is_dir() => images(&p),
                    p if p.file_name().is_some_and(|n| n == "image") => 1,
                    _ => 0,
                })
                .sum()
        })
    }
    images(&std::path::Path::new(&server.app.config().file_settings.directory).join("emoji"))
}

dual_db_test!(
    async fn custom_emoji_are_created_and_read_by_everyone(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let (_outsider, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let user1 = basic.user_id().to_string();
        let image = png(64, 48);

        let created = create(&basic.client, &user1, "party-parrot_1", &image).await;
        let emoji_id = id(&created);
        assert_eq!(emoji_id.len(), 26);
        assert_eq!(created["creator_id"], user1.as_str());
        assert_eq!(created["name"], "party-parrot_1");
        assert_eq!(created["delete_at"], 0);
        assert!(created["create_at"].as_i64().unwrap() > 0);
        assert_eq!(created["update_at"], created["create_at"]);

        // Any logged-in user reads it, a team-less one too.
        for reader in [&basic.client2, &outsider] {
            let got = reader.get(&format!("/emoji/{emoji_id}")).await.expect(200);
            assert_eq!(got.body, created);
            let by_name = reader.get("/emoji/name/party-parrot_1").await.expect(200);
            assert_eq!(by_name.body, created);
            let (bytes, content_type, cache) = served_image(reader, &emoji_id).await;
            assert_eq!(bytes, image, "a small image is kept as uploaded");
            assert_eq!(content_type, "image/png");
            assert_eq!(cache, "max-age=2592000, private");
        }
        let by_names = outsider
            .post("/emoji/names", json!(["smile", "party-parrot_1", "nobody", "smile"]))
            .await
            .expect(200);
        assert_eq!(by_names.body, json!([created]));
        assert_eq!(
            outsider.post("/emoji/names", json!(["smile"])).await.expect(200).body,
            json!([])
        );

        server.client().get(&format!("/emoji/{emoji_id}")).await.expect(401);
        server.client().get(&format!("/emoji/{emoji_id}/image")).await.expect(401);
        outsider
            .get("/emoji/aaaaaaaaaaaaaaaaaaaaaaaaaa")
            .await
            .expect_error(404, "app.emoji.get.no_result");
        outsider
            .get("/emoji/aaaaaaaaaaaaaaaaaaaaaaaaaa/image")
            .await
            .expect_error(404, "app.emoji.get.no_result");
        outsider
            .get("/emoji/name/nobody")
            .await
            .expect_error(404, "app.emoji.get_by_name.no_result");
        outsider
            .get("/emoji/not-an-id")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
        outsider
            .get("/emoji/name/no:pe")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn creating_checks_the_emoji_and_its_image(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let user1 = basic.user_id().to_string();
        let ok = png(16, 16);
        let refused = |json: String, image: Option<Vec<u8>>, status: u16, error: &'static str| {
            let client = basic.client.clone();
            async move {
                upload(&client, Some(&json), image.as_deref())
                    .await
                    .expect_error(status, error);
            }
        };

        for bad in ["", "a b", "no:colons", "émoji", &"a".repeat(65)] {
            refused(emoji_json(&user1, bad), Some(ok.clone()), 400, "model.emoji.name.app_error")
                .await;
        }
        for system in ["smile", "+1", "thumbsup", "mattermost"] {
            refused(
                emoji_json(&user1, system),
                Some(ok.clone()),
                400,
                "model.emoji.system_emoji_name.app_error",
            )
            .await;
        }
        refused(
            emoji_json(&"a".repeat(27), "long_creator"),
            Some(ok.clone()),
            400,
            "model.emoji.user_id.app_error",
        )
        .await;
        refused(
            emoji_json(basic.user2_id(), "for_other"),
            Some(ok.clone()),
            403,
            "api.emoji.create.other_user.app_error",
        )
        .await;
        refused(
            emoji_json(&user1, "no_image"),
            None,
            400,
            "api.context.invalid_body_param.app_error",
        )
        .await;
        refused(
            "not json".into(),
            Some(ok.clone()),
            400,
            "api.context.invalid_body_param.app_error",
        )
        .await;
        upload(&basic.client, None, Some(&ok))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        for (image, error) in [
            (b"not an image".to_vec(), "api.emoji.upload.image.app_error"),
            (
                // WebP is not one of the formats Utmost reads.
                b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0\x2f\0\0\0\x10\x07\x10\x11\x11\x88\x88\xfe\x07\0"
                    .to_vec(),
                "api.emoji.upload.image.app_error",
            ),
            (png(1029, 4), "api.emoji.upload.large_image.too_large.app_error"),
            (png(4, 1029), "api.emoji.upload.large_image.too_large.app_error"),
        ] {
            refused(emoji_json(&user1, "bad_image"), Some(image), 400, error).await;
        }
        // Over MaxEmojiFileSize (512 KiB): refused before the body is read.
        refused(
            emoji_json(&user1, "huge"),
            Some(vec![0u8; 512 * 1024]),
            413,
            "api.emoji.create.too_large.app_error",
        )
        .await;
        basic
            .client
            .post("/emoji", json!({"name": "json_body"}))
            .await
            .expect_error(400, "api.emoji.create.parse.app_error");
        assert_eq!(emoji_dirs(&server), 0, "no refused upload left a file");

        create(&basic.client, &user1, "taken", &ok).await;
        refused(
            emoji_json(&user1, "taken"),
            Some(ok.clone()),
            400,
            "api.emoji.create.duplicate.app_error",
        )
        .await;
        // A client-chosen id is ignored, so no emoji can be overwritten.
        let chosen = json!({"id": "aaaaaaaaaaaaaaaaaaaaaaaaaa", "creator_id": user1, "name": "chosen"});
        let created = upload(&basic.client, Some(&chosen.to_string()), Some(&ok))
            .await
            .expect(200)
            .body;
        assert_ne!(created["id"], "aaaaaaaaaaaaaaaaaaaaaaaaaa");
        assert_eq!(emoji_dirs(&server), 2);
    }
);

dual_db_test!(
    async fn large_images_are_shrunk_to_fit(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let user1 = basic.user_id().to_string();

        let wide = create(&basic.client, &user1, "wide", &png(300, 150)).await;
        let (bytes, content_type, _) = served_image(&basic.client, &id(&wide)).await;
        assert_eq!(content_type, "image/png");
        let stored = image::load_from_memory(&bytes).unwrap();
        assert_eq!((stored.width(), stored.height()), (128, 64));

        // A JPEG over the size becomes a PNG; one within it stays a JPEG.
        let photo = create(&basic.client, &user1, "photo", &still(200, 200, ImageFormat::Jpeg)).await;
        let (bytes, content_type, _) = served_image(&basic.client, &id(&photo)).await;
        assert_eq!(content_type, "image/png");
        let stored = image::load_from_memory(&bytes).unwrap();
        assert_eq!((stored.width(), stored.height()), (128, 128));
        let small = still(32, 32, ImageFormat::Jpeg);
        let kept = create(&basic.client, &user1, "small_photo", &small).await;
        let (bytes, content_type, _) = served_image(&basic.client, &id(&kept)).await;
        assert_eq!((bytes, content_type.as_str()), (small, "image/jpeg"));

        // A GIF keeps every frame.
        let animated = create(&basic.client, &user1, "animated", &gif(256, 200, 3)).await;
        let (bytes, content_type, _) = served_image(&basic.client, &id(&animated)).await;
        assert_eq!(content_type, "image/gif");
        assert_eq!(gif_frames(&bytes), vec![(128, 100); 3]);
        let small_gif = gif(20, 20, 2);
        let kept = create(&basic.client, &user1, "small_gif", &small_gif).await;
        assert_eq!(served_image(&basic.client, &id(&kept)).await.0, small_gif);
    }
);

async fn role_permissions(admin: &Client, role: &str, change: impl FnOnce(&mut Vec<Value>)) {
    let role = admin
        .get(&format!("/roles/name/{role}"))
        .await
        .expect(200)
        .body;
    let mut permissions = role["permissions"].as_array().unwrap().clone();
    change(&mut permissions);
    admin
        .put(
            &format!("/roles/{}/patch", id(&role)),
            json!({"permissions": permissions}),
        )
        .await
        .expect(200);
}

dual_db_test!(
    async fn creating_and_deleting_need_the_emoji_permissions(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let (outsider_user, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let (user1, user2) = (basic.user_id().to_string(), basic.user2_id().to_string());
        let image = png(8, 8);

        // By default every user may create emoji and delete their own, not others'.
        let mine = create(&basic.client, &user1, "mine", &image).await;
        basic
            .client2
            .delete(&format!("/emoji/{}", id(&mine)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic.client.delete(&format!("/emoji/{}", id(&mine))).await.expect(200);
        let outsiders = create(&outsider, &id(&outsider_user), "outsiders", &image).await;
        basic
            .admin
            .delete(&format!("/emoji/{}", id(&outsiders)))
            .await
            .expect(200);

        // Without the system role's permissions, only a team role can grant them.
        role_permissions(&basic.admin, "system_user", |p| {
            p.retain(|x| x != "create_emojis" && x != "delete_emojis")
        })
        .await;
        let refused = upload(&basic.client, Some(&emoji_json(&user1, "refused")), Some(&image))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        assert!(refused.text.contains("create_emojis"), "{}", refused.text);
        role_permissions(&basic.admin, "team_user", |p| {
            p.push(json!("create_emojis"));
            p.push(json!("delete_emojis"));
        })
        .await;
        let by_team = create(&basic.client2, &user2, "by_team_role", &image).await;
        upload(&outsider, Some(&emoji_json(&id(&outsider_user), "teamless")), Some(&image))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        outsider
            .delete(&format!("/emoji/{}", id(&by_team)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client
            .delete(&format!("/emoji/{}", id(&by_team)))
            .await
            .expect_error(403, "api.context.permissions.app_error");
        basic
            .client2
            .delete(&format!("/emoji/{}", id(&by_team)))
            .await
            .expect(200);
        basic
            .client2
            .delete(&format!("/emoji/{}", id(&by_team)))
            .await
            .expect_error(404, "app.emoji.get.no_result");
        basic
            .client2
            .delete("/emoji/not-an-id")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");
    }
);

dual_db_test!(
    async fn lists_page_sort_and_search(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let user1 = basic.user_id().to_string();
        let image = png(8, 8);
        for name in ["x_gamma", "alpha_x", "beta_x"] {
            create(&basic.client, &user1, name, &image).await;
        }
        let gone = create(&basic.client, &user1, "deleted_x", &image).await;
        basic.client.delete(&format!("/emoji/{}", id(&gone))).await.expect(200);

        let page = |query: &'static str| {
            let client = basic.client2.clone();
            async move { client.get(&format!("/emoji{query}")).await.expect(200).body }
        };
        assert_eq!(names(&page("").await), ["x_gamma", "alpha_x", "beta_x"]);
        assert_eq!(names(&page("?per_page=2").await), ["x_gamma", "alpha_x"]);
        assert_eq!(names(&page("?per_page=2&page=1").await), ["beta_x"]);
        assert!(names(&page("?per_page=2&page=2").await).is_empty());
        assert_eq!(names(&page("?sort=name").await), ["alpha_x", "beta_x", "x_gamma"]);
        assert_eq!(names(&page("?sort=name&per_page=1&page=1").await), ["beta_x"]);
        assert_eq!(names(&page("?per_page=100000").await).len(), 3);
        basic
            .client2
            .get("/emoji?sort=creator")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        let search = |body: Value| {
            let client = basic.client2.clone();
            async move { client.post("/emoji/search", body).await }
        };
        assert_eq!(
            names(&search(json!({"term": "X"})).await.expect(200).body),
            ["alpha_x", "beta_x", "x_gamma"]
        );
        assert_eq!(
            names(&search(json!({"term": "x", "prefix_only": true})).await.expect(200).body),
            ["x_gamma"]
        );
        search(json!({"term": ""}))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        search(json!("x"))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        let auto = basic.client2.get("/emoji/autocomplete?name=al").await.expect(200);
        assert_eq!(names(&auto.body), ["alpha_x"]);
        assert!(names(&basic.client2.get("/emoji/autocomplete?name=_x").await.expect(200).body)
            .is_empty());
        basic
            .client2
            .get("/emoji/autocomplete")
            .await
            .expect_error(400, "api.context.invalid_url_param.app_error");

        let too_many: Vec<String> = (0..201).map(|i| format!("name{i}")).collect();
        basic
            .client2
            .post("/emoji/names", json!(too_many))
            .await
            .expect_error(400, "api.emoji.get_multiple_by_name_too_many.request_error");
        let most: Vec<String> = (0..199).map(|i| format!("name{i}")).chain(["beta_x".into()]).collect();
        assert_eq!(
            names(&basic.client2.post("/emoji/names", json!(most)).await.expect(200).body),
            ["beta_x"]
        );
        basic
            .client2
            .post("/emoji/names", json!([]))
            .await
            .expect_error(400, "api.context.invalid_body_param.app_error");
        basic
            .client2
            .post("/emoji/names", json!({"names": ["x"]}))
            .await
            .expect_error(400, "api.payload.parse.error");
    }
);

dual_db_test!(
    async fn reactions_need_a_known_emoji_and_go_with_their_custom_emoji(server) {
        let basic = server.init_basic().await;
        let user1 = basic.user_id().to_string();
        let post_id = id(&basic.post);
        let react = |emoji: &str| {
            let client = basic.client.clone();
            let body = json!({"user_id": user1, "post_id": post_id, "emoji_name": emoji});
            async move { client.post("/reactions", body).await }
        };
        // Custom emoji off: only system emoji.
        react("smile").await.expect(200);
        react("party_parrot").await.expect_error(403, "api.emoji.disabled.app_error");

        enable(&server);
        react("party_parrot").await.expect_error(404, "app.emoji.get_by_name.no_result");
        // A system emoji whose name is no valid reaction name.
        react("thank you")
            .await
            .expect_error(400, "model.reaction.is_valid.emoji_name.app_error");
        let parrot = create(&basic.client, &user1, "party_parrot", &png(8, 8)).await;
        react("party_parrot").await.expect(200);
        let other_post = basic
            .client2
            .post("/posts", json!({"channel_id": basic.channel_id(), "message": "two"}))
            .await
            .expect(201)
            .body;
        basic
            .client2
            .post(
                "/reactions",
                json!({"user_id": basic.user2_id(), "post_id": id(&other_post), "emoji_name": "party_parrot"}),
            )
            .await
            .expect(200);

        basic.client.delete(&format!("/emoji/{}", id(&parrot))).await.expect(200);
        let reactions = basic
            .client
            .get(&format!("/posts/{post_id}/reactions"))
            .await
            .expect(200)
            .body;
        let left: Vec<&str> = reactions
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["emoji_name"].as_str().unwrap())
            .collect();
        assert_eq!(left, ["smile"]);
        let other = basic.client.get(&format!("/posts/{}", id(&other_post))).await.expect(200);
        assert!(other.body.get("has_reactions").is_none(), "{}", other.text);
        react("party_parrot").await.expect_error(404, "app.emoji.get_by_name.no_result");
        basic
            .client
            .get(&format!("/emoji/{}/image", id(&parrot)))
            .await
            .expect_error(404, "app.emoji.get.no_result");
        // The name is free again.
        create(&basic.client, &user1, "party_parrot", &png(8, 8)).await;
    }
);

dual_db_test!(
    async fn emoji_added_reaches_every_connection(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let (_outsider, outsider) = server.create_user(Some(&basic.admin), "outsider").await;
        let mut sockets = Vec::new();
        for client in [&basic.client, &basic.client2, &outsider, &basic.admin] {
            let (mut ws, _) = WsClient::connect_ready(&server, client.token.as_deref().unwrap()).await;
            ws.drain(QUIET).await;
            sockets.push(ws);
        }
        let created = create(&basic.client, basic.user_id(), "announced", &png(8, 8)).await;
        for ws in &mut sockets {
            let event = ws.next_event("emoji_added").await;
            let sent: Value = serde_json::from_str(event["data"]["emoji"].as_str().unwrap()).unwrap();
            assert_eq!(sent, created);
            assert_eq!(event["broadcast"]["channel_id"], "");
            assert_eq!(event["broadcast"]["team_id"], "");
        }

        // Deleting tells no one, as in Mattermost.
        basic.client.delete(&format!("/emoji/{}", id(&created))).await.expect(200);
        for ws in &mut sockets {
            let heard = ws.drain(QUIET).await;
            assert!(
                heard.iter().all(|e| e["event"] != "emoji_added"),
                "{heard:?}"
            );
        }
    }
);

dual_db_test!(
    async fn disabled_custom_emoji_answer_as_mattermost(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let user1 = basic.user_id().to_string();
        let kept = create(&basic.client, &user1, "kept", &png(8, 8)).await;
        let kept_id = id(&kept);
        configure(&server, |c| c.service_settings.enable_custom_emoji = false);

        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableCustomEmoji"], "false");
        assert_eq!(config["EnableEmojiPicker"], "true");

        upload(&basic.client, Some(&emoji_json(&user1, "off")), Some(&png(8, 8)))
            .await
            .expect_error(501, "api.emoji.disabled.app_error");
        for path in [
            "/emoji".to_string(),
            format!("/emoji/{kept_id}"),
            format!("/emoji/{kept_id}/image"),
            "/emoji/name/kept".to_string(),
        ] {
            basic
                .client
                .get(&path)
                .await
                .expect_error(501, "api.emoji.disabled.app_error");
        }
        basic
            .client
            .post("/emoji/names", json!(["kept"]))
            .await
            .expect_error(501, "api.emoji.disabled.app_error");
        // Mattermost's search, autocomplete and delete reach the app's check (403).
        basic
            .client
            .post("/emoji/search", json!({"term": "kept"}))
            .await
            .expect_error(403, "api.emoji.disabled.app_error");
        basic
            .client
            .get("/emoji/autocomplete?name=ke")
            .await
            .expect_error(403, "api.emoji.disabled.app_error");
        basic
            .client
            .delete(&format!("/emoji/{kept_id}"))
            .await
            .expect_error(403, "api.emoji.disabled.app_error");

        configure(&server, |c| c.service_settings.enable_emoji_picker = false);
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["EnableEmojiPicker"], "false");
    }
);

dual_db_test!(
    async fn an_image_is_kept_only_with_its_row(server) {
        let basic = server.init_basic().await;
        enable(&server);
        let user1 = basic.user_id().to_string();
        let image = png(8, 8);

        // Two uploads of one name at once: one emoji, one image.
        let raced = emoji_json(&user1, "raced");
        let (first, second) = tokio::join!(
            upload(&basic.client, Some(&raced), Some(&image)),
            upload(&basic.client, Some(&raced), Some(&image)),
        );
        let mut statuses = [first.status, second.status];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "{} / {}", first.text, second.text);
        let refused = if first.status == 400 { &first } else { &second };
        assert_eq!(refused.error_id(), "api.emoji.create.duplicate.app_error");
        assert_eq!(emoji_dirs(&server), 1);

        // An image that cannot be written leaves no emoji.
        // A file where the emoji folder should be.
        let data = std::path::PathBuf::from(&server.app.config().file_settings.directory);
        std::fs::rename(data.join("emoji"), data.join("emoji-aside")).unwrap();
        std::fs::write(data.join("emoji"), b"").unwrap();
        upload(&basic.client, Some(&emoji_json(&user1, "unwritten")), Some(&image))
            .await
            .expect_error(500, "api.file.write_file.app_error");
        basic
            .client
            .get("/emoji/name/unwritten")
            .await
            .expect_error(404, "app.emoji.get_by_name.no_result");
    }
);

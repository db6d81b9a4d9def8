//! Link previews through the API: `POST /opengraph`, `GET /image` and posts'
//! `metadata.embeds` / `metadata.images`, fetched on create and edit and read back from
//! `linkmetadata` without fetching again. The sites are real local servers, allowed as an
//! admin allows an intranet.

use crate::links_support::{allow_internal, enable_image_proxy, get_image, opengraph, png, Site};
use crate::posts_support::get_post;
use crate::posts_support::{create_post, newest_posts};
use crate::support::{configure, id};
use serde_json::{json, Value};
use utmost_testkit::dual_db_test;

async fn intranet_site(server: &utmost_testkit::TestServer) -> Site {
    let site = Site::start("127.0.0.1").await;
    allow_internal(server, "127.0.0.1");
    site
}

fn png_info() -> Value {
    json!({"width": 30, "height": 20, "format": "png", "frame_count": 0})
}

dual_db_test!(
    async fn opengraph_answers_the_pages_tags(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        let og = opengraph(&basic.client, &site.url("/page")).await.expect(200).body;
        assert_eq!(og["type"], "article");
        assert_eq!(og["title"], "The Story");
        assert_eq!(og["description"], "What happened");
        assert_eq!(og["site_name"], "Local News");
        // og:url is the link asked for; images are made absolute.
        assert_eq!(og["url"], site.url("/page"));
        assert_eq!(og["images"][0]["url"], site.url("/img.png"));
        // The hour's answer is kept: asking again fetches nothing.
        opengraph(&basic.client, &site.url("/page")).await.expect(200);
        assert_eq!(site.requests(), ["/page"]);
        // A page without tags, and an image, have none.
        let none = opengraph(&basic.client, &site.url("/plain")).await.expect(200).body;
        assert_eq!((none["title"].as_str(), none["url"].as_str()), (Some(""), Some("")));
        // With the image proxy on, the card's images go through it.
        enable_image_proxy(&server);
        let proxied = opengraph(&basic.client, &site.url("/page?again")).await.expect(200).body;
        let expected = format!(
            "{}/api/v4/image?url={}",
            server.url,
            url_escape(&site.url("/img.png"))
        );
        assert_eq!(proxied["images"][0]["secure_url"], expected);
        assert_eq!(proxied["images"][0]["url"], "");
    }
);

dual_db_test!(
    async fn opengraph_refuses_bad_input_and_strangers(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        server
            .client()
            .post("/opengraph", json!({"url": site.url("/page")}))
            .await
            .expect(401);
        for body in [json!({}), json!({"url": ""}), json!({"url": 7})] {
            basic
                .client
                .post("/opengraph", body)
                .await
                .expect_error(400, "api.context.invalid_body_param.app_error");
        }
        configure(&server, |c| c.service_settings.enable_link_previews = false);
        opengraph(&basic.client, &site.url("/page"))
            .await
            .expect_error(501, "api.post.link_preview_disabled.app_error");
        assert_eq!(site.requests(), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn image_proxies_images_and_redirects_when_off(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        // Off: the client is sent to the image itself.
        let (status, headers, _) = get_image(&server, &basic.client, &site.url("/img.png")).await;
        assert_eq!(status, 302);
        assert_eq!(headers["location"], site.url("/img.png").as_str());
        assert_eq!(site.requests(), Vec::<String>::new());

        enable_image_proxy(&server);
        let (status, headers, body) = get_image(&server, &basic.client, &site.url("/img.png")).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "image/png");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(body, png(30, 20));
        // The server's own images are not proxied; a relative URL is the site's.
        let (status, headers, _) = get_image(&server, &basic.client, "/static/logo.png").await;
        assert_eq!(status, 302);
        assert_eq!(headers["location"], format!("{}/static/logo.png", server.url).as_str());
        // Not an image, an SVG, or a bad URL: refused.
        for (path, expected) in [("/page", 403), ("/vector.svg", 403), ("/missing", 404)] {
            let (status, _, _) = get_image(&server, &basic.client, &site.url(path)).await;
            assert_eq!(status, expected, "{path}");
        }
        for bad in ["ftp://example.com/x.png", "http://[::1", "javascript:alert(1)"] {
            let (status, _, body) = get_image(&server, &basic.client, bad).await;
            assert_eq!(status, 400, "{bad}");
            let error: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(error["id"], "api.image.get.app_error");
        }
        assert_eq!(site.requests(), ["/img.png", "/page", "/vector.svg", "/missing"]);
        // No session, no image.
        let (status, _, _) = get_image(&server, &server.client(), &site.url("/img.png")).await;
        assert_eq!(status, 401);
        assert_eq!(site.requests().len(), 4);
    }
);

dual_db_test!(
    async fn posts_carry_embeds_and_images_from_create_to_reads(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        let page = site.url("/page");
        let created = create_post(&basic.client, basic.channel_id(), &format!("read {page} now")).await;
        let embeds = &created["metadata"]["embeds"];
        assert_eq!(embeds[0]["type"], "opengraph");
        assert_eq!(embeds[0]["url"], page.as_str());
        assert_eq!(embeds[0]["data"]["title"], "The Story");
        assert_eq!(created["metadata"]["images"], json!({ site.url("/img.png"): png_info() }));
        assert_eq!(site.requests(), ["/page", "/img.png"]);

        // Reads show the same, from what was saved, fetching nothing.
        let post_id = id(&created);
        let read = get_post(&basic.client2, &post_id).await;
        assert_eq!(read["metadata"]["embeds"], created["metadata"]["embeds"]);
        assert_eq!(read["metadata"]["images"], created["metadata"]["images"]);
        let listed = newest_posts(&basic.client2, basic.channel_id()).await;
        let in_list = listed.iter().find(|p| p["id"] == post_id.as_str()).unwrap();
        assert_eq!(in_list["metadata"], read["metadata"]);
        let by_ids = basic.client.post("/posts/ids", json!([post_id])).await.expect(200);
        assert_eq!(by_ids.body[0]["metadata"]["embeds"], created["metadata"]["embeds"]);
        assert_eq!(site.requests().len(), 2);

        // An image link is an image embed; a GIF counts its frames.
        let gif = site.url("/anim.gif");
        let animated = create_post(&basic.client, basic.channel_id(), &gif).await;
        assert_eq!(animated["metadata"]["embeds"], json!([{"type": "image", "url": gif}]));
        assert_eq!(
            animated["metadata"]["images"][&gif],
            json!({"width": 8, "height": 6, "format": "gif", "frame_count": 3})
        );
        // A page without tags is a plain link; a Markdown image only has its size.
        let plain = site.url("/plain");
        let linked = create_post(&basic.client, basic.channel_id(), &plain).await;
        assert_eq!(linked["metadata"]["embeds"], json!([{"type": "link", "url": plain}]));
        let img = site.url("/img.png");
        let pictured = create_post(&basic.client, basic.channel_id(), &format!("![cat]({img})")).await;
        assert_eq!(pictured["metadata"].get("embeds"), None);
        assert_eq!(pictured["metadata"]["images"], json!({ img: png_info() }));
        // A post without links keeps an empty metadata object.
        assert_eq!(create_post(&basic.client, basic.channel_id(), "hello").await["metadata"], json!({}));
    }
);

dual_db_test!(
    async fn an_edit_previews_its_new_link(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        let created = create_post(&basic.client, basic.channel_id(), "nothing yet").await;
        let gif = site.url("/anim.gif");
        let edited = basic
            .client
            .put(&format!("/posts/{}/patch", id(&created)), json!({"message": format!("now {gif}")}))
            .await
            .expect(200)
            .body;
        assert_eq!(edited["metadata"]["embeds"], json!([{"type": "image", "url": gif}]));
        assert_eq!(get_post(&basic.client, &id(&created)).await["metadata"]["embeds"], edited["metadata"]["embeds"]);
    }
);

dual_db_test!(
    async fn settings_turn_previews_off_without_fetching(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        let page = site.url("/page");
        configure(&server, |c| c.service_settings.restrict_link_previews = "@127.0.0.1".into());
        let restricted = create_post(&basic.client, basic.channel_id(), &page).await;
        assert_eq!(restricted["metadata"], json!({}));
        configure(&server, |c| {
            c.service_settings.restrict_link_previews = String::new();
            c.service_settings.enable_link_previews = false;
        });
        let disabled = create_post(&basic.client, basic.channel_id(), &page).await;
        assert_eq!(disabled["metadata"], json!({}));
        assert_eq!(site.requests(), Vec::<String>::new());
        // A post with attachments embeds them, not its link.
        configure(&server, |c| c.service_settings.enable_link_previews = true);
        let attached = basic
            .client
            .post(
                "/posts",
                json!({"channel_id": basic.channel_id(), "message": page, "props": {"attachments": [{"text": "hi"}]}}),
            )
            .await
            .expect(201)
            .body;
        assert_eq!(attached["metadata"]["embeds"], json!([{"type": "message_attachment"}]));
        assert_eq!(site.requests(), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn client_config_tells_clients_about_the_proxy(server) {
        let basic = server.init_basic().await;
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["HasImageProxy"], "false");
        assert_eq!(config["EnableLinkPreviews"], "true");
        enable_image_proxy(&server);
        let config = basic.client.get("/config/client?format=old").await.expect(200).body;
        assert_eq!(config["HasImageProxy"], "true");
    }
);

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                (b as char).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

dual_db_test!(
    async fn a_slow_site_delays_a_post_by_the_timeout_at_most(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        configure(&server, |c| c.experimental_settings.link_metadata_timeout_milliseconds = 300);
        let slow = site.url("/slow");
        let started = std::time::Instant::now();
        let created = create_post(&basic.client, basic.channel_id(), &slow).await;
        assert!(started.elapsed() < std::time::Duration::from_secs(3));
        assert_eq!(created["metadata"]["embeds"], json!([{"type": "link", "url": slow}]));
        assert_eq!(site.requests(), ["/slow"]);
    }
);

dual_db_test!(
    async fn the_posted_and_edited_events_carry_the_preview(server) {
        let basic = server.init_basic().await;
        let site = intranet_site(&server).await;
        let token = basic.client2.token.as_deref().unwrap();
        let (mut ws, _) = utmost_testkit::ws::WsClient::connect_ready(&server, token).await;
        let page = site.url("/page");
        let created = create_post(&basic.client, basic.channel_id(), &page).await;
        let event_post = |event: Value| -> Value {
            serde_json::from_str(event["data"]["post"].as_str().unwrap()).unwrap()
        };
        let posted = event_post(ws.next_event("posted").await);
        assert_eq!(posted["metadata"]["embeds"], created["metadata"]["embeds"]);
        assert_eq!(posted["metadata"]["images"], created["metadata"]["images"]);
        let gif = site.url("/anim.gif");
        basic
            .client
            .put(&format!("/posts/{}/patch", id(&created)), json!({"message": gif}))
            .await
            .expect(200);
        let edited = event_post(ws.next_event("post_edited").await);
        assert_eq!(edited["metadata"]["embeds"], json!([{"type": "image", "url": gif}]));
    }
);

//! Outgoing fetches never reach internal addresses unless an admin allowed them: link
//! previews (`/opengraph`, posts' embeds) and the image proxy, to loopback, private,
//! link-local and metadata addresses, by literal IP, by a name that resolves to loopback,
//! and through a redirect. Each case runs a real site and shows it received no request.

use crate::links_support::{allow_internal, enable_image_proxy, get_image, opengraph, Site};
use crate::posts_support::create_post;
use serde_json::json;
use std::time::{Duration, Instant};
use utmost_testkit::dual_db_test;

/// A refusal is decided before any connection: it comes back at once.
const PROMPT: Duration = Duration::from_secs(2);

dual_db_test!(
    async fn internal_addresses_are_refused_by_every_fetch(server) {
        let basic = server.init_basic().await;
        enable_image_proxy(&server);
        let site = Site::start("127.0.0.1").await;
        let loopback_links = [
            site.url("/page"),
            site.url_as("localhost", "/page"),
            site.url_as("LOCALHOST.", "/page"),
        ];
        for link in &loopback_links {
            let og = opengraph(&basic.client, link).await.expect(200);
            assert_eq!(og.body["title"], "", "{link}");
            let created = create_post(&basic.client, basic.channel_id(), &format!("see {link}")).await;
            assert_eq!(created["metadata"]["embeds"], json!([{"type": "link", "url": link}]));
            assert_eq!(created["metadata"].get("images"), None);
            let (status, _, _) = get_image(&server, &basic.client, &site.url("/img.png")).await;
            assert_eq!(status, 403, "{link}");
        }
        // Addresses with nothing listening: refused before any connection is tried, so
        // the answer is prompt (a connection attempt to a black hole would time out).
        for internal in [
            "http://10.1.2.3/x.png",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:9/x.png",
            "http://[::ffff:127.0.0.1]:9/x.png",
            "http://0x7f000001:9/x.png",
            "http://192.168.0.1/x.png",
            "http://100.64.0.1/x.png",
        ] {
            let started = Instant::now();
            let (status, _, _) = get_image(&server, &basic.client, internal).await;
            assert_eq!(status, 403, "{internal}");
            assert_eq!(opengraph(&basic.client, internal).await.expect(200).body["title"], "");
            assert!(started.elapsed() < PROMPT, "{internal} was refused promptly");
        }
        assert_eq!(site.requests(), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn a_redirect_to_an_internal_address_is_not_followed(server) {
        let basic = server.init_basic().await;
        enable_image_proxy(&server);
        let target = Site::start("127.0.0.1").await;
        // The admin allows the redirector's address only.
        let redirector = Site::start("127.0.0.2").await;
        allow_internal(&server, "127.0.0.2");
        for path in ["/page", "/img.png"] {
            let hop = redirector.url(&format!("/redirect?to={}", target.url(path)));
            assert_eq!(opengraph(&basic.client, &hop).await.expect(200).body["title"], "");
            let (status, _, _) = get_image(&server, &basic.client, &hop).await;
            assert_eq!(status, 403);
            let by_name = redirector.url(&format!("/redirect?to={}", target.url_as("localhost", path)));
            let (status, _, _) = get_image(&server, &basic.client, &by_name).await;
            assert_eq!(status, 403);
        }
        assert!(!redirector.requests().is_empty(), "the allowed first hop was fetched");
        assert_eq!(target.requests(), Vec::<String>::new());
    }
);

dual_db_test!(
    async fn allowed_internal_addresses_are_fetched(server) {
        let basic = server.init_basic().await;
        enable_image_proxy(&server);
        let site = Site::start("127.0.0.1").await;
        // A CIDR range, a host name, and a redirect that stays inside what is allowed.
        allow_internal(&server, "127.0.0.0/30");
        let og = opengraph(&basic.client, &site.url("/page")).await.expect(200);
        assert_eq!(og.body["title"], "The Story");
        allow_internal(&server, "localhost");
        let (status, _, body) = get_image(&server, &basic.client, &site.url_as("localhost", "/img.png")).await;
        assert_eq!(status, 200);
        assert_eq!(body, crate::links_support::png(30, 20));
        allow_internal(&server, "127.0.0.1");
        let hop = site.url(&format!("/redirect?to={}", site.url("/anim.gif")));
        let (status, headers, _) = get_image(&server, &basic.client, &hop).await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "image/gif");
        assert_eq!(site.requests(), ["/page", "/img.png", "/redirect", "/anim.gif"]);
    }
);

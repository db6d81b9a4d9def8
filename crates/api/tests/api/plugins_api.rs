//! WebAssembly plugins through `/plugins`: upload, enable, disable, remove and statuses
//! with an outsider test for each; the example word filter refusing and changing posts
//! (`MessageWillBePosted`); a plugin that loops forever and one that allocates without
//! bound, stopped by their limits while the server keeps answering; bad bundles refused.

use crate::files_support::{form, send, BOUNDARY};
use crate::support::configure;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_app::plugins::{bundle, prepackaged::BUILT_MODULES_DIR};
use utmost_testkit::{dual_db_test, Client, TestServer};

fn example_module(name: &str) -> Vec<u8> {
    let wasm = std::fs::read(format!("{BUILT_MODULES_DIR}/{name}.wasm")).unwrap();
    assert!(
        !wasm.is_empty(),
        "the {name} example was not built: install the wasm32-unknown-unknown target"
    );
    wasm
}

fn wordfilter_bundle() -> Vec<u8> {
    let manifest = include_str!("../../../../plugins/wordfilter/plugin.json");
    bundle::pack(
        manifest,
        &[("server/plugin.wasm", &example_module("wordfilter"))],
    )
    .unwrap()
}

/// A bundle whose `message_will_be_posted` runs `body` (WebAssembly text) and answers nothing.
fn wat_bundle(id: &str, body: &str) -> Vec<u8> {
    let wat = format!(
        r#"(module
            (memory (export "memory") 1)
            (func (export "utmost_alloc") (param i32) (result i32) i32.const 1024)
            (func (export "utmost_free") (param i32 i32))
            (func (export "message_will_be_posted") (param i32 i32) (result i64) {body} i64.const 0))"#
    );
    let wasm = wat::parse_str(wat).unwrap();
    let manifest =
        json!({"id": id, "name": id, "version": "1.0.0", "server": {"executable": "plugin.wasm"}});
    bundle::pack(&manifest.to_string(), &[("plugin.wasm", &wasm)]).unwrap()
}

async fn upload(client: &Client, bundle: &[u8], force: bool) -> utmost_testkit::Resp {
    let force = if force { "true" } else { "false" };
    let body = form(&[("force", force)], &[("plugin", "plugin.tar.gz", bundle)]);
    send(
        client,
        "/plugins",
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body,
    )
    .await
}

fn allow_uploads(server: &TestServer) {
    configure(server, |c| c.plugin_settings.enable_uploads = true);
}

async fn state_of(client: &Client, id: &str) -> Option<i64> {
    let statuses = client.get("/plugins/statuses").await.expect(200).body;
    statuses.as_array()?.iter().find(|s| s["plugin_id"] == id)?["state"].as_i64()
}

async fn post(client: &Client, channel_id: &str, message: &str) -> utmost_testkit::Resp {
    client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": message}),
        )
        .await
}

dual_db_test!(
    async fn the_word_filter_refuses_and_changes_posts(server) {
        let basic = server.init_basic().await;
        allow_uploads(&server);
        let manifest = upload(&basic.admin, &wordfilter_bundle(), false).await.expect(201).body;
        assert_eq!(manifest["id"], "example.wordfilter");
        // Installed, not yet running: posts pass untouched.
        let listed = basic.admin.get("/plugins").await.expect(200).body;
        assert_eq!(listed["inactive"][0]["id"], "example.wordfilter");
        post(&basic.client, basic.channel_id(), "a forbidden word").await.expect(201);

        basic.admin.post("/plugins/example.wordfilter/enable", json!({})).await.expect(200);
        assert_eq!(state_of(&basic.admin, "example.wordfilter").await, Some(2));
        let listed = basic.admin.get("/plugins").await.expect(200).body;
        assert_eq!(listed["active"][0]["id"], "example.wordfilter");

        let refused = post(&basic.client, basic.channel_id(), "Another FORBIDDEN word").await.expect(400);
        assert_eq!(
            refused.body["id"],
            "Post rejected by plugin. the word \"forbidden\" is not allowed here"
        );
        let changed = post(&basic.client, basic.channel_id(), "darn it").await.expect(201).body;
        assert_eq!(changed["message"], "d**n it");
        post(&basic.client, basic.channel_id(), "all fine").await.expect(201);

        // Its setting, saved in the configuration, is what it reads next.
        configure(&server, |c| {
            let settings = json!({"blockedword": "banana"});
            c.plugin_settings.plugins.insert("example.wordfilter".into(), settings.as_object().unwrap().clone());
        });
        post(&basic.client, basic.channel_id(), "a forbidden word again").await.expect(201);
        post(&basic.client, basic.channel_id(), "banana bread").await.expect(400);

        basic.admin.post("/plugins/example.wordfilter/disable", json!({})).await.expect(200);
        assert_eq!(state_of(&basic.admin, "example.wordfilter").await, Some(0));
        post(&basic.client, basic.channel_id(), "banana bread").await.expect(201);

        // A second upload of the same id needs force.
        let again = upload(&basic.admin, &wordfilter_bundle(), false).await.expect(400);
        assert_eq!(again.body["id"], "app.plugin.install_id.app_error");
        upload(&basic.admin, &wordfilter_bundle(), true).await.expect(201);

        basic.admin.delete("/plugins/example.wordfilter").await.expect(200);
        let listed = basic.admin.get("/plugins").await.expect(200).body;
        assert_eq!(listed, json!({"active": [], "inactive": []}));
        let gone = basic.admin.delete("/plugins/example.wordfilter").await.expect(404);
        assert_eq!(gone.body["id"], "app.plugin.not_installed.app_error");
    }
);

dual_db_test!(
    async fn an_endless_loop_and_an_unbounded_allocation_are_stopped(server) {
        let basic = server.init_basic().await;
        allow_uploads(&server);
        configure(&server, |c| {
            c.plugin_settings.max_call_milliseconds = 200;
            c.plugin_settings.max_memory_mb = 8;
        });
        let looping = wat_bundle("test.loop", "(loop $forever (br $forever))");
        let greedy = wat_bundle(
            "test.greedy",
            "(loop $more (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1)))) unreachable",
        );
        for (bundle, id) in [(looping, "test.loop"), (greedy, "test.greedy")] {
            upload(&basic.admin, &bundle, false).await.expect(201);
            basic.admin.post(&format!("/plugins/{id}/enable"), json!({})).await.expect(200);
            assert_eq!(state_of(&basic.admin, id).await, Some(2));
        }
        // Each post waits for the loop's limit, then is saved as the plugins did not answer;
        // the server answers others meanwhile.
        let pinging = tokio::spawn({
            let admin = basic.admin.clone();
            async move {
                for _ in 0..5 {
                    admin.get("/system/ping").await.expect(200);
                }
            }
        });
        for i in 0..3 {
            let started = Instant::now();
            let saved = post(&basic.client, basic.channel_id(), &format!("post {i}")).await.expect(201).body;
            assert_eq!(saved["message"], format!("post {i}"));
            assert!(started.elapsed() < Duration::from_secs(10));
        }
        pinging.await.unwrap();
        // Three crashes within the hour: both are stopped, with the reason.
        let statuses = basic.admin.get("/plugins/statuses").await.expect(200).body;
        for id in ["test.loop", "test.greedy"] {
            let status = statuses.as_array().unwrap().iter().find(|s| s["plugin_id"] == id).unwrap().clone();
            assert_eq!(status["state"], 4, "{status}");
            assert_ne!(status["error"], "");
        }
        let statuses: Vec<Value> = serde_json::from_value(statuses).unwrap();
        let looped = statuses.iter().find(|s| s["plugin_id"] == "test.loop").unwrap();
        assert!(looped["error"].as_str().unwrap().contains("limit"), "{looped}");
        // Stopped plugins cost posts nothing.
        let started = Instant::now();
        post(&basic.client, basic.channel_id(), "after").await.expect(201);
        assert!(started.elapsed() < Duration::from_millis(200));
    }
);

dual_db_test!(
    async fn bad_bundles_are_refused(server) {
        let basic = server.init_basic().await;
        let refused = upload(&basic.admin, &wordfilter_bundle(), false).await.expect(501);
        assert_eq!(refused.body["id"], "app.plugin.upload_disabled.app_error");
        allow_uploads(&server);
        let garbage = upload(&basic.admin, b"not a bundle", false).await.expect(400);
        assert_eq!(garbage.body["id"], "app.plugin.extract.app_error");
        let go_plugin = bundle::pack(
            r#"{"id": "com.example.go", "version": "1.0.0", "server": {"executable": "server/dist/plugin-linux-amd64"}}"#,
            &[("server/dist/plugin-linux-amd64", b"\x7fELF")],
        )
        .unwrap();
        let native = upload(&basic.admin, &go_plugin, false).await.expect(400);
        assert_eq!(native.body["id"], "app.plugin.wasm_only.app_error");
        let bad_module = bundle::pack(
            r#"{"id": "com.example.bad", "version": "1.0.0", "server": {"executable": "p.wasm"}}"#,
            &[("p.wasm", b"\0asm-not-really")],
        )
        .unwrap();
        upload(&basic.admin, &bad_module, false).await.expect(400);
        assert_eq!(basic.admin.get("/plugins").await.expect(200).body, json!({"active": [], "inactive": []}));
        let missing = basic.admin.post("/plugins/nothing.here/enable", json!({})).await.expect(404);
        assert_eq!(missing.body["id"], "app.plugin.not_installed.app_error");
    }
);

dual_db_test!(
    async fn outsiders_may_not_manage_plugins(server) {
        let basic = server.init_basic().await;
        allow_uploads(&server);
        upload(&basic.admin, &wordfilter_bundle(), false).await.expect(201);
        upload(&basic.client, &wordfilter_bundle(), true).await.expect(403);
        basic.client.get("/plugins").await.expect(403);
        basic.client.get("/plugins/statuses").await.expect(403);
        basic.client.post("/plugins/example.wordfilter/enable", json!({})).await.expect(403);
        basic.client.post("/plugins/example.wordfilter/disable", json!({})).await.expect(403);
        basic.client.delete("/plugins/example.wordfilter").await.expect(403);
        // Nothing changed.
        assert_eq!(state_of(&basic.admin, "example.wordfilter").await, Some(0));
        let anon = server.client();
        anon.get("/plugins").await.expect(401);
        // The web app list is public, as in Mattermost.
        anon.get("/plugins/webapp").await.expect(200);
    }
);

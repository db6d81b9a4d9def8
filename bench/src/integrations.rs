//! The integrations benchmark, on SQLite, each figure next to its baseline in the same run:
//! a post through an incoming webhook (`POST /hooks/{id}`) next to a normal post (issue
//! target: within 1.5×), and a normal post while a WebAssembly plugin's
//! `MessageWillBePosted` runs (the example word filter, which reads its setting through the
//! plugin API on every post) next to the same post without it (target: ≤ 0.5 ms added).

use crate::load::{self, Stats};
use crate::load_average;
use crate::server::{Server, Target};
use anyhow::Context;
use clap::Args;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

#[derive(Args)]
pub struct IntegrationsArgs {
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Posts per measurement.
    #[arg(long, default_value_t = 2000)]
    posts: usize,
}

const MESSAGE: &str = "The quick brown fox jumps over the lazy dog, benchmark message.";

pub async fn run(binary: &Path, args: &IntegrationsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let target = Target::sqlite().await?;
    let env = [
        ("MM_PLUGINSETTINGS_ENABLEUPLOADS", "true".to_string()),
        (
            "MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS",
            "false".to_string(),
        ),
        (
            "MM_SERVICESETTINGS_ENABLEINCOMINGWEBHOOKS",
            "true".to_string(),
        ),
    ];
    let server = Arc::new(target.start(binary, &env).await?);
    let f = server.fixture().await?;
    let (token, channel) = (Arc::new(f.token), Arc::new(f.channel_id));

    let posts = |server: Arc<Server>| {
        let (token, channel) = (token.clone(), channel.clone());
        load::run(args.clients, args.posts, move |_| {
            let (s, t, c) = (server.clone(), token.clone(), channel.clone());
            async move {
                s.post(
                    Some(&t),
                    "/posts",
                    &json!({"channel_id": *c, "message": MESSAGE}),
                    201,
                )
                .await?;
                Ok(())
            }
        })
    };
    eprintln!("{} normal posts", args.posts);
    let normal = posts(server.clone()).await?;

    let hook: Value = server
        .post(
            Some(&token),
            "/hooks/incoming",
            &json!({"channel_id": *channel}),
            201,
        )
        .await?
        .json()
        .await?;
    let hook_url = format!(
        "{}/hooks/{}",
        server.url.trim_end_matches("/api/v4"),
        hook["id"].as_str().context("hook without id")?
    );
    eprintln!("{} webhook posts", args.posts);
    let s = server.clone();
    let webhook = load::run(args.clients, args.posts, move |_| {
        let (s, url) = (s.clone(), hook_url.clone());
        async move {
            let resp = s
                .http
                .post(&url)
                .json(&json!({"text": MESSAGE}))
                .send()
                .await?;
            anyhow::ensure!(resp.status() == 200, "webhook answered {}", resp.status());
            Ok(())
        }
    })
    .await?;

    install_word_filter(&server, &token).await?;
    eprintln!("{} posts through the word filter plugin", args.posts);
    let plugin = posts(server.clone()).await?;

    match Arc::into_inner(server) {
        Some(server) => server.stop().await?,
        None => anyhow::bail!("a request task outlived the run"),
    }
    target.remove().await;
    print_report(args, &normal, &webhook, &plugin, &load_before);
    Ok(())
}

/// Uploads and enables plugins/wordfilter, as built by utmost-app's build script.
async fn install_word_filter(server: &Server, token: &str) -> anyhow::Result<()> {
    let dir = utmost_app::plugins::prepackaged::BUILT_MODULES_DIR;
    let wasm = std::fs::read(format!("{dir}/wordfilter.wasm"))?;
    anyhow::ensure!(
        !wasm.is_empty(),
        "wordfilter was not built: add the wasm32-unknown-unknown target"
    );
    let manifest = include_str!("../../plugins/wordfilter/plugin.json");
    let bundle = utmost_app::plugins::bundle::pack(manifest, &[("server/plugin.wasm", &wasm)])?;
    const BOUNDARY: &str = "utmost-bench-boundary";
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"plugin\"; filename=\"p.tar.gz\"\r\n\r\n"
    )
    .into_bytes();
    body.extend(bundle);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let resp = server
        .http
        .post(format!("{}/plugins", server.url))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await?;
    anyhow::ensure!(
        resp.status() == 201,
        "plugin upload answered {}",
        resp.status()
    );
    server
        .post(
            Some(token),
            "/plugins/example.wordfilter/enable",
            &json!({}),
            200,
        )
        .await?;
    Ok(())
}

fn print_report(
    args: &IntegrationsArgs,
    normal: &Stats,
    webhook: &Stats,
    plugin: &Stats,
    load_before: &str,
) {
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "SQLite, {} concurrent clients, {} posts each, {cpus} CPUs, loopback; \
         1-minute load average {load_before} before the run, {} after.\n",
        args.clients,
        args.posts,
        load_average()
    );
    println!("| operation | per second | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for (name, s) in [
        ("create post (POST /posts, baseline)", normal),
        ("incoming webhook post (POST /hooks/{id})", webhook),
        ("create post through a MessageWillBePosted plugin", plugin),
    ] {
        println!(
            "| {name} | {:.0} | {:.2} | {:.2} |",
            s.per_second(),
            s.percentile_ms(50.0),
            s.percentile_ms(99.0)
        );
    }
    let ratio = normal.per_second() / webhook.per_second();
    println!("\nwebhook post cost vs a normal post: {ratio:.2}× (target ≤ 1.5×)");
    let added = plugin.percentile_ms(50.0) - normal.percentile_ms(50.0);
    println!("plugin's MessageWillBePosted added at p50: {added:.2} ms per post (target ≤ 0.5 ms)");
}

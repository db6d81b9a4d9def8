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

/// One operation measured one post at a time (its latency) and with `--clients` at once
/// (the server's capacity for it).
struct Measured {
    alone: Stats,
    busy: Stats,
}

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

    let posts = |what: &str| {
        eprintln!("{} {what}, alone and {} at once", args.posts, args.clients);
        let (server, token, channel) = (server.clone(), token.clone(), channel.clone());
        measure(args, move || {
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
    let normal = posts("normal posts").await?;

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
    let hook_url = Arc::new(format!(
        "{}/hooks/{}",
        server.url.trim_end_matches("/api/v4"),
        hook["id"].as_str().context("hook without id")?
    ));
    eprintln!(
        "{} webhook posts, alone and {} at once",
        args.posts, args.clients
    );
    let s = server.clone();
    let webhook = measure(args, move || {
        let (s, url) = (s.clone(), hook_url.clone());
        async move {
            let resp = s
                .http
                .post(url.as_str())
                .json(&json!({"text": MESSAGE}))
                .send()
                .await?;
            anyhow::ensure!(resp.status() == 200, "webhook answered {}", resp.status());
            Ok(())
        }
    })
    .await?;

    install_word_filter(&server, &token).await?;
    let plugin = posts("posts through the word filter plugin").await?;
    // The plugin's baseline: the same posts again with it disabled, on a database as large.
    server
        .post(
            Some(&token),
            "/plugins/example.wordfilter/disable",
            &json!({}),
            200,
        )
        .await?;
    let after = posts("normal posts after disabling the plugin").await?;

    match Arc::into_inner(server) {
        Some(server) => server.stop().await?,
        None => anyhow::bail!("a request task outlived the run"),
    }
    target.remove().await;
    print_report(args, [&normal, &webhook, &plugin, &after], &load_before);
    Ok(())
}

/// Runs `op` `--posts` times one at a time, then `--posts` times `--clients` at once.
async fn measure<F, Fut>(args: &IntegrationsArgs, op: F) -> anyhow::Result<Measured>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let alone = {
        let op = op.clone();
        load::run(1, args.posts, move |_| op()).await?
    };
    let busy = load::run(args.clients, args.posts, move |_| op()).await?;
    Ok(Measured { alone, busy })
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

fn print_report(args: &IntegrationsArgs, measured: [&Measured; 4], load_before: &str) {
    let [normal, webhook, plugin, after] = measured;
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "SQLite, {} posts per row, {cpus} CPUs, loopback; \
         1-minute load average {load_before} before the run, {} after.\n",
        args.posts,
        load_average()
    );
    println!("| operation | clients | per second | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|---:|");
    for (name, m) in [
        ("create post (POST /posts, baseline)", normal),
        ("incoming webhook post (POST /hooks/{id})", webhook),
        ("create post through a MessageWillBePosted plugin", plugin),
        (
            "create post, the plugin disabled again (its baseline)",
            after,
        ),
    ] {
        for (clients, s) in [(1, &m.alone), (args.clients, &m.busy)] {
            println!(
                "| {name} | {clients} | {:.0} | {:.2} | {:.2} |",
                s.per_second(),
                s.percentile_ms(50.0),
                s.percentile_ms(99.0)
            );
        }
    }
    let latency = webhook.alone.percentile_ms(50.0) / normal.alone.percentile_ms(50.0);
    let capacity = normal.busy.per_second() / webhook.busy.per_second();
    println!(
        "\nwebhook post vs a normal post (target ≤ 1.5×): {latency:.2}× the latency at p50 alone, \
         {capacity:.2}× the cost at {} clients (inverse ratio of posts per second)",
        args.clients
    );
    let added = plugin.alone.percentile_ms(50.0) - after.alone.percentile_ms(50.0);
    let cost = 1000.0 / plugin.busy.per_second() - 1000.0 / after.busy.per_second();
    println!(
        "MessageWillBePosted through the plugin adds (target ≤ 0.5 ms): {added:.2} ms to a \
         post's latency at p50 alone, {cost:.2} ms of the server's time per post at {} clients",
        args.clients
    );
}

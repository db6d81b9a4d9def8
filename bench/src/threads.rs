//! The collapsed-threads inbox of a user who follows many threads: the web app's two calls
//! when the Threads view opens (the first page, and the totals for the unread badges), next to
//! a page of the same user's channel posts (`GET /channels/{id}/posts`), under the same client
//! load in the same run. The target is the inbox's p99 at or under 50 ms.

use crate::load::Stats;
use crate::load_average;
use crate::requests::{take_turns, Endpoint};
use crate::server::{on_each_target, Server, Target};
use anyhow::Context;
use clap::Args;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

#[derive(Args)]
pub struct ThreadsArgs {
    /// PostgreSQL server to create a throw-away database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    /// Threads the reader follows (each a root of theirs with one reply by someone else).
    #[arg(long, default_value_t = 1000)]
    threads: usize,
    /// Concurrent clients, each with its own keep-alive connection.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Requests per endpoint, split over the rounds.
    #[arg(long, default_value_t = 6000)]
    requests: usize,
    /// The endpoints take turns this many times.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

/// Concurrent requests while the threads are set up.
const SEED_CLIENTS: usize = 8;

pub async fn run(binary: &Path, args: &ThreadsArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    println!(
        "A reader following {} threads; {} concurrent HTTP/1.1 keep-alive clients, {} requests \
         per endpoint in {} rounds; loopback; 1-minute load average {load_before} before.\n",
        args.threads, args.clients, args.requests, args.rounds
    );
    // Each report as soon as its database is measured: a run takes a while.
    on_each_target(args.postgres.as_deref(), async |target| {
        let report = measure(binary, args, target).await?;
        print_report(&format!("{:?}", target.kind), &report);
        Ok(())
    })
    .await?;
    println!("\n1-minute load average after: {}", load_average());
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &ThreadsArgs,
    target: &Target,
) -> anyhow::Result<Vec<(Arc<Endpoint>, Stats)>> {
    eprintln!("{:?}: starting {}", target.kind, binary.display());
    let server = Arc::new(target.start(binary, &[]).await?);
    let fixture = server.fixture().await?;
    let me: Value = server
        .get(&fixture.token, "/users/me")
        .await?
        .json()
        .await?;
    let channel: Value = server
        .get(&fixture.token, &format!("/channels/{}", fixture.channel_id))
        .await?
        .json()
        .await?;
    let (user_id, team_id) = (text(&me, "id")?, text(&channel, "team_id")?);
    let replier = replier(&server, &fixture.token, &team_id, &fixture.channel_id).await?;
    eprintln!("seeding {} followed threads", args.threads);
    let roots = post_all(
        &server,
        &fixture.token,
        &fixture.channel_id,
        None,
        args.threads,
    )
    .await?;
    post_all(
        &server,
        &replier,
        &fixture.channel_id,
        Some(Arc::new(roots)),
        args.threads,
    )
    .await?;

    target.analyze().await?;

    let inbox = format!("{}/users/{user_id}/teams/{team_id}/threads", server.url);
    let endpoints = [
        Endpoint {
            name: "threads inbox, first page (per_page=25, extended)",
            url: format!("{inbox}?per_page=25&extended=true"),
            token: Some(fixture.token.clone()),
        },
        Endpoint {
            name: "threads inbox, totals (totalsOnly)",
            url: format!("{inbox}?totalsOnly=true&threadsOnly=false"),
            token: Some(fixture.token.clone()),
        },
        Endpoint {
            name: "baseline: channel posts (per_page=25)",
            url: format!(
                "{}/channels/{}/posts?per_page=25",
                server.url, fixture.channel_id
            ),
            token: Some(fixture.token.clone()),
        },
    ]
    .map(Arc::new);
    let body: Value = server
        .get(
            &fixture.token,
            &format!("/users/{user_id}/teams/{team_id}/threads?totalsOnly=true"),
        )
        .await?
        .json()
        .await?;
    anyhow::ensure!(
        body["total"].as_u64() == Some(args.threads as u64),
        "the reader follows {} threads, not {}: {body}",
        body["total"],
        args.threads
    );
    take_turns(
        &server.http,
        &endpoints,
        args.clients,
        args.requests,
        args.rounds,
    )
    .await
}

/// A second team and channel member who replies to the reader's roots.
pub(crate) async fn replier(
    server: &Server,
    admin: &str,
    team_id: &str,
    channel_id: &str,
) -> anyhow::Result<String> {
    let (username, password) = ("replier", "Replier-Password-1");
    let user: Value = server
        .post(
            Some(admin),
            "/users",
            &json!({"username": username, "email": "replier@example.com", "password": password}),
            201,
        )
        .await?
        .json()
        .await?;
    let user_id = text(&user, "id")?;
    server
        .post(
            Some(admin),
            &format!("/teams/{team_id}/members"),
            &json!({"team_id": team_id, "user_id": user_id}),
            201,
        )
        .await?;
    server
        .post(
            Some(admin),
            &format!("/channels/{channel_id}/members"),
            &json!({"user_id": user_id}),
            201,
        )
        .await?;
    let login = server
        .post(
            None,
            "/users/login",
            &json!({"login_id": username, "password": password}),
            200,
        )
        .await?;
    Ok(login
        .headers()
        .get("token")
        .and_then(|v| v.to_str().ok())
        .context("login returned no Token header")?
        .to_string())
}

/// Creates `count` posts (replies to `roots` in order, when given) and returns their ids.
async fn post_all(
    server: &Arc<Server>,
    token: &str,
    channel_id: &str,
    roots: Option<Arc<Vec<String>>>,
    count: usize,
) -> anyhow::Result<Vec<String>> {
    let ids = Arc::new(std::sync::Mutex::new(vec![String::new(); count]));
    let (server2, token, channel_id, ids2) = (
        server.clone(),
        Arc::new(token.to_string()),
        Arc::new(channel_id.to_string()),
        ids.clone(),
    );
    crate::load::run(SEED_CLIENTS, count, move |n| {
        let (server, token, channel_id, roots, ids) = (
            server2.clone(),
            token.clone(),
            channel_id.clone(),
            roots.clone(),
            ids2.clone(),
        );
        async move {
            let root_id = roots.as_ref().map_or(String::new(), |r| r[n].clone());
            let post: Value = server
                .post(
                    Some(&token),
                    "/posts",
                    &json!({"channel_id": *channel_id, "root_id": root_id, "message": format!("thread {n}")}),
                    201,
                )
                .await?
                .json()
                .await?;
            let id = text(&post, "id")?;
            if let Ok(mut ids) = ids.lock() {
                ids[n] = id;
            }
            Ok(())
        }
    })
    .await?;
    let ids = std::mem::take(&mut *ids.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    Ok(ids)
}

pub(crate) fn text(v: &Value, field: &str) -> anyhow::Result<String> {
    v[field]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("no {field} in {v}"))
}

fn print_report(kind: &str, results: &[(Arc<Endpoint>, Stats)]) {
    let Some((_, baseline)) = results.last() else {
        return;
    };
    println!("{kind}:\n");
    println!("| request | count | per second | p50 ms | p99 ms | p99 vs baseline |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (e, s) in results {
        println!(
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            e.name,
            s.count,
            s.per_second(),
            s.percentile_ms(50.0),
            s.percentile_ms(99.0),
            s.percentile_ms(99.0) / baseline.percentile_ms(99.0),
        );
    }
    println!();
}

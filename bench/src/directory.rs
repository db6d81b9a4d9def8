//! `directory`: finding people and channels at 100,000 users and 100,000 channels. The
//! users (all in the team) and the team's open channels are written straight into the
//! database (`bulk`), then the searches and autocompletes the clients send as someone types
//! are measured against the release server, next to `GET /users/me` under the same load, in
//! turn over several rounds. Each request types a different prefix of a real name. The
//! issue's aim: p99 ≤ 50 ms for each.

use crate::bulk::{self, Db};
use crate::corpus::{id, name, Rng};
use crate::load::{self, Stats};
use crate::load_average;
use crate::server::{on_each_target, Server, Target};
use crate::threads::{replier, text};
use anyhow::bail;
use clap::Args;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Arc;

#[derive(Args)]
pub struct DirectoryArgs {
    /// PostgreSQL server to create a throw-away database on; PostgreSQL is skipped without it.
    #[arg(long, env = "TEST_DATABASE_URL")]
    postgres: Option<String>,
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    #[arg(long, default_value_t = 100_000)]
    channels: usize,
    /// Concurrent clients, each with its own keep-alive connection.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Requests per endpoint, split over the rounds.
    #[arg(long, default_value_t = 600)]
    requests: usize,
    /// The endpoints take turns this many times.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
}

/// First names and last names are drawn from this many distinct made-up names each.
const FIRST_NAMES: usize = 3_000;
const LAST_NAMES: usize = 20_000;

fn user(n: usize) -> bulk::User {
    let first = name(n % FIRST_NAMES);
    let last = name(FIRST_NAMES + (n * 7) % LAST_NAMES);
    bulk::User {
        id: id('u', n),
        username: format!("{}.{}{n}", first.to_lowercase(), last.to_lowercase()),
        nickname: if n.is_multiple_of(10) {
            name(n)
        } else {
            String::new()
        },
        first_name: first,
        last_name: last,
    }
}

fn channel_row(n: usize) -> bulk::Channel {
    let display_name = format!("{} {}", name(n % 5_000), name(5_000 + n / 5_000));
    bulk::Channel {
        id: id('c', n),
        name: format!("{}-{n}", display_name.to_lowercase().replace(' ', "-")),
        purpose: format!("Everything about {}", name(n % 777)).to_lowercase(),
        display_name,
    }
}

/// What someone has typed so far: 2 to 5 letters of `word`.
fn typed(word: &str, rng: &mut Rng) -> String {
    let word = word.to_lowercase();
    let keep = (2 + rng.below(4)).min(word.len());
    word[..keep].to_string()
}

/// One endpoint: its name, and the request for the n-th call.
struct Endpoint {
    name: &'static str,
    request: Box<dyn Fn(usize) -> reqwest::RequestBuilder + Send + Sync>,
}

pub async fn run(binary: &Path, args: &DirectoryArgs) -> anyhow::Result<()> {
    let load_before = load_average();
    let reports = on_each_target(args.postgres.as_deref(), async |target| {
        measure(binary, args, target).await
    })
    .await?;
    println!(
        "{} users and {} open channels in one team; {} concurrent HTTP/1.1 keep-alive clients, \
         {} requests per endpoint in {} rounds, each typing a different prefix; loopback; \
         1-minute load average {load_before} before, {} after.\n",
        args.users,
        args.channels,
        args.clients,
        args.requests,
        args.rounds,
        load_average()
    );
    for (kind, results) in &reports {
        print_report(kind, results);
    }
    Ok(())
}

async fn measure(
    binary: &Path,
    args: &DirectoryArgs,
    target: &Target,
) -> anyhow::Result<Vec<(&'static str, Stats)>> {
    eprintln!("{:?}: starting {}", target.kind, binary.display());
    let server = target.start(binary, &[]).await?;
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
    let (admin_id, team_id) = (text(&me, "id")?, text(&channel, "team_id")?);
    // The searches are a plain team member's, but for the system console's.
    let member = replier(&server, &fixture.token, &team_id, &fixture.channel_id).await?;
    server.stop().await?;

    eprintln!(
        "{:?}: writing {} users and {} channels",
        target.kind, args.users, args.channels
    );
    let db = Db::connect(target).await?;
    let users: Vec<bulk::User> = (0..args.users).map(user).collect();
    bulk::insert_users(&db, &team_id, &users, crate::search::START).await?;
    let channels: Vec<bulk::Channel> = (0..args.channels).map(channel_row).collect();
    bulk::insert_channels(&db, &team_id, &admin_id, &channels, crate::search::START).await?;
    if target.kind == crate::server::Kind::Postgres {
        db.execute("ANALYZE").await?;
    }
    db.close().await;

    let server = Arc::new(target.start(binary, &[]).await?);
    let endpoints = endpoints(
        &server,
        &fixture.token,
        &member,
        &team_id,
        &fixture.channel_id,
        args,
    );
    take_turns(endpoints, args).await
}

fn endpoints(
    server: &Arc<Server>,
    admin: &str,
    member: &str,
    team_id: &str,
    channel_id: &str,
    args: &DirectoryArgs,
) -> Vec<Endpoint> {
    let (users, channels) = (args.users, args.channels);
    // A prefix of a user's first name, last name or username; of a channel's display name.
    let user_term = move |n: usize| {
        let mut rng = Rng::new(n as u64);
        let u = user(rng.below(users));
        let word = [&u.first_name, &u.last_name, &u.username][rng.below(3)].clone();
        typed(&word, &mut rng)
    };
    let channel_term = move |n: usize| {
        let mut rng = Rng::new(n as u64);
        let c = channel_row(rng.below(channels));
        let word = c
            .display_name
            .split(' ')
            .nth(rng.below(2))
            .unwrap_or("")
            .to_string();
        typed(&word, &mut rng)
    };
    let base = server.url.clone();
    let get = {
        let http = server.http.clone();
        move |token: &str, url: String| http.get(url).bearer_auth(token)
    };
    let post = {
        let http = server.http.clone();
        move |token: &str, url: String, body: Value| http.post(url).bearer_auth(token).json(&body)
    };
    let (admin, member, team, channel) = (
        admin.to_string(),
        member.to_string(),
        team_id.to_string(),
        channel_id.to_string(),
    );
    vec![
        Endpoint {
            name: "POST /users/search (team)",
            request: Box::new({
                let (post, base, member, team) =
                    (post.clone(), base.clone(), member.clone(), team.clone());
                move |n| {
                    post(
                        &member,
                        format!("{base}/users/search"),
                        json!({"term": user_term(n), "team_id": team, "limit": 100}),
                    )
                }
            }),
        },
        Endpoint {
            name: "GET /users/autocomplete (team and channel)",
            request: Box::new({
                let (get, base, member, team, channel) = (
                    get.clone(),
                    base.clone(),
                    member.clone(),
                    team.clone(),
                    channel.clone(),
                );
                move |n| {
                    get(&member, format!(
                        "{base}/users/autocomplete?in_team={team}&in_channel={channel}&name={}&limit=25",
                        user_term(n)
                    ))
                }
            }),
        },
        Endpoint {
            name: "POST /channels/search (system console, admin)",
            request: Box::new({
                let (post, base, admin) = (post.clone(), base.clone(), admin.clone());
                move |n| {
                    post(
                        &admin,
                        format!("{base}/channels/search"),
                        json!({"term": channel_term(n), "page": 0, "per_page": 50}),
                    )
                }
            }),
        },
        Endpoint {
            name: "POST /teams/{tid}/channels/search",
            request: Box::new({
                let (post, base, member, team) =
                    (post.clone(), base.clone(), member.clone(), team.clone());
                move |n| {
                    post(
                        &member,
                        format!("{base}/teams/{team}/channels/search"),
                        json!({"term": channel_term(n)}),
                    )
                }
            }),
        },
        Endpoint {
            name: "GET /teams/{tid}/channels/autocomplete",
            request: Box::new({
                let (get, base, member, team) =
                    (get.clone(), base.clone(), member.clone(), team.clone());
                move |n| {
                    get(
                        &member,
                        format!(
                            "{base}/teams/{team}/channels/autocomplete?name={}",
                            channel_term(n)
                        ),
                    )
                }
            }),
        },
        Endpoint {
            name: "GET /teams/{tid}/channels/search_autocomplete",
            request: Box::new({
                let (get, base, member, team) =
                    (get.clone(), base.clone(), member.clone(), team.clone());
                move |n| {
                    get(
                        &member,
                        format!(
                            "{base}/teams/{team}/channels/search_autocomplete?name={}",
                            channel_term(n)
                        ),
                    )
                }
            }),
        },
        Endpoint {
            name: "baseline: GET /users/me",
            request: Box::new(move |_| get(&member, format!("{base}/users/me"))),
        },
    ]
}

/// Warms every endpoint up, then they take turns over the rounds, so a change in the
/// machine's load weighs on all alike.
async fn take_turns(
    endpoints: Vec<Endpoint>,
    args: &DirectoryArgs,
) -> anyhow::Result<Vec<(&'static str, Stats)>> {
    let endpoints: Vec<Arc<Endpoint>> = endpoints.into_iter().map(Arc::new).collect();
    for e in &endpoints {
        hammer(e, args.clients, WARM_UP, WARM_UP_FROM).await?;
    }
    let rounds = args.rounds.max(1);
    let per_round = args.requests / rounds;
    let mut measured: Vec<Vec<Stats>> = endpoints.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        eprintln!(
            "round {} of {rounds}: {per_round} requests per endpoint",
            round + 1
        );
        for (e, stats) in endpoints.iter().zip(&mut measured) {
            stats.push(hammer(e, args.clients, per_round, round * per_round).await?);
        }
    }
    Ok(endpoints
        .iter()
        .map(|e| e.name)
        .zip(measured.into_iter().map(Stats::combine))
        .collect())
}

/// Requests sent to each endpoint before measuring, with terms of their own.
const WARM_UP: usize = 40;
const WARM_UP_FROM: usize = 1_000_000;

/// Calls `first..first + count` of `endpoint` from `clients` concurrent clients; each must
/// answer 200.
async fn hammer(
    endpoint: &Arc<Endpoint>,
    clients: usize,
    count: usize,
    first: usize,
) -> anyhow::Result<Stats> {
    let endpoint = endpoint.clone();
    load::run(clients, count, move |n| {
        let request = (endpoint.request)(first + n);
        let name = endpoint.name;
        async move {
            let resp = request.send().await?;
            if resp.status() != 200 {
                bail!("{name}: expected 200, got {}", resp.status());
            }
            resp.bytes().await?;
            Ok(())
        }
    })
    .await
}

fn print_report(kind: &str, results: &[(&'static str, Stats)]) {
    let Some((_, baseline)) = results.last() else {
        return;
    };
    println!("{kind}:\n");
    println!("| request | count | per second | p50 ms | p99 ms | p99 vs baseline |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, s) in results {
        println!(
            "| {name} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            s.count,
            s.per_second(),
            s.percentile_ms(50.0),
            s.percentile_ms(99.0),
            s.percentile_ms(99.0) / baseline.percentile_ms(99.0),
        );
    }
    println!();
}

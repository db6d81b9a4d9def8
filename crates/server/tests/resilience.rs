//! A node survives its database restarting or failing over (docs/high-availability.md, "The
//! database restarting or failing over"): a real `utmost serve` on a PostgreSQL of the
//! test's own (testkit's `pg_cluster`, on free ports; the machine's server is never
//! touched), whose primary is stopped in the middle of a burst of posts and then started
//! again, or replaced by its promoted standby behind a TCP proxy (HAProxy, as an operator's
//! virtual IP or proxy would). A request caught by the outage fails whole, as a 500 in
//! Mattermost's error shape, or waits and succeeds; nothing is half-written; once the
//! database is back the same process serves again (its pool reconnects), and its
//! WebSockets, still open, carry the new posts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, id, log, Server};
use common::{DbKind, Instance};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use utmost_testkit::pg_cluster::{self, PgCluster};
use utmost_testkit::ws::WsClient;

/// What one post of the burst came to: its id when acknowledged, else the status and body.
type Outcome = Result<String, (u16, Value)>;

async fn post(url: &str, token: &str, channel_id: &str, message: &str) -> Outcome {
    let sent = reqwest::Client::new()
        .post(format!("{url}/api/v4/posts"))
        .bearer_auth(token)
        .json(&json!({"channel_id": channel_id, "message": message}))
        .timeout(Duration::from_secs(40))
        .send()
        .await;
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) => return Err((0, json!(e.to_string()))),
    };
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    match (status, body["id"].as_str()) {
        (201, Some(post_id)) => Ok(post_id.to_string()),
        _ => Err((status, body)),
    }
}

async fn scalar(url: &str, sql: &str) -> i64 {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let value: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    value
}

/// What happens to the database in the middle of the burst.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outage {
    /// The primary stops (fast shutdown) for about 3 seconds and starts again.
    Restart,
    /// The primary stops for good and the standby is promoted; the node reaches the
    /// database through a TCP proxy (HAProxy) that sends connections to whichever server
    /// answers, as an operator's virtual IP or proxy would.
    Failover,
}

/// HAProxy in TCP mode in front of the two PostgreSQL servers: the primary while it answers,
/// else the standby. Stopped on drop.
struct PgProxy {
    child: std::process::Child,
    dir: std::path::PathBuf,
    port: u16,
}

impl PgProxy {
    async fn start(pg: &PgCluster) -> PgProxy {
        let dir = std::env::temp_dir().join(format!("utmost-pgproxy-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let port = common::server::free_port();
        let cfg = format!(
            "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 1h\n    \
             timeout server 1h\n    timeout check 1s\n\
             frontend pg\n    bind 127.0.0.1:{port}\n    default_backend pg\n\
             backend pg\n    option pgsql-check user postgres\n    \
             default-server inter 300ms fall 1 rise 1 on-marked-down shutdown-sessions\n    \
             server primary 127.0.0.1:{} check\n    \
             server standby 127.0.0.1:{} check backup\n",
            pg.primary_port, pg.standby_port
        );
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, cfg).unwrap();
        let child = std::process::Command::new("/usr/sbin/haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        PgProxy { child, dir, port }
    }

    fn url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for PgProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restart_mid_burst_is_survived() {
    survives(Outage::Restart).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_failover_to_a_promoted_standby_mid_burst_is_survived() {
    survives(Outage::Failover).await;
}

async fn survives(outage: Outage) {
    if !pg_cluster::available() || !std::path::Path::new("/usr/sbin/haproxy").exists() {
        assert!(
            std::env::var("UTMOST_SKIP_DEPLOY").is_ok_and(|v| v == "1"),
            "the PostgreSQL 15 binaries or haproxy are not installed \
             (or set UTMOST_SKIP_DEPLOY=1)"
        );
        return;
    }
    let pg = Arc::new(tokio::task::spawn_blocking(PgCluster::start).await.unwrap());
    pg.create_database("utmost_outage").await;
    let proxy = match outage {
        Outage::Restart => None,
        Outage::Failover => Some(PgProxy::start(&pg).await),
    };
    let data_source = proxy.as_ref().map_or_else(
        || pg.primary_url("utmost_outage"),
        |proxy| proxy.url("utmost_outage"),
    );
    // Where the test itself reads what was stored: the server that is primary at the end.
    let database = match outage {
        Outage::Restart => pg.primary_url("utmost_outage"),
        Outage::Failover => pg.standby_url("utmost_outage"),
    };
    // A SQLite instance gives the data directory; the settings below make it PostgreSQL.
    let i = Instance::new(DbKind::Sqlite).await.unwrap().with_env(vec![
        ("MM_SQLSETTINGS_DRIVERNAME", "postgres".into()),
        ("MM_SQLSETTINGS_DATASOURCE", data_source),
        ("MM_SQLSETTINGS_MAXOPENCONNS", "10".into()),
        // How long a request waits for a database connection: shorter than the outage, so
        // requests both fail in it and wait it out.
        ("MM_SQLSETTINGS_QUERYTIMEOUT", "2".into()),
    ]);
    let server = Server::start(&i).await;
    let (token, _team, channel) = admin_team_and_channel(&server, "outage").await;
    let channel_id = id(&channel).to_string();
    let mut ws = WsClient::connect_to(&server.url, Some(&token), "").await;
    ws.next_event("hello").await;
    let count_sql =
        format!("SELECT CAST(totalmsgcount AS BIGINT) FROM channels WHERE id = '{channel_id}'");
    let counted_before = scalar(&pg.primary_url("utmost_outage"), &count_sql).await;

    // One poster, one post at a time, until told to stop.
    let acked = Arc::new(AtomicUsize::new(0));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let poster = {
        let (url, token, channel_id, acked) = (
            server.url.clone(),
            token.clone(),
            channel_id.clone(),
            acked.clone(),
        );
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            let mut n = 0;
            while !*stopped.borrow() {
                let message = format!("burst {n}");
                let outcome = post(&url, &token, &channel_id, &message).await;
                if outcome.is_ok() {
                    acked.fetch_add(1, Ordering::SeqCst);
                }
                outcomes.push((message, outcome));
                n += 1;
            }
            outcomes
        })
    };
    let wait_for = |count: usize| {
        let acked = acked.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(25);
            while acked.load(Ordering::SeqCst) < count {
                assert!(Instant::now() < deadline, "the burst stalled at {count}");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    wait_for(10).await;
    // A fast shutdown ends every session (the statements in flight fail), and for a moment
    // no connection is accepted. Then the primary starts again, or the standby is promoted
    // (meanwhile the proxy sends connections to the standby, which refuses writes).
    let restart = Instant::now();
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.stop_primary())
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(match outage {
        Outage::Restart => 3000,
        Outage::Failover => 1500,
    }))
    .await;
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || match outage {
            Outage::Restart => pg.start_primary(),
            Outage::Failover => pg.promote_standby(),
        })
        .await
        .unwrap();
    }
    let down_for = restart.elapsed();
    let acked_at_restart = acked.load(Ordering::SeqCst);
    wait_for(acked_at_restart + 10).await;
    stop.send(true).unwrap();
    let outcomes = poster.await.unwrap();

    // Each post either acknowledged or refused as Mattermost refuses: a 500 with its error
    // JSON. The process never dropped a connection.
    let mut acknowledged = HashMap::new();
    let mut refused = Vec::new();
    for (message, outcome) in &outcomes {
        match outcome {
            Ok(post_id) => {
                acknowledged.insert(post_id.clone(), message.clone());
            }
            Err((status, body)) => {
                assert_eq!(*status, 500, "{message}: {body}");
                assert_eq!(body["status_code"], 500, "{body}");
                assert!(body["id"].as_str().is_some_and(|i| !i.is_empty()), "{body}");
                assert!(body["message"].is_string(), "{body}");
                assert!(body["request_id"].is_string(), "{body}");
                refused.push(message.clone());
            }
        }
    }
    eprintln!(
        "{outage:?}: database down for {down_for:?}: {} posts acknowledged, {} refused; {:?}",
        acknowledged.len(),
        refused.len(),
        outcomes.iter().find(|(_, o)| o.is_err())
    );
    assert!(!refused.is_empty(), "a post was refused in the outage");

    // Every acknowledged post is stored, and nothing is half-written: the channel's counter
    // (written in the post's transaction) counts exactly the posts stored.
    let stored = scalar(
        &database,
        &format!(
            "SELECT COUNT(*) FROM posts WHERE channelid = '{channel_id}' AND message LIKE 'burst %'"
        ),
    )
    .await;
    for (post_id, message) in &acknowledged {
        let found = scalar(
            &database,
            &format!("SELECT COUNT(*) FROM posts WHERE id = '{post_id}' AND message = '{message}'"),
        )
        .await;
        assert_eq!(found, 1, "acknowledged {message} is not stored");
    }
    // A refused post may have committed before its answer was lost: stored whole or not at all.
    let acked_count = i64::try_from(acknowledged.len()).unwrap();
    let refused_count = i64::try_from(refused.len()).unwrap();
    assert!(
        (acked_count..=acked_count + refused_count).contains(&stored),
        "{stored} stored"
    );
    assert_eq!(
        scalar(&database, &count_sql).await - counted_before,
        stored,
        "the channel counts what is stored"
    );

    // The same process serves again, without a restart; its WebSocket, open all along,
    // carries the new posts, and a new one authenticates.
    let c = server.client(Some(&token));
    c.get("/users/me").await.expect(200);
    let after = c
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "after the restart"}),
        )
        .await
        .expect(201)
        .body;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let posted = ws.next_event("posted").await;
        let post: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
        if post["id"] == after["id"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the open socket never heard the new post"
        );
    }
    let mut fresh = WsClient::connect_to(&server.url, Some(&token), "").await;
    fresh.next_event("hello").await;
    assert!(
        !log(&i).contains("panicked"),
        "the server panicked:\n{}",
        log(&i)
    );
    server.kill();
    drop(proxy);
}

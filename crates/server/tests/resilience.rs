//! A node survives its database restarting (docs/high-availability.md, "The database
//! restarting or failing over"): a real `utmost serve` on a PostgreSQL of the test's own
//! (testkit's `pg_cluster`, on a free port; the machine's server is never touched), whose
//! primary is stopped and started again in the middle of a burst of posts. A request caught
//! by the outage fails whole, as a 500 in Mattermost's error shape, or waits and succeeds;
//! nothing is half-written; once the database is back the same process serves again (its
//! pool reconnects), and its WebSockets, still open, carry the new posts.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restart_mid_burst_is_survived() {
    if !pg_cluster::available() {
        assert!(
            std::env::var("UTMOST_SKIP_DEPLOY").is_ok_and(|v| v == "1"),
            "the PostgreSQL 15 binaries are not installed (or set UTMOST_SKIP_DEPLOY=1)"
        );
        return;
    }
    let pg = Arc::new(tokio::task::spawn_blocking(PgCluster::start).await.unwrap());
    pg.create_database("utmost_outage").await;
    let database = pg.primary_url("utmost_outage");
    // A SQLite instance gives the data directory; the settings below make it PostgreSQL.
    let i = Instance::new(DbKind::Sqlite).await.unwrap().with_env(vec![
        ("MM_SQLSETTINGS_DRIVERNAME", "postgres".into()),
        ("MM_SQLSETTINGS_DATASOURCE", database.clone()),
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
    let counted_before = scalar(&database, &count_sql).await;

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
    // The restart: a fast shutdown ends every session (the statements in flight fail), and
    // for a moment no connection is accepted.
    let restart = Instant::now();
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.stop_primary())
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(3000)).await;
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.start_primary())
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
        "database down for {down_for:?}: {} posts acknowledged, {} refused; {:?}",
        acknowledged.len(),
        refused.len(),
        outcomes.iter().find(|(_, o)| o.is_err())
    );
    assert!(
        !refused.is_empty(),
        "the outage outlasted QueryTimeout: a post was refused"
    );

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
}

//! Read replicas (`SqlSettings.DataSourceReplicas`, `store::replicas`) against a real
//! streaming hot standby: a PostgreSQL 15 primary and standby of the test's own
//! (`testkit::pg_cluster`), never the machine's PostgreSQL.

use serde_json::json;
use std::time::{Duration, Instant};
use utmost_testkit::pg_cluster::{self, PgCluster};
use utmost_testkit::{Client, DbKind, TestServer};

/// The standby serves as the replica and as the search replica: two pools, checked apart.
const POOLS: usize = 2;

fn runnable() -> bool {
    if !TestServer::postgres_available() || !pg_cluster::available() {
        eprintln!("skipping: TEST_DATABASE_URL is unset or PostgreSQL 15's binaries are missing");
        return false;
    }
    true
}

/// A server on the cluster's primary with its standby as the read replica and the search
/// replica (message search on PostgreSQL full text), checked every `interval` seconds.
async fn server_on(cluster: &PgCluster, interval: i64) -> TestServer {
    let name = format!("utmost_rr_{}", utmost_model::new_id());
    cluster.create_database(&name).await;
    let (primary, standby) = (cluster.primary_url(&name), cluster.standby_url(&name));
    TestServer::start_with(DbKind::Postgres, move |c| {
        c.sql_settings.data_source = primary;
        c.sql_settings.data_source_replicas = vec![standby.clone()];
        c.sql_settings.data_source_search_replicas = vec![standby];
        c.bleve_settings.enable_indexing = false;
        c.sql_settings.replica_monitor_interval_seconds = interval;
    })
    .await
}

async fn team_count(admin: &Client) -> i64 {
    let rows = admin.get("/analytics/old").await.expect(200).body;
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "team_count")
        .and_then(|r| r["value"].as_i64())
        .expect("a team_count row")
}

async fn create_team(admin: &Client, name: &str) -> String {
    let team = admin
        .post(
            "/teams",
            json!({"name": name, "display_name": name, "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    team["id"].as_str().unwrap().to_string()
}

async fn in_rotation_within(server: &TestServer, wanted: usize, within: Duration) -> bool {
    let started = Instant::now();
    while started.elapsed() < within {
        if server.app.store.replicas_in_rotation() == wanted {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.app.store.replicas_in_rotation() == wanted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_come_from_the_replica_and_own_writes_from_the_primary() {
    if !runnable() {
        return;
    }
    let cluster = PgCluster::start();
    // Checked once at start, then not for a minute: the replica stays in rotation below
    // even while it is paused, which shows where each read goes.
    let server = server_on(&cluster, 60).await;
    assert_eq!(
        server.app.store.replicas_in_rotation(),
        POOLS,
        "healthy at start"
    );
    let basic = server.init_basic().await;
    let admin = &basic.admin;
    let before = team_count(admin).await;

    // Replay paused on the standby: what the primary commits now is not on the replica.
    cluster.on_standby("SELECT pg_wal_replay_pause()").await;
    let team_id = create_team(admin, "unreplayed").await;
    // Read-your-own-write: the new team is there for its creator (a primary read).
    let team = admin
        .get(&format!("/teams/{team_id}"))
        .await
        .expect(200)
        .body;
    assert_eq!(team["name"], "unreplayed");
    let post = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": basic.channel_id(), "message": "mine unreplayedword"}),
        )
        .await
        .expect(201)
        .body;
    let read = basic
        .client
        .get(&format!("/posts/{}", post["id"].as_str().unwrap()))
        .await
        .expect(200)
        .body;
    assert_eq!(read["message"], "mine unreplayedword");
    // The statistics and the search are read on the replica, which has not replayed the
    // team and the post yet.
    assert_eq!(
        team_count(admin).await,
        before,
        "served by the paused replica"
    );
    let found =
        |terms: &'static str| crate::search_posts::found(&basic.client, basic.team_id(), terms);
    assert!(
        found("unreplayedword").await.is_empty(),
        "searched on the paused replica"
    );

    cluster.on_standby("SELECT pg_wal_replay_resume()").await;
    let started = Instant::now();
    while team_count(admin).await != before + 1 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the replica catches up"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(
        found("unreplayedword").await,
        vec![post["id"].as_str().unwrap().to_string()]
    );

    // A ReplicaLagSettings query, as Mattermost's docs suggest one, run on the primary: one
    // row for the standby.
    let lag = utmost_store::Store::replica_lag_query(
        &cluster.primary_url("postgres"),
        "select application_name, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) \
         from pg_stat_replication",
    )
    .await
    .unwrap();
    assert_eq!(lag.len(), 1, "{lag:?}");
    assert!(lag[0].1 >= 0.0, "{lag:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lagging_or_stopped_replica_leaves_the_rotation_and_comes_back() {
    if !runnable() {
        return;
    }
    let cluster = PgCluster::start();
    let server = server_on(&cluster, 1).await;
    assert_eq!(server.app.store.replicas_in_rotation(), POOLS);
    let basic = server.init_basic().await;
    let admin = &basic.admin;
    let before = team_count(admin).await;

    // Lagging: replay paused while the primary writes; out at the next checks, and the
    // statistics, now read on the primary, count the new team.
    cluster.on_standby("SELECT pg_wal_replay_pause()").await;
    create_team(admin, "lagging").await;
    assert!(
        in_rotation_within(&server, 0, Duration::from_secs(6)).await,
        "a replica behind the primary leaves the rotation"
    );
    assert_eq!(team_count(admin).await, before + 1, "read on the primary");
    cluster.on_standby("SELECT pg_wal_replay_resume()").await;
    assert!(
        in_rotation_within(&server, POOLS, Duration::from_secs(8)).await,
        "back once it has caught up"
    );
    assert_eq!(
        team_count(admin).await,
        before + 1,
        "the replica has the team now"
    );

    // Stopped: the reads go on, on the primary, from the first one after the stop.
    cluster.stop_standby();
    let post = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": basic.channel_id(), "message": "downword"}),
        )
        .await
        .expect(201)
        .body;
    let found = crate::search_posts::found(&basic.client, basic.team_id(), "downword").await;
    assert_eq!(
        found,
        vec![post["id"].as_str().unwrap().to_string()],
        "searched on the primary"
    );
    create_team(admin, "replica-down").await;
    assert_eq!(team_count(admin).await, before + 2);
    assert!(in_rotation_within(&server, 0, Duration::from_secs(4)).await);
    let post = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": basic.channel_id(), "message": "still here"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(post["message"], "still here");
    assert_eq!(team_count(admin).await, before + 2);

    // Started again: back in rotation.
    cluster.start_standby();
    assert!(
        in_rotation_within(&server, POOLS, Duration::from_secs(10)).await,
        "a replica back up rejoins the rotation"
    );
    assert_eq!(team_count(admin).await, before + 2);
}

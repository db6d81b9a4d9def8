//! Leader election (`app::leader`): two `utmost serve` nodes on one PostgreSQL database, one
//! leader at a time, the daily schedule run by the leader only, and the leadership handed
//! over when the leader stops or loses its database connection.

use std::time::{Duration, Instant};
use utmost_testkit::{DbKind, TestServer};

const DAY: i64 = 86_400_000;

fn postgres() -> bool {
    if !TestServer::postgres_available() {
        eprintln!("skipping: TEST_DATABASE_URL is unset");
        return false;
    }
    true
}

/// A node whose data retention runs daily at 02:00 UTC.
async fn first_node() -> TestServer {
    TestServer::start_with(DbKind::Postgres, |c| {
        c.data_retention_settings.enable_message_deletion = true;
        c.data_retention_settings.deletion_job_start_time = "02:00".into();
    })
    .await
}

async fn retention_jobs(server: &TestServer) -> usize {
    utmost_store::jobs::list(&server.app.store, &["data_retention"], None, 0, 100)
        .await
        .unwrap()
        .len()
}

/// Waits up to `within` for `done`, checking every 200 ms.
async fn eventually<F, Fut>(within: Duration, mut done: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while started.elapsed() < within {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    done().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_node_leads_and_schedules_once_then_hands_over_when_stopped() {
    if !postgres() {
        return;
    }
    let mut a = first_node().await;
    let mut b = a.start_beside(|_| {}).await;
    b.adopt_database(&mut a);
    assert!(a.app.is_leader(), "the first node takes the lock");
    assert!(!b.app.is_leader(), "the second node finds it taken");
    // Both keep trying; neither changes its mind.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(a.app.is_leader() && !b.app.is_leader());

    // A day later on both clocks, 02:00 has passed: the leader schedules one job.
    let tomorrow = utmost_model::now_millis() + DAY;
    a.app.retention_clock.set(tomorrow);
    b.app.retention_clock.set(tomorrow);
    assert!(
        eventually(Duration::from_secs(20), || async {
            retention_jobs(&a).await >= 1
        })
        .await,
        "the leader schedules the day's data retention"
    );
    // Several looks later (every 5 s on both nodes) there is still one.
    tokio::time::sleep(Duration::from_secs(12)).await;
    assert_eq!(
        retention_jobs(&a).await,
        1,
        "scheduled once, not once per node"
    );

    // The leader stops: the other node takes over within seconds and runs the schedule.
    a.stop().await;
    assert!(
        eventually(Duration::from_secs(6), || async { b.app.is_leader() }).await,
        "the second node leads once the first has stopped"
    );
    b.app.retention_clock.set(tomorrow + DAY);
    assert!(
        eventually(Duration::from_secs(20), || async {
            retention_jobs(&b).await >= 2
        })
        .await,
        "the new leader schedules the next day's data retention"
    );
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(retention_jobs(&b).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_whose_connection_is_killed_hands_over() {
    if !postgres() {
        return;
    }
    let a = first_node().await;
    let b = a.start_beside(|_| {}).await;
    assert!(a.app.is_leader() && !b.app.is_leader());
    let tomorrow = utmost_model::now_millis() + DAY;
    a.app.retention_clock.set(tomorrow);
    b.app.retention_clock.set(tomorrow);
    assert!(
        eventually(Duration::from_secs(20), || async {
            retention_jobs(&a).await == 1
        })
        .await
    );

    // The session holding the leader lock is ended from outside, as a failover or a
    // network cut would: PostgreSQL releases the lock with it.
    let url = a.app.config().sql_settings.data_source.clone();
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    let ended: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(l.pid) FROM pg_locks l \
         JOIN pg_stat_activity s ON s.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND s.datname = current_database() \
         AND s.application_name = 'utmost-leader-lock'",
    )
    .fetch_all(&admin)
    .await
    .unwrap();
    assert_eq!(ended, vec![(true,)], "one session holds the leader lock");
    assert!(
        eventually(Duration::from_secs(8), || async {
            b.app.is_leader() && !a.app.is_leader()
        })
        .await,
        "the other node leads within seconds, and the old leader knows it no longer does"
    );
    // And stays so: exactly one leader.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(b.app.is_leader() && !a.app.is_leader());
    let holders: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid \
         WHERE l.locktype = 'advisory' AND l.granted AND s.datname = current_database()",
    )
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(holders, 1);
    admin.close().await;

    // The new leader runs the schedule; the old one, still up, does not.
    a.app.retention_clock.set(tomorrow + DAY);
    b.app.retention_clock.set(tomorrow + DAY);
    assert!(
        eventually(Duration::from_secs(20), || async {
            retention_jobs(&b).await >= 2
        })
        .await
    );
    tokio::time::sleep(Duration::from_secs(8)).await;
    assert_eq!(
        retention_jobs(&b).await,
        2,
        "scheduled by the new leader only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_sqlite_node_always_leads() {
    let server = TestServer::start(DbKind::Sqlite).await;
    assert!(server.app.is_leader());
}

//! Rate limiting: the burst, then 429 with the X-RateLimit headers; off by default.

use utmost_testkit::{DbKind, TestServer};

/// With PerSec 1 and MaxBurst 2 a client gets 3 requests (the burst plus one) and then 429
/// `limit exceeded`, with the X-RateLimit headers on every answer.
async fn limits_after_the_burst(kind: DbKind) {
    let server = TestServer::start_with(kind, |c| {
        c.rate_limit_settings.enable = true;
        c.rate_limit_settings.per_sec = 1;
        c.rate_limit_settings.max_burst = 2;
    })
    .await;
    let anon = server.client();
    for expected_remaining in ["2", "1", "0"] {
        let r = anon.get("/system/ping").await.expect(200);
        assert_eq!(r.header("x-ratelimit-limit"), "3");
        assert_eq!(r.header("x-ratelimit-remaining"), expected_remaining);
        assert!(r.header("x-ratelimit-reset").parse::<u64>().is_ok());
    }
    let r = anon.get("/system/ping").await.expect(429);
    assert_eq!(r.text.trim(), "limit exceeded");
    assert!(r.header("content-type").starts_with("text/plain"));
    assert_eq!(r.header("x-ratelimit-limit"), "3");
    assert_eq!(r.header("x-ratelimit-remaining"), "0");
    let retry: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=2).contains(&retry), "retry-after {retry}");

    // The bucket refills at PerSec.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    anon.get("/system/ping").await.expect(200);
}

/// Limiting is off by default, and the headers are absent then.
async fn off_by_default(kind: DbKind) {
    let server = TestServer::start(kind).await;
    let anon = server.client();
    for _ in 0..20 {
        let r = anon.get("/system/ping").await.expect(200);
        assert_eq!(r.header("x-ratelimit-limit"), "");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_sqlite() {
    limits_after_the_burst(DbKind::Sqlite).await;
    off_by_default(DbKind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_postgres() {
    if !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    limits_after_the_burst(DbKind::Postgres).await;
    off_by_default(DbKind::Postgres).await;
}

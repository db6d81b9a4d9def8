//! Database statements per request, counted from sqlx's statement events (target
//! `sqlx::query`, one per statement run).
//!
//! On SQLite sqlx reports a statement from the connection's worker thread, where no request
//! span is current, so inside this binary, whose tests run in parallel, statements cannot be
//! told apart by request. Each measurement therefore runs in a child process of this binary
//! that runs that one test and nothing else: every statement the child runs while the
//! request is served is the request's. Transaction control is counted apart from the rest:
//! sqlx reports `COMMIT` (and `ROLLBACK`) as a statement on PostgreSQL but queues its `BEGIN`
//! unreported, and on SQLite reports neither (its worker runs them directly).

use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;
use utmost_testkit::{DbKind, TestServer};

/// Set in the child process to the name of the one test it runs.
const CHILD_ENV: &str = "UTMOST_STATEMENT_COUNT_TEST";

/// The statements sqlx reported since the last `take`.
#[derive(Clone, Default)]
struct Statements {
    seen: Arc<Mutex<Vec<String>>>,
    transaction_control: Arc<AtomicUsize>,
}

#[derive(Debug)]
struct Counted {
    /// The first words of each statement, in order.
    statements: Vec<String>,
    /// BEGIN, COMMIT and ROLLBACK.
    transaction_control: usize,
}

impl Statements {
    fn take(&self) -> Counted {
        Counted {
            statements: std::mem::take(&mut *self.seen.lock().unwrap()),
            transaction_control: self.transaction_control.swap(0, Ordering::SeqCst),
        }
    }
}

/// A statement event's `summary` (its first words) and `db.statement` (the whole text).
#[derive(Default)]
struct Summary(Option<String>, String);

impl Visit for Summary {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.0 = Some(value.to_string()),
            "db.statement" => self.1 = value.to_string(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "summary" => self.0 = Some(format!("{value:?}")),
            "db.statement" => self.1 = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut recorded = Summary::default();
        event.record(&mut recorded);
        let statement = recorded.1;
        let summary = recorded.0.unwrap_or_default();
        let first = summary.split_whitespace().next().unwrap_or("");
        if ["BEGIN", "COMMIT", "ROLLBACK"].contains(&first.to_uppercase().as_str()) {
            self.transaction_control.fetch_add(1, Ordering::SeqCst);
        } else if summary.contains("utmost_cache_epoch") {
            // The outside-writes watch's poll, every two seconds: background work of its own.
        } else if statement.contains("pg_locks") || statement.contains("pg_try_advisory_lock") {
            // The leader lock's periodic check (PostgreSQL): background work of its own too.
        } else {
            self.seen.lock().unwrap().push(summary);
        }
    }
}

/// Runs `measure` in a child process of this test binary that runs test `name` (this
/// module's) alone; in that child, counts statements and runs it.
fn alone(name: &str, kind: DbKind, measure: fn(TestServer, Statements) -> MeasureFuture) {
    if kind == DbKind::Postgres && !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    let test = format!("statements::{name}");
    if std::env::var(CHILD_ENV).ok().as_deref() == Some(test.as_str()) {
        let statements = Statements::default();
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(statements.clone()),
        )
        .expect("the child process installs the only subscriber");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            // Background work of its own would land in the count: the search indexer's reads
            // after each post, the outgoing webhooks service's look-up of the team's hooks
            // after each post (after the answer, as Mattermost does it), and the scheduled
            // posts job's periodic expiry.
            let server = TestServer::start_with(kind, |c| {
                c.bleve_settings.enable_indexing = false;
                c.service_settings.enable_outgoing_webhooks = false;
                c.service_settings.scheduled_posts = false;
            })
            .await;
            measure(server, statements).await;
        });
        return;
    }
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([test.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, &test)
        .output()
        .unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
    eprintln!("{output}");
    assert!(child.status.success(), "{test} failed in its own process");
    assert!(
        output.contains("1 passed"),
        "the child process ran {test}: {output}"
    );
}

type MeasureFuture = std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>;

/// Sends one request and returns the statements run while it was served (and shortly after,
/// so work it left behind counts too).
async fn count(statements: &Statements, request: impl std::future::Future<Output = ()>) -> Counted {
    statements.take();
    request.await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    statements.take()
}

/// A root post into a channel its author has read, with the caches warm: the channel's
/// totals, the post, the author's read state, and nothing else.
fn post_into_a_read_channel(server: TestServer, statements: Statements) -> MeasureFuture {
    Box::pin(async move {
        let basic = server.init_basic().await;
        let post = json!({"channel_id": basic.channel_id(), "message": "hello"});
        basic.client.post("/posts", post.clone()).await.expect(201);
        let counted = count(&statements, async {
            basic.client.post("/posts", post).await.expect(201);
        })
        .await;
        eprintln!("POST /posts: {counted:?}");
        assert!(counted.statements.len() <= 3, "{counted:?}");
        assert_one_transaction(&server, &counted);
    })
}

/// One transaction (sqlx reports its COMMIT on PostgreSQL only).
fn assert_one_transaction(server: &TestServer, counted: &Counted) {
    let control = usize::from(server.kind == DbKind::Postgres);
    assert_eq!(counted.transaction_control, control, "{counted:?}");
}

/// A root post mentioning two members: their mention counters and the author's read state
/// are one statement, so it costs what a post without mentions does.
fn post_with_two_mentions(server: TestServer, statements: Statements) -> MeasureFuture {
    Box::pin(async move {
        let basic = server.init_basic().await;
        let members = format!("/channels/{}/members", basic.channel_id());
        let admin_id = basic.admin_user["id"].clone();
        basic
            .client
            .post(&members, json!({"user_id": admin_id}))
            .await
            .expect(201);
        let post = json!({
            "channel_id": basic.channel_id(),
            "message": "@basicuser2 and @sysadmin, look",
        });
        basic.client.post("/posts", post.clone()).await.expect(201);
        let me = format!("/channels/{}/members/me", basic.channel_id());
        let mentioned = [&basic.client2, &basic.admin];
        let mut before = Vec::new();
        for client in mentioned {
            before.push(client.get(&me).await.expect(200).body["mention_count"].clone());
        }
        let counted = count(&statements, async {
            basic.client.post("/posts", post).await.expect(201);
        })
        .await;
        eprintln!("POST /posts with two mentions: {counted:?}");
        assert_eq!(counted.statements.len(), 3, "{counted:?}");
        assert_one_transaction(&server, &counted);
        // Each mentioned member has one mention more; the author has read everything.
        for (client, before) in mentioned.into_iter().zip(before) {
            let member = client.get(&me).await.expect(200).body;
            let expected = before.as_i64().unwrap() + 1;
            assert_eq!(member["mention_count"], expected, "{member}");
        }
        let author = basic.client.get(&me).await.expect(200).body;
        let channel = format!("/channels/{}", basic.channel_id());
        let channel = basic.client.get(&channel).await.expect(200).body;
        assert_eq!(author["mention_count"], 0, "{author}");
        assert_eq!(author["msg_count"], channel["total_msg_count"], "{author}");
    })
}

/// A reply into a thread that has its `threads` row, by an author under collapsed threads
/// (the default), who therefore does not read the channel by replying: the root's message
/// (whoever it mentions follows the thread), then in the transaction the channel's totals,
/// the root (checked and moved forward, read with its thread row), the reply, the thread
/// row, the thread memberships (one statement for the replier, the root's author and the
/// mentioned), and the followers' unread state for `thread_updated`: three more than before
/// memberships were kept. Nothing is read back.
fn reply_into_an_existing_thread(server: TestServer, statements: Statements) -> MeasureFuture {
    Box::pin(async move {
        let basic = server.init_basic().await;
        let reply = json!({
            "channel_id": basic.channel_id(),
            "root_id": basic.post["id"],
            "message": "a reply",
        });
        basic.client.post("/posts", reply.clone()).await.expect(201);
        let mut created = json!(null);
        let counted = count(&statements, async {
            created = basic.client.post("/posts", reply).await.expect(201).body;
        })
        .await;
        eprintln!("POST /posts (a reply): {counted:?}");
        assert_eq!(counted.statements.len(), 7, "{counted:?}");
        assert_one_transaction(&server, &counted);
        assert_eq!(created["reply_count"], 2, "{created}");
    })
}

/// An authenticated `GET /users/me` with the session and the user cached.
fn users_me_when_warm(server: TestServer, statements: Statements) -> MeasureFuture {
    Box::pin(async move {
        let basic = server.init_basic().await;
        basic.client.get("/users/me").await.expect(200);
        let counted = count(&statements, async {
            let me = basic.client.get("/users/me").await.expect(200);
            assert_eq!(me.body["id"], basic.user_id());
        })
        .await;
        eprintln!("GET /users/me: {counted:?}");
        assert!(counted.statements.is_empty(), "{counted:?}");
        assert_eq!(counted.transaction_control, 0, "{counted:?}");
    })
}

/// The counter sees what it should: a cold `GET /users/me` reads the session and the user.
/// A sign-in's own session is warm at once (its audit record read it), so the request goes
/// with a personal access token nothing has read yet.
fn users_me_when_cold(server: TestServer, statements: Statements) -> MeasureFuture {
    Box::pin(async move {
        let (admin_user, admin) = server.create_user(None, "cold").await;
        crate::support::configure(&server, |c| {
            c.service_settings.enable_user_access_tokens = true
        });
        let token = admin
            .post(
                &format!("/users/{}/tokens", admin_user["id"].as_str().unwrap()),
                json!({"description": "cold"}),
            )
            .await
            .expect(200)
            .body;
        let client = server.client().with_token(token["token"].as_str().unwrap());
        let counted = count(&statements, async {
            client.get("/users/me").await.expect(200);
        })
        .await;
        eprintln!("cold GET /users/me: {counted:?}");
        assert!(counted.statements.len() >= 2, "{counted:?}");
    })
}

/// A member's post refused in a read-only channel (a moderated channel under a team scheme),
/// the caches warm: the permission check under both schemes reads nothing.
fn refused_post_in_a_read_only_channel(
    server: TestServer,
    statements: Statements,
) -> MeasureFuture {
    Box::pin(async move {
        let basic = server.init_basic().await;
        let admin = &basic.admin;
        let scheme = admin
            .post(
                "/schemes",
                json!({"name": "team_scheme", "display_name": "Team", "scope": "team"}),
            )
            .await
            .expect(201)
            .body;
        admin
            .put(
                &format!("/teams/{}/scheme", basic.team_id()),
                json!({"scheme_id": scheme["id"]}),
            )
            .await
            .expect(200);
        admin
            .put(
                &format!("/channels/{}/moderations/patch", basic.channel_id()),
                json!([{"name": "create_post", "roles": {"members": false}}]),
            )
            .await
            .expect(200);
        let post = json!({"channel_id": basic.channel_id(), "message": "hello"});
        basic.client2.post("/posts", post.clone()).await.expect(403);
        let counted = count(&statements, async {
            basic.client2.post("/posts", post).await.expect(403);
        })
        .await;
        eprintln!("refused POST /posts: {counted:?}");
        assert!(counted.statements.is_empty(), "{counted:?}");
        assert_eq!(counted.transaction_control, 0, "{counted:?}");
    })
}

#[test]
fn refused_post_in_a_read_only_channel_sqlite() {
    alone(
        "refused_post_in_a_read_only_channel_sqlite",
        DbKind::Sqlite,
        refused_post_in_a_read_only_channel,
    );
}

#[test]
fn refused_post_in_a_read_only_channel_postgres() {
    alone(
        "refused_post_in_a_read_only_channel_postgres",
        DbKind::Postgres,
        refused_post_in_a_read_only_channel,
    );
}

#[test]
fn post_into_a_read_channel_sqlite() {
    alone(
        "post_into_a_read_channel_sqlite",
        DbKind::Sqlite,
        post_into_a_read_channel,
    );
}

#[test]
fn post_into_a_read_channel_postgres() {
    alone(
        "post_into_a_read_channel_postgres",
        DbKind::Postgres,
        post_into_a_read_channel,
    );
}

#[test]
fn post_with_two_mentions_sqlite() {
    alone(
        "post_with_two_mentions_sqlite",
        DbKind::Sqlite,
        post_with_two_mentions,
    );
}

#[test]
fn post_with_two_mentions_postgres() {
    alone(
        "post_with_two_mentions_postgres",
        DbKind::Postgres,
        post_with_two_mentions,
    );
}

#[test]
fn reply_into_an_existing_thread_sqlite() {
    alone(
        "reply_into_an_existing_thread_sqlite",
        DbKind::Sqlite,
        reply_into_an_existing_thread,
    );
}

#[test]
fn reply_into_an_existing_thread_postgres() {
    alone(
        "reply_into_an_existing_thread_postgres",
        DbKind::Postgres,
        reply_into_an_existing_thread,
    );
}

#[test]
fn users_me_when_warm_sqlite() {
    alone(
        "users_me_when_warm_sqlite",
        DbKind::Sqlite,
        users_me_when_warm,
    );
}

#[test]
fn users_me_when_warm_postgres() {
    alone(
        "users_me_when_warm_postgres",
        DbKind::Postgres,
        users_me_when_warm,
    );
}

#[test]
fn users_me_when_cold_sqlite() {
    alone(
        "users_me_when_cold_sqlite",
        DbKind::Sqlite,
        users_me_when_cold,
    );
}

//! ARCHITECTURE.md's "nothing is published before commit", seen from a bus subscriber: a
//! write whose transaction is rolled back publishes nothing, and a committed write publishes
//! its event once the row is visible to every other connection.

use serde_json::json;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, SqliteConnection};
use std::sync::{Arc, Mutex};
use utmost_app::bus::{BoxFuture, Event, Subscriber};
use utmost_app::App;
use utmost_testkit::{DbKind, TestServer};

/// What a subscriber heard: each event's variant, and for a new post whether another
/// connection already saw its row when the event arrived.
#[derive(Default)]
struct Recorder {
    heard: Mutex<Vec<(String, Option<bool>)>>,
}

impl Recorder {
    fn take(&self) -> Vec<(String, Option<bool>)> {
        std::mem::take(&mut *self.heard.lock().unwrap())
    }
}

impl Subscriber for Recorder {
    fn name(&self) -> &'static str {
        "test recorder"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let debug = format!("{event:?}");
            let variant = debug
                .split([' ', '{', '('])
                .next()
                .unwrap_or("")
                .to_string();
            let row_visible = match event {
                Event::PostCreated { post, .. } => Some(
                    peer_count(app, "SELECT COUNT(*) FROM posts WHERE id = $1", &post.id).await
                        == 1,
                ),
                _ => None,
            };
            self.heard.lock().unwrap().push((variant, row_visible));
        })
    }
}

/// A connection of its own to the app's database, never one of the app's pools.
enum Peer {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

async fn peer(app: &App) -> Peer {
    let config = app.config();
    let url = config.database_url();
    if config.sql_settings.driver_name == "postgres" {
        Peer::Postgres(PgConnection::connect(&url).await.unwrap())
    } else {
        let options = SqliteConnectOptions::new().filename(&url);
        Peer::Sqlite(options.connect().await.unwrap())
    }
}

pub async fn peer_count(app: &App, sql: &str, bind: &str) -> i64 {
    match peer(app).await {
        Peer::Sqlite(mut c) => sqlx::query_scalar(sql).bind(bind).fetch_one(&mut c).await,
        Peer::Postgres(mut c) => sqlx::query_scalar(sql).bind(bind).fetch_one(&mut c).await,
    }
    .unwrap()
}

pub async fn peer_execute(app: &App, sql: &str) {
    match peer(app).await {
        Peer::Sqlite(mut c) => sqlx::raw_sql(sql).execute(&mut c).await.map(drop),
        Peer::Postgres(mut c) => sqlx::raw_sql(sql).execute(&mut c).await.map(drop),
    }
    .unwrap();
}

/// Makes inserting a post with this message fail. Saving a post updates the channel's
/// totals first and inserts the post second, so the failure comes after a statement that
/// must be rolled back.
const REFUSED: &str = "refused by a trigger";

async fn refuse_posts_saying(app: &App, kind: DbKind) {
    let sql = match kind {
        DbKind::Sqlite => format!(
            "CREATE TRIGGER refuse_post BEFORE INSERT ON posts WHEN NEW.message = '{REFUSED}' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END;"
        ),
        DbKind::Postgres => format!(
            "CREATE FUNCTION refuse_post() RETURNS trigger AS $$ BEGIN \
             IF NEW.message = '{REFUSED}' THEN RAISE EXCEPTION 'refused'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_post BEFORE INSERT ON posts \
             FOR EACH ROW EXECUTE FUNCTION refuse_post();"
        ),
    };
    peer_execute(app, &sql).await;
}

async fn published_only_what_committed(kind: DbKind) {
    let recorder = Arc::new(Recorder::default());
    let server = TestServer::start_with_subscribers(kind, |_| {}, vec![recorder.clone()]).await;
    let basic = server.init_basic().await;
    let app = &server.app;
    let channel_id = basic.channel_id();
    refuse_posts_saying(app, kind).await;
    let total_sql = "SELECT totalmsgcount FROM channels WHERE id = $1";
    let total_before = peer_count(app, total_sql, channel_id).await;
    recorder.take();

    let r = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": REFUSED}),
        )
        .await;
    assert_eq!(r.status, 500, "{}", r.text);
    assert_eq!(recorder.take(), [], "a rolled-back write publishes nothing");
    assert_eq!(
        peer_count(
            app,
            "SELECT COUNT(*) FROM posts WHERE message = $1",
            REFUSED
        )
        .await,
        0
    );
    assert_eq!(
        peer_count(app, total_sql, channel_id).await,
        total_before,
        "the channel's totals, written first, were rolled back"
    );

    let post = basic
        .client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "committed"}),
        )
        .await
        .expect(201)
        .body;
    assert_eq!(
        recorder.take(),
        [("PostCreated".to_string(), Some(true))],
        "one event, heard when the row was already committed"
    );
    assert_eq!(
        peer_count(
            app,
            "SELECT COUNT(*) FROM posts WHERE id = $1",
            post["id"].as_str().unwrap()
        )
        .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    published_only_what_committed(DbKind::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    if !TestServer::postgres_available() {
        eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
        return;
    }
    published_only_what_committed(DbKind::Postgres).await;
}

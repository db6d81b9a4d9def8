use crate::Client;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::oneshot;
use utmost_app::bus::Subscriber;
use utmost_app::App;
use utmost_config::{Config, LoadOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A running server with its own database and data directory, stopped and removed on drop.
pub struct TestServer {
    pub url: String,
    pub app: Arc<App>,
    pub kind: DbKind,
    dir: PathBuf,
    pg_database: Option<String>,
    stop: Option<oneshot::Sender<()>>,
}

impl TestServer {
    pub fn postgres_available() -> bool {
        std::env::var("TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty())
    }

    /// Starts a server with test defaults (developer mode on so errors carry their cause).
    pub async fn start(kind: DbKind) -> Self {
        Self::start_with(kind, |_| {}).await
    }

    /// Starts a server after `adjust` has changed the test configuration.
    pub async fn start_with(kind: DbKind, adjust: impl FnOnce(&mut Config)) -> Self {
        Self::start_with_subscribers(kind, adjust, Vec::new()).await
    }

    /// Like `start_with`, with extra bus subscribers (a test records what is published).
    pub async fn start_with_subscribers(
        kind: DbKind,
        adjust: impl FnOnce(&mut Config),
        subscribers: Vec<Arc<dyn Subscriber>>,
    ) -> Self {
        let dir = std::env::temp_dir().join(format!("utmost-test-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).expect("create test dir");
        let mut config = Config::load(LoadOptions::default())
            .expect("default config")
            .config;
        config.service_settings.listen_address = "127.0.0.1:0".into();
        config.service_settings.enable_developer = true;
        config.file_settings.directory = dir.join("data").to_string_lossy().into_owned();
        config.log_settings.enable_console = false;
        // Compiling the shipped polls plugin would cost every test server a second of CPU;
        // the tests of plugins turn it on (`start_with`).
        config.plugin_settings.automatic_prepackaged_plugins = false;
        let pg_database = match kind {
            DbKind::Sqlite => {
                config.sql_settings.driver_name = "sqlite".into();
                config.sql_settings.data_source =
                    dir.join("utmost.db").to_string_lossy().into_owned();
                None
            }
            DbKind::Postgres => {
                let (name, url) = create_pg_database().await;
                config.sql_settings.driver_name = "postgres".into();
                config.sql_settings.data_source = url;
                config.sql_settings.max_open_conns = 10;
                Some(name)
            }
        };
        adjust(&mut config);
        let app = App::start_with_subscribers(config, subscribers)
            .await
            .expect("start app");
        Self::serve(app, kind, dir, pg_database).await
    }

    /// Serves `app` on a free loopback port until the server is dropped or stopped.
    async fn serve(app: Arc<App>, kind: DbKind, dir: PathBuf, pg_database: Option<String>) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let served = app.clone();
        tokio::spawn(async move {
            let _ = utmost_api::serve(served, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            url,
            app,
            kind,
            dir,
            pg_database,
            stop: Some(stop),
        }
    }

    /// Starts a server the way `utmost serve --config <location>` does: the configuration
    /// loaded from `location` (a config file or a database DSN) with `env` (`MM_*`) and
    /// `overrides` (`--set`) over it, and that store attached, so saves go back to it. The
    /// caller owns the file, database and directories (a restart reuses them).
    pub async fn start_from_config(
        kind: DbKind,
        location: &str,
        env: Vec<(String, String)>,
        overrides: Vec<(String, String)>,
    ) -> Self {
        // As `start_with`, unless the test sets it: the shipped plugin is not compiled.
        let mut overrides = overrides;
        let plugins = "PluginSettings.AutomaticPrepackagedPlugins";
        if !overrides.iter().any(|(k, _)| k == plugins) {
            overrides.push((plugins.into(), "false".into()));
        }
        let (store, loaded) =
            utmost_app::config_store::ConfigStore::open(Some(location), env, overrides)
                .await
                .expect("open the configuration");
        let app = App::start(loaded.config).await.expect("start app");
        app.attach_config_store(store);
        // Nothing of the caller's is removed on drop.
        let dir = std::env::temp_dir().join(format!("utmost-unused-{}", utmost_model::new_id()));
        Self::serve(app, kind, dir, None).await
    }

    /// Stops serving and shuts the app down (its services and database), so another server
    /// can start on the same configuration, database and directories.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.app.shutdown().await;
    }

    /// A client with no session.
    pub fn client(&self) -> Client {
        Client::new(&self.url)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_database.take() {
            // Drop runs outside any runtime guarantee, so the cleanup gets its own.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_pg_database(&name));
                }
            })
            .join();
        }
    }
}

fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL")
}

/// The URL of database `name` on the server of `TEST_DATABASE_URL`.
fn database_url(name: &str) -> String {
    let admin = admin_url();
    let (base, query) = admin.split_once('?').unwrap_or((&admin, ""));
    let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
    if query.is_empty() {
        format!("{prefix}/{name}")
    } else {
        format!("{prefix}/{name}?{query}")
    }
}

/// A fresh database with every migration applied: a copy of the migrated template.
async fn create_pg_database() -> (String, String) {
    let name = format!("utmost_test_{}", utmost_model::new_id());
    let pool = sqlx::PgPool::connect(&admin_url())
        .await
        .expect("connect to TEST_DATABASE_URL");
    let template = migrated_template(&pool).await;
    sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
        .execute(&pool)
        .await
        .expect("create test database");
    pool.close().await;
    let url = database_url(&name);
    (name, url)
}

/// The name of a database with every PostgreSQL migration applied, made once per set of
/// migrations (the name carries their hash) by whichever test process comes first, under an
/// advisory lock the others wait on. Copying it is a file copy; migrating each test's
/// database ran hundreds of statements and took most of a PostgreSQL test's start.
async fn migrated_template(admin: &sqlx::PgPool) -> String {
    const LOCK: i64 = 0x7574_6d6f_7374; // "utmost"
    let name = format!("utmost_template_{}", migrations_hash());
    let mut conn = admin.acquire().await.expect("connect to TEST_DATABASE_URL");
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(LOCK)
        .execute(&mut *conn)
        .await
        .expect("lock the template");
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut *conn)
        .await
        .expect("look the template up");
    if exists.is_none() {
        // Built under another name and renamed when complete, so no test copies half of it.
        let building = format!("{name}_building");
        for sql in [
            format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            format!("CREATE DATABASE {building}"),
        ] {
            sqlx::query(&sql).execute(&mut *conn).await.expect(&sql);
        }
        let store = utmost_store::Store::connect(&utmost_store::StoreOptions {
            driver: "postgres".into(),
            data_source: database_url(&building),
            max_connections: 2,
            query_timeout: std::time::Duration::from_secs(60),
        })
        .await
        .expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        store.close().await;
        rename_when_unused(&mut conn, &building, &name).await;
    }
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(LOCK)
        .execute(&mut *conn)
        .await
        .expect("unlock the template");
    name
}

/// Renames `from` to `to`. A closed pool's server processes end a moment after it closed,
/// and until then PostgreSQL refuses the rename (55006), so they are ended and it tries again.
async fn rename_when_unused(conn: &mut sqlx::PgConnection, from: &str, to: &str) {
    let rename = format!("ALTER DATABASE {from} RENAME TO {to}");
    for _ in 0..50 {
        match sqlx::query(&rename).execute(&mut *conn).await {
            Ok(_) => return,
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("55006") => {
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                     WHERE datname = $1 AND pid <> pg_backend_pid()",
                )
                .bind(from)
                .execute(&mut *conn)
                .await
                .expect("end the template's other sessions");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{rename}: {e}"),
        }
    }
    panic!("{rename}: the database stayed in use");
}

/// A short hash of the PostgreSQL migrations' files, names and contents.
fn migrations_hash() -> String {
    use sha2::{Digest, Sha256};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the store's migrations")
        .map(|e| e.expect("a migration").path())
        .collect();
    files.sort();
    let mut hash = Sha256::new();
    for file in files {
        hash.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        hash.update(std::fs::read(&file).expect("read a migration"));
    }
    hex::encode(&hash.finalize()[..8])
}

async fn drop_pg_database(name: &str) {
    if let Ok(pool) = sqlx::PgPool::connect(&admin_url()).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&pool)
            .await;
        pool.close().await;
    }
}

/// Several servers in one cluster: each its own app (node) on its own port, all on one fresh
/// PostgreSQL database (which also holds the configuration, as in Mattermost's high
/// availability) and one Redis. `ClusterName` is unique per cluster, so clusters of tests
/// running at once on the same Redis never hear each other.
pub struct TestCluster {
    pub nodes: Vec<TestServer>,
    /// The database's DSN, which is also the configuration's location.
    pub dsn: String,
    pub cluster_name: String,
    /// The settings every node was started with (`--set` style), for `start_node`.
    overrides: Vec<(String, String)>,
    dir: PathBuf,
    pg_database: Option<String>,
}

impl TestCluster {
    /// Starts `nodes` nodes on the Redis at `redis_address` (`host:port`).
    pub async fn start(nodes: usize, redis_address: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("utmost-cluster-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).expect("create the cluster's dir");
        let (name, dsn) = create_pg_database().await;
        let cluster_name = format!("test-{}", utmost_model::new_id());
        let set = |k: &str, v: &str| (k.to_string(), v.to_string());
        let overrides = vec![
            set("SqlSettings.DriverName", "postgres"),
            set("SqlSettings.DataSource", &dsn),
            set("SqlSettings.MaxOpenConns", "5"),
            set("ClusterSettings.Enable", "true"),
            set("ClusterSettings.ClusterName", &cluster_name),
            set("CacheSettings.CacheType", "redis"),
            set("CacheSettings.RedisAddress", redis_address),
            set("CacheSettings.RedisDB", "0"),
            set("ServiceSettings.ListenAddress", "127.0.0.1:0"),
            set("ServiceSettings.EnableDeveloper", "true"),
            set(
                "FileSettings.Directory",
                &dir.join("data").to_string_lossy(),
            ),
            set("LogSettings.EnableConsole", "false"),
            set("LogSettings.EnableFile", "false"),
            // As `start_with`: compiling the shipped plugin would cost every node seconds.
            set("PluginSettings.AutomaticPrepackagedPlugins", "false"),
        ];
        let mut cluster = TestCluster {
            nodes: Vec::new(),
            dsn,
            cluster_name,
            overrides,
            dir,
            pg_database: Some(name),
        };
        for _ in 0..nodes {
            let node = cluster.start_node().await;
            cluster.nodes.push(node);
        }
        cluster
    }

    /// Starts one more node of this cluster (not added to `nodes`).
    pub async fn start_node(&self) -> TestServer {
        let (store, loaded) = utmost_app::config_store::ConfigStore::open(
            Some(self.dsn.as_str()),
            Vec::new(),
            self.overrides.clone(),
        )
        .await
        .expect("open the cluster's configuration");
        let app = App::start(loaded.config).await.expect("start a node");
        app.attach_config_store(store);
        let dir = std::env::temp_dir().join(format!("utmost-unused-{}", utmost_model::new_id()));
        TestServer::serve(app, DbKind::Postgres, dir, None).await
    }

    /// Waits until every node has subscribed to the others' events (each drops its caches
    /// once when its subscription begins) and heard every other node (so their publishers
    /// reach it too: a node that has just reconnected may not publish yet), at most 10 s.
    pub async fn wait_until_subscribed(&self) {
        let others = self.nodes.len().saturating_sub(1);
        for _ in 0..200 {
            if self
                .nodes
                .iter()
                .all(|n| n.app.cluster_resyncs() > 0 && n.app.cluster_peers_heard() >= others)
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the nodes did not subscribe to Redis and hear each other within 10 s");
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        for node in self.nodes.drain(..) {
            drop(node);
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(name) = self.pg_database.take() {
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(drop_pg_database(&name));
                }
            })
            .join();
        }
    }
}

impl TestServer {
    /// Another node of the same installation: a server on `self`'s configuration (the same
    /// database and file store) after `adjust`, as a second `utmost serve` of a cluster.
    /// The database stays `self`'s: dropping the new server leaves it.
    pub async fn start_beside(&self, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = (*self.app.config()).clone();
        adjust(&mut config);
        let app = App::start(config).await.expect("start app");
        let dir = std::env::temp_dir().join(format!("utmost-unused-{}", utmost_model::new_id()));
        Self::serve(app, self.kind, dir, None).await
    }
}

impl TestServer {
    /// Makes `self` the one that drops `other`'s database, so `other` (another node on it)
    /// can stop first while `self` goes on using it.
    pub fn adopt_database(&mut self, other: &mut TestServer) {
        if self.pg_database.is_none() {
            self.pg_database = other.pg_database.take();
        }
    }
}

impl TestServer {
    /// Restarts the server as a new process would: stops serving and shuts the app down
    /// (its services, then the database; on PostgreSQL it lets the leader lock go), then
    /// starts a new app on the same configuration after `adjust`, the same database and
    /// directory, served at the same address so every client goes on working.
    pub async fn restart_with(mut self, adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = (*self.app.config()).clone();
        adjust(&mut config);
        let addr = self.url.trim_start_matches("http://").to_string();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.app.shutdown().await;
        let app = App::start(config).await.expect("restart app");
        // The old listener closes once its connections have; until then the port is taken.
        let mut listener = None;
        for _ in 0..100 {
            match tokio::net::TcpListener::bind(&addr).await {
                Ok(l) => {
                    listener = Some(l);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
        let listener = listener.expect("bind the restarted server's address");
        let (stop, stopped) = oneshot::channel::<()>();
        let served = app.clone();
        tokio::spawn(async move {
            let _ = utmost_api::serve(served, listener, async {
                let _ = stopped.await;
            })
            .await;
        });
        TestServer {
            url: std::mem::take(&mut self.url),
            app,
            kind: self.kind,
            dir: std::mem::take(&mut self.dir),
            pg_database: self.pg_database.take(),
            stop: Some(stop),
        }
    }
}

//! The server under test: the release `utmost serve` on a fresh data directory and database,
//! on a loopback port, with logging down to errors so it does not cost throughput.

use anyhow::{bail, Context};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// Where one run keeps its data: a temp directory and a SQLite file or a PostgreSQL database.
pub struct Target {
    pub kind: Kind,
    pub dir: PathBuf,
    /// SQLite file path or PostgreSQL URL.
    pub database: String,
    pg_admin: Option<(String, String)>,
}

/// Runs `measure` on a fresh SQLite target, then on a fresh PostgreSQL one when `postgres`
/// names a server, removing each target after its run; the reports, by database.
pub async fn on_each_target<R>(
    postgres: Option<&str>,
    mut measure: impl AsyncFnMut(&Target) -> anyhow::Result<R>,
) -> anyhow::Result<Vec<(String, R)>> {
    let mut targets = vec![Target::sqlite().await?];
    match postgres {
        Some(url) => targets.push(Target::postgres(url).await?),
        None => eprintln!("PostgreSQL skipped: pass --postgres or set TEST_DATABASE_URL"),
    }
    let mut reports = Vec::new();
    for target in targets {
        let kind = format!("{:?}", target.kind);
        let result = measure(&target).await;
        target.remove().await;
        reports.push((kind, result?));
    }
    Ok(reports)
}

impl Target {
    pub async fn sqlite() -> anyhow::Result<Self> {
        let dir = temp_dir()?;
        let database = dir.join("utmost.db").to_string_lossy().into_owned();
        Ok(Self {
            kind: Kind::Sqlite,
            dir,
            database,
            pg_admin: None,
        })
    }

    /// A fresh database on the server `admin_url` points at.
    pub async fn postgres(admin_url: &str) -> anyhow::Result<Self> {
        let name = format!("utmost_bench_{}", uuid::Uuid::new_v4().simple());
        let pool = sqlx::PgPool::connect(admin_url)
            .await
            .context("connecting to the PostgreSQL admin URL")?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&pool)
            .await?;
        pool.close().await;
        let database = database_url(admin_url, &name);
        Ok(Self {
            kind: Kind::Postgres,
            dir: temp_dir()?,
            database,
            pg_admin: Some((admin_url.to_string(), name)),
        })
    }

    /// Starts the server; `env` adds or overrides `MM_*` settings.
    pub async fn start(&self, binary: &Path, env: &[(&str, String)]) -> anyhow::Result<Server> {
        self.start_logged(binary, env, "server.log").await
    }

    /// Starts a server that logs to `log_name` in the data directory (several servers on one
    /// target, as the nodes of a cluster, each need their own).
    pub async fn start_logged(
        &self,
        binary: &Path,
        env: &[(&str, String)],
        log_name: &str,
    ) -> anyhow::Result<Server> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let log = std::fs::File::create(self.dir.join(log_name))?;
        let child = self
            .command(binary)
            .arg("serve")
            .env(
                "MM_SERVICESETTINGS_LISTENADDRESS",
                format!("127.0.0.1:{port}"),
            )
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let mut server = Server {
            child,
            url: format!("http://127.0.0.1:{port}/api/v4"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
        };
        server.wait_ready(&self.dir.join(log_name)).await?;
        Ok(server)
    }

    /// Refreshes the query planner's statistics after seeding, as a running server's would be:
    /// PostgreSQL's autovacuum analyses a freshly filled table only after its next nap (a
    /// minute), and until then plans as if the table were empty (a page of posts walked the
    /// whole `deleteat` index, 100 ms under load); the server runs SQLite's `PRAGMA optimize`
    /// at start (on empty tables in a benchmark) and then hourly.
    pub async fn analyze(&self) -> anyhow::Result<()> {
        match self.kind {
            Kind::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database).await?;
                sqlx::query("ANALYZE").execute(&pool).await?;
                pool.close().await;
            }
            Kind::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database).await?;
                sqlx::query("PRAGMA optimize=0x10002")
                    .execute(&pool)
                    .await?;
                pool.close().await;
            }
        }
        Ok(())
    }

    /// The `utmost` binary set up for this target's data directory and database, logging
    /// errors only; add the subcommand.
    pub fn command(&self, binary: &Path) -> Command {
        let driver = match self.kind {
            Kind::Sqlite => "sqlite",
            Kind::Postgres => "postgres",
        };
        let mut command = Command::new(binary);
        command
            .env("MM_FILESETTINGS_DIRECTORY", self.dir.join("data"))
            .env("MM_SQLSETTINGS_DRIVERNAME", driver)
            .env("MM_SQLSETTINGS_DATASOURCE", &self.database)
            .env("MM_LOGSETTINGS_CONSOLELEVEL", "ERROR")
            .env("MM_RATELIMITSETTINGS_ENABLE", "false");
        command
    }

    /// A target that outlives the run, for data worth keeping between runs: a SQLite file in
    /// `dir`, or the PostgreSQL database `name` (created when missing). Never `remove` it.
    pub async fn kept(
        kind: Kind,
        dir: &Path,
        postgres: Option<(&str, &str)>,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let database = match (kind, postgres) {
            (Kind::Sqlite, _) => dir.join("utmost.db").to_string_lossy().into_owned(),
            (Kind::Postgres, Some((admin_url, name))) => {
                let pool = sqlx::PgPool::connect(admin_url)
                    .await
                    .context("connecting to the PostgreSQL admin URL")?;
                let exists: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
                )
                .bind(name)
                .fetch_one(&pool)
                .await?;
                if !exists {
                    sqlx::query(&format!("CREATE DATABASE {name}"))
                        .execute(&pool)
                        .await?;
                }
                pool.close().await;
                database_url(admin_url, name)
            }
            (Kind::Postgres, None) => bail!("a kept PostgreSQL target needs a server URL"),
        };
        Ok(Self {
            kind,
            dir: dir.to_path_buf(),
            database,
            pg_admin: None,
        })
    }

    pub async fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((admin, name)) = &self.pg_admin {
            if let Ok(pool) = sqlx::PgPool::connect(admin).await {
                let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&pool)
                    .await;
                pool.close().await;
            }
        }
    }
}

/// `admin_url` with its database name replaced by `name`.
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = admin_url.split_once('?').unwrap_or((admin_url, ""));
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    if query.is_empty() {
        format!("{prefix}/{name}")
    } else {
        format!("{prefix}/{name}?{query}")
    }
}

fn temp_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("utmost-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

pub struct Server {
    child: Child,
    pub url: String,
    pub http: reqwest::Client,
}

/// The first user's username (a system admin); its password is `PASSWORD`.
pub const USERNAME: &str = "bench";
const PASSWORD: &str = "Bench-Password-1";

/// What the benchmark posts into: a logged-in admin, a team and a channel.
pub struct Fixture {
    pub token: String,
    pub channel_id: String,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    async fn wait_ready(&mut self, log: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                let log = std::fs::read_to_string(log).unwrap_or_default();
                bail!("the server exited with {status}:\n{log}");
            }
            if self
                .http
                .get(format!("{}/system/ping", self.url))
                .send()
                .await
                .is_ok()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("the server did not answer within 60 s")
    }

    /// POSTs JSON and returns the response if its status is `expected`.
    pub async fn post(
        &self,
        token: Option<&str>,
        path: &str,
        body: &Value,
        expected: u16,
    ) -> anyhow::Result<reqwest::Response> {
        let mut req = self.http.post(format!("{}{path}", self.url)).json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await?;
        check(resp, expected, path).await
    }

    pub async fn get(&self, token: &str, path: &str) -> anyhow::Result<reqwest::Response> {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await?;
        check(resp, 200, path).await
    }

    /// Logs the first user in: its session token.
    pub async fn login(&self) -> anyhow::Result<String> {
        let login = self
            .post(
                None,
                "/users/login",
                &json!({"login_id": USERNAME, "password": PASSWORD}),
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

    pub async fn fixture(&self) -> anyhow::Result<Fixture> {
        self.post(
            None,
            "/users",
            &json!({"username": USERNAME, "email": "bench@example.com", "password": PASSWORD}),
            201,
        )
        .await?;
        let token = self.login().await?;
        let team: Value = self
            .post(
                Some(&token),
                "/teams",
                &json!({"name": "bench", "display_name": "Bench", "type": "O"}),
                201,
            )
            .await?
            .json()
            .await?;
        let channel: Value = self
            .post(
                Some(&token),
                "/channels",
                &json!({"team_id": team["id"], "name": "bench", "display_name": "Bench", "type": "O"}),
                201,
            )
            .await?
            .json()
            .await?;
        Ok(Fixture {
            token,
            channel_id: channel["id"]
                .as_str()
                .context("channel without id")?
                .to_string(),
        })
    }

    /// Stops the server with SIGTERM (the baseline then has the database to itself).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A benchmark that fails half-way must not leave a server behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

async fn check(
    resp: reqwest::Response,
    expected: u16,
    path: &str,
) -> anyhow::Result<reqwest::Response> {
    if resp.status().as_u16() == expected {
        return Ok(resp);
    }
    let status = resp.status();
    let body = resp.text().await.unwrap_or_default();
    bail!("{path}: expected {expected}, got {status}: {body}")
}

//! What the binary's tests share: a throw-away data directory and database (SQLite, or a fresh
//! PostgreSQL database on the server of `TEST_DATABASE_URL`) and the `utmost` command set up
//! to use them through `MM_*` variables, as an operator would.

#![allow(dead_code)] // each test binary uses its own part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub mod server;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A data directory and database, removed on drop.
pub struct Instance {
    pub dir: PathBuf,
    pub kind: DbKind,
    env: Vec<(&'static str, String)>,
    pg_database: Option<String>,
}

impl Instance {
    /// A fresh instance, or None (with a message) for PostgreSQL when TEST_DATABASE_URL is unset.
    pub async fn new(kind: DbKind) -> Option<Self> {
        let dir = std::env::temp_dir().join(format!("utmost-bin-test-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut env = vec![
            (
                "MM_FILESETTINGS_DIRECTORY",
                dir.join("data").to_string_lossy().into_owned(),
            ),
            // Compiling the shipped polls plugin costs a debug server seconds of CPU at every
            // start; tests of a deployment as shipped turn it back on (`with_shipped_plugins`).
            (
                "MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS",
                "false".into(),
            ),
        ];
        let pg_database = match kind {
            DbKind::Sqlite => {
                env.push(("MM_SQLSETTINGS_DRIVERNAME", "sqlite".into()));
                None
            }
            DbKind::Postgres => {
                let Some(admin) = pg_admin_url() else {
                    eprintln!("skipping the PostgreSQL variant: TEST_DATABASE_URL is unset");
                    return None;
                };
                let name = format!("utmost_bin_test_{}", utmost_model::new_id());
                let pool = sqlx::PgPool::connect(&admin).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&pool)
                    .await
                    .unwrap();
                pool.close().await;
                env.push(("MM_SQLSETTINGS_DRIVERNAME", "postgres".into()));
                env.push(("MM_SQLSETTINGS_DATASOURCE", database_url(&admin, &name)));
                env.push(("MM_SQLSETTINGS_MAXOPENCONNS", "10".into()));
                Some(name)
            }
        };
        Some(Self {
            dir,
            kind,
            env,
            pg_database,
        })
    }

    /// This instance with the shipped plugins installed at start, as a real installation has.
    pub fn with_shipped_plugins(self) -> Self {
        self.with_env(vec![(
            "MM_PLUGINSETTINGS_AUTOMATICPREPACKAGEDPLUGINS",
            "true".into(),
        )])
    }

    /// This instance with more settings as `MM_*` variables (a later one wins).
    pub fn with_env(mut self, vars: Vec<(&'static str, String)>) -> Self {
        self.env.extend(vars);
        self
    }

    /// `utmost <args>` against this instance, with no config file and no stray MM_* settings.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_of(Path::new(env!("CARGO_BIN_EXE_utmost")), args)
    }

    /// `<program> <args>` against this instance, as [`Instance::command`]: another build of
    /// `utmost` (the previous release's, tests/upgrade.rs).
    pub fn command_of(&self, program: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        for (var, _) in std::env::vars_os() {
            if var
                .to_string_lossy()
                .to_ascii_uppercase()
                .starts_with("MM_")
            {
                cmd.env_remove(var);
            }
        }
        cmd.env_remove("UTMOST_CONFIG")
            .env_remove("RUST_LOG")
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .args(args);
        cmd
    }

    /// Runs `utmost <args>` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Runs a `SELECT CAST(COUNT(*) AS BIGINT) …` straight on the database, to check what a
    /// command did or did not write.
    pub async fn count(&self, sql: &str) -> i64 {
        let text = self.column(&format!("SELECT CAST(({sql}) AS TEXT)")).await;
        text[0].parse().unwrap()
    }

    /// The first column of every row of a query whose first column is text, run straight on
    /// the database.
    pub async fn column(&self, sql: &str) -> Vec<String> {
        match self.kind {
            DbKind::Sqlite => {
                let path = self.dir.join("data").join("utmost.db");
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path)
                    .read_only(true);
                let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
                let rows = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows
            }
            DbKind::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url()).await.unwrap();
                let rows = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
                pool.close().await;
                rows
            }
        }
    }

    /// Runs one statement straight on the database (a state no command makes, such as a
    /// Mattermost-enrolled MFA secret).
    pub async fn execute(&self, sql: &str) {
        match self.kind {
            DbKind::Sqlite => {
                let path = self.dir.join("data").join("utmost.db");
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
                let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            DbKind::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url()).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
        }
    }

    /// The PostgreSQL database's URL (PostgreSQL instances only).
    pub fn database_url(&self) -> String {
        self.env
            .iter()
            .find(|(k, _)| *k == "MM_SQLSETTINGS_DATASOURCE")
            .map(|(_, v)| v.clone())
            .unwrap()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        let (Some(name), Some(admin)) = (self.pg_database.take(), pg_admin_url()) else {
            return;
        };
        // Drop may run inside a runtime, so the cleanup gets a thread and a runtime of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                    let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&pool)
                        .await;
                    pool.close().await;
                }
            });
        })
        .join();
    }
}

fn pg_admin_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// The URL of database `name` on the server `admin` points at.
fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').unwrap_or((admin, ""));
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    if query.is_empty() {
        format!("{prefix}/{name}")
    } else {
        format!("{prefix}/{name}?{query}")
    }
}

/// Reads a file the server wrote (its log), empty when absent.
pub fn read_to_string(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Writes one async test for each database: `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! each_db {
    ($(#[$meta:meta])* async fn $name:ident($instance:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($instance: $crate::common::Instance) $body

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                if let Some(i) = $crate::common::Instance::new($crate::common::DbKind::Sqlite).await {
                    body(i).await;
                }
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(i) = $crate::common::Instance::new($crate::common::DbKind::Postgres).await {
                    body(i).await;
                }
            }
        }
    };
}

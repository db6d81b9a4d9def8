//! A PostgreSQL 15 primary with a streaming hot standby of its own, for the read-replica
//! tests: two clusters made with the machine's binaries (`initdb`, `pg_ctl`,
//! `pg_basebackup -R`) in a temporary directory, on free loopback ports, stopped and removed
//! on drop. The machine's own PostgreSQL is never touched. `initdb` refuses to run as root,
//! so under root the binaries run as the `postgres` user.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const BIN: &str = "/usr/lib/postgresql/15/bin";

pub struct PgCluster {
    dir: PathBuf,
    pub primary_port: u16,
    pub standby_port: u16,
}

/// Whether the PostgreSQL 15 binaries are here.
pub fn available() -> bool {
    Path::new(BIN).join("pg_basebackup").exists()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs a PostgreSQL binary (as `postgres` under root) and panics with its output on failure.
fn run(program: &str, args: &[&str]) {
    let path = format!("{BIN}/{program}");
    let output = if is_root() {
        Command::new("runuser")
            .args(["-u", "postgres", "--", &path])
            .args(args)
            .output()
    } else {
        Command::new(&path).args(args).output()
    }
    .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

impl PgCluster {
    /// Starts the primary, copies it with `pg_basebackup -R` and starts the copy as a
    /// streaming hot standby.
    pub fn start() -> Self {
        let dir = std::env::temp_dir().join(format!("utmost-pgcluster-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).expect("create the cluster dir");
        if is_root() {
            let status = Command::new("chown")
                .args(["postgres:postgres", &dir.display().to_string()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown the cluster dir");
        }
        let cluster = PgCluster {
            dir,
            primary_port: crate::free_port(),
            standby_port: crate::free_port(),
        };
        let primary = cluster.data("primary");
        run(
            "initdb",
            &[
                "-D",
                &primary,
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
            ],
        );
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\n\
             wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n",
            cluster.primary_port,
            cluster.dir.display()
        );
        append(&Path::new(&primary).join("postgresql.conf"), &conf);
        cluster.pg_ctl("primary", "start");
        let standby = cluster.data("standby");
        let port = cluster.primary_port.to_string();
        run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-D",
                &standby,
                "-R",
                "-X",
                "stream",
                "--no-sync",
            ],
        );
        append(
            &Path::new(&standby).join("postgresql.conf"),
            &format!("port = {}\n", cluster.standby_port),
        );
        cluster.start_standby();
        cluster
    }

    fn data(&self, which: &str) -> String {
        self.dir.join(which).display().to_string()
    }

    fn pg_ctl(&self, which: &str, action: &str) {
        let data = self.data(which);
        let log = self.dir.join(format!("{which}.log")).display().to_string();
        match action {
            "start" => run(
                "pg_ctl",
                &["-D", &data, "-l", &log, "-w", "-t", "60", "start"],
            ),
            _ => run("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]),
        }
    }

    /// The URL of database `name` on the primary.
    pub fn primary_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.primary_port)
    }

    /// The URL of database `name` on the standby.
    pub fn standby_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.standby_port)
    }

    /// Creates database `name` on the primary and waits until the standby has it.
    pub async fn create_database(&self, name: &str) {
        let admin = sqlx::PgPool::connect(&self.primary_url("postgres"))
            .await
            .expect("connect to the test primary");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("create the database");
        admin.close().await;
        for _ in 0..100 {
            if sqlx::PgPool::connect(&self.standby_url(name)).await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the standby never had database {name}");
    }

    /// Starts the standby (again) and waits until it accepts connections.
    pub fn start_standby(&self) {
        self.pg_ctl("standby", "start");
    }

    /// Stops the standby (fast shutdown: its sessions are ended).
    pub fn stop_standby(&self) {
        self.pg_ctl("standby", "stop");
    }

    /// Stops the primary (fast shutdown: every session is ended, as in a database restart
    /// or a failover).
    pub fn stop_primary(&self) {
        self.pg_ctl("primary", "stop");
    }

    /// Starts the primary again and waits until it accepts connections.
    pub fn start_primary(&self) {
        self.pg_ctl("primary", "start");
    }

    /// Promotes the standby to a primary (`pg_ctl promote`, waiting until it accepts
    /// writes): a failover, once the primary is stopped.
    pub fn promote_standby(&self) {
        run("pg_ctl", &["-D", &self.data("standby"), "-w", "promote"]);
    }

    /// Runs `sql` on the standby's `postgres` database (`pg_wal_replay_pause()` …).
    pub async fn on_standby(&self, sql: &str) {
        let pool = sqlx::PgPool::connect(&self.standby_url("postgres"))
            .await
            .expect("connect to the test standby");
        sqlx::query(sql).execute(&pool).await.expect(sql);
        pool.close().await;
    }
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file.write_all(text.as_bytes())
        .expect("append to the config");
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        for which in ["standby", "primary"] {
            let data = self.data(which);
            let path = format!("{BIN}/pg_ctl");
            let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
            let _ = if is_root() {
                Command::new("runuser")
                    .args(["-u", "postgres", "--", &path])
                    .args(args)
                    .output()
            } else {
                Command::new(&path).args(args).output()
            };
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

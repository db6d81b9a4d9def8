//! A real `utmost serve` on an [`Instance`], as an operator runs it, and the calls the
//! binary's tests make of it.

use super::Instance;
use serde_json::{json, Value};
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_testkit::Client;

pub const PASSWORD: &str = "Password-1234";

/// A running `utmost serve`; its stdout and stderr go to `<instance>/server.log`.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    pub async fn start(i: &Instance) -> Self {
        let mut server = Self::spawn(i.command(&["serve"]), &i.path("server.log"));
        server.wait_ready(i).await;
        server
    }

    /// Spawns `serve` (an `utmost serve` command) on a free port, its output appended to
    /// `log`; the caller waits for it to answer.
    pub fn spawn(mut serve: Command, log: &Path) -> Self {
        let port = free_port();
        let log = File::options().create(true).append(true).open(log).unwrap();
        let child = serve
            .env(
                "MM_SERVICESETTINGS_LISTENADDRESS",
                format!("127.0.0.1:{port}"),
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Waits until the server answers HTTP (any status), failing with its log if it exits.
    pub async fn wait_ready(&mut self, i: &Instance) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let http = reqwest::Client::new();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("server exited with {status} while starting:\n{}", log(i));
            }
            if http
                .get(format!("{}/api/v4/system/ping", self.url))
                .send()
                .await
                .is_ok()
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server did not start:\n{}",
                log(i)
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn client(&self, token: Option<&str>) -> Client {
        let c = Client::new(&self.url);
        match token {
            Some(t) => c.with_token(t),
            None => c,
        }
    }

    /// SIGKILL: no shutdown code runs, nothing is flushed by the server.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub async fn crash_and_restart(self, i: &Instance) -> Self {
        self.kill();
        Server::start(i).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn log(i: &Instance) -> String {
    super::read_to_string(&i.path("server.log"))
}

pub fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

pub async fn login_token(server: &Server, login_id: &str) -> String {
    let r = server
        .client(None)
        .post(
            "/users/login",
            json!({"login_id": login_id, "password": PASSWORD}),
        )
        .await
        .expect(200);
    r.header("token").to_string()
}

/// The first user, `admin`: a system admin.
pub async fn create_admin(server: &Server) {
    server
        .client(None)
        .post(
            "/users",
            json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD}),
        )
        .await
        .expect(201);
}

/// The first user (a system admin) with a team and a public channel of the same name: the
/// admin's token, the team and the channel.
pub async fn admin_team_and_channel(server: &Server, name: &str) -> (String, Value, Value) {
    create_admin(server).await;
    let token = login_token(server, "admin").await;
    let c = server.client(Some(&token));
    let team = c
        .post(
            "/teams",
            json!({"name": name, "display_name": name, "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    let channel = c
        .post(
            "/channels",
            json!({"team_id": id(&team), "name": name, "display_name": name, "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    (token, team, channel)
}

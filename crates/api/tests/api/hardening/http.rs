//! Hardening tests: http. The connection-level tests run on SQLite only: what they check
//! happens before any handler touches the database.

use serde_json::{json, Value};
use std::io::Read;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use utmost_config::Config;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{dual_db_test, DbKind, TestServer};

/// A raw HTTP/1.1 keep-alive connection, so a test controls exactly what is sent, when, and
/// sees exactly when the server closes.
struct Raw {
    stream: TcpStream,
    buf: Vec<u8>,
}

#[derive(Debug)]
struct RawResponse {
    status: u16,
    /// Lower-case names.
    headers: Vec<(String, String)>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Raw {
    async fn connect(server: &TestServer) -> Raw {
        let stream = TcpStream::connect(server.url.trim_start_matches("http://"))
            .await
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Raw {
            stream,
            buf: Vec::new(),
        }
    }

    /// Sends `method path` with `headers` and `body`; the body goes in a second write a
    /// moment after the head, as a client streaming it would.
    async fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.stream.write_all(head.as_bytes()).await.unwrap();
        if !body.is_empty() {
            tokio::time::sleep(Duration::from_millis(1)).await;
            self.stream.write_all(body).await.unwrap();
        }
    }

    async fn get(&mut self, path: &str) -> Option<RawResponse> {
        self.send("GET", path, &[], b"").await;
        self.response().await
    }

    /// The next response (its body skipped), or None when the server closes first.
    async fn response(&mut self) -> Option<RawResponse> {
        loop {
            if let Some(response) = self.parse() {
                return Some(response);
            }
            match self.stream.read_buf(&mut self.buf).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// Takes one complete response with a Content-Length body off the buffer.
    fn parse(&mut self) -> Option<RawResponse> {
        let end = self.buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
        let head = String::from_utf8_lossy(&self.buf[..end]).to_string();
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map_or(0, |(_, v)| v.parse().unwrap());
        if self.buf.len() < end + length {
            return None;
        }
        self.buf.drain(..end + length);
        Some(RawResponse { status, headers })
    }

    /// True when the server closes the connection within `limit`.
    async fn closed_within(&mut self, limit: Duration) -> bool {
        let mut sink = [0u8; 1024];
        tokio::time::timeout(limit, async {
            loop {
                match self.stream.read(&mut sink).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await
        .is_ok()
    }
}

async fn sqlite_server(adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::start_with(DbKind::Sqlite, adjust).await
}

// Item 3: slowloris.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_request_head_is_closed_after_the_timeout() {
    let server = sqlite_server(|c| c.service_settings.idle_timeout = 1).await;
    let mut staller = Raw::connect(&server).await;
    staller
        .stream
        .write_all(b"GET /api/v4/system/pi")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        staller.closed_within(Duration::from_secs(10)).await,
        "a half-sent request line held its connection for 10 s"
    );
    assert!(started.elapsed() >= Duration::from_millis(500));

    // A connection that sends nothing at all is closed too, and so is an idle keep-alive one.
    let mut silent = Raw::connect(&server).await;
    assert!(silent.closed_within(Duration::from_secs(10)).await);
    let mut idle = Raw::connect(&server).await;
    assert_eq!(idle.get("/api/v4/system/ping").await.unwrap().status, 200);
    assert!(idle.closed_within(Duration::from_secs(10)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_request_body_is_given_up_after_the_read_timeout() {
    let server = sqlite_server(|c| c.service_settings.read_timeout = 1).await;
    let mut staller = Raw::connect(&server).await;
    let head = "POST /api/v4/users/login HTTP/1.1\r\nHost: localhost\r\n\
        Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"login_id\":";
    staller.stream.write_all(head.as_bytes()).await.unwrap();
    let answered = tokio::time::timeout(Duration::from_secs(10), staller.response())
        .await
        .expect("a half-sent body held its request for 10 s");
    if let Some(response) = answered {
        assert_eq!(response.status, 400);
        assert_eq!(response.header("connection"), Some("close"));
    }
    assert!(staller.closed_within(Duration::from_secs(10)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_new_clients_wait_until_a_slot_frees() {
    let server = sqlite_server(|c| c.service_settings.max_connections = 4).await;
    let mut established = Raw::connect(&server).await;
    assert_eq!(
        established.get("/api/v4/system/ping").await.unwrap().status,
        200
    );
    let mut stallers = Vec::new();
    for _ in 0..3 {
        let mut s = Raw::connect(&server).await;
        s.stream.write_all(b"GET /api/v4/sys").await.unwrap();
        stallers.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    // The kernel completes the handshake, but the server does not take the connection.
    let mut waiting = Raw::connect(&server).await;
    waiting.send("GET", "/api/v4/system/ping", &[], b"").await;
    let early = tokio::time::timeout(Duration::from_secs(1), waiting.response()).await;
    assert!(early.is_err(), "a client beyond the cap was served");

    // The keep-alive connection already held still works.
    assert_eq!(
        established.get("/api/v4/system/ping").await.unwrap().status,
        200
    );

    drop(stallers);
    let served = tokio::time::timeout(Duration::from_secs(10), waiting.response())
        .await
        .expect("the waiting client was not served after slots freed");
    assert_eq!(served.unwrap().status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_outlives_the_head_and_idle_timeouts() {
    let server = sqlite_server(|c| {
        c.service_settings.idle_timeout = 1;
        c.service_settings.read_timeout = 1;
    })
    .await;
    let (_, client) = server.create_user(None, "wsidle").await;
    let token = client.token.clone().unwrap();
    let (mut ws, _) = WsClient::connect_ready(&server, &token).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    ws.send(json!({"seq": 1, "action": "ping"})).await;
    assert_eq!(ws.reply(1).await["status"], "OK");
}

// Item 11: compressed answers.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_content_encoding_always_comes_with_a_gzip_body() {
    let server = sqlite_server(|_| {}).await;
    let http = server.client().http;
    let url = |path: &str| format!("{}{path}", server.url);
    let answers = [
        (http.get(url("/api/v4/no/such/route")), 404),
        (http.delete(url("/api/v4/users/login")), 405),
        (http.get(url("/api/v4/users/me")), 401),
        (http.get(url("/api/v4/system/ping")), 200),
        (http.get(url("/")), 200),
    ];
    let mut gzipped = 0;
    for (request, status) in answers {
        let response = request
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status);
        let encoding = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_string());
        let path = response.url().path().to_string();
        let raw = response.bytes().await.unwrap();
        let body = match encoding.as_deref() {
            Some("gzip") => {
                gzipped += 1;
                let mut text = String::new();
                flate2::read::GzDecoder::new(&raw[..])
                    .read_to_string(&mut text)
                    .unwrap_or_else(|e| panic!("{path}: gzip header on a body that is not: {e}"));
                text
            }
            None => String::from_utf8(raw.to_vec()).unwrap(),
            Some(other) => panic!("{path}: unexpected encoding {other}"),
        };
        if path.starts_with("/api/") && status != 200 {
            let error: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(error["status_code"], status, "{path}: {body}");
        }
    }
    assert!(
        gzipped > 0,
        "nothing was compressed, so nothing was checked"
    );
}

// Item 14: early refusals on a keep-alive connection.

/// Sends `count` requests with a 16 KB body on one connection; each must be answered with
/// one of `statuses`, without closing, and the connection must serve a request after them.
async fn refusals_keep_the_connection(
    conn: &mut Raw,
    count: usize,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    statuses: &[u16],
) {
    let body = json!({"login_id": "x".repeat(16 * 1024), "password": "p"}).to_string();
    for i in 0..count {
        conn.send(method, path, headers, body.as_bytes()).await;
        let response = conn
            .response()
            .await
            .unwrap_or_else(|| panic!("request {i} got no answer: the connection closed"));
        assert!(statuses.contains(&response.status), "{response:?}");
        assert_eq!(response.header("connection"), None, "{response:?}");
    }
    // The web client's page is outside the API's rate limit.
    assert_eq!(conn.get("/").await.unwrap().status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_before_the_body_is_read_keeps_the_connection() {
    let server = sqlite_server(|_| {}).await;
    let mut conn = Raw::connect(&server).await;
    let bogus = ("authorization", "Bearer abcdefghijklmnopqrstuvwxyz");
    refusals_keep_the_connection(
        &mut conn,
        300,
        "PUT",
        "/api/v4/users/me/patch",
        &[bogus],
        &[401],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_keeps_the_connection() {
    let server = sqlite_server(|c| {
        c.rate_limit_settings.enable = true;
        c.rate_limit_settings.per_sec = 1;
        c.rate_limit_settings.max_burst = 1;
    })
    .await;
    let mut conn = Raw::connect(&server).await;
    let json = ("content-type", "application/json");
    // The few the limiter lets through fail the login; the rest are refused unread.
    let statuses = [400, 401, 429];
    refusals_keep_the_connection(
        &mut conn,
        300,
        "POST",
        "/api/v4/users/login",
        &[json],
        &statuses,
    )
    .await;
}

// Item 10: id lists.

dual_db_test!(
    async fn id_lists_longer_than_mattermosts_max_list_size_are_refused(server) {
        let b = server.init_basic().await;
        let mut ids: Vec<String> = (0..999).map(|_| utmost_model::new_id()).collect();
        ids.push(b.user_id().to_string());
        let mut names: Vec<String> = (0..999).map(|i| format!("nobody{i}")).collect();
        names.push("basicuser".into());
        let routes = [
            ("/users/ids".to_string(), "user_ids", &ids),
            ("/users/usernames".to_string(), "usernames", &names),
            (format!("/channels/{}/members/ids", b.channel_id()), "user_ids", &ids),
            (format!("/teams/{}/members/ids", b.team_id()), "user_ids", &ids),
        ];
        for (path, param, list) in routes {
            let found = b.client.post(&path, json!(list)).await.expect(200).body;
            assert_eq!(found.as_array().unwrap().len(), 1, "{path}");
            let mut too_long = list.clone();
            too_long.push("one-more".into());
            let refused = b
                .client
                .post(&path, json!(too_long))
                .await
                .expect_error(400, "api.context.invalid_body_param.app_error");
            assert!(refused.body["message"].as_str().unwrap().contains(param), "{path}");
        }
    }
);

// GET /users/stats.

dual_db_test!(
    async fn user_stats_count_the_active_people_the_caller_may_see(server) {
        let b = server.init_basic().await;
        server.client().get("/users/stats").await.expect(401);
        let count = |r: utmost_testkit::Resp| r.expect(200).body["total_users_count"].clone();
        assert_eq!(count(b.client.get("/users/stats").await), 3);
        b.admin
            .put(&format!("/users/{}/active", b.user2_id()), json!({"active": false}))
            .await
            .expect(200);
        assert_eq!(count(b.client.get("/users/stats").await), 2);

        // Without view_members, people count only those they share a team or channel with.
        let (_, loner) = server.create_user(Some(&b.admin), "loner").await;
        let role = b.admin.get("/roles/name/system_user").await.expect(200).body;
        let kept: Vec<Value> = role["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| *p != "view_members")
            .cloned()
            .collect();
        b.admin
            .put(&format!("/roles/{}/patch", role["id"].as_str().unwrap()), json!({"permissions": kept}))
            .await
            .expect(200);
        assert_eq!(count(loner.get("/users/stats").await), 1);
        assert_eq!(count(b.client.get("/users/stats").await), 2);
        assert_eq!(count(b.admin.get("/users/stats").await), 3);
    }
);

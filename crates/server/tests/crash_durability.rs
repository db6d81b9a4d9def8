//! Durability of acknowledged writes: the real `utmost serve` is killed with SIGKILL right
//! after each 201 and restarted on the same data; what was acknowledged must still be there.
//! Also: SIGTERM shuts the server down cleanly: its services stop in order, within their bounds,
//! and the exit code is 0.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::server::{admin_team_and_channel, id, log, login_token, Server, PASSWORD};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::ws::WsClient;
use utmost_testkit::Client;

each_db!(
    async fn users_and_sessions_survive_sigkill(i) {
        let server = Server::start(&i).await;
        let admin = server
            .client(None)
            .post("/users", json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;
        let server = server.crash_and_restart(&i).await;

        // The first account is there, still an admin, and its password works.
        let token = login_token(&server, "admin").await;
        let me = server.client(Some(&token)).get("/users/me").await.expect(200).body;
        assert_eq!(me["id"], admin["id"]);
        assert_eq!(me["roles"], "system_admin system_user");
        let server = server.crash_and_restart(&i).await;

        // The session opened just before the crash is still valid.
        let admin_client = server.client(Some(&token));
        admin_client.get("/users/me").await.expect(200);
        let bob = admin_client
            .post("/users", json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;
        let server = server.crash_and_restart(&i).await;

        let bob_token = login_token(&server, "bob").await;
        let bob_me = server.client(Some(&bob_token)).get("/users/me").await.expect(200).body;
        assert_eq!(bob_me["id"], bob["id"]);
        server.kill();
    }
);

each_db!(
    async fn team_channel_and_post_survive_sigkill(i) {
        let server = Server::start(&i).await;
        let anon = server.client(None);
        let admin = anon
            .post("/users", json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;
        let token = login_token(&server, "admin").await;
        let c = server.client(Some(&token));
        let bob = c
            .post("/users", json!({"username": "bob", "email": "bob@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;

        let team = c
            .post("/teams", json!({"name": "durable", "display_name": "Durable", "type": "O"}))
            .await
            .expect(201)
            .body;
        let server = server.crash_and_restart(&i).await;
        let c = server.client(Some(&token));
        let got = c.get(&format!("/teams/{}", id(&team))).await.expect(200).body;
        assert_eq!(got["name"], "durable");
        c.get(&format!("/teams/{}/members/{}", id(&team), id(&admin)))
            .await
            .expect(200);

        c.post(
            &format!("/teams/{}/members", id(&team)),
            json!({"team_id": id(&team), "user_id": id(&bob)}),
        )
        .await
        .expect(201);
        let server = server.crash_and_restart(&i).await;
        let c = server.client(Some(&token));
        c.get(&format!("/teams/{}/members/{}", id(&team), id(&bob)))
            .await
            .expect(200);

        let channel = c
            .post(
                "/channels",
                json!({"team_id": id(&team), "name": "durable-ch", "display_name": "Durable", "type": "O"}),
            )
            .await
            .expect(201)
            .body;
        let server = server.crash_and_restart(&i).await;
        let c = server.client(Some(&token));
        let got = c.get(&format!("/channels/{}", id(&channel))).await.expect(200).body;
        assert_eq!(got["name"], "durable-ch");
        // The creator's membership was written with the channel.
        c.get(&format!("/channels/{}/members/{}", id(&channel), id(&admin)))
            .await
            .expect(200);

        c.post(
            &format!("/channels/{}/members", id(&channel)),
            json!({"user_id": id(&bob)}),
        )
        .await
        .expect(201);
        let server = server.crash_and_restart(&i).await;
        let c = server.client(Some(&token));
        c.get(&format!("/channels/{}/members/{}", id(&channel), id(&bob)))
            .await
            .expect(200);

        let post = c
            .post("/posts", json!({"channel_id": id(&channel), "message": "written before the crash"}))
            .await
            .expect(201)
            .body;
        let server = server.crash_and_restart(&i).await;
        let c = server.client(Some(&token));
        let got = c.get(&format!("/posts/{}", id(&post))).await.expect(200).body;
        assert_eq!(got["message"], "written before the crash");
        let page = c
            .get(&format!("/channels/{}/posts", id(&channel)))
            .await
            .expect(200)
            .body;
        assert_eq!(page["order"][0], post["id"]);
        server.kill();
    }
);

each_db!(
    /// SIGTERM with a WebSocket open: exit 0 within the shutdown's bounds, every step logged
    /// in order (HTTP, the sockets, the hub, presence, the database), and the user whose
    /// socket was closed is written offline before the database closes.
    async fn sigterm_stops_the_services_in_order(i) {
        let mut server = Server::start(&i).await;
        let anon = server.client(None);
        anon.get("/users/me").await.expect(401);
        let user = anon
            .post("/users", json!({"username": "admin", "email": "admin@example.com", "password": PASSWORD}))
            .await
            .expect(201)
            .body;
        let token = login_token(&server, "admin").await;
        let mut ws = WsClient::connect_to(&server.url, Some(&token), "").await;
        ws.next_event("hello").await;
        let status_is = |status: &str| {
            format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM status WHERE userid = '{}' AND status = '{status}'",
                id(&user)
            )
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while i.count(&status_is("online")).await == 0 {
            assert!(Instant::now() < deadline, "never written online:\n{}", log(&i));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        let pid = server.child.id().to_string();
        let signalled = Instant::now();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        // The steps' bounds: HTTP, four services, the database.
        let bound = utmost_app::STOP_BOUND * 6;
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(signalled.elapsed() < bound, "no exit after SIGTERM:\n{}", log(&i));
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let log = log(&i);
        assert_eq!(status.code(), Some(0), "{log}");
        let steps = [
            "shutdown signal received",
            "shutting down: no new connections",
            "HTTP stopped",
            "\"scheduled posts\"",
            "\"plugins\"",
            "\"persistent notifications\"",
            "\"session expiry push\"",
            "\"push\"",
            "\"email outbox\"",
            "\"import and export clean-up\"",
            "\"abandoned uploads\"",
            "\"post reminders\"",
            "\"compliance reports\"",
            "\"daily message export\"",
            "\"message export jobs\"",
            "\"data retention schedule\"",
            "\"data retention jobs\"",
            "\"export jobs\"",
            "\"import jobs\"",
            "\"reindex jobs\"",
            "\"search indexer\"",
            "\"websockets\"",
            "\"hub\"",
            "\"presence\"",
            "\"outside writes\"",
            "\"database maintenance\"",
            "database closed",
            "shut down",
        ];
        let mut rest = log.as_str();
        for step in steps {
            let at = rest
                .find(step)
                .unwrap_or_else(|| panic!("`{step}` missing or out of order:\n{log}"));
            rest = &rest[at + step.len()..];
        }
        assert!(!log.contains("within its bound; abandoned"), "{log}");
        assert_eq!(i.count(&status_is("offline")).await, 1, "{log}");
    }
);

each_db!(
    /// The admin commands write the database from a process of their own. A running server
    /// whose caches hold the user and their session hears of it within a few polls of
    /// `outside_writes`, and refuses the session of a user deactivated from the command line.
    async fn a_user_deactivated_from_the_command_line_is_refused_by_a_running_server(i) {
        let server = Server::start(&i).await;
        let out = i.run(&["user", "create", "--email", "bob@example.com", "--username", "bob", "--password", PASSWORD]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let bob = server.client(Some(&login_token(&server, "bob").await));
        // Served twice, so the session and the user are in the caches.
        bob.get("/users/me").await.expect(200);
        bob.get("/users/me").await.expect(200);

        let out = i.run(&["user", "deactivate", "bob"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let deadline = Instant::now() + utmost_app::caches::outside_writes::POLL * 3;
        loop {
            if bob.get("/users/me").await.status == 401 {
                break;
            }
            assert!(Instant::now() < deadline, "still served after the deactivation:\n{}", log(&i));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(log(&i).contains("another process wrote to the database"), "{}", log(&i));
    }
);

each_db!(
    async fn search_finds_every_acknowledged_post_after_sigkill(i) {
        let server = Server::start(&i).await;
        let (token, team, channel) = admin_team_and_channel(&server, "found").await;
        // One writer posts until the server dies under it; only 201s count as acknowledged.
        // It sends with reqwest itself: the test client panics on a refused connection.
        let writer = {
            let (url, token) = (format!("{}/api/v4/posts", server.url), token.clone());
            let channel_id = id(&channel).to_string();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    let body = json!({"channel_id": channel_id, "message": format!("crashproof number {n}")});
                    let sent = http.post(&url).bearer_auth(&token).json(&body).send().await;
                    let Ok(resp) = sent else { break };
                    if resp.status() != 201 {
                        break;
                    }
                    let Ok(post) = resp.json::<Value>().await else { break };
                    acknowledged.push(post["id"].as_str().unwrap().to_string());
                }
                acknowledged
            })
        };
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill();
        let mut acknowledged = writer.await.unwrap();
        assert!(acknowledged.len() > 5, "too few posts were written: {}", acknowledged.len());

        let server = Server::start(&i).await;
        let c = server.client(Some(&token));
        let path = format!("/teams/{}/posts/search", id(&team));
        let deadline = Instant::now() + Duration::from_secs(30);
        acknowledged.sort();
        loop {
            let mut found: Vec<String> = Vec::new();
            for page in 0.. {
                let list = c
                    .post(&path, json!({"terms": "crashproof", "page": page, "per_page": 200}))
                    .await
                    .expect(200)
                    .body;
                let order = list["order"].as_array().unwrap();
                found.extend(order.iter().map(|v| v.as_str().unwrap().to_string()));
                if order.len() < 200 {
                    break;
                }
            }
            found.sort();
            let missing: Vec<&String> = acknowledged.iter().filter(|a| found.binary_search(a).is_err()).collect();
            if missing.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {} acknowledged posts are not found after the restart",
                missing.len(),
                acknowledged.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();
    }
);

each_db!(
    async fn search_reindex_rebuilds_a_lost_index(i) {
        let server = Server::start(&i).await;
        let (token, team, channel) = admin_team_and_channel(&server, "rebuilt").await;
        let c = server.client(Some(&token));
        let mut written = Vec::new();
        for n in 0..5 {
            let post = c
                .post("/posts", json!({"channel_id": id(&channel), "message": format!("rebuildable {n}")}))
                .await
                .expect(201)
                .body;
            written.push(id(&post).to_string());
        }
        // While the server writes the index, the command refuses and says why.
        let refused = i.run(&["search", "reindex"]);
        assert!(!refused.status.success());
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("in use by a running server"),
            "{refused:?}"
        );
        server.kill();

        // The index is lost; the command rebuilds it from the database.
        std::fs::remove_dir_all(i.path("data/search")).unwrap();
        let rebuilt = i.run(&["search", "reindex", "--json"]);
        assert!(rebuilt.status.success(), "{rebuilt:?}");
        let report: Value = serde_json::from_slice(&rebuilt.stdout).unwrap();
        let posts = i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM posts").await;
        assert_eq!(report["indexed_posts"], posts, "{report}");

        let server = Server::start(&i).await;
        let c = server.client(Some(&token));
        let found = c
            .post(&format!("/teams/{}/posts/search", id(&team)), json!({"terms": "rebuildable"}))
            .await
            .expect(200)
            .body;
        let mut found: Vec<String> = found["order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        found.sort();
        written.sort();
        assert_eq!(found, written);
        server.kill();
    }
);

/// Every file id `terms` finds in `team`, page by page, sorted.
async fn files_found(c: &Client, team: &Value, terms: &str) -> Vec<String> {
    let path = format!("/teams/{}/files/search", id(team));
    let mut found: Vec<String> = Vec::new();
    for page in 0.. {
        let body = json!({"terms": terms, "page": page, "per_page": 200});
        let list = c.post(&path, body).await.expect(200).body;
        let order = list["order"].as_array().unwrap();
        found.extend(order.iter().map(|v| v.as_str().unwrap().to_string()));
        if order.len() < 200 {
            break;
        }
    }
    found.sort();
    found
}

each_db!(
    async fn file_search_finds_every_acknowledged_file_after_sigkill_and_reindex(i) {
        let server = Server::start(&i).await;
        let (token, team, channel) = admin_team_and_channel(&server, "filed").await;
        // One writer uploads and posts files until the server dies under it; a file counts
        // as acknowledged once its post was answered 201.
        let writer = {
            let (base, token) = (format!("{}/api/v4", server.url), token.clone());
            let channel_id = id(&channel).to_string();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut acknowledged = Vec::new();
                for n in 0.. {
                    let upload = format!("{base}/files?channel_id={channel_id}&filename=crashfile-{n}.txt");
                    let sent = http.post(&upload).bearer_auth(&token).body(format!("number {n}")).send().await;
                    let Ok(resp) = sent else { break };
                    let Ok(info) = resp.json::<Value>().await else { break };
                    let Some(file) = info["file_infos"][0]["id"].as_str().map(str::to_string) else { break };
                    let body = json!({"channel_id": channel_id, "message": "", "file_ids": [file]});
                    let sent = http.post(format!("{base}/posts")).bearer_auth(&token).json(&body).send().await;
                    match sent {
                        Ok(resp) if resp.status() == 201 => acknowledged.push(file),
                        _ => break,
                    }
                }
                acknowledged
            })
        };
        tokio::time::sleep(Duration::from_millis(1500)).await;
        server.kill();
        let mut acknowledged = writer.await.unwrap();
        assert!(acknowledged.len() > 3, "too few files were written: {}", acknowledged.len());
        acknowledged.sort();

        let server = Server::start(&i).await;
        let c = server.client(Some(&token));
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = files_found(&c, &team, "crashfile").await;
            let missing = acknowledged.iter().filter(|a| found.binary_search(a).is_err()).count();
            if missing == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "{missing} of {} acknowledged files are not found", acknowledged.len());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server.kill();

        // The index is lost; `utmost search reindex` rebuilds the files' index too.
        std::fs::remove_dir_all(i.path("data/search")).unwrap();
        let rebuilt = i.run(&["search", "reindex", "--json"]);
        assert!(rebuilt.status.success(), "{rebuilt:?}");
        let report: Value = serde_json::from_slice(&rebuilt.stdout).unwrap();
        let files = i.count("SELECT CAST(COUNT(*) AS BIGINT) FROM fileinfo").await;
        assert_eq!(report["indexed_files"], files, "{report}");
        let server = Server::start(&i).await;
        let found = files_found(&server.client(Some(&token)), &team, "crashfile").await;
        assert!(acknowledged.iter().all(|a| found.binary_search(a).is_ok()), "{found:?}");
        server.kill();
    }
);

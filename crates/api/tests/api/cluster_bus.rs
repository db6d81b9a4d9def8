//! Several nodes of one cluster (issue 21): three in-process servers on one PostgreSQL
//! database and one Redis, each its own app, bus, caches and hub. What one node publishes
//! reaches the others' WebSockets and caches; `/cluster/status` lists the live nodes; a
//! Redis restart in the middle of a burst is survived: the nodes subscribe again, drop
//! their caches and hear each other again; a user deactivated on one node is signed out on
//! every node, their sockets there closed within seconds.
//!
//! The machine's Redis (127.0.0.1:6379, `TEST_REDIS_ADDRESS` to change it) serves all but
//! the restart test, each cluster under its own `ClusterName`; the restart test starts a
//! `redis-server` of its own. PostgreSQL only: a cluster requires it.

use crate::support::PASSWORD;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use utmost_testkit::redis_server::RedisServer;
use utmost_testkit::ws::WsClient;
use utmost_testkit::{Client, TestCluster, TestServer};

fn machine_redis() -> String {
    std::env::var("TEST_REDIS_ADDRESS").unwrap_or_else(|_| "127.0.0.1:6379".into())
}

/// A cluster of three on the machine's Redis, subscribed; None (the test skips) without
/// PostgreSQL.
async fn three_nodes() -> Option<TestCluster> {
    if !TestServer::postgres_available() {
        eprintln!("skipped: the cluster tests need TEST_DATABASE_URL (PostgreSQL)");
        return None;
    }
    let cluster = TestCluster::start(3, &machine_redis()).await;
    cluster.wait_until_subscribed().await;
    Some(cluster)
}

/// Polls `check` until it holds, for at most `limit`.
async fn eventually<F, Fut>(limit: Duration, mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The next event named `name` within `limit`, skipping others.
async fn event_within(ws: &mut WsClient, name: &str, limit: Duration) -> Option<Value> {
    let start = Instant::now();
    while let Some(left) = limit.checked_sub(start.elapsed()) {
        let message = ws.next_within(left).await?;
        if message["event"] == name {
            return Some(message);
        }
    }
    None
}

/// Posts `message` as `client` and waits, 10 s at most, until `ws` hears that very post.
async fn post_heard(client: &Client, channel_id: &str, message: &str, ws: &mut WsClient) -> Value {
    let post = client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": message}),
        )
        .await
        .expect(201)
        .body;
    loop {
        let posted = event_within(ws, "posted", Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("the socket never heard {message:?}"));
        let heard: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
        if heard["id"] == post["id"] {
            return heard;
        }
    }
}

async fn ws_on(node: &TestServer, client: &Client) -> WsClient {
    WsClient::connect_ready(node, client.token.as_deref().unwrap())
        .await
        .0
}

#[tokio::test]
async fn a_post_on_node_a_reaches_a_websocket_on_node_c() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, c) = (&cluster.nodes[0], &cluster.nodes[2]);
    let b = a.init_basic().await;
    let user2_on_c = c.client().login("basicuser2", PASSWORD).await;
    let mut ws = ws_on(c, &user2_on_c).await;

    let post = b
        .client
        .post(
            "/posts",
            json!({"channel_id": b.channel_id(), "message": "from node A"}),
        )
        .await
        .expect(201)
        .body;

    let posted = event_within(&mut ws, "posted", Duration::from_secs(5))
        .await
        .expect("node C's socket hears the post made on node A");
    let heard: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
    assert_eq!(heard["id"], post["id"]);
    assert_eq!(heard["message"], "from node A");
    assert_eq!(posted["broadcast"]["channel_id"], b.channel_id());
    assert_eq!(posted["data"]["channel_name"], "basic-channel");

    // A run of posts arrives in the order node A committed them.
    let mut sent = Vec::new();
    for i in 0..15 {
        let post = b
            .client
            .post(
                "/posts",
                json!({"channel_id": b.channel_id(), "message": format!("in order {i}")}),
            )
            .await
            .expect(201)
            .body;
        sent.push(post["id"].as_str().unwrap().to_string());
    }
    let mut heard = Vec::new();
    while heard.len() < sent.len() {
        let posted = event_within(&mut ws, "posted", Duration::from_secs(5))
            .await
            .expect("every post of the run reaches node C");
        let post: Value = serde_json::from_str(posted["data"]["post"].as_str().unwrap()).unwrap();
        heard.push(post["id"].as_str().unwrap().to_string());
    }
    assert_eq!(heard, sent);
}

/// Sends `payload` on the cluster's channel through `redis-cli`, as a node would.
fn publish_raw(redis_address: &str, cluster: &TestCluster, payload: &str) {
    let (host, port) = redis_address.split_once(':').unwrap();
    let channel = format!("utmost:{}:events", cluster.cluster_name);
    let out = std::process::Command::new("redis-cli")
        .args(["-h", host, "-p", port, "PUBLISH", &channel, payload])
        .output()
        .expect("run redis-cli");
    assert!(out.status.success(), "redis-cli: {out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "3",
        "the three nodes are subscribed"
    );
}

#[tokio::test]
async fn a_gap_in_a_node_numbers_or_an_unreadable_message_drops_every_cache() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let user_on_b = node_b.client().login("basicuser", PASSWORD).await;
    let path = format!("/users/{}", b.user_id());
    assert_eq!(user_on_b.get(&path).await.expect(200).body["nickname"], "");
    // The database changes behind every node's back: node B keeps serving its copy.
    let pool = sqlx::PgPool::connect(&cluster.dsn).await.unwrap();
    sqlx::query("UPDATE users SET nickname = 'behind the back' WHERE id = $1")
        .bind(b.user_id())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(user_on_b.get(&path).await.expect(200).body["nickname"], "");

    // Another node's heartbeats say it sent events 2 and 3, which nobody heard.
    let before = node_b.app.cluster_resyncs();
    let other = utmost_model::new_id();
    let redis = machine_redis();
    publish_raw(
        &redis,
        &cluster,
        &json!({"origin": other, "seq": 1}).to_string(),
    );
    publish_raw(
        &redis,
        &cluster,
        &json!({"origin": other, "seq": 1}).to_string(),
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(node_b.app.cluster_resyncs(), before, "no gap yet");
    publish_raw(
        &redis,
        &cluster,
        &json!({"origin": other, "seq": 3}).to_string(),
    );
    let dropped = eventually(Duration::from_secs(3), || async {
        node_b.app.cluster_resyncs() > before
    })
    .await;
    assert!(dropped, "the gap dropped node B's caches");
    assert_eq!(
        user_on_b.get(&path).await.expect(200).body["nickname"],
        "behind the back"
    );

    // A message no node can read: nothing cached can be trusted either.
    let before = node_b.app.cluster_resyncs();
    publish_raw(&redis, &cluster, "{\"origin\": 5}");
    let dropped = eventually(Duration::from_secs(3), || async {
        node_b.app.cluster_resyncs() > before
    })
    .await;
    assert!(dropped, "an unreadable message dropped node B's caches");
}

#[tokio::test]
async fn a_profile_change_on_node_b_invalidates_node_a_user_cache() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let path = format!("/users/{}", b.user_id());
    // Node A reads the user once, so its cache holds them.
    let before = b.admin.get(&path).await.expect(200).body;
    assert_eq!(before["nickname"], "");
    let user_on_b = node_b.client().login("basicuser", PASSWORD).await;
    user_on_b
        .put(
            &format!("/users/{}/patch", b.user_id()),
            json!({"nickname": "changed on B"}),
        )
        .await
        .expect(200);

    // Nothing but the event from B can drop A's cached copy (the caches have no expiry).
    let admin = b.admin.clone();
    let seen = eventually(Duration::from_secs(2), || {
        let admin = admin.clone();
        let path = path.clone();
        async move { admin.get(&path).await.body["nickname"] == "changed on B" }
    })
    .await;
    assert!(seen, "node A answers the nickname saved on node B");
}

#[tokio::test]
async fn typing_and_a_status_change_on_node_a_reach_a_websocket_on_node_b() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let user2_on_b = node_b.client().login("basicuser2", PASSWORD).await;
    let mut ws2 = ws_on(node_b, &user2_on_b).await;
    let user_on_b = node_b.client().login("basicuser", PASSWORD).await;
    let mut own_ws_on_b = ws_on(node_b, &user_on_b).await;
    let mut ws1 = ws_on(a, &b.client).await;

    ws1.send(json!({"seq": 1, "action": "user_typing", "data": {"channel_id": b.channel_id(), "parent_id": ""}}))
        .await;
    let typing = event_within(&mut ws2, "typing", Duration::from_secs(5))
        .await
        .expect("node B's socket hears the typing on node A");
    assert_eq!(typing["data"]["user_id"], b.user_id());
    assert_eq!(typing["broadcast"]["channel_id"], b.channel_id());

    b.client
        .put(
            &format!("/users/{}/status", b.user_id()),
            json!({"user_id": b.user_id(), "status": "dnd"}),
        )
        .await
        .expect(200);
    let change = loop {
        let change = event_within(&mut own_ws_on_b, "status_change", Duration::from_secs(5))
            .await
            .expect("the user's socket on node B hears the status set on node A");
        if change["data"]["status"] == "dnd" {
            break change;
        }
    };
    assert_eq!(change["data"]["user_id"], b.user_id());
    // Node B's status cache holds it too.
    let status = user2_on_b
        .get(&format!("/users/{}/status", b.user_id()))
        .await
        .expect(200)
        .body;
    assert_eq!(status["status"], "dnd");
}

#[tokio::test]
async fn a_config_saved_on_node_a_is_in_force_on_node_b() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let user_on_b = node_b.client().login("basicuser", PASSWORD).await;
    let mut ws = ws_on(node_b, &user_on_b).await;

    b.admin
        .put(
            "/config/patch",
            json!({"TeamSettings": {"SiteName": "Clustered Site"}}),
        )
        .await
        .expect(200);

    let changed = event_within(&mut ws, "config_changed", Duration::from_secs(5))
        .await
        .expect("node B's sockets hear the configuration change");
    assert_eq!(changed["data"]["config"]["SiteName"], "Clustered Site");
    assert_eq!(
        node_b.app.config().team_settings.site_name,
        "Clustered Site"
    );
    let client_config = user_on_b
        .get("/config/client?format=old")
        .await
        .expect(200)
        .body;
    assert_eq!(client_config["SiteName"], "Clustered Site");
    // The same configuration, so the same hash on both nodes.
    assert_eq!(node_b.app.config_hash(), a.app.config_hash());
}

#[tokio::test]
async fn cluster_status_lists_the_live_nodes_to_an_admin_only() {
    let Some(mut cluster) = three_nodes().await else {
        return;
    };
    let b = cluster.nodes[0].init_basic().await;
    let admin_on_b = cluster.nodes[1].client().login("sysadmin", PASSWORD).await;
    let ids: Vec<String> = cluster
        .nodes
        .iter()
        .map(|n| n.app.cluster().unwrap().node_id.clone())
        .collect();
    let listed = |admin: Client| async move {
        let body = admin.get("/cluster/status").await.expect(200).body;
        let mut listed: Vec<String> = body
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect();
        listed.sort();
        (listed, body)
    };
    let mut expected = ids.clone();
    expected.sort();
    let all_three = eventually(Duration::from_secs(3), || {
        let admin = admin_on_b.clone();
        let expected = expected.clone();
        async move { listed(admin).await.0 == expected }
    })
    .await;
    assert!(all_three, "the three nodes are listed");
    let (_, body) = listed(admin_on_b.clone()).await;
    for node in body.as_array().unwrap() {
        for field in [
            "version",
            "schema_version",
            "config_hash",
            "ipaddress",
            "hostname",
        ] {
            assert!(
                node[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field} in {node}"
            );
        }
    }

    // Not to a user without the System Console's high availability page, nor anonymously.
    b.client
        .get("/cluster/status")
        .await
        .expect_error(403, "api.context.permissions.app_error");
    cluster.nodes[1]
        .client()
        .get("/cluster/status")
        .await
        .expect(401);

    // A node that stops leaves the list.
    let gone = cluster.nodes.pop().unwrap();
    gone.stop().await;
    expected.retain(|id| *id != ids[2]);
    let two = eventually(Duration::from_secs(3), || {
        let admin = admin_on_b.clone();
        let expected = expected.clone();
        async move { listed(admin).await.0 == expected }
    })
    .await;
    assert!(two, "the stopped node is no longer listed");
}

#[tokio::test]
async fn a_redis_restart_mid_burst_is_survived_and_the_caches_start_over() {
    if !TestServer::postgres_available() {
        eprintln!("skipped: the cluster tests need TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let mut redis = RedisServer::start().await;
    let cluster = TestCluster::start(3, &redis.address()).await;
    cluster.wait_until_subscribed().await;
    let (a, c) = (&cluster.nodes[0], &cluster.nodes[2]);
    let b = a.init_basic().await;
    let user2_on_c = c.client().login("basicuser2", PASSWORD).await;
    let mut ws = ws_on(c, &user2_on_c).await;

    // Node C caches the user; then the database changes behind every node's back.
    let user_path = format!("/users/{}", b.user_id());
    assert_eq!(
        user2_on_c.get(&user_path).await.expect(200).body["nickname"],
        ""
    );
    let pool = sqlx::PgPool::connect(&cluster.dsn).await.unwrap();
    sqlx::query("UPDATE users SET nickname = 'written directly' WHERE id = $1")
        .bind(b.user_id())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(
        user2_on_c.get(&user_path).await.expect(200).body["nickname"],
        "",
        "node C serves its cached copy"
    );
    let resyncs_before: Vec<u64> = cluster
        .nodes
        .iter()
        .map(|n| n.app.cluster_resyncs())
        .collect();

    // A burst of posts on node A, with Redis killed and started again in the middle.
    let poster = b.client.clone();
    let channel_id = b.channel_id().to_string();
    let burst = tokio::spawn(async move {
        let mut acknowledged = Vec::new();
        for i in 0..40 {
            let r = poster
                .post(
                    "/posts",
                    json!({"channel_id": channel_id, "message": format!("burst {i}")}),
                )
                .await;
            // Redis down or not, node A serves.
            assert_eq!(r.status, 201, "post {i}: {}", r.text);
            acknowledged.push(r.body["id"].as_str().unwrap().to_string());
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        acknowledged
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.kill();
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.restart().await;
    let acknowledged = burst.await.unwrap();

    // Every node subscribes again and drops its caches.
    let resubscribed = eventually(Duration::from_secs(10), || {
        let before = resyncs_before.clone();
        let nodes = &cluster.nodes;
        async move {
            nodes
                .iter()
                .zip(before)
                .all(|(n, before)| n.app.cluster_resyncs() > before)
        }
    })
    .await;
    assert!(
        resubscribed,
        "every node subscribed again and dropped its caches"
    );
    assert_eq!(
        user2_on_c.get(&user_path).await.expect(200).body["nickname"],
        "written directly",
        "node C reads the user again after dropping its caches"
    );

    // Every acknowledged post is there, read on node C.
    let posts = user2_on_c
        .get(&format!("/channels/{}/posts?per_page=200", b.channel_id()))
        .await
        .expect(200)
        .body;
    for id in &acknowledged {
        assert!(
            posts["posts"].get(id).is_some(),
            "post {id} is readable on node C"
        );
    }

    // And events flow again: a new post on node A reaches node C's socket.
    let heard = post_heard(&b.client, b.channel_id(), "after the restart", &mut ws).await;
    assert_eq!(heard["message"], "after the restart");
}

#[tokio::test]
async fn nodes_started_while_redis_is_down_serve_and_join_when_it_comes_up() {
    if !TestServer::postgres_available() {
        eprintln!("skipped: the cluster tests need TEST_DATABASE_URL (PostgreSQL)");
        return;
    }
    let mut redis = RedisServer::start().await;
    redis.kill();
    let cluster = TestCluster::start(2, &redis.address()).await;
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    // Each node serves on its own meanwhile.
    let b = a.init_basic().await;
    assert_eq!(
        cluster.nodes[0].app.cluster_resyncs(),
        0,
        "not subscribed yet"
    );
    let admin_on_b = node_b.client().login("sysadmin", PASSWORD).await;
    admin_on_b
        .get("/cluster/status")
        .await
        .expect_error(500, "app.cluster.status.app_error");

    redis.restart().await;
    cluster.wait_until_subscribed().await;
    let user2_on_b = node_b.client().login("basicuser2", PASSWORD).await;
    let mut ws = ws_on(node_b, &user2_on_b).await;
    // Node B hears node A once both reached Redis.
    let heard = post_heard(&b.client, b.channel_id(), "once Redis is up", &mut ws).await;
    assert_eq!(heard["message"], "once Redis is up");
}

#[tokio::test]
async fn only_the_node_a_user_is_connected_to_takes_them_for_idle() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let _ws = ws_on(a, &b.client).await;
    let status_path = format!("/users/{}/status", b.user_id());
    let user2_on_b = node_b.client().login("basicuser2", PASSWORD).await;
    let online = eventually(Duration::from_secs(3), || async {
        user2_on_b.get(&status_path).await.body["status"] == "online"
    })
    .await;
    assert!(online, "node B learns that the user came online on node A");
    for node in &cluster.nodes {
        let mut config = (*node.app.config()).clone();
        config.team_settings.user_status_away_timeout = 1;
        node.app.set_config(config);
    }
    tokio::time::sleep(Duration::from_millis(1200)).await;

    // Node B saw none of the user's activity: it leaves them alone (read on node B, whose
    // own change would show at once).
    utmost_app::status::sweep(&node_b.app).await.unwrap();
    assert_eq!(
        user2_on_b.get(&status_path).await.expect(200).body["status"],
        "online"
    );
    // Node A, where they are connected and idle, takes them for away.
    utmost_app::status::sweep(&a.app).await.unwrap();
    assert_eq!(
        b.client.get(&status_path).await.expect(200).body["status"],
        "away"
    );
}

#[tokio::test]
async fn one_node_answers_an_empty_cluster_status_and_a_restricted_admin_none() {
    let server = TestServer::start(utmost_testkit::DbKind::Sqlite).await;
    let b = server.init_basic().await;
    let listed = b.admin.get("/cluster/status").await.expect(200).body;
    assert_eq!(listed, json!([]));
    b.client
        .get("/cluster/status")
        .await
        .expect_error(403, "api.context.permissions.app_error");
    server.client().get("/cluster/status").await.expect(401);

    let restricted = TestServer::start_with(utmost_testkit::DbKind::Sqlite, |c| {
        c.experimental_settings.restrict_system_admin = true
    })
    .await;
    let b = restricted.init_basic().await;
    b.admin
        .get("/cluster/status")
        .await
        .expect_error(403, "api.context.permissions.app_error");
}

#[tokio::test]
async fn a_membership_made_on_node_a_routes_the_channel_to_a_socket_on_node_b() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let user2_on_b = node_b.client().login("basicuser2", PASSWORD).await;
    let mut ws = ws_on(node_b, &user2_on_b).await;
    let channel = b
        .client
        .post(
            "/channels",
            json!({"team_id": b.team_id(), "name": "made-on-a", "display_name": "Made on A", "type": "P"}),
        )
        .await
        .expect(201)
        .body;
    let channel_id = channel["id"].as_str().unwrap();
    b.client
        .post(
            &format!("/channels/{channel_id}/members"),
            json!({"user_id": b.user2_id()}),
        )
        .await
        .expect(201);
    let added = event_within(&mut ws, "user_added", Duration::from_secs(5))
        .await
        .expect("node B's socket hears that its user was added on node A");
    assert_eq!(added["broadcast"]["channel_id"], channel_id);

    // Node B's hub now routes the private channel to the new member's socket.
    b.client
        .post(
            "/posts",
            json!({"channel_id": channel_id, "message": "in the new channel"}),
        )
        .await
        .expect(201);
    let posted = event_within(&mut ws, "posted", Duration::from_secs(5))
        .await
        .expect("the new member's socket on node B hears the channel's posts");
    assert_eq!(posted["broadcast"]["channel_id"], channel_id);
}

#[tokio::test]
async fn a_user_deactivated_on_node_a_is_signed_out_and_disconnected_on_node_b() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, b_node) = (&cluster.nodes[0], &cluster.nodes[1]);
    let b = a.init_basic().await;
    let user2_on_b = b_node.client().login("basicuser2", PASSWORD).await;
    // Node B has the session cached: it served a request with it.
    let me = user2_on_b.get("/users/me").await.expect(200).body;
    let mut ws = ws_on(b_node, &user2_on_b).await;

    b.admin
        .put(
            &format!("/users/{}/active", me["id"].as_str().unwrap()),
            json!({"active": false}),
        )
        .await
        .expect(200);
    assert!(
        ws.closes_within(Duration::from_secs(5)).await,
        "node B left the deactivated user's socket open"
    );
    user2_on_b
        .get("/users/me")
        .await
        .expect_error(401, "api.context.session_expired.app_error");
}

#[tokio::test]
async fn a_logout_on_node_a_is_refused_by_every_node_at_once() {
    let Some(cluster) = three_nodes().await else {
        return;
    };
    let (a, node_b, node_c) = (&cluster.nodes[0], &cluster.nodes[1], &cluster.nodes[2]);
    a.init_basic().await;
    for _ in 0..3 {
        // The session is used on every node, so each has it cached.
        let on_a = a.client().login("basicuser", PASSWORD).await;
        let token = on_a.token.clone().unwrap();
        let on_b = node_b.client().with_token(&token);
        let on_c = node_c.client().with_token(&token);
        for client in [&on_a, &on_b, &on_c] {
            client.get("/users/me").await.expect(200);
        }
        on_a.post("/users/logout", json!({})).await.expect(200);
        // The very next request on the other nodes: the logout answered only once they had
        // dropped the session.
        on_b.get("/users/me").await.expect(401);
        on_c.get("/users/me").await.expect(401);
    }

    // A node that stops acknowledging (here one that only ever sent a heartbeat) holds a
    // logout up for at most a second; the live nodes refuse the token all the same.
    let on_a = a.client().login("basicuser", PASSWORD).await;
    let on_b = node_b.client().with_token(on_a.token.as_deref().unwrap());
    on_b.get("/users/me").await.expect(200);
    let silent = utmost_model::new_id();
    publish_raw(
        &machine_redis(),
        &cluster,
        &json!({"origin": silent, "seq": 1}).to_string(),
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let start = Instant::now();
    on_a.post("/users/logout", json!({})).await.expect(200);
    let took = start.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "the logout waited for the silent node for {took:?}"
    );
    on_b.get("/users/me").await.expect(401);
}

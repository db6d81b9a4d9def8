use super::*;
use serde_json::Value;
use tokio::sync::mpsc;
use utmost_model::websocket::WsEvent;

struct Client {
    rx: mpsc::Receiver<Frame>,
    id: String,
    reg: Registered,
}

fn hub() -> (Hub, mpsc::Receiver<Presence>) {
    let (tx, rx) = mpsc::channel(PRESENCE_QUEUE);
    (started(Hub::new(2, tx)), rx)
}

/// Runs the hub's shards on the test's runtime, as the `hub` service does in the server.
fn started((hub, shards): (Hub, super::service::Shards)) -> Hub {
    for shard in shards.tasks {
        tokio::spawn(shard);
    }
    hub
}

async fn connect(
    hub: &Hub,
    user: &str,
    channels: &[&str],
    resume: Option<(&str, u64)>,
) -> (Client, Registered) {
    connect_session(hub, user, "session1", false, channels, resume).await
}

async fn connect_session(
    hub: &Hub,
    user: &str,
    session_id: &str,
    is_admin: bool,
    channels: &[&str],
    resume: Option<(&str, u64)>,
) -> (Client, Registered) {
    let (sender, rx) = mpsc::channel(SEND_QUEUE);
    let user_id = user.to_string();
    let reg = hub
        .register(
            ConnectRequest {
                user_id: user.into(),
                session_id: session_id.into(),
                is_admin,
                is_guest: false,
                connection_id: resume.map(|r| r.0.to_string()).unwrap_or_default(),
                sequence_number: resume.map_or(0, |r| r.1),
                posted_ack: false,
                sender,
                channels: channels.iter().map(|c| c.to_string()).collect(),
                teams: vec!["team1".into()],
            },
            move |id| WsEvent::to_user("hello", &user_id).with("connection_id", id),
        )
        .await;
    (
        Client {
            rx,
            id: reg.connection_id.clone(),
            reg: reg.clone(),
        },
        reg,
    )
}

/// True when the hub dropped `c` (its queue reports closed once drained).
async fn closed(hub: &Hub, c: &mut Client) -> bool {
    drain(hub, c).await;
    matches!(
        c.rx.try_recv(),
        Err(mpsc::error::TryRecvError::Disconnected)
    )
}

/// Everything queued for `c` once the hub has processed what was sent before.
async fn drain(hub: &Hub, c: &mut Client) -> Vec<Value> {
    hub.stats().await; // a round trip through every shard orders us after earlier messages
    let mut out = Vec::new();
    while let Ok(f) = c.rx.try_recv() {
        out.push(serde_json::from_str(&f.text()).unwrap());
    }
    out
}

fn names(frames: &[Value]) -> Vec<&str> {
    frames
        .iter()
        .map(|f| f["event"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn hello_first_then_channel_events_only_to_members() {
    let (hub, _p) = hub();
    let (mut a, _) = connect(&hub, "alice", &["private1"], None).await;
    let (mut b, _) = connect(&hub, "bob", &["public1"], None).await;
    hub.publish(WsEvent::to_channel("posted", "private1")).await;
    let fa = drain(&hub, &mut a).await;
    assert_eq!(names(&fa), ["hello", "posted"]);
    assert_eq!(fa[0]["seq"], 0);
    assert_eq!(fa[1]["seq"], 1);
    assert_eq!(fa[0]["data"]["connection_id"], a.id.as_str());
    assert_eq!(names(&drain(&hub, &mut b).await), ["hello"]);
}

#[tokio::test]
async fn omit_users_user_team_and_membership_changes() {
    let (hub, _p) = hub();
    let (mut a, _) = connect(&hub, "alice", &["c1"], None).await;
    let (mut b, _) = connect(&hub, "bob", &["c1"], None).await;
    drain(&hub, &mut a).await;
    drain(&hub, &mut b).await;
    hub.publish(WsEvent::to_channel("typing", "c1").omit_user("alice"))
        .await;
    hub.publish(WsEvent::to_user("preferences_changed", "alice"))
        .await;
    hub.publish(WsEvent::to_team("update_team", "team1")).await;
    hub.publish(WsEvent::to_team("update_team", "other-team"))
        .await;
    assert_eq!(
        names(&drain(&hub, &mut a).await),
        ["preferences_changed", "update_team"]
    );
    assert_eq!(names(&drain(&hub, &mut b).await), ["typing", "update_team"]);

    hub.leave_channel("bob", "c1").await;
    hub.join_channel("bob", "c2").await;
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    hub.publish(WsEvent::to_channel("posted", "c2")).await;
    let fb = drain(&hub, &mut b).await;
    assert_eq!(fb.len(), 1);
    assert_eq!(fb[0]["broadcast"]["channel_id"], "c2");
}

#[tokio::test]
async fn mentions_are_added_for_the_mentioned_recipient_only() {
    let (hub, _p) = hub();
    let (mut a, _) = connect(&hub, "alice", &["c1"], None).await;
    let (mut b, _) = connect(&hub, "bob", &["c1"], None).await;
    hub.publish_with_mentions(WsEvent::to_channel("posted", "c1"), vec!["bob".into()])
        .await;
    let fa = drain(&hub, &mut a).await;
    let fb = drain(&hub, &mut b).await;
    assert!(fa[1]["data"].get("mentions").is_none());
    assert_eq!(fb[1]["data"]["mentions"], "[\"bob\"]");
}

#[tokio::test]
async fn resume_replays_exactly_the_missed_events() {
    let (hub, _p) = hub();
    let (mut a, _) = connect(&hub, "alice", &["c1"], None).await;
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 1))
        .await;
    let seen = drain(&hub, &mut a).await;
    assert_eq!(seen.len(), 2); // hello (0), n=1 (1)
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 2))
        .await;
    hub.disconnected("alice", &a.reg).await;
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 3))
        .await;
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 4))
        .await;

    // The client got seq 0 and 1, so it asks for 2 onwards.
    let (mut again, reg) = connect(&hub, "alice", &["c1"], Some((&a.id, 2))).await;
    assert!(reg.resumed);
    assert_eq!(reg.connection_id, a.id);
    let replay = drain(&hub, &mut again).await;
    let got: Vec<(i64, i64)> = replay
        .iter()
        .map(|f| (f["seq"].as_i64().unwrap(), f["data"]["n"].as_i64().unwrap()))
        .collect();
    assert_eq!(got, [(2, 2), (3, 3), (4, 4)]);
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 5))
        .await;
    assert_eq!(drain(&hub, &mut again).await[0]["seq"], 5);
}

#[tokio::test]
async fn resume_beyond_the_buffer_starts_over_with_hello() {
    let (hub, _p) = hub();
    let (a, _) = connect(&hub, "alice", &["c1"], None).await;
    hub.disconnected("alice", &a.reg).await;
    for _ in 0..(REPLAY_BUFFER + 10) {
        hub.publish(WsEvent::to_channel("posted", "c1")).await;
    }
    let (mut again, reg) = connect(&hub, "alice", &["c1"], Some((&a.id, 1))).await;
    assert!(!reg.resumed);
    assert_ne!(reg.connection_id, a.id);
    let frames = drain(&hub, &mut again).await;
    assert_eq!(names(&frames), ["hello"]);
    assert_eq!(frames[0]["seq"], 0);

    let (mut fresh, reg) = connect(
        &hub,
        "alice",
        &["c1"],
        Some(("unknownconnectionid0000000", 3)),
    )
    .await;
    assert!(!reg.resumed);
    assert_eq!(names(&drain(&hub, &mut fresh).await), ["hello"]);
}

#[tokio::test]
async fn a_slow_consumer_is_dropped_and_others_are_unaffected() {
    let (hub, _p) = hub();
    let (mut slow, _) = connect(&hub, "slow", &["c1"], None).await;
    let (mut fast, _) = connect(&hub, "fast", &["c1"], None).await;
    drain(&hub, &mut fast).await;
    for i in 0..(SEND_QUEUE + 50) {
        hub.publish(WsEvent::to_channel("posted", "c1").with("n", i))
            .await;
        if i % 50 == 0 {
            drain(&hub, &mut fast).await;
        }
    }
    drain(&hub, &mut fast).await;
    let stats = hub.stats().await;
    assert_eq!(stats.live_connections, 1);
    assert_eq!(stats.dead_connections, 1);
    // The slow connection's queue holds what fitted, then reports closed.
    let mut n = 0;
    while slow.rx.recv().await.is_some() {
        n += 1;
    }
    assert_eq!(n, SEND_QUEUE);
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    assert_eq!(drain(&hub, &mut fast).await.len(), 1);
}

#[tokio::test]
async fn typing_is_dropped_without_a_gap_when_a_connection_lags() {
    let (hub, _p) = hub();
    let (mut a, _) = connect(&hub, "alice", &["c1"], None).await;
    for _ in 0..(SEND_QUEUE / 2 + 1) {
        hub.publish(WsEvent::to_channel("posted", "c1")).await;
    }
    hub.publish(WsEvent::to_channel("typing", "c1")).await;
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    let frames = drain(&hub, &mut a).await;
    assert!(!names(&frames).contains(&"typing"));
    let seqs: Vec<i64> = frames.iter().map(|f| f["seq"].as_i64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "no gaps: {seqs:?}"
    );
}

#[tokio::test]
async fn presence_follows_the_first_and_last_connection() {
    let (hub, mut presence) = hub();
    let (a1, _) = connect(&hub, "alice", &[], None).await;
    let (a2, _) = connect(&hub, "alice", &[], None).await;
    assert_eq!(
        presence.recv().await.unwrap(),
        Presence {
            user_id: "alice".into(),
            online: true
        }
    );
    hub.disconnected("alice", &a1.reg).await;
    hub.disconnected("alice", &a2.reg).await;
    assert_eq!(
        presence.recv().await.unwrap(),
        Presence {
            user_id: "alice".into(),
            online: false
        }
    );
    assert!(presence.try_recv().is_err());
}

#[tokio::test]
async fn a_resume_before_the_old_socket_closed_takes_the_connection_over() {
    let (hub, mut presence) = hub();
    let (mut old, _) = connect(&hub, "alice", &["c1"], None).await;
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 1))
        .await;
    assert_eq!(drain(&hub, &mut old).await.len(), 2); // hello (0), n=1 (1)
                                                      // Queued for the old socket, but the client never read it.
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 2))
        .await;

    // The reconnect arrives before the old socket's `disconnected`.
    let (mut new, reg) = connect(&hub, "alice", &["c1"], Some((&old.id, 2))).await;
    assert!(reg.resumed);
    assert_eq!(reg.connection_id, old.id);
    let replay = drain(&hub, &mut new).await;
    assert_eq!(names(&replay), ["posted"]);
    assert_eq!(
        (replay[0]["seq"].as_i64(), replay[0]["data"]["n"].as_i64()),
        (Some(2), Some(2))
    );
    // The old socket gets what was queued for it, then is closed.
    assert!(old.rx.recv().await.is_some());
    assert!(closed(&hub, &mut old).await);

    // Its late `disconnected` leaves the new socket alone.
    hub.disconnected("alice", &old.reg).await;
    hub.publish(WsEvent::to_channel("posted", "c1").with("n", 3))
        .await;
    let frames = drain(&hub, &mut new).await;
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0]["seq"], 3);
    assert_eq!(
        hub.stats().await,
        HubStats {
            live_connections: 1,
            dead_connections: 0,
            users: 1
        }
    );
    // Alice stayed online throughout: one `online`, no `offline`.
    assert!(presence.recv().await.is_some_and(|p| p.online));
    assert!(presence.try_recv().is_err());
}

#[tokio::test]
async fn only_the_same_user_takes_a_live_connection_over() {
    let (hub, _p) = hub();
    let (mut alice, _) = connect(&hub, "alice", &["c1"], None).await;
    drain(&hub, &mut alice).await;
    let (mut bob, reg) = connect(&hub, "bob", &["c1"], Some((&alice.id, 1))).await;
    assert!(!reg.resumed);
    assert_ne!(reg.connection_id, alice.id);
    assert_eq!(names(&drain(&hub, &mut bob).await), ["hello"]);
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    let frames = drain(&hub, &mut alice).await;
    assert_eq!(names(&frames), ["posted"]);
    assert_eq!(frames[0]["seq"], 1);
}

#[tokio::test]
async fn a_takeover_beyond_the_buffer_closes_the_old_socket_and_starts_over() {
    let (hub, _p) = hub();
    let (mut old, _) = connect(&hub, "alice", &["c1"], None).await;
    drain(&hub, &mut old).await;
    let (mut new, reg) = connect(&hub, "alice", &["c1"], Some((&old.id, 5))).await;
    assert!(!reg.resumed);
    assert_ne!(reg.connection_id, old.id);
    assert!(closed(&hub, &mut old).await);
    assert_eq!(names(&drain(&hub, &mut new).await), ["hello"]);
    assert_eq!(hub.stats().await.live_connections, 1);
}

#[tokio::test]
async fn a_stale_disconnect_does_not_close_the_socket_that_resumed() {
    let (hub, _p) = hub();
    let (a, _) = connect(&hub, "alice", &["c1"], None).await;
    hub.disconnected("alice", &a.reg).await;
    let (mut again, reg) = connect(&hub, "alice", &["c1"], Some((&a.id, 1))).await;
    assert!(reg.resumed);
    // A duplicate report about the first socket arrives late.
    hub.disconnected("alice", &a.reg).await;
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    let frames = drain(&hub, &mut again).await;
    assert_eq!(names(&frames), ["posted"]);
    assert_eq!(hub.stats().await.live_connections, 1);
}

#[tokio::test]
async fn ending_a_session_closes_its_connections_only_and_for_good() {
    let (hub, _p) = hub();
    let (mut ended, _) = connect_session(&hub, "alice", "s1", false, &["c1"], None).await;
    let (mut resumable, _) = connect_session(&hub, "alice", "s1", false, &["c1"], None).await;
    let (mut kept, _) = connect_session(&hub, "alice", "s2", false, &["c1"], None).await;
    let (mut bob, _) = connect_session(&hub, "bob", "s1", false, &["c1"], None).await;
    // A connection waiting for its resume belongs to the session too.
    hub.disconnected("alice", &resumable.reg).await;
    hub.close_session("alice", "s1").await;
    assert!(closed(&hub, &mut ended).await);
    assert!(closed(&hub, &mut resumable).await);
    hub.publish(WsEvent::to_channel("posted", "c1")).await;
    assert_eq!(names(&drain(&hub, &mut kept).await), ["hello", "posted"]);
    assert_eq!(names(&drain(&hub, &mut bob).await), ["hello", "posted"]);

    let (mut again, reg) = connect_session(
        &hub,
        "alice",
        "s2",
        false,
        &["c1"],
        Some((&resumable.id, 1)),
    )
    .await;
    assert!(!reg.resumed);
    assert_eq!(names(&drain(&hub, &mut again).await), ["hello"]);

    hub.close_all().await;
    assert!(closed(&hub, &mut kept).await);
    assert!(closed(&hub, &mut bob).await);
    assert_eq!(hub.stats().await, HubStats::default());
}

#[tokio::test]
async fn admin_and_public_copies_reach_their_audience_only() {
    use utmost_model::websocket::Audience;
    let (hub, _p) = hub();
    let (mut admin, _) = connect_session(&hub, "root", "s1", true, &[], None).await;
    let (mut member, _) = connect_session(&hub, "bob", "s2", false, &[], None).await;
    let publish_both = || async {
        hub.publish(
            WsEvent::to_all("user_updated")
                .with("copy", "admin")
                .only_to(Audience::Admins),
        )
        .await;
        hub.publish(
            WsEvent::to_all("user_updated")
                .with("copy", "public")
                .only_to(Audience::NonAdmins),
        )
        .await;
    };
    let copies = |frames: Vec<Value>| -> Vec<String> {
        frames
            .iter()
            .filter(|f| f["event"] == "user_updated")
            .map(|f| f["data"]["copy"].as_str().unwrap().to_string())
            .collect()
    };
    publish_both().await;
    assert_eq!(copies(drain(&hub, &mut admin).await), ["admin"]);
    assert_eq!(copies(drain(&hub, &mut member).await), ["public"]);

    hub.set_admin("bob", true).await;
    hub.set_admin("root", false).await;
    publish_both().await;
    assert_eq!(copies(drain(&hub, &mut admin).await), ["public"]);
    assert_eq!(copies(drain(&hub, &mut member).await), ["admin"]);
}

/// Polls `fut` once, without letting any other task run: true when it would wait, false when
/// it has completed.
async fn waits<F: std::future::Future>(mut fut: std::pin::Pin<&mut F>) -> bool {
    std::future::poll_fn(|cx| std::task::Poll::Ready(fut.as_mut().poll(cx).is_pending())).await
}

// The test runtime has one thread: a shard runs only while the test waits, so between two
// waits it is stalled, as a shard busy with other work would be.
#[tokio::test]
async fn a_full_shard_inbox_makes_the_publisher_wait_and_loses_nothing() {
    const INBOX: usize = 4;
    let (presence, _p) = mpsc::channel(PRESENCE_QUEUE);
    let hub = started(Hub::with_inbox(1, INBOX, presence));
    let (mut a, _) = connect(&hub, "alice", &["c1"], None).await;
    drain(&hub, &mut a).await;
    for n in 0..INBOX {
        let publish = std::pin::pin!(hub.publish(WsEvent::to_channel("posted", "c1").with("n", n)));
        assert!(!waits(publish).await, "room for message {n}");
    }
    let mut over =
        std::pin::pin!(hub.publish(WsEvent::to_channel("posted", "c1").with("n", INBOX)));
    assert!(
        waits(over.as_mut()).await,
        "the inbox holds {INBOX}, no more"
    );
    over.await; // the shard runs and makes room
    let got: Vec<i64> = drain(&hub, &mut a)
        .await
        .iter()
        .map(|f| f["data"]["n"].as_i64().unwrap())
        .collect();
    assert_eq!(got, [0, 1, 2, 3, 4]);
}

/// `fut`'s output; a test that would hang fails instead.
async fn within<T>(fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(5), fut)
        .await
        .expect("waited too long")
}

#[tokio::test]
async fn a_full_presence_queue_keeps_each_users_newest_change_and_never_stalls_the_shard() {
    let (presence_tx, mut presence) = mpsc::channel(1);
    let hub = started(Hub::new(1, presence_tx.clone()));
    // Alice's "online" fills the queue.
    let (mut alice, _) = connect(&hub, "alice", &["c1"], None).await;
    let (_bob, _) = connect(&hub, "bob", &[], None).await;
    let (carol, _) = connect(&hub, "carol", &[], None).await;
    // Carol's "offline" supersedes her "online", which is still waiting.
    hub.disconnected("carol", &carol.reg).await;
    // Nobody took a change yet; the shard still delivers.
    let delivered = within(async {
        hub.publish(WsEvent::to_channel("posted", "c1")).await;
        drain(&hub, &mut alice).await
    })
    .await;
    assert_eq!(names(&delivered), ["hello", "posted"]);
    assert_eq!(
        presence_tx.capacity(),
        0,
        "the queue holds one change, no more"
    );

    let first = within(presence.recv()).await.unwrap();
    assert_eq!((first.user_id.as_str(), first.online), ("alice", true));
    let mut rest = [
        within(presence.recv()).await.unwrap(),
        within(presence.recv()).await.unwrap(),
    ];
    rest.sort_by(|x, y| x.user_id.cmp(&y.user_id));
    let rest: Vec<(&str, bool)> = rest
        .iter()
        .map(|p| (p.user_id.as_str(), p.online))
        .collect();
    assert_eq!(rest, [("bob", true), ("carol", false)]);
    hub.stats().await;
    assert!(
        presence.try_recv().is_err(),
        "carol's superseded online is not sent"
    );
}

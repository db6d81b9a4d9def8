//! A client that loses its socket and reconnects at once, before the server noticed the old
//! socket closing, still resumes: no new `hello`, the missed events replayed in order.

use serde_json::Value;
use std::time::{Duration, Instant};
use utmost_model::websocket::WsEvent;
use utmost_testkit::dual_db_test;
use utmost_testkit::ws::WsClient;

const RECONNECTS: i64 = 30;

/// Reads events until `preferences_changed` number `n`; every event must carry the next
/// sequence number (`next_seq`, advanced here) and none may be a `hello`.
async fn read_through(ws: &mut WsClient, next_seq: &mut i64, n: i64, round: i64) {
    loop {
        let v: Value = ws.next().await;
        assert_ne!(
            v["event"], "hello",
            "round {round}: the reconnect started over"
        );
        assert_eq!(v["seq"], *next_seq, "round {round}: gap or reorder: {v}");
        *next_seq += 1;
        if v["event"] == "preferences_changed" {
            assert_eq!(v["data"]["n"], n, "round {round}: {v}");
            return;
        }
    }
}

/// True when the server closes `ws` within `limit`, whatever events it sends first.
async fn closed_after_pending(ws: &mut WsClient, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if ws.closed_within(left).await {
            return true;
        }
    }
    false
}

dual_db_test!(
    async fn a_reconnect_racing_the_old_sockets_close_resumes(server) {
        let (user, client) = server.create_user(None, "quick").await;
        let uid = user["id"].as_str().unwrap().to_string();
        let token = client.token.clone().unwrap();
        let (mut ws, hello) = WsClient::connect_ready(&server, &token).await;
        let conn_id = hello["data"]["connection_id"].as_str().unwrap().to_string();
        let mut next_seq = hello["seq"].as_i64().unwrap() + 1;
        let publish = |n: i64| {
            server
                .app
                .hub
                .publish(WsEvent::to_user("preferences_changed", &uid).with("n", n))
        };
        for round in 0..RECONNECTS {
            let first = round * 3;
            publish(first).await;
            read_through(&mut ws, &mut next_seq, first, round).await;
            // Two events the client never reads: one may sit in its socket buffer, one is
            // published after it is gone.
            publish(first + 1).await;
            // Every other round the old socket is left open, as after a network change that
            // sent no FIN: the server cannot have noticed it is gone when the reconnect comes.
            let half_open = round % 2 == 1;
            let mut old = if half_open {
                Some(ws)
            } else {
                drop(ws); // no close frame: the TCP connection just goes away
                None
            };
            publish(first + 2).await;
            ws = WsClient::connect(
                &server,
                Some(&token),
                &format!("?connection_id={conn_id}&sequence_number={next_seq}"),
            )
            .await;
            read_through(&mut ws, &mut next_seq, first + 1, round).await;
            read_through(&mut ws, &mut next_seq, first + 2, round).await;
            if let Some(old) = old.as_mut() {
                // The new socket took the connection over: the old one is closed once it got
                // what was queued for it.
                assert!(
                    closed_after_pending(old, Duration::from_secs(5)).await,
                    "round {round}: the replaced socket stayed open"
                );
            }
        }
    }
);

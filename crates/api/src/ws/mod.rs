//! One WebSocket connection: authentication, registration with the hub, the client actions
//! and the write loop.

mod actions;
pub(crate) mod origin;
mod session_watch;

use crate::AppState;
use axum::extract::ws::{Message, WebSocket};
use serde::Deserialize;
use session_watch::Check;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use utmost_app::realtime::{ConnectRequest, Frame, SEND_QUEUE};
use utmost_model::session::Session;
use utmost_model::websocket::{events, WsEvent, WsRequest, WsResponse};

/// Mattermost's limit on a client message.
pub const MAX_INBOUND_MESSAGE: usize = 8 * 1024;
/// How long an unauthenticated socket may wait before sending `authentication_challenge`.
const AUTH_TIMEOUT: Duration = Duration::from_secs(5);
const PING_INTERVAL: Duration = Duration::from_secs(30);
/// A connection silent for this long (no message, no pong) is dead.
const READ_TIMEOUT: Duration = Duration::from_secs(100);

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ConnectParams {
    pub connection_id: String,
    pub sequence_number: i64,
    pub posted_ack: bool,
}

pub(crate) async fn serve_connection(
    app: AppState,
    mut socket: WebSocket,
    session: Option<Session>,
    params: ConnectParams,
) {
    let session = match session {
        Some(s) => s,
        None => match authenticate(&app, &mut socket).await {
            Some(s) => s,
            None => return,
        },
    };
    let (channels, teams) = match utmost_app::realtime_routes(&app, &session.user_id).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "loading memberships for a websocket failed");
            return;
        }
    };
    let (sender, mut queue) = mpsc::channel::<Frame>(SEND_QUEUE);
    let version = app.server_version();
    let user_id = session.user_id.clone();
    let registered = app
        .hub
        .register(
            ConnectRequest {
                user_id: user_id.clone(),
                session_id: session.id.clone(),
                is_admin: utmost_app::authorization::is_system_admin(&app, &session),
                is_guest: utmost_app::guests::is_guest_session(&session),
                connection_id: params.connection_id,
                sequence_number: u64::try_from(params.sequence_number).unwrap_or(0),
                posted_ack: params.posted_ack,
                sender,
                channels,
                teams,
            },
            move |connection_id| {
                WsEvent::to_user(events::HELLO, &user_id)
                    .with("server_version", version)
                    .with("connection_id", connection_id)
            },
        )
        .await;
    let mut conn = actions::Connection::new(&session);
    let mut ping = tokio::time::interval(PING_INTERVAL);
    let mut last_heard = Instant::now();
    // Due at once: the first check catches a revoke that raced the registration.
    let session_check = tokio::time::sleep(Duration::ZERO);
    tokio::pin!(session_check);
    loop {
        tokio::select! {
            // Queued events first: a woken connection writes without polling its socket and
            // timer first; they are polled whenever the queue is empty.
            biased;
            frame = queue.recv() => {
                let Some(frame) = frame else { break }; // the hub closed us (too slow, or revoked)
                if write_frames(&mut socket, frame, &mut queue).await.is_err() {
                    break;
                }
            }
            msg = socket.recv() => {
                let Some(Ok(msg)) = msg else { break };
                last_heard = Instant::now();
                let reply = match msg {
                    Message::Text(text) => conn.handle(&app, text.as_str()).await,
                    Message::Binary(_) => None,
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => None,
                };
                if let Some(reply) = reply {
                    if send_json(&mut socket, &reply).await.is_err() {
                        break;
                    }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > READ_TIMEOUT
                    || socket.send(Message::Ping(Default::default())).await.is_err()
                {
                    break;
                }
            }
            () = &mut session_check => match session_watch::check(&app, &session.id).await {
                Check::Again(wait) => session_check.as_mut().reset(tokio::time::Instant::now() + wait),
                Check::Ended => {
                    app.hub.close_session(&session.user_id, &session.id).await;
                    break;
                }
            },
        }
    }
    app.hub.disconnected(&session.user_id, &registered).await;
}

/// Writes `first` and whatever else is already queued, then flushes once.
async fn write_frames(
    socket: &mut WebSocket,
    first: Frame,
    queue: &mut mpsc::Receiver<Frame>,
) -> Result<(), axum::Error> {
    use futures_util::SinkExt;
    socket.feed(Message::Text(first.text().into())).await?;
    let mut batch = 0;
    while batch < 64 {
        match queue.try_recv() {
            Ok(frame) => socket.feed(Message::Text(frame.text().into())).await?,
            Err(_) => break,
        }
        batch += 1;
    }
    socket.flush().await
}

async fn send_json(
    socket: &mut WebSocket,
    value: &impl serde::Serialize,
) -> Result<(), axum::Error> {
    let text = serde_json::to_string(value).unwrap_or_default();
    socket.send(Message::Text(text.into())).await
}

/// Waits for `authentication_challenge` on a socket that came without a session.
async fn authenticate(app: &AppState, socket: &mut WebSocket) -> Option<Session> {
    let deadline = tokio::time::sleep(AUTH_TIMEOUT);
    tokio::pin!(deadline);
    loop {
        let msg = tokio::select! {
            _ = &mut deadline => return None,
            msg = socket.recv() => msg?.ok()?,
        };
        let Message::Text(text) = msg else { continue };
        let Ok(req) = serde_json::from_str::<WsRequest>(text.as_str()) else {
            continue;
        };
        if req.action != "authentication_challenge" {
            continue;
        }
        let token = req.data.get("token").and_then(|t| t.as_str()).unwrap_or("");
        return match utmost_app::sessions::from_token(app, token).await {
            Ok(Some(session)) => {
                send_json(socket, &WsResponse::ok(req.seq, None))
                    .await
                    .ok()?;
                Some(session)
            }
            _ => None, // a bad token closes the socket, as Mattermost does
        };
    }
}

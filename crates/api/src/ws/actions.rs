//! Client → server actions (`wsapi/*.go`): typing, statuses, activity, ping.

use crate::AppState;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use utmost_app::bus::Event;
use utmost_model::permissions::CREATE_POST;
use utmost_model::session::Session;
use utmost_model::websocket::{WsRequest, WsResponse};

/// Per-connection state the actions need.
pub(crate) struct Connection {
    session: Session,
    /// When this connection last sent `typing` per channel/thread, for throttling.
    last_typing: TypingThrottle,
}

/// Most channel/thread keys a connection's typing throttle remembers: past it, the keys whose
/// gap has passed are forgotten, and if that is not enough, all of them (throttling typing is
/// a courtesy; memory is not), so a client naming endless threads cannot grow it.
const TYPING_KEYS: usize = 256;

#[derive(Default)]
struct TypingThrottle(HashMap<String, Instant>);

impl TypingThrottle {
    /// True when `key` sent typing less than `gap` ago; otherwise records `now` for it.
    fn throttled(&mut self, key: String, now: Instant, gap: Duration) -> bool {
        if self
            .0
            .get(&key)
            .is_some_and(|t| now.duration_since(*t) < gap)
        {
            return true;
        }
        if self.0.len() >= TYPING_KEYS {
            self.0.retain(|_, t| now.duration_since(*t) < gap);
            if self.0.len() >= TYPING_KEYS {
                self.0.clear();
            }
        }
        self.0.insert(key, now);
        false
    }
}

impl Connection {
    pub(crate) fn new(session: &Session) -> Self {
        Self {
            session: session.clone(),
            last_typing: TypingThrottle::default(),
        }
    }

    /// Handles one text message; returns the reply to send, if any.
    pub(crate) async fn handle(&mut self, app: &AppState, text: &str) -> Option<WsResponse> {
        // A message that does not parse has no sequence to answer with either.
        let Ok(req) = serde_json::from_str::<WsRequest>(text) else {
            return Some(bad_seq(0));
        };
        if req.seq <= 0 {
            return Some(bad_seq(req.seq));
        }
        let result = match req.action.as_str() {
            "user_typing" => self.typing(app, &req.data).await,
            "get_statuses" => Ok(Some(statuses(utmost_app::status::all_not_offline(app)))),
            "get_statuses_by_ids" => get_statuses_by_ids(app, &req.data),
            "user_update_active_status" => {
                let active = req.data.get("user_is_active").and_then(Value::as_bool);
                utmost_app::status::record_activity(
                    app,
                    &self.session.user_id,
                    active.unwrap_or(true),
                )
                .await
                .map(|_| None)
                .map_err(|e| (e.id, e.message))
            }
            "ping" => Ok(Some(json!({
                "text": "pong",
                "version": app.server_version(),
                "server_time": utmost_model::now_millis(),
                "node_id": "",
            }))),
            "presence" | "posted_notify_ack" | "authentication_challenge" => Ok(None),
            _ => Err((
                "api.web_socket_router.bad_action.app_error".to_string(),
                "Unknown websocket action.".to_string(),
            )),
        };
        Some(match result {
            Ok(data) => WsResponse::ok(req.seq, data),
            Err((id, message)) => WsResponse::fail(req.seq, &id, &message),
        })
    }

    /// `user_typing`: tells the channel's other members, at most once per
    /// TimeBetweenUserTypingUpdatesMilliseconds per channel/thread.
    async fn typing(
        &mut self,
        app: &AppState,
        data: &Map<String, Value>,
    ) -> Result<Option<Value>, (String, String)> {
        let config = app.config();
        if !config.service_settings.enable_user_typing_messages {
            return Ok(None);
        }
        let channel_id = data.get("channel_id").and_then(Value::as_str).unwrap_or("");
        let parent_id = data.get("parent_id").and_then(Value::as_str).unwrap_or("");
        if !utmost_model::is_valid_id(channel_id) {
            return Err((
                "api.websocket_handler.invalid_param.app_error".into(),
                "Invalid channel_id parameter.".into(),
            ));
        }
        if !parent_id.is_empty() && !utmost_model::is_valid_id(parent_id) {
            return Err((
                "api.websocket_handler.invalid_param.app_error".into(),
                "Invalid parent_id parameter.".into(),
            ));
        }
        let allowed = utmost_app::authorization::has_channel_permission(
            app,
            &self.session,
            channel_id,
            CREATE_POST,
        )
        .await
        .map_err(|e| (e.id, e.message))?;
        if !allowed {
            return Err((
                "api.context.permissions.app_error".into(),
                "You do not have the appropriate permissions.".into(),
            ));
        }
        let gap = Duration::from_millis(
            u64::try_from(
                config
                    .service_settings
                    .time_between_user_typing_updates_milliseconds,
            )
            .unwrap_or(0),
        );
        let key = format!("{channel_id}:{parent_id}");
        if self.last_typing.throttled(key, Instant::now(), gap) {
            return Ok(None);
        }
        app.publish(Event::Typing {
            channel_id: channel_id.to_string(),
            parent_id: parent_id.to_string(),
            user_id: self.session.user_id.clone(),
        })
        .await;
        Ok(None)
    }
}

fn statuses(list: Vec<utmost_model::status::Status>) -> Value {
    Value::Object(
        list.into_iter()
            .map(|s| (s.user_id, Value::String(s.status)))
            .collect(),
    )
}

fn get_statuses_by_ids(
    app: &AppState,
    data: &Map<String, Value>,
) -> Result<Option<Value>, (String, String)> {
    let ids: Vec<String> = data
        .get("user_ids")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if ids.is_empty() || ids.iter().any(|id| !utmost_model::is_valid_id(id)) {
        return Err((
            "api.websocket_handler.invalid_param.app_error".into(),
            "Invalid user_ids parameter.".into(),
        ));
    }
    Ok(Some(statuses(utmost_app::status::get_many(app, &ids))))
}

/// Mattermost's answer to a message without a usable sequence number.
fn bad_seq(seq: i64) -> WsResponse {
    WsResponse::fail(
        seq,
        "api.web_socket_router.bad_seq.app_error",
        "Invalid sequence for websocket message.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_throttled_per_key_and_the_throttle_stays_bounded() {
        let gap = Duration::from_secs(5);
        let start = Instant::now();
        let mut throttle = TypingThrottle::default();
        assert!(!throttle.throttled("c:".into(), start, gap));
        assert!(throttle.throttled("c:".into(), start + Duration::from_secs(1), gap));
        assert!(!throttle.throttled("c:".into(), start + gap, gap));
        // Thousands of threads named over time: the throttle forgets the ones past their gap.
        for i in 0..5_000u64 {
            let at = start + Duration::from_millis(i * 10);
            assert!(!throttle.throttled(format!("c:{i}"), at, gap));
        }
        assert!(throttle.0.len() <= TYPING_KEYS);
    }
}

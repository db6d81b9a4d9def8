//! Interactive messages and dialogs (Mattermost's `app/integration_action.go`; the flow):
//! 1. an integration posts message attachments with buttons and menus (`actions`), each with
//!    the `integration` (URL and context) that the post's JSON never shows a client;
//! 2. a user clicks one: `actions::do_post_action` POSTs the context, the user, the channel and
//!    a fresh trigger id to the URL, and applies the answer (update the post, an ephemeral
//!    reply, a location to go to);
//! 3. with that trigger id the integration may open a dialog (`dialogs::open`), which the
//!    user's clients show; their submission goes back to the integration (`dialogs::submit`).
//!
//! Every call to an integration goes through `outgoing::exchange`, the SSRF guard.

pub mod actions;
pub mod cookie;
pub mod dialogs;

use crate::{App, AppResult};
use serde_json::{Map, Value};
use std::time::Duration;
use utmost_model::integration_action::{PostAction, POST_ACTION_RETAIN_PROP_KEYS};
use utmost_model::post::{Post, PostProps};
use utmost_model::AppError;

/// The prop holding a post's message attachments.
pub(crate) const ATTACHMENTS: &str = "attachments";
/// `MaxIntegrationResponseSize`: the most of an integration's answer that is read.
const MAX_RESPONSE: usize = 1024 * 1024;

/// Every action object of the post's attachments.
pub(crate) fn actions_mut(props: &mut PostProps) -> impl Iterator<Item = &mut Value> {
    props
        .get_mut(ATTACHMENTS)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(|attachment| attachment.get_mut("actions").and_then(Value::as_array_mut))
        .flatten()
}

/// `GenerateActionIds`: an id for each action that has none, so a click can name it.
pub fn generate_action_ids(props: &mut PostProps) {
    for action in actions_mut(props) {
        let Some(action) = action.as_object_mut() else {
            continue;
        };
        let missing = action
            .get("id")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty);
        if missing {
            action.insert("id".into(), Value::String(utmost_model::new_id()));
        }
    }
}

/// `GetAction`: the action of the post's attachments with this id.
pub fn find_action(props: &PostProps, id: &str) -> Option<PostAction> {
    props
        .get(ATTACHMENTS)?
        .as_array()?
        .iter()
        .filter_map(|attachment| attachment.get("actions")?.as_array())
        .flatten()
        .find(|action| action.get("id").and_then(Value::as_str) == Some(id))
        .and_then(|action| serde_json::from_value(action.clone()).ok())
}

/// The post's `PostActionRetainPropKeys`: those it has, with their values, to keep, and
/// those it lacks, to remove from what an integration's answer puts in their place.
pub(crate) fn retained_props(post: &Post) -> (Map<String, Value>, Vec<String>) {
    let mut retain = Map::new();
    let mut remove = Vec::new();
    for key in POST_ACTION_RETAIN_PROP_KEYS {
        match post.props.get(key) {
            Some(value) => {
                retain.insert(key.to_string(), value.clone());
            }
            None => remove.push(key.to_string()),
        }
    }
    (retain, remove)
}

/// The root of the post's thread: the post itself when it is a root.
pub(crate) fn thread_root(post: &Post) -> String {
    if post.root_id.is_empty() {
        post.id.clone()
    } else {
        post.root_id.clone()
    }
}

/// 400 `api.post.do_action.action_integration.app_error`, Mattermost's answer to every failed
/// call of an integration.
pub(crate) fn integration_error(detail: impl std::fmt::Display) -> AppError {
    AppError::bad_request(
        "api.post.do_action.action_integration.app_error",
        "Action integration error.",
    )
    .with_detail(detail.to_string())
}

/// `DoActionRequest`: POSTs `body` as JSON to an integration under the outgoing guard and
/// `OutgoingIntegrationRequestsTimeout`; anything but a 200 is an integration error. A URL
/// `/plugins/{id}/…` is a plugin's own route: it is called in the process, for `user_id`.
pub(crate) async fn call(app: &App, url: &str, body: Vec<u8>, user_id: &str) -> AppResult<Vec<u8>> {
    if let Some(rest) = url.strip_prefix("/plugins/") {
        return call_plugin(app, rest, body, user_id).await;
    }
    let seconds = app
        .config()
        .service_settings
        .outgoing_integration_requests_timeout;
    let timeout = Duration::from_secs(u64::try_from(seconds).unwrap_or(30).max(1));
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::ACCEPT, "application/json")
        .body(body)
        .map_err(integration_error)?;
    let response = crate::outgoing::exchange(app, request, timeout, MAX_RESPONSE)
        .await
        .map_err(|e| {
            tracing::warn!(%url, error = %e, "integration action request failed");
            integration_error(e)
        })?;
    if response.status() != http::StatusCode::OK {
        return Err(integration_error(format!(
            "status={}",
            response.status().as_u16()
        )));
    }
    Ok(response.into_body())
}

/// A plugin's `ServeHTTP` for `{plugin_id}/{path}?{query}`, as Mattermost routes action
/// and dialog URLs that start with `/plugins/`.
async fn call_plugin(app: &App, rest: &str, body: Vec<u8>, user_id: &str) -> AppResult<Vec<u8>> {
    let (target, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (plugin_id, path) = target.split_once('/').unwrap_or((target, ""));
    let mut headers = serde_json::Map::new();
    headers.insert("Content-Type".into(), "application/json".into());
    let request = crate::plugins::hooks::HttpRequest {
        method: "POST".into(),
        path: format!("/{path}"),
        query: query.to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        user_id: user_id.to_owned(),
    };
    let answer = crate::plugins::hooks::serve_http(app, plugin_id, &request)
        .await
        .map_err(integration_error)?;
    if answer.status != 200 {
        return Err(integration_error(format!("status={}", answer.status)));
    }
    Ok(answer.body.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_without_ids_get_one_and_are_found_by_it() {
        let mut props = PostProps::new();
        props.insert(
            ATTACHMENTS.into(),
            json!([{"text": "t", "actions": [
                {"id": "keep", "name": "A", "integration": {"url": "http://x"}},
                {"name": "B", "type": "select", "data_source": "users"}
            ]}, {"text": "no actions"}]),
        );
        generate_action_ids(&mut props);
        let actions = props[ATTACHMENTS][0]["actions"].as_array().unwrap();
        assert_eq!(actions[0]["id"], "keep");
        let new_id = actions[1]["id"].as_str().unwrap().to_string();
        assert_eq!(new_id.len(), 26);
        let found = find_action(&props, &new_id).unwrap();
        assert_eq!(
            (found.action_type.as_str(), found.data_source.as_str()),
            ("select", "users")
        );
        assert_eq!(
            find_action(&props, "keep")
                .unwrap()
                .integration
                .unwrap()
                .url,
            "http://x"
        );
        assert!(find_action(&props, "missing").is_none());
    }
}

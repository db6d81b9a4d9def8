//! Where the server calls plugins: Mattermost's hooks, each only on the plugins whose module
//! exports it, never on a plugin waiting on the current call (see `host_api::CALLERS`). A
//! call that fails (a trap, the time limit) is logged and counted against the plugin; the
//! server goes on as if the plugin had not answered.

use super::host_api::{callers, post_for_plugin};
use super::supervisor::{deactivate, status};
use super::{Running, STATE_FAILED_TO_STAY_RUNNING};
use crate::bus::{BoxFuture, Event, Subscriber};
use crate::{App, AppResult};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use utmost_model::post::Post;
use utmost_model::AppError;

/// Crashes within [`CRASH_WINDOW`] that stop a plugin for good (Mattermost's health check).
const CRASHES_TO_STOP: usize = 3;
const CRASH_WINDOW: Duration = Duration::from_secs(3600);

/// The running plugins that export `hook`, but those waiting on the current call (`chain`).
fn listening(app: &App, hook: &str, chain: &[String]) -> Vec<Arc<Running>> {
    app.plugins
        .running()
        .values()
        .filter(|r| {
            r.module.as_ref().is_some_and(|m| m.exports(hook)) && !chain.contains(&r.manifest.id)
        })
        .cloned()
        .collect()
}

/// Calls `hook` of `running` with `input`: its JSON answer, `None` when it answers nothing.
async fn call(
    app: &App,
    running: &Arc<Running>,
    hook: &'static str,
    input: &Value,
) -> Result<Option<Value>, String> {
    if running.module.as_ref().is_none_or(|m| !m.exports(hook)) {
        return Ok(None);
    }
    let input = serde_json::to_vec(input).map_err(|e| e.to_string())?;
    let chain = callers();
    let target = running.clone();
    let result = tokio::task::spawn_blocking(move || match target.module.as_ref() {
        Some(module) => module.call(hook, &input, chain),
        None => Ok(Vec::new()),
    })
    .await
    .map_err(|e| e.to_string())?;
    match result {
        Ok(output) if output.is_empty() => Ok(None),
        Ok(output) => serde_json::from_slice(&output)
            .map(Some)
            .map_err(|e| format!("the plugin's answer to {hook} is not JSON: {e}")),
        Err(e) => {
            let reason = e.to_string();
            tracing::error!(plugin_id = %running.manifest.id, hook, error = %reason, "plugin call failed");
            crashed(app, running, &reason).await;
            Err(reason)
        }
    }
}

/// Counts a crash; the third within the hour stops the plugin.
async fn crashed(app: &App, running: &Arc<Running>, reason: &str) {
    let stop = {
        let mut crashes = running.crashes.lock().unwrap_or_else(|p| p.into_inner());
        crashes.retain(|at| at.elapsed() < CRASH_WINDOW);
        crashes.push(Instant::now());
        crashes.len() >= CRASHES_TO_STOP
    };
    if stop {
        let id = running.manifest.id.clone();
        tracing::error!(plugin_id = %id, "plugin crashed {CRASHES_TO_STOP} times within an hour: stopped");
        // Boxed: stopping calls the plugin's `on_deactivate` through `call`.
        Box::pin(deactivate(app, &id)).await;
        if let Ok(mut statuses) = app.plugins.statuses.lock() {
            statuses.insert(
                id,
                status(&running.manifest, STATE_FAILED_TO_STAY_RUNNING, reason),
            );
        }
    }
}

/// `OnActivate`: an answer with `error` refuses to start.
pub(super) async fn activate(app: &App, running: &Arc<Running>) -> Result<(), String> {
    match call(app, running, "on_activate", &json!({})).await? {
        Some(answer) => match answer.get("error").and_then(Value::as_str) {
            Some(error) if !error.is_empty() => Err(error.to_owned()),
            _ => Ok(()),
        },
        None => Ok(()),
    }
}

/// `OnDeactivate`.
pub(super) async fn deactivate_hook(app: &App, running: &Arc<Running>) {
    let _ = call(app, running, "on_deactivate", &json!({})).await;
}

/// `OnConfigurationChange`, when the plugin's settings changed since it last heard.
pub(super) async fn configuration_changed(app: &App, running: &Arc<Running>) {
    let config = app.config();
    let settings = running
        .manifest
        .settings_with_defaults(config.plugin_settings.plugins.get(&running.manifest.id));
    let changed = {
        let mut known = running.settings.lock().unwrap_or_else(|p| p.into_inner());
        let changed = *known != settings;
        *known = settings.clone();
        changed
    };
    if changed {
        let _ = call(
            app,
            running,
            "on_configuration_change",
            &json!({ "configuration": settings }),
        )
        .await;
    }
}

/// `MessageWillBePosted`: each running plugin in turn may change the post's message and
/// props, or refuse it (400, Mattermost's `Post rejected by plugin. …`).
pub async fn message_will_be_posted(app: &App, mut post: Post) -> AppResult<Post> {
    let chain = callers();
    for running in listening(app, "message_will_be_posted", &chain) {
        let Ok(Some(answer)) = call(
            app,
            &running,
            "message_will_be_posted",
            &json!({ "post": post_for_plugin(&post)? }),
        )
        .await
        else {
            continue;
        };
        if let Some(reason) = answer.get("rejection").and_then(Value::as_str) {
            return Err(AppError::bad_request(
                &format!("Post rejected by plugin. {reason}"),
                format!("Post rejected by plugin. {reason}"),
            ));
        }
        if let Some(changed) = answer.get("post").filter(|p| !p.is_null()) {
            let changed: Post = serde_json::from_value(changed.clone())
                .map_err(|e| AppError::internal("plugin.message_will_be_posted.app_error", e))?;
            post.message = changed.message;
            post.props = changed.props;
        }
    }
    Ok(post)
}

/// `ExecuteCommand`: the plugin's `CommandResponse`.
pub async fn execute_command(app: &App, plugin_id: &str, args: &Value) -> AppResult<Value> {
    let running = app
        .plugins
        .running()
        .get(plugin_id)
        .cloned()
        .ok_or_else(super::not_installed)?;
    let answer = call(app, &running, "execute_command", args)
        .await
        .map_err(|e| AppError::internal("model.plugin_command_error.error.app_error", e))?;
    Ok(answer.unwrap_or_else(|| json!({})))
}

/// A request to `/plugins/{id}/…` (`ServeHTTP`).
#[derive(Debug, serde::Serialize)]
pub struct HttpRequest {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: serde_json::Map<String, Value>,
    pub body: String,
    pub user_id: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct HttpResponse {
    #[serde(default)]
    pub status: u16,
    #[serde(default)]
    pub headers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub body: String,
}

/// `ServeHTTP`: 404 when the plugin does not run or serves no HTTP.
pub async fn serve_http(
    app: &App,
    plugin_id: &str,
    request: &HttpRequest,
) -> AppResult<HttpResponse> {
    let not_found = || {
        AppError::not_found(
            "api.plugin.not_found",
            "The plugin is not running or serves no HTTP.",
        )
    };
    let running = app
        .plugins
        .running()
        .get(plugin_id)
        .cloned()
        .ok_or_else(not_found)?;
    let input =
        serde_json::to_value(request).map_err(|e| AppError::internal("api.marshal_error", e))?;
    match call(app, &running, "serve_http", &input).await {
        Ok(Some(answer)) => Ok(serde_json::from_value(answer).unwrap_or_default()),
        Ok(None) => Err(not_found()),
        Err(reason) => Err(AppError::internal("plugin.serve_http.app_error", reason)),
    }
}

/// The bus subscriber for the hooks after a write: `MessageHasBeenPosted` and
/// `UserHasJoinedChannel`. Local events only (one node calls them per write), and off the
/// publisher's path: the calls run in a task of their own.
pub struct PluginEvents;

impl Subscriber for PluginEvents {
    fn name(&self) -> &'static str {
        "plugins"
    }

    fn on_event<'a>(&'a self, app: &'a App, event: &'a Event) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let hook = match event {
                Event::PostCreated { .. } => "message_has_been_posted",
                Event::ChannelMemberAdded { .. } => "user_has_joined_channel",
                _ => return,
            };
            let chain = callers();
            let listening = listening(app, hook, &chain);
            // Every post passes here: it is written out only when a plugin listens.
            if listening.is_empty() {
                return;
            }
            let input = match event {
                Event::PostCreated { post, .. } => match post_for_plugin(post) {
                    Ok(post) => json!({ "post": post }),
                    Err(_) => return,
                },
                Event::ChannelMemberAdded { channel, user_id } => {
                    json!({ "channel_id": channel.id, "user_id": user_id })
                }
                _ => return,
            };
            let Some(app) = app.plugins.app() else { return };
            tokio::spawn(super::host_api::CALLERS.scope(chain, async move {
                for running in listening {
                    let _ = call(&app, &running, hook, &input).await;
                }
            }));
        })
    }
}

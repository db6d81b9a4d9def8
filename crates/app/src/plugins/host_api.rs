//! The API plugins call (`utmost.call`): Mattermost's plugin API method names, JSON in and
//! out. It acts with the server's rights: no permission is checked for the plugin (as in
//! Mattermost, an installed plugin is trusted by the admin who enabled it), but what it
//! writes goes through the same app functions, checks of validity and events as a user's.

use super::runtime::Host;
use crate::{App, AppResult};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Weak;
use tokio::runtime::Handle;
use utmost_model::post::Post;
use utmost_model::AppError;

tokio::task_local! {
    /// The plugins whose calls led to the current task's work (see `Host::call`).
    pub static CALLERS: Vec<String>;
}

/// The plugins waiting on the current task: their hooks are skipped.
pub fn callers() -> Vec<String> {
    CALLERS.try_with(Clone::clone).unwrap_or_default()
}

pub struct ApiHost {
    pub app: Weak<App>,
    pub handle: Handle,
}

#[derive(Deserialize)]
struct Request {
    method: String,
    #[serde(default)]
    params: Value,
}

impl Host for ApiHost {
    fn call(&self, chain: &[String], request: &[u8]) -> Vec<u8> {
        let answer = match (
            self.app.upgrade(),
            serde_json::from_slice::<Request>(request),
        ) {
            (Some(app), Ok(request)) => {
                let plugin_id = chain.last().cloned().unwrap_or_default();
                let work = dispatch(&app, &plugin_id, &request.method, request.params);
                self.handle.block_on(CALLERS.scope(chain.to_vec(), work))
            }
            (None, _) => Err(AppError::internal(
                "plugin.api.stopped",
                "the server is stopping",
            )),
            (_, Err(e)) => Err(AppError::bad_request(
                "plugin.api.request",
                "The API request was not understood.",
            )
            .with_detail(e.to_string())),
        };
        let reply = match answer {
            Ok(result) => json!({ "result": result }),
            Err(e) => {
                json!({ "error": { "id": e.id, "message": e.message, "status_code": e.status_code } })
            }
        };
        serde_json::to_vec(&reply).unwrap_or_default()
    }

    fn log(&self, plugin_id: &str, level: u32, message: &str) {
        match level {
            0 => tracing::debug!(plugin_id, "{message}"),
            1 => tracing::info!(plugin_id, "{message}"),
            2 => tracing::warn!(plugin_id, "{message}"),
            _ => tracing::error!(plugin_id, "{message}"),
        }
    }
}

fn param<T: serde::de::DeserializeOwned>(params: &Value, name: &str) -> AppResult<T> {
    serde_json::from_value(params.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| AppError::invalid_param(name).with_detail(e.to_string()))
}

fn to_value(v: impl serde::Serialize) -> AppResult<Value> {
    serde_json::to_value(v).map_err(|e| AppError::internal("api.marshal_error", e))
}

/// A post as a plugin reads it: with its actions' integrations, which clients never see.
pub fn post_for_plugin(post: &Post) -> AppResult<Value> {
    let mut value = to_value(post)?;
    value["props"] = to_value(&post.props)?;
    Ok(value)
}

async fn dispatch(app: &App, plugin_id: &str, method: &str, params: Value) -> AppResult<Value> {
    let kv = super::kv::Kv { app, plugin_id };
    match method {
        "CreatePost" => {
            let post: Post = param(&params, "post")?;
            let author = crate::caches::users::get(app, &post.user_id)
                .await?
                .ok_or_else(|| AppError::invalid_param("post.user_id"))?;
            let session = crate::posts::acting_as(&author);
            post_for_plugin(&crate::posts::create_as_user(app, &session, post).await?)
        }
        "UpdatePost" => {
            let post: Post = param(&params, "post")?;
            let old = crate::posts::get_single(app, &post.id, false).await?;
            let update = crate::posts::PostUpdate {
                message: post.message,
                is_pinned: old.is_pinned,
                has_reactions: old.has_reactions,
                file_ids: None,
                props: Some(post.props),
            };
            post_for_plugin(&crate::posts::update(app, &old.id, update).await?)
        }
        "GetPost" => post_for_plugin(
            &crate::posts::get_single(app, &param::<String>(&params, "post_id")?, false).await?,
        ),
        "DeletePost" => {
            crate::posts::delete(app, &param::<String>(&params, "post_id")?, "").await?;
            Ok(Value::Null)
        }
        "SendEphemeralPost" => {
            let post: Post = param(&params, "post")?;
            post_for_plugin(
                &crate::ephemeral::send(app, &param::<String>(&params, "user_id")?, post).await,
            )
        }
        "GetUser" => {
            let id: String = param(&params, "user_id")?;
            let user = crate::caches::users::get(app, &id).await?;
            to_value(user.ok_or_else(|| {
                AppError::not_found("app.user.missing_account.const", "Unable to find the user.")
            })?)
        }
        "GetUserByUsername" => {
            let name: String = param(&params, "username")?;
            let user = utmost_store::users::get_by_username(&app.store, &name).await?;
            to_value(user.ok_or_else(|| {
                AppError::not_found("app.user.missing_account.const", "Unable to find the user.")
            })?)
        }
        "GetChannel" => {
            let id: String = param(&params, "channel_id")?;
            let channel = crate::caches::channels::get(app, &id).await?;
            to_value(channel.ok_or_else(|| {
                AppError::not_found(
                    "app.channel.get.existing.app_error",
                    "Unable to find the existing channel.",
                )
            })?)
        }
        "EnsureBotUser" => {
            let bot = crate::bots::ensure(
                app,
                &param::<String>(&params, "username")?,
                &param::<String>(&params, "display_name").unwrap_or_default(),
                &param::<String>(&params, "description").unwrap_or_default(),
                plugin_id,
            )
            .await?;
            Ok(json!(bot.id))
        }
        "RegisterCommand" => {
            super::commands::register(app, plugin_id, param(&params, "command")?)?;
            Ok(Value::Null)
        }
        "GetPluginConfig" => {
            let manifest = app
                .plugins
                .manifest(plugin_id)
                .ok_or_else(super::not_installed)?;
            let config = app.config();
            to_value(manifest.settings_with_defaults(config.plugin_settings.plugins.get(plugin_id)))
        }
        "OpenInteractiveDialog" => {
            let request: utmost_model::integration_action::OpenDialogRequest =
                serde_json::from_value(params)
                    .map_err(|e| AppError::invalid_param("dialog").with_detail(e.to_string()))?;
            crate::interactive::dialogs::open(app, request).await?;
            Ok(Value::Null)
        }
        "KVGet" => kv.get(&param::<String>(&params, "key")?).await,
        "KVSet" => {
            let expire: i64 = param(&params, "expire_in_seconds").unwrap_or(0);
            kv.set(&param::<String>(&params, "key")?, &params["value"], expire)
                .await?;
            Ok(Value::Null)
        }
        "KVCompareAndSet" => {
            let old = params.get("old").filter(|v| !v.is_null());
            let set = kv
                .compare_and_set(&param::<String>(&params, "key")?, old, &params["new"])
                .await?;
            Ok(json!(set))
        }
        "KVDelete" => {
            kv.delete(&param::<String>(&params, "key")?).await?;
            Ok(Value::Null)
        }
        "KVList" => to_value(
            kv.list(
                param(&params, "page").unwrap_or(0),
                param(&params, "per_page").unwrap_or(100),
            )
            .await?,
        ),
        _ => Err(AppError::new(
            501,
            "plugin.api.unknown_method",
            format!("The plugin API has no method {method}."),
        )),
    }
}

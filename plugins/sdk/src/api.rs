//! The server's API for plugins, one JSON call each (method names are Mattermost's plugin
//! API's). Every call acts with the server's rights, not a user's: a plugin checks who may
//! do what itself.

use crate::abi::{call_raw, log_message, Level};
use crate::types::{ApiError, Channel, Command, Post, User};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

pub type Result<T> = std::result::Result<T, ApiError>;

/// Calls `method` with `params`; the server answers `{"result": …}` or `{"error": …}`.
pub fn call<T: DeserializeOwned>(method: &str, params: Value) -> Result<T> {
    let request = json!({ "method": method, "params": params });
    let reply = call_raw(&serde_json::to_vec(&request).unwrap_or_default());
    let mut reply: Map<String, Value> = serde_json::from_slice(&reply).map_err(|e| ApiError {
        id: "plugin.api.reply".into(),
        message: e.to_string(),
        status_code: 500,
    })?;
    if let Some(error) = reply.remove("error") {
        return Err(serde_json::from_value(error).unwrap_or_default());
    }
    let result = reply.remove("result").unwrap_or(Value::Null);
    serde_json::from_value(result).map_err(|e| ApiError {
        id: "plugin.api.result".into(),
        message: e.to_string(),
        status_code: 500,
    })
}

pub fn create_post(post: &Post) -> Result<Post> {
    call("CreatePost", json!({ "post": post }))
}

/// Replaces a post's message and props (an edit the post's channel sees at once).
pub fn update_post(post: &Post) -> Result<Post> {
    call("UpdatePost", json!({ "post": post }))
}

pub fn get_post(post_id: &str) -> Result<Post> {
    call("GetPost", json!({ "post_id": post_id }))
}

pub fn delete_post(post_id: &str) -> Result<()> {
    call("DeletePost", json!({ "post_id": post_id }))
}

/// A post only `user_id` sees, now, and never stored.
pub fn send_ephemeral_post(user_id: &str, post: &Post) -> Result<()> {
    call(
        "SendEphemeralPost",
        json!({ "user_id": user_id, "post": post }),
    )
}

pub fn get_user(user_id: &str) -> Result<User> {
    call("GetUser", json!({ "user_id": user_id }))
}

pub fn get_user_by_username(username: &str) -> Result<User> {
    call("GetUserByUsername", json!({ "username": username }))
}

pub fn get_channel(channel_id: &str) -> Result<Channel> {
    call("GetChannel", json!({ "channel_id": channel_id }))
}

/// The plugin's own bot, made on first use; answers its user id.
pub fn ensure_bot(username: &str, display_name: &str, description: &str) -> Result<String> {
    call(
        "EnsureBotUser",
        json!({ "username": username, "display_name": display_name, "description": description }),
    )
}

/// Answers `/{trigger}` in every team through the `execute_command` hook.
pub fn register_command(command: &Command) -> Result<()> {
    call("RegisterCommand", json!({ "command": command }))
}

/// The plugin's settings (`PluginSettings.Plugins[id]`).
pub fn get_plugin_config() -> Result<Map<String, Value>> {
    call("GetPluginConfig", json!({}))
}

pub fn kv_get<T: DeserializeOwned>(key: &str) -> Result<Option<T>> {
    call("KVGet", json!({ "key": key }))
}

/// Sets `key`; `expire_in_seconds` 0 keeps it until deleted.
pub fn kv_set<T: Serialize>(key: &str, value: &T, expire_in_seconds: i64) -> Result<()> {
    call(
        "KVSet",
        json!({ "key": key, "value": value, "expire_in_seconds": expire_in_seconds }),
    )
}

/// Sets `key` to `new` only while it holds `old` (`None`: while it is absent); true when set.
pub fn kv_compare_and_set<T: Serialize>(key: &str, old: Option<&T>, new: &T) -> Result<bool> {
    call(
        "KVCompareAndSet",
        json!({ "key": key, "old": old, "new": new }),
    )
}

pub fn kv_delete(key: &str) -> Result<()> {
    call("KVDelete", json!({ "key": key }))
}

pub fn kv_list(page: u32, per_page: u32) -> Result<Vec<String>> {
    call("KVList", json!({ "page": page, "per_page": per_page }))
}

pub fn log_info(message: &str) {
    log_message(Level::Info, message)
}

pub fn log_warn(message: &str) {
    log_message(Level::Warn, message)
}

pub fn log_error(message: &str) {
    log_message(Level::Error, message)
}

pub fn log_debug(message: &str) {
    log_message(Level::Debug, message)
}

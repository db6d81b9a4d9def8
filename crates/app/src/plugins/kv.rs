//! A plugin's key-value store (Mattermost's `KVSet`, `KVGet`, `KVCompareAndSet`, …) over
//! `pluginkeyvaluestore`. Values are JSON, stored as their bytes; keys are at most 150
//! characters and values at most 1 MiB, so one plugin cannot fill the database in a call.

use crate::App;
use crate::AppResult;
use serde_json::Value;
use utmost_model::{now_millis, AppError};
use utmost_store::plugin_kv as store;

const MAX_KEY: usize = 150;
const MAX_VALUE: usize = 1024 * 1024;
const MAX_PAGE: u32 = 1000;

pub struct Kv<'a> {
    pub app: &'a App,
    pub plugin_id: &'a str,
}

fn bytes(value: &Value) -> AppResult<Vec<u8>> {
    let bytes =
        serde_json::to_vec(value).map_err(|e| AppError::internal("api.marshal_error", e))?;
    if bytes.len() > MAX_VALUE {
        return Err(AppError::bad_request(
            "app.plugin_store.save.app_error",
            "A plugin's value is at most 1 MiB.",
        ));
    }
    Ok(bytes)
}

fn check_key(key: &str) -> AppResult<()> {
    if key.is_empty() || key.chars().count() > MAX_KEY {
        return Err(AppError::bad_request(
            "model.plugin_key_value.is_valid.key.app_error",
            "A key has 1 to 150 characters.",
        ));
    }
    Ok(())
}

impl Kv<'_> {
    pub async fn get(&self, key: &str) -> AppResult<Value> {
        check_key(key)?;
        let stored = store::get(&self.app.store, self.plugin_id, key, now_millis()).await?;
        // A value another server's plugin stored may not be JSON: it reads as a string.
        Ok(stored.map_or(Value::Null, |b| {
            serde_json::from_slice(&b)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&b).into_owned()))
        }))
    }

    pub async fn set(&self, key: &str, value: &Value, expire_in_seconds: i64) -> AppResult<()> {
        check_key(key)?;
        let expire_at = if expire_in_seconds > 0 {
            now_millis() + expire_in_seconds * 1000
        } else {
            0
        };
        store::set(
            &self.app.store,
            self.plugin_id,
            key,
            &bytes(value)?,
            expire_at,
        )
        .await?;
        Ok(())
    }

    pub async fn compare_and_set(
        &self,
        key: &str,
        old: Option<&Value>,
        new: &Value,
    ) -> AppResult<bool> {
        check_key(key)?;
        let old = old.map(bytes).transpose()?;
        let set = store::compare_and_set(
            &self.app.store,
            self.plugin_id,
            key,
            old.as_deref(),
            &bytes(new)?,
            now_millis(),
        )
        .await?;
        Ok(set)
    }

    pub async fn delete(&self, key: &str) -> AppResult<()> {
        check_key(key)?;
        store::delete(&self.app.store, self.plugin_id, key).await?;
        Ok(())
    }

    pub async fn list(&self, page: u32, per_page: u32) -> AppResult<Vec<String>> {
        let per_page = per_page.clamp(1, MAX_PAGE);
        let keys = store::list(
            &self.app.store,
            self.plugin_id,
            now_millis(),
            i64::from(page) * i64::from(per_page),
            i64::from(per_page),
        )
        .await?;
        Ok(keys)
    }
}

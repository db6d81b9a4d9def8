//! Mattermost's `pluginkeyvaluestore`: each plugin's own keys and values. An expired value
//! reads as absent and is overwritten like a missing one; `purge_expired` deletes them.

use crate::db::{execute, read};
use crate::{Result, Store};

/// `value` if `pkey` holds it and has not expired at `now`.
pub async fn get(store: &Store, plugin_id: &str, key: &str, now: i64) -> Result<Option<Vec<u8>>> {
    let sql = "SELECT pvalue FROM pluginkeyvaluestore
               WHERE pluginid = $1 AND pkey = $2 AND (expireat IS NULL OR expireat = 0 OR expireat > $3)";
    let v: Option<Option<Vec<u8>>> = read!(store, |p| sqlx::query_scalar(sql)
        .bind(plugin_id)
        .bind(key)
        .bind(now)
        .fetch_optional(p)
        .await)?;
    Ok(v.flatten())
}

/// Sets `key`; `expire_at` 0 keeps it until it is deleted.
pub async fn set(
    store: &Store,
    plugin_id: &str,
    key: &str,
    value: &[u8],
    expire_at: i64,
) -> Result<()> {
    let sql = "INSERT INTO pluginkeyvaluestore (pluginid, pkey, pvalue, expireat) VALUES ($1, $2, $3, $4)
               ON CONFLICT (pluginid, pkey) DO UPDATE SET pvalue = excluded.pvalue, expireat = excluded.expireat";
    execute!(store, sql, plugin_id, key, value, expire_at)?;
    Ok(())
}

/// Sets `key` to `new` only while it holds `old` (`None`: only while it is absent or
/// expired at `now`); true when it was set. This is how a plugin counts votes on several
/// nodes at once without losing one.
pub async fn compare_and_set(
    store: &Store,
    plugin_id: &str,
    key: &str,
    old: Option<&[u8]>,
    new: &[u8],
    now: i64,
) -> Result<bool> {
    let changed = match old {
        Some(old) => {
            let sql = "UPDATE pluginkeyvaluestore SET pvalue = $4, expireat = 0
                       WHERE pluginid = $1 AND pkey = $2 AND pvalue = $3
                         AND (expireat IS NULL OR expireat = 0 OR expireat > $5)";
            execute!(store, sql, plugin_id, key, old, new, now)?
        }
        None => {
            let sql = "INSERT INTO pluginkeyvaluestore (pluginid, pkey, pvalue, expireat) VALUES ($1, $2, $3, 0)
                       ON CONFLICT (pluginid, pkey) DO UPDATE SET pvalue = excluded.pvalue, expireat = 0
                       WHERE pluginkeyvaluestore.expireat IS NOT NULL AND pluginkeyvaluestore.expireat <> 0
                         AND pluginkeyvaluestore.expireat <= $4";
            execute!(store, sql, plugin_id, key, new, now)?
        }
    };
    Ok(changed == 1)
}

pub async fn delete(store: &Store, plugin_id: &str, key: &str) -> Result<()> {
    let sql = "DELETE FROM pluginkeyvaluestore WHERE pluginid = $1 AND pkey = $2";
    execute!(store, sql, plugin_id, key)?;
    Ok(())
}

/// A page of the plugin's live keys, in key order.
pub async fn list(
    store: &Store,
    plugin_id: &str,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<String>> {
    let sql = "SELECT pkey FROM pluginkeyvaluestore
               WHERE pluginid = $1 AND (expireat IS NULL OR expireat = 0 OR expireat > $2)
               ORDER BY pkey LIMIT $3 OFFSET $4";
    let keys = read!(store, |p| sqlx::query_scalar(sql)
        .bind(plugin_id)
        .bind(now)
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await)?;
    Ok(keys)
}

//! A user's multi-factor authentication columns, in Mattermost's layout: `mfaactive`,
//! `mfasecret` and `mfausedtimestamps` (the TOTP steps already accepted, a JSON array of
//! decimal strings).

use crate::db::{execute, read, transaction};
use crate::types::Json;
use crate::{Result, Store};
use serde_json::Value;

/// Stores a newly generated secret (Mattermost's `UpdateMfaSecret`); the steps used with an
/// earlier secret are forgotten. False when the user does not exist.
pub async fn set_secret(store: &Store, user_id: &str, secret: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE users SET mfasecret = $1, mfausedtimestamps = $2, updateat = $3 WHERE id = $4",
        secret,
        Json(Vec::<String>::new()),
        at,
        user_id
    )?;
    Ok(changed == 1)
}

/// Turns MFA on, provided the secret is still the one the code was checked against (a secret
/// generated meanwhile is not activated by a code for the old one).
pub async fn activate(store: &Store, user_id: &str, secret: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE users SET mfaactive = $1, updateat = $2 WHERE id = $3 AND mfasecret = $4",
        true,
        at,
        user_id,
        secret
    )?;
    Ok(changed == 1)
}

/// Turns MFA off and forgets the secret and the used steps (Mattermost's `Deactivate`).
pub async fn deactivate(store: &Store, user_id: &str, at: i64) -> Result<bool> {
    let changed = execute!(
        store,
        "UPDATE users SET mfaactive = $1, mfasecret = '', mfausedtimestamps = $2, updateat = $3 \
         WHERE id = $4",
        false,
        Json(Vec::<String>::new()),
        at,
        user_id
    )?;
    Ok(changed == 1)
}

/// Replaces the stored secret by `sealed` only while it is still `plain` (a secret read from
/// a Mattermost database is sealed once it has been used; a newer secret is left alone).
pub async fn reseal(store: &Store, user_id: &str, plain: &str, sealed: &str) -> Result<()> {
    execute!(
        store,
        "UPDATE users SET mfasecret = $1 WHERE id = $2 AND mfasecret = $3",
        sealed,
        user_id,
        plain
    )?;
    Ok(())
}

/// The steps recorded as used, as numbers (Mattermost writes strings; numbers are read too).
pub async fn used_steps(store: &Store, user_id: &str) -> Result<Vec<u64>> {
    let row: Option<Option<Json<Value>>> = read!(store, |p| sqlx::query_scalar(
        "SELECT mfausedtimestamps FROM users WHERE id = $1"
    )
    .bind(user_id)
    .fetch_optional(p)
    .await)?;
    Ok(steps(row.flatten()))
}

/// The steps of the column's array; NULL, `null` (Go's empty slice) or anything else is none.
fn steps(column: Option<Json<Value>>) -> Vec<u64> {
    let column = column.map(|j| j.0).unwrap_or_default();
    column
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|v| match v {
            Value::String(s) => s.parse().ok(),
            other => other.as_u64(),
        })
        .collect()
}

/// Records `step` as used unless it already is: true when this call recorded it, so of two
/// logins with the same code only one passes. Steps before `oldest_kept` are dropped, which
/// keeps the list as short as the window of accepted steps. The row is locked (a no-op
/// update) before it is read, so concurrent claims run one after the other on both databases.
pub async fn claim_step(store: &Store, user_id: &str, step: u64, oldest_kept: u64) -> Result<bool> {
    transaction!(store, |tx| {
        sqlx::query("UPDATE users SET mfausedtimestamps = mfausedtimestamps WHERE id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let column: Option<Option<Json<Value>>> =
            sqlx::query_scalar("SELECT mfausedtimestamps FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let used = steps(column.flatten());
        if used.contains(&step) {
            false
        } else {
            let kept: Vec<String> = used
                .into_iter()
                .filter(|s| *s >= oldest_kept)
                .chain([step])
                .map(|s| s.to_string())
                .collect();
            sqlx::query("UPDATE users SET mfausedtimestamps = $1 WHERE id = $2")
                .bind(Json(kept))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            true
        }
    })
}

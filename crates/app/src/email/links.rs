//! The one-shot tokens behind emailed links, in Mattermost's `tokens` table and types. The
//! link carries the token (64 characters, Mattermost's `TokenSize`); the table holds only its
//! hash (`sessions::hash_token`), so a database dump opens nothing.

use crate::{App, AppResult};
use serde::de::DeserializeOwned;
use serde::Serialize;
use utmost_model::id::new_random_string;
use utmost_model::now_millis;
use utmost_store::tokens::{self as store, TokenRow};

/// Mattermost's `TokenSize`.
pub const TOKEN_SIZE: usize = 64;

pub const PASSWORD_RECOVERY: &str = "password_recovery";
pub const VERIFY_EMAIL: &str = "verify_email";
pub const TEAM_INVITATION: &str = "team_invitation";

/// Mattermost's `PasswordRecoverExpiryTime`, which email verification shares.
pub const RECOVERY_EXPIRY_MS: i64 = 24 * 60 * 60 * 1000;
/// Mattermost's `InvitationExpiryTime`.
pub const INVITATION_EXPIRY_MS: i64 = 48 * 60 * 60 * 1000;

/// Saves a new token of `kind` with `extra` (JSON, Mattermost's layout) and returns the raw
/// token for the link.
pub(crate) async fn create(app: &App, kind: &str, extra: &impl Serialize) -> AppResult<String> {
    let raw = new_random_string(TOKEN_SIZE);
    let extra = serde_json::to_string(extra)
        .map_err(|e| utmost_model::AppError::internal("api.user.create_token.error", e))?;
    store::insert(
        &app.store,
        &TokenRow {
            token: crate::sessions::hash_token(&raw),
            create_at: now_millis(),
            kind: kind.to_string(),
            extra,
        },
    )
    .await?;
    Ok(raw)
}

/// A token found by its raw form, with its `extra` parsed.
pub(crate) struct Found<T> {
    stored: String,
    pub kind: String,
    pub create_at: i64,
    /// `None` when `extra` is not what the type holds.
    pub extra: Option<T>,
}

pub(crate) async fn find<T: DeserializeOwned>(app: &App, raw: &str) -> AppResult<Option<Found<T>>> {
    let stored = crate::sessions::hash_token(raw);
    Ok(store::get(&app.store, &stored).await?.map(|row| Found {
        stored: row.token,
        kind: row.kind,
        create_at: row.create_at,
        extra: serde_json::from_str(&row.extra).ok(),
    }))
}

impl<T> Found<T> {
    pub fn expired(&self, after_ms: i64) -> bool {
        now_millis() - self.create_at >= after_ms
    }

    /// Uses the token up: false when a concurrent request used it first.
    pub async fn take(&self, app: &App) -> AppResult<bool> {
        Ok(store::take(&app.store, &self.stored).await?)
    }
}

impl Found<serde_json::Value> {
    /// The same token with `extra` read as the type its kind holds.
    pub fn parse<T: DeserializeOwned>(self) -> Found<T> {
        Found {
            stored: self.stored,
            kind: self.kind,
            create_at: self.create_at,
            extra: self.extra.and_then(|v| serde_json::from_value(v).ok()),
        }
    }
}

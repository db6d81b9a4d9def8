//! `utmost_saml_ids` (migration 0028): the ids SAML sign-in must remember across requests,
//! nodes and restarts. An AuthnRequest id is remembered from the moment the request is sent
//! until it expires (the IdP's answer must name one); an accepted assertion's id is kept
//! until the assertion expires, so the same assertion is never accepted twice.

use crate::db::execute;
use crate::{Result, Store};

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamlId {
    /// An AuthnRequest this server sent.
    Request,
    /// An assertion this server accepted.
    Assertion,
}

impl SamlId {
    fn kind(self) -> &'static str {
        match self {
            SamlId::Request => "request",
            SamlId::Assertion => "assertion",
        }
    }
}

/// Remembers `id` until `expire_at` (ms). False when it was remembered already (and has not
/// expired): for an assertion, a replay.
pub async fn remember(store: &Store, kind: SamlId, id: &str, expire_at: i64) -> Result<bool> {
    let inserted = execute!(
        store,
        "INSERT INTO utmost_saml_ids (id, kind, expireat) VALUES ($1, $2, $3) \
         ON CONFLICT (kind, id) DO NOTHING",
        id,
        kind.kind(),
        expire_at,
    )?;
    Ok(inserted == 1)
}

/// Whether the unexpired `id` is remembered.
pub async fn is_remembered(store: &Store, kind: SamlId, id: &str, now: i64) -> Result<bool> {
    let found: Option<(i64,)> = crate::db::read!(store, |p| sqlx::query_as(
        "SELECT expireat FROM utmost_saml_ids WHERE kind = $1 AND id = $2 AND expireat > $3"
    )
    .bind(kind.kind())
    .bind(id)
    .bind(now)
    .fetch_optional(p)
    .await)?;
    Ok(found.is_some())
}

/// Forgets the ids that expired before `now`, at most `limit` of them (a sign-in's bounded
/// share of the clean-up).
pub async fn forget_expired(store: &Store, now: i64, limit: i64) -> Result<u64> {
    Ok(execute!(
        store,
        "DELETE FROM utmost_saml_ids WHERE (kind, id) IN \
         (SELECT kind, id FROM utmost_saml_ids WHERE expireat <= $1 LIMIT $2)",
        now,
        limit,
    )?)
}

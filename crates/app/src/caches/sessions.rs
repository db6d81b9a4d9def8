//! Sessions by token: every authenticated request resolves one.
//!
//! Keyed by the token's stored form, so no raw token is held. A session changes in the
//! database only through `app::sessions` (revoked, ended with its user's, roles copied on a
//! role change, activity and expiry extended, device and props set), and every such write
//! publishes an event that drops the copy here. Expiry is checked on every use, cached or not.

use super::bounded::Bounded;
use std::collections::HashSet;
use std::sync::Arc;
use utmost_model::session::Session;

/// Sessions kept at most (a few hundred bytes each).
pub(super) const CAPACITY: usize = 100_000;

/// Keyed by the token's stored form.
pub(crate) type Sessions = Bounded<String, Arc<Session>>;

impl Sessions {
    pub(crate) fn drop_ids(&self, ids: &HashSet<&str>) {
        self.remove_where(|_, s| ids.contains(s.id.as_str()));
    }

    pub(crate) fn drop_user_sessions(&self, user_id: &str) {
        self.remove_where(|_, s| s.user_id == user_id);
    }
}

//! Sessions by token: every authenticated request resolves one.
//!
//! Keyed by the token's stored form, so no raw token is held. A session changes in the
//! database only through `app::sessions` (revoked, ended with its user's, roles copied on a
//! role change, activity and expiry extended, device and props set), and every such write
//! publishes an event that drops the copy here. Expiry is checked on every use, cached or not.

use super::bounded::Bounded;
use crate::AppResult;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use utmost_model::session::Session;

/// Sessions kept at most (a few hundred bytes each).
const CAPACITY: usize = 100_000;

pub struct Sessions(Bounded<String, Arc<Session>>);

impl Default for Sessions {
    fn default() -> Self {
        Self(Bounded::new(CAPACITY))
    }
}

impl Sessions {
    /// The session whose token's stored form is `stored_token`, or `load`'s.
    pub(crate) async fn get_or_load(
        &self,
        stored_token: &str,
        load: impl Future<Output = AppResult<Option<Arc<Session>>>>,
    ) -> AppResult<Option<Arc<Session>>> {
        self.0
            .get_or_load_found(stored_token.to_string(), load)
            .await
    }

    pub(crate) fn drop_ids(&self, ids: &HashSet<&str>) {
        self.0.remove_where(|_, s| ids.contains(s.id.as_str()));
    }

    pub(crate) fn drop_user(&self, user_id: &str) {
        self.0.remove_where(|_, s| s.user_id == user_id);
    }

    pub(crate) fn drop_all(&self) {
        self.0.clear();
    }
}

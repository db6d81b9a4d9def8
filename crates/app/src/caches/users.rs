//! Users by id, as stored (unsanitised: callers sanitise for their viewer).
//!
//! Every write to a user row publishes an event naming the user (`UserUpdated`,
//! `UserRolesUpdated`, `UserActivationChanged`, `UserCredentialsChanged`), which drops it.

use super::bounded::Bounded;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::user::User;

/// Users kept at most.
pub(super) const CAPACITY: usize = 100_000;

pub(crate) type Users = Bounded<String, Arc<User>>;

/// The user as stored, or None when there is no such user.
pub async fn get(app: &App, user_id: &str) -> AppResult<Option<Arc<User>>> {
    let load = async {
        let user = utmost_store::users::get(&app.store, user_id).await?;
        AppResult::Ok(user.map(Arc::new))
    };
    app.caches
        .users
        .get_or_load_found(user_id.to_string(), load)
        .await
}

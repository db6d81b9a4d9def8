//! A user's effective roles in a team, or that they are not a live member, by (team, user):
//! permission checks on a channel read its team's membership too. Memberships change only
//! through events that drop the entry (`TeamMemberAdded`, `TeamMemberRemoved`,
//! `TeamMemberUpdated`, a team's deletion).

use super::memberships::effective_roles;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::roles::effective_team_roles;

/// Memberships kept at most.
pub(super) const CAPACITY: usize = 100_000;

/// `user_id`'s effective roles in `team_id`, or None when they are not a live member.
pub async fn roles(app: &App, team_id: &str, user_id: &str) -> AppResult<Option<Arc<str>>> {
    let load = async {
        let member = utmost_store::authz::team_member_roles(&app.store, team_id, user_id).await?;
        AppResult::Ok(member.map(|m| effective_roles(m, effective_team_roles)))
    };
    let key = (team_id.to_string(), user_id.to_string());
    app.caches.team_members.get_or_load(key, load).await
}

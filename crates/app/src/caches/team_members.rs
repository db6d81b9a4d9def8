//! A user's effective roles in a team, or that they are not a live member, by (team, user):
//! permission checks on a channel read its team's membership too. Memberships change only
//! through events that drop the entry (`TeamMemberAdded`, `TeamMemberRemoved`,
//! `TeamMemberUpdated`).

use super::bounded::Bounded;
use crate::{App, AppResult};
use std::sync::Arc;
use utmost_model::roles::effective_team_roles;

/// Memberships kept at most.
const CAPACITY: usize = 100_000;

/// `None`: not a live member.
pub(crate) type TeamRoles = Option<Arc<str>>;

pub struct TeamMembers(Bounded<(String, String), TeamRoles>);

impl Default for TeamMembers {
    fn default() -> Self {
        Self(Bounded::new(CAPACITY))
    }
}

impl TeamMembers {
    pub(crate) fn drop_all(&self) {
        self.0.clear();
    }

    pub(crate) fn drop_member(&self, team_id: &str, user_id: &str) {
        self.0.remove(&(team_id.to_string(), user_id.to_string()));
    }
}

/// `user_id`'s effective roles in `team_id`, or None when they are not a live member.
pub async fn roles(app: &App, team_id: &str, user_id: &str) -> AppResult<TeamRoles> {
    let load = async {
        let member = utmost_store::authz::team_member_roles(&app.store, team_id, user_id).await?;
        AppResult::Ok(member.map(|m| {
            effective_team_roles(
                m.roles.as_deref().unwrap_or(""),
                m.schemeguest.unwrap_or(false),
                m.schemeuser.unwrap_or(false),
                m.schemeadmin.unwrap_or(false),
            )
            .into()
        }))
    };
    let key = (team_id.to_string(), user_id.to_string());
    app.caches.team_members.0.get_or_load(key, load).await
}

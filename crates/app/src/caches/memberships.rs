//! What the two membership caches share: a user's effective roles in a scope (a channel or a
//! team), or `None` when they are not a member, keyed by (scope id, user id).

use super::bounded::Bounded;
use std::sync::Arc;
use utmost_store::authz::MemberRoles;

pub(crate) type Memberships = Bounded<(String, String), Option<Arc<str>>>;

impl Memberships {
    pub(crate) fn drop_member(&self, scope_id: &str, user_id: &str) {
        self.remove(&(scope_id.to_string(), user_id.to_string()));
    }

    pub(crate) fn drop_scope(&self, scope_id: &str) {
        self.remove_where(|(scope, _), _| scope == scope_id);
    }

    pub(crate) fn drop_user(&self, user_id: &str) {
        self.remove_where(|(_, user), _| user == user_id);
    }
}

/// A stored membership's effective roles: its explicit roles and the scheme roles its flags
/// stand for, as `effective` (the channel or the team rule) combines them.
pub(super) fn effective_roles(
    member: MemberRoles,
    effective: fn(&str, bool, bool, bool) -> String,
) -> Arc<str> {
    effective(
        member.roles.as_deref().unwrap_or(""),
        member.schemeguest.unwrap_or(false),
        member.schemeuser.unwrap_or(false),
        member.schemeadmin.unwrap_or(false),
    )
    .into()
}

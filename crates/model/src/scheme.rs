//! Permission schemes (`model/scheme.go`) and channel moderation (`model/channel.go`): the wire
//! types, and [`SchemeTable`], the pure part of the permission engine that puts a team's or a
//! channel's scheme roles in place of the built-in ones.
//!
//! A team scheme owns six roles (team and channel × admin, user, guest), a channel scheme
//! three (its channel roles, holding only the moderated permissions). A member's scheme flags
//! stand for the governing scheme's roles: a channel's own scheme, else its team's scheme,
//! else the built-in roles. A channel scheme's roles only take away: a moderated permission
//! is granted when both the channel scheme's role and the role above it (the team scheme's
//! channel role or the built-in one) hold it, every other channel permission comes from the
//! role above (Mattermost's `MergeChannelHigherScopedPermissions`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::permissions::{self as p, channel_moderated_name};
use crate::roles::{
    RolePermissions, CHANNEL_ADMIN, CHANNEL_GUEST, CHANNEL_USER, TEAM_ADMIN, TEAM_GUEST, TEAM_USER,
};

pub const SCOPE_TEAM: &str = "team";
pub const SCOPE_CHANNEL: &str = "channel";

/// Mattermost's `SchemeDisplayNameMaxLength`, `SchemeNameMaxLength`, `SchemeDescriptionMaxLength`.
pub const DISPLAY_NAME_MAX: usize = 128;
pub const NAME_MAX: usize = 64;
pub const DESCRIPTION_MAX: usize = 1024;

/// A scheme as the API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Scheme {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub description: String,
    pub create_at: i64,
    pub update_at: i64,
    pub delete_at: i64,
    pub scope: String,
    pub default_team_admin_role: String,
    pub default_team_user_role: String,
    pub default_channel_admin_role: String,
    pub default_channel_user_role: String,
    pub default_team_guest_role: String,
    pub default_channel_guest_role: String,
    pub default_playbook_admin_role: String,
    pub default_playbook_member_role: String,
    pub default_run_admin_role: String,
    pub default_run_member_role: String,
}

impl Scheme {
    /// The channel roles this scheme gives (guest, user, admin).
    pub fn channel_roles(&self) -> [&str; 3] {
        [
            &self.default_channel_guest_role,
            &self.default_channel_user_role,
            &self.default_channel_admin_role,
        ]
    }

    /// The team roles this scheme gives (guest, user, admin); empty names for a channel scheme.
    pub fn team_roles(&self) -> [&str; 3] {
        [
            &self.default_team_guest_role,
            &self.default_team_user_role,
            &self.default_team_admin_role,
        ]
    }

    /// Every role the scheme owns (the ones deleted with it).
    pub fn role_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.channel_roles().iter().map(|n| n.to_string()).collect();
        if self.scope == SCOPE_TEAM {
            names.extend(self.team_roles().iter().map(|n| n.to_string()));
        }
        names.retain(|n| !n.is_empty());
        names
    }

    /// Mattermost's `IsValidForCreate` (without the playbook roles, which Utmost does not create).
    pub fn is_valid(&self) -> bool {
        let channel_ok = self
            .channel_roles()
            .iter()
            .all(|r| crate::role::is_valid_role_name(r));
        let team_ok = match self.scope.as_str() {
            SCOPE_TEAM => self
                .team_roles()
                .iter()
                .all(|r| crate::role::is_valid_role_name(r)),
            SCOPE_CHANNEL => self.team_roles().iter().all(|r| r.is_empty()),
            _ => false,
        };
        !self.display_name.is_empty()
            && self.display_name.chars().count() <= DISPLAY_NAME_MAX
            && is_valid_scheme_name(&self.name)
            && self.description.chars().count() <= DESCRIPTION_MAX
            && channel_ok
            && team_ok
    }
}

/// Mattermost's `IsValidSchemeName`: 2–64 characters of `a-z 0-9 _`.
pub fn is_valid_scheme_name(name: &str) -> bool {
    (2..=NAME_MAX).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The body of `PUT /schemes/{id}/patch`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct SchemePatch {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

/// The body of `PUT /teams/{id}/scheme` and `PUT /channels/{id}/scheme`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct SchemeIdPatch {
    pub scheme_id: Option<String>,
}

// ---------------------------------------------------------------------------
// Channel moderation

/// One role's state of one moderated permission: `value` whether it is granted, `enabled`
/// whether the scheme above allows it at all.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct ModeratedRole {
    pub value: bool,
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct ModeratedRoles {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guests: Option<ModeratedRole>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<ModeratedRole>,
}

/// One entry of `GET /channels/{id}/moderations`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChannelModeration {
    pub name: String,
    pub roles: ModeratedRoles,
}

/// One entry of `PUT /channels/{id}/moderations/patch`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct ChannelModerationPatch {
    pub name: Option<String>,
    pub roles: ModerationRolesPatch,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(default)]
pub struct ModerationRolesPatch {
    pub guests: Option<bool>,
    pub members: Option<bool>,
}

/// Mattermost's `GetChannelModeratedPermissions`: the moderation names a role's permissions
/// grant in a channel of `channel_type` (member management and bookmarks count only for the
/// channel's own privacy).
pub fn moderated_names_granted<'a>(
    permissions: impl IntoIterator<Item = &'a str>,
    channel_type: &str,
) -> Vec<&'static str> {
    let private = channel_type == "P";
    let mut out: Vec<&'static str> = Vec::new();
    for permission in permissions {
        let Some(name) = channel_moderated_name(permission) else {
            continue;
        };
        let counts = match permission {
            p::MANAGE_PUBLIC_CHANNEL_MEMBERS
            | p::ADD_BOOKMARK_PUBLIC_CHANNEL
            | p::EDIT_BOOKMARK_PUBLIC_CHANNEL
            | p::DELETE_BOOKMARK_PUBLIC_CHANNEL
            | p::ORDER_BOOKMARK_PUBLIC_CHANNEL => channel_type == "O",
            p::MANAGE_PRIVATE_CHANNEL_MEMBERS
            | p::ADD_BOOKMARK_PRIVATE_CHANNEL
            | p::EDIT_BOOKMARK_PRIVATE_CHANNEL
            | p::DELETE_BOOKMARK_PRIVATE_CHANNEL
            | p::ORDER_BOOKMARK_PRIVATE_CHANNEL => private,
            _ => true,
        };
        if counts && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Mattermost's `RolePatchFromChannelModerationsPatch`: the moderated permissions a channel
/// scheme role keeps (those the patch does not turn off) plus those the patch turns on.
/// `members` picks the members' half of each patch entry, otherwise the guests'.
pub fn permissions_after_moderation_patch(
    current: &[String],
    patch: &[ChannelModerationPatch],
    members: bool,
) -> Vec<String> {
    let side = |entry: &ChannelModerationPatch| {
        if members {
            entry.roles.members
        } else {
            entry.roles.guests
        }
    };
    let mut out: Vec<String> = Vec::new();
    for permission in current {
        let Some(name) = channel_moderated_name(permission) else {
            continue;
        };
        let turned_off = patch
            .iter()
            .any(|e| e.name.as_deref() == Some(name) && side(e) == Some(false));
        if !turned_off && !out.contains(permission) {
            out.push(permission.clone());
        }
    }
    for entry in patch.iter().filter(|e| side(e) == Some(true)) {
        for permission in p::ALL.iter().copied() {
            if channel_moderated_name(permission).is_some()
                && channel_moderated_name(permission) == entry.name.as_deref()
                && !out.iter().any(|o| o == permission)
            {
                out.push(permission.to_string());
            }
        }
    }
    out
}

/// Mattermost's `ChannelModeratedPermissionsChangedByPatch`: the moderation names granted by
/// exactly one of the two permission lists.
pub fn moderated_names_changed(before: &[String], after: &[String]) -> Vec<&'static str> {
    let names = |list: &[String]| -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for name in list.iter().filter_map(|p| channel_moderated_name(p)) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    };
    let (a, b) = (names(before), names(after));
    a.iter()
        .filter(|n| !b.contains(n))
        .chain(b.iter().filter(|n| !a.contains(n)))
        .copied()
        .collect()
}

/// The moderated permissions of `permissions` (what a new channel scheme's user and guest
/// roles start with, Mattermost's `filterModerated`).
pub fn only_moderated(permissions: &[String]) -> Vec<String> {
    permissions
        .iter()
        .filter(|p| channel_moderated_name(p).is_some())
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------
// The engine's view of schemes

/// The live schemes by id and the teams that use one: what a permission check needs besides
/// the role table, kept in memory whole (schemes are few) and rebuilt when one changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemeTable {
    schemes: HashMap<String, Scheme>,
    team_schemes: HashMap<String, String>,
}

fn slot(role: &str, [guest, user, admin]: [&str; 3]) -> Option<usize> {
    if role == guest {
        Some(0)
    } else if role == user {
        Some(1)
    } else if role == admin {
        Some(2)
    } else {
        None
    }
}

const BUILTIN_CHANNEL: [&str; 3] = [CHANNEL_GUEST, CHANNEL_USER, CHANNEL_ADMIN];
const BUILTIN_TEAM: [&str; 3] = [TEAM_GUEST, TEAM_USER, TEAM_ADMIN];

impl SchemeTable {
    /// From the live schemes and the (team id, scheme id) pairs of the teams that have one.
    pub fn new(
        schemes: impl IntoIterator<Item = Scheme>,
        team_schemes: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        Self {
            schemes: schemes
                .into_iter()
                .filter(|s| s.delete_at == 0)
                .map(|s| (s.id.clone(), s))
                .collect(),
            team_schemes: team_schemes
                .into_iter()
                .filter(|(_, s)| !s.is_empty())
                .collect(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Scheme> {
        self.schemes.get(id)
    }

    /// The team scheme of `team_id`, if it has a live one.
    pub fn team_scheme(&self, team_id: &str) -> Option<&Scheme> {
        self.team_schemes
            .get(team_id)
            .and_then(|id| self.schemes.get(id))
            .filter(|s| s.scope == SCOPE_TEAM)
    }

    /// The live channel scheme of that id (a channel's `scheme_id`).
    pub fn channel_scheme(&self, scheme_id: Option<&str>) -> Option<&Scheme> {
        scheme_id
            .filter(|id| !id.is_empty())
            .and_then(|id| self.schemes.get(id))
            .filter(|s| s.scope == SCOPE_CHANNEL)
    }

    /// The channel roles (guest, user, admin) a channel of `team_id` without a scheme of
    /// its own gives: its team scheme's, or the built-in ones.
    pub fn team_channel_roles(&self, team_id: &str) -> [&str; 3] {
        self.team_scheme(team_id)
            .map_or(BUILTIN_CHANNEL, Scheme::channel_roles)
    }

    /// The channel roles (guest, user, admin) a channel's members hold: its own scheme's,
    /// else its team's.
    pub fn channel_roles<'a>(&'a self, team_id: &'a str, scheme_id: Option<&str>) -> [&'a str; 3] {
        self.channel_scheme(scheme_id)
            .map_or_else(|| self.team_channel_roles(team_id), Scheme::channel_roles)
    }

    /// A team member's `roles` with the team scheme's roles in place of the built-in ones.
    pub fn team_member_roles(&self, team_id: &str, roles: &str) -> String {
        let Some(scheme) = self.team_scheme(team_id) else {
            return roles.to_string();
        };
        translate(roles, BUILTIN_TEAM, scheme.team_roles())
    }

    /// A channel member's `roles` with the governing scheme's roles in place of the built-in
    /// ones (what Mattermost's member reads return).
    pub fn channel_member_roles(
        &self,
        team_id: &str,
        scheme_id: Option<&str>,
        roles: &str,
    ) -> String {
        translate(
            roles,
            BUILTIN_CHANNEL,
            self.channel_roles(team_id, scheme_id),
        )
    }

    /// Mattermost's `SessionHasPermissionToTeam` under the team's scheme.
    pub fn has_team(
        &self,
        perms: &RolePermissions,
        system_roles: &str,
        team_id: &str,
        team_roles: Option<&str>,
        permission: &str,
    ) -> bool {
        perms.has_system(system_roles, permission)
            || team_roles.is_some_and(|roles| {
                perms.roles_grant(&self.team_member_roles(team_id, roles), permission)
            })
    }

    /// Mattermost's `SessionHasPermissionToChannel` under the channel's and its team's schemes.
    /// `channel_roles` and `team_roles` are the memberships' roles with built-in names (as
    /// the caches hold them); `team_id` is empty for a direct or group channel.
    #[allow(clippy::too_many_arguments)]
    pub fn has_channel(
        &self,
        perms: &RolePermissions,
        system_roles: &str,
        team_id: &str,
        scheme_id: Option<&str>,
        channel_roles: Option<&str>,
        team_roles: Option<&str>,
        permission: &str,
    ) -> bool {
        if perms.roles_grant(system_roles, p::MANAGE_SYSTEM)
            || perms.has_system(system_roles, permission)
        {
            return true;
        }
        let higher = self.team_channel_roles(team_id);
        let own = self.channel_scheme(scheme_id).map(Scheme::channel_roles);
        let moderated = channel_moderated_name(permission).is_some();
        let by_channel = channel_roles.is_some_and(|roles| {
            roles
                .split_whitespace()
                .any(|role| match slot(role, BUILTIN_CHANNEL) {
                    None => perms.roles_grant(role, permission),
                    Some(i) => {
                        let above = perms.roles_grant(higher[i], permission);
                        match own {
                            // The channel admin always reads the role above (Mattermost's special
                            // case); members and guests lose what the channel scheme takes away.
                            Some(own) if i != 2 && moderated => {
                                above && perms.roles_grant(own[i], permission)
                            }
                            _ => above,
                        }
                    }
                })
        });
        by_channel
            || team_roles.is_some_and(|roles| {
                !team_id.is_empty()
                    && perms.roles_grant(&self.team_member_roles(team_id, roles), permission)
            })
    }
}

fn translate(roles: &str, from: [&str; 3], to: [&str; 3]) -> String {
    roles
        .split_whitespace()
        .map(|role| slot(role, from).map_or(role, |i| to[i]))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(id: &str, scope: &str) -> Scheme {
        let r = |n: &str| {
            if n.is_empty() {
                String::new()
            } else {
                format!("{id}_{n}")
            }
        };
        let team = scope == SCOPE_TEAM;
        Scheme {
            id: id.into(),
            name: id.into(),
            display_name: id.into(),
            scope: scope.into(),
            default_team_admin_role: if team { r("ta") } else { String::new() },
            default_team_user_role: if team { r("tu") } else { String::new() },
            default_team_guest_role: if team { r("tg") } else { String::new() },
            default_channel_admin_role: r("ca"),
            default_channel_user_role: r("cu"),
            default_channel_guest_role: r("cg"),
            ..Scheme::default()
        }
    }

    fn perms(extra: &[(&str, &[&str])]) -> RolePermissions {
        let mut perms = RolePermissions::builtin();
        for (name, list) in extra {
            perms.set_role(name, list.iter().map(|p| p.to_string()));
        }
        perms
    }

    #[test]
    fn names_and_validity() {
        assert!(is_valid_scheme_name("ab"));
        assert!(!is_valid_scheme_name("a"));
        assert!(!is_valid_scheme_name("A b"));
        assert!(scheme("tscheme", SCOPE_TEAM).is_valid());
        assert!(scheme("cscheme", SCOPE_CHANNEL).is_valid());
        let mut bad = scheme("cscheme", SCOPE_CHANNEL);
        bad.default_team_user_role = "x".into();
        assert!(!bad.is_valid());
    }

    #[test]
    fn channel_scheme_takes_away_only_moderated_permissions() {
        let table = SchemeTable::new([scheme("c", SCOPE_CHANNEL)], []);
        // The channel scheme's user role keeps reactions but not posting.
        let perms = perms(&[("c_cu", &[p::ADD_REACTION]), ("c_ca", &[]), ("c_cg", &[])]);
        let check = |roles: &str, permission: &str| {
            table.has_channel(
                &perms,
                "system_user",
                "team",
                Some("c"),
                Some(roles),
                Some("team_user"),
                permission,
            )
        };
        assert!(!check("channel_user", p::CREATE_POST));
        assert!(check("channel_user", p::ADD_REACTION));
        assert!(check("channel_user", p::READ_CHANNEL));
        assert!(check("channel_user channel_admin", p::CREATE_POST));
        // Without the scheme the built-in role applies.
        assert!(table.has_channel(
            &perms,
            "system_user",
            "team",
            None,
            Some("channel_user"),
            None,
            p::CREATE_POST
        ));
    }

    #[test]
    fn team_scheme_roles_replace_the_builtin_ones() {
        let table = SchemeTable::new(
            [scheme("t", SCOPE_TEAM)],
            [("team".to_string(), "t".to_string())],
        );
        let perms = perms(&[("t_cu", &[p::READ_CHANNEL]), ("t_tu", &[p::VIEW_TEAM])]);
        assert!(!table.has_channel(
            &perms,
            "system_user",
            "team",
            None,
            Some("channel_user"),
            Some("team_user"),
            p::CREATE_POST
        ));
        assert!(table.has_channel(
            &perms,
            "system_user",
            "other",
            None,
            Some("channel_user"),
            Some("team_user"),
            p::CREATE_POST
        ));
        assert!(!table.has_team(
            &perms,
            "system_user",
            "team",
            Some("team_user"),
            p::CREATE_PUBLIC_CHANNEL
        ));
        assert!(table.has_team(
            &perms,
            "system_user",
            "team",
            Some("team_user"),
            p::VIEW_TEAM
        ));
        assert_eq!(
            table.channel_member_roles("team", None, "custom channel_user"),
            "custom t_cu"
        );
        assert!(table.has_channel(
            &perms,
            "system_admin",
            "team",
            None,
            None,
            None,
            p::CREATE_POST
        ));
    }

    #[test]
    fn moderation_patches() {
        let current: Vec<String> = [p::CREATE_POST, p::ADD_REACTION, p::REMOVE_REACTION]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let off = [ChannelModerationPatch {
            name: Some("create_post".into()),
            roles: ModerationRolesPatch {
                members: Some(false),
                guests: None,
            },
        }];
        let after = permissions_after_moderation_patch(&current, &off, true);
        assert!(!after.contains(&p::CREATE_POST.to_string()));
        assert_eq!(
            moderated_names_changed(&current, &after),
            vec!["create_post"]
        );
        let on = [ChannelModerationPatch {
            name: Some("manage_members".into()),
            roles: ModerationRolesPatch {
                members: Some(true),
                guests: None,
            },
        }];
        let after = permissions_after_moderation_patch(&current, &on, true);
        assert!(after.contains(&p::MANAGE_PRIVATE_CHANNEL_MEMBERS.to_string()));
        assert_eq!(
            moderated_names_granted(after.iter().map(String::as_str), "P"),
            vec!["create_post", "create_reactions", "manage_members"]
        );
        assert_eq!(
            moderated_names_granted([p::MANAGE_PRIVATE_CHANNEL_MEMBERS], "O"),
            Vec::<&str>::new()
        );
    }
}

//! The system roles `AdminFilter` and `GuestFilter` give. A filter decides only while it is
//! in force (`EnableAdminFilter`; a `GuestFilter` with guest accounts on): otherwise the
//! account's roles stay as an admin set them.

use super::attributes::{and, entry, one_user, parenthesised, user_filter};
use super::connection::Directory;
use crate::AppResult;
use std::collections::HashSet;
use utmost_config::Config;
use utmost_model::roles::{SYSTEM_ADMIN, SYSTEM_GUEST, SYSTEM_USER};

/// What the filters in force say of one entry: `None` where a filter does not decide.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Standing {
    pub admin: Option<bool>,
    pub guest: Option<bool>,
}

/// The role filters in force.
pub(super) struct RoleFilters {
    admin: Option<String>,
    guest: Option<String>,
}

impl RoleFilters {
    pub(super) fn new(config: &Config) -> Self {
        let s = &config.ldap_settings;
        let admin = s
            .enable_admin_filter
            .then(|| parenthesised(&s.admin_filter))
            .flatten();
        let guest = config
            .guest_accounts_settings
            .enable
            .then(|| parenthesised(&s.guest_filter))
            .flatten();
        Self { admin, guest }
    }

    /// Where the entry with `IdAttribute` `id` stands: one search per filter in force.
    pub(super) async fn standing_of(
        &self,
        directory: &mut Directory,
        config: &Config,
        id: &str,
    ) -> AppResult<Standing> {
        let s = &config.ldap_settings;
        let mut standing = Standing::default();
        for (filter, slot) in [
            (&self.admin, &mut standing.admin),
            (&self.guest, &mut standing.guest),
        ] {
            if let Some(filter) = filter {
                let query = and(&one_user(s, &s.id_attribute, id), filter);
                *slot = Some(directory.search_one(&query, &[]).await?.is_some());
            }
        }
        Ok(standing)
    }

    /// The `IdAttribute` values of every entry each filter in force matches (a sync):
    /// (admins, guests).
    pub(super) async fn everyone(
        &self,
        directory: &mut Directory,
        config: &Config,
    ) -> AppResult<[Option<HashSet<String>>; 2]> {
        let s = &config.ldap_settings;
        let ids = [s.id_attribute.clone()];
        let mut sets = [None, None];
        for (filter, slot) in [&self.admin, &self.guest].into_iter().zip(sets.iter_mut()) {
            let Some(filter) = filter else { continue };
            let mut found = HashSet::new();
            directory
                .search_all(&and(&user_filter(s), filter), &ids, |e| {
                    if let Some(entry) = entry(s, &e) {
                        found.insert(entry.id);
                    }
                })
                .await?;
            *slot = Some(found);
        }
        Ok(sets)
    }
}

/// `current` roles after the filters' say: a guest is `system_guest` only; otherwise
/// `system_user`, with `system_admin` while the admin filter matches. Other roles stay.
pub(super) fn roles_after(current: &str, standing: Standing) -> String {
    let mut roles: Vec<&str> = current.split_whitespace().collect();
    let has = |roles: &Vec<&str>, role: &str| roles.contains(&role);
    let is_guest = standing.guest.unwrap_or(has(&roles, SYSTEM_GUEST));
    let is_admin = !is_guest && standing.admin.unwrap_or(has(&roles, SYSTEM_ADMIN));
    roles.retain(|r| ![SYSTEM_USER, SYSTEM_ADMIN, SYSTEM_GUEST].contains(r));
    let mut base = if is_guest {
        vec![SYSTEM_GUEST]
    } else {
        vec![SYSTEM_USER]
    };
    if is_admin {
        base.push(SYSTEM_ADMIN);
    }
    base.extend(roles);
    base.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(admin: Option<bool>, guest: Option<bool>) -> Standing {
        Standing { admin, guest }
    }

    #[test]
    fn filters_grant_and_withdraw_roles_only_where_they_decide() {
        let none = standing(None, None);
        assert_eq!(roles_after("system_user", none), "system_user");
        assert_eq!(
            roles_after("system_user system_admin", none),
            "system_user system_admin"
        );
        assert_eq!(
            roles_after("system_user", standing(Some(true), None)),
            "system_user system_admin"
        );
        assert_eq!(
            roles_after(
                "system_admin system_user custom",
                standing(Some(false), None)
            ),
            "system_user custom"
        );
        assert_eq!(
            roles_after("system_user system_admin", standing(Some(true), Some(true))),
            "system_guest"
        );
        assert_eq!(
            roles_after("system_guest", standing(None, Some(false))),
            "system_user"
        );
        assert_eq!(roles_after("", none), "system_user");
    }
}

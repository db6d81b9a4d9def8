//! `GET /ldap/groups` (Mattermost's `GetAllLdapGroupsPage`): the directory's groups under
//! `GroupFilter`, by `GroupDisplayNameAttribute`, a page at a time. Utmost has no group sync
//! yet, so no group is linked to a Mattermost group (`mattermost_group_id` empty). At most
//! `MAX_GROUPS` are read per request.

use super::attributes::{and, parenthesised};
use super::connection::Directory;
use super::enabled;
use crate::errors::LdapError;
use crate::{App, AppResult};
use ldap3::ldap_escape;
use serde::Serialize;

/// Groups read from the directory per request, at most.
const MAX_GROUPS: usize = 10_000;
/// Without `GroupFilter`: the group classes of AD and OpenLDAP.
const DEFAULT_GROUP_FILTER: &str =
    "(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";

/// One group as Mattermost lists it (`model.Group` for an LDAP source).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LdapGroup {
    /// `GroupIdAttribute`'s value (the entry's DN without one).
    pub primary_key: String,
    /// `GroupDisplayNameAttribute`'s value (`cn` without one).
    pub name: String,
    pub mattermost_group_id: String,
    pub has_syncables: bool,
}

/// A page of groups whose name contains `q`, and how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LdapGroupsPage {
    pub count: usize,
    pub groups: Vec<LdapGroup>,
}

/// The caller checked `sysconsole_read_user_management_groups`.
pub async fn list(app: &App, q: &str, offset: usize, limit: usize) -> AppResult<LdapGroupsPage> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    let name_attr = non_empty(&s.group_display_name_attribute, "cn");
    let filter = parenthesised(&s.group_filter).unwrap_or_else(|| DEFAULT_GROUP_FILTER.into());
    let filter = match q.trim() {
        "" => filter,
        q => and(&filter, &format!("({name_attr}=*{}*)", ldap_escape(q))),
    };
    let mut attrs = vec![name_attr.to_string()];
    if !s.group_id_attribute.is_empty() {
        attrs.push(s.group_id_attribute.clone());
    }
    let mut directory = Directory::open(s).await?;
    let mut groups = Vec::new();
    let read = directory
        .search_all(&filter, &attrs, |found| {
            if groups.len() < MAX_GROUPS {
                let value = |name: &str| {
                    found
                        .attrs
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .and_then(|(_, v)| v.first().cloned())
                };
                let primary_key = if s.group_id_attribute.is_empty() {
                    Some(found.dn.clone())
                } else {
                    value(&s.group_id_attribute)
                };
                if let (Some(primary_key), Some(name)) = (primary_key, value(name_attr)) {
                    groups.push(LdapGroup {
                        primary_key,
                        name,
                        mattermost_group_id: String::new(),
                        has_syncables: false,
                    });
                }
            }
        })
        .await;
    directory.close().await;
    read?;
    groups.sort_by_key(|g| g.name.to_lowercase());
    let count = groups.len();
    let groups = groups.into_iter().skip(offset).take(limit).collect();
    Ok(LdapGroupsPage { count, groups })
}

fn non_empty<'a>(value: &'a str, default: &'a str) -> &'a str {
    if value.is_empty() {
        default
    } else {
        value
    }
}

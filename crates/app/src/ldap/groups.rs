//! The directory's groups (Mattermost's `GetAllLdapGroupsPage`, `GetLdapGroup`): those under
//! `GroupFilter`, named by `GroupDisplayNameAttribute` and identified by `GroupIdAttribute`
//! (the entry's DN without one). `/ldap/groups` lists them a page at a time, with the
//! Mattermost group each is linked to; `link` links one (`groups::link_ldap`). At most
//! `MAX_GROUPS` are read per request; `group_sync` reads them with their members.

use super::attributes::{and, parenthesised};
use super::connection::Directory;
use super::enabled;
use crate::errors::{GroupError, LdapError};
use crate::{App, AppResult};
use ldap3::{ldap_escape, SearchEntry};
use serde::Serialize;
use utmost_config::LdapSettings;
use utmost_model::group::{Group, SOURCE_LDAP};

/// Groups read from the directory per request, at most.
const MAX_GROUPS: usize = 10_000;
/// Without `GroupFilter`: the group classes of AD and OpenLDAP.
const DEFAULT_GROUP_FILTER: &str =
    "(|(objectClass=group)(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";
/// The attributes that list a group's members (groupOfNames and AD; groupOfUniqueNames).
const MEMBER_ATTRIBUTES: [&str; 2] = ["member", "uniqueMember"];

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

/// A group entry as read: its DN, id, name and (when asked) its members' DNs.
pub(super) struct DirectoryGroup {
    pub dn: String,
    pub remote_id: String,
    pub name: String,
    pub members: Vec<String>,
}

/// Reads the groups under `GroupFilter` whose name contains `q`, by name, at most
/// `MAX_GROUPS`.
pub(super) async fn read(
    directory: &mut Directory,
    s: &LdapSettings,
    q: &str,
    with_members: bool,
) -> AppResult<Vec<DirectoryGroup>> {
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
    if with_members {
        attrs.extend(MEMBER_ATTRIBUTES.map(String::from));
    }
    let mut groups = Vec::new();
    directory
        .search_all(&filter, &attrs, |found| {
            if groups.len() < MAX_GROUPS {
                groups.extend(directory_group(s, name_attr, found));
            }
        })
        .await?;
    groups.sort_by_key(|g| g.name.to_lowercase());
    Ok(groups)
}

fn directory_group(
    s: &LdapSettings,
    name_attr: &str,
    found: SearchEntry,
) -> Option<DirectoryGroup> {
    let values = |name: &str| {
        found
            .attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let remote_id = if s.group_id_attribute.is_empty() {
        Some(found.dn.clone())
    } else {
        values(&s.group_id_attribute).into_iter().next()
    }?;
    let name = values(name_attr).into_iter().next()?;
    let members = MEMBER_ATTRIBUTES.iter().flat_map(|a| values(a)).collect();
    Some(DirectoryGroup {
        dn: found.dn,
        remote_id,
        name,
        members,
    })
}

/// The caller checked `sysconsole_read_user_management_groups`.
pub async fn list(app: &App, q: &str, offset: usize, limit: usize) -> AppResult<LdapGroupsPage> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    let mut directory = Directory::open(app, &config).await?;
    let read = read(&mut directory, s, q, false).await;
    directory.close().await;
    let found = read?;
    let count = found.len();
    let page: Vec<DirectoryGroup> = found.into_iter().skip(offset).take(limit).collect();
    let ids: Vec<String> = page.iter().map(|g| g.remote_id.clone()).collect();
    let linked: Vec<Group> =
        utmost_store::groups::live_by_remote_ids(&app.store, SOURCE_LDAP, &ids).await?;
    let groups = page
        .into_iter()
        .map(|g| {
            let group = linked
                .iter()
                .find(|l| l.remote_id.as_deref() == Some(g.remote_id.as_str()));
            LdapGroup {
                mattermost_group_id: group.map(|l| l.id.clone()).unwrap_or_default(),
                has_syncables: group.is_some_and(|l| l.has_syncables),
                primary_key: g.remote_id,
                name: g.name,
            }
        })
        .collect();
    Ok(LdapGroupsPage { count, groups })
}

/// `POST /ldap/groups/{remote_id}/link`: links the directory group with that id (404 when
/// the directory has none); the group and whether it was created. The caller checked
/// `sysconsole_write_user_management_groups`.
pub async fn link(app: &App, remote_id: &str) -> AppResult<(Group, bool)> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    let mut directory = Directory::open(app, &config).await?;
    let read = read(&mut directory, s, "", false).await;
    directory.close().await;
    let found = read?
        .into_iter()
        .find(|g| g.remote_id == remote_id)
        .ok_or(GroupError::LdapGroupNotFound)?;
    crate::groups::link_ldap(app, &found.remote_id, &found.name).await
}

fn non_empty<'a>(value: &'a str, default: &'a str) -> &'a str {
    if value.is_empty() {
        default
    } else {
        value
    }
}

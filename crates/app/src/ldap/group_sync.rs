//! The group half of the AD/LDAP sync (Mattermost's group sync): the members of every
//! linked LDAP group are read from the directory, nested groups resolved (to `MAX_NESTING`
//! levels; a cycle ends where it repeats), and written to `groupmembers` (new members
//! added, those gone marked deleted, each told over the WebSocket). Then the groups' teams
//! and channels are brought in step (`groups::syncables::apply`).
//!
//! A member is an entry under `UserFilter` with an account; the entries come from the
//! user half of the sync. A linked group the directory no longer has keeps its members
//! (logged): a filter changed by mistake should not empty every group.

use super::attributes::Entry;
use super::connection::Directory;
use super::groups::{read, DirectoryGroup};
use super::AUTH_SERVICE;
use crate::groups::syncables::{self, ApplyReport};
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_model::group::SOURCE_LDAP;

/// Levels of groups within groups that are followed.
const MAX_NESTING: usize = 10;
/// Linked groups synced per run, at most.
const MAX_LINKED: i64 = 10_000;
/// Accounts read per page.
const PAGE: i64 = 500;

/// What the group half of a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GroupSyncReport {
    /// Linked groups synced.
    pub groups: u64,
    pub members_added: u64,
    pub members_removed: u64,
    pub memberships: ApplyReport,
}

/// Syncs the linked groups' members; `entries` are the directory's people by id.
pub(super) async fn run(app: &App, entries: &HashMap<String, Entry>) -> AppResult<GroupSyncReport> {
    let mut report = GroupSyncReport::default();
    let linked = utmost_store::groups::live_of_source(&app.store, SOURCE_LDAP, MAX_LINKED).await?;
    if !linked.is_empty() {
        let config = app.config();
        let s = &config.ldap_settings;
        let mut directory = Directory::open(app, &config).await?;
        let groups = read(&mut directory, s, "", true).await;
        directory.close().await;
        let groups = groups?;
        let by_dn: HashMap<String, &DirectoryGroup> =
            groups.iter().map(|g| (normalized(&g.dn), g)).collect();
        let accounts = accounts_by_dn(app, entries).await?;
        for group in linked {
            let remote_id = group.remote_id.as_deref().unwrap_or_default();
            let Some(found) = groups.iter().find(|g| g.remote_id == remote_id) else {
                tracing::warn!(group_id = %group.id, remote_id, "a linked group is not in the directory; its members are kept");
                continue;
            };
            let wanted: HashSet<&String> = member_dns(&by_dn, found)
                .iter()
                .filter_map(|dn| accounts.get(dn))
                .collect();
            let current = utmost_store::groups::members::live_ids(&app.store, &group.id).await?;
            for user_id in &wanted {
                if !current.contains(user_id)
                    && crate::groups::add_member(app, &group.id, user_id).await?
                {
                    report.members_added += 1;
                }
            }
            for user_id in current.iter().filter(|id| !wanted.contains(id)) {
                if crate::groups::remove_member(app, &group.id, user_id).await? {
                    report.members_removed += 1;
                }
            }
            report.groups += 1;
        }
    }
    report.memberships = syncables::apply(app, None).await?;
    Ok(report)
}

/// DNs compare without regard to case or the spaces around their separators.
fn normalized(dn: &str) -> String {
    dn.split(',')
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            format!("{}={}", k.trim(), v.trim())
        })
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

/// The DNs of the people in `group`, through nested groups.
fn member_dns(by_dn: &HashMap<String, &DirectoryGroup>, group: &DirectoryGroup) -> HashSet<String> {
    let mut people = HashSet::new();
    let mut seen = HashSet::new();
    let mut pending = vec![(normalized(&group.dn), 0)];
    while let Some((dn, depth)) = pending.pop() {
        if !seen.insert(dn.clone()) {
            continue;
        }
        let Some(group) = by_dn.get(&dn) else {
            continue;
        };
        for member in group.members.iter().map(|m| normalized(m)) {
            if by_dn.contains_key(&member) {
                if depth < MAX_NESTING {
                    pending.push((member, depth + 1));
                }
            } else {
                people.insert(member);
            }
        }
    }
    people
}

/// The ids of the directory accounts by their entries' DNs.
async fn accounts_by_dn(
    app: &App,
    entries: &HashMap<String, Entry>,
) -> AppResult<HashMap<String, String>> {
    let mut accounts = HashMap::new();
    let mut after = String::new();
    loop {
        let page =
            utmost_store::users::list_by_auth_service(&app.store, AUTH_SERVICE, &after, PAGE)
                .await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let short = (page.len() as i64) < PAGE;
        for user in page {
            if let Some(entry) = entries.get(&user.auth_data) {
                accounts.insert(normalized(&entry.dn), user.id);
            }
        }
        if short {
            break;
        }
    }
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(dn: &str, members: &[&str]) -> DirectoryGroup {
        DirectoryGroup {
            dn: dn.into(),
            remote_id: dn.into(),
            name: dn.into(),
            members: members.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn nested_groups_are_followed_and_cycles_end() {
        let groups = [
            group("cn=a,ou=g", &["uid=x,ou=p", "cn=b,ou=g"]),
            group("cn=b,ou=g", &["uid=Y, ou=p", "cn=a,ou=g"]),
        ];
        let by_dn = groups.iter().map(|g| (normalized(&g.dn), g)).collect();
        let people = member_dns(&by_dn, &groups[0]);
        assert_eq!(
            people,
            HashSet::from(["uid=x,ou=p".to_string(), "uid=y,ou=p".to_string()])
        );
    }
}

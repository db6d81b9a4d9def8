//! Keeping accounts in step with the directory (Mattermost's LDAP sync): every account from
//! the directory takes its entry's attributes and the roles its filters give; one whose entry
//! is gone, or no longer under `UserFilter`, is deactivated (sessions revoked, sockets
//! closed, as any deactivation); one whose entry is back is reactivated. Entries without an
//! account are left for their first sign-in, as Mattermost leaves them.
//!
//! The directory's entries under `UserFilter` are read first, a page at a time, into memory
//! (the mapped attributes only); the accounts are then walked by id in bounded pages. With
//! `SamlSettings.EnableSyncWithLdap` the SAML accounts are walked too, each matched to the
//! entry of its address.

use super::attributes::{entry, requested, user_filter, Entry};
use super::connection::Directory;
use super::group_sync::GroupSyncReport;
use super::roles::{roles_after, RoleFilters, Standing};
use super::{enabled, AUTH_SERVICE};
use crate::bus::Event;
use crate::errors::LdapError;
use crate::saml::AUTH_SERVICE as SAML_AUTH;
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_config::Config;
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_store::users as store;

/// Accounts read per page.
const PAGE: i64 = 200;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Directory entries under `UserFilter`.
    pub entries: u64,
    /// Accounts from the directory looked at.
    pub accounts: u64,
    pub updated: u64,
    pub deactivated: u64,
    pub reactivated: u64,
    /// The linked groups' members and their teams and channels (`group_sync`).
    pub groups: GroupSyncReport,
}

/// Runs one sync; `go_on` is asked between pages and stops the walk when false (a
/// cancelled job, a shutdown).
pub async fn run(app: &App, go_on: &(dyn Fn(u64) -> bool + Sync)) -> AppResult<SyncReport> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    let mut directory = Directory::open(app, &config).await?;
    let read = read_directory(&mut directory, &config).await;
    directory.close().await;
    let (entries, [admins, guests]) = read?;
    let mut report = SyncReport {
        entries: entries.len() as u64,
        ..SyncReport::default()
    };
    let standing_of = |ldap_id: &str, guests_apply: bool| Standing {
        admin: admins.as_ref().map(|ids| ids.contains(ldap_id)),
        guest: guests
            .as_ref()
            .filter(|_| guests_apply)
            .map(|ids| ids.contains(ldap_id)),
    };
    let directory_accounts = |user: &User| {
        let found = entries.get(&user.auth_data).cloned();
        (found, standing_of(&user.auth_data, true))
    };
    walk(
        app,
        &config,
        AUTH_SERVICE,
        directory_accounts,
        go_on,
        &mut report,
    )
    .await?;
    let saml = &config.saml_settings;
    if saml.enable && saml.enable_sync_with_ldap {
        // SAML accounts are matched by address (Mattermost's rule); they keep their own
        // `auth_data` unless `EnableSyncWithLdapIncludeAuth`.
        let by_email: HashMap<&str, &Entry> =
            entries.values().map(|e| (e.email.as_str(), e)).collect();
        let saml_accounts = |user: &User| {
            let Some(found) = by_email.get(user.email.to_lowercase().as_str()) else {
                return (None, Standing::default());
            };
            let standing = standing_of(&found.id, !saml.ignore_guests_ldap_sync);
            let found = if saml.enable_sync_with_ldap_include_auth {
                (*found).clone()
            } else {
                Entry {
                    id: user.auth_data.clone(),
                    ..(*found).clone()
                }
            };
            (Some(found), standing)
        };
        walk(app, &config, SAML_AUTH, saml_accounts, go_on, &mut report).await?;
    }
    report.groups = super::group_sync::run(app, &entries).await?;
    tracing::info!(?report, "AD/LDAP sync done");
    Ok(report)
}

/// Brings every account of `auth_service` in step with the entry `matched` finds for it (none:
/// gone from the directory), a page at a time.
async fn walk(
    app: &App,
    config: &Config,
    auth_service: &str,
    matched: impl Fn(&User) -> (Option<Entry>, Standing),
    go_on: &(dyn Fn(u64) -> bool + Sync),
    report: &mut SyncReport,
) -> AppResult<()> {
    let mut after = String::new();
    loop {
        let page = store::list_by_auth_service(&app.store, auth_service, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let short = (page.len() as i64) < PAGE;
        for user in page {
            report.accounts += 1;
            let (found, standing) = matched(&user);
            sync_one(app, config, user, found.as_ref(), standing, report).await?;
        }
        if short || !go_on(report.accounts) {
            break;
        }
    }
    Ok(())
}

type RoleSets = [Option<HashSet<String>>; 2];

/// Every entry under `UserFilter` by `IdAttribute`, and who the role filters match.
async fn read_directory(
    directory: &mut Directory,
    config: &Config,
) -> AppResult<(HashMap<String, Entry>, RoleSets)> {
    let s = &config.ldap_settings;
    let mut entries = HashMap::new();
    directory
        .search_all(&user_filter(s), &requested(s), |found| {
            if let Some(e) = entry(s, &found) {
                entries.insert(e.id.clone(), e);
            }
        })
        .await?;
    let roles = RoleFilters::new(config).everyone(directory, config).await?;
    Ok((entries, roles))
}

async fn sync_one(
    app: &App,
    config: &Config,
    user: User,
    found: Option<&Entry>,
    standing: Standing,
    report: &mut SyncReport,
) -> AppResult<()> {
    let Some(found) = found else {
        if user.delete_at == 0 {
            tracing::info!(user_id = %user.id, "not in the directory any more: deactivated");
            crate::users::write_active(app, user, false).await?;
            report.deactivated += 1;
        }
        return Ok(());
    };
    let user = if user.delete_at > 0 {
        crate::users::write_active(app, user.clone(), true).await?;
        report.reactivated += 1;
        User {
            delete_at: 0,
            ..user
        }
    } else {
        user
    };
    let before = user.clone();
    let after = bring_up_to_date(app, config, user, found, standing).await?;
    if after != before {
        report.updated += 1;
    }
    Ok(())
}

/// Writes the entry's attributes and the filters' roles over the account, when they differ.
/// A value another account holds (a username, an address) is left as it was, and logged.
pub(super) async fn bring_up_to_date(
    app: &App,
    config: &Config,
    user: User,
    found: &Entry,
    standing: Standing,
) -> AppResult<User> {
    let mut updated = user.clone();
    let valid = |u: &User| {
        crate::users::validate_username(&u.username).is_ok()
            && crate::users::validate_email(&u.email).is_ok()
    };
    if found.apply(&config.ldap_settings, &mut updated) && !valid(&updated) {
        tracing::warn!(user_id = %user.id, "AD/LDAP values make no valid account; kept");
        updated = user.clone();
    } else if updated != user {
        updated.update_at = now_millis();
        match store::update_profile(&app.store, &updated).await {
            Ok(()) => {
                app.publish(Event::UserUpdated {
                    user: updated.clone(),
                })
                .await
            }
            Err(utmost_store::StoreError::Conflict(field)) => {
                tracing::warn!(user_id = %user.id, field, "AD/LDAP value taken by another account; kept");
                updated = user.clone();
            }
            Err(e) => return Err(e.into()),
        }
    }
    let roles = roles_after(&updated.roles, standing);
    if roles != updated.roles {
        crate::users::set_roles_unless_last_admin(app, &updated.id, &roles).await?;
        updated = crate::users::get(app, &updated.id).await?;
    }
    Ok(updated)
}

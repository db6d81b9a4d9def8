//! AD/LDAP (Mattermost's enterprise `ldap` interface, issue 16): signing in against the
//! directory (`login`), keeping accounts in step with it (`sync`, the `ldap_sync` job and its
//! schedule in `job`), moving password accounts to it (`migrate`), moving its accounts to another id
//! attribute (`migrate_id`) and the connection check
//! of `/ldap/test`. `connection` is the one place that talks to the server (ldap3), presenting the
//! client certificate of `certificates` when there is one (`client_tls`);
//! `attributes` maps a directory entry to an account with the `…Attribute` settings.
//!
//! An account from the directory has `auth_service` "ldap" and, as `auth_data`, the value of
//! `IdAttribute`; its password is checked by binding as the entry and is never stored.

mod attributes;
pub mod certificates;
mod client_tls;
mod connection;
pub mod group_sync;
pub mod groups;
pub mod job;
pub mod login;
pub mod migrate;
pub mod migrate_id;
mod roles;
pub mod sync;

use crate::errors::LdapError;
use crate::{App, AppResult};
use utmost_config::LdapSettings;

/// `User.AuthService` of a directory account (`model.UserAuthServiceLdap`).
pub const AUTH_SERVICE: &str = "ldap";

/// Whether users may sign in through the directory.
pub fn login_enabled(settings: &LdapSettings) -> bool {
    settings.enable && !settings.ldap_server.is_empty()
}

/// Whether the directory is configured for anything (sign-in or sync).
fn enabled(settings: &LdapSettings) -> bool {
    (settings.enable || settings.enable_sync) && !settings.ldap_server.is_empty()
}

/// `POST /ldap/test` (Mattermost's `TestLdap`): connects and binds with the settings in
/// force, and searches `BaseDN` under `UserFilter` (an empty directory passes too). The
/// caller checked `test_ldap`.
pub async fn test(app: &App) -> AppResult<()> {
    let config = app.config();
    let settings = &config.ldap_settings;
    if !enabled(settings) {
        return Err(LdapError::Disabled.into());
    }
    let mut directory = connection::Directory::open(app, &config).await?;
    let outcome = directory
        .matches_any(&attributes::user_filter(settings))
        .await;
    directory.close().await;
    outcome.map(|_| ())
}

/// The system roles of an account after a sign-in service's say on admin and guest (`None`
/// where it has none), by the rule of the role filters; SAML's admin and guest attributes
/// decide through it too.
pub(crate) fn roles_decided(current: &str, admin: Option<bool>, guest: Option<bool>) -> String {
    roles::roles_after(current, roles::Standing { admin, guest })
}

//! `POST /users/migrate_auth/ldap` (Mattermost's `MigrateToLdap`): the accounts that sign in
//! with `from` ("email": a password) are matched to directory entries by `match_field`
//! ("email" or "username", through `EmailAttribute` / `UsernameAttribute`) and move to
//! AD/LDAP: `auth_data` becomes the entry's `IdAttribute` value and the password goes.
//! Without `force`, nothing moves unless every account has its entry; with it, the matched
//! ones move and the others stay.

use super::attributes::{entry, requested, user_filter, Entry};
use super::connection::Directory;
use super::{enabled, AUTH_SERVICE};
use crate::bus::Event;
use crate::errors::LdapError;
use crate::{App, AppResult};
use std::collections::HashMap;
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_model::AppError;
use utmost_store::users as store;

/// Accounts read per page.
const PAGE: i64 = 200;
/// Unmatched usernames named in the error.
const NAMED: usize = 10;

/// Which account field is matched to which entry value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchField {
    Email,
    Username,
}

impl MatchField {
    /// Mattermost's names; `None` for another.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "email" => Some(Self::Email),
            "username" => Some(Self::Username),
            _ => None,
        }
    }

    fn of_user(self, user: &User) -> String {
        match self {
            Self::Email => user.email.to_lowercase(),
            Self::Username => user.username.to_lowercase(),
        }
    }

    fn of_entry(self, e: &Entry) -> String {
        match self {
            Self::Email => e.email.clone(),
            Self::Username => e.username.clone(),
        }
    }
}

/// The sign-in services an account may move from (Mattermost's list); "email" is stored as
/// an empty `auth_service`.
pub fn from_service(from: &str) -> Option<&'static str> {
    Some(match from {
        "email" => "",
        "gitlab" => "gitlab",
        "saml" => "saml",
        "google" => "google",
        "office365" => "office365",
        _ => return None,
    })
}

/// Moves the accounts of `from_service` to AD/LDAP; how many moved. The caller checked
/// `manage_system`.
pub async fn to_ldap(
    app: &App,
    from_service: &str,
    field: MatchField,
    force: bool,
) -> AppResult<u64> {
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    let mut directory = Directory::open(app, &config).await?;
    let mut by_field: HashMap<String, Entry> = HashMap::new();
    let read = directory
        .search_all(&user_filter(s), &requested(s), |found| {
            if let Some(e) = entry(s, &found) {
                by_field.insert(field.of_entry(&e), e);
            }
        })
        .await;
    directory.close().await;
    read?;
    let mut plan: Vec<(User, String)> = Vec::new();
    let mut unmatched: Vec<String> = Vec::new();
    let mut after = String::new();
    loop {
        let page = store::list_by_auth_service(&app.store, from_service, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let short = (page.len() as i64) < PAGE;
        for user in page.into_iter().filter(|u| !u.is_bot) {
            match by_field.get(&field.of_user(&user)) {
                Some(e) => {
                    let id = e.id.clone();
                    plan.push((user, id));
                }
                None => unmatched.push(user.username),
            }
        }
        if short {
            break;
        }
    }
    if !force && !unmatched.is_empty() {
        let named = unmatched.iter().take(NAMED).cloned().collect::<Vec<_>>();
        return Err(LdapError::MigrateFail(format!(
            "{} account(s) have no AD/LDAP entry, e.g. {}",
            unmatched.len(),
            named.join(", ")
        ))
        .into());
    }
    let mut moved = 0;
    for (user, auth_data) in plan {
        store::set_auth(&app.store, &user.id, AUTH_SERVICE, &auth_data, now_millis())
            .await
            .map_err(|e| match e {
                utmost_store::StoreError::Conflict(_) => {
                    AppError::from(LdapError::MigrateFail(format!(
                        "the AD/LDAP entry of {} is another account's",
                        user.username
                    )))
                }
                other => other.into(),
            })?;
        app.publish(Event::UserCredentialsChanged {
            user_id: user.id.clone(),
        })
        .await;
        moved += 1;
    }
    Ok(moved)
}

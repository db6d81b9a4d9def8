//! Moving accounts to SAML (`POST /users/migrate_auth/saml`, Mattermost's `MigrateToSaml`)
//! and back to their email as `auth_data` (`POST /saml/reset_auth_data`). Both walk the
//! accounts of one sign-in service by id, a bounded page at a time, and publish each change
//! so caches drop the account.

use super::AUTH_SERVICE;
use crate::bus::Event;
use crate::errors::SamlError;
use crate::{App, AppResult};
use std::collections::{HashMap, HashSet};
use utmost_model::now_millis;
use utmost_model::user::User;
use utmost_model::AppError;
use utmost_store::users as store;

/// Accounts read per page.
const PAGE: i64 = 200;

/// The sign-in services an account may move to SAML from; "email" (a password) is stored
/// as an empty `auth_service`.
pub fn from_service(from: &str) -> Option<&'static str> {
    Some(match from {
        "email" => "",
        "ldap" => "ldap",
        "gitlab" => "gitlab",
        "google" => "google",
        "office365" => "office365",
        "openid" => "openid",
        _ => return None,
    })
}

/// Walks the accounts of `service` by id, a page at a time, binding each that `choose`
/// gives a SAML id to that id (or, with `dry_run`, only counting it); how many.
async fn walk(
    app: &App,
    service: &str,
    dry_run: bool,
    choose: impl Fn(&User) -> Option<String>,
) -> AppResult<u64> {
    let mut count = 0;
    let mut after = String::new();
    loop {
        let page = store::list_by_auth_service(&app.store, service, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let short = (page.len() as i64) < PAGE;
        for user in &page {
            let Some(auth_data) = choose(user) else {
                continue;
            };
            if !dry_run {
                bind(app, user, &auth_data).await?;
            }
            count += 1;
        }
        if short {
            break;
        }
    }
    Ok(count)
}

/// Writes `auth_data` as the SAML identity of `user`.
async fn bind(app: &App, user: &User, auth_data: &str) -> AppResult<()> {
    store::set_auth(&app.store, &user.id, AUTH_SERVICE, auth_data, now_millis())
        .await
        .map_err(|e| match e {
            utmost_store::StoreError::Conflict(_) => AppError::from(SamlError::MigrateFail(
                format!("the SAML id of {} is another account's", user.username),
            )),
            other => other.into(),
        })?;
    app.publish(Event::UserCredentialsChanged {
        user_id: user.id.clone(),
    })
    .await;
    Ok(())
}

/// Moves the accounts of `from_service` to SAML: those whose email `matches` names take
/// the SAML id it gives; with `auto`, the others move too, with their email as the id (their
/// first SAML sign-in binds them to `IdAttribute`'s value). Bots stay. The caller checked
/// `manage_system`.
pub async fn migrate_to_saml(
    app: &App,
    from_service: &str,
    matches: &HashMap<String, String>,
    auto: bool,
) -> AppResult<u64> {
    let matches: HashMap<String, &String> = matches
        .iter()
        .map(|(email, id)| (email.trim().to_lowercase(), id))
        .collect();
    walk(app, from_service, false, |user| {
        if user.is_bot {
            return None;
        }
        match matches.get(&user.email) {
            Some(id) => Some((*id).clone()),
            None if auto => Some(user.email.clone()),
            None => None,
        }
    })
    .await
}

/// Sets the `auth_data` of SAML accounts back to their email (all of them, or `user_ids`;
/// deactivated ones with `include_deleted`); with `dry_run`, only counts them. The caller
/// checked `manage_system`.
pub async fn reset_auth_data_to_email(
    app: &App,
    include_deleted: bool,
    dry_run: bool,
    user_ids: &[String],
) -> AppResult<u64> {
    let only: HashSet<&str> = user_ids.iter().map(String::as_str).collect();
    walk(app, AUTH_SERVICE, dry_run, |user| {
        let chosen = (only.is_empty() || only.contains(user.id.as_str()))
            && (include_deleted || user.delete_at == 0)
            && user.auth_data != user.email;
        chosen.then(|| user.email.clone())
    })
    .await
}

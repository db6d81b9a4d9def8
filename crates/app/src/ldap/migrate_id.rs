//! `POST /ldap/migrateid` (Mattermost's `MigrateIdLDAP`): every AD/LDAP account's
//! `auth_data` moves from its entry's `IdAttribute` value to the value of another attribute,
//! and `IdAttribute` is then saved as that attribute, so the directory can change the
//! attribute that identifies people without anyone losing their account.
//!
//! Everything that could refuse the change is checked before an account moves: the
//! attribute's name, a configuration that can take the new `IdAttribute` (not read-only, not
//! pinned by `MM_LDAPSETTINGS_IDATTRIBUTE`), and new values that are unique. An account whose
//! entry is gone or has no value of the new attribute keeps its `auth_data` (logged); the
//! next sync deactivates it as it would have anyway.

use super::connection::Directory;
use super::{enabled, AUTH_SERVICE};
use crate::bus::Event;
use crate::errors::LdapError;
use crate::{config_store, App, AppResult};
use std::collections::HashMap;
use utmost_model::now_millis;
use utmost_store::users as store;

/// Accounts read per page.
const PAGE: i64 = 200;
/// The variable that would pin `IdAttribute` over any save.
const PINNED_BY: &str = "MM_LDAPSETTINGS_IDATTRIBUTE";

/// Moves every AD/LDAP account to `to_attribute` and saves it as `IdAttribute`; how many
/// accounts moved. The caller checked `manage_system`.
pub async fn to_attribute(app: &App, to_attribute: &str) -> AppResult<u64> {
    let to_attribute = to_attribute.trim();
    if !is_attribute_name(to_attribute) {
        return Err(
            LdapError::IdMigrate(format!("{to_attribute:?} is not an attribute name")).into(),
        );
    }
    let config = app.config();
    let s = &config.ldap_settings;
    if !enabled(s) {
        return Err(LdapError::Disabled.into());
    }
    if to_attribute.eq_ignore_ascii_case(&s.id_attribute) {
        return Ok(0);
    }
    if config_store::environment(app)
        .iter()
        .any(|(name, _)| name == PINNED_BY)
    {
        return Err(LdapError::IdMigrate(format!(
            "{PINNED_BY} sets IdAttribute; remove it first, or the accounts would be paired with the old attribute"
        ))
        .into());
    }
    let mut saved = (*config).clone();
    saved.ldap_settings.id_attribute = to_attribute.to_string();
    config_store::check_savable(app, &saved)?;

    let new_ids = read_new_ids(app, &config, to_attribute).await?;
    let mut moved = 0;
    let mut after = String::new();
    loop {
        let page = store::list_by_auth_service(&app.store, AUTH_SERVICE, &after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let short = (page.len() as i64) < PAGE;
        for user in page {
            let old = user.auth_data.clone();
            let Some(new) = new_ids.get(&old) else {
                tracing::warn!(user_id = %user.id, "no AD/LDAP entry with a value of the new id attribute; the account keeps its auth_data");
                continue;
            };
            if *new == old {
                continue;
            }
            store::set_auth(&app.store, &user.id, AUTH_SERVICE, new, now_millis()).await?;
            app.publish(Event::UserCredentialsChanged {
                user_id: user.id.clone(),
            })
            .await;
            moved += 1;
        }
        if short {
            break;
        }
    }
    config_store::save_as_is(app, saved).await?;
    tracing::info!(
        to_attribute,
        moved,
        "AD/LDAP accounts moved to a new id attribute"
    );
    Ok(moved)
}

/// Each entry's old id (`IdAttribute`) to its new one, refused when two entries share a new
/// value (two accounts would become one).
async fn read_new_ids(
    app: &App,
    config: &utmost_config::Config,
    to_attribute: &str,
) -> AppResult<HashMap<String, String>> {
    let s = &config.ldap_settings;
    let mut directory = Directory::open(app, config).await?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let attrs = [s.id_attribute.clone(), to_attribute.to_string()];
    let read = directory
        .search_all(&format!("({}=*)", s.id_attribute), &attrs, |found| {
            let value = |name: &str| {
                found
                    .attrs
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(name))
                    .and_then(|(_, values)| values.first())
                    .cloned()
                    .unwrap_or_default()
            };
            let (old, new) = (value(&s.id_attribute), value(to_attribute));
            if !old.is_empty() && !new.is_empty() {
                pairs.push((old, new));
            }
        })
        .await;
    directory.close().await;
    read?;
    let mut owners: HashMap<&str, &str> = HashMap::new();
    for (old, new) in &pairs {
        if owners.insert(new, old).is_some_and(|other| other != old) {
            return Err(LdapError::IdMigrate(format!(
                "several entries have the same {to_attribute} value"
            ))
            .into());
        }
    }
    Ok(pairs.into_iter().collect())
}

/// An LDAP attribute description: a name (a letter, then letters, digits and hyphens) or an
/// OID, with options after `;`. Anything else could change the search filter.
fn is_attribute_name(name: &str) -> bool {
    let base = name.split(';').next().unwrap_or_default();
    let named = base.starts_with(|c: char| c.is_ascii_alphabetic())
        && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let oid = !base.is_empty()
        && base
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    (named || oid)
        && name
            .split(';')
            .skip(1)
            .all(|o| !o.is_empty() && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::is_attribute_name;

    #[test]
    fn only_attribute_names_reach_the_filter() {
        for good in [
            "uid",
            "employeeNumber",
            "objectGUID",
            "x-id",
            "1.2.840.113556.1.4.2",
            "cn;lang-en",
        ] {
            assert!(is_attribute_name(good), "{good}");
        }
        for bad in [
            "",
            "uid)(cn=*",
            "*",
            "2x",
            "uid=",
            "1..2",
            "cn;",
            "mail address",
        ] {
            assert!(!is_attribute_name(bad), "{bad}");
        }
    }
}

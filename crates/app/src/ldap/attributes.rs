//! A directory entry as an account, through the `…Attribute` settings, and the filters that
//! select entries. Attribute names are matched without regard to case, as LDAP does.

use ldap3::{ldap_escape, SearchEntry};
use utmost_config::LdapSettings;
use utmost_model::user::User;

/// What the settings map out of one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    pub dn: String,
    /// `IdAttribute`: the account's `auth_data`.
    pub id: String,
    pub username: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: String,
    pub position: String,
    /// `PictureAttribute`'s value (an image), read at sign-in only.
    pub picture: Option<Vec<u8>>,
}

/// The attributes a search asks for: the mapped ones that are set.
pub(super) fn requested(s: &LdapSettings) -> Vec<String> {
    let mut names: Vec<String> = [
        &s.id_attribute,
        &s.username_attribute,
        &s.email_attribute,
        &s.first_name_attribute,
        &s.last_name_attribute,
        &s.nickname_attribute,
        &s.position_attribute,
        &s.login_id_attribute,
    ]
    .into_iter()
    .filter(|a| !a.is_empty())
    .cloned()
    .collect();
    names.sort_by_key(|a| a.to_lowercase());
    names.dedup_by_key(|a| a.to_lowercase());
    names
}

/// What a sign-in asks for: the mapped attributes and `PictureAttribute`. A sync does not
/// ask for pictures, which would hold every picture of the directory in memory at once.
pub(super) fn requested_at_login(s: &LdapSettings) -> Vec<String> {
    let mut names = requested(s);
    if !s.picture_attribute.is_empty() {
        names.push(s.picture_attribute.clone());
    }
    names
}

/// The entry as the settings map it; `None` without an `IdAttribute` value, since such an
/// entry can never be matched to an account again.
pub(super) fn entry(s: &LdapSettings, found: &SearchEntry) -> Option<Entry> {
    let value = |name: &str| first_value(found, name);
    let id = value(&s.id_attribute);
    if id.is_empty() {
        return None;
    }
    Some(Entry {
        dn: found.dn.clone(),
        id,
        username: value(&s.username_attribute).trim().to_lowercase(),
        email: value(&s.email_attribute).trim().to_lowercase(),
        first_name: value(&s.first_name_attribute),
        last_name: value(&s.last_name_attribute),
        nickname: value(&s.nickname_attribute),
        position: value(&s.position_attribute),
        picture: binary_value(found, &s.picture_attribute),
    })
}

/// The first value of `name` as bytes (an image is never valid UTF-8, so ldap3 keeps it
/// among the binary attributes).
fn binary_value(found: &SearchEntry, name: &str) -> Option<Vec<u8>> {
    if name.is_empty() {
        return None;
    }
    let named = |key: &String| key.eq_ignore_ascii_case(name);
    found
        .bin_attrs
        .iter()
        .find(|(key, _)| named(key))
        .and_then(|(_, values)| values.first().cloned())
        .or_else(|| {
            found
                .attrs
                .iter()
                .find(|(key, _)| named(key))
                .and_then(|(_, values)| values.first())
                .map(|value| value.as_bytes().to_vec())
        })
        .filter(|bytes| !bytes.is_empty())
}

fn first_value(found: &SearchEntry, name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    found
        .attrs
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .and_then(|(_, values)| values.first())
        .cloned()
        .unwrap_or_default()
}

impl Entry {
    /// Writes the directory's values over `user`'s; whether anything changed. A mapped
    /// attribute the entry lacks leaves the field as it is, as Mattermost's sync does.
    pub(super) fn apply(&self, s: &LdapSettings, user: &mut User) -> bool {
        let before = user.clone();
        user.auth_data = self.id.clone();
        let fields = [
            (&s.username_attribute, &self.username, &mut user.username),
            (&s.email_attribute, &self.email, &mut user.email),
            (
                &s.first_name_attribute,
                &self.first_name,
                &mut user.first_name,
            ),
            (&s.last_name_attribute, &self.last_name, &mut user.last_name),
            (&s.nickname_attribute, &self.nickname, &mut user.nickname),
            (&s.position_attribute, &self.position, &mut user.position),
        ];
        for (attribute, value, field) in fields {
            if !attribute.is_empty() && !value.is_empty() {
                field.clone_from(value);
            }
        }
        *user != before
    }
}

/// `UserFilter`, or every entry when it is empty.
pub(super) fn user_filter(s: &LdapSettings) -> String {
    parenthesised(&s.user_filter).unwrap_or_else(|| "(objectClass=*)".to_string())
}

/// `(attribute=value)` under `UserFilter`, the value escaped.
pub(super) fn one_user(s: &LdapSettings, attribute: &str, value: &str) -> String {
    and(
        &format!("({attribute}={})", ldap_escape(value)),
        &user_filter(s),
    )
}

/// Both filters.
pub(super) fn and(a: &str, b: &str) -> String {
    format!("(&{a}{b})")
}

/// A filter as LDAP needs it, in parentheses; `None` when empty.
pub(super) fn parenthesised(filter: &str) -> Option<String> {
    let filter = filter.trim();
    if filter.is_empty() {
        None
    } else if filter.starts_with('(') {
        Some(filter.to_string())
    } else {
        Some(format!("({filter})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings() -> LdapSettings {
        LdapSettings {
            id_attribute: "entryUUID".into(),
            username_attribute: "uid".into(),
            login_id_attribute: "uid".into(),
            email_attribute: "mail".into(),
            first_name_attribute: "givenName".into(),
            last_name_attribute: "sn".into(),
            user_filter: "objectClass=inetOrgPerson".into(),
            ..LdapSettings::default()
        }
    }

    fn found(attrs: &[(&str, &str)]) -> SearchEntry {
        SearchEntry {
            dn: "uid=alice,ou=people,dc=example,dc=com".into(),
            attrs: attrs
                .iter()
                .map(|(k, v)| (k.to_string(), vec![v.to_string()]))
                .collect::<HashMap<_, _>>(),
            bin_attrs: HashMap::new(),
        }
    }

    #[test]
    fn maps_an_entry_without_regard_to_attribute_case() {
        let e = entry(
            &settings(),
            &found(&[
                ("entryuuid", "1234"),
                ("uid", "Alice"),
                ("mail", "Alice@Example.com "),
                ("givenName", "Alice"),
            ]),
        )
        .unwrap();
        assert_eq!(
            (e.id.as_str(), e.username.as_str(), e.email.as_str()),
            ("1234", "alice", "alice@example.com")
        );
        assert_eq!((e.first_name.as_str(), e.last_name.as_str()), ("Alice", ""));
        assert!(entry(&settings(), &found(&[("uid", "bob")])).is_none());
    }

    #[test]
    fn applying_keeps_what_the_entry_lacks() {
        let s = settings();
        let e = entry(
            &s,
            &found(&[("entryUUID", "1"), ("uid", "alice"), ("sn", "A")]),
        )
        .unwrap();
        let mut user = User {
            username: "alice".into(),
            email: "alice@example.com".into(),
            first_name: "Alice".into(),
            auth_data: "1".into(),
            ..User::default()
        };
        assert!(e.apply(&s, &mut user));
        assert_eq!(
            (user.first_name.as_str(), user.last_name.as_str()),
            ("Alice", "A")
        );
        assert!(!e.apply(&s, &mut user));
    }

    #[test]
    fn filters_are_escaped_and_combined() {
        let s = settings();
        assert_eq!(
            one_user(&s, "uid", "a*)(uid=b"),
            "(&(uid=a\\2a\\29\\28uid=b)(objectClass=inetOrgPerson))"
        );
        assert_eq!(user_filter(&LdapSettings::default()), "(objectClass=*)");
        assert_eq!(parenthesised("  "), None);
    }
}

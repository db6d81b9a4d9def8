//! An assertion's attributes as an account, through the `…Attribute` settings (Mattermost's
//! SAML attribute mapping). An attribute is found by its `Name`, then its `FriendlyName`;
//! its first value counts. Email and username are required; `IdAttribute` too when set.

use crate::errors::SamlError;
use samael::schema::Assertion;
use utmost_config::SamlSettings;
use utmost_model::user::User;

/// Mattermost's limits on the free-text profile fields (runes).
const NAME_MAX: usize = 64;
const POSITION_MAX: usize = 128;

/// What the assertion says of its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Profile {
    /// `IdAttribute`'s value, or the email.
    pub auth_data: String,
    pub email: String,
    pub username: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub nickname: Option<String>,
    pub position: Option<String>,
    pub locale: Option<String>,
    /// `GuestAttribute` matched (`None`: not set).
    pub guest: Option<bool>,
    /// `AdminAttribute` matched (`None`: not in force).
    pub admin: Option<bool>,
}

impl Profile {
    pub(super) fn read(s: &SamlSettings, assertion: &Assertion) -> Result<Profile, SamlError> {
        let values = |name: &str| values(assertion, name);
        let first = |name: &str| {
            values(name)
                .into_iter()
                .next()
                .map(|v| v.trim().to_string())
        };
        let required = |name: &str, what: &str| {
            first(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                SamlError::Attribute(format!("{what} attribute {name:?} is missing"))
            })
        };
        let email = required(&s.email_attribute, "email")?.to_lowercase();
        let username = required(&s.username_attribute, "username")?.to_lowercase();
        let auth_data = if s.id_attribute.is_empty() {
            email.clone()
        } else {
            required(&s.id_attribute, "id")?
        };
        let optional = |name: &str, max: usize| {
            (!name.is_empty())
                .then(|| first(name))
                .flatten()
                .map(|v| v.chars().take(max).collect::<String>())
        };
        let matches = |filter: &str| {
            let (name, expected) = filter.split_once('=')?;
            let expected = expected.trim();
            Some(values(name.trim()).iter().any(|v| v.trim() == expected))
        };
        Ok(Profile {
            auth_data,
            email,
            username,
            first_name: optional(&s.first_name_attribute, NAME_MAX),
            last_name: optional(&s.last_name_attribute, NAME_MAX),
            nickname: optional(&s.nickname_attribute, NAME_MAX),
            position: optional(&s.position_attribute, POSITION_MAX),
            locale: optional(&s.locale_attribute, 5).map(|l| l.replace('_', "-")),
            guest: (!s.guest_attribute.is_empty())
                .then(|| matches(&s.guest_attribute))
                .flatten(),
            admin: s
                .enable_admin_attribute
                .then(|| matches(&s.admin_attribute))
                .flatten(),
        })
    }

    /// Writes the profile over `user`; true when something changed.
    pub(super) fn apply(&self, user: &mut User) -> bool {
        let before = user.clone();
        user.email = self.email.clone();
        user.username = self.username.clone();
        let fields = [
            (&self.first_name, &mut user.first_name),
            (&self.last_name, &mut user.last_name),
            (&self.nickname, &mut user.nickname),
            (&self.position, &mut user.position),
            (&self.locale, &mut user.locale),
        ];
        for (value, field) in fields {
            if let Some(value) = value {
                field.clone_from(value);
            }
        }
        *user != before
    }
}

/// Every value of the attribute named `name` (by `Name`, else `FriendlyName`).
fn values(assertion: &Assertion, name: &str) -> Vec<String> {
    let attributes = || {
        assertion
            .attribute_statements
            .iter()
            .flatten()
            .flat_map(|statement| statement.attributes.iter())
    };
    let named = attributes()
        .find(|a| a.name.as_deref() == Some(name))
        .or_else(|| attributes().find(|a| a.friendly_name.as_deref() == Some(name)));
    named
        .map(|a| a.values.iter().filter_map(|v| v.value.clone()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assertion(attributes: &str) -> Assertion {
        format!(
            "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_a\" \
             Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>idp</saml:Issuer>\
             <saml:AttributeStatement>{attributes}</saml:AttributeStatement></saml:Assertion>"
        )
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn attribute(name: &str, friendly: &str, values: &[&str]) -> String {
        let values: String = values
            .iter()
            .map(|v| format!("<saml:AttributeValue>{v}</saml:AttributeValue>"))
            .collect();
        format!(
            "<saml:Attribute Name=\"{name}\" FriendlyName=\"{friendly}\">{values}</saml:Attribute>"
        )
    }

    fn settings() -> SamlSettings {
        SamlSettings {
            email_attribute: "mail".into(),
            username_attribute: "uid".into(),
            id_attribute: "employeeNumber".into(),
            first_name_attribute: "givenName".into(),
            locale_attribute: "locale".into(),
            guest_attribute: "groups=guests".into(),
            enable_admin_attribute: true,
            admin_attribute: "groups=admins".into(),
            ..SamlSettings::default()
        }
    }

    #[test]
    fn attributes_are_found_by_name_then_friendly_name() {
        let a = assertion(
            &[
                attribute(
                    "urn:oid:0.9.2342.19200300.100.1.3",
                    "mail",
                    &[" Alice@Example.com "],
                ),
                attribute("uid", "", &["Alice"]),
                attribute("employeeNumber", "", &["E-1"]),
                attribute("givenName", "", &["Alice"]),
                attribute("locale", "", &["pt_BR"]),
                attribute("groups", "", &["staff", "admins"]),
            ]
            .concat(),
        );
        let p = Profile::read(&settings(), &a).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.email, "alice@example.com");
        assert_eq!(p.username, "alice");
        assert_eq!(p.auth_data, "E-1");
        assert_eq!(p.first_name.as_deref(), Some("Alice"));
        assert_eq!(p.last_name, None);
        assert_eq!(p.locale.as_deref(), Some("pt-BR"));
        assert_eq!((p.guest, p.admin), (Some(false), Some(true)));
    }

    #[test]
    fn a_missing_required_attribute_is_refused_and_the_email_is_the_default_id() {
        let a = assertion(&attribute("mail", "", &["bob@example.com"]));
        assert!(matches!(
            Profile::read(&settings(), &a),
            Err(SamlError::Attribute(why)) if why.contains("uid")
        ));
        let s = SamlSettings {
            id_attribute: String::new(),
            username_attribute: "mail".into(),
            ..settings()
        };
        let p = Profile::read(&s, &a).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(p.auth_data, "bob@example.com");
        assert_eq!(p.guest, Some(false));
    }
}

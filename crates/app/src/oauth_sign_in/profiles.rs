//! What each provider says of its user, mapped to an account: the ID token's claims
//! (OpenID Connect), or the JSON of the service's user API (GitLab's `/api/v4/user`, Google's
//! People API, Microsoft Graph's `/me`, an OpenID Connect `userinfo`).

use super::Service;
use crate::errors::OAuthError;
use crate::AppResult;
use openidconnect::core::CoreIdTokenClaims;
use serde_json::Value;
use utmost_model::new_id;

/// The provider's user: `auth_data` is its id there, which never changes for a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ProviderUser {
    pub auth_data: String,
    pub email: String,
    /// The provider vouches for the address (`email_verified`, GitLab's confirmation,
    /// Google's `verified`); only then may it be linked to an existing account.
    pub email_verified: bool,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub nickname: String,
}

pub(super) fn from_id_token(claims: &CoreIdTokenClaims) -> ProviderUser {
    let email = claims.email().map(|e| e.to_lowercase()).unwrap_or_default();
    let preferred = claims.preferred_username().map(|u| u.to_string());
    ProviderUser {
        auth_data: claims.subject().to_string(),
        username: clean_username(preferred.as_deref().unwrap_or_else(|| local_part(&email))),
        email_verified: claims.email_verified().unwrap_or(false),
        first_name: localized(claims.given_name()),
        last_name: localized(claims.family_name()),
        nickname: localized(claims.nickname()),
        email,
    }
}

fn localized<T: std::ops::Deref<Target = String>>(
    claim: Option<&openidconnect::LocalizedClaim<T>>,
) -> String {
    claim
        .and_then(|c| c.get(None))
        .map(|v| v.to_string())
        .unwrap_or_default()
}

pub(super) fn from_user_api(service: Service, body: &Value) -> AppResult<ProviderUser> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let user = match service {
        Service::GitLab => {
            // GitLab's ids are numbers; Mattermost stores them in decimal.
            let id = body["id"].as_i64().filter(|id| *id != 0);
            let email = text(&body["email"]).to_lowercase();
            let (first_name, last_name) = split_name(&text(&body["name"]));
            let username = match text(&body["username"]) {
                name if name.is_empty() => text(&body["login"]),
                name => name,
            };
            ProviderUser {
                auth_data: id.map(|id| id.to_string()).unwrap_or_default(),
                username: clean_username(&username),
                // GitLab makes only a confirmed address the primary one.
                email_verified: body["confirmed_at"].is_string(),
                first_name,
                last_name,
                nickname: String::new(),
                email,
            }
        }
        Service::Google => {
            let emails = body["emailAddresses"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let primary = emails
                .iter()
                .find(|e| e["metadata"]["primary"] == Value::Bool(true))
                .or_else(|| emails.first())
                .cloned()
                .unwrap_or(Value::Null);
            let email = text(&primary["value"]).to_lowercase();
            let name = &body["names"][0];
            ProviderUser {
                auth_data: text(&body["resourceName"])
                    .trim_start_matches("people/")
                    .to_owned(),
                username: clean_username(local_part(&email)),
                email_verified: primary["metadata"]["verified"] == Value::Bool(true),
                first_name: text(&name["givenName"]),
                last_name: text(&name["familyName"]),
                nickname: text(&body["nicknames"][0]["value"]),
                email,
            }
        }
        Service::Office365 => {
            let email = match text(&body["mail"]) {
                mail if mail.is_empty() => text(&body["userPrincipalName"]),
                mail => mail,
            }
            .to_lowercase();
            ProviderUser {
                auth_data: text(&body["id"]),
                username: clean_username(local_part(&email)),
                // Graph's `/me` does not say whether anyone checked the address.
                email_verified: false,
                first_name: text(&body["givenName"]),
                last_name: text(&body["surname"]),
                nickname: String::new(),
                email,
            }
        }
        Service::OpenId => {
            let email = text(&body["email"]).to_lowercase();
            let preferred = text(&body["preferred_username"]);
            ProviderUser {
                auth_data: text(&body["sub"]),
                username: clean_username(if preferred.is_empty() {
                    local_part(&email)
                } else {
                    &preferred
                }),
                email_verified: body["email_verified"] == Value::Bool(true)
                    || body["email_verified"] == Value::String("true".into()),
                first_name: text(&body["given_name"]),
                last_name: text(&body["family_name"]),
                nickname: text(&body["nickname"]),
                email,
            }
        }
    };
    if user.auth_data.is_empty() {
        return Err(OAuthError::NoUserId.into());
    }
    Ok(user)
}

fn local_part(email: &str) -> &str {
    email.split('@').next().unwrap_or_default()
}

/// "First Last Names" → ("First", "Last Names"), as Mattermost splits GitLab's `name`.
fn split_name(name: &str) -> (String, String) {
    match name.trim().split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (name.trim().to_owned(), String::new()),
    }
}

/// Mattermost's `CleanUsername`: lower case, spaces and other characters a username may not
/// hold become `-`, and a name that is still not valid becomes `a` and a new id.
pub(super) fn clean_username(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' | '_' => c,
            _ => '-',
        })
        .collect();
    let cleaned = cleaned.trim_matches('-').to_owned();
    if crate::users::validate_username(&cleaned).is_ok() {
        cleaned
    } else {
        format!("a{}", new_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gitlab_user() {
        let body = json!({"id": 42, "username": "Ann.Lee", "email": "Ann@Example.com",
            "name": "Ann Marie Lee", "confirmed_at": "2020-01-01T00:00:00Z"});
        let u = from_user_api(Service::GitLab, &body).unwrap();
        assert_eq!(u.auth_data, "42");
        assert_eq!(u.username, "ann.lee");
        assert_eq!(u.email, "ann@example.com");
        assert_eq!(
            (u.first_name.as_str(), u.last_name.as_str()),
            ("Ann", "Marie Lee")
        );
        assert!(u.email_verified);
        let unconfirmed = json!({"id": 42, "username": "x", "email": "x@example.com"});
        assert!(
            !from_user_api(Service::GitLab, &unconfirmed)
                .unwrap()
                .email_verified
        );
        assert!(from_user_api(Service::GitLab, &json!({"id": 0})).is_err());
    }

    #[test]
    fn google_user() {
        let body = json!({"resourceName": "people/1077", "names": [{"givenName": "Bo", "familyName": "Ek"}],
            "emailAddresses": [{"value": "other@example.com", "metadata": {}},
                {"value": "Bo@Example.com", "metadata": {"primary": true, "verified": true}}]});
        let u = from_user_api(Service::Google, &body).unwrap();
        assert_eq!(u.auth_data, "1077");
        assert_eq!(u.email, "bo@example.com");
        assert!(u.email_verified);
        assert_eq!(u.username, "bo");
    }

    #[test]
    fn office365_user() {
        let body = json!({"id": "9f1c", "givenName": "Cy", "surname": "Fox",
            "mail": null, "userPrincipalName": "Cy.Fox@Tenant.example"});
        let u = from_user_api(Service::Office365, &body).unwrap();
        assert_eq!(u.auth_data, "9f1c");
        assert_eq!(u.email, "cy.fox@tenant.example");
        assert!(!u.email_verified);
    }

    #[test]
    fn usernames_are_cleaned() {
        assert_eq!(clean_username("Jane Doe"), "jane-doe");
        assert_eq!(clean_username("  -x!y- "), "x-y");
        assert!(clean_username("9lives").starts_with('a'));
        assert!(clean_username("all").starts_with('a'));
    }
}

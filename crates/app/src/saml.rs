//! SAML 2.0 sign-in (Mattermost's enterprise `saml` interface, issue 16): Utmost is the
//! service provider. `login` sends the AuthnRequest and consumes the IdP's response (through
//! samael, which verifies and decrypts with xmlsec); `attributes` maps an assertion to an
//! account with the `…Attribute` settings; `certificates` keeps the IdP certificate and the
//! SP key pair as files beside the config file; `metadata` is the SP's metadata and the
//! reading of the IdP's; `accounts` moves accounts to and from SAML.
//!
//! An account from SAML has `auth_service` "saml" and, as `auth_data`, the value of
//! `IdAttribute` (its email when that is not set).

pub mod accounts;
mod attributes;
pub mod certificates;
pub mod login;
pub mod metadata;
mod provider;

use utmost_config::Config;

/// `User.AuthService` of a SAML account (`model.UserAuthServiceSaml`).
pub const AUTH_SERVICE: &str = "saml";

/// The assertion consumer service: `AssertionConsumerServiceURL`, or the site's
/// `/login/sso/saml`.
pub fn acs_url(config: &Config) -> String {
    let s = &config.saml_settings;
    if s.assertion_consumer_service_url.is_empty() {
        let site = config.service_settings.site_url.trim_end_matches('/');
        format!("{site}/login/sso/saml")
    } else {
        s.assertion_consumer_service_url.clone()
    }
}

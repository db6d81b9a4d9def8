//! The client certificate a sign-in presents (`ExperimentalSettings.ClientSideCertEnable`):
//! the one the TLS connection itself verified, or, on a connection from one of
//! `TrustedProxyAddresses`, the proxy's `X-SSL-Client-Cert` and
//! `X-SSL-Client-Cert-Subject-DN` headers (Mattermost's `CheckForClientSideCert`, which
//! believes them from anyone; nginx sets them from `$ssl_client_cert` and `$ssl_client_s_dn`
//! after verifying the certificate).

use crate::client_ip::is_trusted_proxy;
use crate::serve::TlsConnection;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::net::SocketAddr;
use utmost_config::Config;

/// The certificate's email, if the request carries a certificate with one.
pub fn email(extensions: &Extensions, headers: &HeaderMap, config: &Config) -> Option<String> {
    if let Some(email) = extensions
        .get::<TlsConnection>()
        .and_then(|tls| tls.client_certificate_email.as_deref())
    {
        return Some(email.to_string());
    }
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !is_trusted_proxy(peer, &config.service_settings) {
        return None;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty())
    };
    header("X-SSL-Client-Cert")?;
    email_of_subject(header("X-SSL-Client-Cert-Subject-DN")?)
}

/// The `emailAddress` of a subject DN, in nginx's legacy form (`/C=US/emailAddress=…`, what
/// Mattermost parses) or RFC 2253's (`emailAddress=…,CN=…`).
fn email_of_subject(subject: &str) -> Option<String> {
    subject
        .split(['/', ','])
        .filter_map(|part| part.trim().split_once('='))
        .filter(|(key, _)| *key == "emailAddress")
        .map(|(_, value)| value.trim().to_string())
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::email_of_subject;

    #[test]
    fn the_email_of_either_subject_form() {
        assert_eq!(
            email_of_subject("/C=US/CN=Ann/emailAddress=ann@example.com").as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(
            email_of_subject("emailAddress=bo@example.com,CN=Bo,O=Example").as_deref(),
            Some("bo@example.com")
        );
        assert_eq!(email_of_subject("CN=Nobody"), None);
    }
}

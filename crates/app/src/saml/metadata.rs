//! Metadata: Utmost's as a service provider (`GET /saml/metadata`), and the IdP's read from
//! its metadata URL (`POST /saml/metadatafromidp`, fetched through `outgoing`, so an
//! internal address is refused unless `AllowedUntrustedInternalConnections` lists it).

use super::certificates::{self, CertKind};
use super::provider::xml_escape;
use crate::errors::SamlError;
use crate::outgoing::{self, Request};
use crate::{App, AppResult};
use samael::metadata::EntityDescriptor;
use std::time::Duration;
use utmost_config::Config;

/// Metadata documents are small; a larger answer is not one.
const MAX_METADATA_BYTES: usize = 1024 * 1024;
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The SP metadata XML: entity id, the assertion consumer service (HTTP-POST), the public
/// certificate for signing and, with `Encrypt`, for encryption.
pub async fn sp_metadata(app: &App, config: &Config) -> AppResult<String> {
    let s = &config.saml_settings;
    if s.service_provider_identifier.is_empty() {
        return Err(SamlError::Metadata("ServiceProviderIdentifier is not set".into()).into());
    }
    let certificate = match certificates::read(app, config, CertKind::Public).await {
        Ok(pem) => Some(
            openssl::x509::X509::from_pem(&pem)
                .and_then(|c| c.to_der())
                .map_err(|e| SamlError::Metadata(e.to_string()))?,
        ),
        Err(_) => None,
    };
    let key = |usage: &str, der: &[u8]| {
        format!(
            "<md:KeyDescriptor use=\"{usage}\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}\
             </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>",
            data_encoding::BASE64.encode(der)
        )
    };
    let mut keys = String::new();
    if let Some(der) = &certificate {
        keys.push_str(&key("signing", der));
        if s.encrypt {
            keys.push_str(&key("encryption", der));
        }
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"{entity}\">\
         <md:SPSSODescriptor AuthnRequestsSigned=\"{signed}\" WantAssertionsSigned=\"{verify}\" \
         protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">{keys}\
         <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>\
         <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" \
         Location=\"{acs}\" index=\"0\"/></md:SPSSODescriptor></md:EntityDescriptor>\n",
        entity = xml_escape(&s.service_provider_identifier),
        signed = s.sign_request,
        verify = s.verify,
        acs = xml_escape(&super::acs_url(config)),
    ))
}

/// Mattermost's `SamlMetadataResponse`: what the system console fills in from the IdP.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IdpMetadata {
    pub idp_url: String,
    pub idp_descriptor_url: String,
    pub idp_public_certificate: String,
}

/// Fetches and reads the IdP's metadata at `url` (`https://` is assumed without a scheme).
pub async fn from_idp(app: &App, url: &str) -> AppResult<IdpMetadata> {
    let url = if url.starts_with("http://") || url.starts_with("https://") {
        url.to_string()
    } else {
        format!("https://{url}")
    };
    let failed = |e: outgoing::FetchError| SamlError::MetadataFromIdp(e.to_string());
    let request = Request {
        url: &url,
        accept: "application/samlmetadata+xml, application/xml, text/xml",
        timeout: FETCH_TIMEOUT,
        may_follow: &|_| true,
    };
    let opened = outgoing::open(app, &request).await.map_err(failed)?;
    if !opened.status().is_success() {
        return Err(SamlError::MetadataFromIdp(format!("status {}", opened.status())).into());
    }
    let body = opened
        .read_capped(MAX_METADATA_BYTES)
        .await
        .map_err(failed)?;
    read_idp_metadata(&String::from_utf8_lossy(&body)).map_err(Into::into)
}

/// Mattermost's `BuildSamlMetadataObject`: the entity id, the first sign-in service and the
/// first key's certificate of the first IDPSSODescriptor.
fn read_idp_metadata(xml: &str) -> Result<IdpMetadata, SamlError> {
    let descriptor = xml
        .parse::<EntityDescriptor>()
        .map_err(|e| SamlError::MetadataFromIdp(e.to_string()))?;
    let idp = descriptor
        .idp_sso_descriptors
        .as_ref()
        .and_then(|d| d.first())
        .ok_or_else(|| SamlError::MetadataFromIdp("no IDPSSODescriptor".into()))?;
    let sso = idp
        .single_sign_on_services
        .first()
        .ok_or_else(|| SamlError::MetadataFromIdp("no SingleSignOnService".into()))?;
    let certificate = idp
        .key_descriptors
        .first()
        .and_then(|k| k.key_info.x509_data.as_ref())
        .and_then(|x| x.certificates.first())
        .ok_or_else(|| SamlError::MetadataFromIdp("no KeyDescriptor certificate".into()))?;
    Ok(IdpMetadata {
        idp_url: sso.location.clone(),
        idp_descriptor_url: descriptor.entity_id.clone().unwrap_or_default(),
        idp_public_certificate: certificate.split_whitespace().collect(),
    })
}

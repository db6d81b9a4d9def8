//! The samael service provider for the settings in force: the IdP as its metadata would
//! describe it (entity id `IdpDescriptorURL`, sign-in at `IdpURL`, signing certificate from
//! the IdP certificate file while `Verify` is on), and Utmost's entity id, assertion consumer
//! service and key pair.

use super::certificates::{self, CertKind};
use crate::errors::SamlError;
use crate::{App, AppResult};
use samael::crypto::AllowedSignatureAlgorithm;
use samael::metadata::{EntityDescriptor, HTTP_REDIRECT_BINDING};
use samael::service_provider::{ServiceProvider, ServiceProviderBuilder};
use utmost_config::Config;

/// How far the IdP's clock may be from ours.
pub(super) const CLOCK_SKEW_SECONDS: i64 = 60;

/// Signature algorithms accepted on responses: SHA-2 only, so a signature cannot be
/// downgraded to a weaker hash.
const ACCEPTED: &[AllowedSignatureAlgorithm] = &[
    AllowedSignatureAlgorithm::RsaSha256,
    AllowedSignatureAlgorithm::RsaSha384,
    AllowedSignatureAlgorithm::RsaSha512,
    AllowedSignatureAlgorithm::EcdsaSha256,
    AllowedSignatureAlgorithm::EcdsaSha384,
    AllowedSignatureAlgorithm::EcdsaSha512,
];

/// What signs requests and decrypts assertions.
pub(super) type PrivateKey = openssl::pkey::PKey<openssl::pkey::Private>;

/// The SP, and its private key when signing or decryption needs it.
pub(super) struct Provider {
    pub sp: ServiceProvider,
    pub key: Option<PrivateKey>,
}

pub(super) async fn provider(app: &App, config: &Config) -> AppResult<Provider> {
    let s = &config.saml_settings;
    let idp_cert = if s.verify {
        let pem = certificates::read(app, config, CertKind::Idp).await?;
        Some(der_of_certificate(&pem).map_err(SamlError::LoadIdpCert)?)
    } else {
        None
    };
    let key = if s.encrypt || s.sign_request {
        let pem = certificates::read(app, config, CertKind::Private).await?;
        let key = openssl::pkey::PKey::private_key_from_pem(&pem)
            .map_err(|e| SamlError::LoadPrivateKey(e.to_string()))?;
        Some(key)
    } else {
        None
    };
    let idp_metadata = idp_metadata(&s.idp_descriptor_url, &s.idp_url, idp_cert.as_deref())?;
    let mut builder = ServiceProviderBuilder::default();
    builder
        .entity_id(s.service_provider_identifier.clone())
        .acs_url(super::acs_url(config))
        .idp_metadata(idp_metadata)
        .max_clock_skew(chrono::Duration::seconds(CLOCK_SKEW_SECONDS))
        .allowed_signature_algorithms(ACCEPTED.to_vec());
    if let Some(key) = &key {
        builder.key(key.clone());
    }
    let sp = builder
        .build()
        .map_err(|e| SamlError::BuildRequest(e.to_string()))?;
    Ok(Provider { sp, key })
}

/// The DER bytes of a PEM certificate.
fn der_of_certificate(pem: &[u8]) -> Result<Vec<u8>, String> {
    openssl::x509::X509::from_pem(pem)
        .and_then(|cert| cert.to_der())
        .map_err(|e| e.to_string())
}

/// The IdP's metadata as samael reads it, written from the settings.
fn idp_metadata(
    entity_id: &str,
    sso_url: &str,
    signing_cert_der: Option<&[u8]>,
) -> Result<EntityDescriptor, SamlError> {
    let key = signing_cert_der.map_or(String::new(), |der| {
        format!(
            "<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}\
             </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>",
            data_encoding::BASE64.encode(der)
        )
    });
    let xml = format!(
        "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"{}\">\
         <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         {key}<md:SingleSignOnService Binding=\"{HTTP_REDIRECT_BINDING}\" Location=\"{}\"/>\
         </md:IDPSSODescriptor></md:EntityDescriptor>",
        xml_escape(entity_id),
        xml_escape(sso_url),
    );
    xml.parse::<EntityDescriptor>()
        .map_err(|e| SamlError::LoadIdpCert(e.to_string()))
}

/// Escapes text for an XML attribute or element.
pub(super) fn xml_escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

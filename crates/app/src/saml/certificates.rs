//! The SAML certificate files: the IdP's certificate and the SP's public certificate and
//! private key. Each is named by its `…File` setting or, while that is empty, by Mattermost's
//! fixed name, and kept where the configuration is (`config_files`).

use crate::errors::SamlError;
use crate::{config_files, App, AppResult};
use std::path::PathBuf;
use utmost_config::Config;

/// Uploaded files are small; anything larger is not a certificate.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    Idp,
    Public,
    Private,
}

impl CertKind {
    /// Mattermost's fixed name (`SamlIdpCertificateName`, …).
    pub fn fixed_name(self) -> &'static str {
        match self {
            CertKind::Idp => "saml-idp.crt",
            CertKind::Public => "saml-public.crt",
            CertKind::Private => "saml-private.key",
        }
    }

    fn setting(self, config: &Config) -> &str {
        let s = &config.saml_settings;
        match self {
            CertKind::Idp => &s.idp_certificate_file,
            CertKind::Public => &s.public_certificate_file,
            CertKind::Private => &s.private_key_file,
        }
    }

    fn load_error(self, cause: String) -> SamlError {
        match self {
            CertKind::Idp => SamlError::LoadIdpCert(cause),
            CertKind::Public => SamlError::LoadPublicCert(cause),
            CertKind::Private => SamlError::LoadPrivateKey(cause),
        }
    }
}

fn name(config: &Config, kind: CertKind) -> &str {
    match kind.setting(config) {
        "" => kind.fixed_name(),
        named => named,
    }
}

/// Where `kind` lives when the configuration is a file.
pub fn path(config: &Config, kind: CertKind) -> PathBuf {
    config_files::path(config, name(config, kind))
}

/// The PEM text of `kind`, or the error that names the missing file.
pub(crate) async fn read(app: &App, config: &Config, kind: CertKind) -> AppResult<Vec<u8>> {
    config_files::read(app, config, name(config, kind))
        .await
        .map_err(|cause| kind.load_error(cause).into())
}

/// Checks that `pem` is what `kind` holds: a certificate, or an RSA private key.
fn check(kind: CertKind, pem: &[u8]) -> Result<(), SamlError> {
    let parsed = match kind {
        CertKind::Idp | CertKind::Public => openssl::x509::X509::from_pem(pem).map(|_| ()),
        CertKind::Private => openssl::pkey::PKey::private_key_from_pem(pem).map(|_| ()),
    };
    parsed.map_err(|e| SamlError::BadCertificate(e.to_string()))
}

/// Saves an uploaded `kind` (`POST /saml/certificate/{kind}`). The caller checked the
/// permission.
pub async fn save(app: &App, kind: CertKind, pem: Vec<u8>) -> AppResult<()> {
    check(kind, &pem)?;
    let config = app.config();
    let name = name(&config, kind);
    config_files::save(app, &config, name, &pem, kind == CertKind::Private)
        .await
        .map_err(SamlError::SaveCertificate)?;
    tracing::info!(name, ?kind, "SAML certificate saved");
    Ok(())
}

/// Removes `kind` (`DELETE /saml/certificate/{kind}`); a file already gone is no error.
pub async fn remove(app: &App, kind: CertKind) -> AppResult<()> {
    let config = app.config();
    let name = name(&config, kind);
    config_files::remove(app, &config, name)
        .await
        .map_err(SamlError::RemoveCertificate)?;
    tracing::info!(name, ?kind, "SAML certificate removed");
    Ok(())
}

/// Mattermost's `SamlCertificateStatus`: which files are there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CertificateStatus {
    pub idp_certificate_file: bool,
    pub private_key_file: bool,
    pub public_certificate_file: bool,
}

pub async fn status(app: &App) -> CertificateStatus {
    let config = app.config();
    let config = &*config;
    let there = |kind| async move { read(app, config, kind).await.is_ok() };
    CertificateStatus {
        idp_certificate_file: there(CertKind::Idp).await,
        private_key_file: there(CertKind::Private).await,
        public_certificate_file: there(CertKind::Public).await,
    }
}

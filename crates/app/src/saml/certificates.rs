//! The SAML certificate files (Mattermost's "config files"): the IdP's certificate and the
//! SP's public certificate and private key. Each is named by its `…File` setting or, while
//! that is empty, by Mattermost's fixed name, and kept where the configuration is: a row of
//! `configurationfiles` when the configuration is in a database, else a file in the config
//! file's directory (`Config::files_dir`).

use crate::errors::SamlError;
use crate::{App, AppResult};
use std::path::PathBuf;
use utmost_config::Config;
use utmost_model::time::now_millis;
use utmost_store::configurations;

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
    config.files_dir().join(name(config, kind))
}

/// The PEM text of `kind`, or the error that names the missing file.
pub(crate) async fn read(app: &App, config: &Config, kind: CertKind) -> AppResult<Vec<u8>> {
    if let Some(db) = app.config_store().database() {
        let name = name(config, kind);
        return match configurations::get_file(db, name).await {
            Ok(Some(text)) => Ok(text.into_bytes()),
            Ok(None) => Err(kind
                .load_error(format!("{name}: not in the config database"))
                .into()),
            Err(e) => Err(kind.load_error(format!("{name}: {e}")).into()),
        };
    }
    let path = path(config, kind);
    tokio::fs::read(&path)
        .await
        .map_err(|e| kind.load_error(format!("{}: {e}", path.display())).into())
}

/// Checks that `pem` is what `kind` holds: a certificate, or an RSA private key.
fn check(kind: CertKind, pem: &[u8]) -> Result<(), SamlError> {
    let parsed = match kind {
        CertKind::Idp | CertKind::Public => openssl::x509::X509::from_pem(pem).map(|_| ()),
        CertKind::Private => openssl::pkey::PKey::private_key_from_pem(pem).map(|_| ()),
    };
    parsed.map_err(|e| SamlError::BadCertificate(e.to_string()))
}

/// Saves an uploaded `kind` (`POST /saml/certificate/{kind}`). A private key file is written
/// readable by the server's user only. The caller checked the permission.
pub async fn save(app: &App, kind: CertKind, pem: Vec<u8>) -> AppResult<()> {
    check(kind, &pem)?;
    let config = app.config();
    if let Some(db) = app.config_store().database() {
        let name = name(&config, kind);
        // A PEM file is ASCII, as the check above saw.
        let text = String::from_utf8_lossy(&pem);
        configurations::set_file(db, name, &text, now_millis())
            .await
            .map_err(|e| SamlError::SaveCertificate(format!("{name}: {e}")))?;
        tracing::info!(name, ?kind, "SAML certificate saved in the config database");
        return Ok(());
    }
    let path = path(&config, kind);
    let saving = |e: std::io::Error| SamlError::SaveCertificate(format!("{}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await.map_err(saving)?;
    }
    // Written beside and renamed, so a reader never sees half a key.
    let partial = path.with_extension("partial");
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if kind == CertKind::Private {
        options.mode(0o600);
    }
    let mut file = options.open(&partial).await.map_err(saving)?;
    tokio::io::AsyncWriteExt::write_all(&mut file, &pem)
        .await
        .map_err(saving)?;
    file.sync_all().await.map_err(saving)?;
    tokio::fs::rename(&partial, &path).await.map_err(saving)?;
    tracing::info!(file = %path.display(), ?kind, "SAML certificate saved");
    Ok(())
}

/// Removes `kind` (`DELETE /saml/certificate/{kind}`); a file already gone is no error.
pub async fn remove(app: &App, kind: CertKind) -> AppResult<()> {
    let config = app.config();
    if let Some(db) = app.config_store().database() {
        let name = name(&config, kind);
        configurations::delete_file(db, name)
            .await
            .map_err(|e| SamlError::RemoveCertificate(format!("{name}: {e}")))?;
        tracing::info!(
            name,
            ?kind,
            "SAML certificate removed from the config database"
        );
        return Ok(());
    }
    let path = path(&config, kind);
    match tokio::fs::remove_file(&path).await {
        Ok(()) => {
            tracing::info!(file = %path.display(), ?kind, "SAML certificate removed");
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(SamlError::RemoveCertificate(format!("{}: {e}", path.display())).into()),
    }
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

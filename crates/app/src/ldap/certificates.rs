//! The AD/LDAP client certificate and its private key (`LdapSettings.PublicCertificateFile`,
//! `PrivateKeyFile`), for directories that ask the client for one over TLS. Uploading one
//! keeps it where the configuration is (`config_files`) under Mattermost's fixed name and
//! saves the setting; removing it clears the setting. The connection presents them while
//! both settings are set.

use crate::errors::LdapError;
use crate::{config_files, config_store, App, AppResult};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use utmost_config::Config;

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LdapCert {
    Public,
    Private,
}

impl LdapCert {
    /// Mattermost's fixed name (`LdapPublicCertificateName`, `LdapPrivateKeyName`).
    pub fn fixed_name(self) -> &'static str {
        match self {
            LdapCert::Public => "ldap-public.crt",
            LdapCert::Private => "ldap-private.key",
        }
    }

    fn setting(self, config: &mut Config) -> &mut String {
        let s = &mut config.ldap_settings;
        match self {
            LdapCert::Public => &mut s.public_certificate_file,
            LdapCert::Private => &mut s.private_key_file,
        }
    }
}

/// A certificate chain and its key, as the TLS handshake presents them.
pub(super) struct ClientIdentity {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let chain = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    if chain.is_empty() {
        return Err("no certificate in the file".into());
    }
    Ok(chain)
}

fn private_key(pem: &[u8]) -> Result<PrivateKeyDer<'static>, String> {
    PrivateKeyDer::from_pem_slice(pem).map_err(|e| e.to_string())
}

/// The identity to present, while both settings name a file; an error names a file that is
/// missing or unreadable.
pub(super) async fn client_identity(
    app: &App,
    config: &Config,
) -> AppResult<Option<ClientIdentity>> {
    let s = &config.ldap_settings;
    if s.public_certificate_file.is_empty() || s.private_key_file.is_empty() {
        return Ok(None);
    }
    let unreadable =
        |cause: String| LdapError::UnableToConnect(format!("client certificate: {cause}"));
    let public = config_files::read(app, config, &s.public_certificate_file)
        .await
        .map_err(unreadable)?;
    let private = config_files::read(app, config, &s.private_key_file)
        .await
        .map_err(unreadable)?;
    Ok(Some(ClientIdentity {
        chain: certificates(&public).map_err(unreadable)?,
        key: private_key(&private).map_err(unreadable)?,
    }))
}

/// Saves an uploaded `kind` (`POST /ldap/certificate/{public|private}`) and names it in the
/// settings. The caller checked the permission.
pub async fn save(app: &App, kind: LdapCert, pem: Vec<u8>) -> AppResult<()> {
    match kind {
        LdapCert::Public => certificates(&pem).map(|_| ()),
        LdapCert::Private => private_key(&pem).map(|_| ()),
    }
    .map_err(LdapError::BadCertificate)?;
    let config = app.config();
    let mut saved = (*config).clone();
    *kind.setting(&mut saved) = kind.fixed_name().to_string();
    config_store::check_savable(app, &saved)?;
    config_files::save(
        app,
        &config,
        kind.fixed_name(),
        &pem,
        kind == LdapCert::Private,
    )
    .await
    .map_err(LdapError::SaveCertificate)?;
    config_store::save_as_is(app, saved).await?;
    tracing::info!(?kind, "AD/LDAP client certificate saved");
    Ok(())
}

/// Removes `kind` (`DELETE /ldap/certificate/{public|private}`) and clears its setting; a
/// file already gone is no error.
pub async fn remove(app: &App, kind: LdapCert) -> AppResult<()> {
    let config = app.config();
    let mut saved = (*config).clone();
    let name = std::mem::take(kind.setting(&mut saved));
    config_store::check_savable(app, &saved)?;
    let name = if name.is_empty() {
        kind.fixed_name().to_string()
    } else {
        name
    };
    config_files::remove(app, &config, &name)
        .await
        .map_err(LdapError::RemoveCertificate)?;
    config_store::save_as_is(app, saved).await?;
    tracing::info!(?kind, "AD/LDAP client certificate removed");
    Ok(())
}

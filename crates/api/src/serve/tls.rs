//! HTTPS on the listener itself (`ServiceSettings.ConnectionSecurity` "TLS"), with rustls.
//!
//! Every handshake takes the rustls configuration of the settings in force, so a saved
//! change of `TLSCertFile`, `TLSKeyFile`, `TLSMinVer` or the client-certificate settings
//! applies to the next connection without a restart; and the certificate is read again when
//! its files change on disk (their modification time or size, looked at on every handshake),
//! so a renewal (certbot, cert-manager) needs no restart either. Connections already open
//! keep the certificate they were made with. A change that cannot be loaded is logged and
//! the previous certificate stays in use.
//!
//! With `ExperimentalSettings.ClientSideCertEnable` and a `ClientSideCertCAFile`, the server
//! asks for a client certificate and verifies one that is presented against that CA
//! (rustls' `WebPkiClientVerifier`); a client without one is still served, and the sign-in
//! decides what it needs.

use crate::AppState;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;
use rustls::{RootCertStore, ServerConfig, SupportedProtocolVersion};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::server::TlsStream;
use utmost_config::Config;

/// The TLS side of the listener: the rustls configuration for the settings in force.
pub struct Acceptor {
    app: AppState,
    current: Mutex<(Settings, Arc<ServerConfig>)>,
}

/// What the rustls configuration is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Settings {
    cert: String,
    key: String,
    tls13_only: bool,
    /// The CA file client certificates must chain to, when they are asked for.
    client_ca: Option<String>,
}

impl Settings {
    fn of(config: &Config) -> Self {
        let s = &config.service_settings;
        let x = &config.experimental_settings;
        Self {
            cert: s.tls_cert_file.clone(),
            key: s.tls_key_file.clone(),
            // Mattermost's other values ("1.0", "1.1", anything else) mean its default, 1.2;
            // rustls speaks nothing older.
            tls13_only: s.tls_min_ver.trim() == "1.3",
            client_ca: (x.client_side_cert_enable && !x.client_side_cert_ca_file.is_empty())
                .then(|| x.client_side_cert_ca_file.clone()),
        }
    }
}

impl Acceptor {
    /// The acceptor when `ConnectionSecurity` is "TLS" (read at start, like the listen
    /// address); an error when its certificate cannot be loaded.
    pub fn new(app: &AppState) -> io::Result<Option<Self>> {
        let config = app.config();
        if config.service_settings.connection_security != "TLS" {
            return Ok(None);
        }
        let settings = Settings::of(&config);
        let server = build(&settings).map_err(io::Error::other)?;
        Ok(Some(Self {
            app: app.clone(),
            current: Mutex::new((settings, server)),
        }))
    }

    /// The configuration for a new handshake, rebuilt when the settings changed.
    fn server_config(&self) -> Arc<ServerConfig> {
        let settings = Settings::of(&self.app.config());
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.0 != settings {
            match build(&settings) {
                Ok(server) => {
                    tracing::info!("TLS settings changed; new connections use them");
                    current.1 = server;
                }
                Err(e) => tracing::error!(
                    error = %e,
                    "the new TLS settings cannot be used; keeping the previous ones"
                ),
            }
            // Tried once per change, not on every connection.
            current.0 = settings;
        }
        current.1.clone()
    }

    /// The server side of a TLS handshake on `stream`.
    pub async fn accept<S>(&self, stream: S) -> io::Result<TlsStream<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        tokio_rustls::TlsAcceptor::from(self.server_config())
            .accept(stream)
            .await
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn build(settings: &Settings) -> Result<Arc<ServerConfig>, String> {
    let provider = provider();
    let versions: &[&SupportedProtocolVersion] = if settings.tls13_only {
        &[&rustls::version::TLS13]
    } else {
        &[&rustls::version::TLS12, &rustls::version::TLS13]
    };
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| e.to_string())?;
    let builder = match &settings.client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            let pem = std::fs::read(ca).map_err(|e| format!("ClientSideCertCAFile {ca}: {e}"))?;
            for cert in certificates(&pem).map_err(|e| format!("ClientSideCertCAFile {ca}: {e}"))? {
                roots
                    .add(cert)
                    .map_err(|e| format!("ClientSideCertCAFile {ca}: {e}"))?;
            }
            let verifier =
                WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .allow_unauthenticated()
                    .build()
                    .map_err(|e| format!("ClientSideCertCAFile {ca}: {e}"))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let resolver = FileCert::load(&settings.cert, &settings.key, provider)?;
    let mut config = builder.with_cert_resolver(Arc::new(resolver));
    // hyper serves HTTP/1.1 only.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

fn certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    if certs.is_empty() {
        return Err("no PEM certificate in the file".into());
    }
    Ok(certs)
}

/// The server's certificate from `TLSCertFile` and `TLSKeyFile`, read again when the files
/// change.
#[derive(Debug)]
struct FileCert {
    cert: PathBuf,
    key: PathBuf,
    provider: Arc<CryptoProvider>,
    loaded: Mutex<Loaded>,
}

#[derive(Debug)]
struct Loaded {
    stamp: Stamp,
    key: Arc<CertifiedKey>,
}

/// The files' modification times and sizes.
type Stamp = [(Option<SystemTime>, u64); 2];

fn stamp(cert: &Path, key: &Path) -> Stamp {
    let one = |p: &Path| match std::fs::metadata(p) {
        Ok(m) => (m.modified().ok(), m.len()),
        Err(_) => (None, 0),
    };
    [one(cert), one(key)]
}

impl FileCert {
    fn load(cert: &str, key: &str, provider: Arc<CryptoProvider>) -> Result<Self, String> {
        let (cert, key) = (PathBuf::from(cert), PathBuf::from(key));
        let stamp = stamp(&cert, &key);
        let certified = certified_key(&cert, &key, &provider)?;
        Ok(Self {
            cert,
            key,
            provider,
            loaded: Mutex::new(Loaded {
                stamp,
                key: certified,
            }),
        })
    }
}

fn certified_key(
    cert: &Path,
    key: &Path,
    provider: &CryptoProvider,
) -> Result<Arc<CertifiedKey>, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let chain = certificates(&read(cert)?).map_err(|e| format!("{}: {e}", cert.display()))?;
    let private = PrivateKeyDer::from_pem_slice(&read(key)?)
        .map_err(|e| format!("{}: {e}", key.display()))?;
    // Checks that the key is the certificate's: a renewal caught between writing the two
    // files is not taken until both are written.
    CertifiedKey::from_der(chain, private, provider)
        .map(Arc::new)
        .map_err(|e| format!("TLSCertFile and TLSKeyFile: {e}"))
}

impl ResolvesServerCert for FileCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let now = stamp(&self.cert, &self.key);
        if now != loaded.stamp {
            match certified_key(&self.cert, &self.key, &self.provider) {
                Ok(key) => {
                    tracing::info!(cert = %self.cert.display(), "TLS certificate reloaded");
                    loaded.key = key;
                    loaded.stamp = now;
                }
                // Not marked as seen: the next handshake tries again (the other file may be
                // on its way).
                Err(e) => tracing::warn!(
                    error = %e,
                    "the changed TLS certificate cannot be loaded; still serving the previous one"
                ),
            }
        }
        Some(loaded.key.clone())
    }
}

/// The email of the verified client certificate of a connection: the subject's
/// `emailAddress` (what Mattermost reads from nginx's subject DN), else the first email of
/// its subject alternative names.
pub fn client_certificate_email<S>(stream: &TlsStream<S>) -> Option<String> {
    let der = stream.get_ref().1.peer_certificates()?.first()?;
    email_of(der.as_ref())
}

fn email_of(der: &[u8]) -> Option<String> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let from_subject = cert
        .subject()
        .iter_email()
        .find_map(|attr| attr.as_str().ok().map(str::to_string));
    from_subject.or_else(|| {
        let names = cert.subject_alternative_name().ok()??;
        names.value.general_names.iter().find_map(|n| match n {
            GeneralName::RFC822Name(email) => Some(email.to_string()),
            _ => None,
        })
    })
}

//! HTTPS on the listener itself (`ConnectionSecurity` "TLS", docs/tls.md): the minimum
//! version, certificate reload, HSTS, the :80 redirect, certificate sign-in and the trusted
//! proxy header. Every certificate comes from a CA made in the test (openssl), and every
//! client is a real TLS client (rustls).

use crate::support::PASSWORD;
use openssl::asn1::Asn1Time;
use openssl::bn::BigNum;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::{
    BasicConstraints, ExtendedKeyUsage, KeyUsage, SubjectAlternativeName,
};
use openssl::x509::{X509NameBuilder, X509};
use rustls::pki_types::{CertificateDer, ServerName};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use utmost_config::Config;
use utmost_testkit::{Client, DbKind, TestServer};

/// A certificate and its key.
struct Issued {
    cert: X509,
    key: PKey<Private>,
}

impl Issued {
    fn cert_pem(&self) -> Vec<u8> {
        self.cert.to_pem().unwrap()
    }

    fn key_pem(&self) -> Vec<u8> {
        self.key.private_key_to_pem_pkcs8().unwrap()
    }

    fn der(&self) -> Vec<u8> {
        self.cert.to_der().unwrap()
    }
}

fn new_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

/// What a certificate is for.
enum Use<'a> {
    Ca,
    Server,
    Client { email: &'a str },
}

/// A certificate for `cn`, signed by `issuer` (self-signed without one).
fn issue(cn: &str, usage: Use<'_>, issuer: Option<&Issued>) -> Issued {
    let key = new_key();
    let mut name = X509NameBuilder::new().unwrap();
    name.append_entry_by_text("CN", cn).unwrap();
    if let Use::Client { email } = usage {
        name.append_entry_by_nid(Nid::PKCS9_EMAILADDRESS, email)
            .unwrap();
    }
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let serial = BigNum::from_u32(rand_u32()).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    let issuer_name: &openssl::x509::X509NameRef = match issuer {
        Some(i) => i.cert.subject_name(),
        None => &name,
    };
    b.set_issuer_name(issuer_name).unwrap();
    b.set_pubkey(&key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(30).unwrap())
        .unwrap();
    match usage {
        Use::Ca => {
            b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
                .unwrap();
            b.append_extension(
                KeyUsage::new()
                    .critical()
                    .key_cert_sign()
                    .crl_sign()
                    .build()
                    .unwrap(),
            )
            .unwrap();
        }
        Use::Server => {
            b.append_extension(BasicConstraints::new().build().unwrap())
                .unwrap();
            b.append_extension(ExtendedKeyUsage::new().server_auth().build().unwrap())
                .unwrap();
            let san = SubjectAlternativeName::new()
                .ip("127.0.0.1")
                .dns("localhost")
                .build(&b.x509v3_context(issuer.map(|i| &*i.cert), None))
                .unwrap();
            b.append_extension(san).unwrap();
        }
        Use::Client { .. } => {
            b.append_extension(BasicConstraints::new().build().unwrap())
                .unwrap();
            b.append_extension(ExtendedKeyUsage::new().client_auth().build().unwrap())
                .unwrap();
        }
    }
    let signer = issuer.map_or(&key, |i| &i.key);
    b.sign(signer, MessageDigest::sha256()).unwrap();
    Issued {
        cert: b.build(),
        key,
    }
}

fn rand_u32() -> u32 {
    let id = utmost_model::new_id();
    id.bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
        >> 1
}

/// A CA, a server certificate it signed, and their files.
struct Pki {
    dir: PathBuf,
    ca: Issued,
    server: Issued,
}

impl Pki {
    fn new() -> Pki {
        let dir = std::env::temp_dir().join(format!("utmost-tls-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = issue("Utmost Test CA", Use::Ca, None);
        let server = issue("localhost", Use::Server, Some(&ca));
        let pki = Pki { dir, ca, server };
        write(&pki.path("ca.pem"), &pki.ca.cert_pem());
        pki.write_server(&pki.server);
        pki
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn file(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// Replaces the server's certificate files, the key first, as a renewal would.
    fn write_server(&self, issued: &Issued) {
        write(&self.path("server.key"), &issued.key_pem());
        write(&self.path("server.pem"), &issued.cert_pem());
    }

    /// The listener's TLS settings.
    fn configure(&self, c: &mut Config) {
        let s = &mut c.service_settings;
        s.connection_security = "TLS".into();
        s.tls_cert_file = self.file("server.pem");
        s.tls_key_file = self.file("server.key");
    }

    /// Client certificates are asked for and checked against this CA.
    fn client_certificates(&self, c: &mut Config, check: &str) {
        let x = &mut c.experimental_settings;
        x.client_side_cert_enable = true;
        x.client_side_cert_check = check.into();
        x.client_side_cert_ca_file = self.file("ca.pem");
    }

    /// A rustls client configuration trusting this CA, with `versions`, presenting
    /// `identity` when given.
    fn rustls_client(
        &self,
        versions: &[&'static rustls::SupportedProtocolVersion],
        identity: Option<&Issued>,
    ) -> Arc<rustls::ClientConfig> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(CertificateDer::from(self.ca.der())).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .unwrap()
            .with_root_certificates(roots);
        let config = match identity {
            Some(id) => {
                let key = rustls::pki_types::PrivateKeyDer::Pkcs8(
                    id.key.private_key_to_pkcs8().unwrap().into(),
                );
                builder
                    .with_client_auth_cert(vec![CertificateDer::from(id.der())], key)
                    .unwrap()
            }
            None => builder.with_no_client_auth(),
        };
        Arc::new(config)
    }

    /// An HTTPS API client trusting this CA, presenting `identity` when given.
    fn client(&self, server: &TestServer, identity: Option<&Issued>) -> Client {
        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_root_certs(false)
            .add_root_certificate(reqwest::Certificate::from_pem(&self.ca.cert_pem()).unwrap())
            .tls_info(true);
        if let Some(id) = identity {
            let mut pem = id.cert_pem();
            pem.extend(id.key_pem());
            http = http.identity(reqwest::Identity::from_pem(&pem).unwrap());
        }
        Client {
            http: http.build().unwrap(),
            base: https(server),
            token: None,
        }
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn https(server: &TestServer) -> String {
    server.url.replacen("http://", "https://", 1)
}

fn addr(server: &TestServer) -> String {
    server.url.trim_start_matches("http://").to_string()
}

/// A TLS connection to the server with `config`.
async fn connect(
    server: &TestServer,
    config: Arc<rustls::ClientConfig>,
) -> std::io::Result<TlsStream<TcpStream>> {
    let tcp = TcpStream::connect(addr(server)).await?;
    let name = ServerName::try_from("127.0.0.1").unwrap();
    tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
}

/// One HTTP/1.1 request on an open connection, keeping it open; the status and the body.
async fn request(stream: &mut TlsStream<TcpStream>, path: &str) -> (u16, String) {
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .expect("the answer came in time")
            .unwrap();
        assert!(n > 0, "the server closed the connection");
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                let status = text[9..12].parse().unwrap();
                return (status, text[end + 4..end + 4 + length].to_string());
            }
        }
    }
}

fn peer_certificate(stream: &TlsStream<TcpStream>) -> Vec<u8> {
    stream.get_ref().1.peer_certificates().unwrap()[0].to_vec()
}

const TLS12: &[&rustls::SupportedProtocolVersion] = &[&rustls::version::TLS12];
const ANY: &[&rustls::SupportedProtocolVersion] =
    &[&rustls::version::TLS12, &rustls::version::TLS13];

async fn tls_server(pki: &Pki, adjust: impl FnOnce(&mut Config)) -> TestServer {
    TestServer::start_with(DbKind::Sqlite, |c| {
        pki.configure(c);
        adjust(c);
    })
    .await
}

/// Signs `username` up (the first user becomes the system admin) over `client`.
async fn sign_up(client: &Client, username: &str) -> serde_json::Value {
    client
        .post(
            "/users",
            json!({"username": username, "email": format!("{username}@example.com"), "password": PASSWORD}),
        )
        .await
        .expect(201)
        .body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_12_is_refused_when_the_minimum_is_13() {
    let pki = Pki::new();
    let server = tls_server(&pki, |c| c.service_settings.tls_min_ver = "1.3".into()).await;
    let refused = connect(&server, pki.rustls_client(TLS12, None)).await;
    assert!(refused.is_err(), "a TLS 1.2 client was served");
    let mut ok = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    assert_eq!(
        ok.get_ref().1.protocol_version(),
        Some(rustls::ProtocolVersion::TLSv1_3)
    );
    assert_eq!(request(&mut ok, "/api/v4/system/ping").await.0, 200);

    // Mattermost's default minimum, 1.2, serves both.
    let server = tls_server(&pki, |_| {}).await;
    let mut old = connect(&server, pki.rustls_client(TLS12, None))
        .await
        .unwrap();
    assert_eq!(request(&mut old, "/api/v4/system/ping").await.0, 200);
    // Plain HTTP on the TLS port gets no answer.
    let plain = reqwest::get(format!("{}/api/v4/system/ping", server.url)).await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_transport_security_follows_the_settings() {
    let pki = Pki::new();
    let server = tls_server(&pki, |c| {
        c.service_settings.tls_strict_transport = true;
        c.service_settings.tls_strict_transport_max_age = 31536000;
    })
    .await;
    let client = pki.client(&server, None);
    let r = client.get("/system/ping").await.expect(200);
    assert_eq!(r.header("strict-transport-security"), "max-age=31536000");
    let mut config = (*server.app.config()).clone();
    config.service_settings.tls_strict_transport = false;
    server.app.set_config(config);
    let r = client.get("/system/ping").await.expect(200);
    assert_eq!(r.header("strict-transport-security"), "");
}

/// A login over TLS gets Secure cookies whatever `X-Forwarded-Proto` the client sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_over_tls() {
    let pki = Pki::new();
    let server = tls_server(&pki, |_| {}).await;
    let client = pki.client(&server, None);
    sign_up(&client, "ann").await;
    let r = client
        .http
        .post(format!("{}/api/v4/users/login", client.base))
        .header("X-Requested-With", "XMLHttpRequest")
        .header("X-Forwarded-Proto", "http")
        .json(&json!({"login_id": "ann", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let cookies: Vec<_> = r.headers().get_all("set-cookie").iter().collect();
    assert!(!cookies.is_empty());
    for c in cookies {
        assert!(c.to_str().unwrap().contains("; Secure"), "{c:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_certificate_on_disk_is_used_by_new_handshakes_only() {
    let pki = Pki::new();
    let server = tls_server(&pki, |_| {}).await;
    let client = pki.client(&server, None);
    sign_up(&client, "ann").await;
    let ann = client.login("ann", PASSWORD).await;
    let team = ann
        .post(
            "/teams",
            json!({"name": "tls", "display_name": "TLS", "type": "O"}),
        )
        .await
        .expect(201)
        .body;
    let town = ann
        .get(&format!(
            "/teams/{}/channels/name/town-square",
            team["id"].as_str().unwrap()
        ))
        .await
        .expect(200)
        .body;

    // A keep-alive connection and a WebSocket, both made with the first certificate.
    let mut kept = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    assert_eq!(request(&mut kept, "/api/v4/system/ping").await.0, 200);
    assert_eq!(peer_certificate(&kept), pki.server.der());
    let ws_tls = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    let mut ws_request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "wss://{}/api/v4/websocket",
            addr(&server)
        ))
        .unwrap();
    ws_request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", ann.token.as_deref().unwrap())
            .parse()
            .unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::client_async(ws_request, ws_tls)
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws, "hello").await["event"], "hello");

    // The certificate is renewed on disk (a new key too).
    let renewed = issue("localhost", Use::Server, Some(&pki.ca));
    pki.write_server(&renewed);

    // New handshakes present the new certificate.
    let fresh = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    assert_eq!(peer_certificate(&fresh), renewed.der());
    // The open connection goes on, with the certificate it was made with.
    assert_eq!(request(&mut kept, "/api/v4/system/ping").await.0, 200);
    assert_eq!(peer_certificate(&kept), pki.server.der());
    // And the WebSocket still hears events.
    ann.post(
        "/posts",
        json!({"channel_id": town["id"], "message": "after the renewal"}),
    )
    .await
    .expect(201);
    let posted = next_event(&mut ws, "posted").await;
    assert!(posted["data"]["post"]
        .as_str()
        .unwrap()
        .contains("after the renewal"));

    // A broken renewal (a key that is not the certificate's) is not taken.
    let other = issue("localhost", Use::Server, Some(&pki.ca));
    write(&pki.path("server.key"), &other.key_pem());
    let still = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    assert_eq!(peer_certificate(&still), renewed.der());
}

/// A saved change of `TLSCertFile` applies to the next connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_certificate_setting_applies_without_a_restart() {
    let pki = Pki::new();
    let server = tls_server(&pki, |_| {}).await;
    let second = issue("localhost", Use::Server, Some(&pki.ca));
    write(&pki.path("second.pem"), &second.cert_pem());
    write(&pki.path("second.key"), &second.key_pem());
    let mut config = (*server.app.config()).clone();
    config.service_settings.tls_cert_file = pki.file("second.pem");
    config.service_settings.tls_key_file = pki.file("second.key");
    server.app.set_config(config);
    let stream = connect(&server, pki.rustls_client(ANY, None))
        .await
        .unwrap();
    assert_eq!(peer_certificate(&stream), second.der());
}

async fn next_event(
    ws: &mut tokio_tungstenite::WebSocketStream<TlsStream<TcpStream>>,
    name: &str,
) -> serde_json::Value {
    use futures_util::StreamExt;
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap_or_else(|_| panic!("no {name} event"))
            .unwrap()
            .unwrap();
        if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            if v["event"] == name {
                return v;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_on_the_redirect_port_goes_to_https() {
    let pki = Pki::new();
    let redirect_port = free_port();
    let server = tls_server(&pki, |c| {
        c.service_settings.forward80_to443 = true;
        c.service_settings.forward80_to443_listen_address = format!("127.0.0.1:{redirect_port}");
    })
    .await;
    let tls_port = addr(&server).rsplit_once(':').unwrap().1.to_string();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = http
        .get(format!(
            "http://127.0.0.1:{redirect_port}/login?redirect_to=%2Fteam"
        ))
        .header("Host", "chat.example.com:80")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 301);
    assert_eq!(
        r.headers()["location"],
        format!("https://chat.example.com:{tls_port}/login?redirect_to=%2Fteam").as_str()
    );
    // Following it reaches the HTTPS listener.
    let r = http
        .get(format!(
            "http://127.0.0.1:{redirect_port}/api/v4/system/ping"
        ))
        .send()
        .await
        .unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        location,
        format!("https://127.0.0.1:{tls_port}/api/v4/system/ping")
    );
    let client = pki.client(&server, None);
    let followed = client.http.get(location).send().await.unwrap();
    assert_eq!(followed.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_certificate_signs_its_owner_in_primary() {
    let pki = Pki::new();
    let server = tls_server(&pki, |c| {
        pki.client_certificates(c, "primary");
        c.team_settings.enable_open_server = true;
    })
    .await;
    let anon = pki.client(&server, None);
    // Sign-up needs no certificate; the first account is the admin.
    sign_up(&anon, "admin").await;
    sign_up(&anon, "ann").await;

    let ann_cert = issue(
        "Ann",
        Use::Client {
            email: "ann@example.com",
        },
        Some(&pki.ca),
    );
    let with_cert = pki.client(&server, Some(&ann_cert));
    // No password: the certificate is the credential.
    let r = with_cert
        .post(
            "/users/login",
            json!({"login_id": "whatever", "password": ""}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["username"], "ann");
    let token = r.header("token").to_string();
    let me = with_cert
        .with_token(&token)
        .get("/users/me")
        .await
        .expect(200);
    assert_eq!(me.body["username"], "ann");

    // Without a certificate, even the right password is refused.
    anon.post(
        "/users/login",
        json!({"login_id": "ann", "password": PASSWORD}),
    )
    .await
    .expect_error(400, "api.user.login.client_side_cert.certificate.app_error");

    // A certificate from another CA does not even complete the handshake.
    let stranger_ca = issue("Stranger CA", Use::Ca, None);
    let forged = issue(
        "Ann",
        Use::Client {
            email: "ann@example.com",
        },
        Some(&stranger_ca),
    );
    let forged_client = pki.client(&server, Some(&forged));
    let refused = forged_client
        .http
        .post(format!("{}/api/v4/users/login", forged_client.base))
        .json(&json!({"login_id": "ann", "password": ""}))
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a certificate of an unknown CA was accepted"
    );

    // A certificate whose email has no account signs nobody in.
    let nobody = issue(
        "Nobody",
        Use::Client {
            email: "nobody@example.com",
        },
        Some(&pki.ca),
    );
    pki.client(&server, Some(&nobody))
        .post(
            "/users/login",
            json!({"login_id": "ann", "password": PASSWORD}),
        )
        .await
        .expect(401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mismatched_client_certificate_is_refused_secondary() {
    let pki = Pki::new();
    let server = tls_server(&pki, |c| {
        pki.client_certificates(c, "secondary");
        c.team_settings.enable_open_server = true;
    })
    .await;
    let anon = pki.client(&server, None);
    sign_up(&anon, "admin").await;
    sign_up(&anon, "ann").await;
    sign_up(&anon, "bob").await;
    let ann_cert = issue(
        "Ann",
        Use::Client {
            email: "ann@example.com",
        },
        Some(&pki.ca),
    );
    let as_ann = pki.client(&server, Some(&ann_cert));

    // Ann's certificate with Ann's password: in.
    let r = as_ann
        .post(
            "/users/login",
            json!({"login_id": "ann", "password": PASSWORD}),
        )
        .await
        .expect(200);
    assert_eq!(r.body["username"], "ann");
    // The certificate alone is not enough in "secondary".
    as_ann
        .post("/users/login", json!({"login_id": "ann", "password": ""}))
        .await
        .expect_error(400, "api.user.login.blank_pwd.app_error");
    // Ann's certificate with Bob's (right) password: refused, as any bad credentials.
    let r = as_ann
        .post(
            "/users/login",
            json!({"login_id": "bob", "password": PASSWORD}),
        )
        .await
        .expect(401);
    assert!(
        r.error_id()
            .starts_with("api.user.login.invalid_credentials"),
        "{}",
        r.text
    );
    // No certificate: refused.
    anon.post(
        "/users/login",
        json!({"login_id": "bob", "password": PASSWORD}),
    )
    .await
    .expect_error(400, "api.user.login.client_side_cert.certificate.app_error");
}

/// `TrustedProxyIPHeader` is believed only from `TrustedProxyAddresses`: the audit log shows
/// which address the server took for the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_header_is_ignored_from_a_peer_that_is_not_a_trusted_proxy() {
    let server = TestServer::start_with(DbKind::Sqlite, |c| {
        c.service_settings.trusted_proxy_ip_header = vec!["X-Forwarded-For".into()];
        c.service_settings.trusted_proxy_addresses = vec!["192.0.2.0/24".into()];
        c.rate_limit_settings.enable = true;
        c.rate_limit_settings.per_sec = 1;
        c.rate_limit_settings.max_burst = 1;
    })
    .await;
    // The rate limiter keys on the client's address: a client that could choose it would
    // get a fresh bucket for every request it labels with a new address.
    let http = reqwest::Client::new();
    let mut limited = false;
    for i in 0..6 {
        let r = http
            .get(format!("{}/api/v4/system/ping", server.url))
            .header("X-Forwarded-For", format!("203.0.113.{i}"))
            .send()
            .await
            .unwrap();
        limited |= r.status() == 429;
    }
    assert!(limited, "a forged X-Forwarded-For escaped the rate limit");

    // From a trusted proxy (loopback trusted now), each named client has its own bucket.
    let mut config = (*server.app.config()).clone();
    config.service_settings.trusted_proxy_addresses = vec!["127.0.0.1".into()];
    server.app.set_config(config);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for i in 0..6 {
        let r = http
            .get(format!("{}/api/v4/system/ping", server.url))
            .header("X-Forwarded-For", format!("1.2.3.4, 203.0.113.{}", 100 + i))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "request {i} was limited");
    }
}

/// Behind a trusted proxy that verified the client's certificate (nginx's
/// `X-SSL-Client-Cert` headers, as Mattermost reads them), and from anyone else not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate_headers_count_only_from_a_trusted_proxy() {
    let server = TestServer::start_with(DbKind::Sqlite, |c| {
        c.experimental_settings.client_side_cert_enable = true;
        c.experimental_settings.client_side_cert_check = "primary".into();
    })
    .await;
    let anon = server.client();
    anon.post(
        "/users",
        json!({"username": "ann", "email": "ann@example.com", "password": PASSWORD}),
    )
    .await
    .expect(201);
    let login = |anon: &Client| {
        let anon = anon.clone();
        async move {
            let r = anon
                .http
                .post(format!("{}/api/v4/users/login", anon.base))
                .header("X-SSL-Client-Cert", "-----BEGIN CERTIFICATE-----")
                .header(
                    "X-SSL-Client-Cert-Subject-DN",
                    "/CN=Ann/emailAddress=ann@example.com",
                )
                .json(&json!({"login_id": "", "password": ""}))
                .send()
                .await
                .unwrap();
            Client::read(r).await
        }
    };
    login(&anon)
        .await
        .expect_error(400, "api.user.login.client_side_cert.certificate.app_error");
    let mut config = (*server.app.config()).clone();
    config.service_settings.trusted_proxy_addresses = vec!["127.0.0.0/8".into()];
    server.app.set_config(config);
    let r = login(&anon).await.expect(200);
    assert_eq!(r.body["username"], "ann");
}

/// The audit log's `ip_address` is the client a trusted proxy names, and the peer otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_records_the_address_only_a_trusted_proxy_names() {
    let server = TestServer::start_with(DbKind::Sqlite, |c| {
        c.service_settings.trusted_proxy_ip_header = vec!["X-Forwarded-For".into()];
        c.service_settings.trusted_proxy_addresses = vec!["192.0.2.1".into()];
    })
    .await;
    let anon = server.client();
    sign_up(&anon, "admin").await;
    let admin = anon.login("admin", PASSWORD).await;
    let login_from = |forwarded: &'static str| {
        let anon = anon.clone();
        async move {
            let r = anon
                .http
                .post(format!("{}/api/v4/users/login", anon.base))
                .header("X-Forwarded-For", forwarded)
                .json(&json!({"login_id": "admin", "password": PASSWORD}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200);
        }
    };
    let addresses = |rows: serde_json::Value| -> Vec<String> {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r["ip_address"].as_str().unwrap().to_string())
            .collect()
    };
    login_from("198.51.100.1").await;
    let rows = admin.get("/audits?per_page=200").await.expect(200).body;
    let seen = addresses(rows);
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|ip| ip == "127.0.0.1"), "{seen:?}");

    let mut config = (*server.app.config()).clone();
    config.service_settings.trusted_proxy_addresses = vec!["127.0.0.1".into()];
    server.app.set_config(config);
    login_from("198.51.100.1, 203.0.113.50").await;
    let rows = admin.get("/audits?per_page=200").await.expect(200).body;
    let seen = addresses(rows);
    assert!(seen.iter().any(|ip| ip == "203.0.113.50"), "{seen:?}");
    assert!(!seen.iter().any(|ip| ip == "198.51.100.1"), "{seen:?}");
}

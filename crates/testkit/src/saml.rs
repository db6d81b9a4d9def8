//! A real SAML 2.0 identity provider for the SAML tests: SimpleSAMLphp (Debian's package)
//! served by `php -S` on a free port, with a configuration of its own in a temporary
//! directory (config, users, its signing key pair, the SP it knows, PHP sessions, logs).
//! `.ci/run` installs it; without it the tests fail, unless `UTMOST_SKIP_SAML=1` says to
//! skip them knowingly.
//!
//! The IdP signs its responses and assertions (RSA-SHA256) with a key made here, so the tests
//! can also sign responses of their own with the same key (`sign_assertion`, through the
//! `xmlsec1` tool): the security cases need an expired or misaddressed assertion that only
//! the check under test refuses.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_config::Config;

const WWW: &str = "/usr/share/simplesamlphp/www";
/// The SP entity id the tests configure (`ServiceProviderIdentifier`).
pub const SP_ENTITY_ID: &str = "utmost-test-sp";

/// The IdP's users: (username, password, email, given name, surname, groups).
pub const USERS: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "alice",
        "alice-pw",
        "alice@example.com",
        "Alice",
        "Anders",
        "staff",
    ),
    ("bob", "bob-pw", "bob@example.com", "Bob", "Baker", "staff"),
    ("gus", "gus-pw", "gus@example.com", "Gus", "Guest", "guests"),
    ("ada", "ada-pw", "ada@example.com", "Ada", "Admin", "admins"),
];

/// A running IdP, stopped and removed on drop.
pub struct SamlIdp {
    pub port: u16,
    pub dir: PathBuf,
    child: Child,
}

/// How the SP is registered with the IdP.
#[derive(Debug, Clone, Default)]
pub struct SpRegistration {
    /// Where the IdP posts its responses.
    pub acs_url: String,
    /// The SP certificate (PEM): with it, assertions are encrypted to the SP.
    pub encrypt_to: Option<String>,
    /// The SP certificate (PEM) that must have signed the AuthnRequests.
    pub requests_signed_by: Option<String>,
}

fn run(command: &mut Command) -> Vec<u8> {
    let out = command.output().expect("run a tool");
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A PHP single-quoted string literal.
fn php(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The base64 body of a PEM certificate.
pub fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

/// Makes a self-signed RSA key pair in `dir` as `<name>.key` and `<name>.crt`.
pub fn key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let (key, crt) = (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.crt")),
    );
    run(Command::new("openssl")
        .args([
            "req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", &format!("/CN={name}")])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&crt));
    (key, crt)
}

impl SamlIdp {
    /// Starts the IdP. Without SimpleSAMLphp (`.ci/run` installs it) the test fails,
    /// unless `UTMOST_SKIP_SAML=1`: then `None`, with a message.
    pub async fn start() -> Option<SamlIdp> {
        if !Path::new(WWW).exists() {
            assert!(
                std::env::var("UTMOST_SKIP_SAML").is_ok_and(|v| v == "1"),
                "SimpleSAMLphp is not installed: apt-get install --no-install-recommends \
                 php-cli php-fpm php-xml php-mbstring php-curl simplesamlphp \
                 (or set UTMOST_SKIP_SAML=1 to skip the SAML tests)"
            );
            eprintln!("skipping: SimpleSAMLphp is not installed and UTMOST_SKIP_SAML=1");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("utmost-saml-{}", utmost_model::new_id()));
        for sub in [
            "config", "cert", "log", "data", "tmp", "metadata", "sessions",
        ] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        key_pair(&dir.join("cert"), "idp");
        let port = crate::free_port();
        let idp = SamlIdp {
            port,
            child: Command::new("php")
                .env("SIMPLESAMLPHP_CONFIG_DIR", dir.join("config"))
                .arg("-d")
                .arg(format!(
                    "session.save_path={}",
                    dir.join("sessions").display()
                ))
                .args(["-S", &format!("127.0.0.1:{port}"), "-t", WWW])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start php -S"),
            dir,
        };
        idp.write_config();
        idp.register_sp(&SpRegistration {
            acs_url: "http://127.0.0.1:1/login/sso/saml".into(),
            ..SpRegistration::default()
        });
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "php -S did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(idp)
    }

    fn write_config(&self) {
        let d = |sub: &str| php(&format!("{}/", self.dir.join(sub).display()));
        let config = format!(
            "<?php\nrequire '/etc/simplesamlphp/config.php';\n\
             $config['baseurlpath'] = {base};\n\
             $config['certdir'] = {cert};\n$config['loggingdir'] = {log};\n\
             $config['datadir'] = {data};\n$config['tempdir'] = {tmp};\n\
             $config['metadata.sources'] = [['type' => 'flatfile', 'directory' => {metadata}]];\n\
             $config['secretsalt'] = 'utmost-test-salt';\n\
             $config['auth.adminpassword'] = 'utmost-test-admin';\n\
             $config['enable.saml20-idp'] = true;\n\
             $config['module.enable'] = ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true];\n\
             $config['logging.handler'] = 'file';\n\
             $config['session.cookie.secure'] = false;\n\
             $config['session.cookie.samesite'] = null;\n\
             $config['store.type'] = 'phpsession';\n",
            base = php(&format!("{}/", self.base_url())),
            cert = d("cert"),
            log = d("log"),
            data = d("data"),
            tmp = d("tmp"),
            metadata = d("metadata"),
        );
        std::fs::write(self.dir.join("config/config.php"), config).unwrap();
        let mut users = String::new();
        for (name, password, email, given, sn, groups) in USERS {
            users.push_str(&format!(
                "        {} => ['uid' => [{}], 'email' => [{}], 'givenName' => [{}], \
                 'sn' => [{}], 'groups' => [{}], 'title' => ['Engineer']],\n",
                php(&format!("{name}:{password}")),
                php(name),
                php(email),
                php(given),
                php(sn),
                php(groups),
            ));
        }
        std::fs::write(
            self.dir.join("config/authsources.php"),
            format!(
                "<?php\n$config = [\n    'admin' => ['core:AdminPassword'],\n    \
                 'users' => [\n        'exampleauth:UserPass',\n{users}    ],\n];\n"
            ),
        )
        .unwrap();
        std::fs::write(
            self.dir.join("metadata/saml20-idp-hosted.php"),
            "<?php\n$metadata['__DYNAMIC:1__'] = [\n    'host' => '__DEFAULT__',\n    \
             'privatekey' => 'idp.key',\n    'certificate' => 'idp.crt',\n    'auth' => 'users',\n];\n",
        )
        .unwrap();
    }

    /// (Re)writes the SP the IdP knows; SimpleSAMLphp reads it again on each request.
    pub fn register_sp(&self, sp: &SpRegistration) {
        let mut entry = format!(
            "    'AssertionConsumerService' => {},\n    \
             'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',\n    \
             'simplesaml.nameidattribute' => 'email',\n    \
             'sign.response' => true,\n    'sign.assertion' => true,\n",
            php(&sp.acs_url)
        );
        if let Some(pem) = &sp.encrypt_to {
            entry.push_str(&format!(
                "    'assertion.encryption' => true,\n    'certData' => {},\n",
                php(&pem_body(pem))
            ));
        }
        if let Some(pem) = &sp.requests_signed_by {
            entry.push_str(&format!(
                "    'validate.authnrequest' => true,\n    'certData' => {},\n",
                php(&pem_body(pem))
            ));
        }
        std::fs::write(
            self.dir.join("metadata/saml20-sp-remote.php"),
            format!("<?php\n$metadata[{}] = [\n{entry}];\n", php(SP_ENTITY_ID)),
        )
        .unwrap();
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The IdP's entity id (`IdpDescriptorURL`), which is also its metadata's URL.
    pub fn entity_id(&self) -> String {
        format!("{}/saml2/idp/metadata.php", self.base_url())
    }

    /// Where AuthnRequests go (`IdpURL`).
    pub fn sso_url(&self) -> String {
        format!("{}/saml2/idp/SSOService.php", self.base_url())
    }

    /// The IdP's signing certificate (PEM).
    pub fn certificate_pem(&self) -> String {
        std::fs::read_to_string(self.dir.join("cert/idp.crt")).unwrap()
    }

    /// Points `config`'s `SamlSettings` at this IdP for a server at `server_url`
    /// (`SiteURL`), signatures verified, assertions in the clear (`Encrypt` off), with
    /// SimpleSAMLphp's attribute names; the IdP certificate is written under its fixed name
    /// in the config's files directory.
    pub fn configure(&self, config: &mut Config, server_url: &str) {
        config.service_settings.site_url = server_url.to_string();
        let s = &mut config.saml_settings;
        s.enable = true;
        s.verify = true;
        s.encrypt = false;
        s.idp_url = self.sso_url();
        s.idp_descriptor_url = self.entity_id();
        s.service_provider_identifier = SP_ENTITY_ID.into();
        s.id_attribute = "uid".into();
        s.email_attribute = "email".into();
        s.username_attribute = "uid".into();
        s.first_name_attribute = "givenName".into();
        s.last_name_attribute = "sn".into();
        s.position_attribute = "title".into();
        let dir = config.files_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("saml-idp.crt"), self.certificate_pem()).unwrap();
        self.register_sp(&SpRegistration {
            acs_url: format!("{server_url}/login/sso/saml"),
            ..SpRegistration::default()
        });
    }

    /// Signs the `Assertion` (with `ID="{assertion_id}"`) of a response with the IdP's key,
    /// as the IdP would: an enveloped RSA-SHA256 signature placed after its `Issuer`.
    pub fn sign_assertion(&self, response_xml: &str, assertion_id: &str) -> String {
        let template = format!(
            "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>\
             <ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>\
             <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>\
             <ds:Reference URI=\"#{assertion_id}\"><ds:Transforms>\
             <ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
             <ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>\
             <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
             <ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>\
             <ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}\
             </ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>",
            pem_body(&self.certificate_pem())
        );
        let issuer_end = response_xml
            .find(&format!("ID=\"{assertion_id}\""))
            .and_then(|at| response_xml[at..].find("</saml:Issuer>").map(|i| at + i))
            .expect("the assertion has a saml:Issuer")
            + "</saml:Issuer>".len();
        let unsigned = format!(
            "{}{template}{}",
            &response_xml[..issuer_end],
            &response_xml[issuer_end..]
        );
        let file = self.dir.join(format!("tmp/{}.xml", utmost_model::new_id()));
        std::fs::write(&file, unsigned).unwrap();
        let signed = run(Command::new("xmlsec1")
            .arg("--sign")
            .arg("--privkey-pem")
            .arg(self.dir.join("cert/idp.key"))
            .args([
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            ])
            .arg(&file));
        let _ = std::fs::remove_file(&file);
        String::from_utf8(signed).unwrap()
    }
}

/// What the IdP's auto-posting form carries to the ACS.
#[derive(Debug, Clone)]
pub struct IdpAnswer {
    /// The form's action: the ACS.
    pub action: String,
    pub saml_response: String,
    pub relay_state: String,
}

/// The value of the hidden input `name` in `html`, unescaped.
fn hidden_input(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    attribute(&html[start..end], "value")
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl SamlIdp {
    /// Signs `username` in at the IdP as a browser would, starting from `idp_url` (where
    /// the server's `GET /login/sso/saml` redirected): the IdP's login form, the credentials
    /// posted, and the auto-posting form it answers with. `None` when the IdP shows no such
    /// form (wrong password).
    pub async fn sign_in(
        &self,
        idp_url: &str,
        username: &str,
        password: &str,
    ) -> Option<IdpAnswer> {
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let login_page = browser.get(idp_url).send().await.unwrap();
        assert!(
            login_page.status().is_success(),
            "IdP login page: {}",
            login_page.status()
        );
        let form_url = login_page.url().clone();
        let html = login_page.text().await.unwrap();
        let auth_state = hidden_input(&html, "AuthState").expect("the IdP's login form");
        let answer = browser
            .post(form_url)
            .form(&[
                ("username", username),
                ("password", password),
                ("AuthState", &auth_state),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let saml_response = hidden_input(&answer, "SAMLResponse")?;
        let form_start = answer.find("<form")?;
        let form_tag = &answer[form_start..form_start + answer[form_start..].find('>')?];
        Some(IdpAnswer {
            action: attribute(form_tag, "action")?,
            saml_response,
            relay_state: hidden_input(&answer, "RelayState").unwrap_or_default(),
        })
    }
}

impl Drop for SamlIdp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

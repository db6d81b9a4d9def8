//! A real OpenLDAP server for the AD/LDAP tests: `slapd` with a configuration of its own in
//! a temporary directory (no cn=config, no debconf), on free ports for plain LDAP (with
//! StartTLS) and LDAPS, a self-signed certificate made by the `openssl` CLI, and the
//! `memberof` overlay so users carry `memberOf`; on request, TLS that demands a client
//! certificate of a test CA of its own. The directory is loaded online with
//! `ldapadd` (an offline load would skip the overlay). `.ci/run` installs slapd and
//! ldap-utils; without `/usr/sbin/slapd` the tests skip with a message.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_config::Config;

const SLAPD: &str = "/usr/sbin/slapd";
pub const BASE_DN: &str = "dc=example,dc=com";
pub const ADMIN_DN: &str = "cn=admin,dc=example,dc=com";
pub const ADMIN_PASSWORD: &str = "secret";
pub const ADMINS_GROUP: &str = "cn=admins,ou=groups,dc=example,dc=com";
pub const DEVELOPERS_GROUP: &str = "cn=developers,ou=groups,dc=example,dc=com";
/// A `groupOfUniqueNames` (`uniqueMember`, so outside a `groupOfNames` filter): Carol and,
/// nested, the `oncall` group.
pub const PLATFORM_GROUP: &str = "cn=platform,ou=groups,dc=example,dc=com";
/// A `groupOfUniqueNames` of its own inside `platform`: Dave.
pub const ONCALL_GROUP: &str = "cn=oncall,ou=groups,dc=example,dc=com";

/// The people of the directory: (uid, password, given name, surname, employee type). Alice
/// is in `admins`, Carol is a contractor (outside a "staff" filter), Dave has an account
/// with a password on the chat server too (the migration's case).
pub const PEOPLE: &[(&str, &str, &str, &str, &str)] = &[
    ("alice", "alice-pw", "Alice", "Anders", "staff"),
    ("bob", "bob-pw", "Bob", "Baker", "staff"),
    ("carol", "carol-pw", "Carol", "Cole", "contractor"),
    ("dave", "dave-pw", "Dave", "Dunn", "staff"),
];

/// A running slapd, stopped and removed on drop.
pub struct LdapServer {
    /// Plain LDAP (StartTLS offered).
    pub port: u16,
    /// LDAPS.
    pub tls_port: u16,
    pub dir: PathBuf,
    child: Child,
}

fn run(command: &mut Command) {
    let out = command.output().expect("run an OpenLDAP tool");
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn slapd_conf(dir: &Path, client_certificates: bool) -> String {
    let d = dir.display();
    let verify_clients = if client_certificates {
        format!("TLSCACertificateFile {d}/client-ca.pem\nTLSVerifyClient demand\n")
    } else {
        String::new()
    };
    format!(
        "include /etc/ldap/schema/core.schema\n\
         include /etc/ldap/schema/cosine.schema\n\
         include /etc/ldap/schema/inetorgperson.schema\n\
         include /etc/ldap/schema/nis.schema\n\
         modulepath /usr/lib/ldap\n\
         moduleload back_mdb\n\
         moduleload memberof\n\
         pidfile {d}/slapd.pid\n\
         TLSCertificateFile {d}/cert.pem\n\
         TLSCertificateKeyFile {d}/key.pem\n\
         {verify_clients}\
         database mdb\n\
         maxsize 104857600\n\
         suffix \"{BASE_DN}\"\n\
         rootdn \"{ADMIN_DN}\"\n\
         rootpw {ADMIN_PASSWORD}\n\
         directory {d}/db\n\
         index objectClass eq\n\
         index uid eq\n\
         overlay memberof\n\
         memberof-group-oc groupOfNames\n\
         memberof-member-ad member\n\
         memberof-memberof-ad memberOf\n"
    )
}

/// A CA of its own (`client-ca.pem`, which slapd trusts for clients) and a client
/// certificate it signed (`client.pem`, `client-key.pem`).
fn make_client_certificate(dir: &Path) {
    let openssl = |args: &[&str]| run(Command::new("openssl").current_dir(dir).args(args));
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=utmost test client CA",
        "-keyout",
        "client-ca-key.pem",
        "-out",
        "client-ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=utmost",
        "-keyout",
        "client-key.pem",
        "-out",
        "client.csr",
    ]);
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "client.csr",
        "-CA",
        "client-ca.pem",
        "-CAkey",
        "client-ca-key.pem",
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        "client.ext",
        "-out",
        "client.pem",
    ]);
}

/// The people and the groups: `developers` holds Alice, Bob and, nested, the `admins` group;
/// `platform` holds Carol and, nested, `oncall` (Dave).
fn directory_ldif() -> String {
    let mut ldif = format!(
        "dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n\n\
         dn: ou=people,{BASE_DN}\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: ou=groups,{BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n\n"
    );
    for (uid, password, given, sn, kind) in PEOPLE {
        ldif.push_str(&format!(
            "dn: uid={uid},ou=people,{BASE_DN}\nobjectClass: inetOrgPerson\nuid: {uid}\n\
             cn: {given} {sn}\ngivenName: {given}\nsn: {sn}\nmail: {uid}@example.com\n\
             employeeType: {kind}\nuserPassword: {password}\n\n"
        ));
    }
    ldif.push_str(&format!(
        "dn: {ADMINS_GROUP}\nobjectClass: groupOfNames\ncn: admins\n\
         member: uid=alice,ou=people,{BASE_DN}\n\n\
         dn: cn=developers,ou=groups,{BASE_DN}\nobjectClass: groupOfNames\ncn: developers\n\
         member: uid=alice,ou=people,{BASE_DN}\nmember: uid=bob,ou=people,{BASE_DN}\n\
         member: {ADMINS_GROUP}\n\n\
         dn: {ONCALL_GROUP}\nobjectClass: groupOfUniqueNames\ncn: oncall\n\
         uniqueMember: uid=dave,ou=people,{BASE_DN}\n\n\
         dn: {PLATFORM_GROUP}\nobjectClass: groupOfUniqueNames\ncn: platform\n\
         uniqueMember: uid=carol,ou=people,{BASE_DN}\nuniqueMember: {ONCALL_GROUP}\n"
    ));
    ldif
}

impl LdapServer {
    /// Starts slapd with the directory loaded. Without slapd (`apt-get install slapd
    /// ldap-utils`; `.ci/run` does it) the test fails, unless `UTMOST_SKIP_LDAP=1` says to
    /// skip it knowingly: then `None`, with a message.
    pub async fn start() -> Option<LdapServer> {
        Self::start_with(false).await
    }

    /// Like [`LdapServer::start`], with TLS (LDAPS and StartTLS) that refuses a client
    /// without a certificate of its own test CA: [`LdapServer::client_certificate`] is one.
    pub async fn start_requiring_client_certificates() -> Option<LdapServer> {
        Self::start_with(true).await
    }

    /// The client certificate and key (PEM) that a server started by
    /// [`LdapServer::start_requiring_client_certificates`] accepts.
    pub fn client_certificate(&self) -> (Vec<u8>, Vec<u8>) {
        let read = |name: &str| std::fs::read(self.dir.join(name)).expect("the client certificate");
        (read("client.pem"), read("client-key.pem"))
    }

    async fn start_with(client_certificates: bool) -> Option<LdapServer> {
        if !Path::new(SLAPD).exists() {
            assert!(
                std::env::var("UTMOST_SKIP_LDAP").is_ok_and(|v| v == "1"),
                "{SLAPD} is not installed: apt-get install slapd ldap-utils \
                 (or set UTMOST_SKIP_LDAP=1 to skip the directory tests)"
            );
            eprintln!("skipping: {SLAPD} is not installed and UTMOST_SKIP_LDAP=1");
            return None;
        }
        let dir = std::env::temp_dir().join(format!("utmost-ldap-{}", utmost_model::new_id()));
        std::fs::create_dir_all(dir.join("db")).unwrap();
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .arg("-keyout")
            .arg(dir.join("key.pem"))
            .arg("-out")
            .arg(dir.join("cert.pem")));
        if client_certificates {
            make_client_certificate(&dir);
        }
        let conf = dir.join("slapd.conf");
        std::fs::write(&conf, slapd_conf(&dir, client_certificates)).unwrap();
        let (port, tls_port) = (crate::free_port(), crate::free_port());
        let child = Command::new(SLAPD)
            .arg("-f")
            .arg(&conf)
            .arg("-h")
            .arg(format!(
                "ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"
            ))
            .args(["-d", "0"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start slapd");
        let server = LdapServer {
            port,
            tls_port,
            dir,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err()
            || TcpStream::connect(("127.0.0.1", tls_port)).is_err()
        {
            assert!(Instant::now() < deadline, "slapd did not start listening");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server.ldap_tool("ldapadd", &directory_ldif());
        Some(server)
    }

    /// Runs `ldapadd`/`ldapmodify` as the directory's admin with `ldif` on stdin.
    fn ldap_tool(&self, tool: &str, ldif: &str) {
        let file = self.dir.join(format!("{}.ldif", utmost_model::new_id()));
        std::fs::write(&file, ldif).unwrap();
        run(Command::new(tool)
            .args(["-x", "-H", &format!("ldap://127.0.0.1:{}", self.port)])
            .args(["-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-f"])
            .arg(&file));
    }

    /// Applies an LDIF change record (`changetype: modify`, …) with `ldapmodify`.
    pub fn modify(&self, ldif: &str) {
        self.ldap_tool("ldapmodify", ldif);
    }

    /// Sets one attribute of `uid=<uid>,ou=people`.
    pub fn replace(&self, uid: &str, attribute: &str, value: &str) {
        self.modify(&format!(
            "dn: uid={uid},ou=people,{BASE_DN}\nchangetype: modify\nreplace: {attribute}\n\
             {attribute}: {value}\n"
        ));
    }

    /// Sets a binary attribute (a `jpegPhoto`) of `uid=<uid>,ou=people`, through a file the
    /// LDIF names by URL.
    pub fn replace_binary(&self, uid: &str, attribute: &str, value: &[u8]) {
        let file = self.dir.join(format!("{uid}-{attribute}.bin"));
        std::fs::write(&file, value).expect("write the attribute's value");
        self.modify(&format!(
            "dn: uid={uid},ou=people,{BASE_DN}\nchangetype: modify\nreplace: {attribute}\n\
             {attribute}:< file://{}\n",
            file.display()
        ));
    }

    /// Removes `uid=<uid>,ou=people` (and it from the groups).
    pub fn delete_person(&self, uid: &str) {
        self.modify(&format!(
            "dn: uid={uid},ou=people,{BASE_DN}\nchangetype: delete\n"
        ));
    }

    /// Takes `uid=<uid>,ou=people` out of the group `group_dn` (its `member` for a
    /// `groupOfNames`, `uniqueMember` for a `groupOfUniqueNames`).
    pub fn remove_from_group(&self, group_dn: &str, uid: &str) {
        let attribute = if group_dn == PLATFORM_GROUP || group_dn == ONCALL_GROUP {
            "uniqueMember"
        } else {
            "member"
        };
        self.modify(&format!(
            "dn: {group_dn}\nchangetype: modify\ndelete: {attribute}\n\
             {attribute}: uid={uid},ou=people,{BASE_DN}\n"
        ));
    }

    /// Points `config`'s `LdapSettings` at this server over plain LDAP, sign-in and sync
    /// on, with OpenLDAP's attributes (`entryUUID` as the id, `uid` as the login id).
    pub fn configure(&self, config: &mut Config) {
        let s = &mut config.ldap_settings;
        s.enable = true;
        s.enable_sync = true;
        s.ldap_server = "127.0.0.1".into();
        s.ldap_port = i64::from(self.port);
        s.connection_security = String::new();
        s.base_dn = BASE_DN.into();
        s.bind_username = ADMIN_DN.into();
        s.bind_password = ADMIN_PASSWORD.into();
        s.user_filter = "(objectClass=inetOrgPerson)".into();
        s.id_attribute = "entryUUID".into();
        s.username_attribute = "uid".into();
        s.login_id_attribute = "uid".into();
        s.email_attribute = "mail".into();
        s.first_name_attribute = "givenName".into();
        s.last_name_attribute = "sn".into();
        s.query_timeout = 10;
    }
}

impl LdapServer {
    /// The settings of [`LdapServer::configure`] as `MM_LDAPSETTINGS_*` variables, for the
    /// `utmost` binary.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        let mut config = Config::default();
        self.configure(&mut config);
        let s = config.ldap_settings;
        vec![
            ("MM_LDAPSETTINGS_ENABLE", s.enable.to_string()),
            ("MM_LDAPSETTINGS_ENABLESYNC", s.enable_sync.to_string()),
            ("MM_LDAPSETTINGS_LDAPSERVER", s.ldap_server),
            ("MM_LDAPSETTINGS_LDAPPORT", s.ldap_port.to_string()),
            ("MM_LDAPSETTINGS_BASEDN", s.base_dn),
            ("MM_LDAPSETTINGS_BINDUSERNAME", s.bind_username),
            ("MM_LDAPSETTINGS_BINDPASSWORD", s.bind_password),
            ("MM_LDAPSETTINGS_USERFILTER", s.user_filter),
            ("MM_LDAPSETTINGS_IDATTRIBUTE", s.id_attribute),
            ("MM_LDAPSETTINGS_USERNAMEATTRIBUTE", s.username_attribute),
            ("MM_LDAPSETTINGS_LOGINIDATTRIBUTE", s.login_id_attribute),
            ("MM_LDAPSETTINGS_EMAILATTRIBUTE", s.email_attribute),
            ("MM_LDAPSETTINGS_FIRSTNAMEATTRIBUTE", s.first_name_attribute),
            ("MM_LDAPSETTINGS_LASTNAMEATTRIBUTE", s.last_name_attribute),
            ("MM_LDAPSETTINGS_QUERYTIMEOUT", s.query_timeout.to_string()),
        ]
    }
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

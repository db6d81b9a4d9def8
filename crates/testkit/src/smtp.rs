//! A real SMTP server for the email tests: aiosmtpd's capture server (`python3 -m aiosmtpd`,
//! which `.ci/run` installs), storing each message it accepts as a Maildir file, read back
//! (and decoded) with Python's own email parser.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use utmost_config::Config;

/// A running capture server, stopped and removed on drop.
pub struct SmtpServer {
    pub port: u16,
    pub dir: PathBuf,
    child: Option<Child>,
}

/// One delivered message, decoded.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Captured {
    pub to: String,
    pub from: String,
    pub reply_to: String,
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
    pub content_type: String,
}

impl Captured {
    /// The first link in the plain-text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        let rest = &self.text[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        Some(rest[..end].to_string())
    }
}

/// Reads a Maildir and prints its messages as JSON, oldest first.
const READ_MAILDIR: &str = r#"
import json, mailbox, sys
from email import policy
from email.parser import BytesParser
out = []
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
for key in box.keys():
    with box.get_file(key) as f:
        m = BytesParser(policy=policy.default).parse(f)
    def part(kind):
        p = m.get_body(preferencelist=(kind,))
        return p.get_content() if p is not None else ""
    out.append({"to": str(m.get("To", "")), "from": str(m.get("From", "")),
                "reply_to": str(m.get("Reply-To", "")), "subject": str(m.get("Subject", "")),
                "text": part("plain"), "html": part("html"),
                "content_type": m.get_content_type(), "_at": box.get_message(key).get_date()})
out.sort(key=lambda x: x.pop("_at"))
print(json.dumps(out))
"#;

impl SmtpServer {
    /// Starts a capture server on a free port; `None`, with a message, when aiosmtpd is not
    /// installed (`pip install aiosmtpd==1.4.6`; `.ci/run` does it).
    pub async fn start() -> Option<SmtpServer> {
        let installed = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            eprintln!("skipping: aiosmtpd is not installed (pip install aiosmtpd==1.4.6)");
            return None;
        }
        let port = crate::free_port();
        let dir = std::env::temp_dir().join(format!("utmost-smtp-{}", utmost_model::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut server = SmtpServer {
            port,
            dir,
            child: None,
        };
        server.resume().await;
        Some(server)
    }

    /// The Maildir: aiosmtpd creates it, and only when it does not exist yet.
    fn maildir(&self) -> PathBuf {
        self.dir.join("maildir")
    }

    /// Stops the server (an outage); what it stored stays readable.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port and mailbox.
    pub async fn resume(&mut self) {
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{}", self.port))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(self.maildir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not start listening"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Points `config`'s email settings at this server, with email on.
    pub fn configure(&self, config: &mut Config) {
        let email = &mut config.email_settings;
        email.smtp_server = "127.0.0.1".into();
        email.smtp_port = self.port.to_string();
        email.connection_security = String::new();
        email.enable_smtp_auth = false;
        email.send_email_notifications = true;
        email.feedback_name = "Utmost".into();
        email.feedback_email = "noreply@utmost.test".into();
        config.service_settings.site_url = "http://utmost.test".into();
    }

    /// Every message delivered so far, oldest first.
    pub fn messages(&self) -> Vec<Captured> {
        if !self.maildir().join("new").exists() {
            return Vec::new();
        }
        let out = Command::new("python3")
            .args(["-c", READ_MAILDIR])
            .arg(self.maildir())
            .output()
            .expect("read the maildir");
        assert!(
            out.status.success(),
            "reading the maildir failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("maildir JSON")
    }

    /// The messages to `to`, once there are at least `n` of them (waiting up to 30 s).
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<Captured> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let mine: Vec<Captured> = self
                .messages()
                .into_iter()
                .filter(|m| m.to.contains(to))
                .collect();
            if mine.len() >= n || Instant::now() > deadline {
                assert!(
                    mine.len() >= n,
                    "{} message(s) to {to} arrived, expected {n}",
                    mine.len()
                );
                return mine;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

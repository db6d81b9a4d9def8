//! A real OpenID Connect provider for the sign-in tests: npm `oidc-provider` run by
//! `crates/testkit/oidc/server.mjs` (its packages installed by `.ci/run` with `npm ci`), with
//! its development login and consent pages. People: `alice` (address verified) and `bob`
//! (address not verified).

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const CLIENT_ID: &str = "utmost-test";
pub const CLIENT_SECRET: &str = "utmost-test-secret";

/// A running provider, stopped on drop.
pub struct OidcProvider {
    pub url: String,
    child: Child,
}

fn provider_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("oidc")
}

impl OidcProvider {
    /// Starts the provider on a free port, accepting `redirect_uris`. Fails when its packages
    /// are not installed (`npm ci` in `crates/testkit/oidc`; `.ci/run` does it).
    pub async fn start(redirect_uris: &[String]) -> OidcProvider {
        let dir = provider_dir();
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "oidc-provider is not installed: run `npm ci` in {}",
            dir.display()
        );
        let port = crate::free_port();
        let child = Command::new("node")
            .arg(dir.join("server.mjs"))
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_CLIENT_ID", CLIENT_ID)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .env("OIDC_REDIRECT_URIS", redirect_uris.join(","))
            .stdout(Stdio::null())
            // UTMOST_TEST_OIDC_LOG=1 shows the provider's warnings and failures.
            .stderr(
                match std::env::var("UTMOST_TEST_OIDC_LOG").is_ok_and(|v| v == "1") {
                    true => Stdio::inherit(),
                    false => Stdio::null(),
                },
            )
            .spawn()
            .expect("start node server.mjs");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "oidc-provider did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        OidcProvider {
            url: format!("http://127.0.0.1:{port}"),
            child,
        }
    }

    pub fn discovery_endpoint(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.url)
    }

    /// Follows `auth_url` through the provider's login (as `login`, any password) and
    /// consent pages with `http` (a client with a cookie store that follows no redirect),
    /// and returns the URL the provider sends the browser back to.
    pub async fn sign_in(&self, http: &reqwest::Client, auth_url: &str, login: &str) -> String {
        let mut next = http.get(auth_url).send().await.unwrap();
        for _ in 0..20 {
            if next.status().is_redirection() {
                let location = next.headers()["location"].to_str().unwrap().to_owned();
                let target = reqwest::Url::parse(&self.url)
                    .unwrap()
                    .join(&location)
                    .unwrap();
                if !target.as_str().starts_with(&self.url) {
                    return target.to_string();
                }
                next = http.get(target).send().await.unwrap();
                continue;
            }
            let page = next.text().await.unwrap();
            let action = form_action(&page).unwrap_or_else(|| panic!("no form in {page}"));
            let form: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
                vec![("prompt", "login"), ("login", login), ("password", "any")]
            } else {
                vec![("prompt", "consent")]
            };
            let target = reqwest::Url::parse(&self.url)
                .unwrap()
                .join(&action)
                .unwrap();
            next = http.post(target).form(&form).send().await.unwrap();
        }
        panic!("the provider did not send the browser back");
    }
}

/// The `action` of the page's form.
fn form_action(page: &str) -> Option<String> {
    let start = page.find("action=\"")? + "action=\"".len();
    let end = page[start..].find('"')?;
    Some(page[start..start + end].to_owned())
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! The one HTTP client for every fetch the server makes on a user's behalf (link previews,
//! the image proxy). It refuses internal addresses unless
//! `ServiceSettings.AllowedUntrustedInternalConnections` lists them: literal IPs before the
//! request, host names in the DNS step (`resolver`), each redirect hop again. Only http and
//! https; no system proxy (a proxy would resolve names past the check); the whole fetch,
//! redirects and body included, within one deadline; bodies read up to a cap.

mod exchange;
mod policy;
mod resolver;

pub use exchange::exchange;
pub use policy::{is_internal, Policy};
pub use resolver::{Lookup, LookupFuture, SystemLookup};

use crate::App;
use reqwest::header::{HeaderMap, ACCEPT, CONTENT_TYPE, LOCATION};
use reqwest::{Client, Response, StatusCode, Url};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Redirects followed before a fetch gives up (Mattermost's link-metadata client).
pub const MAX_REDIRECTS: usize = 10;

/// Some sites serve their OpenGraph tags only to crawlers they know; Mattermost's name.
const USER_AGENT: &str = "Mattermost-Bot/1.1";

/// Why a fetch did not produce a response.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("not an http(s) URL with a host")]
    BadUrl,
    #[error("refused destination: {0}")]
    Refused(String),
    #[error("more than {MAX_REDIRECTS} redirects")]
    TooManyRedirects,
    #[error("timed out")]
    Timeout,
    #[error("response larger than {0} bytes")]
    TooLarge(usize),
    #[error("request failed: {0}")]
    Failed(reqwest::Error),
}

/// The resolver's refusal, found again in reqwest's error chain.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Refused(pub String);

impl From<reqwest::Error> for FetchError {
    fn from(e: reqwest::Error) -> Self {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(cause) = source {
            if let Some(refused) = cause.downcast_ref::<Refused>() {
                return FetchError::Refused(refused.0.clone());
            }
            source = cause.source();
        }
        if e.is_timeout() {
            FetchError::Timeout
        } else {
            FetchError::Failed(e)
        }
    }
}

/// One fetch: where, what it accepts, its deadline, and which redirect targets the caller
/// accepts (link previews re-apply `RestrictLinkPreviews` to every hop).
pub struct Request<'a> {
    pub url: &'a str,
    pub accept: &'a str,
    pub timeout: Duration,
    pub may_follow: &'a (dyn Fn(&Url) -> bool + Sync),
}

/// The clients built so far, one per allow-list (rebuilt when the setting changes).
pub struct Outgoing {
    built: Mutex<Option<(String, Client)>>,
    lookup: Arc<dyn Lookup>,
}

impl Outgoing {
    pub fn new(lookup: Arc<dyn Lookup>) -> Self {
        Outgoing {
            built: Mutex::new(None),
            lookup,
        }
    }

    fn client(&self, allowed: &str) -> Result<(Arc<Policy>, Client), FetchError> {
        let policy = Arc::new(Policy::parse(allowed));
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((key, client)) = built.as_ref() {
            if key == allowed {
                return Ok((policy, client.clone()));
            }
        }
        let client = Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .dns_resolver(Arc::new(resolver::CheckedResolver {
                policy: Arc::clone(&policy),
                lookup: Arc::clone(&self.lookup),
            }))
            .build()
            .map_err(FetchError::Failed)?;
        *built = Some((allowed.to_owned(), client.clone()));
        Ok((policy, client))
    }
}

/// An answer whose redirects have been followed; its body is still to be read, within the
/// fetch's deadline.
pub struct Opened {
    pub url: Url,
    response: Response,
    deadline: Instant,
}

impl Opened {
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The media type without parameters, lower case; "" when absent.
    pub fn content_type(&self) -> String {
        self.headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }

    /// The next piece of the body, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, FetchError> {
        match tokio::time::timeout_at(self.deadline, self.response.chunk()).await {
            Ok(chunk) => Ok(chunk?),
            Err(_) => Err(FetchError::Timeout),
        }
    }

    /// The body, or `TooLarge` as soon as it passes `max` bytes (nothing more is read).
    pub async fn read_capped(mut self, max: usize) -> Result<Vec<u8>, FetchError> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if body.len() + chunk.len() > max {
                return Err(FetchError::TooLarge(max));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    /// The first `max` bytes of the body and no more (an image's header, a page's head).
    pub async fn read_prefix(mut self, max: usize) -> Result<Vec<u8>, FetchError> {
        let mut body = Vec::new();
        while body.len() < max {
            let Some(chunk) = self.chunk().await? else {
                break;
            };
            let room = max - body.len();
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        Ok(body)
    }
}

/// GETs `request.url` under the configured allow-list (see `Outgoing::open`).
pub async fn open(app: &App, request: &Request<'_>) -> Result<Opened, FetchError> {
    let allowed = app
        .config()
        .service_settings
        .allowed_untrusted_internal_connections
        .clone();
    app.outgoing.open(&allowed, request).await
}

impl Outgoing {
    /// GETs `request.url`, following redirects hop by hop, each checked like the first.
    pub async fn open(&self, allowed: &str, request: &Request<'_>) -> Result<Opened, FetchError> {
        let (policy, client) = self.client(allowed)?;
        let deadline = Instant::now() + request.timeout;
        let mut url = Url::parse(request.url).map_err(|_| FetchError::BadUrl)?;
        for _ in 0..=MAX_REDIRECTS {
            check_url(&url, &policy)?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let sent = client
                .get(url.clone())
                .header(ACCEPT, request.accept)
                .timeout(remaining)
                .send();
            let response = match tokio::time::timeout_at(deadline, sent).await {
                Ok(response) => response?,
                Err(_) => return Err(FetchError::Timeout),
            };
            match redirect_target(&url, &response) {
                Some(next) => {
                    if !(request.may_follow)(&next) {
                        return Err(FetchError::Refused(format!("redirect to {next}")));
                    }
                    url = next;
                }
                None => {
                    return Ok(Opened {
                        url,
                        response,
                        deadline,
                    })
                }
            }
        }
        Err(FetchError::TooManyRedirects)
    }
}

/// http or https with a host; a literal IP must be one the policy allows (names are
/// checked when they are resolved).
pub fn check_url(url: &Url, policy: &Policy) -> Result<(), FetchError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(FetchError::BadUrl);
    }
    let ip = match url.host() {
        None => return Err(FetchError::BadUrl),
        Some(url::Host::Domain(_)) => return Ok(()),
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
    };
    if policy.allows_ip(ip) {
        Ok(())
    } else {
        Err(FetchError::Refused(ip.to_string()))
    }
}

fn redirect_target(from: &Url, response: &Response) -> Option<Url> {
    if !response.status().is_redirection() {
        return None;
    }
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    from.join(location).ok()
}

#[cfg(test)]
mod tests;

//! The DNS step of every outgoing connection: look the host up, drop the addresses the
//! policy refuses, and hand the connector only the addresses that were checked, so a
//! second, different DNS answer (rebinding) can never be what the connection reaches.

use super::policy::Policy;
use super::Refused;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

pub type LookupFuture = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send>>;

/// Where names are looked up: the system resolver, or a test's fixed answers.
pub trait Lookup: Send + Sync + 'static {
    fn lookup(&self, host: &str) -> LookupFuture;
}

/// The system resolver (`getaddrinfo`, through tokio's blocking pool).
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str) -> LookupFuture {
        let host = host.to_owned();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

pub struct CheckedResolver {
    pub policy: Arc<Policy>,
    pub lookup: Arc<dyn Lookup>,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let policy = Arc::clone(&self.policy);
        let answer = self.lookup.lookup(&host);
        Box::pin(async move {
            let ips = answer.await?;
            let trusted = policy.trusts_host(&host);
            let allowed: Vec<SocketAddr> = ips
                .iter()
                .filter(|ip| trusted || policy.allows_ip(**ip))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if allowed.is_empty() {
                // Coerced, not `.into()`: that would box the box, and hide the type.
                let refused: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(Refused(format!("{host} resolves only to {ips:?}")));
                return Err(refused);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

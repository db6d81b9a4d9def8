//! Who the client is: the connection's peer, or, when that peer is one of
//! `ServiceSettings.TrustedProxyAddresses`, the address its `TrustedProxyIPHeader` names
//! (Mattermost's `GetIPAddress`, made strict: Mattermost believes the header from anyone, so
//! any client could pick the address the rate limiter and the audit log see).
//!
//! `serve` resolves it once per request into a [`ClientAddr`] extension; the rate limiter and
//! the audit log read that.

use axum::http::{Extensions, HeaderMap};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use utmost_config::ServiceSettings;

/// The client's address as the server believes it, for this request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The request's client address; `None` outside `serve` (unit tests of handlers).
    pub fn of(extensions: &Extensions) -> Option<IpAddr> {
        extensions.get::<ClientAddr>().map(|c| c.0)
    }
}

/// True when `peer` is one of `TrustedProxyAddresses`.
pub fn is_trusted_proxy(peer: IpAddr, settings: &ServiceSettings) -> bool {
    let proxies = proxies(settings);
    trusted(&proxies, peer)
}

/// The client's address for a request that came from `peer` with `headers`.
pub fn resolve(peer: IpAddr, headers: &HeaderMap, settings: &ServiceSettings) -> IpAddr {
    let peer = peer.to_canonical();
    if settings.trusted_proxy_ip_header.is_empty() || settings.trusted_proxy_addresses.is_empty() {
        return peer;
    }
    let proxies = proxies(settings);
    if !trusted(&proxies, peer) {
        return peer;
    }
    for name in &settings.trusted_proxy_ip_header {
        let values: Vec<&str> = headers
            .get_all(name.trim())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            continue;
        }
        if name.trim().eq_ignore_ascii_case("x-forwarded-for") {
            if let Some(ip) = from_forwarded_for(&values, &proxies) {
                return ip;
            }
        } else if let Some(ip) = values.last().and_then(|v| parse_ip(v)) {
            return ip;
        }
    }
    peer
}

/// Each proxy appends the address it saw, so the addresses a client wrote itself come first:
/// reading from the right, the first address that is not a trusted proxy is the client's.
fn from_forwarded_for(values: &[&str], proxies: &[IpNet]) -> Option<IpAddr> {
    let mut nearest = None;
    for part in values.iter().rev().flat_map(|v| v.rsplit(',')) {
        let ip = parse_ip(part)?;
        if !trusted(proxies, ip) {
            return Some(ip);
        }
        nearest = Some(ip);
    }
    nearest
}

fn parse_ip(value: &str) -> Option<IpAddr> {
    let value = value.trim();
    value
        .parse::<IpAddr>()
        .ok()
        .or_else(|| value.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .map(|ip| ip.to_canonical())
}

fn proxies(settings: &ServiceSettings) -> Vec<IpNet> {
    settings
        .trusted_proxy_addresses
        .iter()
        .filter_map(|entry| {
            let entry = entry.trim();
            entry
                .parse::<IpNet>()
                .ok()
                .or_else(|| entry.parse::<IpAddr>().ok().map(IpNet::from))
        })
        .collect()
}

fn trusted(proxies: &[IpNet], ip: IpAddr) -> bool {
    let ip = ip.to_canonical();
    proxies.iter().any(|net| net.contains(&ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn settings(headers: &[&str], proxies: &[&str]) -> ServiceSettings {
        ServiceSettings {
            trusted_proxy_ip_header: headers.iter().map(|s| s.to_string()).collect(),
            trusted_proxy_addresses: proxies.iter().map(|s| s.to_string()).collect(),
            ..ServiceSettings::default()
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_is_ignored_from_a_peer_that_is_not_a_trusted_proxy() {
        let s = settings(&["X-Forwarded-For"], &["10.0.0.0/8"]);
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(resolve(ip("198.51.100.7"), &h, &s), ip("198.51.100.7"));
    }

    #[test]
    fn without_trusted_proxies_the_header_is_never_read() {
        let s = settings(&["X-Forwarded-For"], &[]);
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(resolve(ip("10.0.0.2"), &h, &s), ip("10.0.0.2"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_a_forged_prefix_is_skipped() {
        let s = settings(&["X-Forwarded-For"], &["10.0.0.0/8", "192.0.2.1"]);
        // The client wrote "1.2.3.4" itself; the edge proxy appended what it saw, then an
        // inner proxy (192.0.2.1) appended the edge's address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.1.1")]);
        assert_eq!(resolve(ip("192.0.2.1"), &h, &s), ip("203.0.113.9"));
    }

    #[test]
    fn x_real_ip_and_the_header_order() {
        let s = settings(&["X-Real-IP", "X-Forwarded-For"], &["127.0.0.1"]);
        let h = headers(&[
            ("x-real-ip", "203.0.113.5"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &s), ip("203.0.113.5"));
        let h = headers(&[("x-real-ip", "not an address")]);
        assert_eq!(resolve(ip("127.0.0.1"), &h, &s), ip("127.0.0.1"));
    }

    #[test]
    fn an_ipv4_mapped_peer_matches_an_ipv4_range() {
        let s = settings(&["X-Real-IP"], &["127.0.0.0/8"]);
        let h = headers(&[("x-real-ip", "203.0.113.5")]);
        assert_eq!(resolve(ip("::ffff:127.0.0.1"), &h, &s), ip("203.0.113.5"));
    }
}

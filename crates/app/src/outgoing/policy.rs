//! Which addresses an outgoing fetch may reach (Mattermost's `httpservice`): every public
//! address, and internal ones (loopback, private, link-local, cloud metadata, …) only when
//! `ServiceSettings.AllowedUntrustedInternalConnections` names their host, IP or range.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `AllowedUntrustedInternalConnections`, parsed once per configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    /// Host names (lower case) whose every address is allowed.
    hosts: Vec<String>,
    /// Ranges (a bare IP is a one-address range) an internal address may be in.
    ranges: Vec<IpNet>,
}

impl Policy {
    /// Entries are separated by spaces (Mattermost's `strings.Fields`) or commas; each is a
    /// CIDR range, an IP address or a host name.
    pub fn parse(allowed: &str) -> Self {
        let mut policy = Policy::default();
        for entry in allowed
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|e| !e.is_empty())
        {
            if let Ok(range) = entry.parse::<IpNet>() {
                policy.ranges.push(range);
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                policy.ranges.push(IpNet::from(ip));
            } else {
                policy
                    .hosts
                    .push(entry.trim_end_matches('.').to_ascii_lowercase());
            }
        }
        policy
    }

    /// An administrator named this host: its addresses are not checked.
    pub fn trusts_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Whether a connection to `ip` is allowed: a public address that is not this
    /// machine's own, or an internal one in a listed range.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        !(is_internal(ip) || is_own(ip)) || self.ranges.iter().any(|r| r.contains(&ip))
    }
}

/// An IPv4 address carried in IPv6 (mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) is
/// judged as the IPv4 address it reaches.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let s = v6.segments();
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = s[6].to_be_bytes();
                let [c, d] = s[7].to_be_bytes();
                return IpAddr::V4(Ipv4Addr::new(a, b, c, d));
            }
            IpAddr::V6(v6)
        }
        v4 => v4,
    }
}

/// One of this machine's addresses (Mattermost's `IsOwnIP`): services bound to a public
/// interface are as internal as loopback. Only an address the machine holds can be bound,
/// so binding a UDP socket to it answers without listing the interfaces.
fn is_own(ip: IpAddr) -> bool {
    std::net::UdpSocket::bind((ip, 0)).is_ok()
}

/// Loopback, private, link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254
/// included), shared, unspecified, multicast, broadcast and reserved addresses: nothing a
/// user's link should make the server reach.
pub fn is_internal(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => is_internal_v6(v6),
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0 // "this network"
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, fd00:ec2::254 among them
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated, still routed internally)
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or_else(|_| panic!("{s} is an address"))
    }

    #[test]
    fn internal_addresses_are_refused_by_default() {
        let policy = Policy::parse("");
        for refused in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
        ] {
            assert!(!policy.allows_ip(ip(refused)), "{refused} must be refused");
        }
        for public in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(policy.allows_ip(ip(public)), "{public} is public");
        }
        assert!(is_own(ip("127.0.0.1")));
        assert!(!is_own(ip("8.8.8.8")));
    }

    #[test]
    fn listed_ranges_addresses_and_hosts_are_allowed() {
        let policy = Policy::parse("10.1.0.0/16, 127.0.0.1 intranet.example.COM ::1");
        assert!(policy.allows_ip(ip("10.1.200.3")));
        assert!(!policy.allows_ip(ip("10.2.0.1")));
        assert!(policy.allows_ip(ip("127.0.0.1")));
        assert!(!policy.allows_ip(ip("127.0.0.2")));
        assert!(policy.allows_ip(ip("::1")));
        assert!(policy.allows_ip(ip("::ffff:127.0.0.1")));
        assert!(policy.trusts_host("Intranet.example.com."));
        assert!(!policy.trusts_host("example.com"));
        assert!(!policy.trusts_host("127.0.0.2"));
    }
}

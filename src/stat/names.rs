//! Addresses as text, the way `ss` prints them: `1.2.3.4:80`, `[::1]:80`,
//! `[::ffff:127.0.0.1]:80` (an IPv4 peer of a dual-stack IPv6 socket), `*:22` (the
//! IPv6 wildcard of a dual-stack socket: every address of both families), port 0 as
//! `*`, a device-bound socket as `addr%dev:port` (`SO_BINDTODEVICE`), a Unix socket as
//! `name:inode` (`*` when unnamed). Without `-n`, ports get their /etc/services names;
//! with `-r`, hosts their reverse-DNS names.

use std::collections::HashMap;
use std::net::IpAddr;

use super::view::ViewOpts;
use super::{Endpoint, Proto};
use crate::net::services::{self, Transport};

/// Turns addresses into text, remembering interface, service and host names.
#[derive(Default)]
pub struct Names {
    opts: ViewOpts,
    ifaces: HashMap<u32, String>,
    hosts: HashMap<IpAddr, String>,
}

impl Names {
    pub fn new(opts: ViewOpts) -> Names {
        let mut ifaces = HashMap::new();
        if let Ok(list) = nix::net::if_::if_nameindex() {
            for i in list.iter() {
                ifaces.insert(i.index(), i.name().to_string_lossy().into_owned());
            }
        }
        Names {
            opts,
            ifaces,
            hosts: HashMap::new(),
        }
    }

    fn host(&mut self, ip: IpAddr, dual_stack: bool) -> String {
        let text = host_text(ip, dual_stack);
        if !self.opts.resolve || ip.is_unspecified() {
            return text;
        }
        self.hosts
            .entry(ip)
            .or_insert_with(|| dns_lookup::lookup_addr(&ip).unwrap_or(text))
            .clone()
    }

    /// The text of one end of a socket; `dual_stack` is an AF_INET6 socket that also
    /// takes IPv4 (not `IPV6_V6ONLY`).
    pub fn endpoint(&mut self, proto: Proto, ep: &Endpoint, dual_stack: bool) -> String {
        match ep {
            Endpoint::Unix { name, inode } => {
                format!("{}:{inode}", name.as_deref().unwrap_or("*"))
            }
            Endpoint::Inet { addr, scope } => {
                let mut host = self.host(addr.ip(), dual_stack);
                if *scope != 0 {
                    let dev = self
                        .ifaces
                        .get(scope)
                        .cloned()
                        .unwrap_or_else(|| scope.to_string());
                    host = format!("{host}%{dev}");
                }
                let transport = if proto == Proto::Udp {
                    Transport::Udp
                } else {
                    Transport::Tcp
                };
                let port = match addr.port() {
                    0 => "*".to_string(),
                    p if self.opts.numeric => p.to_string(),
                    p => services::name_of(p, transport)
                        .map_or_else(|| p.to_string(), str::to_string),
                };
                format!("{host}:{port}")
            }
        }
    }
}

/// An IP address as ss prints it: IPv6 in brackets, and the IPv6 wildcard of a
/// dual-stack socket as `*` (it stands for every IPv4 and IPv6 address).
fn host_text(ip: IpAddr, dual_stack: bool) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) if dual_stack && v6.is_unspecified() => "*".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// Plain numeric text of an address (as the `-n` table shows it), for JSON and diffs.
pub fn numeric_endpoint(ep: &Endpoint, dual_stack: bool) -> String {
    match ep {
        Endpoint::Unix { name, inode } => format!("{}:{inode}", name.as_deref().unwrap_or("*")),
        Endpoint::Inet { addr, .. } => {
            let host = host_text(addr.ip(), dual_stack);
            match addr.port() {
                0 => format!("{host}:*"),
                p => format!("{host}:{p}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_print_like_ss() {
        let mut n = Names::new(ViewOpts {
            numeric: true,
            ..ViewOpts::default()
        });
        let ep = |s: &str| Endpoint::Inet {
            addr: s.parse().unwrap(),
            scope: 0,
        };
        assert_eq!(n.endpoint(Proto::Tcp, &ep("0.0.0.0:0"), false), "0.0.0.0:*");
        assert_eq!(n.endpoint(Proto::Tcp, &ep("[::1]:80"), true), "[::1]:80");
        assert_eq!(
            n.endpoint(Proto::Tcp, &ep("[::ffff:127.0.0.1]:80"), true),
            "[::ffff:127.0.0.1]:80"
        );
        let u = Endpoint::Unix {
            name: None,
            inode: 42,
        };
        assert_eq!(n.endpoint(Proto::UnixStream, &u, false), "*:42");
        assert_eq!(n.endpoint(Proto::Tcp, &ep("[::]:22"), true), "*:22");
        assert_eq!(n.endpoint(Proto::Tcp, &ep("[::]:22"), false), "[::]:22");
        assert_eq!(n.endpoint(Proto::Tcp, &ep("[::]:0"), true), "*:*");
    }
}

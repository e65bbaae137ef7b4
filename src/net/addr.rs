//! Address arguments: `PORT`, `:PORT`, `HOST:PORT`, `[V6]:PORT` (with an optional
//! `%zone`), and for Unix sockets a path or an `@abstract` name. After a colon the
//! port may be a service name (`localhost:http`), looked up for the transport the
//! command uses ([`crate::net::services`]).
//!
//! Parsing is pure and strict (a bad address is a usage error, exit 2); resolving a
//! host name is a separate, fallible runtime step (exit 1), as `getaddrinfo(3)` is.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::error::UsageError;
use crate::net::services::{self, Transport};

/// Which address family the user allowed (`-4`, `-6`, or neither).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Family {
    #[default]
    Any,
    V4,
    V6,
}

impl Family {
    /// Whether `addr` belongs to this family.
    pub fn admits(self, addr: &SocketAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => addr.is_ipv4(),
            Family::V6 => addr.is_ipv6(),
        }
    }
}

/// The host part of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// `PORT` or `:PORT`: the command's default host (loopback for nettool).
    Default,
    Ip(IpAddr),
    Name(String),
}

/// A parsed `HOST:PORT`, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    pub host: Host,
    pub port: u16,
    /// The IPv6 zone of `[fe80::1%eth0]:80`: an interface name or index.
    pub zone: Option<String>,
}

fn invalid(input: &str, reason: impl Into<String>) -> UsageError {
    UsageError::InvalidAddress {
        input: input.to_string(),
        reason: reason.into(),
    }
}

fn parse_port(input: &str, port: &str, transport: Transport) -> Result<u16, UsageError> {
    services::port(port, transport).map_err(|why| invalid(input, why))
}

fn valid_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

impl HostPort {
    /// Parse one of `PORT`, `:PORT`, `HOST:PORT`, `[V6]:PORT`, `[V6%zone]:PORT`; a
    /// port after a colon may be a service name of `transport` (`[::1]:ssh`).
    pub fn parse(input: &str, transport: Transport) -> Result<Self, UsageError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid(input, "empty address"));
        }
        if let Some(rest) = s.strip_prefix('[') {
            let (inside, after) = rest
                .split_once(']')
                .ok_or_else(|| invalid(input, "missing ']' after IPv6 address"))?;
            let port = after
                .strip_prefix(':')
                .ok_or_else(|| invalid(input, "expected ':PORT' after ']'"))?;
            let (ip, zone) = match inside.split_once('%') {
                Some((ip, zone)) if !zone.is_empty() => (ip, Some(zone.to_string())),
                Some(_) => return Err(invalid(input, "empty IPv6 zone after '%'")),
                None => (inside, None),
            };
            let ip: Ipv6Addr = ip
                .parse()
                .map_err(|_| invalid(input, format!("{ip:?} is not an IPv6 address")))?;
            return Ok(HostPort {
                host: Host::Ip(IpAddr::V6(ip)),
                port: parse_port(input, port, transport)?,
                zone,
            });
        }
        if s.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(HostPort {
                host: Host::Default,
                port: parse_port(input, s, transport)?,
                zone: None,
            });
        }
        let (host, port) = s
            .rsplit_once(':')
            .ok_or_else(|| invalid(input, "expected HOST:PORT, :PORT or PORT"))?;
        if host.contains(':') {
            return Err(invalid(
                input,
                "IPv6 addresses need brackets, as in [::1]:8080",
            ));
        }
        let port = parse_port(input, port, transport)?;
        let host = if host.is_empty() {
            Host::Default
        } else if let Ok(ip) = host.parse::<Ipv4Addr>() {
            Host::Ip(IpAddr::V4(ip))
        } else if valid_host_name(host) {
            Host::Name(host.to_string())
        } else {
            return Err(invalid(input, format!("{host:?} is not a valid host name")));
        };
        Ok(HostPort {
            host,
            port,
            zone: None,
        })
    }

    /// Resolve to socket addresses of the allowed family, in resolver order.
    /// [`Host::Default`] becomes loopback (`::1` under `-6`).
    pub fn resolve(&self, family: Family) -> anyhow::Result<Vec<SocketAddr>> {
        let addrs = self.resolve_quietly(family)?;
        if log::log_enabled!(log::Level::Debug) {
            let list: Vec<String> = addrs.iter().map(display).collect();
            let how = match &self.host {
                Host::Default => "the default host",
                Host::Ip(_) => "a literal address",
                Host::Name(_) => "getaddrinfo(3)",
            };
            log::debug!(
                "address {self} ({} allowed) is {} ({how})",
                family_name(family),
                list.join(", ")
            );
        }
        Ok(addrs)
    }

    fn resolve_quietly(&self, family: Family) -> anyhow::Result<Vec<SocketAddr>> {
        let addrs: Vec<SocketAddr> = match &self.host {
            Host::Default => {
                let ip = match family {
                    Family::V6 => IpAddr::V6(Ipv6Addr::LOCALHOST),
                    _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
                };
                vec![SocketAddr::new(ip, self.port)]
            }
            Host::Ip(ip) => {
                let mut addr = SocketAddr::new(*ip, self.port);
                if let (SocketAddr::V6(v6), Some(zone)) = (&mut addr, &self.zone) {
                    v6.set_scope_id(zone_index(zone)?);
                }
                if !family.admits(&addr) {
                    let (is, flag) = if addr.is_ipv4() {
                        ("IPv4", "-6")
                    } else {
                        ("IPv6", "-4")
                    };
                    bail!(UsageError::invalid(format!(
                        "address {ip} is {is} but {flag} was given"
                    )));
                }
                vec![addr]
            }
            Host::Name(name) => {
                let all: Vec<SocketAddr> = (name.as_str(), self.port)
                    .to_socket_addrs()
                    .with_context(|| format!("cannot resolve host {name:?}"))?
                    .collect();
                let fitting: Vec<SocketAddr> =
                    all.iter().copied().filter(|a| family.admits(a)).collect();
                if fitting.is_empty() {
                    let which = match family {
                        Family::Any => "usable",
                        _ => family_name(family),
                    };
                    bail!("host {name:?} has no {which} address");
                }
                fitting
            }
        };
        Ok(addrs)
    }

    /// Resolve and take the first address (what a listener binds).
    pub fn resolve_one(&self, family: Family) -> anyhow::Result<SocketAddr> {
        Ok(self.resolve(family)?[0])
    }
}

fn family_name(f: Family) -> &'static str {
    match f {
        Family::Any => "any family",
        Family::V4 => "IPv4",
        Family::V6 => "IPv6",
    }
}

/// An IPv6 zone: a number, or an interface name looked up with if_nametoindex(3).
fn zone_index(zone: &str) -> anyhow::Result<u32> {
    if let Ok(n) = zone.parse::<u32>() {
        return Ok(n);
    }
    nix::net::if_::if_nametoindex(zone)
        .map_err(|_| anyhow::Error::new(UsageError::invalid(format!("unknown interface {zone:?}"))))
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.host {
            Host::Default => write!(f, ":{}", self.port),
            Host::Ip(IpAddr::V6(ip)) => match &self.zone {
                Some(z) => write!(f, "[{ip}%{z}]:{}", self.port),
                None => write!(f, "[{ip}]:{}", self.port),
            },
            Host::Ip(ip) => write!(f, "{ip}:{}", self.port),
            Host::Name(n) => write!(f, "{n}:{}", self.port),
        }
    }
}

/// Longest Unix socket path: `sun_path` is 108 bytes including the terminating NUL.
pub const UNIX_PATH_MAX: usize = 107;

/// A Unix socket address: a file system path, or a Linux abstract name (`@name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnixTarget {
    Path(PathBuf),
    Abstract(Vec<u8>),
}

impl UnixTarget {
    pub fn parse(input: &str) -> Result<Self, UsageError> {
        if input.is_empty() {
            return Err(invalid(input, "empty Unix socket path"));
        }
        if input.as_bytes().contains(&0) {
            return Err(invalid(
                input,
                "a Unix socket path cannot contain a NUL byte",
            ));
        }
        if let Some(name) = input.strip_prefix('@') {
            if name.is_empty() {
                return Err(invalid(input, "empty abstract socket name after '@'"));
            }
            if name.len() > UNIX_PATH_MAX - 1 {
                return Err(invalid(
                    input,
                    format!(
                        "abstract name is {} bytes; at most {} fit",
                        name.len(),
                        UNIX_PATH_MAX - 1
                    ),
                ));
            }
            return Ok(UnixTarget::Abstract(name.as_bytes().to_vec()));
        }
        if input.len() > UNIX_PATH_MAX {
            return Err(invalid(
                input,
                format!(
                    "path is {} bytes; a Unix socket path holds at most {UNIX_PATH_MAX}",
                    input.len()
                ),
            ));
        }
        Ok(UnixTarget::Path(PathBuf::from(input)))
    }
}

impl fmt::Display for UnixTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnixTarget::Path(p) => write!(f, "{}", p.display()),
            UnixTarget::Abstract(name) => write!(f, "@{}", String::from_utf8_lossy(name)),
        }
    }
}

/// Format a socket address the way nettool prints it (`[v6]:port`, `v4:port`), an
/// IPv6 scope by its interface name (`[fe80::1%eth0]:80`, as it is typed) rather than
/// the kernel's index (`%2`); the index stays when no interface has it.
pub fn display(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V6(v6) if v6.scope_id() != 0 => {
            let name = nix::net::if_::if_indextoname(v6.scope_id())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.is_empty() {
                addr.to_string()
            } else {
                format!("[{}%{name}]:{}", v6.ip(), v6.port())
            }
        }
        _ => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hp(s: &str) -> HostPort {
        HostPort::parse(s, Transport::Tcp).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn err(s: &str) -> String {
        HostPort::parse(s, Transport::Tcp).unwrap_err().to_string()
    }

    #[test]
    fn bare_port_and_colon_port_use_the_default_host() {
        assert_eq!(
            hp("8080"),
            HostPort {
                host: Host::Default,
                port: 8080,
                zone: None
            }
        );
        assert_eq!(
            hp(":0"),
            HostPort {
                host: Host::Default,
                port: 0,
                zone: None
            }
        );
    }

    #[test]
    fn ipv4_host_port() {
        assert_eq!(
            hp("10.1.2.3:99").host,
            Host::Ip("10.1.2.3".parse().unwrap())
        );
        assert_eq!(hp("10.1.2.3:99").port, 99);
    }

    #[test]
    fn bracketed_ipv6_with_and_without_zone() {
        assert_eq!(hp("[::1]:7").host, Host::Ip("::1".parse().unwrap()));
        let z = hp("[fe80::1%eth0]:7");
        assert_eq!(z.zone.as_deref(), Some("eth0"));
        assert_eq!(z.to_string(), "[fe80::1%eth0]:7");
    }

    #[test]
    fn ports_may_be_service_names_of_the_transport() {
        assert_eq!(hp("localhost:http").port, 80);
        assert_eq!(hp("[::1]:ssh").port, 22);
        assert_eq!(hp(":ssh").host, Host::Default);
        let udp = HostPort::parse("127.0.0.1:domain", Transport::Udp).unwrap();
        assert_eq!(udp.port, 53);
        let e = HostPort::parse("[::1]:ssh", Transport::Udp)
            .unwrap_err()
            .to_string();
        assert!(e.contains("22/tcp but has no udp entry"), "{e}");
    }

    #[test]
    fn host_names_are_kept_for_resolution() {
        assert_eq!(hp("localhost:80").host, Host::Name("localhost".into()));
    }

    #[test]
    fn bad_inputs_name_the_problem() {
        assert_eq!(
            err("1.2.3:99999"),
            r#"invalid address "1.2.3:99999": port 99999 is out of range (0 to 65535)"#
        );
        assert!(err("70000").contains("out of range"));
        assert!(err("host:").contains("missing port"));
        assert!(err("host:nosuchservice").contains("unknown service \"nosuchservice\""));
        assert!(err("::1:80").contains("need brackets"));
        assert!(err("[::1]80").contains("expected ':PORT'"));
        assert!(err("[::1:80").contains("missing ']'"));
        assert!(err("[1.2.3.4]:80").contains("not an IPv6 address"));
        assert!(err("bad host!:80").contains("not a valid host name"));
        assert!(err("").contains("empty address"));
        assert!(err("host").contains("expected HOST:PORT"));
    }

    #[test]
    fn resolve_default_follows_family() {
        assert_eq!(
            hp("5").resolve_one(Family::Any).unwrap(),
            "127.0.0.1:5".parse().unwrap()
        );
        assert_eq!(
            hp("5").resolve_one(Family::V6).unwrap(),
            "[::1]:5".parse().unwrap()
        );
    }

    #[test]
    fn resolve_rejects_family_mismatch_as_usage_error() {
        let e = hp("[::1]:5").resolve(Family::V4).unwrap_err();
        assert_eq!(crate::error::exit_code(&e), 2);
        assert!(e.to_string().contains("IPv6 but -4"), "{e}");
    }

    #[test]
    fn resolve_localhost_name() {
        let addrs = hp("localhost:5").resolve(Family::V4).unwrap();
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.is_ipv4()));
    }

    #[test]
    fn scope_ids_print_as_interface_names() {
        let lo = nix::net::if_::if_nametoindex("lo").unwrap();
        let a = hp("[fe80::1%lo]:80").resolve_one(Family::Any).unwrap();
        assert_eq!(display(&a), "[fe80::1%lo]:80");
        let by_index = HostPort::parse(&format!("[fe80::1%{lo}]:80"), Transport::Tcp).unwrap();
        assert_eq!(
            display(&by_index.resolve_one(Family::Any).unwrap()),
            "[fe80::1%lo]:80"
        );
        let unknown: SocketAddr = "[fe80::1%4000000]:80".parse().unwrap();
        assert_eq!(display(&unknown), "[fe80::1%4000000]:80");
        assert_eq!(display(&"127.0.0.1:5".parse().unwrap()), "127.0.0.1:5");
    }

    #[test]
    fn unix_targets() {
        assert_eq!(
            UnixTarget::parse("/tmp/x.sock").unwrap(),
            UnixTarget::Path("/tmp/x.sock".into())
        );
        assert_eq!(
            UnixTarget::parse("@name").unwrap(),
            UnixTarget::Abstract(b"name".to_vec())
        );
        assert_eq!(UnixTarget::parse("@name").unwrap().to_string(), "@name");
        let long = "/".repeat(108);
        assert!(
            UnixTarget::parse(&long)
                .unwrap_err()
                .to_string()
                .contains("at most 107")
        );
        assert!(UnixTarget::parse(&"/".repeat(107)).is_ok());
        assert!(UnixTarget::parse("@").is_err());
        assert!(UnixTarget::parse("").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics(s in ".{0,64}") {
            let _ = HostPort::parse(&s, Transport::Tcp);
            let _ = UnixTarget::parse(&s);
        }

        #[test]
        fn display_parses_back(a in proptest::prelude::any::<std::net::IpAddr>(), port in proptest::prelude::any::<u16>()) {
            let hp = HostPort { host: Host::Ip(a), port, zone: None };
            proptest::prop_assert_eq!(HostPort::parse(&hp.to_string(), Transport::Udp).unwrap(), hp);
        }
    }
}

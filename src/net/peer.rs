//! Who is at the other end of a socket, as a value rather than a string.
//!
//! A TCP or UDP peer is an address and port. A Unix peer is a path, an abstract name
//! or nothing at all (a client that never called `bind(2)` is *unnamed*), and the
//! kernel can also say which process it is: `SO_PEERCRED` on a stream connection,
//! an `SCM_CREDENTIALS` control message on a datagram (unix(7)). Engines, services
//! and logs pass a [`Peer`] around and render it only at the edge, so no code has to
//! parse a label back into numbers.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde_json::{Value, json};
use socket2::{SockAddr, Socket};

/// Credentials of the process at the other end of a Unix socket: `SO_PEERCRED` on a
/// stream connection, `SCM_CREDENTIALS` on a datagram (unix(7)), vouched for by the
/// kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeerCred {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
}

impl fmt::Display for PeerCred {
    /// `pid 42 uid 0 gid 0`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {} uid {} gid {}", self.pid, self.uid, self.gid)
    }
}

impl PeerCred {
    /// The credentials as JSON fields for events.
    pub fn json(&self) -> Value {
        json!({"pid": self.pid, "uid": self.uid, "gid": self.gid})
    }
}

/// `getsockopt(SO_PEERCRED)` (unix(7)); `None` for non-Unix or unconnected sockets.
pub fn peer_cred(sock: &Socket) -> Option<PeerCred> {
    if !sock.local_addr().is_ok_and(|a| a.is_unix()) {
        return None;
    }
    let c = nix::sys::socket::getsockopt(sock, nix::sys::socket::sockopt::PeerCredentials).ok()?;
    Some(PeerCred {
        pid: c.pid(),
        uid: c.uid(),
        gid: c.gid(),
    })
}

/// Render any socket address: `1.2.3.4:5`, `[::1]:5`, a path, `@abstract`, `unnamed`.
pub fn sockaddr_label(addr: &SockAddr) -> String {
    Peer::from_sockaddr(addr, None).to_string()
}

/// The name of a Unix socket address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UnixName {
    /// A socket file.
    Path(PathBuf),
    /// A name in Linux's abstract namespace (printed `@name`).
    Abstract(Vec<u8>),
    /// Never bound: it can send, but nobody can answer it by address.
    Unnamed,
}

impl fmt::Display for UnixName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnixName::Path(p) => write!(f, "{}", p.display()),
            UnixName::Abstract(n) => write!(f, "@{}", String::from_utf8_lossy(n)),
            UnixName::Unnamed => f.write_str("unnamed"),
        }
    }
}

/// The other end of a connection or the sender of a datagram.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Peer {
    /// An IPv4 or IPv6 address and port.
    Inet(SocketAddr),
    /// A Unix socket address, with the sender's credentials when the kernel gave them.
    Unix {
        name: UnixName,
        cred: Option<PeerCred>,
    },
}

impl Peer {
    /// From a socket address as `accept(2)`/`recvfrom(2)` return it.
    pub fn from_sockaddr(addr: &SockAddr, cred: Option<PeerCred>) -> Peer {
        if let Some(inet) = addr.as_socket() {
            return Peer::Inet(inet);
        }
        let name = if let Some(path) = addr.as_pathname() {
            UnixName::Path(path.to_path_buf())
        } else if let Some(n) = addr.as_abstract_namespace() {
            UnixName::Abstract(n.to_vec())
        } else {
            UnixName::Unnamed
        };
        Peer::Unix { name, cred }
    }

    /// The peer of a connection `accept(2)` returned: its address, and for a Unix
    /// connection (whose client is usually unnamed) the kernel's `SO_PEERCRED`, so an
    /// engine logs who connected without knowing Unix sockets.
    pub fn accepted(sock: &Socket, addr: &SockAddr) -> Peer {
        let cred = if addr.is_unix() {
            peer_cred(sock)
        } else {
            None
        };
        Peer::from_sockaddr(addr, cred)
    }

    /// The IP address and port, for an Internet peer.
    pub fn inet(&self) -> Option<SocketAddr> {
        match self {
            Peer::Inet(a) => Some(*a),
            Peer::Unix { .. } => None,
        }
    }

    /// The peer's process credentials, for a Unix peer that has them.
    pub fn cred(&self) -> Option<PeerCred> {
        match self {
            Peer::Unix { cred, .. } => *cred,
            Peer::Inet(_) => None,
        }
    }

    /// JSON fields for events: `{"peer": "<label>"}`, plus `pid`, `uid` and `gid`
    /// when the kernel told us who the peer is.
    pub fn json_fields(&self) -> Value {
        let mut fields = json!({ "peer": self.to_string() });
        if let Some(c) = self.cred() {
            fields["pid"] = c.pid.into();
            fields["uid"] = c.uid.into();
            fields["gid"] = c.gid.into();
        }
        fields
    }
}

impl From<SocketAddr> for Peer {
    fn from(a: SocketAddr) -> Peer {
        Peer::Inet(a)
    }
}

impl fmt::Display for Peer {
    /// `127.0.0.1:5000`, `[::1]:5000`; a Unix peer with credentials as
    /// `pid P uid U gid G` (its name is usually `unnamed`, which says nothing),
    /// otherwise its path, `@name` or `unnamed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Inet(a) => f.write_str(&super::addr::display(a)),
            Peer::Unix {
                cred: Some(c),
                name: UnixName::Unnamed,
            } => write!(f, "{c}"),
            Peer::Unix {
                cred: Some(c),
                name,
            } => write!(f, "{name} ({c})"),
            Peer::Unix { name, cred: None } => write!(f, "{name}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let v4: Peer = "127.0.0.1:5000".parse::<SocketAddr>().unwrap().into();
        assert_eq!(v4.to_string(), "127.0.0.1:5000");
        let v6: Peer = "[::1]:7".parse::<SocketAddr>().unwrap().into();
        assert_eq!(v6.to_string(), "[::1]:7");
        let cred = PeerCred {
            pid: 42,
            uid: 1000,
            gid: 100,
        };
        let anon = Peer::Unix {
            name: UnixName::Unnamed,
            cred: Some(cred),
        };
        assert_eq!(anon.to_string(), "pid 42 uid 1000 gid 100");
        let named = Peer::Unix {
            name: UnixName::Path("/tmp/c.sock".into()),
            cred: Some(cred),
        };
        assert_eq!(named.to_string(), "/tmp/c.sock (pid 42 uid 1000 gid 100)");
        let abs = Peer::Unix {
            name: UnixName::Abstract(b"x".to_vec()),
            cred: None,
        };
        assert_eq!(abs.to_string(), "@x");
    }

    #[test]
    fn json_carries_credentials() {
        let p = Peer::Unix {
            name: UnixName::Unnamed,
            cred: Some(PeerCred {
                pid: 1,
                uid: 2,
                gid: 3,
            }),
        };
        let v = p.json_fields();
        assert_eq!(
            (v["pid"].as_i64(), v["uid"].as_i64(), v["gid"].as_i64()),
            (Some(1), Some(2), Some(3))
        );
        let inet: Peer = "10.0.0.1:1".parse::<SocketAddr>().unwrap().into();
        assert_eq!(inet.json_fields(), json!({"peer": "10.0.0.1:1"}));
    }

    #[test]
    fn labels_for_unix_addresses() {
        let a = SockAddr::unix("/tmp/x.sock").unwrap();
        assert_eq!(sockaddr_label(&a), "/tmp/x.sock");
    }

    #[test]
    fn from_sockaddr_reads_every_kind() {
        let a = SockAddr::from("127.0.0.1:9".parse::<SocketAddr>().unwrap());
        assert_eq!(
            Peer::from_sockaddr(&a, None).inet(),
            Some("127.0.0.1:9".parse().unwrap())
        );
        let p = SockAddr::unix("/tmp/x.sock").unwrap();
        assert_eq!(
            Peer::from_sockaddr(&p, None),
            Peer::Unix {
                name: UnixName::Path("/tmp/x.sock".into()),
                cred: None
            }
        );
    }
}

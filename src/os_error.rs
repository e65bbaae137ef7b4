//! OS errors in words: what the kernel said (strerror(3) without `(os error N)`) and,
//! where one cause is common, what to do about it.
//!
//! This is the one place that maps an errno to a hint. A hint depends on the errno,
//! on the operation that failed (a bind's `EACCES` is a privileged port, a connect's is
//! a firewall) and on the address involved (a link-local IPv6 address without its
//! `%IFACE`, a multicast group without a route), so callers say all three:
//! `explain(Op::Connect, Target::Inet(addr), &err)`; [`describe`] is the same without
//! an operation (only the hints that need none). [`crate::error::render`] uses it for
//! every I/O error that reaches the top unworded.

use std::io;
use std::net::{IpAddr, SocketAddr};

use nix::errno::Errno;

/// The call that failed; it decides what an errno most likely means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `bind(2)` (and `listen(2)` right after it).
    Bind,
    /// `connect(2)` of a stream socket, or of a datagram socket (which sends nothing).
    Connect,
    /// `sendto(2)`/`sendmmsg(2)` of a datagram, or a reply read after one (ICMP errors).
    Send,
    /// `IP_ADD_MEMBERSHIP` and friends: joining a multicast group.
    Join,
    /// Anything else (socket(2), setsockopt(2), open(2), …).
    Other,
}

/// The address the failed call was about.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    Inet(SocketAddr),
    /// A Unix socket path or `@abstract` name, as the user wrote it.
    Unix(&'a str),
    None,
}

/// strerror(3) of the error, first letter in lower case, without `(os error N)`
/// (`connection refused`), and the hint that needs no context (`EMFILE`: raise
/// `ulimit -n`). Errors that are not OS errors keep their own text.
pub fn describe(err: &io::Error) -> String {
    explain(Op::Other, Target::None, err)
}

fn strerror(err: &io::Error) -> String {
    match err.raw_os_error() {
        Some(n) => lower_first(Errno::from_raw(n).desc()),
        None => match err.get_ref() {
            // An error we wrapped ourselves: its text is already ours.
            Some(inner) => inner.to_string(),
            // Made from a kind alone: std's words for the kind ("connection refused").
            None => err.kind().to_string(),
        },
    }
}

/// [`describe`] plus the hint for this operation and target, if there is one:
/// `connection refused; nothing listens on 127.0.0.1:9`.
pub fn explain(op: Op, target: Target<'_>, err: &io::Error) -> String {
    let text = strerror(err);
    match err
        .raw_os_error()
        .and_then(|n| hint(Errno::from_raw(n), op, target))
    {
        Some(h) => format!("{text}; {h}"),
        None => text,
    }
}

/// An error for `what` (`connect to 127.0.0.1:9`) worded by [`explain`]. The I/O error
/// stays reachable as the source, so callers can still ask for its kind.
pub fn error(what: impl Into<String>, op: Op, target: Target<'_>, err: io::Error) -> anyhow::Error {
    anyhow::Error::new(OsError {
        what: what.into(),
        why: explain(op, target, &err),
        source: err,
        bind: None,
    })
}

/// A failed `bind(2)`/`listen(2)` of an IP socket: what was asked, so that a caller
/// higher up (who may look into the socket table, [`crate::stat::holder`]) can say who
/// holds the address when the kernel answered `EADDRINUSE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindSite {
    pub addr: SocketAddr,
    /// A TCP socket (else UDP).
    pub tcp: bool,
    /// Whether `SO_REUSEADDR` was set: without it a TIME-WAIT socket holds the port.
    pub reuse_addr: bool,
}

/// [`error`] for a bind or listen of an IP socket, remembering its [`BindSite`].
pub fn bind_error(what: impl Into<String>, site: BindSite, err: io::Error) -> anyhow::Error {
    anyhow::Error::new(OsError {
        what: what.into(),
        why: explain(Op::Bind, Target::Inet(site.addr), &err),
        source: err,
        bind: Some(site),
    })
}

/// An error for `what` with words of the caller's own (`timed out after 2s`), keeping
/// `err` as its source like [`error`].
pub fn worded(what: impl Into<String>, why: impl Into<String>, err: io::Error) -> anyhow::Error {
    anyhow::Error::new(OsError {
        what: what.into(),
        why: why.into(),
        source: err,
        bind: None,
    })
}

/// An I/O error already worded with its operation and hint; see [`error`].
#[derive(Debug)]
pub struct OsError {
    what: String,
    why: String,
    source: io::Error,
    bind: Option<BindSite>,
}

impl OsError {
    /// The underlying error, for callers that branch on its kind or errno.
    pub fn io(&self) -> &io::Error {
        &self.source
    }

    /// The bind that failed, when this is a failed bind of an IP socket.
    pub fn bind_site(&self) -> Option<BindSite> {
        self.bind
    }

    /// Say it in other words (a diagnosis that knows more than the errno), keeping
    /// the source.
    pub fn reword(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.what = what.into();
        self.why = why.into();
    }
}

impl std::fmt::Display for OsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.what.is_empty() {
            write!(f, "{}", self.why)
        } else {
            write!(f, "{}: {}", self.what, self.why)
        }
    }
}

impl std::error::Error for OsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), s.chars().nth(1)) {
        // Keep acronyms ("RPC struct is bad") as they are.
        (Some(c), Some(d)) if !d.is_uppercase() => c.to_lowercase().chain(chars).collect(),
        _ => s.to_string(),
    }
}

/// An IPv6 link-local (fe80::/10) address without a scope id: the kernel cannot tell
/// which link is meant.
fn unscoped_link_local(addr: &SocketAddr) -> bool {
    match addr {
        SocketAddr::V6(v6) => (v6.ip().segments()[0] & 0xffc0) == 0xfe80 && v6.scope_id() == 0,
        SocketAddr::V4(_) => false,
    }
}

/// The hint for `errno` from `op` on `target`, when a common cause has a known fix.
pub fn hint(errno: Errno, op: Op, target: Target<'_>) -> Option<String> {
    use Errno::*;
    let inet = match target {
        Target::Inet(a) => Some(a),
        _ => None,
    };
    let unix = match target {
        Target::Unix(p) => Some(p),
        _ => None,
    };
    let link_local = inet.filter(unscoped_link_local);
    if let (Some(a), EINVAL | ENETUNREACH | EADDRNOTAVAIL | ENODEV) = (link_local, errno) {
        return Some(format!(
            "{} is link-local: add the interface, as in [{}%IFACE]:{}",
            a.ip(),
            a.ip(),
            a.port()
        ));
    }
    let h = match (errno, op) {
        (EADDRINUSE, Op::Join) => "this socket already joined that group".to_string(),
        (EADDRINUSE, _) => match (unix, inet) {
            (Some(p), _) => format!("{p} is in use by a running server"),
            (_, Some(a)) => format!(
                "another socket holds port {p} (`nettool stat -ap --sport {p}` shows which, TIME-WAIT included)",
                p = a.port()
            ),
            _ => return None,
        },
        (EACCES, Op::Bind) => match (unix, inet) {
            (Some(p), _) => format!("no write permission in the directory of {p}"),
            (_, Some(a)) if a.port() != 0 && a.port() < 1024 => {
                "ports below 1024 need root or CAP_NET_BIND_SERVICE; pick one of 1024 or above"
                    .to_string()
            }
            _ => return None,
        },
        (EACCES, Op::Send | Op::Connect) if inet.is_some_and(|a| is_broadcast(&a.ip())) => {
            "it is a broadcast address and SO_BROADCAST is off (use `nettool broadcast send`)"
                .to_string()
        }
        (EACCES, _) if unix.is_some() => {
            "no permission on the socket file (see its mode and owner with ls -l)".to_string()
        }
        (EACCES | EPERM, Op::Send | Op::Connect) => {
            "a firewall rule (nftables/iptables) or a `prohibit` route refused it".to_string()
        }
        (EADDRNOTAVAIL, Op::Bind) => match inet {
            Some(a) => format!(
                "{} is not an address of this host (`ip -br addr` lists them)",
                a.ip()
            ),
            None => return None,
        },
        (EADDRNOTAVAIL, Op::Connect) => {
            "no free local port (see net.ipv4.ip_local_port_range)".to_string()
        }
        (ECONNREFUSED, _) => match (unix, inet, op) {
            (Some(p), _, _) => format!(
                "{p} exists but no server accepts on it (a stale socket file; start the server)"
            ),
            (_, Some(a), Op::Send) => format!(
                "ICMP port unreachable: nothing listens on UDP port {}",
                a.port()
            ),
            (_, Some(a), _) => format!("nothing listens on {a} (is the server running?)"),
            _ => return None,
        },
        (ENOENT, _) => match unix {
            Some(p) if op == Op::Bind => format!("the directory of {p} does not exist"),
            Some(p) => format!("no socket at {p} (is the server running, on that path?)"),
            None => return None,
        },
        (ENETUNREACH, _) | (ENODEV, Op::Join) => match inet {
            Some(a) if a.ip().is_multicast() => multicast_route_hint(&a.ip()),
            Some(a) => format!(
                "no route to {} (`ip route get {}` shows why)",
                a.ip(),
                a.ip()
            ),
            None => return None,
        },
        (EHOSTUNREACH, _) => match inet {
            Some(a) => format!(
                "an `unreachable` route, no answer to ARP/neighbour discovery on the link, or \
                 an ICMP host unreachable from a router or firewall (`ip route get {}`)",
                a.ip()
            ),
            None => return None,
        },
        (ETIMEDOUT, Op::Connect) => {
            "no answer: the host is down or a firewall drops the packets".to_string()
        }
        (EMFILE, _) => {
            "this process is out of file descriptors: raise the limit (ulimit -n)".to_string()
        }
        (ENFILE, _) => "the system-wide file table is full (fs.file-max)".to_string(),
        (EPROTOTYPE, _) if unix.is_some() => {
            "the socket there is of the other type (add or drop --dgram)".to_string()
        }
        (EMSGSIZE, Op::Send) => {
            "the datagram is larger than the path allows (send less, or let IP fragment)"
                .to_string()
        }
        _ => return None,
    };
    Some(h)
}

fn is_broadcast(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_broadcast() || v4.octets()[3] == 255,
        IpAddr::V6(_) => false,
    }
}

fn multicast_route_hint(group: &IpAddr) -> String {
    let net = if group.is_ipv4() {
        "224.0.0.0/4"
    } else {
        "ff00::/8"
    };
    format!("no route for multicast: give -i IFACE, or add a route (ip route add {net} dev IFACE)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inet(s: &str) -> Target<'static> {
        Target::Inet(s.parse().unwrap())
    }

    fn h(errno: Errno, op: Op, t: Target<'_>) -> String {
        hint(errno, op, t).unwrap_or_else(|| panic!("no hint for {errno:?} {op:?}"))
    }

    #[test]
    fn describe_drops_the_errno_number() {
        let e = io::Error::from_raw_os_error(libc::ECONNREFUSED);
        assert_eq!(describe(&e), "connection refused");
        assert_eq!(
            describe(&io::Error::from_raw_os_error(libc::EADDRINUSE)),
            "address already in use"
        );
        assert_eq!(describe(&io::Error::other("our words")), "our words");
        assert_eq!(
            describe(&io::Error::from(io::ErrorKind::ConnectionReset)),
            "connection reset"
        );
        for n in 1..134 {
            let text = describe(&io::Error::from_raw_os_error(n));
            assert!(!text.contains("os error"), "{n}: {text}");
        }
    }

    #[test]
    fn link_local_without_scope_asks_for_the_interface() {
        for errno in [Errno::EINVAL, Errno::ENETUNREACH] {
            let t = h(errno, Op::Connect, inet("[fe80::1]:80"));
            assert_eq!(
                t,
                "fe80::1 is link-local: add the interface, as in [fe80::1%IFACE]:80"
            );
        }
        let scoped = SocketAddr::V6(std::net::SocketAddrV6::new(
            "fe80::1".parse().unwrap(),
            80,
            0,
            1,
        ));
        assert!(hint(Errno::EINVAL, Op::Connect, Target::Inet(scoped)).is_none());
    }

    #[test]
    fn multicast_without_route_asks_for_an_interface_or_route() {
        let t = h(Errno::ENETUNREACH, Op::Send, inet("239.1.2.3:5000"));
        assert!(t.contains("-i IFACE") && t.contains("224.0.0.0/4"), "{t}");
        let t = h(Errno::ENETUNREACH, Op::Send, inet("[ff0e::1]:5000"));
        assert!(t.contains("ff00::/8"), "{t}");
        let t = h(Errno::ENODEV, Op::Join, inet("239.1.2.3:5000"));
        assert!(t.contains("-i IFACE"), "{t}");
    }

    #[test]
    fn bind_hints() {
        let t = h(Errno::EADDRINUSE, Op::Bind, inet("127.0.0.1:8080"));
        assert!(t.contains("nettool stat -ap --sport 8080"), "{t}");
        let t = h(Errno::EACCES, Op::Bind, inet("127.0.0.1:80"));
        assert!(
            t.contains("below 1024") && t.contains("CAP_NET_BIND_SERVICE"),
            "{t}"
        );
        assert!(hint(Errno::EACCES, Op::Bind, inet("127.0.0.1:8080")).is_none());
        let t = h(Errno::EADDRNOTAVAIL, Op::Bind, inet("192.0.2.1:80"));
        assert_eq!(
            t,
            "192.0.2.1 is not an address of this host (`ip -br addr` lists them)"
        );
        let t = h(Errno::EADDRINUSE, Op::Bind, Target::Unix("/run/x.sock"));
        assert_eq!(t, "/run/x.sock is in use by a running server");
        let t = h(Errno::ENOENT, Op::Bind, Target::Unix("/nope/x.sock"));
        assert!(t.contains("directory"), "{t}");
    }

    #[test]
    fn connect_hints() {
        let t = h(Errno::ECONNREFUSED, Op::Connect, inet("127.0.0.1:9"));
        assert_eq!(t, "nothing listens on 127.0.0.1:9 (is the server running?)");
        let t = h(Errno::ECONNREFUSED, Op::Send, inet("127.0.0.1:9"));
        assert!(
            t.contains("ICMP port unreachable") && t.contains("UDP port 9"),
            "{t}"
        );
        let t = h(Errno::EHOSTUNREACH, Op::Connect, inet("192.0.2.9:80"));
        assert!(
            t.contains("ARP") && t.contains("ip route get 192.0.2.9"),
            "{t}"
        );
        let t = h(Errno::ENETUNREACH, Op::Connect, inet("192.0.2.9:80"));
        assert!(t.contains("ip route get 192.0.2.9"), "{t}");
        let t = h(Errno::EACCES, Op::Connect, inet("127.0.0.255:9"));
        assert!(t.contains("SO_BROADCAST"), "{t}");
        let t = h(Errno::EPERM, Op::Send, inet("127.0.0.1:9"));
        assert!(t.contains("firewall"), "{t}");
    }

    #[test]
    fn unix_socket_hints() {
        let t = h(Errno::ENOENT, Op::Connect, Target::Unix("/tmp/x.sock"));
        assert!(t.starts_with("no socket at /tmp/x.sock"), "{t}");
        let t = h(
            Errno::ECONNREFUSED,
            Op::Connect,
            Target::Unix("/tmp/x.sock"),
        );
        assert!(t.contains("stale"), "{t}");
        let t = h(Errno::EPROTOTYPE, Op::Connect, Target::Unix("/tmp/x.sock"));
        assert!(t.contains("--dgram"), "{t}");
    }

    #[test]
    fn descriptor_exhaustion_hint_needs_no_target() {
        let t = h(Errno::EMFILE, Op::Other, Target::None);
        assert!(t.contains("ulimit -n"), "{t}");
    }

    /// `{e}` of an `io::Error` prints `(os error N)`, and `{e:#}` of an `anyhow::Error`
    /// prints it for the I/O error at the end of the chain. So no line of the crate
    /// (outside its tests) formats an error variable by itself: errors are shown through
    /// [`describe`], [`explain`] or [`crate::error::render`], and an error that cannot
    /// carry an errno (a parse error) goes by a name of its own (`bad`, `why`).
    #[test]
    fn no_source_line_formats_a_bare_error() {
        const NAMES: [&str; 3] = ["e", "err", "error"];
        let mut leaks = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap();
                for (i, line) in code.lines().enumerate() {
                    if line.trim_start().starts_with("//") {
                        continue;
                    }
                    for n in NAMES {
                        let formatted = ["", ":#", ":?", ":#?"]
                            .iter()
                            .any(|spec| line.contains(&format!("{{{n}{spec}}}")));
                        let to_string =
                            line.match_indices(&format!("{n}.to_string()"))
                                .any(|(at, _)| {
                                    !line[..at].chars().next_back().is_some_and(|c| {
                                        c.is_alphanumeric() || c == '_' || c == '.'
                                    })
                                });
                        if formatted || to_string {
                            leaks.push(format!("{}:{}: {}", path.display(), i + 1, line.trim()));
                        }
                    }
                }
            }
        }
        assert!(
            leaks.is_empty(),
            "errors formatted bare (would print `(os error N)`):\n{}",
            leaks.join("\n")
        );
    }

    #[test]
    fn explained_errors_keep_their_source() {
        let e = error(
            "connect to 127.0.0.1:9",
            Op::Connect,
            inet("127.0.0.1:9"),
            io::Error::from_raw_os_error(libc::ECONNREFUSED),
        );
        assert_eq!(
            e.to_string(),
            "connect to 127.0.0.1:9: connection refused; nothing listens on 127.0.0.1:9 (is the server running?)"
        );
        let io = e
            .chain()
            .find_map(|c| c.downcast_ref::<io::Error>())
            .unwrap();
        assert_eq!(io.kind(), io::ErrorKind::ConnectionRefused);
    }
}

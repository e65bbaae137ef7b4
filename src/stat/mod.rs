//! Socket states at a glance: what `ss` shows, gathered the way `ss` gathers it.
//!
//! The kernel keeps a table of every socket; two windows look into it. The modern one is
//! netlink `sock_diag` ([`netlink`]): one request per protocol and family, answered by a
//! stream of binary records (state, queues, addresses, timer, uid, inode, `tcp_info`).
//! The old one is the text files under `/proc/net` ([`proc`]), which `netstat` reads.
//! Both produce the same [`Socket`] rows; [`proc`] also maps socket inodes to the
//! processes holding them (`-p`) by reading `/proc/PID/fd`. [`view`] renders rows as a
//! table or JSON (addresses via [`names`]), [`watch`] diffs successive snapshots,
//! [`groups`] lists the multicast group memberships (`-g`) that [`crate::net::igmp`]
//! reads, [`sockstat`] reads the kernel's totals for `-s`, [`holder`] says who holds an
//! address a bind was refused, [`internals`] decodes what
//! the kernel keeps inside a socket (`tcp_info`, `skmem`).

pub mod groups;
pub mod holder;
pub mod internals;
pub mod names;
pub mod netlink;
pub mod packets;
pub mod proc;
pub mod report;
pub mod sockstat;
pub mod state;
pub mod summary;
pub mod view;
pub mod watch;

use std::net::SocketAddr;
use std::time::Duration;

use serde::Serialize;

pub use internals::{SkMem, TcpInfo};
pub use state::{State, StateSet};

use crate::net::Family;

/// The kind of socket, as `ss` names it in its Netid column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Proto {
    Tcp,
    Udp,
    /// `SOCK_STREAM` Unix socket.
    UnixStream,
    /// `SOCK_DGRAM` Unix socket.
    UnixDgram,
    /// `SOCK_SEQPACKET` Unix socket.
    UnixSeqpacket,
}

impl Proto {
    pub fn netid(self) -> &'static str {
        match self {
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::UnixStream => "u_str",
            Proto::UnixDgram => "u_dgr",
            Proto::UnixSeqpacket => "u_seq",
        }
    }

    pub fn is_unix(self) -> bool {
        !matches!(self, Proto::Tcp | Proto::Udp)
    }

    /// The Unix protocol for a `SOCK_*` type number.
    pub fn unix_from_type(ty: u32) -> Option<Proto> {
        match ty as i32 {
            libc::SOCK_STREAM => Some(Proto::UnixStream),
            libc::SOCK_DGRAM => Some(Proto::UnixDgram),
            libc::SOCK_SEQPACKET => Some(Proto::UnixSeqpacket),
            _ => None,
        }
    }
}

/// One end of a socket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// An IP address and port; `scope` is the interface the socket is bound to
    /// (`SO_BINDTODEVICE`, printed as `addr%dev`), 0 when none.
    Inet { addr: SocketAddr, scope: u32 },
    /// A Unix socket: its bound name (path, `@abstract`, or none) and inode. For the peer
    /// end, `inode` is the peer socket's inode (0 when not connected).
    Unix { name: Option<String>, inode: u64 },
}

/// The kernel timer running on a TCP socket (`-o`), as in `ss -o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Timer {
    /// `on` (retransmit), `keepalive`, `timewait` or `persist` (zero-window probe).
    pub kind: &'static str,
    /// Time until it fires.
    #[serde(serialize_with = "ser_millis")]
    pub expires: Duration,
    /// Retransmissions (or probes) so far.
    pub retrans: u8,
}

fn ser_millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

/// A process holding a socket open (`-p`): `users:(("name",pid=N,fd=M))` in ss.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcRef {
    pub name: String,
    pub pid: i32,
    pub fd: i32,
}

/// One socket, from either source.
#[derive(Debug, Clone, PartialEq)]
pub struct Socket {
    pub proto: Proto,
    /// Address family of the socket itself (a v4-mapped peer still lives on an AF_INET6 socket).
    pub v6: bool,
    /// An AF_INET6 socket that refuses IPv4 (`IPV6_V6ONLY`, ipv6(7)). A dual-stack
    /// wildcard prints as `*`, a v6-only one as `[::]`, as in ss.
    pub v6only: bool,
    pub state: State,
    pub recv_q: u32,
    pub send_q: u32,
    pub local: Endpoint,
    pub peer: Endpoint,
    pub uid: u32,
    pub inode: u64,
    pub timer: Option<Timer>,
    pub tcp_info: Option<TcpInfo>,
    /// Socket memory (`-m`), netlink only.
    pub skmem: Option<SkMem>,
    pub processes: Vec<ProcRef>,
}

impl Socket {
    pub fn local_port(&self) -> Option<u16> {
        match &self.local {
            Endpoint::Inet { addr, .. } => Some(addr.port()),
            Endpoint::Unix { .. } => None,
        }
    }

    pub fn peer_port(&self) -> Option<u16> {
        match &self.peer {
            Endpoint::Inet { addr, .. } => Some(addr.port()),
            Endpoint::Unix { .. } => None,
        }
    }
}

#[cfg(test)]
impl Socket {
    /// A TCP socket between two `ip:port` texts, nothing else set: the rows unit tests
    /// build tables and diagnoses from.
    pub fn tcp_for_test(state: State, local: &str, peer: &str) -> Socket {
        let end = |a: &str| Endpoint::Inet {
            addr: a.parse().unwrap(),
            scope: 0,
        };
        Socket {
            proto: Proto::Tcp,
            v6: local.starts_with('['),
            v6only: false,
            state,
            recv_q: 0,
            send_q: 0,
            local: end(local),
            peer: end(peer),
            uid: 0,
            inode: 0,
            timer: None,
            tcp_info: None,
            skmem: None,
            processes: Vec::new(),
        }
    }
}

/// Where the rows come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// netlink sock_diag, falling back to /proc when netlink is refused.
    #[default]
    Auto,
    /// Only /proc/net (what `netstat` reads).
    Proc,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub tcp: bool,
    pub udp: bool,
    pub unix: bool,
    pub family: Family,
    pub states: StateSet,
    pub sport: Option<u16>,
    pub dport: Option<u16>,
    /// Map sockets to processes (`-p`).
    pub processes: bool,
    /// Ask the kernel for `tcp_info` and the congestion algorithm (`-i`).
    pub tcp_info: bool,
    /// Ask the kernel for socket memory, `skmem` (`-m`).
    pub memory: bool,
    /// Only sockets held by this process (`--pid`, `--self`).
    pub pid: Option<i32>,
    pub source: Source,
    /// A look at the table on the side of another command (why a bind failed,
    /// [`holder`]): the dump is then a setup call that `--dry-run` makes too, since
    /// listing sockets is not what that command was asked to do.
    pub aside: bool,
}

/// Gather the sockets the query asks for, filtered and sorted as a table shows them.
pub fn collect(q: &Query) -> anyhow::Result<Vec<Socket>> {
    log::debug!(
        "stat: reading sockets from {}",
        match q.source {
            Source::Proc => "/proc/net (--proc or NETTOOL_STAT_PROC)",
            Source::Auto => "netlink sock_diag",
        }
    );
    let mut rows = match q.source {
        Source::Proc => from_proc(q)?,
        Source::Auto => match netlink::sockets(q) {
            Ok(rows) => rows,
            Err(e) if netlink::unavailable(&e) => {
                log::info!(
                    "netlink sock_diag unavailable ({}); reading /proc/net",
                    crate::os_error::describe(&e)
                );
                from_proc(q)?
            }
            Err(e) => return Err(anyhow::Error::new(e).context("netlink sock_diag")),
        },
    };
    rows.retain(|s| {
        q.states.contains(s.state)
            && q.sport.is_none_or(|p| s.local_port() == Some(p))
            && q.dport.is_none_or(|p| s.peer_port() == Some(p))
    });
    if let Some(pid) = q.pid {
        let mine = proc::inodes_of(pid)?;
        rows.retain(|s| s.inode != 0 && mine.contains(&s.inode));
    }
    if q.processes {
        let owners = proc::owners(q.pid)?;
        for s in &mut rows {
            if let Some(list) = owners.get(&s.inode) {
                s.processes = list.clone();
            }
        }
    }
    Ok(rows)
}

/// The /proc/net rows, saying once (a watch reads many times) what they cannot carry
/// that the query asked for: only sock_diag has socket memory and `tcp_info`.
fn from_proc(q: &Query) -> anyhow::Result<Vec<Socket>> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let mut missing = Vec::new();
    if q.memory {
        missing.push("socket memory (-m: skmem)");
    }
    if q.tcp_info {
        missing.push("TCP internals (-i: tcp_info)");
    }
    if !missing.is_empty() {
        SAID.call_once(|| {
            log::warn!(
                "/proc/net has no {}: only netlink sock_diag reports it; the rows show \
                 the queues (Recv-Q, Send-Q) alone",
                missing.join(" or ")
            );
        });
    }
    proc::sockets(q)
}

//! The kernel's word on the sockets behind the segments: one sock_diag dump of the TCP
//! table ([`crate::stat::netlink`], what `ss -ta` reads) gives each connection's state
//! as the kernel holds it, and the listeners. Which addresses are this host's comes
//! from the interface list (`net::iface`): only local ends are sockets the kernel can be
//! asked about.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};

use super::flow::norm;
use crate::net::Family;
use crate::net::bpf::unmap;
use crate::stat::{Endpoint, Query, State, StateSet, netlink};

/// One look at the TCP socket table.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// (local, peer) → state and inode.
    sockets: HashMap<(SocketAddr, SocketAddr), (State, u64)>,
    listeners: Vec<SocketAddr>,
}

impl Snapshot {
    /// Dump every TCP socket of `family` (all states, listeners and TIME-WAIT included).
    pub fn take(family: Family) -> std::io::Result<Snapshot> {
        let q = Query {
            tcp: true,
            family,
            states: StateSet::all(),
            ..Query::default()
        };
        let rows = netlink::sockets(&q)?;
        let mut snap = Snapshot::default();
        for s in rows {
            let (Endpoint::Inet { addr: local, .. }, Endpoint::Inet { addr: peer, .. }) =
                (&s.local, &s.peer)
            else {
                continue;
            };
            if s.state == State::Listen {
                snap.listeners.push(norm(*local));
            } else {
                snap.sockets
                    .insert((norm(*local), norm(*peer)), (s.state, s.inode));
            }
        }
        Ok(snap)
    }

    /// The state of the socket at `local` connected to `peer`, and its inode (0 for a
    /// TIME-WAIT or SYN-RECV mini-socket).
    pub fn socket(&self, local: SocketAddr, peer: SocketAddr) -> Option<(State, u64)> {
        self.sockets.get(&(norm(local), norm(peer))).copied()
    }

    /// Whether something listens where `addr` would be accepted (its port, on its
    /// address or the wildcard).
    pub fn listening(&self, addr: SocketAddr) -> bool {
        let addr = norm(addr);
        self.listeners
            .iter()
            .any(|l| l.port() == addr.port() && (l.ip().is_unspecified() || l.ip() == addr.ip()))
    }

    #[cfg(test)]
    pub fn with(sockets: &[(&str, &str, State)], listeners: &[&str]) -> Snapshot {
        Snapshot {
            sockets: sockets
                .iter()
                .map(|(l, p, s)| ((l.parse().unwrap(), p.parse().unwrap()), (*s, 1)))
                .collect(),
            listeners: listeners.iter().map(|l| l.parse().unwrap()).collect(),
        }
    }
}

/// This host's addresses: an end with one of them is a socket here.
#[derive(Debug, Clone, Default)]
pub struct LocalAddrs {
    ips: HashSet<IpAddr>,
}

impl LocalAddrs {
    pub fn read() -> LocalAddrs {
        let ips = crate::net::iface::local_addrs().into_iter().collect();
        LocalAddrs { ips }
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = unmap(ip);
        ip.is_loopback() || self.ips.contains(&ip)
    }
}

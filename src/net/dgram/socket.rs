//! Datagram sockets and their options: the unicast, broadcast and multicast set-up
//! that `udp`, `broadcast` and `multicast` share.
//!
//! * Unicast needs nothing but `socket(AF_INET, SOCK_DGRAM, 0)` and `bind(2)`.
//! * Broadcast needs `SO_BROADCAST` on the sender (socket(7)), or `sendto(2)` of a
//!   broadcast address fails with `EACCES`; receivers bind the wildcard address, since
//!   a broadcast datagram is addressed to 192.0.2.255 or 255.255.255.255, not to them.
//! * Multicast receivers join a group on an interface (`IP_ADD_MEMBERSHIP` with an
//!   `ip_mreqn`, ip(7); `IPV6_ADD_MEMBERSHIP`, ipv6(7)); senders choose the outgoing
//!   interface (`IP_MULTICAST_IF`), the hop limit (`IP_MULTICAST_TTL`) and whether their
//!   own host hears them (`IP_MULTICAST_LOOP`).
//! * `SO_REUSEADDR` lets several receivers on one host bind the same port; for
//!   broadcast and multicast every one of them gets every datagram. `SO_REUSEPORT`
//!   (optional, `--reuse-port`) shares the port too but puts the sockets in a
//!   load-balancing group: on Linux a multicast datagram may then be handed to a
//!   member whose source filter (SSM) rejects it, while the member that wanted it
//!   gets nothing — so receivers do not set it unless asked.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
use std::os::fd::AsRawFd;

use anyhow::{Context, anyhow};
use socket2::{Domain, InterfaceIndexOrAddress, Protocol, Socket, Type};

use crate::error::UsageError;
use crate::net::iface::Iface;

/// Largest UDP payload over IPv4: 65,535 − 20 (IP header) − 8 (UDP header).
pub const MAX_PAYLOAD_V4: usize = 65_507;
/// Largest UDP payload over IPv6 without jumbograms: 65,535 − 8 (UDP header).
pub const MAX_PAYLOAD_V6: usize = 65_527;

/// Receive buffer asked for by default (`SO_RCVBUF`, socket(7)); the kernel caps it at
/// `net.core.rmem_max`. A deep queue absorbs bursts that would otherwise be dropped.
pub const DEFAULT_RCVBUF: usize = 4 << 20;

/// The largest payload a datagram to `addr` may carry.
pub fn max_payload(addr: &SocketAddr) -> usize {
    if addr.is_ipv4() {
        MAX_PAYLOAD_V4
    } else {
        MAX_PAYLOAD_V6
    }
}

/// Refuse a payload that no UDP datagram of this family can carry.
pub fn check_payload(len: usize, to: &SocketAddr) -> anyhow::Result<()> {
    let max = max_payload(to);
    if len > max {
        let fam = if to.is_ipv4() { "IPv4" } else { "IPv6" };
        anyhow::bail!(
            "a datagram of {len} bytes is too large: UDP over {fam} carries at most {max} bytes"
        );
    }
    Ok(())
}

/// How a datagram socket is prepared before `bind(2)`.
#[derive(Debug, Clone, Default)]
pub struct DgramOpts {
    /// `SO_REUSEADDR`: share the port with other receivers (socket(7)).
    pub reuse_addr: bool,
    /// `SO_REUSEPORT`: the same, and required when the other socket set it too.
    pub reuse_port: bool,
    /// `SO_BROADCAST`: allowed to send to broadcast addresses.
    pub broadcast: bool,
    /// `SO_BINDTODEVICE`: only this interface's traffic (socket(7)).
    pub device: Option<String>,
    /// `SO_RCVBUF` in bytes; `None` keeps the system default.
    pub rcvbuf: Option<usize>,
    /// `IPV6_V6ONLY` for a wildcard IPv6 bind.
    pub v6_only: Option<bool>,
}

/// `socket(AF_INET[6], SOCK_DGRAM, IPPROTO_UDP)` with `opts`, not yet bound.
pub fn udp_socket(v6: bool, opts: &DgramOpts) -> anyhow::Result<Socket> {
    let domain = if v6 { Domain::IPV6 } else { Domain::IPV4 };
    let sock = Socket::new(domain, Type::DGRAM.cloexec(), Some(Protocol::UDP))
        .context("create a UDP socket")?;
    if opts.reuse_addr {
        sock.set_reuse_address(true).context("SO_REUSEADDR")?;
    }
    if opts.reuse_port {
        sock.set_reuse_port(true).context("SO_REUSEPORT")?;
    }
    if opts.broadcast {
        sock.set_broadcast(true).context("SO_BROADCAST")?;
    }
    if let Some(dev) = &opts.device {
        sock.bind_device(Some(dev.as_bytes()))
            .with_context(|| format!("SO_BINDTODEVICE {dev}"))?;
    }
    if let Some(size) = opts.rcvbuf {
        sock.set_recv_buffer_size(size).context("SO_RCVBUF")?;
    }
    if let (true, Some(only)) = (v6, opts.v6_only) {
        sock.set_only_v6(only).context("IPV6_V6ONLY")?;
    }
    // SO_RXQ_OVFL (socket(7)): each datagram carries the count of datagrams the kernel
    // dropped for a full receive queue, so receivers can say "N dropped" instead of
    // leaving loss unexplained. Best effort: old kernels lack it.
    let _ = nix::sys::socket::setsockopt(&sock, nix::sys::socket::sockopt::RxqOvfl, &1);
    Ok(sock)
}

/// A UDP socket bound to `addr` (port 0 picks a free one).
pub fn udp_bind(addr: SocketAddr, opts: &DgramOpts) -> anyhow::Result<Socket> {
    let sock = udp_socket(addr.is_ipv6(), opts)?;
    sock.bind(&addr.into()).map_err(|e| bind_error(&addr, e))?;
    Ok(sock)
}

/// A UDP socket `connect(2)`ed to `to`, bound first to `bind` when given.
///
/// Connecting a UDP socket sends nothing: it fixes the default destination, makes the
/// kernel drop datagrams from anyone else, and lets ICMP errors (port unreachable)
/// come back as `ECONNREFUSED` on the next call — which an unconnected socket never sees.
pub fn udp_connect(
    to: SocketAddr,
    bind: Option<SocketAddr>,
    opts: &DgramOpts,
) -> anyhow::Result<Socket> {
    let sock = match bind {
        Some(b) => udp_bind(b, opts)?,
        None => udp_socket(to.is_ipv6(), opts)?,
    };
    sock.connect(&to.into())
        .map_err(|e| anyhow!("connect UDP socket to {to}: {e}"))?;
    Ok(sock)
}

/// A UDP socket for sending to `to` without connecting (broadcast, multicast), bound to
/// `bind` when given.
pub fn udp_sender(
    to: SocketAddr,
    bind: Option<SocketAddr>,
    opts: &DgramOpts,
) -> anyhow::Result<Socket> {
    match bind {
        Some(b) => udp_bind(b, opts),
        None => udp_socket(to.is_ipv6(), opts),
    }
}

fn bind_error(addr: &SocketAddr, err: std::io::Error) -> anyhow::Error {
    let why = match err.raw_os_error() {
        Some(libc::EADDRINUSE) => "address in use (another socket has that port)".to_string(),
        Some(libc::EADDRNOTAVAIL) => "address not available on this host".to_string(),
        Some(libc::EACCES) => "permission denied (ports below 1024 need privileges)".to_string(),
        _ => err.to_string(),
    };
    anyhow!("bind {addr}: {why}")
}

/// The wildcard address of `addr`'s family with `port`.
pub fn wildcard(v6: bool, port: u16) -> SocketAddr {
    if v6 {
        SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port)
    } else {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port)
    }
}

/// Check that `ip` is a multicast group (224.0.0.0/4 or ff00::/8); a usage error if not.
pub fn require_multicast(ip: IpAddr) -> anyhow::Result<()> {
    if ip.is_multicast() {
        return Ok(());
    }
    Err(UsageError::invalid(format!(
        "{ip} is not a multicast group (IPv4 groups are 224.0.0.0/4, e.g. 239.0.0.1; \
         IPv6 groups start with ff, e.g. ff02::1234)"
    ))
    .into())
}

/// How a multicast sender sends.
#[derive(Debug, Clone)]
pub struct McastSend {
    /// Outgoing interface; `None` lets the routing table choose.
    pub iface: Option<Iface>,
    /// `IP_MULTICAST_TTL` / `IPV6_MULTICAST_HOPS`: 0 stays on this host, 1 (the
    /// default) this link, more crosses that many multicast routers.
    pub ttl: u32,
    /// `IP_MULTICAST_LOOP` / `IPV6_MULTICAST_LOOP`: whether receivers on the sending
    /// host get a copy.
    pub loopback: bool,
}

/// Apply the multicast sender options to `sock` for a group of `v6`'s family.
pub fn set_multicast_send(sock: &Socket, v6: bool, o: &McastSend) -> anyhow::Result<()> {
    if v6 {
        if let Some(i) = &o.iface {
            sock.set_multicast_if_v6(i.index)
                .context("IPV6_MULTICAST_IF")?;
        }
        sock.set_multicast_hops_v6(o.ttl)
            .context("IPV6_MULTICAST_HOPS")?;
        sock.set_multicast_loop_v6(o.loopback)
            .context("IPV6_MULTICAST_LOOP")?;
    } else {
        if let Some(i) = &o.iface {
            set_multicast_if_v4_index(sock, i.index).context("IP_MULTICAST_IF")?;
        }
        sock.set_multicast_ttl_v4(o.ttl)
            .context("IP_MULTICAST_TTL")?;
        sock.set_multicast_loop_v4(o.loopback)
            .context("IP_MULTICAST_LOOP")?;
    }
    Ok(())
}

/// `setsockopt(IPPROTO_IP, IP_MULTICAST_IF, ip_mreqn{ifindex})` (ip(7)): choose the
/// outgoing interface by index. socket2 only offers the older by-address form, which
/// fails for interfaces without an IPv4 address and is ambiguous when two share one.
pub fn set_multicast_if_v4_index(sock: &Socket, ifindex: u32) -> std::io::Result<()> {
    let mreqn = libc::ip_mreqn {
        imr_multiaddr: libc::in_addr { s_addr: 0 },
        imr_address: libc::in_addr { s_addr: 0 },
        imr_ifindex: ifindex as libc::c_int,
    };
    // SAFETY: the pointer and length describe `mreqn`, a fully initialised ip_mreqn that
    // lives across the call; the fd is valid for as long as `sock` is borrowed.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_MULTICAST_IF,
            (&mreqn as *const libc::ip_mreqn).cast(),
            std::mem::size_of::<libc::ip_mreqn>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// A group membership that is left again on drop (`IP_DROP_MEMBERSHIP`,
/// `IP_DROP_SOURCE_MEMBERSHIP`, `IPV6_DROP_MEMBERSHIP`). Closing the socket would leave
/// too; leaving explicitly makes the IGMP/MLD "leave" message prompt and visible.
pub struct Membership<'a> {
    sock: &'a Socket,
    group: IpAddr,
    ifindex: u32,
    source: Option<(Ipv4Addr, Ipv4Addr)>,
}

impl<'a> Membership<'a> {
    /// Join `group` on `iface` (or the interface the routing table picks), optionally
    /// only for datagrams from `source` (source-specific multicast, IPv4).
    pub fn join(
        sock: &'a Socket,
        group: IpAddr,
        iface: Option<&Iface>,
        source: Option<IpAddr>,
    ) -> anyhow::Result<Self> {
        let ifindex = iface.map_or(0, |i| i.index);
        let mut m = Membership {
            sock,
            group,
            ifindex,
            source: None,
        };
        match (group, source) {
            (IpAddr::V4(g), None) => {
                // IP_MULTICAST_ALL off (ip(7)): without it a socket bound to the port
                // gets datagrams of *every* group any socket on the host joined.
                sock.set_multicast_all_v4(false)
                    .context("IP_MULTICAST_ALL")?;
                sock.join_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(ifindex))
                    .map_err(|e| join_error(group, iface, e))?;
            }
            (IpAddr::V4(g), Some(IpAddr::V4(s))) => {
                sock.set_multicast_all_v4(false)
                    .context("IP_MULTICAST_ALL")?;
                // ip_mreq_source names the interface by address, not index.
                let local = match iface {
                    Some(i) => i.ipv4.ok_or_else(|| {
                        anyhow!("interface {} has no IPv4 address to join on", i.name)
                    })?,
                    None => Ipv4Addr::UNSPECIFIED,
                };
                sock.join_ssm_v4(&s, &g, &local)
                    .map_err(|e| join_error(group, iface, e))?;
                m.source = Some((s, local));
            }
            (IpAddr::V6(g), None) => {
                sock.set_multicast_all_v6(false)
                    .context("IPV6_MULTICAST_ALL")?;
                sock.join_multicast_v6(&g, ifindex)
                    .map_err(|e| join_error(group, iface, e))?;
            }
            (IpAddr::V6(_), Some(_)) => {
                return Err(UsageError::invalid(
                    "--source (source-specific multicast) is supported for IPv4 groups only",
                )
                .into());
            }
            (IpAddr::V4(_), Some(IpAddr::V6(_))) => {
                return Err(UsageError::invalid(
                    "--source must be an IPv4 address for an IPv4 group",
                )
                .into());
            }
        }
        Ok(m)
    }
}

fn join_error(group: IpAddr, iface: Option<&Iface>, e: std::io::Error) -> anyhow::Error {
    let on = iface.map_or("the default interface".to_string(), |i| i.name.clone());
    let hint = match e.raw_os_error() {
        Some(libc::ENODEV) => {
            " (no route for the group: add one, e.g. `ip route add 224.0.0.0/4 dev eth0`, or give -i)"
        }
        Some(libc::EADDRINUSE) => " (this socket already joined it)",
        _ => "",
    };
    anyhow!("join {group} on {on}: {e}{hint}")
}

impl Drop for Membership<'_> {
    fn drop(&mut self) {
        let res = match (self.group, self.source) {
            (IpAddr::V4(g), Some((s, local))) => self.sock.leave_ssm_v4(&s, &g, &local),
            (IpAddr::V4(g), None) => self
                .sock
                .leave_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(self.ifindex)),
            (IpAddr::V6(g), _) => self.sock.leave_multicast_v6(&g, self.ifindex),
        };
        if let Err(e) = res {
            log::debug!("leave {}: {e}", self.group);
        }
    }
}

/// Where a multicast receiver binds: the group itself for IPv4 (so the socket sees
/// only that group's datagrams), the wildcard for IPv6 (binding a link-scoped group
/// would need a scope id); `IPV6_MULTICAST_ALL` off does the filtering there.
pub fn multicast_bind_addr(group: SocketAddr) -> SocketAddr {
    match group {
        SocketAddr::V4(_) => group,
        SocketAddr::V6(g) => {
            SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, g.port(), 0, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_limits_per_family() {
        let v4: SocketAddr = "127.0.0.1:9".parse().unwrap();
        let v6: SocketAddr = "[::1]:9".parse().unwrap();
        assert!(check_payload(65_507, &v4).is_ok());
        let err = check_payload(65_508, &v4).unwrap_err().to_string();
        assert!(err.contains("at most 65507"), "{err}");
        assert!(check_payload(65_527, &v6).is_ok());
        assert!(check_payload(65_528, &v6).is_err());
    }

    #[test]
    fn non_multicast_group_is_a_usage_error() {
        let e = require_multicast("192.0.2.1".parse().unwrap()).unwrap_err();
        assert_eq!(crate::error::exit_code(&e), 2);
        assert!(e.to_string().contains("not a multicast group"));
        assert!(require_multicast("239.1.2.3".parse().unwrap()).is_ok());
        assert!(require_multicast("ff02::1234".parse().unwrap()).is_ok());
    }

    #[test]
    fn multicast_if_by_index_is_accepted_for_loopback() {
        let s = udp_socket(false, &DgramOpts::default()).unwrap();
        let lo = Iface::by_name("lo").unwrap();
        set_multicast_if_v4_index(&s, lo.index).unwrap();
        // An index no interface has is refused by the kernel (EADDRNOTAVAIL), so the
        // call really reaches ip_mreqn.imr_ifindex.
        let err = set_multicast_if_v4_index(&s, 999_999).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EADDRNOTAVAIL));
    }

    #[test]
    fn bind_in_use_is_worded() {
        let a = udp_bind("127.0.0.1:0".parse().unwrap(), &DgramOpts::default()).unwrap();
        let addr = a.local_addr().unwrap().as_socket().unwrap();
        let e = udp_bind(addr, &DgramOpts::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("address in use"), "{e}");
    }
}

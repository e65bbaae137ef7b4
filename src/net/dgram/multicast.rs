//! Multicast socket options: joining a group as a receiver, choosing interface, hop
//! limit and loopback as a sender.
//!
//! * Receivers join a group on an interface: `IP_ADD_MEMBERSHIP` with an `ip_mreqn`
//!   naming the interface by index (ip(7)), `IPV6_ADD_MEMBERSHIP` (ipv6(7)); for
//!   source-specific multicast (SSM, RFC 4607) `IP_ADD_SOURCE_MEMBERSHIP` (IPv4) or
//!   `MCAST_JOIN_SOURCE_GROUP` (RFC 3678, used here for IPv6). The kernel then sends
//!   an IGMP/MLD report, and the switch/router starts forwarding the group.
//! * Receivers turn `IP_MULTICAST_ALL` off, or they would also get the datagrams of
//!   groups joined by *other* sockets on the same port.
//! * Senders choose the outgoing interface (`IP_MULTICAST_IF` / `IPV6_MULTICAST_IF`),
//!   the hop limit (`IP_MULTICAST_TTL` / `IPV6_MULTICAST_HOPS`) and whether their own
//!   host hears them (`IP_MULTICAST_LOOP` / `IPV6_MULTICAST_LOOP`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};
use std::os::fd::AsRawFd;

use crate::net::socket::{set_bool_opt, set_int_opt};
use crate::net::trace;
use anyhow::{Context, anyhow};
use socket2::{InterfaceIndexOrAddress, Socket};

use crate::error::UsageError;
use crate::net::iface::{Iface, ifindex_text};

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
            trace::call(
                "setsockopt",
                || {
                    vec![
                        trace::fd(sock),
                        "IPPROTO_IPV6".into(),
                        "IPV6_MULTICAST_IF".into(),
                        format!("{} ({})", i.index, i.name),
                    ]
                },
                || sock.set_multicast_if_v6(i.index),
            )
            .context("IPV6_MULTICAST_IF")?;
        }
        set_int_opt(
            sock,
            "IPPROTO_IPV6",
            "IPV6_MULTICAST_HOPS",
            o.ttl,
            Socket::set_multicast_hops_v6,
        )
        .context("IPV6_MULTICAST_HOPS")?;
        set_bool_opt(
            sock,
            "IPPROTO_IPV6",
            "IPV6_MULTICAST_LOOP",
            o.loopback,
            Socket::set_multicast_loop_v6,
        )
        .context("IPV6_MULTICAST_LOOP")?;
    } else {
        if let Some(i) = &o.iface {
            trace::call(
                "setsockopt",
                || {
                    vec![
                        trace::fd(sock),
                        "IPPROTO_IP".into(),
                        "IP_MULTICAST_IF".into(),
                        format!("ip_mreqn{{ifindex {} ({})}}", i.index, i.name),
                    ]
                },
                || set_multicast_if_v4_index(sock, i.index),
            )
            .context("IP_MULTICAST_IF")?;
        }
        set_int_opt(
            sock,
            "IPPROTO_IP",
            "IP_MULTICAST_TTL",
            o.ttl,
            Socket::set_multicast_ttl_v4,
        )
        .context("IP_MULTICAST_TTL")?;
        set_bool_opt(
            sock,
            "IPPROTO_IP",
            "IP_MULTICAST_LOOP",
            o.loopback,
            Socket::set_multicast_loop_v4,
        )
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
    source6: Option<Ipv6Addr>,
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
            source6: None,
        };
        match (group, source) {
            (IpAddr::V4(g), None) => {
                multicast_all_off(sock, false)?;
                trace::traffic(
                    "setsockopt",
                    || {
                        vec![
                            trace::fd(sock),
                            "IPPROTO_IP".into(),
                            "IP_ADD_MEMBERSHIP".into(),
                            format!("ip_mreqn{{{g}, {}}}", ifindex_text(ifindex)),
                        ]
                    },
                    || sock.join_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(ifindex)),
                )
                .map_err(|e| join_error(group, iface, e))?;
            }
            (IpAddr::V4(g), Some(IpAddr::V4(s))) => {
                multicast_all_off(sock, false)?;
                // ip_mreq_source names the interface by address, not index.
                let local = match iface {
                    Some(i) => i.ipv4.ok_or_else(|| {
                        anyhow!("interface {} has no IPv4 address to join on", i.name)
                    })?,
                    None => Ipv4Addr::UNSPECIFIED,
                };
                trace::traffic(
                    "setsockopt",
                    || {
                        vec![
                            trace::fd(sock),
                            "IPPROTO_IP".into(),
                            "IP_ADD_SOURCE_MEMBERSHIP".into(),
                            format!("ip_mreq_source{{{g}, {local}, source {s}}}"),
                        ]
                    },
                    || sock.join_ssm_v4(&s, &g, &local),
                )
                .map_err(|e| join_error(group, iface, e))?;
                m.source = Some((s, local));
            }
            (IpAddr::V6(g), None) => {
                multicast_all_off(sock, true)?;
                trace::traffic(
                    "setsockopt",
                    || {
                        vec![
                            trace::fd(sock),
                            "IPPROTO_IPV6".into(),
                            "IPV6_ADD_MEMBERSHIP".into(),
                            format!("ipv6_mreq{{{g}, {}}}", ifindex_text(ifindex)),
                        ]
                    },
                    || sock.join_multicast_v6(&g, ifindex),
                )
                .map_err(|e| join_error(group, iface, e))?;
            }
            (IpAddr::V6(g), Some(IpAddr::V6(s))) => {
                multicast_all_off(sock, true)?;
                trace::traffic(
                    "setsockopt",
                    || {
                        vec![
                            trace::fd(sock),
                            "IPPROTO_IPV6".into(),
                            "MCAST_JOIN_SOURCE_GROUP".into(),
                            format!(
                                "group_source_req{{{g}, source {s}, {}}}",
                                ifindex_text(ifindex)
                            ),
                        ]
                    },
                    || source_group_v6(sock, libc::MCAST_JOIN_SOURCE_GROUP, ifindex, g, s),
                )
                .map_err(|e| join_error(group, iface, e))?;
                m.source6 = Some(s);
            }
            (IpAddr::V6(_), Some(IpAddr::V4(_))) => {
                return Err(UsageError::invalid(
                    "--source must be an IPv6 address for an IPv6 group",
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

/// `IP_MULTICAST_ALL`/`IPV6_MULTICAST_ALL` off (ip(7), ipv6(7)): without it a socket
/// bound to the port gets the datagrams of *every* group any socket on the host joined.
fn multicast_all_off(sock: &Socket, v6: bool) -> anyhow::Result<()> {
    let (level, name, set): (_, _, fn(&Socket, bool) -> std::io::Result<()>) = if v6 {
        (
            "IPPROTO_IPV6",
            "IPV6_MULTICAST_ALL",
            Socket::set_multicast_all_v6,
        )
    } else {
        (
            "IPPROTO_IP",
            "IP_MULTICAST_ALL",
            Socket::set_multicast_all_v4,
        )
    };
    set_bool_opt(sock, level, name, false, set).context(name)
}

/// `setsockopt(IPPROTO_IPV6, MCAST_{JOIN,LEAVE}_SOURCE_GROUP, group_source_req)`
/// (RFC 3678; ipv6(7) only lists the IPv4 forms): IPv6 source-specific membership,
/// which socket2 does not wrap.
fn source_group_v6(
    sock: &Socket,
    op: libc::c_int,
    ifindex: u32,
    group: Ipv6Addr,
    source: Ipv6Addr,
) -> std::io::Result<()> {
    let req = libc::group_source_req {
        gsr_interface: ifindex,
        gsr_group: storage_v6(group),
        gsr_source: storage_v6(source),
    };
    // SAFETY: the pointer and length describe `req`, a fully initialised
    // group_source_req living across the call; the fd is valid while `sock` is borrowed.
    let rc = unsafe {
        libc::setsockopt(
            sock.as_raw_fd(),
            libc::IPPROTO_IPV6,
            op,
            (&req as *const libc::group_source_req).cast(),
            std::mem::size_of::<libc::group_source_req>() as libc::socklen_t,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// An IPv6 address (port 0) in a `sockaddr_storage`, as `group_source_req` wants it.
fn storage_v6(ip: Ipv6Addr) -> libc::sockaddr_storage {
    // SAFETY: sockaddr_storage is a plain C struct; all-zero bytes is a valid value.
    let mut st: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let sin6 = libc::sockaddr_in6 {
        sin6_family: libc::AF_INET6 as libc::sa_family_t,
        sin6_port: 0,
        sin6_flowinfo: 0,
        sin6_addr: libc::in6_addr {
            s6_addr: ip.octets(),
        },
        sin6_scope_id: 0,
    };
    // SAFETY: sockaddr_storage is larger than and aligned for sockaddr_in6 (that is its
    // purpose), so writing one at its start stays in bounds and aligned.
    unsafe { std::ptr::write((&mut st as *mut libc::sockaddr_storage).cast(), sin6) };
    st
}

fn join_error(group: IpAddr, iface: Option<&Iface>, e: std::io::Error) -> anyhow::Error {
    let on = iface.map_or("the default interface".to_string(), |i| i.name.clone());
    crate::os_error::error(
        format!("join {group} on {on}"),
        crate::os_error::Op::Join,
        crate::os_error::Target::Inet(std::net::SocketAddr::new(group, 0)),
        e,
    )
}

impl Drop for Membership<'_> {
    fn drop(&mut self) {
        if trace::dry_run() {
            return; // never joined: nothing to leave
        }
        let opt = match (self.group, self.source, self.source6) {
            (IpAddr::V4(_), Some(_), _) => "IP_DROP_SOURCE_MEMBERSHIP",
            (IpAddr::V4(_), None, _) => "IP_DROP_MEMBERSHIP",
            (IpAddr::V6(_), _, Some(_)) => "MCAST_LEAVE_SOURCE_GROUP",
            (IpAddr::V6(_), _, None) => "IPV6_DROP_MEMBERSHIP",
        };
        let level = if self.group.is_ipv4() {
            "IPPROTO_IP"
        } else {
            "IPPROTO_IPV6"
        };
        let res = trace::traffic(
            "setsockopt",
            || {
                vec![
                    trace::fd(self.sock),
                    level.into(),
                    opt.into(),
                    format!("{{{}, {}}}", self.group, ifindex_text(self.ifindex)),
                ]
            },
            || self.leave(),
        );
        if let Err(e) = res {
            log::debug!("leave {}: {}", self.group, crate::os_error::describe(&e));
        }
    }
}

impl Membership<'_> {
    fn leave(&self) -> std::io::Result<()> {
        match (self.group, self.source) {
            (IpAddr::V4(g), Some((s, local))) => self.sock.leave_ssm_v4(&s, &g, &local),
            (IpAddr::V4(g), None) => self
                .sock
                .leave_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(self.ifindex)),
            (IpAddr::V6(g), _) => match self.source6 {
                Some(s) => source_group_v6(
                    self.sock,
                    libc::MCAST_LEAVE_SOURCE_GROUP,
                    self.ifindex,
                    g,
                    s,
                ),
                None => self.sock.leave_multicast_v6(&g, self.ifindex),
            },
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
    use crate::net::dgram::socket::{DgramOpts, udp_socket};

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
    fn ipv6_source_specific_join_and_leave_on_loopback() {
        // Joining needs no traffic: the membership is only a kernel filter.
        let s = udp_socket(true, &DgramOpts::default()).unwrap();
        let lo = Iface::by_name("lo").unwrap();
        let group: IpAddr = "ff3e::8000:1".parse().unwrap();
        let m = Membership::join(&s, group, Some(&lo), Some("::1".parse().unwrap())).unwrap();
        assert_eq!(m.source6, Some(Ipv6Addr::LOCALHOST));
        drop(m);
        let e = Membership::join(&s, group, Some(&lo), Some("127.0.0.1".parse().unwrap()))
            .err()
            .unwrap();
        assert_eq!(crate::error::exit_code(&e), 2);
    }
}

//! The socket side of `multicast doctor`: a throw-away group join to see whether the
//! kernel records it, and a receiver that waits for one datagram and reads its
//! remaining TTL (`IP_RECVTTL`, ip(7)) from the control message.

use std::io::{self, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::time::Duration;

use nix::sys::socket::{
    ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
};
use socket2::{Domain, InterfaceIndexOrAddress, Protocol, Socket, Type};

use crate::diag::multicast::group_listed;
use crate::net::socket::{bind, new_socket, set_bool_opt};
use crate::net::trace;

/// A datagram seen on the group.
#[derive(Debug, Clone)]
pub struct Seen {
    pub from: SocketAddr,
    pub len: usize,
    pub ttl: Option<u8>,
}

fn ifindex(iface: &str) -> io::Result<u32> {
    nix::net::if_::if_nametoindex(iface).map_err(io::Error::from)
}

/// A UDP socket bound to `port` (any address, shared with other receivers) and joined
/// to `group` on `iface`.
fn joined_socket(group: IpAddr, port: u16, iface: Option<&str>) -> io::Result<Socket> {
    let domain = if group.is_ipv4() {
        Domain::IPV4
    } else {
        Domain::IPV6
    };
    let sock = new_socket(domain, Type::DGRAM, Some(Protocol::UDP))?;
    set_bool_opt(
        &sock,
        "SOL_SOCKET",
        "SO_REUSEADDR",
        true,
        Socket::set_reuse_address,
    )?;
    set_bool_opt(
        &sock,
        "SOL_SOCKET",
        "SO_REUSEPORT",
        true,
        Socket::set_reuse_port,
    )?;
    let index = iface.map(ifindex).transpose()?.unwrap_or(0);
    match group {
        IpAddr::V4(g) => {
            set_bool_opt(
                &sock,
                "IPPROTO_IP",
                "IP_MULTICAST_ALL",
                false,
                Socket::set_multicast_all_v4,
            )?;
            bind(
                &sock,
                &SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port).into(),
            )?;
            trace::call(
                "setsockopt",
                || {
                    vec![
                        trace::fd(&sock),
                        "IPPROTO_IP".into(),
                        "IP_ADD_MEMBERSHIP".into(),
                        format!("ip_mreqn{{{g}, ifindex {index}}}"),
                    ]
                },
                || sock.join_multicast_v4_n(&g, &InterfaceIndexOrAddress::Index(index)),
            )?;
        }
        IpAddr::V6(g) => {
            set_bool_opt(
                &sock,
                "IPPROTO_IPV6",
                "IPV6_V6ONLY",
                true,
                Socket::set_only_v6,
            )?;
            bind(
                &sock,
                &SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port).into(),
            )?;
            trace::call(
                "setsockopt",
                || {
                    vec![
                        trace::fd(&sock),
                        "IPPROTO_IPV6".into(),
                        "IPV6_ADD_MEMBERSHIP".into(),
                        format!("ipv6_mreq{{{g}, ifindex {index}}}"),
                    ]
                },
                || sock.join_multicast_v6(&g, index),
            )?;
        }
    }
    Ok(sock)
}

/// Join `group` on `iface`, then report whether the kernel's group table lists it.
/// The socket (and with it the membership) is dropped before returning.
pub fn join_and_list(group: IpAddr, port: u16, iface: &str) -> io::Result<bool> {
    let _sock = joined_socket(group, port, Some(iface))?;
    Ok(group_listed(group, iface))
}

/// Wait up to `wait` for one datagram to `group:port`; `Ok(None)` when none came.
pub fn receive_one(
    group: IpAddr,
    port: u16,
    iface: Option<&str>,
    wait: Duration,
) -> io::Result<Option<Seen>> {
    let sock = joined_socket(group, port, iface)?;
    if group.is_ipv4() {
        setsockopt(&sock, sockopt::Ipv4RecvTtl, &true).map_err(io::Error::from)?;
    }
    sock.set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
    trace::checkpoint("recvmsg", || vec![trace::fd(&sock)])?;
    let mut buf = vec![0u8; 65536];
    let mut iov = [IoSliceMut::new(&mut buf)];
    let mut cmsg = nix::cmsg_space!(libc::c_int);
    let msg = match recvmsg::<SockaddrStorage>(
        sock.as_raw_fd(),
        &mut iov,
        Some(&mut cmsg),
        MsgFlags::empty(),
    ) {
        Ok(m) => m,
        Err(nix::errno::Errno::EAGAIN) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut ttl = None;
    if let Ok(cmsgs) = msg.cmsgs() {
        for c in cmsgs {
            if let ControlMessageOwned::Ipv4Ttl(t) = c {
                ttl = u8::try_from(t).ok();
            }
        }
    }
    let from = msg
        .address
        .and_then(|a| {
            a.as_sockaddr_in()
                .map(|s| SocketAddr::new(IpAddr::V4(s.ip()), s.port()))
                .or_else(|| {
                    a.as_sockaddr_in6()
                        .map(|s| SocketAddr::new(IpAddr::V6(s.ip()), s.port()))
                })
        })
        .unwrap_or_else(|| SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0));
    Ok(Some(Seen {
        from,
        len: msg.bytes,
        ttl,
    }))
}

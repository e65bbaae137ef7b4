//! Datagram sockets and their options: the unicast, broadcast and multicast set-up
//! that `udp`, `broadcast` and `multicast` share.
//!
//! * Unicast needs nothing but `socket(AF_INET, SOCK_DGRAM, 0)` and `bind(2)`.
//! * Broadcast needs `SO_BROADCAST` on the sender (socket(7)), or `sendto(2)` of a
//!   broadcast address fails with `EACCES`; receivers bind the wildcard address, since
//!   a broadcast datagram is addressed to 192.0.2.255 or 255.255.255.255, not to them.
//! * Multicast options (joins, `IP_MULTICAST_IF/TTL/LOOP`) live in
//!   [`multicast`](super::multicast).
//! * `SO_REUSEADDR` lets several receivers on one host bind the same port; for
//!   broadcast and multicast every one of them gets every datagram. `SO_REUSEPORT`
//!   (optional, `--reuse-port`) shares the port too but puts the sockets in a
//!   load-balancing group, and Linux may then give a multicast datagram to one member
//!   only, ignoring source filters: a source-specific receiver got a source it never
//!   asked for while the any-source receiver missed it (seen on 6.18, in the SSM
//!   test) — so receivers do not set it unless asked.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use anyhow::Context;
use socket2::{Domain, Protocol, Socket, Type};

use crate::net::socket::{bind, new_socket, set_bool_opt, set_int_opt};
use crate::net::trace;
use crate::os_error::{self, Op, Target};

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
    let sock =
        new_socket(domain, Type::DGRAM, Some(Protocol::UDP)).context("create a UDP socket")?;
    if opts.reuse_addr {
        set_bool_opt(
            &sock,
            "SOL_SOCKET",
            "SO_REUSEADDR",
            true,
            Socket::set_reuse_address,
        )
        .context("SO_REUSEADDR")?;
    }
    if opts.reuse_port {
        set_bool_opt(
            &sock,
            "SOL_SOCKET",
            "SO_REUSEPORT",
            true,
            Socket::set_reuse_port,
        )
        .context("SO_REUSEPORT")?;
    }
    if opts.broadcast {
        set_bool_opt(
            &sock,
            "SOL_SOCKET",
            "SO_BROADCAST",
            true,
            Socket::set_broadcast,
        )
        .context("SO_BROADCAST")?;
    }
    if let Some(dev) = &opts.device {
        trace::call(
            "setsockopt",
            || {
                vec![
                    trace::fd(&sock),
                    "SOL_SOCKET".into(),
                    "SO_BINDTODEVICE".into(),
                    format!("{dev:?}"),
                ]
            },
            || sock.bind_device(Some(dev.as_bytes())),
        )
        .with_context(|| format!("SO_BINDTODEVICE {dev}"))?;
    }
    if let Some(size) = opts.rcvbuf {
        set_int_opt(
            &sock,
            "SOL_SOCKET",
            "SO_RCVBUF",
            size,
            Socket::set_recv_buffer_size,
        )
        .context("SO_RCVBUF")?;
    }
    if let (true, Some(only)) = (v6, opts.v6_only) {
        set_bool_opt(
            &sock,
            "IPPROTO_IPV6",
            "IPV6_V6ONLY",
            only,
            Socket::set_only_v6,
        )
        .context("IPV6_V6ONLY")?;
    }
    // SO_RXQ_OVFL (socket(7)): each datagram carries the count of datagrams the kernel
    // dropped for a full receive queue, so receivers can say "N dropped" instead of
    // leaving loss unexplained. Best effort: old kernels lack it.
    let _ = set_int_opt(&sock, "SOL_SOCKET", "SO_RXQ_OVFL", 1, |s, v| {
        nix::sys::socket::setsockopt(s, nix::sys::socket::sockopt::RxqOvfl, &v)
            .map_err(std::io::Error::from)
    });
    Ok(sock)
}

/// A UDP socket bound to `addr` (port 0 picks a free one).
pub fn udp_bind(addr: SocketAddr, opts: &DgramOpts) -> anyhow::Result<Socket> {
    let sock = udp_socket(addr.is_ipv6(), opts)?;
    bind(&sock, &addr.into()).map_err(|e| bind_error(&addr, opts, e))?;
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
    // A setup call, not an action: connecting a UDP socket sends nothing.
    trace::call(
        "connect",
        || vec![trace::fd(&sock), trace::inet(&to)],
        || sock.connect(&to.into()),
    )
    .map_err(|e| {
        let shown = crate::net::addr::display(&to);
        match e.raw_os_error() {
            // The kernel refuses a broadcast destination on a socket without SO_BROADCAST.
            Some(libc::EACCES) => os_error::worded(
                format!("send to {shown}"),
                "permission denied; it is a broadcast address and SO_BROADCAST is off \
                 (use `nettool broadcast send`)",
                e,
            ),
            _ => os_error::error(
                format!("connect UDP socket to {shown}"),
                Op::Connect,
                Target::Inet(to),
                e,
            ),
        }
    })?;
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

fn bind_error(addr: &SocketAddr, opts: &DgramOpts, err: std::io::Error) -> anyhow::Error {
    let site = os_error::BindSite {
        addr: *addr,
        tcp: false,
        reuse_addr: opts.reuse_addr,
    };
    os_error::bind_error(
        format!("bind {}", crate::net::addr::display(addr)),
        site,
        err,
    )
}

/// The wildcard address of `addr`'s family with `port`.
pub fn wildcard(v6: bool, port: u16) -> SocketAddr {
    if v6 {
        SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port)
    } else {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port)
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
    fn bind_in_use_is_worded() {
        let a = udp_bind("127.0.0.1:0".parse().unwrap(), &DgramOpts::default()).unwrap();
        let addr = a.local_addr().unwrap().as_socket().unwrap();
        let e = udp_bind(addr, &DgramOpts::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("address already in use"), "{e}");
    }
}

//! The socket side of `multicast doctor`: a throw-away group join to see whether the
//! kernel records it, and a receiver that waits for one datagram and reads its
//! remaining TTL (`IP_RECVTTL`, ip(7)) from the control message.

use std::io::{self, IoSliceMut};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use nix::sys::socket::{
    ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg, setsockopt, sockopt,
};
use socket2::Socket;

use crate::error::Interrupted;
use crate::net::dgram::multicast::{Membership, multicast_bind_addr};
use crate::net::dgram::socket::{DgramOpts, udp_bind};
use crate::net::iface::Iface;
use crate::net::signals::Shutdown;
use crate::net::trace;
use crate::net::wait::{Watch, Woke, wait as wait_for};

/// A datagram seen on the group.
#[derive(Debug, Clone)]
pub struct Seen {
    pub from: SocketAddr,
    pub len: usize,
    pub ttl: Option<u8>,
}

/// Join `group` on `iface`, then report whether the kernel's group table lists it.
/// The socket (and with it the membership) is dropped before returning.
pub fn join_and_list(group: IpAddr, port: u16, iface: &str) -> anyhow::Result<bool> {
    let iface = Iface::by_name(iface)?;
    let sock = group_socket(group, port)?;
    let _joined = Membership::join(&sock, group, Some(&iface), None)?;
    Ok(crate::net::igmp::listed(group, &iface.name))
}

/// A receiver's socket for `group:port`, shared with any other receivers there.
fn group_socket(group: IpAddr, port: u16) -> anyhow::Result<Socket> {
    let opts = DgramOpts {
        reuse_addr: true,
        ..Default::default()
    };
    udp_bind(multicast_bind_addr(SocketAddr::new(group, port)), &opts)
}

/// Wait up to `wait` for one datagram to `group:port`; `Ok(None)` when none came,
/// `Err(Interrupted)` when SIGINT/SIGTERM came first.
pub fn receive_one(
    group: IpAddr,
    port: u16,
    iface: Option<&str>,
    wait: Duration,
    shutdown: &Shutdown,
) -> anyhow::Result<Option<Seen>> {
    let iface = iface.map(Iface::by_name).transpose()?;
    let sock = group_socket(group, port)?;
    let _joined = Membership::join(&sock, group, iface.as_ref(), None)?;
    if group.is_ipv4() {
        setsockopt(&sock, sockopt::Ipv4RecvTtl, &true).map_err(io::Error::from)?;
    }
    sock.set_nonblocking(true)?;
    trace::checkpoint("recvmsg", || vec![trace::fd(&sock)])?;
    let deadline = Instant::now() + wait;
    loop {
        match wait_for(&mut [Watch::read(sock.as_fd())], shutdown, Some(deadline))? {
            Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
            Woke::Timeout => return Ok(None),
            Woke::Ready => {}
        }
        if let Some(seen) = recv_one(&sock)? {
            return Ok(Some(seen));
        }
    }
}

/// One datagram with its TTL, if one is waiting.
fn recv_one(sock: &Socket) -> anyhow::Result<Option<Seen>> {
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

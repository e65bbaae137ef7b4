//! Where a relay's upstream connection goes, and the non-blocking `connect(2)` an
//! event loop starts and finishes later.
//!
//! A non-blocking TCP connect returns `EINPROGRESS` at once: the handshake goes on in
//! the kernel, the socket becomes writable when it is over, and `SO_ERROR` then says
//! whether it worked (connect(2), "EINPROGRESS"). A Unix stream connect never waits on
//! the network: it succeeds, or fails at once (`ECONNREFUSED`, `ENOENT`, or `EAGAIN`
//! when the listener's backlog is full).

use std::fmt;
use std::io;
use std::net::SocketAddr;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::addr::{self, UnixTarget};
use super::socket::new_socket;
use super::trace;

/// One upstream address: an inet address or a Unix socket (path or `@name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Inet(SocketAddr),
    Unix(UnixTarget),
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Inet(a) => f.write_str(&addr::display(a)),
            Endpoint::Unix(u) => u.fmt(f),
        }
    }
}

/// How far a non-blocking connect got at once.
#[derive(Debug)]
pub enum Started {
    /// Connected already (Unix sockets, sometimes loopback TCP).
    Connected(trace::Closing<Socket>),
    /// The handshake goes on: wait until the socket is writable, then [`finish`].
    InProgress(trace::Closing<Socket>),
}

/// Create a non-blocking socket for `ep` and start connecting it.
pub fn start(ep: &Endpoint) -> io::Result<Started> {
    let (sock, target) = match ep {
        Endpoint::Inet(a) => {
            let domain = if a.is_ipv4() {
                Domain::IPV4
            } else {
                Domain::IPV6
            };
            let sock = new_socket(domain, Type::STREAM, Some(Protocol::TCP))?;
            (sock, SockAddr::from(*a))
        }
        Endpoint::Unix(u) => {
            let target = super::unix::sockaddr(u)?;
            (new_socket(Domain::UNIX, Type::STREAM, None)?, target)
        }
    };
    // A refused attempt's socket is closed (and shown closed) here.
    let sock = trace::Closing::new(sock);
    sock.set_nonblocking(true)?;
    let res = trace::call(
        "connect",
        || vec![trace::fd(&sock), ep.to_string(), "O_NONBLOCK".into()],
        || sock.connect(&target),
    );
    match res {
        Ok(()) => Ok(Started::Connected(sock)),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok(Started::InProgress(sock)),
        Err(e) => Err(e),
    }
}

/// The outcome of a connect that was in progress, once the socket reported writable
/// (or an error): `getsockopt(SO_ERROR)`.
pub fn finish(sock: &Socket) -> io::Result<()> {
    match sock.take_error()? {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::wait::{Watch, wait_unsignalled};
    use std::os::fd::AsFd;
    use std::time::{Duration, Instant};

    fn writable(sock: &Socket) {
        let mut w = [Watch::new(sock.as_fd(), false, true)];
        wait_unsignalled(&mut w, Some(Instant::now() + Duration::from_secs(5))).unwrap();
        assert!(w[0].ready());
    }

    #[test]
    fn a_listening_port_connects_and_a_closed_one_is_refused() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let ep = Endpoint::Inet(l.local_addr().unwrap());
        let sock = match start(&ep).unwrap() {
            Started::Connected(s) | Started::InProgress(s) => s,
        };
        writable(&sock);
        finish(&sock).unwrap();
        drop(l);
        // The port is free now: connecting is refused, at once or through SO_ERROR.
        match start(&ep) {
            Err(e) => assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED)),
            Ok(Started::Connected(_)) => panic!("nothing listens there"),
            Ok(Started::InProgress(s)) => {
                writable(&s);
                let e = finish(&s).unwrap_err();
                assert_eq!(e.raw_os_error(), Some(libc::ECONNREFUSED));
            }
        }
    }

    #[test]
    fn unix_endpoints_fail_at_once_when_nobody_listens() {
        let dir = tempfile::tempdir().unwrap();
        let ep = Endpoint::Unix(UnixTarget::Path(dir.path().join("none.sock")));
        assert_eq!(
            ep.to_string(),
            dir.path().join("none.sock").display().to_string()
        );
        let e = start(&ep).unwrap_err();
        assert_eq!(e.raw_os_error(), Some(libc::ENOENT));
    }
}

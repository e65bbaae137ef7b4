//! The transports a heartbeat client beats over: a TCP stream (frames reassembled
//! across reads; plain, or TLS with `--tls`), UDP (one frame per datagram; ICMP
//! errors are lost beats, not failures), or a TCP connection left to the kernel's
//! keepalive. Non-blocking sockets; the client's loop polls them.

use std::io::{self, Read};
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsFd, BorrowedFd};

use socket2::Socket;

use crate::net::trace::Closing;

use super::client::ClientOpts;
use super::wire::{self, Frame, Pong};
use crate::net::hexdump::{Direction, Hexdump};
use crate::net::keepalive::{self, KeepaliveSettings};
use crate::net::signals::Shutdown;
use crate::net::socket::tcp_connect_from;
use crate::net::stream::Stream;
use crate::output::Output;

/// How beats travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
    /// No application beats: kernel keepalive and TCP_USER_TIMEOUT.
    TcpKeepalive,
}

/// A connected transport.
pub(super) enum Conn {
    Tcp {
        /// The socket, or TLS over it.
        stream: Box<dyn Stream + Send>,
        rbuf: Vec<u8>,
        wbuf: Vec<u8>,
    },
    /// `refused` counts the ICMP port unreachable errors that came back (as
    /// `ECONNREFUSED` on a later call): the reason a UDP peer never answers.
    Udp {
        sock: Closing<UdpSocket>,
        refused: u64,
    },
    Keepalive(Closing<Socket>),
}

impl Conn {
    /// How many ICMP port unreachable errors came back (UDP only).
    pub(super) fn refused(&self) -> u64 {
        match self {
            Conn::Udp { refused, .. } => *refused,
            _ => 0,
        }
    }

    pub(super) fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Conn::Tcp { stream, .. } => stream.fd(),
            Conn::Keepalive(sock) => sock.as_fd(),
            Conn::Udp { sock, .. } => sock.as_fd(),
        }
    }

    pub(super) fn send(&mut self, frame: &Frame, dump: Option<&Hexdump>) -> io::Result<()> {
        match self {
            Conn::Tcp { wbuf, .. } => {
                wire::encode(frame, wbuf);
                self.flush(dump)
            }
            Conn::Udp { sock, refused } => match sock.send(&wire::to_bytes(frame)) {
                Ok(_) => {
                    if let Some(d) = dump {
                        d.record(Direction::Sent, &wire::to_bytes(frame));
                    }
                    Ok(())
                }
                // An ICMP "port unreachable" from an earlier beat: the beat is lost,
                // the detector notices; nothing to spin on.
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                    *refused += 1;
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Conn::Keepalive(_) => Ok(()),
        }
    }

    /// Send what is buffered; every byte written goes to the `-x` dump.
    pub(super) fn flush(&mut self, dump: Option<&Hexdump>) -> io::Result<()> {
        if let Conn::Tcp { stream, wbuf, .. } = self {
            match stream.flush() {
                Err(e) if e.kind() != io::ErrorKind::WouldBlock => return Err(e),
                _ => {}
            }
            while !wbuf.is_empty() {
                match stream.write(wbuf) {
                    Ok(n) => {
                        if let Some(d) = dump {
                            d.record(Direction::Sent, &wbuf[..n]);
                        }
                        wbuf.drain(..n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    pub(super) fn wants_write(&self) -> bool {
        matches!(self, Conn::Tcp { wbuf, stream, .. } if !wbuf.is_empty() || stream.wants_write())
    }

    /// Read what is there; pongs go to `frames`. `Err` ends the connection.
    pub(super) fn read(
        &mut self,
        frames: &mut Vec<Pong>,
        dump: Option<&Hexdump>,
    ) -> Result<(), String> {
        let record = |bytes: &[u8]| {
            if let Some(d) = dump {
                d.record(Direction::Received, bytes);
            }
        };
        let mut tmp = [0u8; 4096];
        match self {
            Conn::Tcp { stream, rbuf, .. } => {
                loop {
                    match stream.read(&mut tmp) {
                        Ok(0) => return Err("connection closed by the peer".into()),
                        Ok(n) => {
                            record(&tmp[..n]);
                            rbuf.extend_from_slice(&tmp[..n]);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) => {
                            return Err(format!(
                                "connection lost: {}",
                                crate::os_error::describe(&e)
                            ));
                        }
                    }
                }
                let mut used = 0;
                loop {
                    match wire::decode(&rbuf[used..]) {
                        Ok(Some((Frame::Pong(p), n))) => {
                            frames.push(p);
                            used += n;
                        }
                        Ok(Some((Frame::Ping(_), _))) => {
                            return Err("protocol error: the responder sent a ping".into());
                        }
                        Ok(None) => break,
                        Err(bad) => return Err(format!("protocol error: {bad}")),
                    }
                }
                rbuf.drain(..used);
                Ok(())
            }
            Conn::Udp { sock, refused } => {
                loop {
                    match sock.recv(&mut tmp) {
                        Ok(n) => {
                            record(&tmp[..n]);
                            match wire::decode_datagram(&tmp[..n]) {
                                Ok(Frame::Pong(p)) => frames.push(p),
                                // A stray datagram is dropped; it cannot hurt a connection.
                                _ => log::warn!("heartbeat: dropped a malformed datagram"),
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => *refused += 1,
                        Err(e) => {
                            return Err(format!(
                                "receive failed: {}",
                                crate::os_error::describe(&e)
                            ));
                        }
                    }
                }
                Ok(())
            }
            Conn::Keepalive(sock) => loop {
                match (&**sock).read(&mut tmp) {
                    Ok(0) => return Err("connection closed by the peer".into()),
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                    Err(e) if e.raw_os_error() == Some(libc::ETIMEDOUT) => {
                        return Err("the kernel dropped the connection (keepalive / user timeout: ETIMEDOUT)".into());
                    }
                    Err(e) => {
                        return Err(format!(
                            "connection lost: {}",
                            crate::os_error::describe(&e)
                        ));
                    }
                }
            },
        }
    }
}

/// Connect (or, for UDP, create and connect) the transport `opts` asks for — with
/// `--tls` the handshake too, bounded by the connect timeout; with `--tcp-keepalive`
/// also returns the kernel settings applied.
pub(super) fn open(
    opts: &ClientOpts,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<(Conn, Option<KeepaliveSettings>)> {
    match opts.transport {
        Transport::Tcp | Transport::TcpKeepalive => {
            let sock = tcp_connect_from(&opts.addrs, opts.source, Some(opts.connect_timeout))
                .map(Closing::new)?;
            let _ = sock.set_tcp_nodelay(true);
            let mut settings = None;
            if opts.transport == Transport::TcpKeepalive {
                let s = KeepaliveSettings::from_heartbeat(opts.interval, opts.misses);
                keepalive::apply(&sock, &s)?;
                settings = Some(s);
            }
            Socket::set_nonblocking(&sock, true)?;
            let conn = if settings.is_some() {
                Conn::Keepalive(sock)
            } else {
                let stream: Box<dyn Stream + Send> = match &opts.tls {
                    Some(tls) => Box::new(crate::tls::stream::connect(
                        sock.into_inner(),
                        tls,
                        &opts.host,
                        &opts.label,
                        shutdown,
                        Some(std::time::Instant::now() + opts.connect_timeout),
                        out,
                    )?),
                    None => Box::new(sock),
                };
                Conn::Tcp {
                    stream,
                    rbuf: Vec::new(),
                    wbuf: Vec::new(),
                }
            };
            Ok((conn, settings))
        }
        Transport::Udp => {
            let addr = opts.addrs[0];
            let bind: SocketAddr = match opts.source {
                Some(src) => src,
                None if addr.is_ipv4() => "0.0.0.0:0".parse()?,
                None => "[::]:0".parse()?,
            };
            let opts = crate::net::dgram::socket::DgramOpts::default();
            let u = Closing::new(UdpSocket::from(crate::net::dgram::socket::udp_connect(
                addr,
                Some(bind),
                &opts,
            )?));
            u.set_nonblocking(true)?;
            Ok((
                Conn::Udp {
                    sock: u,
                    refused: 0,
                },
                None,
            ))
        }
    }
}

//! netcat's datagram listener (`nc -u -l`, `nc -lU -u`) over any datagram socket —
//! UDP (`udp listen`) or Unix (`unix listen --dgram`): every datagram goes to stdout,
//! stdin goes back as datagrams. It waits for the socket, stdin and the shutdown
//! self-pipe together in the shared client wait ([`crate::net::wait`]).
//!
//! Who hears our stdin ([`Peers`]): without `-k` the listener locks to its first peer,
//! as `nc -u -l` does (it `connect(2)`s to it) — datagrams from anyone else are dropped
//! and logged with `-v`; with `-k` (and always over Unix sockets) it hears everyone and
//! answers the latest sender, or with `--to-all` every sender it tracks (at most
//! `--max-connections`, as `udp serve` bounds its peers). stdin is read only once
//! there is someone to send it to; its end does not end the listener (nc keeps
//! receiving): `-w` of silence, `--eof-timeout` after stdin's end or a signal do.

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::os::unix::net::{SocketAddr as UnixAddr, UnixDatagram};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;

use super::unix::{DgramStats, StdinDatagrams, addr_label};
use crate::error::{Interrupted, stdout_error};
use crate::net::hexdump::Direction;
use crate::net::relay::RelayOpts;
use crate::net::signals::Shutdown;
use crate::net::trace;
use crate::net::wait::{Watch, Woke, wait};
use crate::output::{Level, Output};

/// Largest datagram read: beyond the default socket buffers, so nothing is cut.
const MAX_DGRAM: usize = 256 * 1024;

/// A datagram socket the listener can run on.
pub trait PeerSocket: AsFd {
    type Addr: Clone + PartialEq;
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)>;
    fn send_to(&self, data: &[u8], to: &Self::Addr) -> io::Result<usize>;
    fn label(addr: &Self::Addr) -> String;
    /// Whether a reply can reach this sender (an unnamed Unix socket cannot).
    fn answerable(_addr: &Self::Addr) -> bool {
        true
    }
}

/// A Unix sender's address, comparable (std's is not): the same path or abstract
/// name is the same peer.
#[derive(Debug, Clone)]
pub struct UnixPeer(UnixAddr);

impl PartialEq for UnixPeer {
    fn eq(&self, other: &Self) -> bool {
        use std::os::linux::net::SocketAddrExt;
        self.0.as_pathname() == other.0.as_pathname()
            && self.0.as_abstract_name() == other.0.as_abstract_name()
    }
}

impl PeerSocket for UnixDatagram {
    type Addr = UnixPeer;
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, UnixPeer)> {
        UnixDatagram::recv_from(self, buf).map(|(n, a)| (n, UnixPeer(a)))
    }
    fn send_to(&self, data: &[u8], to: &UnixPeer) -> io::Result<usize> {
        self.send_to_addr(data, &to.0)
    }
    fn label(addr: &UnixPeer) -> String {
        addr_label(&addr.0)
    }
    fn answerable(addr: &UnixPeer) -> bool {
        !addr.0.is_unnamed()
    }
}

impl PeerSocket for std::net::UdpSocket {
    type Addr = std::net::SocketAddr;
    fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, Self::Addr)> {
        std::net::UdpSocket::recv_from(self, buf)
    }
    fn send_to(&self, data: &[u8], to: &Self::Addr) -> io::Result<usize> {
        std::net::UdpSocket::send_to(self, data, to)
    }
    fn label(addr: &Self::Addr) -> String {
        addr.to_string()
    }
}

/// Who the listener answers (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct ListenMode {
    /// Without `-k`: only the first peer is heard and answered.
    pub lock_first: bool,
    /// `--to-all`: stdin goes to every tracked peer, not only the latest.
    pub to_all: bool,
    /// Peers tracked at most (`--max-connections`); datagrams from more are dropped.
    pub max_peers: usize,
    /// Each read of stdin is one datagram (Unix); otherwise one per line (UDP).
    pub raw: bool,
    /// `--eof-timeout`: end this long after stdin's end.
    pub after_eof: Option<Duration>,
}

/// What happened to a datagram from `from`.
#[derive(Debug, PartialEq, Eq)]
enum Heard {
    Accepted,
    /// Dropped, and why.
    Dropped(&'static str),
}

/// The peers a listener answers: the latest first.
#[derive(Debug)]
pub struct Peers<A> {
    mode: ListenMode,
    known: Vec<A>,
}

impl<A: Clone + PartialEq> Peers<A> {
    pub fn new(mode: ListenMode) -> Self {
        Peers {
            mode,
            known: Vec::new(),
        }
    }

    /// A datagram arrived from `from` (`answerable`: a reply can reach it).
    fn heard(&mut self, from: &A, answerable: bool) -> Heard {
        if let Some(i) = self.known.iter().position(|p| p == from) {
            // The latest sender goes to the front (the one a reply goes to).
            let p = self.known.remove(i);
            self.known.insert(0, p);
            return Heard::Accepted;
        }
        if self.mode.lock_first && !self.known.is_empty() {
            return Heard::Dropped("the listener is locked to its first peer (use -k)");
        }
        if !answerable {
            return Heard::Accepted;
        }
        if self.known.len() >= self.mode.max_peers {
            return Heard::Dropped("peer table full (--max-connections)");
        }
        self.known.insert(0, from.clone());
        Heard::Accepted
    }

    /// Whom stdin goes to now.
    fn targets(&self) -> &[A] {
        match (self.mode.to_all, self.known.is_empty()) {
            (true, _) | (_, true) => &self.known,
            (false, false) => &self.known[..1],
        }
    }
}

/// Run the listener on `sock` until a signal, `-w` of silence (`idle`: a normal end
/// after a datagram came, an error if none did) or `--eof-timeout`. SIGUSR1 calls
/// `on_stats` with the counts so far.
pub fn listen<S: PeerSocket>(
    sock: &S,
    mode: ListenMode,
    opts: &RelayOpts,
    idle: Option<Duration>,
    out: &Output,
    shutdown: &Shutdown,
    on_stats: &dyn Fn(&DgramStats),
) -> anyhow::Result<DgramStats> {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut st = DgramStats::default();
    let mut buf = vec![0u8; MAX_DGRAM];
    let mut chunk = vec![0u8; 64 * 1024];
    let mut split = StdinDatagrams::new(mode.raw);
    let mut reading_stdin = !(opts.no_stdin || opts.recv_only);
    let mut peers = Peers::new(mode);
    let mut last = Instant::now();
    let mut eof_at: Option<Instant> = None;
    loop {
        if let Some(limit) = idle {
            // `-w` ends a listener that heard something; one that heard nothing failed.
            if last.elapsed() >= limit && st.datagrams_received == 0 {
                anyhow::bail!("no datagram for {}", crate::text::duration(limit));
            }
            if last.elapsed() >= limit {
                return Ok(st);
            }
        }
        let eof_end = eof_at.zip(mode.after_eof).map(|(t, d)| t + d);
        if eof_end.is_some_and(|t| t <= Instant::now()) {
            return Ok(st);
        }
        let deadline = match (idle.map(|l| last + l), eof_end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let want_stdin = reading_stdin && !peers.targets().is_empty();
        let (sock_ready, stdin_ready) = wait_io(
            sock.as_fd(),
            want_stdin.then_some(&stdin),
            shutdown,
            deadline,
            &|| on_stats(&st),
        )?;
        if sock_ready {
            let (n, from) = match traced_recvfrom(sock, &mut buf) {
                Ok(got) => got,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                // A reply earlier met a closed port (ICMP): the next datagram is fine.
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => continue,
                Err(e) => return Err(anyhow::Error::new(e).context("recvfrom")),
            };
            let label = S::label(&from);
            if let Heard::Dropped(why) = peers.heard(&from, S::answerable(&from)) {
                out.event(
                    Level::Detail,
                    "rejected",
                    json!({"peer": label, "reason": why}),
                    || format!("dropped a datagram from {label}: {why}"),
                );
                continue;
            }
            last = Instant::now();
            st.received += n as u64;
            st.datagrams_received += 1;
            if let Some(d) = &opts.hexdump {
                d.record(Direction::Received, &buf[..n]);
            }
            if !out.json() {
                // Under --json the datagram's own record (below) says all this.
                out.event(
                    Level::Detail,
                    "datagram",
                    json!({"peer": label, "len": n}),
                    || format!("{} from {label}", crate::text::plural(n as u64, "byte")),
                );
            }
            opts.write_received(&mut stdout.lock(), "datagram", Some(&label), &buf[..n])
                .map_err(stdout_error)?;
        }
        if stdin_ready {
            let n = match stdin.lock().read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(anyhow::Error::new(e).context("read stdin")),
            };
            if n == 0 {
                reading_stdin = false;
                eof_at = Some(Instant::now());
            }
            split.push(&chunk[..n]);
            while let Some(datagram) = split.next(n == 0) {
                for to in peers.targets() {
                    send_one(sock, &datagram, to, opts, out, &mut st);
                }
            }
        }
    }
}

/// Send one datagram of stdin to `to`; a failure is that peer's (a warning), not ours.
fn send_one<S: PeerSocket>(
    sock: &S,
    data: &[u8],
    to: &S::Addr,
    opts: &RelayOpts,
    out: &Output,
    st: &mut DgramStats,
) {
    let sent = loop {
        match traced_sendto(sock, data, to) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    match sent {
        Ok(_) => {
            st.sent += data.len() as u64;
            st.datagrams_sent += 1;
            if let Some(d) = &opts.hexdump {
                d.record(Direction::Sent, data);
            }
        }
        Err(e) => out.warn(&format!(
            "send to {}: {}",
            S::label(to),
            crate::os_error::describe(&e)
        )),
    }
}

/// Wait until the socket (and optionally stdin) is readable, `deadline` passes or a
/// signal arrives. Returns (socket readable, stdin readable); `Err(Interrupted)` on
/// SIGINT/SIGTERM; SIGUSR1 calls `on_stats` and the wait goes on.
pub fn wait_io(
    sock: BorrowedFd<'_>,
    stdin: Option<&io::Stdin>,
    shutdown: &Shutdown,
    deadline: Option<Instant>,
    on_stats: &dyn Fn(),
) -> anyhow::Result<(bool, bool)> {
    let mut watches = vec![Watch::read(sock)];
    watches.extend(stdin.map(|s| Watch::read(s.as_fd())));
    match wait(&mut watches, shutdown, deadline).context("wait for the socket")? {
        Woke::Stop(signal) => Err(Interrupted { signal }.into()),
        Woke::Timeout => Ok((false, false)),
        Woke::Ready => {
            if shutdown.take_stats_request() {
                on_stats();
            }
            Ok((watches[0].ready(), watches.get(1).is_some_and(Watch::ready)))
        }
    }
}

/// `recvfrom(fd, buf, len, 0, &from)`, shown under `--explain=io` with the sender
/// (rate-limited per descriptor like every I/O call).
fn traced_recvfrom<S: PeerSocket>(sock: &S, buf: &mut [u8]) -> io::Result<(usize, S::Addr)> {
    let fd = sock.as_fd().as_raw_fd();
    let len = buf.len();
    let from = std::cell::RefCell::new(None);
    let n = trace::io(
        "recvfrom",
        Some(fd),
        || vec![fd.to_string(), "buf".into(), len.to_string(), "0".into()],
        || {
            sock.recv_from(buf).map(|(n, a)| {
                *from.borrow_mut() = Some(a);
                n
            })
        },
        |r| {
            r.as_ref().ok().and_then(|_| {
                from.borrow()
                    .as_ref()
                    .map(|a| format!("from {}", S::label(a)))
            })
        },
    )?;
    let from = from.into_inner().expect("set by a successful recvfrom");
    Ok((n, from))
}

/// `sendto(fd, buf, len, 0, to)`, shown under `--explain=io`.
fn traced_sendto<S: PeerSocket>(sock: &S, data: &[u8], to: &S::Addr) -> io::Result<usize> {
    let fd = sock.as_fd().as_raw_fd();
    trace::sendto(
        fd,
        data.len(),
        "0",
        || S::label(to),
        || sock.send_to(data, to),
        |_| None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(lock_first: bool, to_all: bool, max_peers: usize) -> ListenMode {
        ListenMode {
            lock_first,
            to_all,
            max_peers,
            raw: false,
            after_eof: None,
        }
    }

    #[test]
    fn without_k_the_first_peer_is_the_only_one() {
        let mut p = Peers::new(mode(true, false, 8));
        assert_eq!(p.heard(&1, true), Heard::Accepted);
        assert!(matches!(p.heard(&2, true), Heard::Dropped(_)));
        assert_eq!(p.heard(&1, true), Heard::Accepted);
        assert_eq!(p.targets(), &[1]);
    }

    #[test]
    fn with_k_the_latest_peer_is_answered_or_all_of_them() {
        let mut p = Peers::new(mode(false, false, 8));
        for who in [1, 2, 3, 2] {
            assert_eq!(p.heard(&who, true), Heard::Accepted);
        }
        assert_eq!(p.targets(), &[2]);
        let mut all = Peers::new(mode(false, true, 2));
        for who in [1, 2] {
            all.heard(&who, true);
        }
        assert!(matches!(all.heard(&3, true), Heard::Dropped(_)), "bounded");
        assert_eq!(all.targets(), &[2, 1]);
        // A sender that cannot be answered is heard but not tracked.
        assert_eq!(all.heard(&9, false), Heard::Accepted);
        let mut none = Peers::new(mode(false, false, 2));
        assert_eq!(none.heard(&9, false), Heard::Accepted);
        assert!(none.targets().is_empty());
    }
}

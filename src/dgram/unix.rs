//! Unix datagram sockets (`SOCK_DGRAM`, unix(7)): message boundaries are kept and,
//! unlike UDP, nothing is lost or reordered — a sender whose receiver's queue is full
//! blocks instead. A reply needs an address: a client that never bound its socket is
//! "unnamed" and cannot be answered, which is why our client binds a temporary path.
//!
//! Two loops live here: the client relay (stdin out as datagrams, replies to stdout)
//! and the netcat-style listener (datagrams to stdout, stdin to the most recent
//! sender). Both wait for the socket together with stdin and the shutdown self-pipe
//! ([`crate::net::wait`]). The echo server is a service on the datagram engine
//! (`engine::dgram::unix`).

use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixDatagram};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use serde_json::json;
use socket2::Socket;

use crate::error::{Interrupted, stdout_error};
use crate::net::hexdump::Direction;
use crate::net::relay::RelayOpts;
use crate::net::signals::Shutdown;
use crate::net::wait::{Watch, Woke, wait};
use crate::output::{Level, Output};

/// Largest datagram we read: beyond the default socket buffer, so nothing is truncated.
const MAX_DGRAM: usize = 256 * 1024;
/// How long a reply may wait for room in a slow receiver's queue before it is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a client waits for replies after stdin ends, without `-w`.
pub const DEFAULT_REPLY_WAIT: Duration = Duration::from_secs(2);

/// A socket2 socket as std's `UnixDatagram` (for `recv_from` with Unix addresses).
pub fn into_datagram(sock: Socket) -> UnixDatagram {
    UnixDatagram::from(OwnedFd::from(sock))
}

/// Print a Unix address: a path, `@abstract`, or `unnamed`.
pub fn addr_label(a: &UnixAddr) -> String {
    if let Some(p) = a.as_pathname() {
        return p.display().to_string();
    }
    if let Some(n) = a.as_abstract_name() {
        return format!("@{}", String::from_utf8_lossy(n));
    }
    "unnamed".to_string()
}

/// Wait until `sock` (and optionally stdin) is readable, `deadline` passes or a
/// signal arrives. Returns (socket readable, stdin readable); `Err(Interrupted)` on
/// SIGINT/SIGTERM; SIGUSR1 calls `on_stats` (`--stats`) and the wait goes on.
fn wait_io(
    sock: &UnixDatagram,
    stdin: Option<&io::Stdin>,
    shutdown: &Shutdown,
    deadline: Option<Instant>,
    on_stats: &dyn Fn(),
) -> anyhow::Result<(bool, bool)> {
    let mut watches = vec![Watch::read(sock.as_fd())];
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

fn send_to(sock: &UnixDatagram, data: &[u8], to: &UnixAddr) -> io::Result<usize> {
    loop {
        match sock.send_to_addr(data, to) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// Bytes and datagrams a client moved.
#[derive(Debug, Default, Clone, Copy)]
pub struct DgramStats {
    pub sent: u64,
    pub received: u64,
    pub datagrams_sent: u64,
    pub datagrams_received: u64,
}

/// The client: each stdin line goes out as one datagram (as `udp send` sends them),
/// or with `raw` each chunk read from stdin; every reply is printed. After stdin ends
/// it waits for as many replies as datagrams it sent, for at most `reply_wait` of
/// silence (`-w`; [`DEFAULT_REPLY_WAIT`] without it). A `-w` that passes with no reply
/// at all is an error; one that ends after some replies is a normal end, as with
/// `udp send -w` and nc. SIGUSR1 calls `on_stats` with the counts so far.
pub fn client(
    sock: Socket,
    opts: &RelayOpts,
    reply_wait: Option<Duration>,
    shutdown: &Shutdown,
    raw: bool,
    on_stats: &dyn Fn(&DgramStats),
) -> anyhow::Result<DgramStats> {
    crate::net::trace::checkpoint("sendto", || vec![crate::net::trace::fd(&sock)])?;
    let sock = crate::net::trace::Closing::new(into_datagram(sock));
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut st = DgramStats::default();
    let mut buf = vec![0u8; MAX_DGRAM];
    let mut chunk = vec![0u8; 64 * 1024];
    let mut split = StdinDatagrams::new(raw);
    let mut reading_stdin = !(opts.no_stdin || opts.recv_only);
    let mut last = Instant::now();
    let strict = reply_wait.is_some();
    let reply_wait = reply_wait.unwrap_or(DEFAULT_REPLY_WAIT);
    loop {
        if !reading_stdin {
            if opts.send_only
                || (st.datagrams_sent > 0 && st.datagrams_received >= st.datagrams_sent)
            {
                return Ok(st);
            }
            if last.elapsed() >= reply_wait {
                if strict && st.datagrams_sent > 0 && st.datagrams_received == 0 {
                    anyhow::bail!(
                        "no reply within {} ({} sent)",
                        crate::text::duration(reply_wait),
                        crate::text::plural(st.datagrams_sent, "datagram"),
                    );
                }
                return Ok(st);
            }
        }
        let deadline = (!reading_stdin).then(|| last + reply_wait);
        let (sock_ready, stdin_ready) = wait_io(
            &sock,
            reading_stdin.then_some(&stdin),
            shutdown,
            deadline,
            &|| on_stats(&st),
        )?;
        if sock_ready {
            match sock.recv(&mut buf) {
                Ok(n) => {
                    last = Instant::now();
                    st.received += n as u64;
                    st.datagrams_received += 1;
                    if let Some(d) = &opts.hexdump {
                        d.record(Direction::Received, &buf[..n]);
                    }
                    opts.write_received(&mut stdout.lock(), "datagram", None, &buf[..n])
                        .map_err(stdout_error)?;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                    anyhow::bail!("the server is gone (connection refused)")
                }
                Err(e) => return Err(anyhow!(e).context("recv")),
            }
        }
        if stdin_ready {
            let n = match stdin.lock().read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(anyhow!(e).context("read stdin")),
            };
            if n == 0 {
                reading_stdin = false;
            }
            split.push(&chunk[..n]);
            while let Some(datagram) = split.next(n == 0) {
                send_datagram(&sock, &datagram, opts)?;
                st.sent += datagram.len() as u64;
                st.datagrams_sent += 1;
            }
            last = Instant::now();
        }
    }
}

/// Send one datagram of the client, retrying EINTR; `-x` records it.
fn send_datagram(sock: &UnixDatagram, data: &[u8], opts: &RelayOpts) -> anyhow::Result<()> {
    loop {
        match sock.send(data) {
            Ok(_) => {
                if let Some(d) = &opts.hexdump {
                    d.record(Direction::Sent, data);
                }
                return Ok(());
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if e.raw_os_error() == Some(libc::ECONNREFUSED) => {
                anyhow::bail!("the server is gone (connection refused)")
            }
            Err(e) => return Err(anyhow!(e).context("send")),
        }
    }
}

/// Cuts what stdin gives into datagrams: one per line, newline included, as `udp send`
/// does (a last line without one at EOF is a datagram too; a line longer than a
/// datagram can be goes out in pieces of that size), or with `raw` one per read.
struct StdinDatagrams {
    raw: bool,
    pending: Vec<u8>,
}

impl StdinDatagrams {
    fn new(raw: bool) -> Self {
        StdinDatagrams {
            raw,
            pending: Vec::new(),
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// The next complete datagram; at `eof` whatever is left.
    fn next(&mut self, eof: bool) -> Option<Vec<u8>> {
        if self.pending.is_empty() {
            return None;
        }
        let end = if self.raw {
            Some(self.pending.len())
        } else {
            match self.pending.iter().position(|&b| b == b'\n') {
                Some(i) => Some(i + 1),
                None if eof => Some(self.pending.len()),
                None if self.pending.len() >= MAX_DGRAM => Some(MAX_DGRAM),
                None => None,
            }
        };
        end.map(|e| self.pending.drain(..e.min(MAX_DGRAM)).collect())
    }
}

/// netcat `-lU -u`: print every datagram, send stdin chunks to the latest sender.
/// Ends on SIGINT/SIGTERM, or after `idle` without datagrams (`-w`; an error when none
/// came at all). SIGUSR1 calls
/// `on_stats` with the counts so far.
pub fn listen(
    sock: Socket,
    opts: &RelayOpts,
    idle: Option<Duration>,
    out: &Output,
    shutdown: &Shutdown,
    on_stats: &dyn Fn(&DgramStats),
) -> anyhow::Result<DgramStats> {
    crate::net::trace::checkpoint("recvfrom", || vec![crate::net::trace::fd(&sock)])?;
    let sock = crate::net::trace::Closing::new(into_datagram(sock));
    sock.set_write_timeout(Some(SEND_TIMEOUT))?;
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut st = DgramStats::default();
    let mut buf = vec![0u8; MAX_DGRAM];
    let mut chunk = vec![0u8; 64 * 1024];
    let mut reading_stdin = !(opts.no_stdin || opts.recv_only);
    let mut peer: Option<UnixAddr> = None;
    let mut last = Instant::now();
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
        let want_stdin = reading_stdin && peer.is_some();
        let (sock_ready, stdin_ready) = wait_io(
            &sock,
            want_stdin.then_some(&stdin),
            shutdown,
            idle.map(|l| last + l),
            &|| on_stats(&st),
        )?;
        if sock_ready {
            let (n, from) = sock.recv_from(&mut buf).context("recvfrom")?;
            last = Instant::now();
            st.received += n as u64;
            st.datagrams_received += 1;
            if let Some(d) = &opts.hexdump {
                d.record(Direction::Received, &buf[..n]);
            }
            let label = addr_label(&from);
            if !out.json() {
                // Under --json the datagram's own record (below) says all this.
                out.event(
                    Level::Detail,
                    "datagram",
                    json!({"peer": label, "len": n}),
                    || format!("{} from {label}", crate::text::plural(n as u64, "byte")),
                );
            }
            if !from.is_unnamed() {
                peer = Some(from);
            }
            opts.write_received(&mut stdout.lock(), "datagram", Some(&label), &buf[..n])
                .map_err(stdout_error)?;
        }
        if stdin_ready {
            let n = stdin.lock().read(&mut chunk).context("read stdin")?;
            if n == 0 {
                reading_stdin = false;
                continue;
            }
            if let Some(to) = &peer {
                match send_to(&sock, &chunk[..n], to) {
                    Ok(_) => {
                        st.sent += n as u64;
                        st.datagrams_sent += 1;
                        if let Some(d) = &opts.hexdump {
                            d.record(Direction::Sent, &chunk[..n]);
                        }
                    }
                    Err(e) => out.warn(&format!(
                        "send to {}: {}",
                        addr_label(to),
                        crate::os_error::describe(&e)
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdin_becomes_one_datagram_per_line_or_per_read() {
        let mut lines = StdinDatagrams::new(false);
        lines.push(b"one\ntw");
        assert_eq!(lines.next(false).as_deref(), Some(&b"one\n"[..]));
        assert_eq!(lines.next(false), None);
        lines.push(b"o\n\nthree");
        assert_eq!(lines.next(false).as_deref(), Some(&b"two\n"[..]));
        assert_eq!(lines.next(false).as_deref(), Some(&b"\n"[..]));
        assert_eq!(lines.next(false), None);
        assert_eq!(lines.next(true).as_deref(), Some(&b"three"[..]));
        assert_eq!(lines.next(true), None);
        let mut long = StdinDatagrams::new(false);
        long.push(&vec![b'x'; MAX_DGRAM + 5]);
        assert_eq!(long.next(false).map(|d| d.len()), Some(MAX_DGRAM));
        assert_eq!(long.next(false), None);
        let mut raw = StdinDatagrams::new(true);
        raw.push(b"a\nb\n");
        assert_eq!(raw.next(false).as_deref(), Some(&b"a\nb\n"[..]));
    }
}

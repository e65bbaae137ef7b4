//! Unix datagram sockets (`SOCK_DGRAM`, unix(7)): message boundaries are kept and,
//! unlike UDP, nothing is lost or reordered — a sender whose receiver's queue is full
//! blocks instead. A reply needs an address: a client that never bound its socket is
//! "unnamed" and cannot be answered, which is why our client binds a temporary path.
//!
//! The client relay lives here (stdin out as datagrams, replies to stdout); the
//! netcat-style listener (datagrams to stdout, stdin to the most recent sender) is
//! the one datagram listener of [`super::listen`], shared with UDP. Both wait for the
//! socket together with stdin and the shutdown self-pipe ([`crate::net::wait`]). The echo server is a service on the datagram engine
//! (`engine::dgram::unix`).

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr as UnixAddr, UnixDatagram};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use socket2::Socket;

use crate::error::stdout_error;
use crate::net::hexdump::Direction;
use crate::net::relay::RelayOpts;
use crate::net::signals::Shutdown;
use crate::net::trace;
use crate::output::{Level, Output};

/// Largest datagram we read: beyond the default socket buffer, so nothing is truncated.
const MAX_DGRAM: usize = 256 * 1024;
/// How long a reply may wait for room in a slow receiver's queue before it is dropped.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(1);
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

/// Bytes and datagrams a client moved.
#[derive(Debug, Default, Clone, Copy)]
pub struct DgramStats {
    pub sent: u64,
    pub received: u64,
    pub datagrams_sent: u64,
    pub datagrams_received: u64,
}

impl DgramStats {
    /// Report the counts of a datagram session: `event` is `stats` (SIGUSR1) or
    /// `close`; `peer` is `None` for a listener that heard several.
    pub fn report(&self, out: &Output, peer: Option<&str>, event: &str, level: Level) {
        out.event(
            level,
            event,
            serde_json::json!({"peer": peer, "bytes_out": self.sent, "bytes_in": self.received,
                   "datagrams_out": self.datagrams_sent, "datagrams_in": self.datagrams_received}),
            || {
                format!(
                    "{} sent, {} received",
                    crate::text::plural(self.datagrams_sent, "datagram"),
                    self.datagrams_received
                )
            },
        );
    }
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
        let (sock_ready, stdin_ready) = super::listen::wait_io(
            sock.as_fd(),
            reading_stdin.then_some(&stdin),
            shutdown,
            deadline,
            &|| on_stats(&st),
        )?;
        if sock_ready {
            let fd = sock.as_raw_fd();
            match trace::recv(fd, buf.len(), "0", || sock.recv(&mut buf)) {
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
        match trace::send(sock.as_raw_fd(), data.len(), "0", || sock.send(data)) {
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
pub(crate) struct StdinDatagrams {
    raw: bool,
    pending: Vec<u8>,
}

impl StdinDatagrams {
    pub(crate) fn new(raw: bool) -> Self {
        StdinDatagrams {
            raw,
            pending: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
    }

    /// The next complete datagram; at `eof` whatever is left.
    pub(crate) fn next(&mut self, eof: bool) -> Option<Vec<u8>> {
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

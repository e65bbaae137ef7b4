//! The netcat relay: stdin → socket and socket → stdout at the same time, on one
//! thread with `poll(2)` ([`crate::net::wait`]).
//!
//! TCP is full duplex and each direction ends on its own. When stdin ends we
//! `shutdown(SHUT_WR)` (the peer reads EOF, our FIN) but keep reading; when the peer's
//! FIN arrives we close our stdout at once — so `listen | tar xf -` or `connect |
//! sort` finishes while stdin may still be a terminal — and keep sending. The relay
//! is over when both directions are, as with OpenBSD nc and ncat — so `listen > out` /
//! `connect < in` moves a whole file even when the listener's own stdin is empty.
//! A listener serving client after client (`-k`) keeps stdout for the next one: there
//! the peer's FIN ends this client's turn instead (ncat's semantics).
//!
//! The socket is non-blocking and at most one chunk of stdin is held back, so a peer
//! that echoes (and therefore stops reading when we stop reading) can never deadlock
//! us: while the socket is not writable we still drain it to stdout.
//!
//! stdin is polled too (not put in an epoll set): it may be a regular file or
//! `/dev/null`, which epoll refuses; a closed fd 0 reads as end of input.
//!
//! The far side is a [`Stream`]: a plain socket, or TLS over one — then "half-close"
//! is `close_notify` followed by `shutdown(SHUT_WR)`, output the layer holds back is
//! flushed when the socket is writable, and input it already decrypted is read
//! without waiting.

use std::io::{self, Write};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};

use crate::error::{Interrupted, stdout_error};
use crate::net::hexdump::{Direction, Hexdump};
use crate::net::io::{close_stdout, peer_gone, read_retry, would_block, write_all};
use crate::net::signals::Shutdown;
use crate::net::stream::Stream;
use crate::net::wait::{Watch, Woke, wait};

const CHUNK: usize = 64 * 1024;

/// How the relay behaves (the client flags shared by `connect` and `listen`).
#[derive(Debug, Clone, Default)]
pub struct RelayOpts {
    /// `-d/--no-stdin`: never read stdin (as if it were empty, but no FIN is sent).
    pub no_stdin: bool,
    /// `--send-only`: discard nothing, read nothing from the socket; done at stdin EOF.
    pub send_only: bool,
    /// `--recv-only`: never read stdin; done when the peer closes.
    pub recv_only: bool,
    /// `--no-shutdown`: do not half-close the socket at stdin EOF.
    pub no_shutdown: bool,
    /// `--eof-timeout D`: end D after stdin EOF even if the peer keeps the connection.
    pub eof_timeout: Option<Duration>,
    /// `-w D`: end after D without any data in either direction — normally when
    /// something arrived from the peer, with an error when nothing did.
    pub idle_timeout: Option<Duration>,
    /// `-x FILE`: dump every byte sent and received.
    pub hexdump: Option<Arc<Hexdump>>,
    /// `--json`: what stdout gets for bytes from the peer instead of the bytes
    /// themselves — a record line, from the record name (`data`, `datagram`), the
    /// sender when known, and the bytes. The relay does not know JSON; the caller does.
    pub as_record: Option<RecordFn>,
    /// `listen -k`: the peer's FIN ends the session (stdout stays open for the next
    /// client) instead of closing stdout and sending on until stdin ends.
    pub fin_ends_turn: bool,
    /// `-C/--crlf`: stdin's bare LFs go out as CR LF.
    pub crlf: bool,
}

/// Turns received bytes into the line `--json` prints for them (see [`RelayOpts`]).
pub type RecordFn = fn(&str, Option<&str>, &[u8]) -> String;

impl RelayOpts {
    /// Put bytes from the peer on stdout: raw, or as the record `event` under `--json`.
    pub fn write_received(
        &self,
        out: &mut impl Write,
        event: &str,
        from: Option<&str>,
        data: &[u8],
    ) -> io::Result<()> {
        match self.as_record {
            Some(record) => writeln!(out, "{}", record(event, from, data)),
            None => write_all(out, data),
        }
        .and_then(|_| out.flush())
    }
}

/// Stdin's state across connections (`listen -k` serves several in turn).
#[derive(Debug, Default)]
pub struct StdinState {
    eof: bool,
}

/// Bytes moved by one relay.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RelayStats {
    pub sent: u64,
    pub received: u64,
}

/// Copy between stdin/stdout and `sock` (made non-blocking here) until both
/// directions are done.
///
/// Returns an [`Interrupted`] error on SIGINT/SIGTERM, an idle-timeout error after
/// `-w` of silence, [`StdoutClosed`](crate::error::StdoutClosed) when our reader went
/// away, and the socket error (reset, …) otherwise. SIGUSR1 calls `on_stats` with the
/// counts so far (`--stats`), or is ignored without it.
pub fn relay(
    sock: &mut dyn Stream,
    opts: &RelayOpts,
    stdin_state: &mut StdinState,
    shutdown: &Shutdown,
    on_stats: Option<&dyn Fn(RelayStats)>,
) -> anyhow::Result<RelayStats> {
    sock.set_nonblocking()
        .context("set the socket non-blocking")?;
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut stats = RelayStats::default();
    let mut pending: Vec<u8> = Vec::with_capacity(CHUNK);
    let mut offset = 0usize;
    let mut buf = vec![0u8; CHUNK];
    // -C: whether the previous chunk of stdin ended in CR (its LF is already a pair).
    let mut last_cr = false;

    let mut sending = !(opts.recv_only || opts.no_stdin);
    let mut receiving = !opts.send_only;
    let mut fin_sent = false;
    let mut eof_at: Option<Instant> = None;
    let mut last_activity = Instant::now();

    if sending && stdin_state.eof {
        sending = false;
    }
    if !sending && !opts.no_stdin && !opts.no_shutdown {
        // stdin was already finished (or is not ours to read): say so to the peer now.
        half_close(sock, &mut fin_sent);
        eof_at = Some(Instant::now());
    }

    // A report asked for just before the session began (while a listener waited
    // for its connection) is answered now, not at the next wake-up.
    if let (true, Some(report)) = (shutdown.take_stats_request(), on_stats) {
        report(stats);
    }
    loop {
        let send_done = !sending && offset >= pending.len() && !sock.wants_write();
        if send_done && !receiving {
            return Ok(stats);
        }
        if send_done && opts.send_only {
            return Ok(stats);
        }
        if let Some(at) = eof_at {
            if let Some(limit) = opts.eof_timeout {
                if at.elapsed() >= limit {
                    return Ok(stats);
                }
            }
        }
        if let Some(limit) = opts.idle_timeout {
            // `-w` ends a transfer that happened (0, as nc does) and fails a wait that
            // saw nothing from the peer.
            if last_activity.elapsed() >= limit && stats.received > 0 {
                return Ok(stats);
            }
            if last_activity.elapsed() >= limit {
                bail!(
                    "no data for {} (idle timeout)",
                    crate::text::duration(limit)
                );
            }
        }

        let want_stdin = sending && offset >= pending.len();
        let want_sock_out = offset < pending.len() || sock.wants_write();
        // Input the layer already holds is read without waiting for the socket.
        let buffered = receiving && sock.buffered();
        let deadline = if buffered {
            Some(Instant::now())
        } else {
            next_deadline(opts, eof_at, last_activity)
        };
        let mut watches = Vec::with_capacity(2);
        watches.push(Watch::new(sock.fd(), receiving, want_sock_out));
        if want_stdin {
            watches.push(Watch::read(stdin.as_fd()));
        }
        match wait(&mut watches, shutdown, deadline).context("wait for the socket and stdin")? {
            Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
            Woke::Timeout if buffered => {}
            // The limits at the top of the loop say what a timeout means.
            Woke::Timeout => continue,
            Woke::Ready => {
                if let (true, Some(report)) = (shutdown.take_stats_request(), on_stats) {
                    report(stats);
                }
            }
        }
        let sock_ready = watches[0].readable() || buffered;
        let sock_writable = watches[0].writable();
        let stdin_ready = watches.get(1).is_some_and(Watch::ready);
        let stdin_closed = watches.get(1).is_some_and(Watch::invalid);

        // Socket → stdout.
        if receiving && sock_ready {
            match sock.read(&mut buf) {
                Ok(0) if opts.fin_ends_turn => {
                    // Hand over what is held of stdin if the socket takes it now;
                    // what stays unread on stdin is the next client's.
                    if offset < pending.len() {
                        if let Ok(n) = sock.write(&pending[offset..]) {
                            stats.sent += n as u64;
                        }
                    }
                    return Ok(stats);
                }
                Ok(0) => {
                    receiving = false;
                    // Under --json stdout carries the records still to come.
                    if opts.as_record.is_none() {
                        close_stdout().map_err(stdout_error)?;
                    }
                }
                Ok(n) => {
                    last_activity = Instant::now();
                    stats.received += n as u64;
                    if let Some(dump) = &opts.hexdump {
                        dump.record(Direction::Received, &buf[..n]);
                    }
                    opts.write_received(&mut stdout.lock(), "data", None, &buf[..n])
                        .map_err(stdout_error)?;
                }
                Err(e) if would_block(&e) => {}
                Err(e) if peer_gone(&e) => bail!("connection reset by peer"),
                Err(e) => return Err(anyhow!(e).context("read from socket")),
            }
        }

        // stdin → pending.
        if want_stdin && stdin_ready {
            let eof = if stdin_closed {
                true
            } else {
                match read_retry(&mut stdin.lock(), &mut buf) {
                    Ok(0) => true,
                    Ok(n) => {
                        pending.clear();
                        if opts.crlf {
                            last_cr = crlf_into(&buf[..n], last_cr, &mut pending);
                        } else {
                            pending.extend_from_slice(&buf[..n]);
                        }
                        offset = 0;
                        false
                    }
                    Err(e) if would_block(&e) => false,
                    Err(e) => return Err(anyhow!(e).context("read stdin")),
                }
            };
            if eof {
                stdin_state.eof = true;
                sending = false;
                eof_at = Some(Instant::now());
            }
        }

        // Output the layer held back (TLS records) goes first.
        if sock.wants_write() && sock_writable {
            match sock.flush() {
                Err(e) if would_block(&e) => {}
                Err(e) if peer_gone(&e) => bail!("connection reset by peer"),
                Err(e) => return Err(anyhow!(e).context("write to socket")),
                Ok(()) => {}
            }
        }

        // pending → socket (try at once: usually the socket is writable).
        if offset < pending.len() {
            loop {
                match sock.write(&pending[offset..]) {
                    Ok(n) => {
                        if let Some(dump) = &opts.hexdump {
                            dump.record(Direction::Sent, &pending[offset..offset + n]);
                        }
                        offset += n;
                        stats.sent += n as u64;
                        last_activity = Instant::now();
                        if offset >= pending.len() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) if would_block(&e) => break,
                    Err(e) if peer_gone(&e) && !receiving => {
                        // The peer closed completely; what is left cannot be delivered.
                        bail!("peer closed the connection before all input was sent");
                    }
                    Err(e) if peer_gone(&e) => bail!("connection reset by peer"),
                    Err(e) => return Err(anyhow!(e).context("write to socket")),
                }
            }
        }
        if !sending && offset >= pending.len() && !opts.no_shutdown && !opts.no_stdin {
            half_close(sock, &mut fin_sent);
        }
    }
}

/// Append `chunk` to `out` with every LF not already after a CR turned into CR LF;
/// `after_cr` says whether the byte before `chunk` was a CR. Returns the same for the
/// next chunk.
pub fn crlf_into(chunk: &[u8], mut after_cr: bool, out: &mut Vec<u8>) -> bool {
    for &b in chunk {
        if b == b'\n' && !after_cr {
            out.push(b'\r');
        }
        out.push(b);
        after_cr = b == b'\r';
    }
    after_cr
}

fn half_close(sock: &mut dyn Stream, fin_sent: &mut bool) {
    if !*fin_sent {
        // ENOTCONN after a peer reset is harmless here: the read side reports it.
        let _ = sock.shutdown_write();
        *fin_sent = true;
    }
}

/// When the relay must look at its limits again: the sooner of the `--eof-timeout`
/// and `-w` deadlines, if any.
fn next_deadline(opts: &RelayOpts, eof_at: Option<Instant>, last: Instant) -> Option<Instant> {
    let eof = eof_at.zip(opts.eof_timeout).map(|(at, limit)| at + limit);
    let idle = opts.idle_timeout.map(|limit| last + limit);
    match (eof, idle) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::crlf_into;

    #[test]
    fn crlf_turns_bare_lfs_into_pairs_across_chunks() {
        let mut out = Vec::new();
        let cr = crlf_into(b"a\nb\r\nc\r", false, &mut out);
        assert!(cr);
        let cr = crlf_into(b"\nd\n", cr, &mut out);
        assert!(!cr);
        assert_eq!(out, b"a\r\nb\r\nc\r\nd\r\n");
    }
}

//! The blocking connection loop shared by the fork and thread engines: read, feed the
//! service, write everything it queued, repeat. Blocking I/O is the simplest model —
//! each connection has a whole thread (or process) that may wait in `read(2)`.
//!
//! Timeouts are socket options here (`SO_RCVTIMEO`/`SO_SNDTIMEO`, socket(7)): a read
//! or write that waits longer fails with `EAGAIN`, and the connection is closed.

use std::io;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::conn::{Flush, flush_outbox};
use super::service::{Outbox, Service, Verdict};
use super::stats::Tap;
use super::{CloseReason, ServerConfig};
use crate::net::io::{peer_gone, read_retry};

const READ_CHUNK: usize = 64 * 1024;

/// Bytes moved on one connection and why it ended.
#[derive(Debug, Clone, Copy)]
pub struct ConnResult {
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub reason: CloseReason,
}

/// Serve `sock` with `svc` until the service, the peer or a timeout ends it.
/// Every byte passes through `tap` (live counters, `-x`).
pub fn serve_conn<S: Service>(
    sock: &Socket,
    svc: &mut S,
    config: &ServerConfig,
    tap: &Tap,
) -> ConnResult {
    let mut r = ConnResult {
        bytes_in: 0,
        bytes_out: 0,
        reason: CloseReason::Done,
    };
    let _ = sock.set_nonblocking(false);
    let _ = sock.set_write_timeout(config.idle_timeout);
    let mut out = Outbox::default();
    let mut buf = vec![0u8; READ_CHUNK];
    let mut verdict = svc.on_open(&mut out);
    let mut reading = true;
    r.reason = loop {
        // Send what the service queued; a failed write ends this connection only.
        let had_output = !out.is_empty();
        match flush_outbox(sock, &mut out, &mut r.bytes_out, tap) {
            Ok(Flush::Done) => {}
            // On a blocking socket EAGAIN means SO_SNDTIMEO expired: the peer has not
            // taken a byte for the idle timeout (a client that never reads).
            Ok(Flush::WouldBlock) => break CloseReason::IdleTimeout,
            Err(e) => break classify(&e),
        }
        if had_output && verdict == Verdict::Keep {
            verdict = svc.on_flushed(&mut out);
            if !out.is_empty() {
                continue;
            }
        }
        match verdict {
            Verdict::Keep => {}
            Verdict::Close => break CloseReason::Done,
            Verdict::HalfClose => {
                let _ = sock.shutdown(std::net::Shutdown::Write);
            }
        }
        if !reading {
            break CloseReason::PeerClosed;
        }
        let wait = read_timeout(config.idle_timeout, svc.deadline());
        if wait == Some(Duration::ZERO) {
            break CloseReason::Deadline;
        }
        let _ = sock.set_read_timeout(wait);
        match read_retry(&mut &*sock, &mut buf) {
            Ok(0) => {
                reading = false;
                let v = svc.on_eof(&mut out);
                verdict = if verdict == Verdict::HalfClose && v == Verdict::Keep {
                    Verdict::Close
                } else {
                    v
                };
                if verdict == Verdict::Keep {
                    verdict = Verdict::Close;
                }
            }
            Ok(n) => {
                r.bytes_in += n as u64;
                tap.received(&buf[..n]);
                let v = svc.on_data(&buf[..n], &mut out);
                if verdict != Verdict::HalfClose || v == Verdict::Close {
                    verdict = v;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                break if svc.deadline().is_some_and(|d| d <= Instant::now()) {
                    CloseReason::Deadline
                } else {
                    CloseReason::IdleTimeout
                };
            }
            Err(e) => break classify(&e),
        }
    };
    svc.on_close(&out);
    r
}

fn classify(e: &io::Error) -> CloseReason {
    if peer_gone(e) {
        CloseReason::Reset
    } else if e.kind() == io::ErrorKind::WouldBlock {
        CloseReason::IdleTimeout
    } else {
        CloseReason::Error
    }
}

/// The read timeout: the idle timeout or the time left to the service's deadline,
/// whichever is sooner; `Some(ZERO)` when the deadline has passed.
fn read_timeout(idle: Option<Duration>, deadline: Option<Instant>) -> Option<Duration> {
    let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
    match (idle, left) {
        (Some(i), Some(l)) => Some(i.min(l)),
        (i, l) => i.or(l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_timeout_takes_the_sooner() {
        let s = Duration::from_secs;
        assert_eq!(read_timeout(None, None), None);
        assert_eq!(read_timeout(Some(s(5)), None), Some(s(5)));
        let soon = Instant::now() + s(1);
        assert!(read_timeout(Some(s(5)), Some(soon)).unwrap() <= s(1));
        let past = Instant::now() - s(1);
        assert_eq!(read_timeout(None, Some(past)), Some(Duration::ZERO));
    }
}

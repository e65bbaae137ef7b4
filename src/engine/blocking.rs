//! The blocking driver shared by the fork and thread engines: read, feed the
//! connection core, send everything it queued, repeat. Blocking I/O is the simplest
//! model — each connection has a whole thread (or process) that may wait in `read(2)`.
//! What the bytes mean and when to half-close or close is the
//! [connection core](super::core)'s, exactly as for the event loops.
//!
//! Timeouts are socket options here (`SO_RCVTIMEO`/`SO_SNDTIMEO`, socket(7)): a read
//! or write that waits longer fails with `EAGAIN`, and the connection is closed.

use std::io;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::conn::{Flush, flush_outbox};
use super::core::ConnCore;
use super::service::Service;
use super::stats::Tap;
use super::{CloseReason, ConnResult, ServerConfig};
use crate::net::io::read_retry;

const READ_CHUNK: usize = 64 * 1024;

/// Serve `sock` with `svc` until the service, the peer or a timeout ends it.
/// Every byte passes through `tap` (live counters, `-x`).
pub fn serve_conn<S: Service>(
    sock: &Socket,
    svc: S,
    config: &ServerConfig,
    tap: &Tap,
) -> ConnResult {
    let _ = sock.set_nonblocking(false);
    let _ = sock.set_write_timeout(config.idle_timeout);
    let mut core = ConnCore::open(svc);
    let (mut bytes_in, mut bytes_out) = (0u64, 0u64);
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        // Send what the service queued; a failed write ends this connection only.
        let flushed = core.flush(
            |out| flush_outbox(sock, out, &mut bytes_out, tap),
            || {
                let _ = sock.shutdown(std::net::Shutdown::Write);
            },
        );
        if flushed == Flush::WouldBlock {
            // On a blocking socket EAGAIN means SO_SNDTIMEO expired: the peer has not
            // taken a byte for the idle timeout (a client that never reads).
            core.end(CloseReason::IdleTimeout);
        }
        if core.finished().is_some() {
            break;
        }
        let wait = read_timeout(config.idle_timeout, core.deadline());
        if wait == Some(Duration::ZERO) {
            core.end(CloseReason::Deadline);
            break;
        }
        let _ = sock.set_read_timeout(wait);
        match read_retry(&mut &*sock, &mut buf) {
            Ok(0) => core.on_eof(),
            Ok(n) => {
                bytes_in += n as u64;
                tap.received(&buf[..n]);
                core.on_data(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                core.end(if core.deadline().is_some_and(|d| d <= Instant::now()) {
                    CloseReason::Deadline
                } else {
                    CloseReason::IdleTimeout
                });
            }
            Err(e) => core.on_read_error(&e),
        }
    }
    ConnResult {
        bytes_in,
        bytes_out,
        reason: core.close(),
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
    use crate::proto::echo::Echo;
    use std::io::{Read, Write};

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

    #[test]
    fn echoes_until_the_peer_half_closes() {
        let (a, b) = Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap();
        let server = std::thread::spawn(move || {
            serve_conn(&a, Echo, &ServerConfig::default(), &Tap::detached())
        });
        (&b).write_all(b"ping").unwrap();
        b.shutdown(std::net::Shutdown::Write).unwrap();
        let mut got = Vec::new();
        (&b).read_to_end(&mut got).unwrap();
        assert_eq!(got, b"ping");
        let r = server.join().unwrap();
        assert_eq!(
            (r.bytes_in, r.bytes_out, r.reason),
            (4, 4, CloseReason::Done)
        );
    }
}

//! The blocking driver shared by the fork and thread engines: read, feed the
//! connection core, send everything it queued, repeat. Blocking I/O is the simplest
//! model — each connection has a whole thread (or process) that may wait in `read(2)`.
//! What the bytes mean and when to half-close or close is the
//! [connection core](super::core)'s, exactly as for the event loops.
//!
//! A connection whose service owns an upstream cannot wait in one `read`: it is run
//! by [`super::upstream::serve_alone`] instead, on this thread.
//!
//! Timeouts are socket options here (`SO_RCVTIMEO`/`SO_SNDTIMEO`, socket(7)): a read
//! or write that waits longer fails with `EAGAIN`, and the connection is closed.
//!
//! fork and thread have another thread of control (the parent, the accept loop) that
//! ends a connection at shutdown with `shutdown(SHUT_RD)`. The iterative engine has
//! none — its one thread is inside this loop — so it serves with
//! [`serve_conn_watching`]: before each read it waits for the socket *and* the
//! server's shutdown pipe, and a stop becomes the same `SHUT_RD`.

use std::io;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::conn::{Flush, flush_outbox};
use super::core::ConnCore;
use super::service::Service;
use super::stats::Tap;
use super::{CloseReason, ConnResult, EngineCtx, ServerConfig};
use crate::net::signals::Shutdown;
use crate::net::wait::{Watch, Woke, wait};

const READ_CHUNK: usize = 64 * 1024;

/// Serve `sock` with `svc` until the service, the peer or a timeout ends it.
/// Every byte passes through `tap` (live counters, `-x`).
/// `stop`: the shutdown to watch where nothing else ends the connection at a stop
/// (the thread engine; a fork child is signalled by its parent).
pub fn serve_conn<S: Service>(
    sock: &Socket,
    svc: S,
    config: &ServerConfig,
    tap: &Tap,
    stop: Option<&Shutdown>,
) -> ConnResult {
    drive(sock, svc, config, tap, None, stop)
}

/// [`serve_conn`] for a driver with no other thread to stop it: each read first waits
/// for the socket or the server's shutdown pipe (SIGUSR1 reports and waits on;
/// SIGINT/SIGTERM half-close the read side, so the service sees end of stream, its
/// queued output is sent, and the connection ends as under the thread engine).
pub fn serve_conn_watching<S: Service>(
    sock: &Socket,
    svc: S,
    ctx: &EngineCtx<'_>,
    tap: &Tap,
) -> ConnResult {
    drive(sock, svc, ctx.config, tap, Some(ctx), Some(ctx.shutdown))
}

/// What waiting for the socket before a read found.
enum BeforeRead {
    Readable,
    TimedOut,
    Stopped,
}

/// Wait until `sock` is readable, `wait` passes, or the server is told to stop.
fn wait_readable(sock: &Socket, ctx: &EngineCtx<'_>, wait_for: Option<Duration>) -> BeforeRead {
    use std::os::fd::AsFd;
    let deadline = wait_for.map(|w| Instant::now() + w);
    loop {
        let mut watch = [Watch::read(sock.as_fd())];
        ctx.counters.io.wait();
        match wait(&mut watch, ctx.shutdown, deadline) {
            Ok(Woke::Ready) => {
                ctx.on_wake();
                if watch[0].ready() {
                    ctx.counters.io.events(1);
                    return BeforeRead::Readable;
                }
            }
            Ok(Woke::Timeout) => return BeforeRead::TimedOut,
            Ok(Woke::Stop(_)) => return BeforeRead::Stopped,
            // The read below reports what is wrong.
            Err(_) => return BeforeRead::Readable,
        }
    }
}

fn drive<S: Service>(
    sock: &Socket,
    svc: S,
    config: &ServerConfig,
    tap: &Tap,
    watching: Option<&EngineCtx<'_>>,
    stop: Option<&Shutdown>,
) -> ConnResult {
    let mut core = ConnCore::open(svc);
    if core.has_upstream() {
        return super::upstream::serve_alone(sock, core, config, tap, stop);
    }
    let _ = crate::net::socket::set_nonblocking_io(sock, false);
    let _ = sock.set_write_timeout(config.idle_timeout);
    let (mut bytes_in, mut bytes_out) = (0u64, 0u64);
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        // Send what the service queued; a failed write ends this connection only.
        let flushed = core.flush(
            |out| flush_outbox(sock, out, &mut bytes_out, tap),
            || {
                let _ = crate::net::trace::shutdown(sock, std::net::Shutdown::Write);
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
        let timed_out = |core: &mut ConnCore<S>| {
            core.end(if core.deadline().is_some_and(|d| d <= Instant::now()) {
                CloseReason::Deadline
            } else {
                CloseReason::IdleTimeout
            });
        };
        if let Some(ctx) = watching {
            match wait_readable(sock, ctx, wait) {
                BeforeRead::Readable => {}
                BeforeRead::TimedOut => {
                    timed_out(&mut core);
                    break;
                }
                // The read below sees end of stream, as after the thread engine's
                // shutdown(SHUT_RD).
                BeforeRead::Stopped => {
                    let _ = sock.shutdown(std::net::Shutdown::Read);
                }
            }
        }
        let _ = sock.set_read_timeout(wait);
        let read = super::conn::recv(sock, &mut buf);
        tap.read_result(&read);
        match read {
            Ok(0) => core.on_eof(),
            Ok(n) => {
                bytes_in += n as u64;
                tap.received(&buf[..n]);
                core.on_data(&buf[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => timed_out(&mut core),
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
            serve_conn(&a, Echo, &ServerConfig::default(), &Tap::detached(), None)
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

//! One connection in a single-threaded event engine (select, poll, epoll, reactor):
//! a non-blocking socket around the [connection core](super::core) (service, outbox,
//! verdict rules), plus what only a readiness driver needs — which readiness to ask
//! the selector for next, read budgets, timers.
//!
//! The blocking engines can simply wait inside `read` or `write`; here nothing may
//! wait, so the connection's state is explicit:
//! * reading stops while the outbox is above the high-water mark (the core says so:
//!   a client that sends but never reads cannot grow our memory without bound);
//! * write interest is wanted only while output is pending — an idle socket is
//!   almost always writable, and asking for `EPOLLOUT` then would wake us for nothing.
//!
//! A connection whose service owns an upstream carries its [`UpLink`] here: a second
//! socket the loop registers under a second token ([`sync_upstream`](NbConn::sync_upstream)).

use std::io;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::accept::Acceptor;
use super::conn::{flush_outbox, recv};
use super::core::ConnCore;
use super::counts::IoCounts;
use super::selector::{Event, Interest, Selector, Token};
use super::service::{Service, ServiceFactory};
use super::stats::{Slot, Tap};
use super::upstream::UpLink;
use super::{CloseReason, ConnResult, EngineCtx, ServerConfig};
use crate::net::peer::Peer;
use crate::net::trace;

/// The read buffer an event loop shares between all its connections.
pub const READ_CHUNK: usize = 64 * 1024;

/// How a read turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadEnd {
    /// `EAGAIN`: the socket is drained (edge-triggered loops wait for the next edge).
    Drained,
    /// Stopped early (read budget spent, or backpressure): data may still be waiting.
    MaybeMore,
    /// End of stream or the connection must close.
    Stopped,
}

/// A connection driven by readiness events.
pub struct NbConn<S: Service> {
    /// Its `--max-connections` slot, given back when the connection is dropped —
    /// first (fields drop in order), so the slot is free by the time the peer sees
    /// the socket close.
    _slot: Option<Slot>,
    pub sock: Socket,
    pub id: u64,
    pub peer: Peer,
    core: ConnCore<S>,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub last_active: Instant,
    tap: Tap,
    /// The upstream connection, when the service owns one.
    up: Option<UpLink>,
}

impl<S: Service> NbConn<S> {
    /// Wrap an accepted socket (made non-blocking here) and greet via `on_open`.
    pub fn new(sock: Socket, id: u64, peer: Peer, svc: S, tap: Tap) -> NbConn<S> {
        NbConn::with_core(sock, id, peer, ConnCore::open(svc), tap)
    }

    /// [`new`](Self::new) for a core already opened; an upstream the service asked
    /// for starts connecting here.
    pub fn with_core(
        sock: Socket,
        id: u64,
        peer: Peer,
        mut core: ConnCore<S>,
        tap: Tap,
    ) -> NbConn<S> {
        if crate::net::socket::set_nonblocking_io(&sock, true).is_err() {
            core.end(CloseReason::Error);
        }
        let up = core
            .take_upstream()
            .filter(|_| core.finished().is_none())
            .map(|plan| UpLink::connect(plan, &mut core));
        NbConn {
            _slot: None,
            sock,
            id,
            peer,
            core,
            bytes_in: 0,
            bytes_out: 0,
            last_active: Instant::now(),
            tap,
            up,
        }
    }

    /// Whether reading makes sense now (see [`ConnCore::wants_read`]).
    pub fn wants_read(&self) -> bool {
        self.core.wants_read()
    }

    /// Whether output is waiting for the socket to become writable.
    pub fn wants_write(&self) -> bool {
        self.core.wants_write()
    }

    /// The readiness to ask the selector for.
    pub fn interest(&self) -> Interest {
        Interest::new(self.wants_read(), self.wants_write())
    }

    /// `Some(reason)` once the connection should be closed.
    pub fn finished(&self) -> Option<CloseReason> {
        self.core.finished()
    }

    /// Read up to `max_reads` times into `buf`, feeding the service, then send what
    /// it queued. Level-triggered loops pass 1; edge-triggered ones a small budget.
    pub fn on_readable(&mut self, buf: &mut [u8], max_reads: usize) -> ReadEnd {
        self.on_readable_until(buf, max_reads, false)
    }

    /// [`on_readable`](Self::on_readable) for edge-triggered loops: with `short_drains`,
    /// a read that does not fill `buf` emptied the receive queue, and anything arriving
    /// later is a new edge, so the read that would only say `EAGAIN` is skipped (tokio
    /// clears readiness the same way). Only valid while the peer has not closed: a FIN
    /// that arrived with the data raises no further edge, so then read on to EOF.
    pub fn on_readable_until(
        &mut self,
        buf: &mut [u8],
        max_reads: usize,
        short_drains: bool,
    ) -> ReadEnd {
        self.read_turn(buf, max_reads, short_drains, false)
    }

    /// One read for a batching service ([`ServiceFactory::batches`]): the bytes go to
    /// `on_data_batched` and nothing is sent yet; [`answer_batch`](Self::answer_batch)
    /// follows once the loop has read every ready connection.
    pub fn read_batched(&mut self, buf: &mut [u8], short_drains: bool) -> ReadEnd {
        self.read_turn(buf, 1, short_drains, true)
    }

    /// Let the service answer what it kept during the turn, then send it.
    pub fn answer_batch(&mut self) {
        self.core.on_turn_end();
        self.on_writable();
    }

    fn read_turn(
        &mut self,
        buf: &mut [u8],
        max_reads: usize,
        short_drains: bool,
        batched: bool,
    ) -> ReadEnd {
        let mut end = ReadEnd::MaybeMore;
        if self.wants_read() {
            let (core, tap) = (&mut self.core, &self.tap);
            let (bytes_in, last_active) = (&mut self.bytes_in, &mut self.last_active);
            let res = read_socket(
                &self.sock,
                Some(tap.io()),
                buf,
                max_reads,
                short_drains,
                |data| {
                    *last_active = Instant::now();
                    match data {
                        None => core.on_eof(),
                        Some(d) => {
                            *bytes_in += d.len() as u64;
                            tap.received(d);
                            if batched {
                                core.on_data_batched(d);
                            } else {
                                core.on_data(d);
                            }
                        }
                    }
                    core.wants_read()
                },
            );
            match res {
                Ok(e) => end = e,
                Err(e) => {
                    // Usually the end; an error a layer reads as end of stream
                    // still lets the queued output go out below.
                    self.core.on_read_error(&e);
                    end = ReadEnd::Stopped;
                }
            }
        }
        if !batched {
            self.on_writable();
        }
        if self.finished().is_some() {
            ReadEnd::Stopped
        } else {
            end
        }
    }

    /// A message through the hub; what it queues goes out at the next
    /// [`on_writable`](Self::on_writable), once a turn's messages are all in.
    pub fn on_message(&mut self, msg: super::hub::HubMsg<'_>) {
        self.core.on_message(msg);
    }

    /// Bytes waiting to be sent to the client (the hub's congestion).
    pub fn queued_bytes(&self) -> u64 {
        self.core.queued_bytes()
    }

    /// Send what the outbox holds (until the socket would block); the core applies
    /// the verdict once it is empty. The upstream's outbox, if any, is sent too.
    pub fn on_writable(&mut self) {
        let before = self.moved();
        let (sock, bytes_out, tap) = (&self.sock, &mut self.bytes_out, &self.tap);
        self.core.flush(
            |out| flush_outbox(sock, out, bytes_out, tap),
            || {
                let _ = trace::shutdown(sock, std::net::Shutdown::Write);
            },
        );
        if let Some(up) = &mut self.up {
            up.flush(&mut self.core);
        }
        if self.moved() != before {
            self.last_active = Instant::now();
        }
    }

    /// Bytes moved on both ends so far (any change is activity).
    fn moved(&self) -> u64 {
        let up = self.up.as_ref().map_or(0, |u| u.bytes_in + u.bytes_out);
        self.bytes_in + self.bytes_out + up
    }

    /// A readiness report for the upstream socket: a connect finishes (or fails over
    /// to the next endpoint), pending output goes out; reading waits for
    /// [`drive_upstream`](Self::drive_upstream).
    pub fn on_upstream_event(&mut self, ev: &Event) {
        if let Some(up) = &mut self.up {
            up.on_event(&mut self.core, ev);
            if ev.writable {
                self.on_writable();
            }
        }
    }

    /// Read the upstream if it reported data and the client has room (`max_reads`
    /// reads; `edge`: drained-to-`EAGAIN` bookkeeping), then send what that queued.
    pub fn drive_upstream(&mut self, buf: &mut [u8], max_reads: usize, edge: bool) {
        let Some(up) = &mut self.up else {
            return;
        };
        if up.read(&mut self.core, buf, max_reads, edge) {
            // Data, or the end of stream to pass on: send it.
            self.on_writable();
        }
    }

    /// Edge-triggered: the upstream has unread data the client now has room for.
    pub fn upstream_pending(&self) -> bool {
        self.up.as_ref().is_some_and(|u| u.pending(&self.core))
    }

    /// Register the upstream socket under `token` or update its interest (and
    /// deregister the sockets of failed attempts).
    pub fn sync_upstream<Sel: Selector>(&mut self, sel: &mut Sel, token: Token) -> io::Result<()> {
        match &mut self.up {
            Some(up) => up.sync(sel, token, &self.core),
            None => Ok(()),
        }
    }

    /// Take the connection's sockets out of `sel` before it closes.
    pub fn deregister<Sel: Selector>(&mut self, sel: &mut Sel) {
        let _ = sel.deregister(self.sock.as_fd());
        if let Some(up) = &mut self.up {
            up.deregister(sel);
        }
    }

    /// Close the connection if it has been idle too long or its service's deadline
    /// passed; returns whether it is now finished.
    /// An upstream connect past its `-w` deadline fails over to the next endpoint:
    /// that too returns true, so the loop registers the new socket.
    pub fn check_timers(&mut self, now: Instant, config: &ServerConfig) -> bool {
        let failed_over = self
            .up
            .as_mut()
            .is_some_and(|up| up.check_timer(&mut self.core, now));
        let over = self
            .core
            .check_timers(now, self.last_active, config.idle_timeout);
        failed_over || over
    }

    /// Mark the connection to be closed for `reason` (shutdown, selector failure).
    pub fn abort(&mut self, reason: CloseReason) {
        self.core.end(reason);
    }

    /// Tear down: tell the service, give the slot back, close the socket (`close(2)`,
    /// shown by `--explain`) and log.
    pub fn close(self, ctx: &EngineCtx<'_>) {
        let (id, peer) = (self.id, self.peer.clone());
        let r = self.into_result();
        ctx.log_close(id, &peer, &r);
    }

    /// Tear down without logging: what moved on the client's end and why it ended.
    pub fn into_result(mut self) -> ConnResult {
        let r = ConnResult {
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            reason: self.core.close(),
        };
        let NbConn { _slot, sock, .. } = self;
        drop(_slot);
        trace::close(sock);
        r
    }
}

/// Read `sock` into `buf` up to `max_reads` times, handing each chunk to `feed`
/// (`None`: end of stream), which says whether to go on. With `short_drains`, a read
/// that does not fill `buf` counts as drained (see
/// [`NbConn::on_readable_until`]). Shared by the client and upstream ends;
/// `counts`: the engine counters the reads go to (the client end's).
pub fn read_socket(
    sock: &Socket,
    counts: Option<&IoCounts>,
    buf: &mut [u8],
    max_reads: usize,
    short_drains: bool,
    mut feed: impl FnMut(Option<&[u8]>) -> bool,
) -> io::Result<ReadEnd> {
    for _ in 0..max_reads {
        let read = recv(sock, buf);
        if let Some(c) = counts {
            c.read(&read);
        }
        match read {
            Ok(0) => {
                feed(None);
                return Ok(ReadEnd::Stopped);
            }
            Ok(n) => {
                let more = feed(Some(&buf[..n]));
                if short_drains && n < buf.len() {
                    return Ok(ReadEnd::Drained);
                }
                if !more {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(ReadEnd::Drained),
            Err(e) => return Err(e),
        }
    }
    Ok(ReadEnd::MaybeMore)
}

/// Turn an accepted socket into a connection, or refuse it when the server is at
/// `--max-connections` (the service's refusal is sent first, best effort).
pub fn admit<F: ServiceFactory>(
    acceptor: &Acceptor,
    sock: Socket,
    peer: Peer,
    factory: &F,
    ctx: &EngineCtx<'_>,
) -> Option<NbConn<F::Service>> {
    let (info, slot) = acceptor.admit(&sock, peer, factory, ctx)?;
    ctx.log_open(info.id, &info.peer);
    let svc = factory.open(&info);
    let mut conn = NbConn::new(sock, info.id, info.peer, svc, ctx.tap(info.id));
    conn._slot = Some(slot);
    Some(conn)
}

/// How often an event loop checks idle timeouts and service deadlines: often enough
/// for a short `--idle-timeout` to be honoured closely, never more than 4 times a
/// second for the sake of idle servers. Connections are checked in that sweep rather
/// than kept in a timer heap: O(n) four times a second is cheap even at 10,000.
pub fn sweep_interval(config: &ServerConfig) -> Duration {
    let cap = Duration::from_millis(250);
    match config.idle_timeout {
        Some(idle) => (idle / 4).clamp(Duration::from_millis(10), cap),
        None => cap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::service::{Outbox, Verdict};
    use crate::proto::echo::Echo;
    use std::io::{Read, Write};

    fn pair() -> (Socket, Socket) {
        Socket::pair(socket2::Domain::UNIX, socket2::Type::STREAM, None).unwrap()
    }

    fn peer() -> Peer {
        Peer::from(std::net::SocketAddr::from(([127, 0, 0, 1], 9)))
    }

    #[test]
    fn echoes_then_closes_after_eof() {
        let (a, b) = pair();
        let mut c = NbConn::new(a, 1, peer(), Echo, crate::engine::Tap::detached());
        assert_eq!(c.interest(), Interest::READ);
        (&b).write_all(b"hello").unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(c.on_readable(&mut buf, 4), ReadEnd::Drained);
        let mut got = [0u8; 5];
        (&b).read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello");
        b.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(c.on_readable(&mut buf, 4), ReadEnd::Stopped);
        assert_eq!(c.finished(), Some(CloseReason::Done));
        assert_eq!((c.bytes_in, c.bytes_out), (5, 5));
    }

    #[test]
    fn read_budget_and_short_reads_decide_drained() {
        let (a, b) = pair();
        let mut c = NbConn::new(a, 1, peer(), Echo, crate::engine::Tap::detached());
        (&b).write_all(&[1u8; 32]).unwrap();
        let mut buf = [0u8; 16];
        // A full buffer after the last allowed read: more may be waiting.
        assert_eq!(c.on_readable(&mut buf, 1), ReadEnd::MaybeMore);
        // 16 more fill the buffer again; the next read says EAGAIN.
        assert_eq!(c.on_readable(&mut buf, 4), ReadEnd::Drained);
        assert_eq!(c.bytes_in, 32);
        // A short read is taken as drained without asking again…
        (&b).write_all(&[2u8; 5]).unwrap();
        assert_eq!(c.on_readable_until(&mut buf, 4, true), ReadEnd::Drained);
        assert_eq!(c.bytes_in, 37);
        // …unless told the peer closed: then the FIN behind the data is read too.
        (&b).write_all(&[3u8; 5]).unwrap();
        b.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(c.on_readable_until(&mut buf, 4, false), ReadEnd::Stopped);
        assert_eq!(c.bytes_in, 42);
    }

    #[test]
    fn stops_reading_above_high_water_and_wants_write() {
        let (a, b) = pair();
        b.set_nonblocking(true).unwrap();
        let mut c = NbConn::new(a, 1, peer(), Echo, crate::engine::Tap::detached());
        let chunk = vec![7u8; 64 * 1024];
        let mut buf = vec![0u8; READ_CHUNK];
        // The peer writes and never reads: our echo fills its receive buffer and the
        // outbox grows until reading stops.
        for _ in 0..200 {
            let _ = (&b).write(&chunk);
            c.on_readable(&mut buf, 1);
            if !c.wants_read() {
                break;
            }
        }
        assert!(
            !c.wants_read(),
            "reading should pause at the high-water mark"
        );
        assert_eq!(c.interest(), Interest::WRITE);
        assert!(c.finished().is_none());
    }

    /// Sends its parts one at a time, each after the previous left the outbox (as an
    /// HTTP server holds back pipelined answers), then closes; has a hard deadline.
    struct Parts {
        left: Vec<&'static [u8]>,
        deadline: Instant,
    }

    impl Service for Parts {
        fn on_open(&mut self, out: &mut Outbox) -> Verdict {
            out.push_bytes(self.left.remove(0));
            Verdict::Keep
        }
        fn on_data(&mut self, _: &[u8], _: &mut Outbox) -> Verdict {
            Verdict::Keep
        }
        fn on_flushed(&mut self, out: &mut Outbox) -> Verdict {
            if self.left.is_empty() {
                return Verdict::Close;
            }
            out.push_bytes(self.left.remove(0));
            Verdict::Keep
        }
        fn deadline(&self) -> Option<Instant> {
            Some(self.deadline)
        }
    }

    #[test]
    fn on_flushed_feeds_more_until_close() {
        let (a, b) = pair();
        let svc = Parts {
            left: vec![b"one ", b"two ", b"three"],
            deadline: Instant::now() + Duration::from_secs(60),
        };
        let mut c = NbConn::new(a, 1, peer(), svc, crate::engine::Tap::detached());
        assert!(c.wants_write(), "the greeting waits for writability");
        c.on_writable();
        assert_eq!(c.finished(), Some(CloseReason::Done));
        drop(c);
        let mut got = String::new();
        (&b).read_to_string(&mut got).unwrap();
        assert_eq!(got, "one two three");
    }

    /// Keeps what arrives in a batched turn and echoes it upper-cased at the turn's end.
    #[derive(Default)]
    struct Batcher {
        kept: Vec<u8>,
    }

    impl Service for Batcher {
        fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
            out.push_bytes(data);
            Verdict::Keep
        }
        fn on_data_batched(&mut self, data: &[u8], _: &mut Outbox) -> Verdict {
            self.kept.extend_from_slice(data);
            Verdict::Keep
        }
        fn on_turn_end(&mut self, out: &mut Outbox) -> Verdict {
            out.push_bytes(&std::mem::take(&mut self.kept).to_ascii_uppercase());
            Verdict::Keep
        }
    }

    #[test]
    fn batched_reads_are_answered_at_the_turns_end() {
        let (a, b) = pair();
        b.set_nonblocking(true).unwrap();
        let mut c = NbConn::new(
            a,
            1,
            peer(),
            Batcher::default(),
            crate::engine::Tap::detached(),
        );
        (&b).write_all(b"abc").unwrap();
        let mut buf = [0u8; 16];
        assert_eq!(c.read_batched(&mut buf, true), ReadEnd::Drained);
        let mut got = [0u8; 8];
        assert!(
            (&b).read(&mut got).is_err(),
            "nothing is sent before the turn ends"
        );
        c.answer_batch();
        assert_eq!((&b).read(&mut got).unwrap(), 3);
        assert_eq!(&got[..3], b"ABC");
        // EOF during a batched read still closes, after the turn's answer.
        (&b).write_all(b"d").unwrap();
        b.shutdown(std::net::Shutdown::Write).unwrap();
        assert_eq!(c.read_batched(&mut buf, false), ReadEnd::MaybeMore);
        assert_eq!(c.read_batched(&mut buf, false), ReadEnd::Stopped);
        assert!(c.finished().is_none());
        c.answer_batch();
        assert_eq!(c.finished(), Some(CloseReason::Done));
        drop(c);
        b.set_nonblocking(false).unwrap();
        let mut rest = Vec::new();
        (&b).read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"D");
    }

    #[test]
    fn service_deadline_closes() {
        let (a, _b) = pair();
        let now = Instant::now();
        let svc = Parts {
            left: vec![b"x"],
            deadline: now + Duration::from_millis(5),
        };
        let mut c = NbConn::new(a, 1, peer(), svc, crate::engine::Tap::detached());
        let cfg = ServerConfig::default();
        assert!(!c.check_timers(now, &cfg));
        assert!(c.check_timers(now + Duration::from_millis(6), &cfg));
        assert_eq!(c.finished(), Some(CloseReason::Deadline));
    }

    #[test]
    fn idle_timeout_closes() {
        let (a, _b) = pair();
        let mut c = NbConn::new(a, 1, peer(), Echo, crate::engine::Tap::detached());
        let cfg = ServerConfig {
            idle_timeout: Some(Duration::from_millis(5)),
            ..ServerConfig::default()
        };
        assert!(!c.check_timers(Instant::now(), &cfg));
        assert!(c.check_timers(Instant::now() + Duration::from_millis(10), &cfg));
        assert_eq!(c.finished(), Some(CloseReason::IdleTimeout));
    }

    #[test]
    fn sweep_interval_follows_idle_timeout() {
        let mut cfg = ServerConfig::default();
        assert_eq!(sweep_interval(&cfg), Duration::from_millis(250));
        cfg.idle_timeout = Some(Duration::from_millis(200));
        assert_eq!(sweep_interval(&cfg), Duration::from_millis(50));
    }
}

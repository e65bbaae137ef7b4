//! One connection in the io_uring engine: the [connection core](crate::engine::core)
//! (service, outbox, verdict rules) plus the operations the kernel is running for it.
//!
//! A readiness driver asks "can I read?" and then reads; here the kernel reads and
//! writes on its own and reports afterwards, so what is *in flight* is the state:
//!
//! * **receive**: one multishot receive, armed while the core wants bytes, cancelled
//!   when it stops wanting them (outbox above the high-water mark, closing);
//! * **send**: at most one at a time, of the outbox's front buffer, straight from the
//!   outbox (pinned so it cannot move until the completion). An outbox holding a file
//!   range is sent the readiness way instead: `sendfile(2)` (after the head with
//!   `MSG_MORE`) through the same [`flush_outbox`] the epoll engines use, and when the
//!   socket is full, a one-shot `POLLOUT` poll says when to go on. io_uring has no
//!   sendfile; its splice (file → pipe → socket) is always handed to a kernel worker
//!   thread, and measured in bench/http.sh it cost the server more CPU per response
//!   than one `sendfile` syscall (see the README). A file body never passes through
//!   our memory either way;
//! * **in flight**: every submission whose last completion has not been reaped. The
//!   connection — its socket and outbox, everything the kernel may still be
//!   using — is freed only when this is zero; closing first cancels what is running.
//!
//! Each descriptor the connection owns has its own operation slots (socket: receive,
//! send or poll), so a service that owns a second descriptor (an upstream) adds slots
//! of its own beside these.

use std::io;
use std::time::{Duration, Instant};

use socket2::Socket;

use super::bufring::BufRing;
use super::files::Target;
use super::ring::{Completion, Ring};
use super::{Op, user_data};
use crate::engine::conn::{Flush, flush_outbox};
use crate::engine::core::{ConnCore, classify};
use crate::engine::service::{OutItem, Outbox, Service};
use crate::engine::stats::{Slot, Tap};
use crate::engine::{CloseReason, ConnResult, EngineCtx};
use crate::net::peer::Peer;
use crate::net::trace::{self, Closing};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recv {
    Idle,
    Armed,
    Cancelling,
}

/// The send in flight, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    Idle,
    /// The outbox's (pinned) front buffer.
    Bytes,
    /// A file outbox met a full socket: waiting for `POLLOUT`.
    Poll,
}

/// What [`UConn::settle`] needs of the loop: the connection's key, the buffer group to
/// receive into, whether reading is still allowed (not while draining) and the turn's
/// time.
pub struct Turn {
    pub key: usize,
    pub bgid: u16,
    pub may_read: bool,
    pub now: Instant,
}

/// A connection driven by completions.
pub struct UConn<S: Service> {
    /// Closed through the trace layer once nothing of it is left in the kernel (and
    /// after its slot in the ring's file table is emptied).
    pub sock: Closing<Socket>,
    /// How submissions name `sock` (released from the ring before `sock` closes).
    pub target: Target,
    pub id: u64,
    pub peer: Peer,
    core: ConnCore<S>,
    bytes_in: u64,
    bytes_out: u64,
    last_active: Instant,
    /// Traffic since the last settle: `last_active` becomes that turn's time (one
    /// clock read per turn, not one per completion).
    active: bool,
    tap: Tap,
    _slot: Slot,
    /// Submissions whose last completion has not been reaped (cancels included).
    inflight: u32,
    recv: Recv,
    sending: Sending,
    /// Everything in flight was asked to stop (the connection is over).
    cancelled: bool,
    /// Read during this turn by a batching service: answer at the turn's end.
    read_this_turn: bool,
    /// On the loop's list of connections to settle this turn.
    pub dirty: bool,
}

impl<S: Service> UConn<S> {
    pub fn new(
        sock: Socket,
        target: Target,
        id: u64,
        peer: Peer,
        svc: S,
        tap: Tap,
        slot: Slot,
    ) -> UConn<S> {
        UConn {
            sock: Closing::new(sock),
            target,
            id,
            peer,
            core: ConnCore::open(svc),
            bytes_in: 0,
            bytes_out: 0,
            last_active: Instant::now(),
            active: false,
            tap,
            _slot: slot,
            inflight: 0,
            recv: Recv::Idle,
            sending: Sending::Idle,
            cancelled: false,
            read_this_turn: false,
            dirty: false,
        }
    }

    /// A receive completion: hand the bytes to the service and the buffer back.
    pub fn on_recv(&mut self, c: &Completion, bufs: &mut BufRing, batching: bool) {
        if !c.more() {
            self.inflight -= 1;
            self.recv = Recv::Idle;
        }
        let open = self.core.finished().is_none();
        match c.result {
            n if n > 0 => {
                let bid = c.buffer().expect("a receive with data names its buffer");
                let n = n as usize;
                if open {
                    let data = bufs.filled(bid, n);
                    self.bytes_in += n as u64;
                    self.tap.received(data);
                    self.active = true;
                    if batching {
                        self.core.on_data_batched(data);
                        self.read_this_turn = true;
                    } else {
                        self.core.on_data(data);
                    }
                }
                bufs.consumed(bid, n, c.buffer_more());
            }
            0 if open => {
                self.active = true;
                self.core.on_eof();
            }
            // The buffer ring ran dry (settle re-arms), or we cancelled.
            0 => {}
            e if e == -libc::ENOBUFS || e == -libc::ECANCELED => {}
            e => self.core.end(classify(&io::Error::from_raw_os_error(-e))),
        }
    }

    /// A send completion: `n` bytes of the front buffer are out.
    pub fn on_send(&mut self, c: &Completion) {
        self.inflight -= 1;
        self.sending = Sending::Idle;
        match c.io() {
            Ok(0) => self.core.end(CloseReason::Error),
            Ok(n) => {
                if let Some(OutItem::Bytes(b)) = self.core.front() {
                    self.tap.sent(&b[..n as usize]);
                }
                self.sent(n);
            }
            Err(e) if e.raw_os_error() == Some(libc::ECANCELED) => {}
            Err(e) => self.core.end(classify(&e)),
        }
    }

    /// The socket became writable again (or the poll failed: the next send says why).
    pub fn on_poll(&mut self) {
        self.inflight -= 1;
        self.sending = Sending::Idle;
    }

    /// A cancel's own completion (whether it found its target does not matter: the
    /// target's completion says how it ended).
    pub fn on_cancel(&mut self) {
        self.inflight -= 1;
    }

    fn sent(&mut self, n: u32) {
        self.core.sent(n as u64);
        self.bytes_out += n as u64;
        self.active = true;
    }

    /// After a turn's completions: let a batching service answer, send, keep the
    /// receive armed exactly while the core wants bytes (and `may_read`: not while
    /// draining), and once the connection is over, cancel what is in flight. Returns
    /// true when it can be dropped: over, and nothing of it left in the kernel.
    pub fn settle(&mut self, ring: &mut Ring, turn: &Turn) -> bool {
        self.dirty = false;
        if std::mem::take(&mut self.read_this_turn) {
            self.core.on_turn_end();
        }
        self.flush(ring, turn.key);
        if std::mem::take(&mut self.active) {
            self.last_active = turn.now;
        }
        let (key, bgid, may_read) = (turn.key, turn.bgid, turn.may_read);
        if self.core.finished().is_none() {
            match (self.recv, self.core.wants_read() && may_read) {
                (Recv::Idle, true) => {
                    ring.recv_multi(self.target, bgid, user_data(Op::Recv, key));
                    self.inflight += 1;
                    self.recv = Recv::Armed;
                }
                (Recv::Armed, false) => {
                    ring.cancel(
                        self.target.raw(),
                        user_data(Op::Recv, key),
                        user_data(Op::Cancel, key),
                    );
                    self.inflight += 1;
                    self.recv = Recv::Cancelling;
                }
                _ => {}
            }
        } else if !self.cancelled {
            self.cancelled = true;
            let mut targets = Vec::with_capacity(3);
            if self.recv == Recv::Armed {
                targets.push(Op::Recv);
            }
            match self.sending {
                Sending::Idle => {}
                Sending::Bytes => targets.push(Op::Send),
                Sending::Poll => targets.push(Op::SendPoll),
            }
            for op in targets {
                ring.cancel(
                    self.target.raw(),
                    user_data(op, key),
                    user_data(Op::Cancel, key),
                );
                self.inflight += 1;
            }
        }
        self.core.finished().is_some() && self.inflight == 0
    }

    /// Queue the next send, if none is in flight; the core applies the verdict once
    /// the outbox is empty.
    fn flush(&mut self, ring: &mut Ring, key: usize) {
        let before = self.bytes_out;
        let UConn {
            core,
            sending,
            inflight,
            sock,
            target,
            bytes_out,
            tap,
            ..
        } = self;
        core.flush(
            |out| {
                let mut io = SendIo {
                    ring: &mut *ring,
                    key,
                    sock,
                    target: *target,
                    sending: &mut *sending,
                    inflight: &mut *inflight,
                    bytes_out: &mut *bytes_out,
                    tap,
                };
                io.send(out)
            },
            || {
                let _ = trace::shutdown(sock, std::net::Shutdown::Write);
            },
        );
        if self.bytes_out != before {
            self.active = true;
        }
    }

    /// Whether output is queued or in flight.
    pub fn wants_write(&self) -> bool {
        self.core.wants_write() || self.sending != Sending::Idle
    }

    /// Close if idle too long or past the service's deadline; true once finished.
    pub fn check_timers(&mut self, now: Instant, idle: Option<Duration>) -> bool {
        self.core.check_timers(now, self.last_active, idle)
    }

    pub fn abort(&mut self, reason: CloseReason) {
        self.core.end(reason);
    }

    /// Whether any submission of this connection is still in the kernel.
    pub fn in_kernel(&self) -> bool {
        self.inflight > 0
    }

    /// Tear down (only once nothing is in flight): tell the service and log; the
    /// socket closes and the slot is given back on drop.
    pub fn close(mut self, ctx: &EngineCtx<'_>) {
        debug_assert_eq!(self.inflight, 0, "closing with operations in flight");
        let r = ConnResult {
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            reason: self.core.close(),
        };
        ctx.log_close(self.id, &self.peer, &r);
    }
}

/// What the core's `send` needs of a connection (its fields, borrowed apart from the
/// core that calls it).
struct SendIo<'a> {
    ring: &'a mut Ring,
    key: usize,
    sock: &'a Socket,
    target: Target,
    sending: &'a mut Sending,
    inflight: &'a mut u32,
    bytes_out: &'a mut u64,
    tap: &'a Tap,
}

impl SendIo<'_> {
    /// The core's `send` for a completion driver: start sending the outbox unless a
    /// send is already in flight. "Would block" means "in flight": the core applies its
    /// verdict only when this returns `Done`, with the outbox empty and nothing in
    /// flight.
    fn send(&mut self, out: &mut Outbox) -> io::Result<Flush> {
        if *self.sending != Sending::Idle {
            return Ok(Flush::WouldBlock);
        }
        if out.has_file() {
            // The readiness way (see the module doc): sendfile until done or full.
            let flushed = flush_outbox(self.sock, out, self.bytes_out, self.tap)?;
            if flushed == Flush::WouldBlock {
                let ud = user_data(Op::SendPoll, self.key);
                self.ring.poll_out(self.target, ud);
                *self.inflight += 1;
                *self.sending = Sending::Poll;
            }
            return Ok(flushed);
        }
        let more = out.more_after_front();
        let Some(OutItem::Bytes(b)) = out.front() else {
            return Ok(Flush::Done);
        };
        let (ptr, len) = (b.as_ptr(), b.len().min(u32::MAX as usize) as u32);
        out.pin_front();
        // SAFETY: `ptr..ptr + len` is the outbox's front buffer, now pinned: the outbox
        // never grows it while pinned, and only `consume` (run when this send's
        // completion arrives) changes or frees it. The connection owning the outbox is
        // dropped only once it has nothing in flight, so the buffer outlives the
        // kernel's use of it.
        unsafe {
            self.ring
                .send(self.target, ptr, len, more, user_data(Op::Send, self.key))
        };
        *self.inflight += 1;
        *self.sending = Sending::Bytes;
        Ok(Flush::WouldBlock)
    }
}

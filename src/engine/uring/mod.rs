//! The io_uring engine (`--engine io-uring`): the completion model that came after the
//! epoll reactor. A readiness engine asks the kernel "which sockets are ready?" and
//! then makes a system call per read and per write; a completion engine hands the
//! kernel the reads and writes themselves, through two rings of memory it shares with
//! the kernel (submissions in, completions out), and learns afterwards what was done.
//!
//! ```text
//!   turn:  handle completions ──► services answer ──► queue sends (SQEs)
//!            ▲                                              │
//!            └──── io_uring_enter: submit all + wait ◄──────┘   (one syscall per turn)
//! ```
//!
//! * **Accept**: the listener sits in a small epoll set, and one multishot poll on that
//!   epoll descriptor says when connections are queued; they are then taken with
//!   `accept4(2)` by the shared [`Acceptor`] (its `EMFILE` shedding included), up to
//!   a budget per turn. Not `IORING_OP_ACCEPT`: a pending io_uring request pins the
//!   file it works on, and after SIGKILL the kernel tears a ring down asynchronously,
//!   so a listener pinned by a multishot accept stayed bound for another 25–50 ms and
//!   an immediate restart failed with "address in use" (measured here on every one of
//!   30 tries). An epoll set does not pin what it watches, so the listener closes
//!   with the process, as on every other engine.
//! * **Receive**: each connection has one multishot receive into the shared
//!   [provided buffer ring](bufring): no buffer per connection, and the bytes go
//!   straight from the ring to the service.
//! * **Registered files**: each accepted socket also goes into the ring's table of
//!   registered files, so its receives, sends and polls name a slot instead of a
//!   descriptor and skip the kernel's per-operation lookup (see [`files`]).
//! * **Send**: at most one send per connection in flight, from the outbox's front
//!   buffer; an outbox with a file range goes out with `sendfile(2)` as on the
//!   readiness engines, woken by a `POLLOUT` poll when the socket is full (see [`conn`]).
//! * **Timers**: `--idle-timeout` and service deadlines are checked by the same sweep
//!   the readiness engines use, woken by the wait's own timeout (`IORING_FEAT_EXT_ARG`),
//!   not by linked timeouts: a multishot receive stays armed across many completions,
//!   while a linked timeout belongs to one submission (and would cost a submission and
//!   a completion per operation); "idle" means no traffic either way, which no single
//!   operation's timeout expresses. The sweep is O(connections) four times a second.
//! * **Shutdown**: the shared self-pipe is watched by a multishot poll; SIGUSR1 prints
//!   the counters, SIGINT/SIGTERM stop accepting and reading, let queued output go out
//!   (at most [`DRAIN_LIMIT`](super::event_loop::DRAIN_LIMIT)), cancel what is left and
//!   wait until the kernel has let go of every buffer before freeing anything.
//!
//! The services, the connection core and the outbox are the ones every engine drives.

mod bufring;
mod conn;
mod explain;
mod files;
mod ring;
mod support;

use std::os::fd::{AsFd, AsRawFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use slab::Slab;

use super::accept::Acceptor;
use super::epoll::Epoll;
use super::event_loop::{ACCEPT_BUDGET, DRAIN_LIMIT};
use super::nbconn::sweep_interval;
use super::selector::{Interest, Selector, Token, Trigger};
use super::service::ServiceFactory;
use super::{CloseReason, EngineCtx};
use crate::net::peer::Peer;
use bufring::BufRing;
use conn::{Turn, UConn};
use ring::{Completion, Ring};

/// Receive buffers: 32 × 64 KiB = 2 MiB shared by every connection of an instance
/// (64 KiB: what a readiness engine reads at once; consumed incrementally where the
/// kernel can, so small messages touch few of their pages).
const RECV_BUFFERS: u16 = 32;
const RECV_BUFFER_SIZE: usize = 64 * 1024;
/// How long the end of a drain waits for the kernel to hand back cancelled operations.
const CANCEL_LIMIT: Duration = Duration::from_secs(2);

/// What a submission was for: the low byte of its user data (the rest is the key of
/// its connection, for connection operations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Op {
    /// The multishot poll of the listener's epoll set.
    Accept = 1,
    Signal,
    /// A cancel for one of the loop's own operations (key 0: the accept poll, 1: the
    /// signal poll).
    LoopCancel,
    Recv,
    Send,
    /// A file outbox waiting for the socket to take more.
    SendPoll,
    Cancel,
}

const OPS: [Op; 7] = [
    Op::Accept,
    Op::Signal,
    Op::LoopCancel,
    Op::Recv,
    Op::Send,
    Op::SendPoll,
    Op::Cancel,
];

/// The user data of operation `op` for the connection with slab key `key`.
pub fn user_data(op: Op, key: usize) -> u64 {
    ((key as u64) << 8) | op as u64
}

fn decode(user_data: u64) -> Option<(Op, usize)> {
    let op = OPS
        .iter()
        .copied()
        .find(|o| *o as u64 == user_data & 0xff)?;
    Some((op, (user_data >> 8) as usize))
}

/// A ring set up, probed and with its buffer ring registered: everything that can
/// fail before the server says it is ready.
pub struct Prepared {
    // Field order is drop order: the ring closes before the buffer memory it was lent
    // is freed.
    ring: Ring,
    bufs: BufRing,
    acceptor: Acceptor,
    /// The listener's epoll set (see the module doc: it does not pin the listener).
    listen: Epoll,
}

impl Prepared {
    pub fn new(acceptor: Acceptor) -> anyhow::Result<Prepared> {
        let mut listen = Epoll::new(Trigger::Level).context("epoll_create1")?;
        listen
            .register(acceptor.listener().as_fd(), Token(0), Interest::READ)
            .context("watch the listener")?;
        let mut bufs = BufRing::new(RECV_BUFFERS, RECV_BUFFER_SIZE, 0)
            .context("allocate the receive buffer ring")?;
        let ring = Ring::new(&mut bufs).map_err(|why| anyhow!("--engine io-uring: {why}"))?;
        Ok(Prepared {
            ring,
            bufs,
            acceptor,
            listen,
        })
    }
}

struct Loop<'a, 'c, F: ServiceFactory> {
    ring: Ring,
    bufs: BufRing,
    acceptor: Acceptor,
    listen: Epoll,
    factory: Arc<F>,
    ctx: &'a EngineCtx<'c>,
    conns: Slab<UConn<F::Service>>,
    /// Connections with completions this turn, settled at its end.
    dirty: Vec<usize>,
    batching: bool,
    /// The poll of the listener's epoll set is armed.
    accept_armed: bool,
    /// The accept budget ran out with connections still queued: accept more next turn
    /// (no new wake-up comes for them).
    accept_pending: bool,
    signal_armed: bool,
    /// The loop's own operations in flight (the listener and signal polls, their
    /// cancels).
    own_inflight: u32,
    /// Stopping: nothing more is accepted or read.
    draining: bool,
    /// When the last wait returned: the time of everything this turn handles.
    now: Instant,
}

/// Serve until SIGINT/SIGTERM.
pub fn run<F: ServiceFactory>(
    p: Prepared,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let Prepared {
        ring,
        bufs,
        acceptor,
        listen,
    } = p;
    ring.enable().context("enable the io_uring")?;
    let batching = factory.batches();
    let mut lp = Loop {
        ring,
        bufs,
        acceptor,
        listen,
        factory,
        ctx,
        conns: Slab::new(),
        dirty: Vec::new(),
        batching,
        accept_armed: false,
        accept_pending: false,
        signal_armed: false,
        own_inflight: 0,
        draining: false,
        now: Instant::now(),
    };
    let result = lp.serve();
    lp.finish();
    result
}

impl<F: ServiceFactory> Loop<'_, '_, F> {
    fn serve(&mut self) -> anyhow::Result<()> {
        let shutdown = self.ctx.shutdown;
        self.arm_accept();
        self.arm_signal();
        let sweep_every = sweep_interval(self.ctx.config);
        let mut next_sweep = Instant::now() + sweep_every;
        while shutdown.requested().is_none() {
            let timeout = if self.accept_pending {
                Some(Duration::ZERO)
            } else if self.conns.is_empty() {
                None
            } else {
                Some(next_sweep.saturating_duration_since(self.now))
            };
            self.turn(timeout).context("io_uring_enter")?;
            let now = self.now;
            if self.conns.is_empty() {
                next_sweep = now + sweep_every;
            } else if now >= next_sweep {
                self.sweep(now);
                next_sweep = now + sweep_every;
            }
        }
        Ok(())
    }

    /// One turn: submit and wait, handle every completion, then settle the
    /// connections they touched (answer, send, re-arm, close).
    fn turn(&mut self, timeout: Option<Duration>) -> std::io::Result<()> {
        // The engine counters in completion terms: a wait is one io_uring_enter that
        // waits, an event one completion, a read one receive completion.
        self.ctx.counters.io.wait();
        self.ring.wait(timeout)?;
        self.now = Instant::now();
        if self.accept_pending {
            self.accept_some();
        }
        let done = self.ring.completions();
        self.ctx.counters.io.events(done.len());
        let mut read_any = false;
        for c in &done {
            read_any |= self.complete(c);
        }
        self.ring.recycle(done);
        if read_any && self.batching {
            self.factory.before_answers();
        }
        self.settle_dirty();
        Ok(())
    }

    /// Handle one completion; true if it delivered bytes to a service.
    fn complete(&mut self, c: &Completion) -> bool {
        let Some((op, key)) = decode(c.user_data) else {
            return false;
        };
        if crate::net::trace::io_on() {
            let fd = match op {
                // A loop cancel's key says whose: 0 the listener's poll, 1 the signal's.
                Op::Accept | Op::LoopCancel if key == 0 => Some(self.listen.as_fd().as_raw_fd()),
                Op::Signal | Op::LoopCancel => Some(self.ctx.shutdown.as_fd().as_raw_fd()),
                _ => self.conns.get(key).map(|c| c.sock.as_raw_fd()),
            };
            if let Some(fd) = fd {
                explain::completion(c, op, fd);
            }
        }
        match op {
            Op::Accept => {
                if !c.more() {
                    self.own_inflight -= 1;
                    self.accept_armed = false;
                    self.arm_accept();
                }
                if c.result >= 0 {
                    self.accept_some();
                }
            }
            Op::Signal => {
                if !c.more() {
                    self.own_inflight -= 1;
                    self.signal_armed = false;
                }
                self.ctx.shutdown.drain();
                self.ctx.on_wake();
                self.arm_signal();
            }
            Op::LoopCancel => self.own_inflight -= 1,
            _ => {
                let Some(conn) = self.conns.get_mut(key) else {
                    debug_assert!(false, "a completion for no connection: {op:?} {key}");
                    return false;
                };
                let read = op == Op::Recv && c.result > 0;
                if op == Op::Recv {
                    let r = if c.result >= 0 {
                        Ok(())
                    } else {
                        Err(std::io::Error::from_raw_os_error(-c.result))
                    };
                    self.ctx.counters.io.read(&r);
                }
                match op {
                    Op::Recv => conn.on_recv(c, &mut self.bufs, self.batching),
                    Op::Send => conn.on_send(c),
                    Op::SendPoll => conn.on_poll(),
                    _ => conn.on_cancel(),
                }
                if !conn.dirty {
                    conn.dirty = true;
                    self.dirty.push(key);
                }
                return read;
            }
        }
        false
    }

    fn arm_accept(&mut self) {
        if !self.accept_armed && !self.draining {
            let fd = self.listen.as_fd().as_raw_fd();
            self.ring.poll_in(fd, true, user_data(Op::Accept, 0));
            self.own_inflight += 1;
            self.accept_armed = true;
        }
    }

    fn arm_signal(&mut self) {
        if !self.signal_armed && !self.draining {
            let fd = self.ctx.shutdown.as_fd().as_raw_fd();
            self.ring.poll_in(fd, true, user_data(Op::Signal, 0));
            self.own_inflight += 1;
            self.signal_armed = true;
        }
    }

    /// Accept what is queued, up to [`ACCEPT_BUDGET`] a turn so the connections
    /// already open are served in between. Out of descriptors, the acceptor sheds one
    /// and says so; more may be queued behind it, so the next turn tries again.
    fn accept_some(&mut self) {
        self.accept_pending = false;
        if self.draining {
            return;
        }
        for _ in 0..ACCEPT_BUDGET {
            let shed_before = self.acceptor.shed_count();
            match self.acceptor.try_accept(self.ctx) {
                Ok(Some((sock, peer))) => self.add(sock, peer),
                Ok(None) => {
                    self.accept_pending = self.acceptor.shed_count() != shed_before;
                    return;
                }
                Err(e) => {
                    self.ctx
                        .out
                        .warn(&format!("accept: {}", crate::os_error::describe(&e)));
                    return;
                }
            }
        }
        self.accept_pending = true;
    }

    /// Admit an accepted socket (or refuse it at `--max-connections`).
    fn add(&mut self, sock: socket2::Socket, peer: Peer) {
        if sock.set_nonblocking(true).is_err() {
            return;
        }
        let Some((info, slot)) = self.acceptor.admit(&sock, peer, &*self.factory, self.ctx) else {
            return;
        };
        self.ctx.log_open(info.id, &info.peer);
        let svc = self.factory.open(&info);
        let tap = self.ctx.tap(info.id);
        let target = self.ring.install(sock.as_raw_fd());
        let entry = self.conns.vacant_entry();
        let key = entry.key();
        entry.insert(UConn::new(sock, target, info.id, info.peer, svc, tap, slot));
        // Settle it this turn: a greeting goes out, the receive is armed.
        self.conns[key].dirty = true;
        self.dirty.push(key);
    }

    fn settle_dirty(&mut self) {
        for key in std::mem::take(&mut self.dirty) {
            self.settle(key);
        }
    }

    fn settle(&mut self, key: usize) {
        let Some(conn) = self.conns.get_mut(key) else {
            return;
        };
        let turn = Turn {
            key,
            bgid: self.bufs.bgid,
            may_read: !self.draining,
            now: self.now,
        };
        if conn.settle(&mut self.ring, &turn) {
            let conn = self.conns.remove(key);
            self.ring.release(conn.target);
            conn.close(self.ctx);
        }
    }

    /// Close connections past their idle timeout or service deadline.
    fn sweep(&mut self, now: Instant) {
        let idle = self.ctx.config.idle_timeout;
        let expired: Vec<usize> = self
            .conns
            .iter_mut()
            .filter_map(|(k, c)| c.check_timers(now, idle).then_some(k))
            .collect();
        for k in expired {
            self.settle(k);
        }
    }

    /// Stop: accept and read nothing more, let queued output go out for at most
    /// [`DRAIN_LIMIT`], then cancel the rest and wait (bounded) until the kernel has
    /// let go of every operation before anything is freed.
    fn finish(&mut self) {
        self.draining = true;
        if self.accept_armed {
            let fd = self.listen.as_fd().as_raw_fd();
            self.ring
                .cancel(fd, user_data(Op::Accept, 0), user_data(Op::LoopCancel, 0));
            self.own_inflight += 1;
        }
        if self.signal_armed {
            let fd = self.ctx.shutdown.as_fd().as_raw_fd();
            self.ring
                .cancel(fd, user_data(Op::Signal, 0), user_data(Op::LoopCancel, 1));
            self.own_inflight += 1;
        }
        let deadline = Instant::now() + DRAIN_LIMIT;
        let mut cancel_deadline = None;
        // Nothing is accepted while draining, so these keys stay their connections'.
        let mut writing: Vec<usize> = self.conns.iter().map(|(k, _)| k).collect();
        loop {
            let now = Instant::now();
            // Connections with nothing left to send end now; at the limit, all do. The
            // others are settled too (their receives are cancelled: no more reading) and
            // looked at again next time. An ended one is settled from then on by its
            // completions (`turn`): passing over every connection each turn made the
            // drain of 10,000 take seconds in a debug build.
            let mut still = Vec::new();
            for k in std::mem::take(&mut writing) {
                let Some(c) = self.conns.get_mut(k) else {
                    continue;
                };
                if now >= deadline || !c.wants_write() {
                    c.abort(CloseReason::Shutdown);
                } else {
                    still.push(k);
                }
                self.settle(k);
            }
            writing = still;
            if self.conns.is_empty() && self.own_inflight == 0 {
                return;
            }
            if now >= deadline {
                let limit = *cancel_deadline.get_or_insert(now + CANCEL_LIMIT);
                if now >= limit {
                    break;
                }
            }
            let wait = deadline
                .max(now)
                .saturating_duration_since(now)
                .clamp(Duration::from_millis(10), Duration::from_millis(250));
            if self.turn(Some(wait)).is_err() {
                break;
            }
        }
        // The kernel still holds operations after every cancel and the limit: rather
        // than free memory it may yet touch, leave it (the process is ending).
        let stuck = self.conns.iter().filter(|(_, c)| c.in_kernel()).count();
        self.ctx.out.warn(&format!(
            "io-uring: {stuck} connections still had operations in the kernel at exit"
        ));
        std::mem::forget(std::mem::take(&mut self.conns));
        let bufs = std::mem::replace(&mut self.bufs, BufRing::new(1, 1, 0).expect("tiny ring"));
        std::mem::forget(bufs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_data_round_trips() {
        for op in OPS {
            assert_eq!(decode(user_data(op, 12345)), Some((op, 12345)));
        }
        assert_eq!(decode(0), None);
    }
}

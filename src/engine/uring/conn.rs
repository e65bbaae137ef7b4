//! One connection in the io_uring engine: the [connection core](crate::engine::core)
//! (service, outbox, verdict rules) plus the operations the kernel is running for it.
//!
//! A readiness driver asks "can I read?" and then reads; here the kernel reads and
//! writes on its own and reports afterwards, so what is *in flight* is the state:
//!
//! * **receive**: one multishot receive, armed while the core wants bytes, cancelled
//!   when it stops wanting them (outbox above the high-water mark, closing);
//! * **send**: at most one at a time, of the outbox's front item — bytes straight from
//!   the outbox (pinned so they cannot move), or a file range spliced through the
//!   connection's pipe (file → pipe, linked to pipe → socket), so a file body never
//!   passes through our memory;
//! * **in flight**: every submission whose last completion has not been reaped. The
//!   connection — its socket, outbox and pipe, everything the kernel may still be
//!   using — is freed only when this is zero; closing first cancels what is running.
//!
//! Each descriptor the connection owns has its own operation slots (socket: receive,
//! send; pipe: the two splices), so a service that owns a second descriptor (an
//! upstream) adds slots of its own beside these.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

use socket2::Socket;

use super::bufring::BufRing;
use super::ring::{Completion, Ring};
use super::{Op, user_data};
use crate::engine::conn::Flush;
use crate::engine::core::{ConnCore, classify};
use crate::engine::service::{OutItem, Outbox, Service};
use crate::engine::stats::{Slot, Tap};
use crate::engine::{CloseReason, ConnResult, EngineCtx};
use crate::net::peer::Peer;

/// The most one splice pair moves (the pipe is asked for this much room).
const PIPE_CHUNK: u32 = 1 << 20;

/// A pipe for splicing file ranges to a socket; reused between connections.
pub struct Pipe {
    read: OwnedFd,
    write: OwnedFd,
    /// Bytes spliced in and not yet out.
    fill: u32,
    /// The pipe's capacity (`F_SETPIPE_SZ` may grant less than asked).
    cap: u32,
}

impl Pipe {
    pub fn new() -> io::Result<Pipe> {
        let (read, write) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)?;
        let cap = nix::fcntl::fcntl(
            &write,
            nix::fcntl::FcntlArg::F_SETPIPE_SZ(PIPE_CHUNK as i32),
        )
        .or_else(|_| nix::fcntl::fcntl(&write, nix::fcntl::FcntlArg::F_GETPIPE_SZ))
        .map(|n| n as u32)
        .unwrap_or(64 * 1024);
        Ok(Pipe {
            read,
            write,
            fill: 0,
            cap,
        })
    }
}

/// Spare pipes, so a server sending many files does not make two more syscalls per
/// response; bounded so idle pipes cannot pile up.
#[derive(Default)]
pub struct PipePool {
    spare: Vec<Pipe>,
}

impl PipePool {
    const KEEP: usize = 64;

    fn take(&mut self) -> io::Result<Pipe> {
        self.spare.pop().map_or_else(Pipe::new, Ok)
    }

    fn give(&mut self, pipe: Pipe) {
        if pipe.fill == 0 && self.spare.len() < Self::KEEP {
            self.spare.push(pipe);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recv {
    Idle,
    Armed,
    Cancelling,
}

/// The send in flight, if any.
#[derive(Debug)]
enum Sending {
    Idle,
    /// The outbox's (pinned) front buffer.
    Bytes,
    /// A splice pair (or a lone pipe → socket splice): `ops` completions still to come,
    /// what they moved, and the first error.
    File {
        ops: u8,
        moved_in: u32,
        moved_out: u32,
        failed: Option<io::Error>,
    },
}

/// A connection driven by completions.
pub struct UConn<S: Service> {
    pub sock: Socket,
    pub id: u64,
    pub peer: Peer,
    core: ConnCore<S>,
    bytes_in: u64,
    bytes_out: u64,
    last_active: Instant,
    tap: Tap,
    _slot: Slot,
    /// Submissions whose last completion has not been reaped (cancels included).
    inflight: u32,
    recv: Recv,
    sending: Sending,
    pipe: Option<Pipe>,
    /// Everything in flight was asked to stop (the connection is over).
    cancelled: bool,
    /// Read during this turn by a batching service: answer at the turn's end.
    read_this_turn: bool,
    /// On the loop's list of connections to settle this turn.
    pub dirty: bool,
}

impl<S: Service> UConn<S> {
    pub fn new(sock: Socket, id: u64, peer: Peer, svc: S, tap: Tap, slot: Slot) -> UConn<S> {
        UConn {
            sock,
            id,
            peer,
            core: ConnCore::open(svc),
            bytes_in: 0,
            bytes_out: 0,
            last_active: Instant::now(),
            tap,
            _slot: slot,
            inflight: 0,
            recv: Recv::Idle,
            sending: Sending::Idle,
            pipe: None,
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
                    self.last_active = Instant::now();
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
                self.last_active = Instant::now();
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

    /// A splice completion; once the pair is complete, its bytes count as sent.
    pub fn on_splice(&mut self, op: Op, c: &Completion) {
        self.inflight -= 1;
        let Sending::File {
            ops,
            moved_in,
            moved_out,
            failed,
        } = &mut self.sending
        else {
            return;
        };
        *ops -= 1;
        match (op, c.io()) {
            (Op::SpliceIn, Ok(0)) => {
                *failed = failed.take().or(Some(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "file truncated while sending",
                )))
            }
            (Op::SpliceIn, Ok(n)) => *moved_in += n,
            (_, Ok(n)) => *moved_out += n,
            // The pipe → socket half after a short file → pipe half, or our cancel.
            (_, Err(e)) if e.raw_os_error() == Some(libc::ECANCELED) => {}
            (_, Err(e)) => *failed = failed.take().or(Some(e)),
        }
        if *ops > 0 {
            return;
        }
        let (moved_in, moved_out, failed) = (*moved_in, *moved_out, failed.take());
        self.sending = Sending::Idle;
        if let Some(p) = &mut self.pipe {
            p.fill = p.fill + moved_in - moved_out;
        }
        if moved_out > 0 {
            self.tap.sent_file(moved_out as u64);
            self.sent(moved_out);
        }
        if let Some(e) = failed {
            self.core.end(classify(&e));
        }
    }

    /// A cancel's own completion (whether it found its target does not matter: the
    /// target's completion says how it ended).
    pub fn on_cancel(&mut self) {
        self.inflight -= 1;
    }

    fn sent(&mut self, n: u32) {
        self.core.sent(n as u64);
        self.bytes_out += n as u64;
        self.last_active = Instant::now();
    }

    /// After a turn's completions: let a batching service answer, send, keep the
    /// receive armed exactly while the core wants bytes (and `may_read`: not while
    /// draining), and once the connection is over, cancel what is in flight. Returns
    /// true when it can be dropped: over, and nothing of it left in the kernel.
    pub fn settle(
        &mut self,
        ring: &mut Ring,
        key: usize,
        bgid: u16,
        may_read: bool,
        pipes: &mut PipePool,
    ) -> bool {
        self.dirty = false;
        if std::mem::take(&mut self.read_this_turn) {
            self.core.on_turn_end();
        }
        self.flush(ring, key, pipes);
        let fd = self.sock.as_raw_fd();
        if self.core.finished().is_none() {
            match (self.recv, self.core.wants_read() && may_read) {
                (Recv::Idle, true) => {
                    ring.recv_multi(fd, bgid, user_data(Op::Recv, key));
                    self.inflight += 1;
                    self.recv = Recv::Armed;
                }
                (Recv::Armed, false) => {
                    ring.cancel(user_data(Op::Recv, key), user_data(Op::Cancel, key));
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
                Sending::File { .. } => targets.extend([Op::SpliceIn, Op::SpliceOut]),
            }
            for op in targets {
                ring.cancel(user_data(op, key), user_data(Op::Cancel, key));
                self.inflight += 1;
            }
        }
        if matches!(self.sending, Sending::Idle)
            && !matches!(self.core.front(), Some(OutItem::File { .. }))
        {
            if let Some(p) = self.pipe.take_if(|p| p.fill == 0) {
                pipes.give(p);
            }
        }
        self.core.finished().is_some() && self.inflight == 0
    }

    /// Queue the next send, if none is in flight; the core applies the verdict once
    /// the outbox is empty.
    fn flush(&mut self, ring: &mut Ring, key: usize, pipes: &mut PipePool) {
        let fd = self.sock.as_raw_fd();
        let UConn {
            core,
            sending,
            pipe,
            inflight,
            sock,
            ..
        } = self;
        core.flush(
            |out| queue_send(ring, key, fd, sending, pipe, pipes, inflight, out),
            || {
                let _ = sock.shutdown(std::net::Shutdown::Write);
            },
        );
    }

    /// Whether output is queued or in flight.
    pub fn wants_write(&self) -> bool {
        self.core.wants_write() || !matches!(self.sending, Sending::Idle)
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
    pub fn close(mut self, ctx: &EngineCtx<'_>, pipes: &mut PipePool) {
        debug_assert_eq!(self.inflight, 0, "closing with operations in flight");
        if let Some(p) = self.pipe.take() {
            pipes.give(p);
        }
        let r = ConnResult {
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            reason: self.core.close(),
        };
        ctx.log_close(self.id, &self.peer, &r);
    }
}

/// The core's `send` for a completion driver: start sending the front item unless a
/// send is already in flight. "Would block" means "in flight": the core applies its
/// verdict only when this returns `Done`, with the outbox empty and nothing in flight.
#[allow(clippy::too_many_arguments)]
fn queue_send(
    ring: &mut Ring,
    key: usize,
    fd: i32,
    sending: &mut Sending,
    pipe: &mut Option<Pipe>,
    pipes: &mut PipePool,
    inflight: &mut u32,
    out: &mut Outbox,
) -> io::Result<Flush> {
    if !matches!(sending, Sending::Idle) {
        return Ok(Flush::WouldBlock);
    }
    let more = out.more_after_front();
    match out.front() {
        None => Ok(Flush::Done),
        Some(OutItem::Bytes(b)) => {
            let (ptr, len) = (b.as_ptr(), b.len().min(u32::MAX as usize) as u32);
            out.pin_front();
            // SAFETY: `ptr..ptr + len` is the outbox's front buffer, now pinned: the
            // outbox never grows it while pinned, and only `consume` (run when this
            // send's completion arrives) changes or frees it. The connection owning the
            // outbox is dropped only once it has nothing in flight, so the buffer
            // outlives the kernel's use of it.
            unsafe { ring.send(fd, ptr, len, more, user_data(Op::Send, key)) };
            *inflight += 1;
            *sending = Sending::Bytes;
            Ok(Flush::WouldBlock)
        }
        Some(OutItem::File { file, offset, len }) => {
            let p = match pipe {
                Some(p) => p,
                None => pipe.insert(pipes.take()?),
            };
            let out_ud = user_data(Op::SpliceOut, key);
            if p.fill > 0 {
                // Left in the pipe by a short pipe → socket splice: send that first.
                ring.splice(p.read.as_raw_fd(), -1, fd, p.fill, false, out_ud);
                *inflight += 1;
                *sending = Sending::File {
                    ops: 1,
                    moved_in: 0,
                    moved_out: 0,
                    failed: None,
                };
            } else {
                let chunk = (*len).min(p.cap.min(PIPE_CHUNK) as u64) as u32;
                let in_ud = user_data(Op::SpliceIn, key);
                ring.splice(
                    file.as_raw_fd(),
                    *offset as i64,
                    p.write.as_raw_fd(),
                    chunk,
                    true,
                    in_ud,
                );
                ring.splice(p.read.as_raw_fd(), -1, fd, chunk, false, out_ud);
                *inflight += 2;
                *sending = Sending::File {
                    ops: 2,
                    moved_in: 0,
                    moved_out: 0,
                    failed: None,
                };
            }
            Ok(Flush::WouldBlock)
        }
    }
}

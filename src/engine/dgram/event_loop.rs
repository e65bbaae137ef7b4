//! The one datagram loop behind `udp serve`, `unix serve --dgram` and
//! `heartbeat serve --udp`: one unconnected socket, any [`Selector`], any
//! [`Transport`], any [`DatagramService`].
//!
//! One turn: wait until the socket is readable (or the shutdown pipe, or the next
//! idle sweep), then receive a batch; for each datagram find or track its peer
//! ([`PeerTable`]), count it, dump it (`-x`) and hand it to the service; then send
//! every reply of the batch at once and count what went out or failed — per peer, so
//! one unreachable or slow peer costs only its own replies.
//!
//! * **Level-triggered** (select, poll, epoll-lt): one batch per readiness report; a
//!   socket with more waiting is simply reported again.
//! * **Edge-triggered** (epoll-et): the socket is reported once per arrival, so the
//!   loop reads on until a batch comes back short (the queue is empty; the next
//!   datagram is a new edge) — but at most [`EDGE_BATCH_BUDGET`] batches per turn, so
//!   signals and idle sweeps are looked at under a flood; an unfinished socket is
//!   served again after a zero-timeout wait.
//!
//! SIGINT/SIGTERM and SIGUSR1 arrive through the command's [`Shutdown`] self-pipe,
//! registered like the socket: SIGUSR1 prints the counters and the loop goes on;
//! SIGINT/SIGTERM end it, every tracked peer is forgotten (logged with `-v`) and the
//! summary is returned for the command to print.

use std::io;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::Transport;
use super::peers::{Admission, DEFAULT_CEILING, PeerEntry, PeerTable};
use super::report::{self, DgramSummary};
use super::service::{DatagramService, Flow, Incoming, Replies};
use crate::engine::nbconn::sweep_interval;
use crate::engine::selector::{Event, Interest, Selector, Token, Trigger};
use crate::engine::stats::Tap;
use crate::engine::{CloseReason, EngineCtx};
use crate::net::peer::Peer;
use crate::net::signals::Shutdown;

const SOCKET: Token = Token(0);
const SHUTDOWN: Token = Token(1);

/// Batches per turn in edge-triggered mode (× 64 UDP datagrams).
pub const EDGE_BATCH_BUDGET: usize = 16;

/// Who datagram `i` of the batch came from, for the replies' accounting.
enum Sender {
    Tracked(usize),
    Untracked(Peer),
    Refused,
}

/// Datagram counts the per-peer taps do not keep.
#[derive(Default)]
struct Counts {
    datagrams_in: u64,
    datagrams_out: u64,
    unanswered: u64,
    truncated: u64,
    untracked: u64,
    kernel_drops: u32,
}

struct Loop<'a, 'c, T: Transport, S: DatagramService> {
    transport: T,
    svc: &'a mut S,
    ctx: &'a EngineCtx<'c>,
    peers: PeerTable,
    replies: Replies,
    senders: Vec<Sender>,
    counts: Counts,
    warned_full: bool,
    /// When the kernel's drop count was last warned about, and at what value.
    drops_warned: (Option<Instant>, u32),
    last_recv_warning: Option<Instant>,
    /// The service said [`Flow::Stop`].
    stop: bool,
}

/// A selector with the socket and the shutdown pipe registered: every setup step of
/// the loop that can fail, done before the server says it is listening.
pub struct Prepared<Sel: Selector, T: Transport> {
    sel: Sel,
    transport: T,
}

impl<Sel: Selector, T: Transport> Prepared<Sel, T> {
    pub fn new(mut sel: Sel, transport: T, shutdown: &Shutdown) -> anyhow::Result<Self> {
        sel.register(transport.socket().as_fd(), SOCKET, Interest::READ)
            .context("watch the socket")?;
        sel.register(shutdown.as_fd(), SHUTDOWN, Interest::READ)
            .context("watch the shutdown pipe")?;
        Ok(Prepared { sel, transport })
    }
}

/// Serve datagrams until `ctx.shutdown` says stop (SIGINT/SIGTERM) or the service
/// does; SIGUSR1 prints the counters on the way.
pub fn run<Sel: Selector, T: Transport, S: DatagramService>(
    prepared: Prepared<Sel, T>,
    svc: &mut S,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<DgramSummary> {
    let Prepared { mut sel, transport } = prepared;
    let shutdown = ctx.shutdown;
    let budget = match sel.trigger() {
        Trigger::Level => 1,
        Trigger::Edge => EDGE_BATCH_BUDGET,
    };
    let mut lp = Loop {
        transport,
        svc,
        ctx,
        peers: PeerTable::new(ctx.config.max_connections, DEFAULT_CEILING),
        replies: Replies::default(),
        senders: Vec::new(),
        counts: Counts::default(),
        warned_full: false,
        drops_warned: (None, 0),
        last_recv_warning: None,
        stop: false,
    };
    let idle = ctx.config.idle_timeout;
    let sweep_every = sweep_interval(ctx.config);
    let mut next_sweep = Instant::now() + sweep_every;
    let mut more = false;
    let mut events: Vec<Event> = Vec::with_capacity(4);
    while shutdown.requested().is_none() && !lp.stop {
        let timeout = if more {
            Some(Duration::ZERO)
        } else if idle.is_some() && !lp.peers.is_empty() {
            Some(next_sweep.saturating_duration_since(Instant::now()))
        } else {
            None
        };
        sel.wait(&mut events, timeout).context("wait for events")?;
        let mut readable = more;
        for ev in &events {
            match ev.token {
                SOCKET => readable = true,
                SHUTDOWN => {
                    shutdown.drain();
                    if shutdown.take_stats_request() {
                        report::report_live(ctx.out, &lp.summary());
                    }
                }
                _ => {}
            }
        }
        // Forget silent peers before admitting new ones: after a long stall the sweep
        // is overdue, and a datagram waiting for the room it frees must find it.
        if let Some(idle) = idle {
            let now = Instant::now();
            if now >= next_sweep {
                lp.expire(now, idle);
                next_sweep = now + sweep_every;
            }
        }
        more = readable && lp.serve(budget)?;
    }
    let _ = sel.deregister(shutdown.as_fd());
    let _ = sel.deregister(lp.transport.socket().as_fd());
    for e in lp.peers.drain() {
        lp.forget(e, CloseReason::Shutdown);
    }
    Ok(lp.summary())
}

impl<T: Transport, S: DatagramService> Loop<'_, '_, T, S> {
    /// Receive and answer up to `budget` batches; whether more may be waiting.
    fn serve(&mut self, budget: usize) -> anyhow::Result<bool> {
        for _ in 0..budget {
            let n = match self.transport.recv() {
                Ok(n) => n,
                Err(e) if transient(&e) => {
                    self.warn_recv(&e);
                    return Ok(false);
                }
                Err(e) => return Err(anyhow::Error::from(e).context("receive")),
            };
            if n == 0 {
                return Ok(false);
            }
            self.note_kernel_drops();
            self.handle_batch(n);
            self.send_replies();
            // A short batch emptied the queue: anything later raises a new edge.
            if self.stop || n < self.transport.batch() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Admit, count, dump and serve each datagram of the batch.
    fn handle_batch(&mut self, n: usize) {
        let now = Instant::now();
        let ctx = self.ctx;
        self.replies.clear();
        self.senders.clear();
        for i in 0..n {
            let (peer, data, len) = self.transport.datagram(i);
            self.counts.datagrams_in += 1;
            let sender = match self.peers.admit(&peer) {
                Admission::Known(k) => Sender::Tracked(k),
                // The counters' admission is the one that counts (atomic, as for
                // streams); the table's answer only says the peer is new.
                Admission::Room => match ctx.counters.admit(ctx.config.max_connections) {
                    Some(slot) => {
                        let entry = PeerEntry::new(slot, peer.clone(), peer_tap(ctx, &peer), now);
                        report::log_new_peer(ctx, &entry);
                        Sender::Tracked(self.peers.insert(entry))
                    }
                    None => {
                        self.refuse(&peer);
                        continue;
                    }
                },
                Admission::Refused => {
                    self.refuse(&peer);
                    continue;
                }
                Admission::Full => {
                    if !self.warned_full {
                        self.warned_full = true;
                        report::warn_table_full(ctx.out, DEFAULT_CEILING);
                    }
                    self.counts.untracked += 1;
                    Sender::Untracked(peer.clone())
                }
            };
            match &sender {
                Sender::Tracked(k) => {
                    let e = self.peers.get_mut(*k).expect("tracked peer");
                    e.tap.received(data);
                    e.datagrams_in += 1;
                    e.bytes_in += data.len() as u64;
                    e.last_seen = now;
                }
                _ => peer_tap(ctx, &peer).received(data),
            }
            report::log_datagram(ctx.out, &peer, len);
            if data.len() < len {
                self.counts.truncated += 1;
                if self.counts.truncated == 1 {
                    report::warn_truncated(ctx.out, &peer, len, data.len());
                }
            }
            self.senders.push(sender);
            if self.stop {
                continue; // received and counted, no longer served
            }
            let incoming = Incoming {
                peer: &peer,
                data,
                len,
                peers: self.peers.len(),
            };
            self.replies.answering(i);
            if self.svc.on_datagram(&incoming, &mut self.replies) == Flow::Stop {
                self.stop = true;
            }
        }
    }

    /// A datagram from a new peer over `--max-connections`: dropped unanswered.
    fn refuse(&mut self, peer: &Peer) {
        if self.ctx.out.verbose() {
            self.ctx
                .log_refused(peer, "too many peers (--max-connections)");
        } else {
            self.ctx.counters.refused();
        }
        self.senders.push(Sender::Refused);
    }

    /// Send the batch's replies; count each one for its peer.
    fn send_replies(&mut self) {
        if self.replies.is_empty() {
            return;
        }
        let Loop {
            transport,
            replies,
            senders,
            peers,
            counts,
            ctx,
            ..
        } = self;
        transport.send(replies, &mut |i, bytes, result| match &senders[i] {
            Sender::Tracked(k) => {
                let e = peers.get_mut(*k).expect("tracked peer");
                if account(counts, ctx, &e.tap, &e.peer, bytes, result) {
                    e.datagrams_out += 1;
                    e.bytes_out += bytes.len() as u64;
                } else {
                    e.unanswered += 1;
                }
            }
            Sender::Untracked(p) => {
                account(counts, ctx, &peer_tap(ctx, p), p, bytes, result);
            }
            Sender::Refused => {}
        });
    }

    /// Forget the peers silent for `idle`.
    fn expire(&mut self, now: Instant, idle: Duration) {
        for e in self.peers.expire(now, idle) {
            self.forget(e, CloseReason::IdleTimeout);
        }
    }

    /// Log a peer that is forgotten; dropping its entry gives its slot back.
    fn forget(&self, e: PeerEntry, reason: CloseReason) {
        report::log_forget(self.ctx, &e, reason);
    }

    fn summary(&self) -> DgramSummary {
        let c = &self.counts;
        DgramSummary {
            server: self.ctx.counters.summary(self.ctx.started),
            datagrams_in: c.datagrams_in,
            datagrams_out: c.datagrams_out,
            unanswered: c.unanswered,
            truncated: c.truncated,
            kernel_drops: c.kernel_drops as u64,
            untracked: c.untracked,
        }
    }

    /// `SO_RXQ_OVFL`: warn about datagrams the kernel dropped, at most once a second.
    fn note_kernel_drops(&mut self) {
        let now_total = self.transport.kernel_drops();
        if now_total <= self.counts.kernel_drops {
            return;
        }
        self.counts.kernel_drops = now_total;
        let (at, warned) = self.drops_warned;
        if at.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
            self.ctx.out.warn(&format!(
                "the kernel dropped {} datagram(s) for a full receive queue ({now_total} so far)",
                now_total - warned
            ));
            self.drops_warned = (Some(Instant::now()), now_total);
        }
    }

    fn warn_recv(&mut self, e: &io::Error) {
        let due = self
            .last_recv_warning
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
        if due {
            self.last_recv_warning = Some(Instant::now());
            self.ctx.out.warn(&format!(
                "receive: {}; serving on",
                crate::os_error::describe(e)
            ));
        }
    }
}

/// Count one reply that went out (`true`) or could not be sent.
fn account(
    counts: &mut Counts,
    ctx: &EngineCtx<'_>,
    tap: &Tap,
    peer: &Peer,
    bytes: &[u8],
    result: io::Result<()>,
) -> bool {
    match result {
        Ok(()) => {
            counts.datagrams_out += 1;
            tap.sent(bytes);
            true
        }
        Err(e) => {
            counts.unanswered += 1;
            report::log_unanswered(ctx.out, peer, &e);
            false
        }
    }
}

/// A tap labelled with `peer` (the label is rendered only for `-x`).
fn peer_tap(ctx: &EngineCtx<'_>, peer: &Peer) -> Tap {
    Tap::for_peer(
        std::sync::Arc::clone(&ctx.counters),
        ctx.config.hexdump.clone(),
        peer,
    )
}

/// Receive errors that concern one datagram or a passing shortage, not the socket.
fn transient(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(
            libc::ECONNREFUSED
                | libc::ECONNRESET
                | libc::EHOSTUNREACH
                | libc::ENETUNREACH
                | libc::ENOMEM
                | libc::ENOBUFS
        )
    )
}

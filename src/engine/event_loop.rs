//! The one single-threaded event loop behind the select, poll, epoll-lt and epoll-et
//! engines: generic over [`Selector`], so the four engines differ only in how readiness
//! is asked for, not in what is done with it.
//!
//! One turn: wait for readiness (or the next timer sweep), then for each event accept
//! new connections, read from and write to ready connections, and re-register any
//! connection whose wanted readiness changed (write interest only while output waits;
//! read interest only below the outbox high-water mark).
//!
//! * **Level-triggered** (select, poll, epoll-lt): one `read` per event. If more data
//!   is waiting, the selector simply reports the socket again next turn, so every
//!   connection gets its turn in order.
//! * **Edge-triggered** (epoll-et): an event is reported once per change, so the loop
//!   must read until `EAGAIN` or remember the socket. To keep one flooding client from
//!   starving the rest it reads at most [`EDGE_READ_BUDGET`] times per turn and puts an
//!   unfinished socket on a requeue list served after the next (non-blocking) wait;
//!   accepts are drained the same way.
//!
//! * **Batching** (services whose factory says [`ServiceFactory::batches`], HTTP with
//!   its cache): a turn first reads once from every ready connection and only hands
//!   the bytes over, then calls `before_answers` once (HTTP reads its inotify queue),
//!   then lets each connection answer and send. Every request answered in the turn
//!   was read before that one check, so it costs one `read` per turn, not per request.
//!   Those connections are settled (closed or re-registered) only after answering.
//!
//! * **Hub** (a factory with [`ServiceFactory::hub`]: `listen -k`): stdin and stdout
//!   are watched too ([`super::hub_io`]); at the end of each turn stdout is written,
//!   stdin read, and what stdin and the connections posted is delivered to the
//!   others, which are then settled like any connection that got data.
//!
//! SIGINT/SIGTERM arrive through the shutdown self-pipe, registered like any socket, so
//! a loop asleep in `wait` wakes at once; it then stops accepting, gives every
//! connection one last non-blocking flush and closes it.

use std::os::fd::{AsFd, AsRawFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use slab::Slab;
use socket2::Socket;

use super::accept::Acceptor;
use super::hub_io::{HubIo, STDIN, STDOUT};
use super::nbconn::{NbConn, READ_CHUNK, ReadEnd, admit, sweep_interval};
use super::selector::{Event, Interest, Selector, Token, Trigger};
use super::service::ServiceFactory;
use super::{CloseReason, EngineCtx};
use crate::net::peer::Peer;
use crate::net::signals::Shutdown;

const LISTENER: Token = Token(0);
const SHUTDOWN: Token = Token(1);
/// Connection tokens are slab keys shifted past the fixed tokens (listener, shutdown
/// pipe, the hub's stdin and stdout), two per connection: its client socket, and its
/// upstream socket if the service owns one.
const FIRST_CONN: usize = 4;

fn client_token(key: usize) -> Token {
    Token(FIRST_CONN + 2 * key)
}

fn upstream_token(key: usize) -> Token {
    Token(FIRST_CONN + 2 * key + 1)
}

/// A connection token's slab key, and whether it names the upstream socket.
fn conn_key(token: Token) -> (usize, bool) {
    let t = token.0.wrapping_sub(FIRST_CONN);
    (t / 2, t % 2 == 1)
}

/// Reads per connection per turn in edge-triggered mode (× 64 KiB).
pub const EDGE_READ_BUDGET: usize = 16;
/// Accepts per turn; the rest wait for the next turn so connections already open are
/// served in between.
pub const ACCEPT_BUDGET: usize = 128;

struct Entry<S: super::service::Service> {
    conn: NbConn<S>,
    /// What the selector currently has registered for this socket.
    interest: Interest,
    /// Edge-triggered: the last readable edge has not been read to `EAGAIN` yet.
    read_ready: bool,
    /// Already on the requeue list.
    queued: bool,
    /// Edge-triggered: the peer's FIN (or an error) was reported; read to the end.
    peer_closed: bool,
    /// Read this turn by a batching service; answered (and settled) at the turn's end.
    pending: bool,
}

struct Loop<'a, 'c, Sel: Selector, F: ServiceFactory> {
    sel: Sel,
    edge: bool,
    acceptor: Acceptor,
    factory: Arc<F>,
    ctx: &'a EngineCtx<'c>,
    conns: Slab<Entry<F::Service>>,
    buf: Vec<u8>,
    /// Edge-triggered: connections with unread data (budget spent), served next turn.
    requeue: Vec<Token>,
    /// Edge-triggered: the accept budget ran out before `EAGAIN`.
    listener_pending: bool,
    warned_fd_setsize: bool,
    /// The service reads every ready connection before answering any
    /// ([`ServiceFactory::batches`]).
    batching: bool,
    /// Connections read this turn and not yet answered (batching only).
    pending: Vec<Token>,
    /// Stdin and stdout, when the connections share a hub.
    hub: Option<HubIo>,
}

/// An event loop with its selector built and the listener and the shutdown pipe
/// registered: everything that can fail before the server says it is ready.
pub struct EventLoop<Sel: Selector> {
    sel: Sel,
    acceptor: Acceptor,
}

impl<Sel: Selector> EventLoop<Sel> {
    pub fn new(mut sel: Sel, acceptor: Acceptor, shutdown: &Shutdown) -> anyhow::Result<Self> {
        acceptor.watch(&mut sel, LISTENER, shutdown, SHUTDOWN)?;
        Ok(EventLoop { sel, acceptor })
    }
}

/// Serve until SIGINT/SIGTERM with any selector.
pub fn run<Sel: Selector, F: ServiceFactory>(
    prepared: EventLoop<Sel>,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let EventLoop { sel, acceptor } = prepared;
    let shutdown = ctx.shutdown;
    let edge = sel.trigger() == Trigger::Edge;
    let batching = factory.batches();
    let hub = hub_of(&*factory, ctx);
    let mut lp = Loop {
        sel,
        edge,
        acceptor,
        factory,
        ctx,
        conns: Slab::new(),
        buf: vec![0u8; READ_CHUNK],
        requeue: Vec::new(),
        listener_pending: false,
        warned_fd_setsize: false,
        batching,
        pending: Vec::new(),
        hub,
    };
    let sweep_every = sweep_interval(ctx.config);
    let mut next_sweep = Instant::now() + sweep_every;
    let mut events: Vec<Event> = Vec::with_capacity(1024);
    while shutdown.requested().is_none() && !lp.hub.as_ref().is_some_and(HubIo::stopped) {
        let has_conns = !lp.conns.is_empty();
        let timeout = if !lp.requeue.is_empty()
            || lp.listener_pending
            || lp.hub.as_ref().is_some_and(|h| h.busy(has_conns))
        {
            Some(Duration::ZERO)
        } else if let Some(at) = lp.hub.as_ref().and_then(HubIo::deadline) {
            let sweep = if has_conns { next_sweep } else { at };
            Some(at.min(sweep).saturating_duration_since(Instant::now()))
        } else if lp.conns.is_empty() {
            None
        } else {
            Some(next_sweep.saturating_duration_since(Instant::now()))
        };
        lp.sel
            .wait(&mut events, timeout)
            .context("wait for events")?;
        ctx.counters.io.wait();
        ctx.counters.io.events(events.len());
        for ev in &events {
            match ev.token {
                LISTENER => lp.accept_some(),
                SHUTDOWN => {
                    shutdown.drain();
                    ctx.on_wake();
                }
                STDIN | STDOUT => {} // served at the turn's end
                t => lp.conn_event(t, ev),
            }
        }
        if lp.edge {
            lp.serve_requeued();
        }
        lp.answer_pending();
        lp.serve_hub()?;
        let now = Instant::now();
        if lp.conns.is_empty() {
            next_sweep = now + sweep_every;
        } else if now >= next_sweep {
            lp.sweep(now);
            next_sweep = now + sweep_every;
        }
    }
    lp.drain(&mut events, shutdown);
    lp.close_all();
    match lp.hub.as_mut() {
        Some(hub) => {
            hub.finish(&mut lp.sel);
            hub.take_stop().unwrap_or(Ok(()))
        }
        None => Ok(()),
    }
}

/// The hub's I/O, when the factory's connections share one.
fn hub_of<F: ServiceFactory>(factory: &F, ctx: &EngineCtx<'_>) -> Option<HubIo> {
    factory
        .hub()
        .map(|hub| HubIo::new(Arc::clone(hub), ctx.config.hub_limits))
}

/// How long a stopping server keeps sending responses already in flight.
pub const DRAIN_LIMIT: Duration = Duration::from_secs(30);

impl<Sel: Selector, F: ServiceFactory> Loop<'_, '_, Sel, F> {
    /// Accept up to the budget; edge-triggered loops note a non-empty queue.
    fn accept_some(&mut self) {
        self.listener_pending = false;
        for _ in 0..ACCEPT_BUDGET {
            let shed_before = self.acceptor.shed_count();
            match self.acceptor.try_accept(self.ctx) {
                Ok(Some((sock, peer))) => self.add(sock, peer),
                Ok(None) => {
                    // Out of descriptors: one connection was shed; more may be queued
                    // behind it, and an edge will not come again for them.
                    self.listener_pending = self.edge && self.acceptor.shed_count() != shed_before;
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
        self.listener_pending = self.edge;
    }

    fn add(&mut self, sock: Socket, peer: Peer) {
        let fd = sock.as_raw_fd();
        if !self.sel.can_watch(fd) {
            // select(2): FD_SET on fd >= FD_SETSIZE would write past the fd_set.
            let why = format!(
                "descriptor {fd} is beyond select's FD_SETSIZE ({})",
                super::select::FD_SETSIZE
            );
            if !self.warned_fd_setsize {
                self.warned_fd_setsize = true;
                self.ctx.out.warn(&format!(
                    "refusing connections: {why}; use --engine poll or epoll for more"
                ));
            }
            self.ctx.log_refused(&peer, &why);
            return;
        }
        let Some(conn) = admit(&self.acceptor, sock, peer, &*self.factory, self.ctx) else {
            return;
        };
        let interest = conn.interest();
        let entry = self.conns.vacant_entry();
        let token = client_token(entry.key());
        if let Err(e) = self.sel.register(conn.sock.as_fd(), token, interest) {
            self.ctx.out.warn(&format!(
                "cannot watch connection {}: {}",
                conn.id,
                crate::os_error::describe(&e)
            ));
            let mut conn = conn;
            conn.abort(CloseReason::Error);
            conn.close(self.ctx);
            return;
        }
        entry.insert(Entry {
            conn,
            interest,
            read_ready: false,
            queued: false,
            peer_closed: false,
            pending: false,
        });
        // A greeting (on_open output) goes out at once; an edge-triggered socket may
        // also already hold data that arrived before registration.
        self.conn_event(
            token,
            &Event {
                token,
                readable: self.edge,
                writable: true,
                read_closed: false,
            },
        );
    }

    /// Handle readiness on one connection, then settle its registration.
    fn conn_event(&mut self, token: Token, ev: &Event) {
        let (key, upstream) = conn_key(token);
        let Some(e) = self.conns.get_mut(key) else {
            return; // closed earlier in this turn
        };
        let token = client_token(key);
        let nothing = Event {
            token,
            readable: false,
            writable: false,
            read_closed: false,
        };
        let ev = if upstream {
            e.conn.on_upstream_event(ev);
            &nothing
        } else {
            ev
        };
        if ev.writable && e.conn.wants_write() {
            e.conn.on_writable();
        }
        if ev.readable {
            e.read_ready = true;
        }
        e.peer_closed |= ev.read_closed;
        if e.read_ready && e.conn.wants_read() && self.batching {
            // One read now; the answer, and the settling, wait for the turn's end.
            let end = e.conn.read_batched(&mut self.buf, !e.peer_closed);
            e.read_ready = self.edge && end == ReadEnd::MaybeMore;
            if !e.pending {
                e.pending = true;
                self.pending.push(token);
            }
        } else if e.read_ready && e.conn.wants_read() {
            let end = if self.edge {
                e.conn
                    .on_readable_until(&mut self.buf, EDGE_READ_BUDGET, !e.peer_closed)
            } else {
                e.conn.on_readable(&mut self.buf, 1)
            };
            // Level-triggered: the selector will say again if more is waiting.
            e.read_ready = self.edge && end == ReadEnd::MaybeMore;
        }
        let budget = if self.edge { EDGE_READ_BUDGET } else { 1 };
        e.conn.drive_upstream(&mut self.buf, budget, self.edge);
        // A pending connection is settled after its answer: closing it now could hand
        // its slab key to a connection accepted later in this turn.
        if !e.pending {
            self.settle(token);
        }
    }

    /// Batching: every ready connection has been read; let the service look at shared
    /// state once (HTTP reads its cache's inotify queue), then answer each connection.
    fn answer_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.factory.before_answers();
        for token in std::mem::take(&mut self.pending) {
            if let Some(e) = self.conns.get_mut(conn_key(token).0) {
                e.pending = false;
                e.conn.answer_batch();
            }
            self.settle(token);
        }
    }

    /// The hub's part of a turn: stdout written, stdin read, posts delivered to every
    /// connection but their sender; connections that got something, or all of them
    /// when a pause began or ended, are settled.
    fn serve_hub(&mut self) -> anyhow::Result<()> {
        let Some(io) = self.hub.as_mut() else {
            return Ok(());
        };
        let conns = self.conns.iter_mut().map(|(_, e)| &mut e.conn).collect();
        if io.serve(conns, self.ctx.out) {
            let keys: Vec<usize> = self.conns.iter().map(|(k, _)| k).collect();
            for k in keys {
                self.settle(client_token(k));
            }
        }
        let io = self.hub.as_mut().expect("checked above");
        io.check_limits(!self.conns.is_empty(), Instant::now());
        io.sync(&mut self.sel, !self.conns.is_empty())
            .context("watch stdin and stdout")
    }

    /// Close a finished connection, or update its registration and requeue state.
    fn settle(&mut self, token: Token) {
        let key = conn_key(token).0;
        let Some(e) = self.conns.get_mut(key) else {
            return;
        };
        if e.conn.finished().is_none() {
            let want = e.conn.interest();
            if want != e.interest {
                self.ctx.counters.io.rearm();
                match self.sel.reregister(e.conn.sock.as_fd(), token, want) {
                    Ok(()) => e.interest = want,
                    Err(_) => e.conn.abort(CloseReason::Error),
                }
            }
            if e.conn
                .sync_upstream(&mut self.sel, upstream_token(key))
                .is_err()
            {
                e.conn.abort(CloseReason::Error);
            }
        }
        if e.conn.finished().is_some() {
            let mut e = self.conns.remove(key);
            e.conn.deregister(&mut self.sel);
            e.conn.close(self.ctx);
            return;
        }
        let more = e.read_ready && e.conn.wants_read() || e.conn.upstream_pending();
        if self.edge && more && !e.queued {
            e.queued = true;
            self.ctx.counters.io.requeue();
            self.requeue.push(token);
        }
    }

    /// Edge-triggered: give connections that had more to read their next turn.
    fn serve_requeued(&mut self) {
        for token in std::mem::take(&mut self.requeue) {
            if let Some(e) = self.conns.get_mut(conn_key(token).0) {
                e.queued = false;
                let nothing_new = Event {
                    token,
                    readable: false,
                    writable: false,
                    read_closed: false,
                };
                self.conn_event(token, &nothing_new);
            }
        }
        if self.listener_pending {
            self.accept_some();
        }
    }

    /// Close connections past their idle timeout or service deadline.
    fn sweep(&mut self, now: Instant) {
        let expired: Vec<usize> = self
            .conns
            .iter_mut()
            .filter_map(|(k, e)| e.conn.check_timers(now, self.ctx.config).then_some(k))
            .collect();
        for k in expired {
            self.settle(client_token(k));
        }
    }

    /// Shutdown: one last non-blocking flush for each connection, then close.
    /// Graceful stop: accept nothing more, read nothing more, but finish sending what
    /// every connection already has queued (a file half sent), for at most
    /// [`DRAIN_LIMIT`]. Connections with nothing queued close at once.
    fn drain(&mut self, events: &mut Vec<Event>, shutdown: &Shutdown) {
        let _ = self.sel.deregister(self.acceptor.listener().as_fd());
        // Further signals are not waited for: the drain has its own deadline.
        let _ = self.sel.deregister(shutdown.as_fd());
        let deadline = Instant::now() + DRAIN_LIMIT;
        loop {
            let idle: Vec<usize> = self
                .conns
                .iter()
                .filter(|(_, e)| !e.conn.wants_write())
                .map(|(k, _)| k)
                .collect();
            for key in idle {
                let mut e = self.conns.remove(key);
                e.conn.abort(CloseReason::Shutdown);
                e.conn.deregister(&mut self.sel);
                e.conn.close(self.ctx);
            }
            let now = Instant::now();
            if self.conns.is_empty() || now >= deadline {
                return;
            }
            for (key, e) in self.conns.iter_mut() {
                if e.interest != Interest::WRITE {
                    let token = client_token(key);
                    match self
                        .sel
                        .reregister(e.conn.sock.as_fd(), token, Interest::WRITE)
                    {
                        Ok(()) => e.interest = Interest::WRITE,
                        Err(_) => e.conn.abort(CloseReason::Error),
                    }
                }
            }
            let wait = (deadline - now).min(Duration::from_millis(250));
            if self.sel.wait(events, Some(wait)).is_err() {
                return;
            }
            for ev in events.iter() {
                let (key, upstream) = conn_key(ev.token);
                if ev.token.0 < FIRST_CONN || upstream {
                    continue;
                }
                if let Some(e) = self.conns.get_mut(key) {
                    if ev.writable || ev.read_closed {
                        e.conn.on_writable();
                    }
                }
            }
        }
    }

    fn close_all(&mut self) {
        for (_, mut e) in std::mem::take(&mut self.conns) {
            e.conn.on_writable();
            e.conn.abort(CloseReason::Shutdown);
            e.conn.deregister(&mut self.sel);
            e.conn.close(self.ctx);
        }
    }
}

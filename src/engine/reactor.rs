//! The classic epoll reactor (libevent's ancestor, the course's `epoll_loop.c`): every
//! descriptor has an **event record** — its fd, the events it is registered for, the
//! **handler** to call when they fire, and its buffer — and the loop knows nothing but
//! "wait, then call the record's handler". The handlers steer themselves: the read
//! handler, when output is left over that the socket would not take, swaps in the
//! write handler and re-arms the record for `EPOLLOUT`; the write handler, once the
//! buffer is empty, swaps the read handler back in and re-arms for `EPOLLIN`.
//!
//! ```text
//!   listener record ──accept_conn──► new conn record {fd, EPOLLIN, recv_data, outbox}
//!   recv_data: read → service → write what fits ─┬─ all sent: stay on recv_data
//!                                                └─ left over: set send_data, EPOLLOUT
//!   send_data: write ─┬─ all sent: set recv_data, EPOLLIN
//!                     └─ still left: stay on send_data
//! ```
//!
//! Written cleanly: the record's buffer is the connection's [`Outbox`](super::service::Outbox)
//! (bytes read go through one shared scratch buffer straight to the service, so an idle
//! connection costs no read buffer), handlers are plain `fn` pointers, records live in
//! a slab keyed by the epoll token, and the service is the same one every engine drives.
//! Level-triggered, one read per event, as the original.

use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use slab::Slab;

use super::accept::Acceptor;
use super::epoll::Epoll;
use super::nbconn::{NbConn, READ_CHUNK, admit, sweep_interval};
use super::selector::{Event, Interest, Selector, Token, Trigger};
use super::service::ServiceFactory;
use super::{CloseReason, EngineCtx};
use crate::net::signals::Shutdown;

/// What a record does when its events fire.
type Handler<'a, 'c, F> = fn(&mut Reactor<'a, 'c, F>, Token);

/// The per-descriptor event record.
struct Record<'a, 'c, F: ServiceFactory> {
    /// The events this record is armed for.
    interest: Interest,
    /// Called when they fire; handlers replace themselves to change role.
    handler: Handler<'a, 'c, F>,
    /// The connection (socket, service and outbox); `None` for the listener and the
    /// shutdown pipe, which the reactor owns itself.
    conn: Option<NbConn<F::Service>>,
}

struct Reactor<'a, 'c, F: ServiceFactory> {
    epoll: Epoll,
    records: Slab<Record<'a, 'c, F>>,
    acceptor: Acceptor,
    shutdown: &'a Shutdown,
    factory: Arc<F>,
    ctx: &'a EngineCtx<'c>,
    scratch: Vec<u8>,
    stop: bool,
}

/// The listener's and the shutdown pipe's records: the first two in the slab.
const LISTEN_TOKEN: Token = Token(0);
const WAKE_TOKEN: Token = Token(1);

/// The reactor's epoll instance with the listener and the shutdown pipe registered:
/// everything that can fail before the server says it is ready.
pub struct Prepared {
    epoll: Epoll,
    acceptor: Acceptor,
}

impl Prepared {
    pub fn new(acceptor: Acceptor, shutdown: &Shutdown) -> anyhow::Result<Prepared> {
        let mut epoll = Epoll::new(Trigger::Level).context("create the epoll instance")?;
        acceptor.watch(&mut epoll, LISTEN_TOKEN, shutdown, WAKE_TOKEN)?;
        Ok(Prepared { epoll, acceptor })
    }
}

/// Serve until SIGINT/SIGTERM.
pub fn run<F: ServiceFactory>(
    prepared: Prepared,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let mut r = Reactor {
        epoll: prepared.epoll,
        records: Slab::new(),
        acceptor: prepared.acceptor,
        shutdown: ctx.shutdown,
        factory,
        ctx,
        scratch: vec![0u8; READ_CHUNK],
        stop: false,
    };
    let listen_token = r.add_record(Interest::READ, Reactor::accept_conn, None);
    let wake_token = r.add_record(Interest::READ, Reactor::on_shutdown, None);
    debug_assert_eq!((listen_token, wake_token), (LISTEN_TOKEN, WAKE_TOKEN));

    let sweep_every = sweep_interval(ctx.config);
    let mut next_sweep = Instant::now() + sweep_every;
    let mut events: Vec<Event> = Vec::with_capacity(1024);
    while !r.stop && r.shutdown.requested().is_none() {
        let timeout =
            (r.records.len() > 2).then(|| next_sweep.saturating_duration_since(Instant::now()));
        r.epoll.wait(&mut events, timeout).context("epoll_wait")?;
        ctx.counters.io.wait();
        ctx.counters.io.events(events.len());
        for ev in &events {
            // The dispatch: look up the record, call whatever handler it holds now.
            if let Some(rec) = r.records.get(ev.token.0) {
                let handler = rec.handler;
                handler(&mut r, ev.token);
            }
        }
        let now = Instant::now();
        if now >= next_sweep {
            r.sweep(now);
            next_sweep = now + sweep_every;
        }
    }
    r.drain(&mut events);
    r.close_all();
    Ok(())
}

impl<'a, 'c, F: ServiceFactory> Reactor<'a, 'c, F> {
    fn add_record(
        &mut self,
        interest: Interest,
        handler: Handler<'a, 'c, F>,
        conn: Option<NbConn<F::Service>>,
    ) -> Token {
        Token(self.records.insert(Record {
            interest,
            handler,
            conn,
        }))
    }

    /// Listener handler: accept what is queued (up to a batch), one record each.
    fn accept_conn(&mut self, _: Token) {
        for _ in 0..super::event_loop::ACCEPT_BUDGET {
            let (sock, peer) = match self.acceptor.try_accept(self.ctx) {
                Ok(Some(c)) => c,
                Ok(None) => return,
                Err(e) => {
                    self.ctx
                        .out
                        .warn(&format!("accept: {}", crate::os_error::describe(&e)));
                    return;
                }
            };
            let Some(conn) = admit(&self.acceptor, sock, peer, &*self.factory, self.ctx) else {
                continue;
            };
            let token = self.add_record(Interest::READ, Self::recv_data, Some(conn));
            let rec = &mut self.records[token.0];
            let conn = rec.conn.as_mut().expect("connection record");
            if let Err(e) = self
                .epoll
                .register(conn.sock.as_fd(), token, Interest::READ)
            {
                self.ctx.out.warn(&format!(
                    "cannot watch connection {}: {}",
                    conn.id,
                    crate::os_error::describe(&e)
                ));
                conn.abort(CloseReason::Error);
                self.remove(token);
                continue;
            }
            // A service may greet: send it through the write handler.
            self.send_data(token);
        }
    }

    /// Shutdown-pipe handler.
    fn on_shutdown(&mut self, _: Token) {
        self.shutdown.drain();
        self.ctx.on_wake();
        self.stop = self.shutdown.requested().is_some();
    }

    /// Read handler: one read, the service's answer written straight away; what the
    /// socket does not take switches the record to the write handler.
    fn recv_data(&mut self, token: Token) {
        let Some(conn) = self.records[token.0].conn.as_mut() else {
            return;
        };
        conn.on_readable(&mut self.scratch, 1);
        self.rearm(token);
    }

    /// Write handler: send what is buffered; once empty, back to the read handler.
    fn send_data(&mut self, token: Token) {
        let Some(conn) = self.records[token.0].conn.as_mut() else {
            return;
        };
        conn.on_writable();
        self.rearm(token);
    }

    /// Pick the handler and events the record needs next (or close it).
    fn rearm(&mut self, token: Token) {
        let rec = &mut self.records[token.0];
        let conn = rec.conn.as_mut().expect("connection record");
        if conn.finished().is_some() {
            self.remove(token);
            return;
        }
        let (handler, interest): (Handler<'a, 'c, F>, Interest) = if conn.wants_write() {
            (Self::send_data, Interest::WRITE)
        } else {
            (Self::recv_data, Interest::new(conn.wants_read(), false))
        };
        rec.handler = handler;
        if interest != rec.interest {
            self.ctx.counters.io.rearm();
            match self.epoll.reregister(conn.sock.as_fd(), token, interest) {
                Ok(()) => rec.interest = interest,
                Err(_) => {
                    conn.abort(CloseReason::Error);
                    self.remove(token);
                }
            }
        }
    }

    /// Take the record out of epoll and the slab, closing its connection.
    fn remove(&mut self, token: Token) {
        let rec = self.records.remove(token.0);
        if let Some(conn) = rec.conn {
            let _ = self.epoll.deregister(conn.sock.as_fd());
            conn.close(self.ctx);
        }
    }

    /// Close records past their idle timeout or service deadline.
    fn sweep(&mut self, now: Instant) {
        let config = self.ctx.config;
        let expired: Vec<usize> = self
            .records
            .iter_mut()
            .filter_map(|(k, rec)| {
                let c = rec.conn.as_mut()?;
                c.check_timers(now, config).then_some(k)
            })
            .collect();
        for k in expired {
            self.remove(Token(k));
        }
    }

    /// Shutdown: one last non-blocking flush per connection, then close.
    /// Graceful stop, as in the event loop: no more accepts or reads; responses
    /// already queued are finished (at most `DRAIN_LIMIT`), idle connections close.
    fn drain(&mut self, events: &mut Vec<Event>) {
        // The listener's and the self-pipe's records have no connection.
        let _ = self.epoll.deregister(self.acceptor.listener().as_fd());
        let _ = self.epoll.deregister(self.shutdown.as_fd());
        let deadline = Instant::now() + super::event_loop::DRAIN_LIMIT;
        loop {
            let idle: Vec<usize> = self
                .records
                .iter()
                .filter(|(_, r)| r.conn.as_ref().is_some_and(|c| !c.wants_write()))
                .map(|(k, _)| k)
                .collect();
            for k in idle {
                if let Some(c) = self.records[k].conn.as_mut() {
                    c.abort(CloseReason::Shutdown);
                }
                self.remove(Token(k));
            }
            let now = Instant::now();
            let open = self.records.iter().any(|(_, r)| r.conn.is_some());
            if !open || now >= deadline {
                return;
            }
            for (k, rec) in self.records.iter_mut() {
                let Some(c) = rec.conn.as_ref() else { continue };
                if rec.interest != Interest::WRITE
                    && self
                        .epoll
                        .reregister(c.sock.as_fd(), Token(k), Interest::WRITE)
                        .is_ok()
                {
                    rec.interest = Interest::WRITE;
                }
            }
            if self
                .epoll
                .wait(
                    events,
                    Some((deadline - now).min(std::time::Duration::from_millis(250))),
                )
                .is_err()
            {
                return;
            }
            for ev in events.iter() {
                if let Some(c) = self
                    .records
                    .get_mut(ev.token.0)
                    .and_then(|r| r.conn.as_mut())
                {
                    if ev.writable || ev.read_closed {
                        c.on_writable();
                    }
                }
            }
        }
    }

    fn close_all(&mut self) {
        let tokens: Vec<usize> = self
            .records
            .iter()
            .filter(|(_, r)| r.conn.is_some())
            .map(|(k, _)| k)
            .collect();
        for k in tokens {
            if let Some(c) = self.records[k].conn.as_mut() {
                c.on_writable();
                c.abort(CloseReason::Shutdown);
            }
            self.remove(Token(k));
        }
    }
}

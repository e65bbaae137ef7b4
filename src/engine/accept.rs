//! Accepting connections without the classic failure modes.
//!
//! * `EMFILE`/`ENFILE` (out of file descriptors): the pending connection stays in the
//!   kernel's queue, so the listener stays readable and a naive loop spins at 100% CPU
//!   (libuv, node and tokio all shipped that bug). We keep one spare descriptor open;
//!   on `EMFILE` we close it, accept the connection, close that at once (the client
//!   sees a clean close instead of hanging), and reopen the spare. The warning is
//!   rate-limited.
//! * `ECONNABORTED`, `EINTR`, `EPROTO`: the client gave up between SYN and accept;
//!   not an error of ours, just retry.
//!
//! The listener is non-blocking for every engine; blocking engines wait for it in
//! [`crate::net::wait`], together with the shutdown self-pipe.

use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use anyhow::Context;
use socket2::Socket;

use super::EngineCtx;
use super::selector::{Interest, Selector, Token};
use super::service::ConnInfo;
use super::service::ServiceFactory;
use super::stats::Slot;
use crate::net::peer::Peer;
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::trace;
use crate::net::wait::{Watch, Woke, wait};

/// The outcome of one accept attempt.
pub enum Accepted {
    Conn(Socket, Peer),
    /// Nothing to accept right now (or a transient failure); try again.
    Retry,
    /// Shutdown was requested.
    Stop,
}

/// A listener plus the spare descriptor used to shed connections under `EMFILE`.
pub struct Acceptor {
    /// Closed through the trace layer when the server stops.
    listener: trace::Closing<Socket>,
    spare: Option<File>,
    last_warning: Option<Instant>,
    local: String,
    /// How many connections `EMFILE`/`ENFILE` made us shed.
    shed: u64,
}

impl Acceptor {
    pub fn new(listener: Socket) -> anyhow::Result<Self> {
        crate::net::socket::set_nonblocking(&listener, true)
            .context("set the listener non-blocking")?;
        let local = local_label(&listener);
        Ok(Acceptor {
            listener: trace::Closing::new(listener),
            spare: File::open("/dev/null").ok(),
            last_warning: None,
            local,
            shed: 0,
        })
    }

    /// Register the listener and the shutdown self-pipe with an event loop's
    /// selector, under the tokens the loop dispatches on.
    pub fn watch(
        &self,
        sel: &mut impl Selector,
        listener: Token,
        shutdown: &Shutdown,
        wake: Token,
    ) -> anyhow::Result<()> {
        sel.register(self.listener.as_fd(), listener, Interest::READ)
            .context("watch the listener")?;
        sel.register(shutdown.as_fd(), wake, Interest::READ)
            .context("watch the shutdown pipe")?;
        Ok(())
    }

    pub fn listener(&self) -> &Socket {
        &self.listener
    }

    pub fn local_label(&self) -> String {
        self.local.clone()
    }

    /// One non-blocking `accept(2)`; `Ok(None)` when the queue is empty.
    pub fn try_accept(&mut self, ctx: &EngineCtx<'_>) -> io::Result<Option<(Socket, Peer)>> {
        loop {
            match trace::accept(&self.listener, || self.listener.accept()) {
                Ok((sock, addr)) => {
                    sock.set_cloexec(true)?;
                    // TCP_NODELAY (tcp(7)): a reply written in two pieces (an HTTP head,
                    // then a file body) must not wait for the peer's delayed ACK under
                    // Nagle's algorithm (40 ms per response). Unix sockets: not TCP, ignored.
                    if !addr.is_unix() {
                        let _ = trace::io(
                            "setsockopt",
                            Some(sock.as_raw_fd()),
                            || {
                                let fd = trace::fd(&sock);
                                vec![fd, "IPPROTO_TCP".into(), "TCP_NODELAY".into(), "1".into()]
                            },
                            || sock.set_tcp_nodelay(true),
                            |_| None,
                        );
                    }
                    let peer = Peer::accepted(&sock, &addr);
                    return Ok(Some((sock, peer)));
                }
                Err(e) => match e.raw_os_error() {
                    Some(libc::EAGAIN) => return Ok(None),
                    Some(libc::EINTR | libc::ECONNABORTED | libc::EPROTO) => continue,
                    Some(libc::EMFILE | libc::ENFILE) => {
                        self.shed_one(ctx, &e);
                        return Ok(None);
                    }
                    Some(libc::ENOBUFS | libc::ENOMEM) => {
                        self.warn(
                            ctx,
                            &format!("accept: {}; retrying", crate::os_error::describe(&e)),
                        );
                        return Ok(None);
                    }
                    _ => return Err(e),
                },
            }
        }
    }

    /// Wait (in `poll`, through [`crate::net::wait`]) for a connection or a signal;
    /// SIGUSR1 prints the live statistics and goes on waiting.
    pub fn accept_blocking(&mut self, ctx: &EngineCtx<'_>) -> anyhow::Result<Accepted> {
        let mut watch = [Watch::read(self.listener.as_fd())];
        ctx.counters.io.wait();
        let woke = wait(&mut watch, ctx.shutdown, None).context("wait on the listener")?;
        if watch[0].ready() {
            ctx.counters.io.events(1);
        }
        match woke {
            Woke::Stop(_) => return Ok(Accepted::Stop),
            Woke::Timeout => return Ok(Accepted::Retry),
            Woke::Ready => ctx.on_wake(),
        }
        if !watch[0].ready() {
            return Ok(Accepted::Retry);
        }
        match self.try_accept(ctx).context("accept")? {
            Some((s, p)) => Ok(Accepted::Conn(s, p)),
            None => Ok(Accepted::Retry),
        }
    }

    /// Admit a new connection: refuse it (with the service's refusal) when the server
    /// is at `--max-connections`, otherwise give it a slot (released when dropped) and
    /// describe it for the service. Every engine admits through here, so the limit
    /// means the same everywhere.
    pub fn admit<F: ServiceFactory>(
        &self,
        sock: &Socket,
        peer: Peer,
        factory: &F,
        ctx: &EngineCtx<'_>,
    ) -> Option<(ConnInfo, Slot)> {
        let Some(slot) = ctx.counters.admit(ctx.config.max_connections) else {
            self.refuse(sock, &peer, factory, ctx);
            return None;
        };
        let info = ConnInfo {
            id: slot.id(),
            peer,
            local: self.local_label(),
            fd: Some(std::os::fd::AsRawFd::as_raw_fd(sock)),
        };
        Some((info, slot))
    }

    /// Turn away a connection over `--max-connections`.
    pub fn refuse<F: ServiceFactory>(
        &self,
        sock: &Socket,
        peer: &Peer,
        factory: &F,
        ctx: &EngineCtx<'_>,
    ) {
        if let Some(msg) = factory.refusal() {
            let _ = sock.set_nonblocking(true);
            let _ = sock.send(msg);
        }
        ctx.log_refused(peer, "too many connections");
    }

    /// How many connections `try_accept` shed under `EMFILE`/`ENFILE`. An edge-triggered
    /// loop reads a change after a `None` as "the queue may hold more".
    pub fn shed_count(&self) -> u64 {
        self.shed
    }

    fn shed_one(&mut self, ctx: &EngineCtx<'_>, err: &io::Error) {
        drop(self.spare.take());
        // accept(2) reports EMFILE before looking at the queue, so this may find
        // nothing; only a connection actually taken counts as shed.
        if let Ok((sock, addr)) = trace::accept(&self.listener, || self.listener.accept()) {
            self.shed += 1;
            ctx.log_refused(&Peer::from_sockaddr(&addr, None), "out of file descriptors");
            trace::close(sock);
        }
        self.spare = File::open("/dev/null").ok();
        self.warn(
            ctx,
            &format!(
                "accept: {}; shedding connections until descriptors free up",
                crate::os_error::describe(err)
            ),
        );
        if self.spare.is_none() {
            // Not even one descriptor is free: back off briefly instead of spinning.
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn warn(&mut self, ctx: &EngineCtx<'_>, msg: &str) {
        let due = self
            .last_warning
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
        if due {
            self.last_warning = Some(Instant::now());
            ctx.out.warn(msg);
        }
    }
}

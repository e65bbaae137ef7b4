//! The upstream socket of a connection whose service owns one (a relay): connected
//! without blocking, registered in the same selector as the client, read and written
//! through the [connection core](super::core)'s upstream half.
//!
//! * **Connect.** `connect(2)` on a non-blocking socket returns `EINPROGRESS`; the
//!   socket is watched for writability, and `SO_ERROR` then tells success from
//!   failure. `-w` bounds each attempt (checked in the loop's timer sweep). A refused,
//!   unreachable or timed-out endpoint gives way to the next one; when none is left
//!   the connection is closed at once.
//! * **Registration.** A failed attempt's socket is kept until the loop has
//!   deregistered it ([`UpLink::sync`]): poll and select key their tables by
//!   descriptor number, and the next attempt's socket could get the same number.
//! * The fork and thread engines, which give each connection a thread of control of
//!   its own, run such a connection with [`serve_alone`]: the same [`NbConn`] over a
//!   private poll(2) selector, so nothing here is written twice.

use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

use socket2::Socket;

use super::conn::flush_outbox;
use super::core::{ConnCore, classify};
use super::nbconn::{NbConn, READ_CHUNK, ReadEnd, read_socket, sweep_interval};
use super::poll::Poll;
use super::selector::{Event, Interest, Selector, Token};
use super::service::{Service, Upstream};
use super::stats::Tap;
use super::{CloseReason, ConnResult, ServerConfig};
use crate::net::peer::Peer;
use crate::net::signals::Shutdown;
use crate::net::trace::{self, Closing};
use crate::net::upstream::{self, Endpoint, Started};

enum State {
    /// `connect(2)` is in progress; give up at the deadline (`-w`).
    Connecting {
        sock: Closing<Socket>,
        deadline: Option<Instant>,
    },
    Open(Closing<Socket>),
    /// No endpoint answered (the core has ended the connection).
    Gone,
}

/// The upstream end of one connection.
pub struct UpLink {
    targets: Vec<Endpoint>,
    connect_timeout: Option<Duration>,
    /// The next endpoint to try.
    next: usize,
    state: State,
    /// Sockets of failed attempts, waiting to be deregistered before they close.
    retired: Vec<Closing<Socket>>,
    /// What the selector has registered for the current socket.
    registered: Option<Interest>,
    /// A readable report not yet read to `EAGAIN` (edge-triggered bookkeeping).
    pub read_ready: bool,
    /// The upstream's FIN (or an error) was reported: read on to end of stream.
    read_closed: bool,
    pub bytes_in: u64,
    pub bytes_out: u64,
}

impl UpLink {
    /// Start connecting to the first endpoint of `plan` that does not fail at once.
    pub fn connect<S: Service>(plan: Upstream, core: &mut ConnCore<S>) -> UpLink {
        let mut link = UpLink {
            targets: plan.targets,
            connect_timeout: plan.connect_timeout,
            next: 0,
            state: State::Gone,
            retired: Vec::new(),
            registered: None,
            read_ready: false,
            read_closed: false,
            bytes_in: 0,
            bytes_out: 0,
        };
        link.try_next(core);
        link
    }

    fn try_next<S: Service>(&mut self, core: &mut ConnCore<S>) {
        while let Some(ep) = self.targets.get(self.next).cloned() {
            self.next += 1;
            match upstream::start(&ep) {
                Ok(Started::Connected(sock)) => {
                    self.state = State::Open(sock);
                    core.upstream_connected(&ep);
                    return;
                }
                Ok(Started::InProgress(sock)) => {
                    let deadline = self.connect_timeout.map(|t| Instant::now() + t);
                    self.state = State::Connecting { sock, deadline };
                    return;
                }
                Err(e) => core.upstream_failed(&ep, &e, self.next < self.targets.len()),
            }
        }
        self.state = State::Gone;
        if core.finished().is_none() {
            core.end(CloseReason::Upstream);
        }
    }

    /// The attempt in progress failed with `err`: retire its socket, try the next.
    fn attempt_failed<S: Service>(&mut self, core: &mut ConnCore<S>, err: &io::Error) {
        if let State::Connecting { sock, .. } = std::mem::replace(&mut self.state, State::Gone) {
            self.retired.push(sock);
        }
        self.registered = None;
        let ep = self.targets[self.next - 1].clone();
        core.upstream_failed(&ep, err, self.next < self.targets.len());
        if core.finished().is_none() {
            self.try_next(core);
        }
    }

    fn sock(&self) -> Option<&Socket> {
        match &self.state {
            State::Connecting { sock, .. } | State::Open(sock) => Some(sock),
            State::Gone => None,
        }
    }

    /// The readiness to ask for: writability while connecting, then what the core wants.
    fn interest<S: Service>(&self, core: &ConnCore<S>) -> Interest {
        match self.state {
            State::Connecting { .. } => Interest::WRITE,
            State::Open(_) => {
                Interest::new(core.upstream_wants_read(), core.upstream_wants_write())
            }
            State::Gone => Interest::NONE,
        }
    }

    /// A readiness report for the upstream socket: finishes a connect in progress, or
    /// notes what can be read (the read itself is [`read`](Self::read)).
    pub fn on_event<S: Service>(&mut self, core: &mut ConnCore<S>, ev: &Event) {
        match &self.state {
            State::Connecting { sock, .. } if ev.writable || ev.readable || ev.read_closed => {
                match upstream::finish(sock) {
                    Ok(()) => {
                        let State::Connecting { sock, .. } =
                            std::mem::replace(&mut self.state, State::Gone)
                        else {
                            unreachable!("matched above")
                        };
                        self.state = State::Open(sock);
                        core.upstream_connected(&self.targets[self.next - 1]);
                    }
                    Err(e) => self.attempt_failed(core, &e),
                }
            }
            State::Open(_) => {
                self.read_ready |= ev.readable;
                self.read_closed |= ev.read_closed;
            }
            _ => {}
        }
    }

    /// Read the upstream into the core (at most `max_reads` times), if it has data and
    /// the client's outbox has room; returns whether it read.
    pub fn read<S: Service>(
        &mut self,
        core: &mut ConnCore<S>,
        buf: &mut [u8],
        max_reads: usize,
        edge: bool,
    ) -> bool {
        let State::Open(sock) = &self.state else {
            return false;
        };
        if !self.read_ready || !core.upstream_wants_read() {
            return false;
        }
        let bytes_in = &mut self.bytes_in;
        // The engine counters count the client's reads (the summary's).
        let res = read_socket(
            sock,
            None,
            buf,
            max_reads,
            edge && !self.read_closed,
            |data| {
                match data {
                    Some(d) => {
                        *bytes_in += d.len() as u64;
                        core.on_upstream_data(d);
                    }
                    None => core.on_upstream_eof(),
                }
                core.upstream_wants_read()
            },
        );
        match res {
            Ok(end) => self.read_ready = edge && end == ReadEnd::MaybeMore,
            Err(e) => core.end(classify(&e)),
        }
        true
    }

    /// Send what the core holds for the upstream; pass the client's FIN on after it.
    pub fn flush<S: Service>(&mut self, core: &mut ConnCore<S>) {
        let State::Open(sock) = &self.state else {
            return;
        };
        let bytes_out = &mut self.bytes_out;
        core.flush_upstream(
            |out| flush_outbox(sock, out, bytes_out, &Tap::detached()),
            || {
                let _ = trace::shutdown(sock, std::net::Shutdown::Write);
            },
        );
    }

    /// Whether a readable report is waiting that the core would take now.
    pub fn pending<S: Service>(&self, core: &ConnCore<S>) -> bool {
        self.read_ready && core.upstream_wants_read()
    }

    /// Give up on a connect past its deadline; returns whether anything changed.
    pub fn check_timer<S: Service>(&mut self, core: &mut ConnCore<S>, now: Instant) -> bool {
        match self.state {
            State::Connecting {
                deadline: Some(d), ..
            } if d <= now => {
                let err = io::Error::from_raw_os_error(libc::ETIMEDOUT);
                self.attempt_failed(core, &err);
                true
            }
            _ => false,
        }
    }

    /// Bring the selector up to date: deregister retired sockets, register the
    /// current one (`token`) or change its interest.
    pub fn sync<Sel: Selector, S: Service>(
        &mut self,
        sel: &mut Sel,
        token: Token,
        core: &ConnCore<S>,
    ) -> io::Result<()> {
        for old in self.retired.drain(..) {
            let _ = sel.deregister(old.as_fd());
        }
        let want = self.interest(core);
        let Some(sock) = self.sock() else {
            return Ok(());
        };
        match self.registered {
            None => {
                if !sel.can_watch(sock.as_raw_fd()) {
                    return Err(io::Error::from_raw_os_error(libc::EMFILE));
                }
                sel.register(sock.as_fd(), token, want)?;
            }
            Some(had) if had != want => sel.reregister(sock.as_fd(), token, want)?,
            Some(_) => {}
        }
        self.registered = Some(want);
        Ok(())
    }

    /// Take every socket out of the selector (the connection is closing).
    pub fn deregister<Sel: Selector>(&mut self, sel: &mut Sel) {
        for old in self.retired.drain(..) {
            let _ = sel.deregister(old.as_fd());
        }
        if self.registered.take().is_some() {
            if let Some(sock) = self.sock() {
                let _ = sel.deregister(sock.as_fd());
            }
        }
    }
}

const CLIENT: Token = Token(0);
const UPSTREAM: Token = Token(1);
const STOP: Token = Token(2);

/// Serve one connection with an upstream on a thread (or process) of its own, for
/// the fork and thread engines: the event loop's [`NbConn`] over a private poll(2)
/// selector watching the client, the upstream and (thread engine) the shutdown pipe.
/// A blocking `read` on the client could not see the upstream's data meanwhile.
pub fn serve_alone<S: Service>(
    sock: &Socket,
    core: ConnCore<S>,
    config: &ServerConfig,
    tap: &Tap,
    stop: Option<&Shutdown>,
) -> ConnResult {
    let failed = ConnResult {
        bytes_in: 0,
        bytes_out: 0,
        reason: CloseReason::Error,
    };
    // The engine keeps its own handle (the thread engine shuts it down at a stop).
    let (Ok(own), Ok(addr)) = (sock.try_clone(), sock.peer_addr()) else {
        return failed;
    };
    let peer = Peer::accepted(&own, &addr);
    let mut conn = NbConn::with_core(own, 0, peer, core, tap.clone());
    let mut sel = Poll::new();
    let mut registered = conn.interest();
    if sel.register(conn.sock.as_fd(), CLIENT, registered).is_err() {
        conn.abort(CloseReason::Error);
    }
    if let Some(stop) = stop {
        let _ = sel.register(stop.as_fd(), STOP, Interest::READ);
    }
    let mut buf = vec![0u8; READ_CHUNK];
    let mut events = Vec::new();
    let tick = sweep_interval(config);
    loop {
        if conn.sync_upstream(&mut sel, UPSTREAM).is_err() {
            conn.abort(CloseReason::Error);
        }
        if conn.finished().is_some() {
            break;
        }
        let want = conn.interest();
        if want != registered {
            if sel.reregister(conn.sock.as_fd(), CLIENT, want).is_err() {
                conn.abort(CloseReason::Error);
                continue;
            }
            registered = want;
        }
        if sel.wait(&mut events, Some(tick)).is_err() {
            conn.abort(CloseReason::Error);
            continue;
        }
        for ev in &events {
            match ev.token {
                CLIENT => {
                    if ev.writable && conn.wants_write() {
                        conn.on_writable();
                    }
                    if (ev.readable || ev.read_closed) && conn.wants_read() {
                        conn.on_readable(&mut buf, 1);
                    }
                }
                UPSTREAM => conn.on_upstream_event(ev),
                _ => {
                    if stop.is_some_and(|s| s.requested().is_some()) {
                        conn.abort(CloseReason::Shutdown);
                    }
                }
            }
        }
        conn.drive_upstream(&mut buf, 1, false);
        conn.check_timers(Instant::now(), config);
    }
    conn.deregister(&mut sel);
    if let Some(stop) = stop {
        let _ = sel.deregister(stop.as_fd());
    }
    conn.into_result()
}

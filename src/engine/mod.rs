//! Engines: the ways a server can multiplex many connections, each one a lesson of
//! its own (one client at a time, fork-per-connection, thread-per-connection, busy
//! polling, select, poll, epoll level- and edge-triggered, the epoll reactor, and the
//! io_uring completion engine). Every engine drives any
//! [`service::ServiceFactory`], so echo, HTTP and heartbeat run on all of them.
//!
//! The same selectors drive the datagram servers ([`dgram`]): one loop over one
//! unconnected socket, for `udp serve`, `unix serve --dgram` and the heartbeat's UDP
//! responder.
//!
//! This file holds the one `match` over engines; everything engine-specific lives in
//! its own module.

pub mod accept;
pub mod blocking;
mod busy_poll;
pub mod conn;
pub mod core;
pub mod counts;
pub mod dgram;
pub mod epoll;
mod event_loop;
mod fork;
pub mod hub;
pub mod hub_io;
mod iterative;
pub mod nbconn;
pub mod outbox;
pub mod poll;
mod reactor;
pub mod select;
pub mod selector;
pub mod service;
pub mod stats;
mod thread;
pub mod upstream;
mod uring;
pub mod workers;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;
use socket2::Socket;

use crate::net::peer::Peer;
use crate::net::signals::Shutdown;
use crate::output::{Level, Output};
use service::ServiceFactory;
pub use stats::{Counters, ServerSummary, Tap, report_live, report_summary};

/// Which concurrency model serves the connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// One client at a time: blocking accept → serve → close; the next waits in the
    /// listen backlog.
    Iterative,
    /// One process per connection (fork(2)), blocking I/O.
    Fork,
    /// One thread per connection, blocking I/O.
    Thread,
    /// One thread, non-blocking sockets asked in turn in a loop without a selector:
    /// correct, and burning a core.
    BusyPoll,
    /// One thread, select(2): bitmaps, at most FD_SETSIZE (1024) descriptors.
    Select,
    /// One thread, poll(2): a pollfd array, no descriptor ceiling.
    Poll,
    /// One thread, epoll(7) level-triggered: one read per readiness report.
    EpollLt,
    /// One thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN.
    EpollEt,
    /// One thread, the classic epoll reactor: per-fd records whose handlers re-arm.
    Reactor,
    /// One thread, io_uring(7): multishot receive into a buffer ring, batched submissions.
    IoUring,
}

impl EngineKind {
    /// Every engine, in the order of the course: processes, threads, then multiplexing.
    pub const ALL: &'static [EngineKind] = &[
        EngineKind::Iterative,
        EngineKind::Fork,
        EngineKind::Thread,
        EngineKind::BusyPoll,
        EngineKind::Select,
        EngineKind::Poll,
        EngineKind::EpollLt,
        EngineKind::EpollEt,
        EngineKind::Reactor,
        EngineKind::IoUring,
    ];

    /// The name used by `--engine`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Iterative => "iterative",
            EngineKind::Fork => "fork",
            EngineKind::Thread => "thread",
            EngineKind::BusyPoll => "busy-poll",
            EngineKind::Select => "select",
            EngineKind::Poll => "poll",
            EngineKind::EpollLt => "epoll-lt",
            EngineKind::EpollEt => "epoll-et",
            EngineKind::Reactor => "reactor",
            EngineKind::IoUring => "io-uring",
        }
    }

    /// All `--engine` names, for help, completions and error messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|e| e.name()).collect()
    }

    /// What the engine is, in one line (`--help` lists it beside the name).
    pub fn about(self) -> &'static str {
        match self {
            EngineKind::Iterative => {
                "one client at a time: accept, serve, close; the next waits in the backlog"
            }
            EngineKind::Fork => "a process per connection (fork(2)), blocking I/O, SIGCHLD reaps",
            EngineKind::Thread => "a thread per connection, blocking I/O",
            EngineKind::BusyPoll => {
                "non-blocking sockets asked in turn without a selector: correct, burns a core"
            }
            EngineKind::Select => "one thread, select(2): fd_set bitmaps, at most 1024 descriptors",
            EngineKind::Poll => "one thread, poll(2): a pollfd array, no descriptor ceiling",
            EngineKind::EpollLt => "one thread, epoll(7) level-triggered: one read per event",
            EngineKind::EpollEt => {
                "one thread, epoll(7) edge-triggered: non-blocking reads drained to EAGAIN"
            }
            EngineKind::Reactor => {
                "one thread, the epoll reactor: per-fd records whose handlers re-arm"
            }
            EngineKind::IoUring => {
                "one thread, io_uring(7): completions of receives and sends queued in a ring"
            }
        }
    }

    /// The engine a server uses when `--engine` is not given.
    pub fn default_kind() -> EngineKind {
        EngineKind::EpollEt
    }

    /// Whether this engine can serve a datagram socket (checked by a command before it
    /// binds anything); the usage error says why not.
    pub fn datagram_support(self) -> Result<(), crate::error::UsageError> {
        self.datagram_selector().map(drop)
    }

    /// The selector this engine serves datagrams with, or why it cannot.
    fn datagram_selector(self) -> Result<DgramSelector, crate::error::UsageError> {
        let gives = match self {
            EngineKind::Select => return Ok(DgramSelector::Select),
            EngineKind::Poll => return Ok(DgramSelector::Poll),
            EngineKind::EpollLt => return Ok(DgramSelector::Epoll(selector::Trigger::Level)),
            EngineKind::EpollEt => return Ok(DgramSelector::Epoll(selector::Trigger::Edge)),
            EngineKind::Iterative => "one connection at a time",
            EngineKind::Fork => "each connection a process",
            EngineKind::Thread => "each connection a thread",
            EngineKind::BusyPoll => "a pass over every connection",
            EngineKind::Reactor => "each connection a handler record",
            EngineKind::IoUring => "each connection its own receive and send in the ring",
        };
        Err(crate::error::UsageError::invalid(format!(
            "--engine {self} cannot serve datagrams: it gives {gives}, and a datagram \
             socket has no connections; use select, poll, epoll-lt or epoll-et"
        )))
    }
}

/// The selectors a datagram server runs on.
enum DgramSelector {
    Select,
    Poll,
    Epoll(selector::Trigger),
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EngineKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|e| e.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown engine {s:?}; valid engines: {}",
                    Self::names().join(", ")
                )
            })
    }
}

/// Limits every engine enforces.
#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// Connections beyond this are refused (closed at once, after the service's refusal).
    pub max_connections: Option<usize>,
    /// A connection with no traffic for this long is closed.
    pub idle_timeout: Option<Duration>,
    /// `-x`: dump every connection's bytes.
    pub hexdump: Option<Arc<crate::net::hexdump::Hexdump>>,
    /// `--no-reap` (fork only): leave finished children as zombies until exit.
    pub no_reap: bool,
    /// A listener's own limits when its connections share a hub (`listen -k`).
    pub hub_limits: hub_io::HubLimits,
}

/// Why a connection ended, for the `close` record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    Done,
    PeerClosed,
    Reset,
    IdleTimeout,
    Deadline,
    Shutdown,
    Error,
    /// No upstream endpoint answered (a relay's target refused or unreachable).
    Upstream,
    /// It took nothing for [`hub_io::STALL_LIMIT`] while its buffer was full, holding
    /// back the clients it shares a hub with.
    Stalled,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::Done => "done",
            CloseReason::PeerClosed => "peer closed",
            CloseReason::Reset => "reset",
            CloseReason::IdleTimeout => "idle timeout",
            CloseReason::Deadline => "deadline",
            CloseReason::Shutdown => "shutdown",
            CloseReason::Error => "error",
            CloseReason::Upstream => "upstream failed",
            CloseReason::Stalled => "stalled",
        }
    }
}

/// Everything an engine needs besides the listener and the factory.
pub struct EngineCtx<'a> {
    pub config: &'a ServerConfig,
    pub out: &'a Output,
    /// The command's one signal catcher: SIGINT/SIGTERM stop the engine, SIGUSR1
    /// asks for the live statistics.
    pub shutdown: &'a Shutdown,
    pub counters: Arc<Counters>,
    pub started: Instant,
}

impl EngineCtx<'_> {
    /// The per-connection tap that counts bytes and feeds `-x`.
    pub fn tap(&self, conn: u64) -> Tap {
        Tap::new(
            Arc::clone(&self.counters),
            self.config.hexdump.clone(),
            conn,
        )
    }

    /// Called after the shutdown self-pipe woke an engine: print the live statistics
    /// if the wake-up was SIGUSR1 (`kill -USR1 PID`, as with dd).
    pub fn on_wake(&self) {
        if self.shutdown.take_stats_request() {
            report_live(self.out, &self.counters.summary(self.started));
        }
    }

    pub fn log_open(&self, id: u64, peer: &Peer) {
        let mut fields = peer.json_fields();
        fields["id"] = id.into();
        self.out.event(Level::Detail, "connect", fields, || {
            format!("connection {id} from {peer}")
        });
    }

    pub fn log_close(&self, id: u64, peer: &Peer, r: &ConnResult) {
        let (bytes_in, bytes_out, reason) = (r.bytes_in, r.bytes_out, r.reason.as_str());
        let mut fields = peer.json_fields();
        fields["id"] = id.into();
        fields["bytes_in"] = bytes_in.into();
        fields["bytes_out"] = bytes_out.into();
        fields["reason"] = reason.into();
        self.out.event(Level::Detail, "close", fields, || {
            format!(
                "connection {id} from {peer} closed ({reason}): {} in, {} out",
                crate::text::plural(bytes_in, "byte"),
                crate::text::plural(bytes_out, "byte")
            )
        });
    }

    pub fn log_refused(&self, peer: &Peer, why: &str) {
        self.counters.refused();
        let mut fields = peer.json_fields();
        fields["reason"] = why.into();
        self.out.event(Level::Detail, "refused", fields, || {
            format!("refused {peer}: {why}")
        });
    }
}

/// Bytes moved on one connection and why it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnResult {
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub reason: CloseReason,
}

/// What an engine can and cannot do: checked here, and told to the service factory
/// ([`ServiceFactory::adapt`]) so a service can adapt instead of each command knowing
/// engine internals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Connections live in one address space, so state a service shares between them
    /// (HTTP's cache, kept exact by one inotify queue) is really shared. Not so under
    /// fork: each child has its own copy, and they would drain one queue between them.
    pub shared_memory: bool,
    /// The engine can run as one of several instances in threads (`--workers`).
    /// fork(2) is refused in a multi-threaded process.
    pub workers: bool,
    /// The highest descriptor number the engine can watch, plus one: select(2)'s
    /// `FD_SETSIZE`; `None` for no ceiling of its own (RLIMIT_NOFILE still applies).
    pub fd_ceiling: Option<usize>,
    /// Each connection costs a process (fork) or a thread (thread) of its own.
    pub task_per_connection: bool,
    /// A connection can own a second socket, an upstream (a relay's target), watched
    /// with the client's. The reactor's records hold one socket each.
    pub upstream: bool,
    /// The connections can share our stdin and stdout and talk to each other (a
    /// hub, `listen -k`): one thread whose loop watches stdin and stdout too.
    pub hub: bool,
}

impl EngineKind {
    /// What this engine can do.
    pub fn capabilities(self) -> Capabilities {
        let fork = self == EngineKind::Fork;
        Capabilities {
            shared_memory: !fork,
            workers: !fork,
            fd_ceiling: (self == EngineKind::Select).then_some(select::FD_SETSIZE as usize),
            task_per_connection: matches!(self, EngineKind::Fork | EngineKind::Thread),
            // io_uring completes one socket per connection; busy-poll asks sockets
            // without a selector to register a second one in.
            upstream: !matches!(
                self,
                EngineKind::Reactor | EngineKind::IoUring | EngineKind::BusyPoll
            ),
            hub: matches!(
                self,
                EngineKind::Select | EngineKind::Poll | EngineKind::EpollLt | EngineKind::EpollEt
            ),
        }
    }

    /// Whether this engine can serve connections that share stdin and stdout (a
    /// hub: `listen -k`); the usage error says why not.
    pub fn hub_support(self) -> Result<(), crate::error::UsageError> {
        if self.capabilities().hub {
            return Ok(());
        }
        let why = match self {
            EngineKind::Iterative => "it serves one client at a time",
            EngineKind::Fork => "each connection is a process of its own",
            EngineKind::Thread => "each connection is a thread of its own",
            EngineKind::BusyPoll => "it asks its sockets in turn without a selector",
            EngineKind::Reactor => "its per-descriptor handler records hold one socket each",
            _ => "its connections complete receives and sends in the ring, not stdin",
        };
        let usable = Self::able(|c| c.hub);
        let (last, rest) = usable.split_last().expect("an engine serves a hub");
        Err(crate::error::UsageError::invalid(format!(
            "--engine {self} cannot serve clients at once with -k: {why}, and they share \
             one stdin and stdout; use {} or {last}",
            rest.join(", ")
        )))
    }

    /// The names of the engines with a capability, in `--engine`'s order.
    fn able(has: fn(&Capabilities) -> bool) -> Vec<&'static str> {
        Self::ALL
            .iter()
            .filter(|e| has(&e.capabilities()))
            .map(|e| e.name())
            .collect()
    }

    /// Whether this engine can serve services that own an upstream connection
    /// (checked by a command before it binds anything); the usage error says why not.
    pub fn upstream_support(self) -> Result<(), crate::error::UsageError> {
        if self.capabilities().upstream {
            return Ok(());
        }
        let usable = Self::able(|c| c.upstream);
        let why = match self {
            EngineKind::Reactor => "its per-descriptor handler records hold one socket each",
            EngineKind::IoUring => "its connections complete receives and sends on one socket each",
            _ => "it asks its sockets in turn without a selector to register a second one in",
        };
        Err(crate::error::UsageError::invalid(format!(
            "--engine {self} cannot relay: {why}, and a relayed connection needs two; use {}",
            usable.join(", ")
        )))
    }
}

/// The `listening on` line a server prints once it is ready, and the fields of its
/// JSON `listening` record (the engine adds `engine` and `workers`).
pub struct Ready<'a> {
    pub addr: String,
    /// Said after the address, in parentheses (a TLS server's certificate).
    pub note: Option<String>,
    pub fields: serde_json::Value,
    /// Printed right after the line (the line must come first: scripts read it).
    pub then: Option<&'a dyn Fn()>,
}

impl Ready<'_> {
    /// A `listening on ADDR` line with these JSON fields and nothing after it.
    pub fn new(addr: String, fields: serde_json::Value) -> Ready<'static> {
        Ready {
            addr,
            note: None,
            fields,
            then: None,
        }
    }
}

/// One engine instance with all its setup done (selector, registrations, pipes).
enum Instance {
    Iterative(accept::Acceptor),
    Fork(fork::Prepared),
    Thread(accept::Acceptor),
    BusyPoll(accept::Acceptor),
    Select(event_loop::EventLoop<select::Select>),
    Poll(event_loop::EventLoop<poll::Poll>),
    Epoll(event_loop::EventLoop<epoll::Epoll>),
    Reactor(reactor::Prepared),
    Uring(Box<uring::Prepared>),
}

impl Instance {
    /// Every setup step of one instance that can fail; the one match over engines.
    fn prepare(kind: EngineKind, listener: Socket, shutdown: &Shutdown) -> anyhow::Result<Self> {
        let acceptor = accept::Acceptor::new(listener)?;
        let epoll = |trigger| epoll::Epoll::new(trigger).context("epoll_create1");
        Ok(match kind {
            EngineKind::Iterative => Instance::Iterative(acceptor),
            EngineKind::Fork => Instance::Fork(fork::Prepared::new(acceptor)?),
            EngineKind::Thread => Instance::Thread(acceptor),
            EngineKind::BusyPoll => Instance::BusyPoll(acceptor),
            EngineKind::Select => Instance::Select(event_loop::EventLoop::new(
                select::Select::new(),
                acceptor,
                shutdown,
            )?),
            EngineKind::Poll => Instance::Poll(event_loop::EventLoop::new(
                poll::Poll::new(),
                acceptor,
                shutdown,
            )?),
            EngineKind::EpollLt => Instance::Epoll(event_loop::EventLoop::new(
                epoll(selector::Trigger::Level)?,
                acceptor,
                shutdown,
            )?),
            EngineKind::EpollEt => Instance::Epoll(event_loop::EventLoop::new(
                epoll(selector::Trigger::Edge)?,
                acceptor,
                shutdown,
            )?),
            EngineKind::Reactor => Instance::Reactor(reactor::Prepared::new(acceptor, shutdown)?),
            EngineKind::IoUring => Instance::Uring(Box::new(uring::Prepared::new(acceptor)?)),
        })
    }

    fn run<F: ServiceFactory>(self, factory: Arc<F>, ctx: &EngineCtx<'_>) -> anyhow::Result<()> {
        match self {
            Instance::Iterative(a) => iterative::run(a, factory, ctx),
            Instance::Fork(p) => fork::run(p, factory, ctx),
            Instance::Thread(a) => thread::run(a, factory, ctx),
            Instance::BusyPoll(a) => busy_poll::run(a, factory, ctx),
            Instance::Select(l) => event_loop::run(l, factory, ctx),
            Instance::Poll(l) => event_loop::run(l, factory, ctx),
            Instance::Epoll(l) => event_loop::run(l, factory, ctx),
            Instance::Reactor(p) => reactor::run(p, factory, ctx),
            Instance::Uring(p) => uring::run(*p, factory, ctx),
        }
    }
}

/// The one path of every stream server: check what the engine can do, set everything
/// up, print `ready` (the `listening on` line) only once nothing can fail any more,
/// serve until SIGINT/SIGTERM reaches `shutdown`, then print the summary and return it.
///
/// Several `listeners` (`--workers`, see [`workers::reuseport_listeners`]) run one
/// engine instance each, in threads, all counted in one set of [`Counters`]: the
/// summary's peak is the true peak of open connections, `--max-connections` is the
/// server's limit, and SIGUSR1 reports the whole server.
pub fn serve<F: ServiceFactory>(
    kind: EngineKind,
    listeners: Vec<Socket>,
    factory: Arc<F>,
    config: &ServerConfig,
    out: &Output,
    shutdown: &Shutdown,
    ready: Ready<'_>,
) -> anyhow::Result<ServerSummary> {
    let caps = kind.capabilities();
    let workers = listeners.len();
    if workers > 1 && !caps.workers {
        return Err(crate::error::UsageError::invalid(format!(
            "--workers runs engines in threads; it cannot be combined with --engine {kind}"
        ))
        .into());
    }
    if factory.owns_upstream() {
        kind.upstream_support()?;
    }
    if factory.hub().is_some() {
        kind.hub_support()?;
    }
    factory.adapt(&caps);
    let limit = crate::net::limits::raise_nofile();
    let first_fd = listeners
        .first()
        .map(crate::net::trace::fd)
        .unwrap_or_default();
    let instances = listeners
        .into_iter()
        .map(|l| Instance::prepare(kind, l, shutdown))
        .collect::<anyhow::Result<Vec<_>>>()?;

    let mut fields = ready.fields;
    fields["engine"] = kind.name().into();
    if workers > 1 {
        fields["workers"] = workers.into();
    }
    out.listening_note(&ready.addr, ready.note.as_deref(), fields);
    if let Some(then) = ready.then {
        then();
    }
    out.event(
        Level::Detail,
        "limits",
        json!({"nofile_soft": limit.soft, "nofile_hard": limit.hard, "nr_open": limit.nr_open,
               "stopped_by": match limit.stopped_by {
                   crate::net::limits::Ceiling::HardLimit => "hard_limit",
                   crate::net::limits::Ceiling::NrOpen => "nr_open",
               },
               "engine": kind.name()}),
        || {
            format!(
                "engine {kind}; connection ceiling (RLIMIT_NOFILE) {} (was {}), stopped by {}",
                limit.soft, limit.before, limit.stopped_by
            )
        },
    );
    log::debug!(
        "engine {kind}: at most {} connections, idle timeout {}, hex dump {}",
        config
            .max_connections
            .map_or("unlimited".into(), |n| n.to_string()),
        config
            .idle_timeout
            .map_or("none".into(), crate::text::duration),
        if config.hexdump.is_some() {
            "on"
        } else {
            "off"
        }
    );
    crate::net::trace::checkpoint("accept4", || {
        vec![first_fd, "&addr".into(), "SOCK_CLOEXEC".into()]
    })?;

    let started = Instant::now();
    let ctx = EngineCtx {
        config,
        out,
        shutdown,
        counters: Arc::new(Counters::for_engine(kind.name())),
        started,
    };
    workers::run_all(instances, &factory, &ctx)?;
    let summary = ctx.counters.summary(started);
    report_summary(out, &summary);
    Ok(summary)
}

/// One datagram loop with its setup done, on the selector its engine names.
enum DgramInstance<T: dgram::Transport> {
    Select(dgram::event_loop::Prepared<select::Select, T>),
    Poll(dgram::event_loop::Prepared<poll::Poll, T>),
    Epoll(dgram::event_loop::Prepared<epoll::Epoll, T>),
}

/// The one path of every datagram server, as [`serve`] is of every stream server:
/// refuse an engine that cannot serve datagrams, set the loop up, print `ready` once
/// nothing can fail any more, serve `transport` with `svc` until SIGINT/SIGTERM reach
/// `shutdown` (or the service stops), then print the summary and return it.
pub fn serve_datagrams<T: dgram::Transport, S: dgram::DatagramService>(
    kind: EngineKind,
    transport: T,
    svc: &mut S,
    config: &ServerConfig,
    out: &Output,
    shutdown: &Shutdown,
    ready: Ready<'_>,
) -> anyhow::Result<dgram::DgramSummary> {
    use dgram::event_loop::{Prepared, run};
    let fd = crate::net::trace::fd(transport.socket());
    let instance = match kind.datagram_selector()? {
        DgramSelector::Select => {
            DgramInstance::Select(Prepared::new(select::Select::new(), transport, shutdown)?)
        }
        DgramSelector::Poll => {
            DgramInstance::Poll(Prepared::new(poll::Poll::new(), transport, shutdown)?)
        }
        DgramSelector::Epoll(trigger) => {
            let sel = epoll::Epoll::new(trigger).context("epoll_create1")?;
            DgramInstance::Epoll(Prepared::new(sel, transport, shutdown)?)
        }
    };
    let mut fields = ready.fields;
    fields["engine"] = kind.name().into();
    out.listening(&ready.addr, fields);
    if let Some(then) = ready.then {
        then();
    }
    crate::net::trace::checkpoint(T::RECV_CALL, || vec![fd])?;
    let ctx = EngineCtx {
        config,
        out,
        shutdown,
        counters: Arc::new(Counters::default()),
        started: Instant::now(),
    };
    let summary = match instance {
        DgramInstance::Select(p) => run(p, svc, &ctx)?,
        DgramInstance::Poll(p) => run(p, svc, &ctx)?,
        DgramInstance::Epoll(p) => run(p, svc, &ctx)?,
    };
    dgram::report::report_summary(out, &summary);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_selector_engines_serve_datagrams() {
        for e in EngineKind::ALL {
            let refused = e.datagram_support().err().map(|u| u.to_string());
            match e {
                EngineKind::Iterative
                | EngineKind::Fork
                | EngineKind::Thread
                | EngineKind::BusyPoll
                | EngineKind::Reactor
                | EngineKind::IoUring => {
                    let why = refused.unwrap_or_default();
                    assert!(
                        why.starts_with(&format!("--engine {e} cannot serve datagrams"))
                            && why.ends_with("use select, poll, epoll-lt or epoll-et")
                            && !why.contains('\n'),
                        "{why}"
                    );
                }
                _ => assert_eq!(refused, None, "{e}"),
            }
        }
    }

    #[test]
    fn engines_without_a_second_socket_refuse_upstreams() {
        for e in EngineKind::ALL {
            let refused = e.upstream_support().err().map(|u| u.to_string());
            if matches!(
                e,
                EngineKind::Reactor | EngineKind::IoUring | EngineKind::BusyPoll
            ) {
                let why = refused.unwrap_or_default();
                assert!(
                    why.starts_with(&format!("--engine {e} cannot relay")) && !why.contains('\n'),
                    "{why}"
                );
            } else {
                assert_eq!(refused, None, "{e}");
            }
        }
    }

    #[test]
    fn engine_names_round_trip() {
        for e in EngineKind::ALL {
            assert_eq!(e.name().parse::<EngineKind>().unwrap(), *e);
        }
    }

    #[test]
    fn unknown_engine_lists_valid_ones() {
        let err = "nope".parse::<EngineKind>().unwrap_err();
        assert!(
            err.contains("valid engines: ")
                && err.contains("iterative, fork, thread, busy-poll, select, poll, epoll-lt, epoll-et, reactor, io-uring"),
            "{err}"
        );
    }
}

//! Engines: the ways a server can multiplex many connections, each one a lesson of
//! its own (fork-per-connection, thread-per-connection, select, poll, epoll level-
//! and edge-triggered, the epoll reactor). Every engine drives any
//! [`service::ServiceFactory`], so echo, HTTP and heartbeat run on all of them.
//!
//! This file holds the one `match` over engines; everything engine-specific lives in
//! its own module.

pub mod accept;
pub mod blocking;
pub mod conn;
pub mod epoll;
mod event_loop;
mod fork;
pub mod nbconn;
pub mod poll;
mod reactor;
pub mod select;
pub mod selector;
pub mod service;
pub mod stats;
mod thread;
pub mod workers;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;
use socket2::Socket;

use crate::net::signals::Shutdown;
use crate::output::{Level, Output};
use service::ServiceFactory;
pub use stats::{Counters, ServerSummary, Tap, report_live, report_summary};

/// Which concurrency model serves the connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// One process per connection (fork(2)), blocking I/O.
    Fork,
    /// One thread per connection, blocking I/O.
    Thread,
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
}

impl EngineKind {
    /// Every engine, in the order of the course: processes, threads, then multiplexing.
    pub const ALL: &'static [EngineKind] = &[
        EngineKind::Fork,
        EngineKind::Thread,
        EngineKind::Select,
        EngineKind::Poll,
        EngineKind::EpollLt,
        EngineKind::EpollEt,
        EngineKind::Reactor,
    ];

    /// The name used by `--engine`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Fork => "fork",
            EngineKind::Thread => "thread",
            EngineKind::Select => "select",
            EngineKind::Poll => "poll",
            EngineKind::EpollLt => "epoll-lt",
            EngineKind::EpollEt => "epoll-et",
            EngineKind::Reactor => "reactor",
        }
    }

    /// All `--engine` names, for help, completions and error messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|e| e.name()).collect()
    }

    /// The engine a server uses when `--engine` is not given.
    pub fn default_kind() -> EngineKind {
        EngineKind::EpollEt
    }
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
}

/// Why a connection ended, for the disconnect event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseReason {
    Done,
    PeerClosed,
    Reset,
    IdleTimeout,
    Deadline,
    Shutdown,
    Error,
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

    pub fn log_open(&self, id: u64, peer: &str) {
        let mut fields = crate::net::unix::peer_fields(peer);
        fields["id"] = id.into();
        self.out.event(Level::Detail, "connect", fields, || {
            format!("connection {id} from {peer}")
        });
    }

    pub fn log_close(
        &self,
        id: u64,
        peer: &str,
        bytes_in: u64,
        bytes_out: u64,
        reason: CloseReason,
    ) {
        self.out.event(
            Level::Detail,
            "disconnect",
            json!({"id": id, "peer": peer, "bytes_in": bytes_in, "bytes_out": bytes_out, "reason": reason.as_str()}),
            || format!("connection {id} from {peer} closed ({}): {} in, {} out", reason.as_str(), crate::text::plural(bytes_in, "byte"), crate::text::plural(bytes_out, "byte")),
        );
    }

    pub fn log_refused(&self, peer: &str, why: &str) {
        self.counters.refused();
        self.out.event(
            Level::Detail,
            "refused",
            json!({"peer": peer, "reason": why}),
            || format!("refused {peer}: {why}"),
        );
    }
}

/// Serve connections from `listener` with `factory` on engine `kind` until SIGINT or
/// SIGTERM reaches `shutdown`; returns the summary.
pub fn serve<F: ServiceFactory>(
    kind: EngineKind,
    listener: Socket,
    factory: Arc<F>,
    config: &ServerConfig,
    out: &Output,
    shutdown: &Shutdown,
) -> anyhow::Result<ServerSummary> {
    crate::net::trace::checkpoint("accept4", || {
        vec![crate::net::trace::fd(&listener), "SOCK_CLOEXEC".into()]
    })?;
    let limit = crate::net::limits::raise_nofile();
    out.event(
        Level::Detail,
        "limits",
        json!({"nofile_soft": limit.soft, "nofile_hard": limit.hard, "engine": kind.name()}),
        || {
            format!(
                "engine {kind}; connection ceiling (RLIMIT_NOFILE) {} (was {})",
                limit.soft, limit.before
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
    let started = Instant::now();
    let ctx = EngineCtx {
        config,
        out,
        shutdown,
        counters: Arc::new(Counters::default()),
        started,
    };
    match kind {
        EngineKind::Fork => fork::run(listener, factory, &ctx)?,
        EngineKind::Thread => thread::run(listener, factory, &ctx)?,
        EngineKind::Select => event_loop::run(select::Select::new(), listener, factory, &ctx)?,
        EngineKind::Poll => event_loop::run(poll::Poll::new(), listener, factory, &ctx)?,
        EngineKind::EpollLt => {
            let sel = epoll::Epoll::new(selector::Trigger::Level).context("epoll_create1")?;
            event_loop::run(sel, listener, factory, &ctx)?
        }
        EngineKind::EpollEt => {
            let sel = epoll::Epoll::new(selector::Trigger::Edge).context("epoll_create1")?;
            event_loop::run(sel, listener, factory, &ctx)?
        }
        EngineKind::Reactor => reactor::run(listener, factory, &ctx)?,
    }
    Ok(ctx.counters.summary(started))
}

#[cfg(test)]
mod tests {
    use super::*;

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
                && err.contains("thread, select, poll, epoll-lt, epoll-et, reactor"),
            "{err}"
        );
    }
}

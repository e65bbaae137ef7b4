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
mod fork;
pub mod service;
mod thread;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use socket2::Socket;

use crate::output::{Level, Output};
use service::ServiceFactory;

/// Which concurrency model serves the connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// One process per connection (fork(2)), blocking I/O.
    Fork,
    /// One thread per connection, blocking I/O.
    Thread,
}

impl EngineKind {
    /// Every engine, in the order of the course: processes, threads, then multiplexing.
    pub const ALL: &'static [EngineKind] = &[EngineKind::Fork, EngineKind::Thread];

    /// The name used by `--engine`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Fork => "fork",
            EngineKind::Thread => "thread",
        }
    }

    /// All `--engine` names, for help, completions and error messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|e| e.name()).collect()
    }

    /// The engine a server uses when `--engine` is not given.
    pub fn default_kind() -> EngineKind {
        EngineKind::Thread
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
}

/// What a server did, reported at shutdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSummary {
    pub accepted: u64,
    pub refused: u64,
    pub peak_connections: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub duration: Duration,
}

/// Counters shared by an engine's threads.
#[derive(Debug, Default)]
pub struct Counters {
    next_id: AtomicU64,
    accepted: AtomicU64,
    refused: AtomicU64,
    active: AtomicUsize,
    peak: AtomicUsize,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
}

impl Counters {
    /// Count a new connection and return its id.
    pub fn opened(&self) -> u64 {
        self.accepted.fetch_add(1, Ordering::Relaxed);
        let now = self.active.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
        self.next_id.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn closed(&self, bytes_in: u64, bytes_out: u64) {
        self.active.fetch_sub(1, Ordering::Relaxed);
        self.bytes_in.fetch_add(bytes_in, Ordering::Relaxed);
        self.bytes_out.fetch_add(bytes_out, Ordering::Relaxed);
    }

    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    pub fn active(&self) -> usize {
        self.active.load(Ordering::Relaxed)
    }

    pub fn summary(&self, started: Instant) -> ServerSummary {
        ServerSummary {
            accepted: self.accepted.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
            peak_connections: self.peak.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            duration: started.elapsed(),
        }
    }
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
    pub counters: Arc<Counters>,
}

impl EngineCtx<'_> {
    pub fn log_open(&self, id: u64, peer: &str) {
        self.out.event(
            Level::Detail,
            "connect",
            json!({"id": id, "peer": peer}),
            || format!("connection {id} from {peer}"),
        );
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
            || format!("connection {id} from {peer} closed ({}): {bytes_in} bytes in, {bytes_out} bytes out", reason.as_str()),
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
/// SIGTERM; returns the summary.
pub fn serve<F: ServiceFactory>(
    kind: EngineKind,
    listener: Socket,
    factory: Arc<F>,
    config: &ServerConfig,
    out: &Output,
) -> anyhow::Result<ServerSummary> {
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
    let started = Instant::now();
    let ctx = EngineCtx {
        config,
        out,
        counters: Arc::new(Counters::default()),
    };
    match kind {
        EngineKind::Fork => fork::run(listener, factory, &ctx)?,
        EngineKind::Thread => thread::run(listener, factory, &ctx)?,
    }
    Ok(ctx.counters.summary(started))
}

/// Print the shutdown summary (unless `-q`; as a `summary` event with `--json`).
pub fn report_summary(out: &Output, s: &ServerSummary) {
    out.event(
        Level::Info,
        "summary",
        json!({
            "connections": s.accepted, "refused": s.refused, "peak_connections": s.peak_connections,
            "bytes_in": s.bytes_in, "bytes_out": s.bytes_out, "duration_ms": s.duration.as_millis() as u64,
        }),
        || {
            format!(
                "{} connections ({} refused, peak {}), {} bytes in, {} bytes out, in {}",
                s.accepted,
                s.refused,
                s.peak_connections,
                s.bytes_in,
                s.bytes_out,
                humantime::format_duration(Duration::from_millis(s.duration.as_millis() as u64))
            )
        },
    );
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
            err.contains("valid engines: ") && err.contains("thread"),
            "{err}"
        );
    }
}

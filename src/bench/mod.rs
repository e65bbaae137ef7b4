//! The echo load generator behind `tcp-echo bench`: many connections doing
//! request/response echo (or bulk streaming), every echoed byte checked.
//!
//! The client must not be the bottleneck, so it uses the design it measures: a few
//! worker threads (one per core the process may run on), each running one
//! edge-triggered epoll loop (the engines' own [`Epoll`] selector) over its share of
//! non-blocking connections. Every worker
//! keeps its own latency histogram (hdrhistogram, nanoseconds) and counters; they are
//! merged at the end, so the hot path shares nothing but two relaxed atomic counters
//! for the progress line.
//!
//! Every run is bounded: echo mode stops at the duration, bulk mode when all transfers
//! are done or the duration (a time limit there) runs out.

mod compare;
mod conn;
pub mod cpu;
mod idle;
mod report;

pub use compare::{CompareRow, MAX_TASK_BACKGROUND, Outcome, compare};
pub use idle::{IdleReport, hold_idle};
pub use report::{format_chart, format_table, human_report, json_report, json_row};

use std::net::SocketAddr;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;

use conn::{Conn, Fault, Pattern, Turn, Work};

use crate::engine::epoll::Epoll;
use crate::engine::selector::{Interest, Selector, Token, Trigger};
use crate::net::signals::Shutdown;

/// What to run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub addrs: Vec<SocketAddr>,
    pub connections: usize,
    /// Echo mode: how long to measure. Bulk mode: the time limit.
    pub duration: Duration,
    /// Echo mode: bytes per message.
    pub size: u64,
    /// Echo mode: messages in flight per connection.
    pub pipeline: u64,
    /// Bulk mode: bytes each connection streams (None = echo mode).
    pub bulk: Option<u64>,
    pub connect_timeout: Duration,
}

/// What a run measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub target: String,
    pub connections: usize,
    pub mode: Mode,
    pub elapsed: Duration,
    pub round_trips: u64,
    /// Echoed bytes received and verified.
    pub bytes: u64,
    /// Latency percentiles (echo mode only).
    pub latency: Option<Latency>,
    pub errors: Errors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Echo { size: u64, pipeline: u64 },
    Bulk { size: u64 },
}

/// Round-trip latency percentiles.
#[derive(Debug, Clone, Copy, Default)]
pub struct Latency {
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Everything that went wrong, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Errors {
    /// Connections that could not be opened.
    pub connect: u64,
    /// Connections that got back a byte that was not sent at that offset.
    pub mismatch: u64,
    /// Connections closed or reset by the server before their work was done.
    pub disconnect: u64,
    /// Bulk transfers not finished within the time limit.
    pub incomplete: u64,
    /// Echo messages sent whose echo had not come back -w after the run ended.
    pub unanswered: u64,
}

impl Errors {
    pub fn total(&self) -> u64 {
        self.connect + self.mismatch + self.disconnect + self.incomplete + self.unanswered
    }

    fn add(&mut self, o: &Errors) {
        self.connect += o.connect;
        self.mismatch += o.mismatch;
        self.disconnect += o.disconnect;
        self.incomplete += o.incomplete;
        self.unanswered += o.unanswered;
    }
}

impl BenchReport {
    pub fn rt_per_sec(&self) -> f64 {
        self.round_trips as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// Echoed megabytes (10^6 bytes) per second.
    pub fn mb_per_sec(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Live totals for a progress line.
#[derive(Debug, Default)]
pub struct Progress {
    pub round_trips: AtomicU64,
    pub bytes: AtomicU64,
}

/// One worker's results.
struct WorkerResult {
    round_trips: u64,
    bytes: u64,
    hist: Histogram<u64>,
    errors: Errors,
    /// When the worker's last connection finished (bulk) or the run stopped (echo).
    finished: Instant,
    /// When the measured run began (the totals' copy only).
    started: Instant,
}

fn new_histogram() -> Histogram<u64> {
    // 1 µs … 100 s at 3 significant figures.
    Histogram::new_with_bounds(1_000, 100_000_000_000, 3).expect("valid histogram bounds")
}

/// How many worker threads: one per core we may run on, never more than connections.
fn worker_count(connections: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.clamp(1, 8).min(connections.max(1))
}

/// Run the load; `progress` (if given) is updated while it runs. SIGINT/SIGTERM on
/// `shutdown` stop every worker at once (`Err(Interrupted)`); SIGUSR1 is ignored.
pub fn run(
    cfg: &BenchConfig,
    progress: Option<Arc<Progress>>,
    shutdown: &Shutdown,
) -> anyhow::Result<BenchReport> {
    // `--dry-run`: a load generator's every call is traffic.
    crate::net::trace::checkpoint("connect", || {
        let to: Vec<String> = cfg.addrs.iter().map(|a| a.to_string()).collect();
        vec![format!(
            "{} to {}",
            crate::text::plural(cfg.connections as u64, "connection"),
            to.join(" or ")
        )]
    })?;
    crate::net::limits::raise_nofile();
    let workers = worker_count(cfg.connections);
    let barrier = Barrier::new(workers + 1);
    let progress = progress.unwrap_or_default();
    let total = std::thread::scope(|scope| -> anyhow::Result<WorkerResult> {
        let mut handles = Vec::with_capacity(workers);
        for w in 0..workers {
            // Connections w, w + workers, w + 2·workers, … belong to worker w.
            let indices: Vec<usize> = (w..cfg.connections).step_by(workers).collect();
            let (barrier, progress) = (&barrier, &progress);
            handles.push(
                std::thread::Builder::new()
                    .name(format!("bench-{w}"))
                    .spawn_scoped(scope, move || {
                        worker(cfg, &indices, barrier, progress, shutdown)
                    })?,
            );
        }
        barrier.wait();
        let start = Instant::now();
        let mut total = WorkerResult {
            round_trips: 0,
            bytes: 0,
            hist: new_histogram(),
            errors: Errors::default(),
            finished: start,
            started: start,
        };
        let mut first_error = None;
        for h in handles {
            let r = h
                .join()
                .map_err(|_| anyhow::anyhow!("a load worker panicked"))?;
            match r {
                Ok(r) => {
                    total.round_trips += r.round_trips;
                    total.bytes += r.bytes;
                    total.hist.add(&r.hist).expect("same histogram bounds");
                    total.errors.add(&r.errors);
                    total.finished = total.finished.max(r.finished);
                }
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(total),
        }
    })?;
    shutdown.check()?;
    let start = total.started;
    let target = cfg
        .addrs
        .first()
        .map_or_else(String::new, |a| a.to_string());
    if total.errors.connect == cfg.connections as u64 {
        anyhow::bail!("could not open any connection to {target}");
    }
    let h = &total.hist;
    let latency = (cfg.bulk.is_none() && !h.is_empty()).then(|| Latency {
        p50: Duration::from_nanos(h.value_at_quantile(0.50)),
        p90: Duration::from_nanos(h.value_at_quantile(0.90)),
        p99: Duration::from_nanos(h.value_at_quantile(0.99)),
        max: Duration::from_nanos(h.max()),
    });
    Ok(BenchReport {
        target,
        connections: cfg.connections,
        mode: match cfg.bulk {
            Some(size) => Mode::Bulk { size },
            None => Mode::Echo {
                size: cfg.size,
                pipeline: cfg.pipeline,
            },
        },
        elapsed: total.finished.saturating_duration_since(start),
        round_trips: total.round_trips,
        bytes: total.bytes,
        latency,
        errors: total.errors,
    })
}

/// The token of the shutdown self-pipe in a worker's epoll set (connections are
/// numbered from 0).
const SIGNALS: Token = Token(usize::MAX);

/// One worker: connect its share, wait for the others, then drive them all with one
/// edge-triggered epoll loop until the run ends or a signal stops it.
fn worker(
    cfg: &BenchConfig,
    indices: &[usize],
    barrier: &Barrier,
    progress: &Progress,
    shutdown: &Shutdown,
) -> anyhow::Result<WorkerResult> {
    let work = match cfg.bulk {
        Some(total) => Work::Bulk { total },
        None => Work::Echo {
            size: cfg.size,
            pipeline: cfg.pipeline,
        },
    };
    let mut errors = Errors::default();
    let mut conns = Vec::with_capacity(indices.len());
    // Connect before the barrier (so set-up time is not measured) and never return
    // before it, or the other workers would wait forever.
    let setup = (|| -> anyhow::Result<Epoll> {
        let mut epoll = Epoll::new(Trigger::Edge)?;
        epoll.register(shutdown.as_fd(), SIGNALS, Interest::READ)?;
        for &i in indices {
            if shutdown.requested().is_some() {
                break;
            }
            match crate::net::socket::tcp_connect(&cfg.addrs, Some(cfg.connect_timeout)) {
                Ok(sock) => {
                    sock.set_tcp_nodelay(true)?;
                    sock.set_nonblocking(true)?;
                    epoll.register(sock.as_fd(), Token(conns.len()), Interest::BOTH)?;
                    conns.push(Conn::new(sock, i, work));
                }
                Err(e) => {
                    log::debug!("bench: {}", crate::error::render(&e));
                    errors.connect += 1;
                }
            }
        }
        Ok(epoll)
    })();
    barrier.wait();
    let mut epoll = setup?;
    let pattern = Pattern::default();
    let mut hist = new_histogram();
    let mut buf = vec![0u8; 256 * 1024];
    let mut events = Vec::with_capacity(256);
    let start = Instant::now();
    let deadline = start + cfg.duration;
    let mut finished = start;
    let (mut round_trips, mut bytes) = (0u64, 0u64);
    for c in conns.iter_mut() {
        c.start_clock(start);
        c.pump_write(&pattern);
    }
    let mut active = conns.iter().filter(|c| c.active()).count();
    // After the measured run, echo mode issues nothing more and gives the messages in
    // flight up to -w to come back; those that do not are unanswered (a server that
    // reads and never replies), not silently forgotten.
    let mut drain_until: Option<Instant> = None;
    while active > 0 && shutdown.requested().is_none() {
        let now = Instant::now();
        if now >= deadline && drain_until.is_none() {
            if cfg.bulk.is_some() {
                break;
            }
            drain_until = Some(now + cfg.connect_timeout);
        }
        let draining = drain_until.is_some();
        if let Some(until) = drain_until
            && (now >= until || conns.iter().all(|c| !c.active() || c.awaiting() == 0))
        {
            break;
        }
        let wait = (drain_until.unwrap_or(deadline) - now).min(Duration::from_millis(50));
        epoll.wait(&mut events, Some(wait)).context("epoll_wait")?;
        let mut turn = Turn::default();
        for ev in &events {
            if ev.token == SIGNALS {
                // A stop re-arms the pipe, so the other workers see it too.
                shutdown.drain();
                continue;
            }
            let c = &mut conns[ev.token.0];
            if !c.active() {
                continue;
            }
            let t = c.pump_read(&pattern, &mut buf, ev.read_closed, draining, |ns| {
                if !draining {
                    let _ = hist.record(ns.max(1_000));
                }
            });
            c.pump_write(&pattern);
            if !draining {
                turn.round_trips += t.round_trips;
                turn.bytes += t.bytes;
            }
            if !c.active() {
                active -= 1;
                finished = Instant::now();
            }
        }
        round_trips += turn.round_trips;
        bytes += turn.bytes;
        progress
            .round_trips
            .fetch_add(turn.round_trips, Ordering::Relaxed);
        progress.bytes.fetch_add(turn.bytes, Ordering::Relaxed);
    }
    if cfg.bulk.is_none() {
        finished = Instant::now().min(deadline);
    }
    for c in &conns {
        let _ = epoll.deregister(c.sock.as_fd());
        match c.fault {
            Some(Fault::Mismatch) => errors.mismatch += 1,
            Some(Fault::Disconnected) => errors.disconnect += 1,
            None if cfg.bulk.is_some() && !c.done => errors.incomplete += 1,
            None => errors.unanswered += c.awaiting(),
        }
    }
    let _ = epoll.deregister(shutdown.as_fd());
    Ok(WorkerResult {
        round_trips,
        bytes,
        hist,
        errors,
        finished,
        started: start,
    })
}

//! What a server counts while it runs: connections (accepted, refused, open, peak)
//! and bytes in and out, shared by all of an engine's threads as atomics. Bytes are
//! counted as they flow (through a per-connection [`Tap`], which also feeds `-x`), so
//! a SIGUSR1 report in the middle of a long transfer shows it moving. Beside them the
//! engine's own work ([`IoCounts`]: waits, events, reads, EAGAINs, re-arms) and the
//! CPU time the process used, so an engine that burns a core says so.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::counts::{IoCounts, IoSnapshot};
use crate::net::hexdump::{Direction, Hexdump};
use crate::output::{Level, Output};

/// What a server did, reported at shutdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerSummary {
    pub accepted: u64,
    pub refused: u64,
    /// Connections open at the moment of the report (0 in the final summary).
    pub open: usize,
    pub peak_connections: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub duration: Duration,
    /// The stream engine that counted (empty for datagram servers, which report
    /// their own numbers instead of the engine's).
    pub engine: &'static str,
    /// What the engine's loops did.
    pub io: IoSnapshot,
    /// User + system CPU time of the server so far, reaped children included.
    pub cpu: Duration,
}

/// Counters shared by an engine's threads.
#[derive(Debug, Default)]
pub struct Counters {
    engine: &'static str,
    /// The engine's waits, events, reads, re-arms (see [`IoCounts`]).
    pub io: IoCounts,
    next_id: AtomicU64,
    accepted: AtomicU64,
    refused: AtomicU64,
    active: AtomicUsize,
    peak: AtomicUsize,
    bytes_in: AtomicU64,
    bytes_out: AtomicU64,
}

impl Counters {
    /// Counters for a stream server running `engine` (its summary names it).
    pub fn for_engine(engine: &'static str) -> Counters {
        Counters {
            engine,
            ..Counters::default()
        }
    }

    /// Take a connection slot, unless `max` are already open (`--max-connections`).
    /// The check and the count are one atomic step, so threads (`--workers`, which
    /// share one set of counters) can never admit more than `max` between them. The
    /// slot is given back when the returned [`Slot`] is dropped.
    pub fn admit(self: &Arc<Self>, max: Option<usize>) -> Option<Slot> {
        let limit = max.unwrap_or(usize::MAX);
        let before = self
            .active
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < limit).then_some(n + 1)
            })
            .ok()?;
        self.peak.fetch_max(before + 1, Ordering::Relaxed);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        Some(Slot {
            counters: Arc::clone(self),
            id: self.next_id.fetch_add(1, Ordering::Relaxed) + 1,
        })
    }

    /// Bytes moved on some connection (counted as they flow).
    pub fn flowed(&self, bytes_in: u64, bytes_out: u64) {
        if bytes_in > 0 {
            self.bytes_in.fetch_add(bytes_in, Ordering::Relaxed);
        }
        if bytes_out > 0 {
            self.bytes_out.fetch_add(bytes_out, Ordering::Relaxed);
        }
    }

    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    pub fn active(&self) -> usize {
        self.active.load(Ordering::Acquire)
    }

    pub fn summary(&self, started: Instant) -> ServerSummary {
        ServerSummary {
            accepted: self.accepted.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
            open: self.active(),
            peak_connections: self.peak.load(Ordering::Relaxed),
            bytes_in: self.bytes_in.load(Ordering::Relaxed),
            bytes_out: self.bytes_out.load(Ordering::Relaxed),
            duration: started.elapsed(),
            engine: self.engine,
            io: self.io.snapshot(),
            cpu: if self.engine.is_empty() {
                Duration::ZERO
            } else {
                cpu_time()
            },
        }
    }
}

/// User + system time of this process and of its children that have been waited for
/// (getrusage(2)): the fork engine's work is done in children.
fn cpu_time() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let time = |who| {
        getrusage(who).map_or(Duration::ZERO, |u| {
            let tv = |t: nix::sys::time::TimeVal| {
                Duration::from_secs(t.tv_sec().max(0) as u64)
                    + Duration::from_micros(t.tv_usec().max(0) as u64)
            };
            tv(u.user_time()) + tv(u.system_time())
        })
    };
    time(UsageWho::RUSAGE_SELF) + time(UsageWho::RUSAGE_CHILDREN)
}

/// One open connection's place in the counters: its id, and the `--max-connections`
/// slot it holds until it is dropped — whichever way the connection ends (closed,
/// refused by the selector, its thread panicked, its process reaped), nobody has to
/// remember to give the slot back.
#[derive(Debug)]
pub struct Slot {
    counters: Arc<Counters>,
    id: u64,
}

impl Slot {
    /// The server-unique connection number.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.counters.active.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One connection's (or datagram peer's) view of the counters and the hex dump: every
/// byte read or written passes through here exactly once.
#[derive(Debug, Clone)]
pub struct Tap {
    counters: Arc<Counters>,
    hexdump: Option<Arc<Hexdump>>,
    who: Who,
}

/// How the dump labels a chunk: `conn 3` on a stream, `peer 127.0.0.1:5000` for a
/// datagram (datagram servers have no connections, and each datagram names its peer).
#[derive(Debug, Clone)]
enum Who {
    Conn(u64),
    Peer(Arc<str>),
}

impl Tap {
    pub fn new(counters: Arc<Counters>, hexdump: Option<Arc<Hexdump>>, conn: u64) -> Self {
        Tap {
            counters,
            hexdump,
            who: Who::Conn(conn),
        }
    }

    /// A datagram peer's tap: its dump chunks are labelled with `peer` (rendered only
    /// when there is a dump to write).
    pub fn for_peer(
        counters: Arc<Counters>,
        hexdump: Option<Arc<Hexdump>>,
        peer: &dyn std::fmt::Display,
    ) -> Self {
        let label = if hexdump.is_some() {
            peer.to_string().into()
        } else {
            Arc::from("")
        };
        Tap {
            counters,
            hexdump,
            who: Who::Peer(label),
        }
    }

    /// A tap that counts into throw-away counters (unit tests, tools).
    pub fn detached() -> Self {
        Tap::new(Arc::default(), None, 0)
    }

    /// A read on the connection returned `r` (counted, `EAGAIN` apart).
    pub fn read_result<T>(&self, r: &std::io::Result<T>) {
        self.counters.io.read(r);
    }

    /// The engine counters this connection reports to.
    pub fn io(&self) -> &IoCounts {
        &self.counters.io
    }

    pub fn received(&self, data: &[u8]) {
        self.counters.flowed(data.len() as u64, 0);
        self.dump(Direction::Received, data);
    }

    pub fn sent(&self, data: &[u8]) {
        self.counters.flowed(0, data.len() as u64);
        self.dump(Direction::Sent, data);
    }

    fn dump(&self, dir: Direction, data: &[u8]) {
        if let Some(d) = &self.hexdump {
            match &self.who {
                Who::Conn(id) => d.record_conn(*id, dir, data),
                Who::Peer(label) => d.record_peer(label, dir, data),
            }
        }
    }

    /// `n` bytes of a file went out with sendfile(2): counted, and noted in the dump
    /// without their contents (the kernel copied them; we never saw them).
    pub fn sent_file(&self, n: u64) {
        self.counters.flowed(0, n);
        if let (Some(d), Who::Conn(id)) = (&self.hexdump, &self.who) {
            d.note_conn(
                *id,
                Direction::Sent,
                &format!("{n} bytes sent with sendfile(2), not dumped"),
            );
        }
    }
}

/// The JSON fields of a summary (`live`: the SIGUSR1 report, which adds `open`), the
/// same in every server's `summary` and `stats` events; datagram servers add theirs.
pub fn summary_fields(s: &ServerSummary, live: bool) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::with_capacity(8);
    m.insert("connections".into(), s.accepted.into());
    m.insert("refused".into(), s.refused.into());
    if live {
        m.insert("open".into(), s.open.into());
    }
    m.insert("peak_connections".into(), s.peak_connections.into());
    m.insert("bytes_in".into(), s.bytes_in.into());
    m.insert("bytes_out".into(), s.bytes_out.into());
    m.insert("duration_ms".into(), (s.duration.as_millis() as u64).into());
    if !s.engine.is_empty() {
        m.insert("cpu_ms".into(), (s.cpu.as_millis() as u64).into());
        m.insert("engine_counts".into(), s.io.json());
    }
    m
}

/// `, cpu 0.12s` and the engine counters' line, for a stream server's summary.
fn engine_tail(s: &ServerSummary) -> String {
    if s.engine.is_empty() {
        return String::new();
    }
    format!(
        ", cpu {}\n{}",
        crate::text::duration(s.cpu),
        s.io.line(s.engine)
    )
}

/// Print the shutdown summary (unless `-q`; as a `summary` event with `--json`).
pub fn report_summary(out: &Output, s: &ServerSummary) {
    out.event(
        Level::Info,
        "summary",
        Value::Object(summary_fields(s, false)),
        || {
            format!(
                "{} ({} refused, peak {}), {} in, {} out, in {}{}",
                crate::text::plural(s.accepted, "connection"),
                s.refused,
                s.peak_connections,
                crate::text::plural(s.bytes_in, "byte"),
                crate::text::plural(s.bytes_out, "byte"),
                crate::text::duration(s.duration),
                engine_tail(s)
            )
        },
    );
}

/// The SIGUSR1 report of a running server: the same fields as the summary.
pub fn report_live(out: &Output, s: &ServerSummary) {
    out.event(
        Level::Info,
        "stats",
        Value::Object(summary_fields(s, true)),
        || {
            format!(
                "stats: {} ({} open, {} refused, peak {}), {} in, {} out, after {}{}",
                crate::text::plural(s.accepted, "connection"),
                s.open,
                s.refused,
                s.peak_connections,
                crate::text::plural(s.bytes_in, "byte"),
                crate::text::plural(s.bytes_out, "byte"),
                crate::text::duration(s.duration),
                engine_tail(s)
            )
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_count_the_peak_and_respect_the_limit() {
        let c = Arc::new(Counters::default());
        let a = c.admit(Some(2)).unwrap();
        let b = c.admit(Some(2)).unwrap();
        assert_eq!((a.id(), b.id()), (1, 2));
        assert!(c.admit(Some(2)).is_none(), "at the limit");
        drop(a);
        let d = c.admit(Some(2)).unwrap();
        assert_eq!(d.id(), 3);
        drop((b, d));
        let s = c.summary(Instant::now());
        assert_eq!((s.accepted, s.open, s.peak_connections), (3, 0, 2));
    }

    #[test]
    fn threads_never_overshoot_the_limit() {
        let c = Arc::new(Counters::default());
        let held: Vec<Option<Slot>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..8)
                .map(|_| s.spawn(|| (0..50).map(|_| c.admit(Some(10))).collect::<Vec<_>>()))
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(held.iter().flatten().count(), 10);
        assert_eq!(c.summary(Instant::now()).peak_connections, 10);
    }
}

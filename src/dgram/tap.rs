//! What the datagram commands count and dump: every datagram received (in
//! `RecvBatch::recv`) and sent (in `send_many`) passes through one [`DgramTap`], which
//! keeps the counts for SIGUSR1 and `--stats` reports and feeds `-x/--hexdump` (each
//! datagram one chunk, labelled with its peer).

use std::cell::Cell;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use crate::net::hexdump::{Direction, Hexdump};
use crate::output::{Level, Output};

/// Counts and the optional dump of one datagram command (single-threaded).
#[derive(Debug)]
pub struct DgramTap {
    out: Output,
    hexdump: Option<Arc<Hexdump>>,
    started: Instant,
    dgrams_in: Cell<u64>,
    bytes_in: Cell<u64>,
    dgrams_out: Cell<u64>,
    bytes_out: Cell<u64>,
}

impl DgramTap {
    pub fn new(out: &Output, hexdump: Option<Arc<Hexdump>>) -> Self {
        DgramTap {
            out: out.clone(),
            hexdump,
            started: Instant::now(),
            dgrams_in: Cell::new(0),
            bytes_in: Cell::new(0),
            dgrams_out: Cell::new(0),
            bytes_out: Cell::new(0),
        }
    }

    /// Where this command reports (the same `Output` the command uses).
    pub fn out(&self) -> &Output {
        &self.out
    }

    /// A datagram of `len` bytes arrived from `from`; `kept` is what fit the buffer.
    pub fn received(&self, from: Option<SocketAddr>, len: usize, kept: &[u8]) {
        self.dgrams_in.set(self.dgrams_in.get() + 1);
        self.bytes_in.set(self.bytes_in.get() + len as u64);
        if let Some(d) = &self.hexdump {
            d.record_peer(&peer(from), Direction::Received, kept);
        }
    }

    /// A datagram went out to `to` (`None`: the connected peer).
    pub fn sent(&self, to: Option<SocketAddr>, payload: &[u8]) {
        self.dgrams_out.set(self.dgrams_out.get() + 1);
        self.bytes_out
            .set(self.bytes_out.get() + payload.len() as u64);
        if let Some(d) = &self.hexdump {
            d.record_peer(&peer(to), Direction::Sent, payload);
        }
    }

    /// Print the counts so far: `event` is `stats` (SIGUSR1) or `summary` (`--stats`).
    pub fn report(&self, event: &str) {
        let out = &self.out;
        let took = self.started.elapsed();
        let secs = took.as_secs_f64();
        let (di, bi, dout, bo) = (
            self.dgrams_in.get(),
            self.bytes_in.get(),
            self.dgrams_out.get(),
            self.bytes_out.get(),
        );
        out.event(
            Level::Info,
            event,
            json!({"datagrams_in": di, "bytes_in": bi, "datagrams_out": dout, "bytes_out": bo,
                   "duration_ms": (secs * 1000.0) as u64}),
            || {
                format!(
                    "{} ({}) in, {} ({}) out, in {} ({})",
                    crate::text::plural(di, "datagram"),
                    crate::text::plural(bi, "byte"),
                    crate::text::plural(dout, "datagram"),
                    crate::text::plural(bo, "byte"),
                    crate::text::duration(took),
                    crate::output::human_rate((bi + bo) as f64 / secs.max(1e-9))
                )
            },
        );
    }
}

impl crate::net::dgram::batch::Observer for DgramTap {
    fn received(&self, from: Option<SocketAddr>, len: usize, kept: &[u8]) {
        DgramTap::received(self, from, len, kept);
    }

    fn sent(&self, to: Option<SocketAddr>, payload: &[u8]) {
        DgramTap::sent(self, to, payload);
    }
}

fn peer(a: Option<SocketAddr>) -> String {
    a.map_or_else(|| "peer".to_string(), |a| crate::net::addr::display(&a))
}

impl DgramTap {
    /// A tap that only counts (tests, tools).
    pub fn quiet() -> Self {
        DgramTap::new(&Output::new(false, crate::output::Verbosity::Quiet), None)
    }

    /// After a wait woke: answer SIGUSR1 with a live report.
    pub fn on_wake(&self, shutdown: &crate::net::signals::Shutdown) {
        if shutdown.take_stats_request() {
            self.report("stats");
        }
    }
}

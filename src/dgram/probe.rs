//! Probe mode: what mcjoin, omping and msend/mreceive measure, in one format.
//!
//! A probe datagram starts with a 36-byte header — magic `NTPROBE1`, a run id (so two
//! runs from the same address are told apart), a sequence number, the number of probes
//! the run will send (0 = unknown), and the send time in nanoseconds since the Unix
//! epoch — padded to the requested size. The receiver keeps per-sender statistics:
//!
//! * **received** — distinct sequence numbers seen;
//! * **lost** — expected minus received, where expected is the announced count, or
//!   the highest sequence number + 1 when the count is unknown;
//! * **duplicated** — a sequence number seen again;
//! * **reordered** — a sequence number lower than one already seen;
//! * **delay** — receive time minus send time. That is a one-way delay only when both
//!   clocks agree (the same host, or NTP/PTP-synchronised hosts); a negative figure
//!   means they do not, and then no delay is reported.

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// The first bytes of every probe.
pub const MAGIC: &[u8; 8] = b"NTPROBE1";
/// Size of the probe header; probes are never shorter.
pub const HEADER_LEN: usize = 36;

/// One decoded probe header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub run: u32,
    pub seq: u64,
    pub count: u64,
    pub sent_ns: u64,
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

/// A run id that differs between runs (time and pid mixed).
pub fn new_run_id() -> u32 {
    let t = now_ns();
    (t as u32) ^ ((t >> 32) as u32) ^ std::process::id().rotate_left(16)
}

impl Probe {
    /// Write this probe, stamped with the current time, into `buf`, padded with zeros
    /// to `size` bytes (at least [`HEADER_LEN`]).
    pub fn encode_now(run: u32, seq: u64, count: u64, size: usize, buf: &mut Vec<u8>) {
        buf.clear();
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&run.to_be_bytes());
        buf.extend_from_slice(&seq.to_be_bytes());
        buf.extend_from_slice(&count.to_be_bytes());
        buf.extend_from_slice(&now_ns().to_be_bytes());
        buf.resize(size.max(HEADER_LEN), 0);
    }

    /// Parse a probe header; `None` for anything that is not a probe.
    pub fn decode(data: &[u8]) -> Option<Probe> {
        if data.len() < HEADER_LEN || &data[..8] != MAGIC {
            return None;
        }
        let u64_at = |i: usize| u64::from_be_bytes(data[i..i + 8].try_into().expect("8 bytes"));
        Some(Probe {
            run: u32::from_be_bytes(data[8..12].try_into().expect("4 bytes")),
            seq: u64_at(12),
            count: u64_at(20),
            sent_ns: u64_at(28),
        })
    }
}

/// Statistics for one sender's run.
#[derive(Debug, Default, Clone)]
pub struct SenderStats {
    seen: HashSet<u64>,
    max_seq: Option<u64>,
    announced: u64,
    pub duplicated: u64,
    pub reordered: u64,
    delay_min_ns: Option<u64>,
    delay_max_ns: u64,
    delay_sum_ns: u128,
    delays: u64,
    clock_skew: bool,
}

impl SenderStats {
    /// Account for one probe received at `recv_ns`.
    pub fn record(&mut self, p: &Probe, recv_ns: u64) {
        self.announced = self.announced.max(p.count);
        if !self.seen.insert(p.seq) {
            self.duplicated += 1;
            return;
        }
        match self.max_seq {
            Some(m) if p.seq < m => self.reordered += 1,
            _ => self.max_seq = Some(p.seq),
        }
        match recv_ns.checked_sub(p.sent_ns) {
            Some(d) => {
                self.delay_min_ns = Some(self.delay_min_ns.map_or(d, |m| m.min(d)));
                self.delay_max_ns = self.delay_max_ns.max(d);
                self.delay_sum_ns += d as u128;
                self.delays += 1;
            }
            None => self.clock_skew = true,
        }
    }

    pub fn received(&self) -> u64 {
        self.seen.len() as u64
    }

    /// Probes the sender sent (as far as we can tell).
    pub fn expected(&self) -> u64 {
        let by_seq = self.max_seq.map_or(0, |m| m + 1);
        self.announced.max(by_seq)
    }

    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.received())
    }

    /// (min, avg, max) one-way delay in milliseconds, when the clocks allow it.
    pub fn delay_ms(&self) -> Option<(f64, f64, f64)> {
        if self.clock_skew || self.delays == 0 {
            return None;
        }
        let ms = |ns: f64| ns / 1e6;
        Some((
            ms(self.delay_min_ns.unwrap_or(0) as f64),
            ms(self.delay_sum_ns as f64 / self.delays as f64),
            ms(self.delay_max_ns as f64),
        ))
    }
}

/// Per-sender probe statistics of one receiver.
#[derive(Debug, Default)]
pub struct ProbeStats {
    senders: BTreeMap<(String, u32), SenderStats>,
    /// Datagrams that were not probes.
    pub foreign: u64,
}

impl ProbeStats {
    /// Account for one datagram from `from`.
    pub fn datagram(&mut self, from: Option<SocketAddr>, data: &[u8]) {
        let Some(p) = Probe::decode(data) else {
            self.foreign += 1;
            return;
        };
        let key = (from.map_or("?".into(), |a| a.to_string()), p.run);
        self.senders.entry(key).or_default().record(&p, now_ns());
    }

    /// Whether every sender that announced a count has delivered all of it.
    pub fn all_complete(&self) -> bool {
        !self.senders.is_empty()
            && self
                .senders
                .values()
                .all(|s| s.announced > 0 && s.received() >= s.announced)
    }

    /// One report per sender: (JSON fields, human line).
    pub fn reports(&self) -> Vec<(Value, String)> {
        self.senders
            .iter()
            .map(|((from, run), s)| {
                let expected = s.expected();
                let pct = if expected == 0 {
                    0.0
                } else {
                    100.0 * s.lost() as f64 / expected as f64
                };
                let delay = s.delay_ms();
                let fields = json!({
                    "peer": from, "run": run, "received": s.received(), "expected": expected,
                    "lost": s.lost(), "loss_percent": (pct * 100.0).round() / 100.0,
                    "duplicated": s.duplicated, "reordered": s.reordered,
                    "delay_ms": delay.map(|(lo, avg, hi)| json!({"min": lo, "avg": avg, "max": hi})),
                });
                let delay_text = match delay {
                    Some((lo, avg, hi)) => {
                        format!("one-way delay min/avg/max {lo:.3}/{avg:.3}/{hi:.3} ms")
                    }
                    None => "no delay figure (clocks disagree)".to_string(),
                };
                let human = format!(
                    "probe from {from}: {} received, {} lost ({pct:.1}%), {} duplicated, {} reordered, {delay_text}",
                    s.received(),
                    s.lost(),
                    s.duplicated,
                    s.reordered
                );
                (fields, human)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(seq: u64, count: u64) -> Vec<u8> {
        let mut b = Vec::new();
        Probe::encode_now(42, seq, count, 64, &mut b);
        b
    }

    #[test]
    fn encode_decode_round_trip_and_padding() {
        let b = probe(7, 100);
        assert_eq!(b.len(), 64);
        let p = Probe::decode(&b).unwrap();
        assert_eq!((p.run, p.seq, p.count), (42, 7, 100));
        assert!(p.sent_ns > 0);
        assert!(Probe::decode(b"hello").is_none());
        let mut short = Vec::new();
        Probe::encode_now(1, 0, 0, 10, &mut short);
        assert_eq!(short.len(), HEADER_LEN);
    }

    #[test]
    fn loss_duplicates_and_reordering_are_counted() {
        let mut st = ProbeStats::default();
        let from = Some("192.0.2.1:5000".parse().unwrap());
        // 10 announced; 0 and 5 lost, 3 duplicated, 7 arrives after 8.
        for seq in [1, 2, 3, 3, 4, 6, 8, 7, 9] {
            st.datagram(from, &probe(seq, 10));
        }
        st.datagram(from, b"not a probe");
        let s = st.senders.values().next().unwrap();
        assert_eq!(s.received(), 8);
        assert_eq!(s.lost(), 2);
        assert_eq!(s.duplicated, 1);
        assert_eq!(s.reordered, 1);
        assert_eq!(st.foreign, 1);
        assert!(!st.all_complete());
        let (fields, human) = &st.reports()[0];
        assert_eq!(fields["lost"], 2);
        assert_eq!(fields["loss_percent"], 20.0);
        assert!(human.contains("2 lost (20.0%)"), "{human}");
    }

    #[test]
    fn unknown_count_uses_highest_sequence() {
        let mut s = SenderStats::default();
        for seq in [0, 2, 4] {
            let p = Probe::decode(&probe(seq, 0)).unwrap();
            s.record(&p, p.sent_ns + 1_000_000);
        }
        assert_eq!((s.expected(), s.lost()), (5, 2));
        let (lo, avg, hi) = s.delay_ms().unwrap();
        assert!((lo - 1.0).abs() < 1e-9 && (avg - 1.0).abs() < 1e-9 && (hi - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_clock_behind_gives_no_delay() {
        let mut s = SenderStats::default();
        let p = Probe::decode(&probe(0, 1)).unwrap();
        s.record(&p, p.sent_ns - 5);
        assert!(s.delay_ms().is_none());
    }
}

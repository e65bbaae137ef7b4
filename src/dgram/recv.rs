//! The receive side every datagram command shares: wait for datagrams (or a signal,
//! or the `-w` silence limit), take them in batches, and print each one — raw bytes on
//! stdout, or with `--json` one record per datagram:
//! `{"event":"datagram","time":…,"peer":"192.0.2.1:5000","len":5,"data":"hello","encoding":"text"}`
//! (`"encoding":"base64"` when the payload is not UTF-8).
//!
//! A datagram that did not fit the buffer is printed as far as it fits *and* reported
//! (`truncated`, its real `len`), never silently cut; datagrams the kernel dropped for
//! a full receive queue are reported from the `SO_RXQ_OVFL` counter. In probe mode
//! the per-sender report replaces the payloads on stdout (it is the data).

use std::io::{self, BufWriter, Write};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use serde_json::{Map, Value, json};
use socket2::Socket;

use super::probe::ProbeStats;
use super::tap::DgramTap;
use crate::error::{Interrupted, Stdout};
use crate::net::dgram::batch::{Datagram, RecvBatch};
use crate::net::signals::Shutdown;
use crate::net::wait::{Watch, Woke, wait};
use crate::output::{Level, Output, payload_fields};

/// Why a receive loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// `-n COUNT` datagrams arrived.
    Count,
    /// `-w` passed without a datagram.
    Idle,
    /// SIGINT or SIGTERM (the signal number).
    Signal(i32),
    /// The batch handler said it has all it wants.
    Done,
}

/// What a batch handler tells the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// When a receive loop ends.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecvLimits {
    /// Stop after this many datagrams.
    pub count: Option<u64>,
    /// Stop after this long without a datagram.
    pub idle: Option<Duration>,
}

/// Wait until `sock` is readable, a signal arrives, or `deadline` passes (SIGUSR1
/// prints the tap's counts on the way). `Ok(Woke::Ready)` does not promise the socket
/// is readable: the caller's non-blocking receive finds out.
pub fn wait_readable(
    sock: &Socket,
    shutdown: &Shutdown,
    deadline: Option<Instant>,
    tap: &DgramTap,
) -> anyhow::Result<Woke> {
    let woke = wait(&mut [Watch::read(sock.as_fd())], shutdown, deadline).context("wait")?;
    if woke == Woke::Ready {
        tap.on_wake(shutdown);
    }
    Ok(woke)
}

/// Receive until a limit is reached, handing each batch to `on_batch`. Returns why it
/// stopped and how many datagrams arrived.
pub fn receive_loop(
    sock: &Socket,
    batch: &mut RecvBatch,
    limits: &RecvLimits,
    shutdown: &Shutdown,
    tap: &DgramTap,
    mut on_batch: impl FnMut(&RecvBatch, usize) -> anyhow::Result<Flow>,
) -> anyhow::Result<(Stop, u64)> {
    crate::net::trace::checkpoint("recvmmsg", || vec![crate::net::trace::fd(sock)])?;
    let mut total = 0u64;
    let mut last = Instant::now();
    loop {
        let left = match limits.count {
            Some(c) if total >= c => return Ok((Stop::Count, total)),
            Some(c) => (c - total).min(usize::MAX as u64) as usize,
            None => usize::MAX,
        };
        let deadline = limits.idle.map(|idle| last + idle);
        match wait_readable(sock, shutdown, deadline, tap)? {
            Woke::Stop(sig) => return Ok((Stop::Signal(sig), total)),
            Woke::Timeout => return Ok((Stop::Idle, total)),
            Woke::Ready => {}
        }
        let n = batch.recv(sock, left, tap).context("receive")?;
        if n == 0 {
            continue;
        }
        total += n as u64;
        last = Instant::now();
        if on_batch(batch, n)? == Flow::Stop {
            return Ok((Stop::Done, total));
        }
    }
}

/// Prints received datagrams: raw to stdout, or JSON records; reports truncation and
/// kernel drops.
pub struct Printer {
    out: Output,
    stdout: BufWriter<Stdout<io::Stdout>>,
    /// The JSON `"event"` of each record (`datagram`, or `reply` for `udp send -w`).
    record: &'static str,
    kernel_drops: u32,
    pub datagrams: u64,
    pub bytes: u64,
    pub truncated: u64,
}

impl Printer {
    pub fn new(out: &Output, record: &'static str) -> Self {
        Printer {
            out: out.clone(),
            stdout: BufWriter::with_capacity(256 << 10, Stdout(io::stdout())),
            record,
            kernel_drops: 0,
            datagrams: 0,
            bytes: 0,
            truncated: 0,
        }
    }

    /// Print the first `n` datagrams of `batch`, then flush.
    pub fn print_batch(&mut self, batch: &RecvBatch, n: usize) -> anyhow::Result<()> {
        for (i, d) in batch.datagrams()[..n].iter().enumerate() {
            self.print(d, batch.payload(i))?;
        }
        self.note_drops(batch.kernel_drops);
        self.stdout.flush().context("write to stdout")
    }

    fn print(&mut self, d: &Datagram, data: &[u8]) -> anyhow::Result<()> {
        self.datagrams += 1;
        self.bytes += d.len as u64;
        let from = d
            .from
            .map_or("?".to_string(), |a| crate::net::addr::display(&a));
        if d.truncated() {
            self.truncated += 1;
            self.out.warn(&format!(
                "datagram from {from} truncated: {} sent, only {} fit the buffer (raise --buffer)",
                crate::text::plural(d.len as u64, "byte"),
                d.kept
            ));
        }
        if self.out.json() {
            let line = record(self.record, &from, d, data);
            writeln!(self.stdout, "{line}").context("write to stdout")?;
        } else {
            self.out.event(
                Level::Detail,
                self.record,
                json!({"peer": from, "len": d.len}),
                || {
                    format!(
                        "{} from {from}, {}",
                        self.record,
                        crate::text::plural(d.len as u64, "byte")
                    )
                },
            );
            self.stdout.write_all(data).context("write to stdout")?;
        }
        Ok(())
    }

    fn note_drops(&mut self, now: u32) {
        if now > self.kernel_drops {
            let new = now - self.kernel_drops;
            self.kernel_drops = now;
            self.out.warn(&format!(
                "the kernel dropped {new} datagram(s) for a full receive queue ({now} so far)"
            ));
        }
    }

    /// Datagrams the kernel reported dropped so far.
    pub fn kernel_drops(&self) -> u32 {
        self.kernel_drops
    }
}

/// One JSON record for a datagram: its sender (`peer`), len, data as text or base64.
pub fn record(event: &str, from: &str, d: &Datagram, data: &[u8]) -> String {
    let mut fields = Map::with_capacity(6);
    fields.insert("peer".into(), Value::from(from));
    fields.insert("len".into(), Value::from(d.len));
    payload_fields(data, &mut fields);
    if d.truncated() {
        fields.insert("truncated".into(), Value::from(true));
        fields.insert("kept".into(), Value::from(d.kept));
    }
    crate::output::record(event, Value::Object(fields)).to_string()
}

/// How a receiver ends and what it prints: the `recv` subcommands' shared body.
pub struct RecvJob {
    pub limits: RecvLimits,
    pub buffer: usize,
    pub probe: bool,
}

/// Run a receiver on a bound (and, for multicast, joined) socket. Exit status follows
/// the contract: 0 after `-n` datagrams, and when `-w` of silence follows what arrived;
/// 1 when `-w` passes with nothing received (or, with `-n`, fewer than asked; in probe
/// mode any probes are a result); 128 + N when signal N stops it (the report is
/// printed first).
pub fn run_receiver(
    sock: &Socket,
    job: &RecvJob,
    out: &Output,
    shutdown: &Shutdown,
    tap: &DgramTap,
) -> anyhow::Result<()> {
    let mut batch = RecvBatch::new(64, job.buffer);
    let mut printer = Printer::new(out, "datagram");
    let mut probes = ProbeStats::default();
    let (stop, total) = receive_loop(sock, &mut batch, &job.limits, shutdown, tap, |b, n| {
        if job.probe {
            for (i, d) in b.datagrams()[..n].iter().enumerate() {
                probes.datagram(d.from, b.payload(i));
            }
            printer.datagrams += n as u64;
            printer.note_drops(b.kernel_drops);
            // Every sender that announced a count is complete: nothing more to wait for.
            let done = job.limits.count.is_none() && probes.all_complete();
            Ok(if done { Flow::Stop } else { Flow::Continue })
        } else {
            printer.print_batch(b, n)?;
            Ok(Flow::Continue)
        }
    })?;
    if job.probe {
        // The report is what probe mode produces: data on stdout, even under -q.
        let mut stdout = Stdout(io::stdout().lock());
        for (fields, human) in probes.reports() {
            let line = if out.json() {
                crate::output::record("probe", fields).to_string()
            } else {
                human
            };
            writeln!(stdout, "{line}")
                .and_then(|_| stdout.flush())
                .context("write to stdout")?;
        }
        drop(stdout);
        if probes.foreign > 0 {
            out.warn(&match probes.foreign {
                1 => "1 datagram was not a probe".to_string(),
                n => format!("{n} datagrams were not probes"),
            });
        }
    }
    out.event(
        Level::Detail,
        "summary",
        json!({"datagrams_in": total, "bytes_in": printer.bytes, "truncated": printer.truncated,
               "kernel_drops": printer.kernel_drops()}),
        || {
            format!(
                "{}, {}, {} truncated, {} dropped by the kernel",
                crate::text::plural(total, "datagram"),
                crate::text::plural(printer.bytes, "byte"),
                printer.truncated,
                printer.kernel_drops()
            )
        },
    );
    match stop {
        Stop::Signal(signal) => Err(Interrupted { signal }.into()),
        // `-w` of silence after a transfer ends it (0, as nc -u -w); a wait that saw
        // nothing, or fewer datagrams than `-n` asked for, failed.
        Stop::Idle if total == 0 || (!job.probe && job.limits.count.is_some_and(|c| total < c)) => {
            let idle = job.limits.idle.unwrap_or_default();
            let got = match job.limits.count {
                Some(c) => format!(" ({total} of {c} received)"),
                None => String::new(),
            };
            Err(anyhow!(
                "no datagram for {}{got}",
                crate::text::duration(idle)
            ))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_carry_text_or_base64() {
        let d = Datagram {
            from: None,
            len: 2,
            kept: 2,
        };
        let v: Value = serde_json::from_str(&record("datagram", "1.2.3.4:5", &d, b"hi")).unwrap();
        assert_eq!(v["data"], "hi");
        assert_eq!(v["encoding"], "text");
        assert_eq!(v["peer"], "1.2.3.4:5");
        assert!(v.get("truncated").is_none());
        let d = Datagram {
            from: None,
            len: 10,
            kept: 2,
        };
        let v: Value = serde_json::from_str(&record("datagram", "x", &d, &[0xff, 0])).unwrap();
        assert_eq!(v["encoding"], "base64");
        assert_eq!(v["data"], "/wA=");
        assert_eq!(v["len"], 10);
        assert_eq!(v["truncated"], true);
        assert_eq!(v["kept"], 2);
    }
}

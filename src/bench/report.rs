//! How a benchmark result is shown: a short human report, one JSON object, and the
//! one-line-per-engine comparison table.

use std::fmt::Write;
use std::time::Duration;

use serde_json::{Value, json};

use super::{BenchReport, CompareRow, Mode};
use crate::text::{duration, plural};

fn mode_line(r: &BenchReport) -> String {
    match r.mode {
        Mode::Echo { size, pipeline } => format!(
            "{}, {size}-byte messages, pipeline {pipeline}, {}",
            plural(r.connections as u64, "connection"),
            duration(r.elapsed)
        ),
        Mode::Bulk { size } => format!(
            "{} streaming {size} bytes each, {}",
            plural(r.connections as u64, "connection"),
            duration(r.elapsed)
        ),
    }
}

/// The multi-line human report.
pub fn human_report(r: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "bench {}: {}", r.target, mode_line(r));
    if matches!(r.mode, Mode::Echo { .. }) {
        let _ = writeln!(
            s,
            "  round trips  {} ({:.0}/s)",
            r.round_trips,
            r.rt_per_sec()
        );
    }
    let _ = writeln!(
        s,
        "  throughput   {:.2} MB/s echoed ({} verified)",
        r.mb_per_sec(),
        plural(r.bytes, "byte")
    );
    if let Some(l) = r.latency {
        let _ = writeln!(
            s,
            "  latency      p50 {}  p90 {}  p99 {}  max {}",
            duration(l.p50),
            duration(l.p90),
            duration(l.p99),
            duration(l.max)
        );
    }
    let e = r.errors;
    let _ = writeln!(
        s,
        "  errors       {} (connect {}, corrupted echo {}, disconnected {}, incomplete {}, unanswered {})",
        e.total(),
        e.connect,
        e.mismatch,
        e.disconnect,
        e.incomplete,
        e.unanswered
    );
    s
}

/// The report as one JSON object (`"event": "bench"`).
pub fn json_report(r: &BenchReport, engine: Option<&str>) -> Value {
    let (mode, size, pipeline) = match r.mode {
        Mode::Echo { size, pipeline } => ("echo", size, Some(pipeline)),
        Mode::Bulk { size } => ("bulk", size, None),
    };
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let mut v = crate::output::record(
        "bench",
        json!({
        "target": r.target,
        "mode": mode,
        "connections": r.connections,
        "size": size,
        "pipeline": pipeline,
        "duration_ms": r.elapsed.as_millis() as u64,
        "round_trips": r.round_trips,
        "rt_per_sec": r.rt_per_sec(),
        "bytes": r.bytes,
        "mb_per_sec": r.mb_per_sec(),
        "latency_us": r.latency.map(|l| json!({
            "p50": us(l.p50), "p90": us(l.p90), "p99": us(l.p99), "max": us(l.max),
        })),
        "errors": r.errors.total(),
        "error_kinds": {
            "connect": r.errors.connect,
            "mismatch": r.errors.mismatch,
            "disconnect": r.errors.disconnect,
            "incomplete": r.errors.incomplete,
            "unanswered": r.errors.unanswered,
        },
        }),
    );
    if let Some(engine) = engine {
        v["engine"] = Value::from(engine);
    }
    v
}

/// The comparison table: one row per engine.
pub fn format_table(rows: &[CompareRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<10} {:>12} {:>10} {:>10} {:>10} {:>7} {:>10}",
        "engine", "rt/s", "MB/s", "p50", "p99", "errors", "server cpu"
    );
    for row in rows {
        match &row.result {
            Ok(r) => {
                let (p50, p99) = r.latency.map_or(("-".into(), "-".into()), |l| {
                    (duration(l.p50), duration(l.p99))
                });
                let rts = if matches!(r.mode, Mode::Echo { .. }) {
                    format!("{:.0}", r.rt_per_sec())
                } else {
                    "-".into()
                };
                let cpu = row
                    .server_cpu
                    .map_or("-".into(), |c| format!("{:.2}s", c.as_secs_f64()));
                let _ = writeln!(
                    s,
                    "{:<10} {:>12} {:>10.2} {:>10} {:>10} {:>7} {:>10}",
                    row.engine,
                    rts,
                    r.mb_per_sec(),
                    p50,
                    p99,
                    r.errors.total(),
                    cpu
                );
            }
            Err(why) => {
                let _ = writeln!(s, "{:<10} failed: {why}", row.engine);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::{Errors, Latency};

    fn sample() -> BenchReport {
        BenchReport {
            target: "127.0.0.1:7".into(),
            connections: 4,
            mode: Mode::Echo {
                size: 64,
                pipeline: 1,
            },
            elapsed: Duration::from_secs(2),
            round_trips: 1000,
            bytes: 64_000,
            latency: Some(Latency {
                p50: Duration::from_micros(80),
                p90: Duration::from_micros(120),
                p99: Duration::from_micros(1500),
                max: Duration::from_millis(2500),
            }),
            errors: Errors {
                mismatch: 1,
                ..Errors::default()
            },
        }
    }

    #[test]
    fn latencies_pick_a_readable_unit() {
        assert_eq!(duration(Duration::from_micros(87)), "87us");
        assert_eq!(duration(Duration::from_micros(1240)), "1.24ms");
        assert_eq!(duration(Duration::from_millis(2100)), "2.1s");
    }

    #[test]
    fn reports_carry_rates_and_errors() {
        let r = sample();
        let h = human_report(&r);
        assert!(h.contains("round trips  1000 (500/s)"), "{h}");
        assert!(h.contains("errors       1 ("), "{h}");
        let j = json_report(&r, Some("poll"));
        assert_eq!(j["rt_per_sec"], 500.0);
        assert_eq!(j["mb_per_sec"], 0.032);
        assert_eq!(j["engine"], "poll");
        assert_eq!(j["latency_us"]["p99"], 1500.0);
        let t = format_table(&[CompareRow {
            engine: "poll".into(),
            result: Ok(r),
            server_cpu: Some(Duration::from_millis(1250)),
        }]);
        assert!(t.lines().next().unwrap().ends_with("server cpu"), "{t}");
        let row = t.lines().nth(1).unwrap();
        assert!(row.starts_with("poll") && row.ends_with("1.25s"), "{t}");
    }
}

//! `tcp-echo bench`: the load generator, the engine comparison and the idle-connection
//! holder, as calls of [`crate::bench`].

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::bench::{self, BenchConfig, BenchReport, Progress};
use crate::cli::{FamilyOpts, TimeoutOpt, parse_bytes, parse_duration};
use crate::cmd::Run;
use crate::engine::EngineKind;
use crate::error::{UsageError, stdout_error};
use crate::net::signals::Shutdown;
use crate::net::{HostPort, Transport};
use crate::output::Output;

pub const BENCH_EXAMPLES: &str = "\
Examples:
  nettool tcp-echo bench 127.0.0.1:7007            10 connections, 64-byte echoes, 5 s
  nettool tcp-echo bench :7007 -c 100 --pipeline 4   100 connections, 4 messages in flight each
  nettool tcp-echo bench :7007 -c 1 --bulk 1G      stream 1 GiB through the echo, check it all
  nettool tcp-echo bench --compare                 every engine, one local server each, one table
  nettool tcp-echo bench --compare fork,epoll-et -d 2s --json   two engines, JSON rows
  nettool tcp-echo bench :7007 -c 10000 --idle 5s  hold 10,000 idle connections for 5 s";

/// Longest run accepted: a benchmark always ends by itself.
const MAX_DURATION: Duration = Duration::from_secs(3600);

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Echo server to load: HOST:PORT, [V6]:PORT, :PORT or PORT (not with --compare)
    #[arg(
        value_name = "ADDR",
        required_unless_present = "compare",
        conflicts_with = "compare"
    )]
    pub addr: Option<String>,

    /// Concurrent connections
    #[arg(short = 'c', long = "connections", value_name = "CONNS", default_value_t = 10,
          value_parser = crate::cli::between(1u64, 100_000))]
    pub connections: u64,

    /// How long to measure [default: 5s]; with --bulk, the time limit [default: 60s]
    #[arg(short = 'd', long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,

    /// Bytes per message (K, M, G suffixes are powers of 1024)
    #[arg(long, value_name = "BYTES", default_value = "64", value_parser = parse_message_size)]
    pub size: u64,

    /// Messages in flight per connection
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = crate::cli::between(1u64, 4096))]
    pub pipeline: u64,

    /// Instead of messages, stream SIZE bytes per connection and check the echo
    #[arg(long, value_name = "SIZE", value_parser = parse_bulk_size, conflicts_with = "idle")]
    pub bulk: Option<u64>,

    /// Start a local server per engine (a comma-separated list, or all) and compare them
    #[arg(long, value_name = "ENGINES", num_args = 0..=1, default_missing_value = "all")]
    pub compare: Option<String>,

    /// Open CONNS connections, hold them idle for DURATION, check each still echoes
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "compare")]
    pub idle: Option<Duration>,

    #[command(flatten)]
    pub family: FamilyOpts,

    #[command(flatten)]
    pub timeout: TimeoutOpt,
}

fn parse_message_size(s: &str) -> Result<u64, String> {
    match parse_bytes(s)? {
        0 => Err("a message must have at least 1 byte".into()),
        n if n > 16 << 20 => Err(format!("{s:?}: messages are at most 16M")),
        n => Ok(n),
    }
}

fn parse_bulk_size(s: &str) -> Result<u64, String> {
    match parse_bytes(s)? {
        0 => Err("a bulk transfer must have at least 1 byte".into()),
        n => Ok(n),
    }
}

/// `all` or a comma-separated list of engine names.
fn parse_engines(list: &str) -> Result<Vec<EngineKind>, UsageError> {
    if list == "all" {
        return Ok(EngineKind::ALL.to_vec());
    }
    list.split(',')
        .map(|name| {
            name.trim()
                .parse::<EngineKind>()
                .map_err(UsageError::Invalid)
        })
        .collect()
}

impl BenchArgs {
    fn config(&self, addrs: Vec<std::net::SocketAddr>) -> Result<BenchConfig, UsageError> {
        let default = if self.bulk.is_some() { 60 } else { 5 };
        let duration = self.duration.unwrap_or(Duration::from_secs(default));
        if duration.is_zero() || duration > MAX_DURATION {
            return Err(UsageError::invalid(
                "--duration must be more than 0 and at most 1h",
            ));
        }
        Ok(BenchConfig {
            addrs,
            connections: self.connections as usize,
            duration,
            size: self.size,
            pipeline: self.pipeline,
            bulk: self.bulk,
            connect_timeout: self.timeout.timeout.unwrap_or(Duration::from_secs(5)),
        })
    }
}

/// A one-line progress display on stderr, only on a terminal and never with --json/-q.
fn progress_bar(out: &Output) -> Option<ProgressBar> {
    if out.json() || out.quiet() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{spinner} {elapsed} {msg}").expect("template"));
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// Run one measurement, updating the progress bar while it runs.
fn run_with_progress(
    cfg: &BenchConfig,
    bar: Option<&ProgressBar>,
    shutdown: &Shutdown,
) -> anyhow::Result<BenchReport> {
    let Some(bar) = bar else {
        return bench::run(cfg, None, shutdown);
    };
    let progress = Arc::new(Progress::default());
    let started = Instant::now();
    std::thread::scope(|s| {
        let worker = s.spawn(|| bench::run(cfg, Some(Arc::clone(&progress)), shutdown));
        while !worker.is_finished() {
            let secs = started.elapsed().as_secs_f64().max(1e-3);
            let rt = progress.round_trips.load(Ordering::Relaxed);
            let mb = progress.bytes.load(Ordering::Relaxed) as f64 / 1e6;
            bar.set_message(format!(
                "{rt} round trips ({:.0}/s), {:.1} MB/s",
                rt as f64 / secs,
                mb / secs
            ));
            std::thread::sleep(Duration::from_millis(100));
        }
        worker
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the load generator panicked")))
    })
}

impl Run for BenchArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        if let Some(list) = &self.compare {
            let engines = parse_engines(list)?;
            // `--dry-run`: starting servers and loading them is all action.
            crate::net::trace::checkpoint("execve", || {
                vec!["a tcp-echo server per engine".into()]
            })?;
            let cfg = self.config(Vec::new())?;
            let bar = progress_bar(out);
            let rows = bench::compare(&engines, &cfg, &shutdown, |row| {
                if let Some(b) = &bar {
                    b.println(format!("measured {}", row.engine));
                }
            });
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            let rows = rows?;
            if out.json() {
                for row in &rows {
                    match &row.result {
                        Ok(r) => {
                            let mut v = bench::json_report(r, Some(&row.engine));
                            v["server_cpu_ms"] =
                                row.server_cpu.map(|c| c.as_millis() as u64).into();
                            emit(&format!("{v}\n"))?
                        }
                        Err(e) => emit(&format!(
                            "{}\n",
                            crate::output::record(
                                "bench",
                                json!({"engine": row.engine, "error": e})
                            )
                        ))?,
                    }
                }
            } else {
                emit(&bench::format_table(&rows))?;
            }
            let bad = rows
                .iter()
                .filter(|r| r.result.as_ref().map_or(true, |r| r.errors.total() > 0))
                .count();
            if bad > 0 {
                bail!(
                    "bench: {bad} of {} had errors",
                    crate::text::plural(rows.len() as u64, "engine")
                );
            }
            return Ok(());
        }
        let addr = self
            .addr
            .as_deref()
            .expect("clap requires ADDR without --compare");
        let addrs = HostPort::parse(addr, Transport::Tcp)?.resolve(self.family.family())?;
        let cfg = self.config(addrs)?;
        if let Some(hold) = self.idle {
            return idle(&cfg, hold, out, &shutdown);
        }
        let bar = progress_bar(out);
        let report = run_with_progress(&cfg, bar.as_ref(), &shutdown);
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let report = report?;
        if out.json() {
            emit(&format!("{}\n", bench::json_report(&report, None)))?;
        } else {
            emit(&bench::human_report(&report))?;
        }
        let e = report.errors;
        if e.total() > 0 {
            bail!(
                "bench: {} against {} (corrupted echo {}, disconnected {}, connect {}, incomplete {}, unanswered {})",
                crate::text::plural(e.total(), "error"),
                report.target,
                e.mismatch,
                e.disconnect,
                e.connect,
                e.incomplete,
                e.unanswered
            );
        }
        Ok(())
    }
}

/// Results are the command's data: stdout, flushed (a closed pipe ends it quietly).
fn emit(text: &str) -> anyhow::Result<()> {
    let mut o = std::io::stdout().lock();
    o.write_all(text.as_bytes())
        .and_then(|()| o.flush())
        .map_err(stdout_error)
}

/// `--idle`: hold the connections, say so on stderr (scripts wait for that line).
fn idle(
    cfg: &BenchConfig,
    hold: Duration,
    out: &Output,
    shutdown: &Shutdown,
) -> anyhow::Result<()> {
    let target = cfg.addrs[0].to_string();
    let r = bench::hold_idle(
        &cfg.addrs,
        cfg.connections,
        hold,
        cfg.connect_timeout,
        shutdown,
        |n| {
            eprintln!("holding {}", crate::text::plural(n as u64, "connection"));
        },
    )?;
    if out.json() {
        emit(&format!(
            "{}\n",
            crate::output::record(
                "idle",
                json!({"target": target, "requested": r.requested,
                   "connected": r.connected, "still_served": r.still_served,
                   "hold_ms": hold.as_millis() as u64})
            )
        ))?;
    } else {
        emit(&format!(
            "idle {target}: {} of {} opened and echoed; {} still echoed after {}\n",
            r.connected,
            crate::text::plural(r.requested as u64, "connection"),
            r.still_served,
            crate::text::duration(hold)
        ))?;
    }
    if r.connected < r.requested || r.still_served < r.connected {
        bail!(
            "bench: only {} of {} idle connections were served throughout",
            r.still_served,
            r.requested
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_bytes("64"), Ok(64));
        assert_eq!(parse_bytes("16K"), Ok(16 * 1024));
        assert_eq!(parse_bytes("1GiB"), Ok(1 << 30));
        assert_eq!(parse_bytes("2m"), Ok(2 << 20));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("5Q").unwrap_err().contains("unknown size unit"));
        assert!(parse_message_size("0").is_err());
        assert!(parse_message_size("17M").is_err());
        assert!(parse_bulk_size("0").is_err());
    }

    #[test]
    fn engine_lists_parse() {
        assert_eq!(parse_engines("all").unwrap(), EngineKind::ALL.to_vec());
        assert_eq!(
            parse_engines("thread, fork").unwrap(),
            vec![EngineKind::Thread, EngineKind::Fork]
        );
        let err = parse_engines("fork,nope").unwrap_err().to_string();
        assert!(err.contains("valid engines"), "{err}");
    }
}

//! `tcp-echo bench --compare`: the engine study. For each engine, start this very
//! binary as `tcp-echo serve --engine E -l 127.0.0.1:0`, learn its port from the
//! `listening on ADDR` line, run the same load against it, stop it with SIGTERM, and
//! collect one row per engine — with the server's CPU time over the run (see
//! [`super::cpu`]), so each row says what a round trip cost the server.
//!
//! `--background N` (and `--sweep N,N,…`) first holds N idle connections open to the
//! server: the course's scaling lesson made visible. select(2) and poll(2) hand the
//! kernel every descriptor on every call, so their cost per round trip grows with N;
//! epoll and io_uring keep the interest list in the kernel and stay flat. select
//! cannot watch descriptors past `FD_SETSIZE` at all: such rows say so instead of
//! being run into a storm of refused connections, and fork and thread are not given
//! more than [`MAX_TASK_BACKGROUND`] idle connections (each would be a process or a
//! thread of its own).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::idle::{RESERVED_FDS, fd_budget, open_idle};
use super::{BenchConfig, BenchReport, run};
use crate::engine::EngineKind;
use crate::net::signals::Shutdown;

/// How long a server may take to print its `listening on` line, and to exit.
const SERVER_TIMEOUT: Duration = Duration::from_secs(10);

/// The most idle connections given to an engine with a process or thread per
/// connection.
pub const MAX_TASK_BACKGROUND: usize = 1000;

/// One engine at one background level.
#[derive(Debug)]
pub struct CompareRow {
    pub engine: String,
    /// Idle connections held open to the server during the run.
    pub background: usize,
    pub outcome: Outcome,
}

/// What became of one row.
#[derive(Debug)]
pub enum Outcome {
    /// Measured: the load's report and the server's CPU time during it.
    Measured {
        report: BenchReport,
        server_cpu: Option<Duration>,
    },
    /// Not run, on purpose: the engine cannot (select past `FD_SETSIZE`) or should not
    /// (a process per idle connection) take this many connections.
    Skipped(String),
    /// Could not be measured.
    Failed(String),
}

impl CompareRow {
    /// Whether the row counts as a failure (failed, or measured with errors).
    pub fn bad(&self) -> bool {
        match &self.outcome {
            Outcome::Measured { report, .. } => report.errors.total() > 0,
            Outcome::Skipped(_) => false,
            Outcome::Failed(_) => true,
        }
    }

    /// Microseconds of server CPU per round trip.
    pub fn server_us_per_rt(&self) -> Option<f64> {
        match &self.outcome {
            Outcome::Measured {
                report,
                server_cpu: Some(cpu),
            } if report.round_trips > 0 => {
                Some(cpu.as_secs_f64() * 1e6 / report.round_trips as f64)
            }
            _ => None,
        }
    }
}

/// Why `engine` is not run with `background` idle connections beside `active` ones.
fn skip_reason(engine: EngineKind, background: usize, active: usize) -> Option<String> {
    let caps = engine.capabilities();
    let need = background + active + RESERVED_FDS as usize;
    if let Some(ceiling) = caps.fd_ceiling.filter(|&c| need > c) {
        return Some(format!(
            "refused: select(2) cannot watch descriptors past FD_SETSIZE ({ceiling}); \
             {background} idle + {active} active connections need more"
        ));
    }
    if caps.task_per_connection && background > MAX_TASK_BACKGROUND {
        let what = if engine == EngineKind::Fork {
            "processes"
        } else {
            "threads"
        };
        return Some(format!(
            "not run: {background} idle connections would be {background} {what} (at most {MAX_TASK_BACKGROUND})"
        ));
    }
    None
}

/// A local echo server child, stopped (SIGTERM, then SIGKILL) when dropped.
struct LocalServer {
    child: Child,
    addr: std::net::SocketAddr,
}

impl LocalServer {
    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn start(engine: EngineKind) -> anyhow::Result<LocalServer> {
        let exe = std::env::current_exe().context("find the nettool binary")?;
        let mut child = Command::new(exe)
            .args(["-q", "tcp-echo", "serve", "--engine", engine.name()])
            .args(["-l", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .context("start a local echo server")?;
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                // Only the first line is awaited; later ones (errors) go to the log.
                if tx.send(line.clone()).is_err() {
                    log::info!("{engine} server: {line}");
                }
            }
        });
        let mut server = LocalServer {
            child,
            addr: "127.0.0.1:0".parse().expect("literal address"),
        };
        let first = rx
            .recv_timeout(SERVER_TIMEOUT)
            .map_err(|_| anyhow!("the {engine} server printed no `listening on` line"))?;
        let Some(addr) = first.strip_prefix("listening on ") else {
            bail!("the {engine} server said {first:?}");
        };
        server.addr = addr.parse().with_context(|| format!("parse {addr:?}"))?;
        Ok(server)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        let pid = Pid::from_raw(self.child.id() as i32);
        let _ = kill(pid, Signal::SIGTERM);
        let deadline = Instant::now() + SERVER_TIMEOUT;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `cfg` (its addresses are ignored) against a fresh local server per engine, once
/// per `backgrounds` level (ascending; idle connections are added between levels);
/// `on_row` sees each row as soon as it is measured. SIGINT/SIGTERM end the whole
/// comparison (`Err(Interrupted)`; each server is stopped as it is dropped).
pub fn compare(
    engines: &[EngineKind],
    cfg: &BenchConfig,
    backgrounds: &[usize],
    shutdown: &Shutdown,
    mut on_row: impl FnMut(&CompareRow),
) -> anyhow::Result<Vec<CompareRow>> {
    let mut levels = backgrounds.to_vec();
    levels.sort_unstable();
    levels.dedup();
    if levels.is_empty() {
        levels.push(0);
    }
    let most = *levels.last().expect("one level");
    fd_budget(most + cfg.connections, "bench --compare")?;
    let mut rows = Vec::with_capacity(engines.len() * levels.len());
    for &engine in engines {
        shutdown.check()?;
        let mut server = LocalServer::start(engine).map_err(|e| crate::error::render(&e));
        let mut idle = Vec::new();
        for &background in &levels {
            shutdown.check()?;
            let outcome = match (
                &mut server,
                skip_reason(engine, background, cfg.connections),
            ) {
                (_, Some(why)) => Outcome::Skipped(why),
                (Err(e), None) => Outcome::Failed(e.clone()),
                (Ok(server), None) => measure(server, cfg, background, &mut idle, shutdown)?,
            };
            let row = CompareRow {
                engine: engine.name().to_string(),
                background,
                outcome,
            };
            on_row(&row);
            rows.push(row);
        }
        drop(idle);
    }
    Ok(rows)
}

/// Top the idle connections up to `background`, then run the load and read the
/// server's CPU time around it.
fn measure(
    server: &LocalServer,
    cfg: &BenchConfig,
    background: usize,
    idle: &mut Vec<crate::net::trace::Closing<socket2::Socket>>,
    shutdown: &Shutdown,
) -> anyhow::Result<Outcome> {
    let addrs = [server.addr];
    let have = idle.len();
    if background > have {
        let more = open_idle(&addrs, have..background, cfg.connect_timeout, shutdown)?;
        let opened = more.len();
        idle.extend(more);
        if opened < background - have {
            return Ok(Outcome::Failed(format!(
                "only {} of {background} idle connections were served",
                idle.len()
            )));
        }
    }
    let cfg = BenchConfig {
        addrs: addrs.to_vec(),
        ..cfg.clone()
    };
    let before = super::cpu::tree_cpu(server.pid());
    let result = run(&cfg, None, shutdown);
    // A fork server's children for the closed connections are reaped (their time moves
    // to the parent's `cutime`) within moments; read once they are.
    let settle = std::time::Instant::now() + Duration::from_secs(2);
    while super::cpu::live_children(server.pid()) > idle.len() && std::time::Instant::now() < settle
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let after = super::cpu::tree_cpu(server.pid());
    shutdown.check()?;
    Ok(match result {
        Ok(report) => Outcome::Measured {
            report,
            server_cpu: before.zip(after).map(|(b, a)| a.saturating_sub(b)),
        },
        Err(e) => Outcome::Failed(crate::error::render(&e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_that_cannot_run_say_why() {
        assert_eq!(skip_reason(EngineKind::Select, 0, 100), None);
        let s = skip_reason(EngineKind::Select, 1000, 100).unwrap();
        assert!(
            s.starts_with("refused: select(2) cannot watch descriptors past FD_SETSIZE (1024)"),
            "{s}"
        );
        assert_eq!(skip_reason(EngineKind::Poll, 10_000, 100), None);
        assert_eq!(skip_reason(EngineKind::IoUring, 10_000, 100), None);
        assert_eq!(skip_reason(EngineKind::Fork, 1000, 100), None);
        assert!(
            skip_reason(EngineKind::Fork, 5000, 100)
                .unwrap()
                .contains("5000 processes")
        );
        assert!(
            skip_reason(EngineKind::Thread, 5000, 100)
                .unwrap()
                .contains("5000 threads")
        );
    }
}

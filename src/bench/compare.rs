//! `tcp-echo bench --compare`: the engine study. For each engine, start this very
//! binary as `tcp-echo serve --engine E -l 127.0.0.1:0`, learn its port from the
//! `listening on ADDR` line, run the same load against it, read the CPU time the
//! server used (`/proc/PID/stat`: user + system, reaped children included — fork's
//! work is done in children), stop it with SIGTERM, and collect one row per engine.
//! On a small machine the load generator saturates first: the server's CPU time
//! beside its rate says what each round trip cost it (busy-poll burns a core).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::{BenchConfig, BenchReport, run};
use crate::engine::EngineKind;
use crate::net::signals::Shutdown;

/// How long a server may take to print its `listening on` line, and to exit.
const SERVER_TIMEOUT: Duration = Duration::from_secs(10);

/// One engine's outcome: its report, or why it could not be measured.
#[derive(Debug)]
pub struct CompareRow {
    pub engine: String,
    pub result: Result<BenchReport, String>,
    /// CPU time the server used during the load (None where /proc could not say).
    pub server_cpu: Option<Duration>,
}

/// User + system time of `pid` and its waited-for children, from `/proc/PID/stat`
/// (fields 14–17, in clock ticks).
fn cpu_of(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state …`: comm may hold spaces, so count fields after the last ')'.
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|x| x.parse().ok())
        .collect();
    let hz = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .unwrap_or(100);
    (f.len() == 4 && hz > 0)
        .then(|| Duration::from_millis(f.iter().sum::<u64>() * 1000 / hz as u64))
}

/// A local echo server child, stopped (SIGTERM, then SIGKILL) when dropped.
struct LocalServer {
    child: Child,
    addr: std::net::SocketAddr,
}

impl LocalServer {
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

/// Run `cfg` (its addresses are ignored) against a fresh local server per engine;
/// `on_row` sees each row as soon as it is measured. SIGINT/SIGTERM end the whole
/// comparison (`Err(Interrupted)`; each server is stopped as it is dropped).
pub fn compare(
    engines: &[EngineKind],
    cfg: &BenchConfig,
    shutdown: &Shutdown,
    mut on_row: impl FnMut(&CompareRow),
) -> anyhow::Result<Vec<CompareRow>> {
    let mut rows = Vec::with_capacity(engines.len());
    for &engine in engines {
        shutdown.check()?;
        let mut server_cpu = None;
        let result = LocalServer::start(engine).and_then(|server| {
            let cfg = BenchConfig {
                addrs: vec![server.addr],
                ..cfg.clone()
            };
            let before = cpu_of(server.child.id());
            let r = run(&cfg, None, shutdown);
            server_cpu = before
                .zip(cpu_of(server.child.id()))
                .map(|(b, a)| a.saturating_sub(b));
            r
        });
        shutdown.check()?;
        let row = CompareRow {
            engine: engine.name().to_string(),
            result: result.map_err(|e| crate::error::render(&e)),
            server_cpu,
        };
        on_row(&row);
        rows.push(row);
    }
    Ok(rows)
}

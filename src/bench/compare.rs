//! `tcp-echo bench --compare`: the engine study. For each engine, start this very
//! binary as `tcp-echo serve --engine E -l 127.0.0.1:0`, learn its port from the
//! `listening on ADDR` line, run the same load against it, stop it with SIGTERM, and
//! collect one row per engine.

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
        let result = LocalServer::start(engine).and_then(|server| {
            let cfg = BenchConfig {
                addrs: vec![server.addr],
                ..cfg.clone()
            };
            run(&cfg, None, shutdown)
        });
        shutdown.check()?;
        let row = CompareRow {
            engine: engine.name().to_string(),
            result: result.map_err(|e| crate::error::render(&e)),
        };
        on_row(&row);
        rows.push(row);
    }
    Ok(rows)
}

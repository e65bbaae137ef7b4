//! `--workers N`: N independent engine instances in one process, each on its own
//! listening socket bound to the same address with `SO_REUSEPORT` (socket(7)); the
//! kernel spreads incoming connections among the listeners by a hash of the
//! connection's addresses. No lock is shared between the workers (nginx's model with
//! `reuseport`). Each worker runs [`super::serve`] in its own thread; SIGINT/SIGTERM
//! reach them all, and their summaries are added up.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use socket2::Socket;

use super::service::ServiceFactory;
use super::{EngineKind, ServerConfig, ServerSummary, serve};
use crate::net::signals::Shutdown;
use crate::net::socket::{ListenOpts, tcp_listener};
use crate::output::Output;

/// `n` listeners on `addr`, all with `SO_REUSEPORT`. With port 0 the first one picks
/// the port and the others join it.
pub fn reuseport_listeners(addr: SocketAddr, n: usize) -> anyhow::Result<Vec<Socket>> {
    let opts = ListenOpts {
        reuse_port: n > 1,
        ..ListenOpts::default()
    };
    let first = tcp_listener(addr, &opts)?;
    let bound = first
        .local_addr()?
        .as_socket()
        .context("listener has no IP address")?;
    let mut all = vec![first];
    for _ in 1..n {
        all.push(tcp_listener(bound, &opts)?);
    }
    Ok(all)
}

/// Serve on every listener, one engine instance (thread) each, until SIGINT/SIGTERM.
/// `config.max_connections` applies to each worker.
pub fn serve_workers<F: ServiceFactory>(
    kind: EngineKind,
    listeners: Vec<Socket>,
    factory: Arc<F>,
    config: &ServerConfig,
    out: &Output,
    shutdown: &Shutdown,
) -> anyhow::Result<ServerSummary> {
    let started = Instant::now();
    let mut listeners = listeners;
    if listeners.len() == 1 {
        let l = listeners.pop().expect("one listener");
        return serve(kind, l, factory, config, out, shutdown);
    }
    let results: Vec<anyhow::Result<ServerSummary>> = std::thread::scope(|s| {
        let handles: Vec<_> = listeners
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let factory = Arc::clone(&factory);
                std::thread::Builder::new()
                    .name(format!("worker-{i}"))
                    .spawn_scoped(s, move || serve(kind, l, factory, config, out, shutdown))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker thread panicked"))),
                Err(e) => Err(anyhow::Error::from(e).context("start a worker thread")),
            })
            .collect()
    });
    let mut total = ServerSummary::default();
    for r in results {
        let s = r?;
        total.accepted += s.accepted;
        total.refused += s.refused;
        total.peak_connections += s.peak_connections;
        total.bytes_in += s.bytes_in;
        total.bytes_out += s.bytes_out;
    }
    total.duration = started.elapsed();
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_share_one_port() {
        let ls = reuseport_listeners("127.0.0.1:0".parse().unwrap(), 3).unwrap();
        let ports: Vec<u16> = ls
            .iter()
            .map(|l| l.local_addr().unwrap().as_socket().unwrap().port())
            .collect();
        assert!(ports.iter().all(|&p| p == ports[0] && p != 0), "{ports:?}");
    }
}

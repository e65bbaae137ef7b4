//! `--workers N`: N engine instances in one process, each on its own listening socket
//! bound to the same address with `SO_REUSEPORT` (socket(7)); the kernel spreads
//! incoming connections among the listeners by a hash of the connection's addresses.
//! No lock is shared on the hot path (nginx's model with `reuseport`): each worker
//! runs its own loop in its own thread; they share only the atomic counters, so the
//! server's summary, peak and `--max-connections` are the whole server's.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use socket2::Socket;

use super::service::ServiceFactory;
use super::{EngineCtx, Instance};
use crate::net::socket::{ListenOpts, tcp_listener};

/// `n` listeners on `addr` with `opts`, all with `SO_REUSEPORT` when `n > 1`. With
/// port 0 the first one picks the port and the others join it.
pub fn reuseport_listeners(
    addr: SocketAddr,
    n: usize,
    opts: &ListenOpts,
) -> anyhow::Result<Vec<Socket>> {
    let opts = ListenOpts {
        reuse_port: opts.reuse_port || n > 1,
        ..opts.clone()
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

/// Run every prepared engine instance until SIGINT/SIGTERM: one inline, several in
/// threads of their own (the stop is sticky on the shared self-pipe, so it reaches
/// them all). The first error any of them returns is the result.
pub(super) fn run_all<F: ServiceFactory>(
    mut instances: Vec<Instance>,
    factory: &Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    if instances.len() == 1 {
        let one = instances.pop().expect("one instance");
        return one.run(Arc::clone(factory), ctx);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = instances
            .into_iter()
            .enumerate()
            .map(|(i, instance)| {
                let factory = Arc::clone(factory);
                std::thread::Builder::new()
                    .name(format!("worker-{i}"))
                    .spawn_scoped(s, move || instance.run(factory, ctx))
            })
            .collect();
        let mut result = Ok(());
        for h in handles {
            let r = match h {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a worker thread panicked"))),
                Err(e) => Err(anyhow::Error::from(e).context("start a worker thread")),
            };
            if result.is_ok() {
                result = r;
            }
        }
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_share_one_port() {
        let ls =
            reuseport_listeners("127.0.0.1:0".parse().unwrap(), 3, &ListenOpts::default()).unwrap();
        let ports: Vec<u16> = ls
            .iter()
            .map(|l| l.local_addr().unwrap().as_socket().unwrap().port())
            .collect();
        assert!(ports.iter().all(|&p| p == ports[0] && p != 0), "{ports:?}");
    }
}

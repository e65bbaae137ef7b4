//! Thread per connection: the accept loop hands each new connection to its own
//! thread, which runs the blocking loop. Simple and fair, but every connection costs a
//! thread stack and a context switch.
//!
//! The accept loop polls the listener together with the shutdown self-pipe, so SIGINT
//! wakes it. At shutdown every live connection is `shutdown(SHUT_RD)`: its thread reads
//! EOF, sends what is still queued, and exits; then the threads are joined.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use socket2::Socket;

use super::EngineCtx;
use super::blocking::serve_conn;
use super::service::ServiceFactory;
use crate::engine::accept::{Accepted, Acceptor};
use crate::net::signals::Shutdown;

pub fn run<F: ServiceFactory>(
    listener: Socket,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let shutdown = Shutdown::install_with_stats().context("install signal handlers")?;
    let mut acceptor = Acceptor::new(listener)?;
    let live: Arc<Mutex<HashMap<u64, Socket>>> = Arc::default();
    let mut threads = Vec::new();

    while shutdown.requested().is_none() {
        let (sock, peer) = match acceptor.accept_blocking(&shutdown, ctx)? {
            Accepted::Conn(sock, peer) => (sock, peer),
            Accepted::Stop => break,
            Accepted::Retry => continue,
        };
        let Some(info) = acceptor.admit(&sock, &peer, &*factory, ctx) else {
            continue;
        };
        let id = info.id;
        if let Ok(clone) = sock.try_clone() {
            live.lock().expect("live map").insert(id, clone);
        }
        ctx.log_open(id, &peer);
        let factory = Arc::clone(&factory);
        let config = ctx.config.clone();
        let counters = Arc::clone(&ctx.counters);
        let out = ctx.out.clone();
        let live_map = Arc::clone(&live);
        let tap = ctx.tap(id);
        let started = ctx.started;
        let spawned = std::thread::Builder::new()
            .name(format!("conn-{id}"))
            .spawn(move || {
                let mut svc = factory.open(&info);
                let r = serve_conn(&sock, &mut svc, &config, &tap);
                live_map.lock().expect("live map").remove(&id);
                counters.closed();
                let ctx = EngineCtx {
                    config: &config,
                    out: &out,
                    counters: Arc::clone(&counters),
                    started,
                };
                ctx.log_close(id, &info.peer, r.bytes_in, r.bytes_out, r.reason);
            });
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(e) => {
                live.lock().expect("live map").remove(&id);
                ctx.counters.closed();
                ctx.out.warn(&format!(
                    "cannot start a thread for {peer}: {}",
                    crate::os_error::describe(&e)
                ));
            }
        }
        threads.retain(|t| !t.is_finished());
    }

    for sock in live.lock().expect("live map").values() {
        let _ = sock.shutdown(std::net::Shutdown::Read);
    }
    for t in threads {
        let _ = t.join();
    }
    Ok(())
}

//! Thread per connection: the accept loop hands each new connection to its own
//! thread, which runs the blocking driver. Simple and fair, but every connection costs
//! a thread stack and a context switch.
//!
//! The accept loop waits for the listener together with the shutdown self-pipe, so
//! SIGINT wakes it. At shutdown every live connection is `shutdown(SHUT_RD)`: its
//! thread reads EOF, sends what is still queued, and exits; then the threads are
//! joined (they are scoped: none outlives the engine).
//!
//! The accept loop and a connection's thread share the socket itself (an `Arc`),
//! not a `dup(2)` of its descriptor: a connection costs one descriptor, so the
//! connection ceiling is the descriptor limit, not half of it.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use socket2::Socket;

use super::blocking::serve_conn;
use super::service::ServiceFactory;
use super::{CloseReason, ConnResult, EngineCtx};
use crate::engine::accept::{Accepted, Acceptor};

/// Live connections by id, for the shutdown that ends them.
type Live = Mutex<HashMap<u64, Arc<Socket>>>;

pub fn run<F: ServiceFactory>(
    mut acceptor: Acceptor,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let live: Live = Mutex::default();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let result = loop {
            let (sock, peer) = match acceptor.accept_blocking(ctx) {
                Ok(Accepted::Conn(sock, peer)) => (sock, peer),
                Ok(Accepted::Stop) => break Ok(()),
                Ok(Accepted::Retry) => continue,
                Err(e) => break Err(e),
            };
            let Some((info, slot)) = acceptor.admit(&sock, peer, &*factory, ctx) else {
                continue;
            };
            let id = info.id;
            let sock = Arc::new(sock);
            live.lock().expect("live map").insert(id, Arc::clone(&sock));
            ctx.log_open(id, &info.peer);
            let (factory, live) = (&factory, &live);
            let spawned = std::thread::Builder::new()
                .name(format!("conn-{id}"))
                .spawn_scoped(scope, move || {
                    // A panic in the service ends this connection, never the server.
                    let r = catch_unwind(AssertUnwindSafe(|| {
                        serve_conn(
                            &sock,
                            factory.open(&info),
                            ctx.config,
                            &ctx.tap(id),
                            Some(ctx.shutdown),
                        )
                    }))
                    .unwrap_or(ConnResult {
                        bytes_in: 0,
                        bytes_out: 0,
                        reason: CloseReason::Error,
                    });
                    // Out of the map before the socket closes: the shutdown below only
                    // ever touches sockets that are still open. The slot is free
                    // before the peer sees the close.
                    live.lock().expect("live map").remove(&id);
                    drop(slot);
                    // The last owner now: its close(2) is the connection's end.
                    if let Ok(sock) = Arc::try_unwrap(sock) {
                        crate::net::trace::close(sock);
                    }
                    ctx.log_close(id, &info.peer, &r);
                });
            if let Err(e) = spawned {
                live.lock().expect("live map").remove(&id);
                ctx.out.warn(&format!(
                    "cannot start a thread for connection {id}: {}",
                    crate::os_error::describe(&e)
                ));
            }
        };
        for sock in live.lock().expect("live map").values() {
            let _ = crate::net::trace::shutdown(sock, std::net::Shutdown::Read);
        }
        result
    })
}

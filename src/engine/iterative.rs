//! The iterative server, the first rung of the course's ladder: one client at a time.
//! Accept one connection, serve it to the end with blocking reads and writes, close
//! it, and only then accept the next. A second client is not refused: the kernel
//! finishes its handshake and keeps it in the listener's **backlog** (the accept
//! queue, listen(2)), where `nettool stat -tl` shows it as the listener's Recv-Q, and
//! whatever it sends waits in its socket's receive buffer until its turn comes.
//!
//! It is the blocking driver ([`super::blocking`]) with no thread or process around
//! it. With nobody else to stop a connection at shutdown, each read first waits for
//! the socket and the server's shutdown pipe together
//! ([`super::blocking::serve_conn_watching`]): SIGINT/SIGTERM end the connection the
//! way the thread engine does (read side shut, queued output sent), and SIGUSR1 is
//! answered even in the middle of a connection.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::accept::{Accepted, Acceptor};
use super::blocking::serve_conn_watching;
use super::service::ServiceFactory;
use super::{CloseReason, ConnResult, EngineCtx};

/// Serve connections one after another until SIGINT/SIGTERM.
pub fn run<F: ServiceFactory>(
    mut acceptor: Acceptor,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    loop {
        let (sock, peer) = match acceptor.accept_blocking(ctx)? {
            Accepted::Conn(sock, peer) => (sock, peer),
            Accepted::Stop => return Ok(()),
            Accepted::Retry => continue,
        };
        let Some((info, slot)) = acceptor.admit(&sock, peer, &*factory, ctx) else {
            continue;
        };
        let id = info.id;
        ctx.log_open(id, &info.peer);
        // A panic in the service ends this connection, never the server.
        let r = catch_unwind(AssertUnwindSafe(|| {
            serve_conn_watching(&sock, factory.open(&info), ctx, &ctx.tap(id))
        }))
        .unwrap_or(ConnResult {
            bytes_in: 0,
            bytes_out: 0,
            reason: CloseReason::Error,
        });
        // The slot is free before the peer sees the close.
        drop(slot);
        crate::net::trace::close(sock);
        ctx.log_close(id, &info.peer, &r);
    }
}

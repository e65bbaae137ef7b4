//! Busy polling, the rung between blocking I/O and a selector: every socket is
//! non-blocking (`O_NONBLOCK`, fcntl(2)) and one thread asks each of them in turn —
//! `accept` on the listener, `read` on every connection, `write` where output waits —
//! in an endless loop, with no `select`/`poll`/`epoll` to say which one is ready.
//! It is correct (every client is served, none blocks another) and it burns a whole
//! core doing it: nearly every call returns `EAGAIN`. The summary shows the cost —
//! the CPU time beside the other engines' in `tcp-echo bench --compare`, and the
//! engine counters' EAGAINs against zero waits.
//!
//! An idle pass yields the processor (`sched_yield(2)`) so other processes on the
//! machine still run; it keeps the core busy all the same. Connections are the same
//! [`NbConn`]s the event loops drive, on the same connection core; the listener and
//! the shutdown flags are checked once per pass.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::accept::Acceptor;
use super::event_loop::{ACCEPT_BUDGET, DRAIN_LIMIT};
use super::nbconn::{NbConn, READ_CHUNK, admit, sweep_interval};
use super::service::ServiceFactory;
use super::{CloseReason, EngineCtx};

/// Poll everything until SIGINT/SIGTERM, then drain and close.
pub fn run<F: ServiceFactory>(
    mut acceptor: Acceptor,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let mut conns: Vec<NbConn<F::Service>> = Vec::new();
    let mut buf = vec![0u8; READ_CHUNK];
    let sweep_every = sweep_interval(ctx.config);
    let mut next_sweep = Instant::now() + sweep_every;
    while ctx.shutdown.requested().is_none() {
        if ctx.shutdown.take_stats_request() {
            // Nobody waits on the self-pipe here: empty it by hand.
            ctx.shutdown.drain();
            super::report_live(ctx.out, &ctx.counters.summary(ctx.started));
        }
        let mut busy = accept_some(&mut acceptor, &mut conns, &*factory, ctx);
        for c in &mut conns {
            let moved = (c.bytes_in, c.bytes_out);
            if c.wants_write() {
                c.on_writable();
            }
            if c.wants_read() {
                c.on_readable(&mut buf, 1);
            }
            busy |= moved != (c.bytes_in, c.bytes_out) || c.finished().is_some();
        }
        let now = Instant::now();
        if now >= next_sweep {
            for c in &mut conns {
                c.check_timers(now, ctx.config);
            }
            next_sweep = now + sweep_every;
        }
        close_finished(&mut conns, ctx);
        if !busy {
            std::thread::yield_now();
        }
    }
    drain(conns, ctx);
    Ok(())
}

/// Accept what the queue holds, up to the budget; whether anything came.
fn accept_some<F: ServiceFactory>(
    acceptor: &mut Acceptor,
    conns: &mut Vec<NbConn<F::Service>>,
    factory: &F,
    ctx: &EngineCtx<'_>,
) -> bool {
    for n in 0..ACCEPT_BUDGET {
        match acceptor.try_accept(ctx) {
            Ok(Some((sock, peer))) => {
                if let Some(conn) = admit(acceptor, sock, peer, factory, ctx) {
                    conns.push(conn);
                }
            }
            Ok(None) => return n > 0,
            Err(e) => {
                ctx.out
                    .warn(&format!("accept: {}", crate::os_error::describe(&e)));
                return n > 0;
            }
        }
    }
    true
}

fn close_finished<S: super::service::Service>(conns: &mut Vec<NbConn<S>>, ctx: &EngineCtx<'_>) {
    let mut i = 0;
    while i < conns.len() {
        if conns[i].finished().is_some() {
            conns.swap_remove(i).close(ctx);
        } else {
            i += 1;
        }
    }
}

/// Graceful stop, as the event loops do it: read nothing more, close the idle
/// connections, keep sending what the others have queued for at most
/// [`DRAIN_LIMIT`] (still by polling), then close them all.
fn drain<S: super::service::Service>(mut conns: Vec<NbConn<S>>, ctx: &EngineCtx<'_>) {
    let deadline = Instant::now() + DRAIN_LIMIT;
    loop {
        for c in &mut conns {
            if c.wants_write() {
                c.on_writable();
            }
            if !c.wants_write() {
                c.abort(CloseReason::Shutdown);
            }
        }
        close_finished(&mut conns, ctx);
        if conns.is_empty() || Instant::now() >= deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    for mut c in conns {
        c.abort(CloseReason::Shutdown);
        c.close(ctx);
    }
}

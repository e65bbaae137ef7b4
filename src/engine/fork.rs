//! Process per connection, the oldest Unix server design (inetd, early Apache): the
//! parent only accepts; for each connection it `fork(2)`s, closes its own copy of the
//! connection fd and goes back to `accept`. The child closes the listener, runs the
//! same blocking loop as the thread engine ([`super::blocking::serve_conn`]) and
//! leaves with `_exit(2)`. A crash in one child cannot touch another connection.
//!
//! What the parent must get right:
//! * **Zombies.** A child that exits stays a zombie until its parent `waitpid`s it.
//!   SIGCHLD is caught with `sigaction` (`SA_NOCLDSTOP`: stopped children are not our
//!   business; no `SA_RESTART`, so a blocked call returns `EINTR`); its handler only
//!   writes a byte to a self-pipe, and the accept loop, which polls that pipe, reaps
//!   with `waitpid(-1, WNOHANG)` *in a loop*: signals do not queue, so one SIGCHLD may
//!   stand for many exits. `-v` shows the life cycle: `child PID serves connection N`
//!   at the fork, `reaped PID (exit 0)` at the `waitpid`.
//! * **`--no-reap`**, the lesson by omission: the parent still reads each child's
//!   report (the connection is over and counted) but does not call `waitpid`, so every
//!   finished child stays a zombie — `ps -o pid,stat,cmd --ppid PID` shows them as
//!   `Z <defunct>` — until the server exits and reaps them all.
//! * **Counting.** Counters live in the parent's memory; a child cannot add to them. Each
//!   child writes one fixed-size record (pid, bytes in/out, close reason) into a shared
//!   pipe just before `_exit`; records are shorter than `PIPE_BUF`, so writes from many
//!   children never interleave (pipe(7)).
//! * **Shutdown.** SIGINT/SIGTERM wake the accept wait through the
//!   [`Shutdown`](crate::net::signals::Shutdown) self-pipe. The parent closes the listener and sends each live child
//!   SIGTERM; the child's handler does `shutdown(fd, SHUT_RD)`, so the blocking loop
//!   reads EOF, sends what is queued and exits — as the thread engine does. Children
//!   still alive after a grace period are killed; every one is reaped.

use std::collections::HashMap;
use std::io::Write;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid};
use socket2::Socket;

mod report;
mod signals;

use report::{RECORD, decode, encode};
use signals::{SigchldPipe, child_signals};

use super::accept::Acceptor;
use super::blocking::serve_conn;
use super::counts::IoSnapshot;
use super::service::{ConnInfo, ServiceFactory};
use super::stats::Slot;
use super::{CloseReason, ConnResult, EngineCtx};
use crate::net::wait::{Watch, Woke, wait, wait_unsignalled};
use crate::output::Level;
use serde_json::json;

/// How long children may take to finish after SIGTERM before they are killed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Connections accepted per wake-up before the parent looks at its pipes again.
const ACCEPT_BATCH: usize = 64;

/// The parent's plumbing, set up before the server says it is ready: the SIGCHLD
/// self-pipe and the report pipe.
pub struct Prepared {
    acceptor: Acceptor,
    sigchld: SigchldPipe,
    reports_rx: OwnedFd,
    reports_tx: OwnedFd,
}

impl Prepared {
    pub fn new(acceptor: Acceptor) -> anyhow::Result<Prepared> {
        // Refuse at once rather than failing every connection (library use from a
        // multi-threaded program).
        ensure_single_threaded()?;
        let sigchld = SigchldPipe::install().context("install the SIGCHLD handler")?;
        let (reports_rx, reports_tx) =
            nix::unistd::pipe2(OFlag::O_CLOEXEC).context("create the report pipe")?;
        set_nonblocking(&reports_rx)?;
        Ok(Prepared {
            acceptor,
            sigchld,
            reports_rx,
            reports_tx,
        })
    }
}

/// Serve until SIGINT/SIGTERM, then end and reap every child.
pub fn run<F: ServiceFactory>(
    prepared: Prepared,
    factory: Arc<F>,
    ctx: &EngineCtx<'_>,
) -> anyhow::Result<()> {
    let Prepared {
        mut acceptor,
        sigchld,
        reports_rx,
        reports_tx,
    } = prepared;
    let shutdown = ctx.shutdown;
    let mut parent = Parent {
        live: HashMap::new(),
        reports: HashMap::new(),
        partial: Vec::new(),
        reports_rx,
        reap: !ctx.config.no_reap,
        zombies: Vec::new(),
    };

    loop {
        let mut watches = [
            Watch::read(acceptor.listener().as_fd()),
            Watch::read(sigchld.read.as_fd()),
            Watch::read(parent.reports_rx.as_fd()),
        ];
        ctx.counters.io.wait();
        let woke = wait(&mut watches, shutdown, None).context("wait on the listener")?;
        ctx.counters
            .io
            .events(watches.iter().filter(|w| w.ready()).count());
        let listener_ready = watches[0].ready();
        sigchld.drain();
        parent.collect(ctx);
        match woke {
            Woke::Stop(_) => break,
            Woke::Timeout => continue,
            Woke::Ready => ctx.on_wake(),
        }
        if !listener_ready {
            continue;
        }
        for _ in 0..ACCEPT_BATCH {
            let Some((sock, peer)) = acceptor.try_accept(ctx).context("accept")? else {
                break;
            };
            let Some((info, slot)) = acceptor.admit(&sock, peer, &*factory, ctx) else {
                continue;
            };
            let id = info.id;
            // Whatever sits in stdout's buffer would be written twice (once per process).
            let _ = std::io::stdout().flush();
            match fork_single_threaded() {
                Ok(ForkResult::Child) => {
                    // The child never returns into this loop.
                    drop(acceptor);
                    child_main(sock, &*factory, &info, ctx, &reports_tx);
                }
                Ok(ForkResult::Parent { child }) => {
                    // The child has its own copy; the parent's close is not the
                    // connection's end (the kernel counts both descriptors).
                    crate::net::trace::close(sock);
                    ctx.log_open(id, &info.peer);
                    ctx.out.event(
                        Level::Detail,
                        "fork",
                        json!({"pid": child.as_raw(), "id": id}),
                        || format!("child {child} serves connection {id}"),
                    );
                    parent.live.insert(child, (info, slot));
                }
                Err(e) => {
                    ctx.out.warn(&format!(
                        "cannot fork for {}: {}",
                        info.peer,
                        crate::error::render(&e)
                    ));
                }
            }
        }
    }

    // Stop accepting: closing the listener makes new connections fail at once.
    drop(acceptor);
    // From here on every exit is reaped, `--no-reap` or not; the zombies it kept go
    // first (they have exited: their reports came before their exits).
    parent.reap = true;
    for pid in std::mem::take(&mut parent.zombies) {
        if let Ok(status) = waitpid(pid, None) {
            log_reaped(ctx, pid, &status);
        }
    }
    for pid in parent.live.keys() {
        let _ = kill(*pid, Signal::SIGTERM);
    }
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while !parent.live.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            for pid in parent.live.keys() {
                let _ = kill(*pid, Signal::SIGKILL);
            }
            // SIGKILL cannot be refused: block until each one is gone.
            let pids: Vec<Pid> = parent.live.keys().copied().collect();
            for pid in pids {
                if let Ok(status) = waitpid(pid, None) {
                    log_reaped(ctx, pid, &status);
                }
                parent.finish(pid, None, ctx);
            }
            break;
        }
        // Already asked to stop: only the children's exits matter now.
        wait_unsignalled(
            &mut [
                Watch::read(sigchld.read.as_fd()),
                Watch::read(parent.reports_rx.as_fd()),
            ],
            Some(deadline),
        )
        .context("wait for the children")?;
        sigchld.drain();
        parent.collect(ctx);
    }
    Ok(())
}

/// The parent's book-keeping: live children and the reports they sent.
struct Parent {
    /// pid → the connection and its slot: the children not yet reaped.
    live: HashMap<Pid, (ConnInfo, Slot)>,
    /// Reports read from the pipe whose child has not been reaped yet.
    reports: HashMap<Pid, (ConnResult, IoSnapshot)>,
    /// Bytes of a record not yet complete.
    partial: Vec<u8>,
    reports_rx: OwnedFd,
    /// `waitpid` exited children (off under `--no-reap` until shutdown).
    reap: bool,
    /// `--no-reap`: children whose connection is over, left unreaped.
    zombies: Vec<Pid>,
}

impl Parent {
    /// Read every pending report, then reap every exited child.
    fn collect(&mut self, ctx: &EngineCtx<'_>) {
        self.read_reports();
        if !self.reap {
            // `--no-reap`: a report means the connection is over; its process is left
            // as a zombie.
            let reported: Vec<Pid> = self
                .reports
                .keys()
                .filter(|p| self.live.contains_key(p))
                .copied()
                .collect();
            for pid in reported {
                self.finish(pid, Some(0), ctx);
                self.zombies.push(pid);
            }
            return;
        }
        // Reap in a loop: one SIGCHLD may stand for many exited children.
        loop {
            let status = crate::net::trace::waited(|| waitpid(None, Some(WaitPidFlag::WNOHANG)));
            if let Ok(s @ (WaitStatus::Exited(pid, _) | WaitStatus::Signaled(pid, _, _))) = &status
            {
                log_reaped(ctx, *pid, s);
            }
            match status {
                Ok(WaitStatus::Exited(pid, code)) => self.finish(pid, Some(code), ctx),
                Ok(WaitStatus::Signaled(pid, _, _)) => self.finish(pid, None, ctx),
                Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => break,
                Ok(_) => continue,
                Err(Errno::EINTR) => continue,
                Err(_) => break,
            }
        }
    }

    /// Move every complete record waiting in the pipe into `reports`.
    fn read_reports(&mut self) {
        let mut buf = [0u8; RECORD * 64];
        loop {
            match nix::unistd::read(&self.reports_rx, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => self.partial.extend_from_slice(&buf[..n]),
            }
        }
        let whole = self.partial.len() / RECORD * RECORD;
        for rec in self.partial[..whole].chunks_exact(RECORD) {
            let (pid, result, io) = decode(rec);
            self.reports.insert(pid, (result, io));
        }
        self.partial.drain(..whole);
    }

    /// A child is gone: count its bytes and log it.
    fn finish(&mut self, pid: Pid, exit_code: Option<i32>, ctx: &EngineCtx<'_>) {
        let Some((info, slot)) = self.live.remove(&pid) else {
            return;
        };
        let (id, peer) = (info.id, &info.peer);
        if !self.reports.contains_key(&pid) {
            // It may have written its report and exited after our last read: a child
            // writes before it exits, so once reaped its record is in the pipe.
            self.read_reports();
        }
        let (r, io) = self.reports.remove(&pid).unwrap_or((
            ConnResult {
                bytes_in: 0,
                bytes_out: 0,
                reason: CloseReason::Error,
            },
            IoSnapshot::default(),
        ));
        ctx.counters.io.add(&io);
        if exit_code != Some(0) {
            ctx.out.warn(&format!(
                "connection {id} from {peer}: its process ended abnormally ({})",
                exit_code.map_or("killed by a signal".to_string(), |c| format!("exit {c}"))
            ));
        }
        ctx.counters.flowed(r.bytes_in, r.bytes_out);
        drop(slot);
        ctx.log_close(id, peer, &r);
    }
}

/// The child's whole life: serve one connection, report, `_exit`.
///
/// No destructor of the parent's state runs here (`_exit` skips them, and the parent's
/// values are simply abandoned with the address space): in particular the
/// [`Shutdown`](crate::net::signals::Shutdown) registration, which belongs to the parent, is left alone. A panic in
/// the service is caught so it can never unwind back into the parent's accept loop.
fn child_main<F: ServiceFactory>(
    sock: Socket,
    factory: &F,
    info: &ConnInfo,
    ctx: &EngineCtx<'_>,
    report: &OwnedFd,
) -> ! {
    let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if child_signals(sock.as_raw_fd()).is_err() {
            return 1;
        }
        // Counted here for nothing: the parent counts the child's report. The tap still
        // feeds `-x` (the dump file is shared and flushed after every record).
        let tap = super::Tap::new(Default::default(), ctx.config.hexdump.clone(), info.id);
        let r = serve_conn(&sock, factory.open(info), ctx.config, &tap, None);
        crate::net::trace::close(sock);
        let rec = encode(nix::unistd::getpid(), &r, &tap.io().snapshot());
        // Fewer than PIPE_BUF bytes: one atomic write, never interleaved with others.
        match nix::unistd::write(report, &rec) {
            Ok(RECORD) => 0,
            _ => 1,
        }
    }))
    .unwrap_or(101);
    // Anything the service printed must reach the terminal before `_exit`.
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` takes a plain integer and never returns; skipping atexit handlers
    // and destructors is the point (they belong to the parent).
    unsafe { libc::_exit(code) }
}

/// `-v`: `reaped PID (exit 0)`, the status `waitpid` returned.
fn log_reaped(ctx: &EngineCtx<'_>, pid: Pid, status: &WaitStatus) {
    let how = match status {
        WaitStatus::Exited(_, code) => format!("exit {code}"),
        WaitStatus::Signaled(_, sig, _) => format!("killed by {sig}"),
        other => format!("{other:?}"),
    };
    ctx.out.event(
        Level::Detail,
        "reaped",
        json!({"pid": pid.as_raw(), "status": how}),
        || format!("reaped {pid} ({how})"),
    );
}

/// Fail unless this process has exactly one thread (counted in `/proc/self/task`).
fn ensure_single_threaded() -> anyhow::Result<()> {
    let threads = std::fs::read_dir("/proc/self/task")
        .map(|d| d.count())
        .unwrap_or(1);
    if threads != 1 {
        bail!("the fork engine needs a single-threaded process, this one has {threads} threads");
    }
    Ok(())
}

/// `fork(2)`, refusing when the process has more than one thread.
///
/// nix marks `fork` unsafe because, in a multi-threaded process, the child gets only
/// the calling thread: a lock another thread held (the allocator's, stdout's) stays
/// locked forever, so the child may only call async-signal-safe functions. This engine
/// keeps nettool single-threaded (the accept loop runs on the main thread, no engine or
/// output helper starts a thread), and this wrapper checks it (`/proc/self/task`)
/// before every fork, so the child may allocate, log and run the service like any
/// program.
fn fork_single_threaded() -> anyhow::Result<ForkResult> {
    ensure_single_threaded()?;
    Ok(crate::net::trace::lifecycle("fork", Vec::new, || {
        // SAFETY: the process has exactly one thread (checked just above, and no other
        // code runs concurrently to start one), so the child inherits no lock held by
        // another thread and may run ordinary code.
        Ok(unsafe { nix::unistd::fork() }?)
    })?)
}

fn set_nonblocking(fd: &OwnedFd) -> anyhow::Result<()> {
    use nix::fcntl::{FcntlArg, fcntl};
    let flags = OFlag::from_bits_truncate(fcntl(fd, FcntlArg::F_GETFL)?);
    fcntl(fd, FcntlArg::F_SETFL(flags | OFlag::O_NONBLOCK))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_fork_a_multi_threaded_process() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let helper = std::thread::spawn(move || rx.recv());
        let err = ensure_single_threaded().unwrap_err().to_string();
        assert!(err.contains("single-threaded"), "{err}");
        drop(tx);
        let _ = helper.join();
    }
}

//! The hub's descriptors in an event loop ([`super::hub`]): stdin read and posted to
//! every connection, stdout written from the hub's queue — watched by the loop's
//! selector beside the sockets, but never made non-blocking (they are shared with
//! whoever started us: a terminal, a pipe, a file).
//!
//! So readiness is asked of `poll(2)` with a zero timeout right before each read or
//! write, whatever the selector's trigger: a blocking descriptor is only read or
//! written when that cannot block, and an edge-triggered selector (which would not
//! report again a descriptor we stopped short of draining) only wakes the loop.
//! Writes go in pieces of at most `PIPE_BUF`, which a writable pipe takes without
//! blocking. A descriptor epoll refuses (a regular file or `/dev/null`: `EPERM`) is
//! always ready: the loop then does not sleep while it has work for it.
//!
//! The listener's own limits live here too: `-w` ends it once it has had no client
//! for that long, `--eof-timeout` that long after stdin ended.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::CloseReason;
use super::hub::{Hub, HubMsg};
use super::nbconn::NbConn;
use super::selector::{Interest, Selector, Token};
use super::service::{OUTBOX_HIGH_WATER, OutItem, Service};
use crate::error::{StdoutClosed, stdout_error};
use crate::net::wait::{Watch, wait_unsignalled};
use crate::output::Output;

/// The selector tokens of stdin and stdout (the event loop's connections start after).
pub const STDIN: Token = Token(2);
pub const STDOUT: Token = Token(3);

/// A client whose buffer is full (it holds the sources back) and that has taken
/// nothing for this long is dropped, so that one reader that stopped does not stop
/// the rest for good (ncat blocks on it for ever).
pub const STALL_LIMIT: Duration = Duration::from_secs(5);

/// Reads of stdin and writes of stdout per loop turn, so sockets get their turn.
const BUDGET: usize = 16;
const CHUNK: usize = 64 * 1024;

/// The listener's limits besides the engine's (see the module docs).
#[derive(Debug, Clone, Copy, Default)]
pub struct HubLimits {
    /// `-w`: end once no client has been connected for this long.
    pub alone: Option<Duration>,
    /// `--eof-timeout`: end this long after stdin ended.
    pub after_eof: Option<Duration>,
}

/// One of the two descriptors: whether the selector has it, or cannot.
#[derive(Debug, Default)]
struct Side {
    registered: bool,
    /// The selector refused it (`EPERM`): always ready.
    unwatchable: bool,
}

/// What the loop does with stdin and stdout (see the module docs).
pub struct HubIo {
    hub: Arc<Hub>,
    limits: HubLimits,
    stdin: Side,
    stdout: Side,
    buf: Vec<u8>,
    /// `-C`: the previous chunk of stdin ended in CR.
    last_cr: bool,
    /// A budget ran out with more ready: the loop must not sleep.
    more: bool,
    /// The pauses last seen (congested, stdout full): a change wakes every connection.
    paused: (bool, bool),
    alone_since: Option<Instant>,
    served: bool,
    eof_at: Option<Instant>,
    /// Why the listener ends, once it does (a stdout error, a limit).
    stop: Option<anyhow::Result<()>>,
}

impl HubIo {
    pub fn new(hub: Arc<Hub>, limits: HubLimits) -> HubIo {
        HubIo {
            eof_at: hub.stdin_ended().then(Instant::now),
            hub,
            limits,
            stdin: Side::default(),
            stdout: Side::default(),
            buf: vec![0; CHUNK],
            last_cr: false,
            more: false,
            paused: (false, false),
            alone_since: Some(Instant::now()),
            served: false,
            stop: None,
        }
    }

    /// Whether the listener is to end (see [`take_stop`](Self::take_stop)).
    pub fn stopped(&self) -> bool {
        self.stop.is_some()
    }

    /// How the listener ended, if the hub ended it.
    pub fn take_stop(&mut self) -> Option<anyhow::Result<()>> {
        self.stop.take()
    }

    fn wants_stdin(&self, has_conns: bool) -> bool {
        has_conns && !self.hub.stdin_ended() && !self.hub.congested()
    }

    /// Write what stdout can take, read what stdin has (while a client is connected
    /// and none is congested). Returns whether stdin ended just now.
    fn turn(&mut self, has_conns: bool) -> bool {
        self.more = false;
        if let Some(e) = self.hub.take_stdout_error() {
            self.stop.get_or_insert(Err(stdout_error(e)));
        }
        self.write_stdout();
        let mut ended = false;
        if self.wants_stdin(has_conns) {
            ended = self.read_stdin();
        }
        if ended {
            self.eof_at = Some(Instant::now());
        }
        ended
    }

    fn write_stdout(&mut self) {
        let fd = io::stdout();
        for _ in 0..BUDGET {
            if self.stop.is_some() || !self.hub.stdout_pending() {
                return;
            }
            if !ready_now(Watch::new(fd.as_fd(), false, true)).writable() {
                return;
            }
            let result: io::Result<usize> = self.hub.with_stdout(|out| {
                let Some(OutItem::Bytes(b)) = out.front() else {
                    return Ok(0);
                };
                let piece = &b[..b.len().min(libc::PIPE_BUF)];
                let n = retry(|| nix::unistd::write(fd.as_fd(), piece))?;
                out.consume(n as u64);
                Ok(n)
            });
            match result {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    self.stop = Some(Err(stdout_error(e)));
                    return;
                }
            }
        }
        self.more = self.hub.stdout_pending();
    }

    /// Read stdin while it is ready (up to the budget) and post it to every connection.
    fn read_stdin(&mut self) -> bool {
        let fd = io::stdin();
        for _ in 0..BUDGET {
            let watch = ready_now(Watch::read(fd.as_fd()));
            if watch.invalid() {
                // A closed fd 0 reads as end of input.
                return self.hub.end_stdin();
            }
            if !watch.readable() {
                return false;
            }
            match retry(|| nix::unistd::read(fd.as_fd(), &mut self.buf)) {
                Ok(0) => return self.hub.end_stdin(),
                Ok(n) if self.hub.opts().crlf => {
                    let mut data = Vec::with_capacity(n + n / 8);
                    self.last_cr =
                        crate::net::relay::crlf_into(&self.buf[..n], self.last_cr, &mut data);
                    self.hub.to_others(None, &data);
                }
                Ok(n) => self.hub.to_others(None, &self.buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return false,
                Err(e) => {
                    self.stop = Some(Err(anyhow::Error::new(e).context("read stdin")));
                    return false;
                }
            }
            if self.hub.congested() {
                return false;
            }
        }
        self.more = true;
        false
    }

    /// The hub's part of an event-loop turn over its open connections: stdout
    /// written, stdin read, posts delivered to every connection but their sender,
    /// the end of stdin passed on, congestion measured — and a client stalled past
    /// [`STALL_LIMIT`] dropped. Returns whether every connection must be settled
    /// again (it got something, a pause began or ended, or one was dropped).
    pub fn serve<S: Service>(&mut self, mut conns: Vec<&mut NbConn<S>>, out: &Output) -> bool {
        let ended = self.turn(!conns.is_empty());
        let posts = self.hub.take_posts();
        for c in conns.iter_mut() {
            // Every message first, then one send for all of them.
            let (id, mut got) = (c.id, ended);
            for post in posts.iter().filter(|p| p.from != Some(id)) {
                c.on_message(HubMsg::Data(&post.data));
                got = true;
            }
            if ended {
                c.on_message(HubMsg::InputEnded);
            }
            if got {
                c.on_writable();
            }
        }
        let now = Instant::now();
        let mut congested = false;
        let mut dropped = false;
        for c in conns
            .iter_mut()
            .filter(|c| c.queued_bytes() >= OUTBOX_HIGH_WATER)
        {
            if now.duration_since(c.last_active) < STALL_LIMIT {
                congested = true;
                continue;
            }
            out.warn(&format!(
                "connection {} from {}: dropped, it took nothing for {} with {} waiting \
                 (the other clients wait for it)",
                c.id,
                c.peer,
                crate::text::duration(STALL_LIMIT),
                crate::text::plural(c.queued_bytes(), "byte"),
            ));
            c.abort(CloseReason::Stalled);
            dropped = true;
        }
        self.hub.set_congested(congested);
        self.pauses_changed() || ended || !posts.is_empty() || dropped
    }

    /// Whether every connection must be looked at again: a pause began or ended.
    fn pauses_changed(&mut self) -> bool {
        let now = (self.hub.congested(), self.hub.stdout_full());
        std::mem::replace(&mut self.paused, now) != now
    }

    /// Watch stdin while it is wanted and stdout while output waits (a level-triggered
    /// selector would otherwise report them ready on every turn).
    pub fn sync<Sel: Selector>(&mut self, sel: &mut Sel, has_conns: bool) -> io::Result<()> {
        let stdin = self.wants_stdin(has_conns);
        let stdout = self.hub.stdout_pending() && self.stop.is_none();
        watch(
            sel,
            &mut self.stdin,
            io::stdin().as_fd(),
            STDIN,
            stdin,
            Interest::READ,
        )?;
        watch(
            sel,
            &mut self.stdout,
            io::stdout().as_fd(),
            STDOUT,
            stdout,
            Interest::WRITE,
        )
    }

    /// Whether the loop has work for us without waiting (a budget ran out, or a
    /// descriptor the selector cannot watch has something to do).
    pub fn busy(&self, has_conns: bool) -> bool {
        self.more
            || (self.stdin.unwatchable && self.wants_stdin(has_conns))
            || (self.stdout.unwatchable && self.hub.stdout_pending())
    }

    /// The next moment a limit may end the listener.
    pub fn deadline(&self) -> Option<Instant> {
        let alone = self.alone_since.zip(self.limits.alone).map(|(t, d)| t + d);
        let eof = self.eof_at.zip(self.limits.after_eof).map(|(t, d)| t + d);
        match (alone, eof) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Note whether clients are connected and end the listener once a limit passed:
    /// after `-w` alone, normally if it served someone and with an error if not.
    pub fn check_limits(&mut self, has_conns: bool, now: Instant) {
        if has_conns {
            self.served = true;
            self.alone_since = None;
        } else if self.alone_since.is_none() {
            self.alone_since = Some(now);
        }
        if self.stop.is_some() || self.deadline().is_none_or(|d| d > now) {
            return;
        }
        let alone_over = self.alone_since.is_some_and(|t| {
            self.limits
                .alone
                .is_some_and(|d| now.duration_since(t) >= d)
        });
        self.stop = Some(match (alone_over, self.served) {
            (true, false) => Err(anyhow::anyhow!(
                "no connection within {}",
                crate::text::duration(self.limits.alone.unwrap_or_default())
            )),
            _ => Ok(()),
        });
    }

    /// The listener ends: what stdout still holds goes out (blocking now: nothing
    /// else waits), unless stdout is what failed.
    pub fn finish<Sel: Selector>(&mut self, sel: &mut Sel) {
        for (side, fd) in [
            (&mut self.stdin, io::stdin().as_fd()),
            (&mut self.stdout, io::stdout().as_fd()),
        ] {
            if side.registered {
                let _ = sel.deregister(fd);
                side.registered = false;
            }
        }
        if matches!(self.stop, Some(Err(_))) {
            return;
        }
        let result = self.hub.with_stdout(|out| {
            use std::io::Write;
            let mut stdout = io::stdout().lock();
            while let Some(OutItem::Bytes(b)) = out.front() {
                stdout.write_all(b)?;
                let n = b.len() as u64;
                out.consume(n);
            }
            stdout.flush()
        });
        if let Err(e) = result {
            let e = stdout_error(e);
            if !e.is::<StdoutClosed>() {
                self.stop = Some(Err(e));
            }
        }
    }
}

/// What `watch`'s descriptor is ready for now (a zero-timeout `poll(2)`; nothing, if
/// the poll fails).
fn ready_now(watch: Watch<'_>) -> Watch<'_> {
    let mut watch = [watch];
    let _ = wait_unsignalled(&mut watch, Some(Instant::now()));
    let [watch] = watch;
    watch
}

fn retry(mut call: impl FnMut() -> nix::Result<usize>) -> io::Result<usize> {
    loop {
        match call() {
            Err(nix::errno::Errno::EINTR) => continue,
            r => return r.map_err(io::Error::from),
        }
    }
}

/// Register `fd` with `sel` while `want`, deregister it otherwise; a descriptor the
/// selector refuses (`EPERM`: epoll and regular files) is marked always ready.
fn watch<Sel: Selector>(
    sel: &mut Sel,
    side: &mut Side,
    fd: BorrowedFd<'_>,
    token: Token,
    want: bool,
    interest: Interest,
) -> io::Result<()> {
    if side.unwatchable || want == side.registered {
        return Ok(());
    }
    if !want {
        side.registered = false;
        return sel.deregister(fd);
    }
    match sel.register(fd, token, interest) {
        Ok(()) => side.registered = true,
        Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EBADF)) => {
            side.unwatchable = true;
        }
        Err(e) => return Err(e),
    }
    Ok(())
}

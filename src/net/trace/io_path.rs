//! The I/O path under `--explain=io`: the calls a connection lives by (accept4, recv,
//! send, the selector's wait) and the ones that end it (shutdown, close), each shown
//! with what the kernel answered — `0` is end of stream, `-1 EAGAIN` ends an
//! edge-triggered drain, a send that took less than it was given is a short write.
//!
//! A server under load makes millions of these, so each descriptor shows at most
//! [`SHOWN_PER_FD`] of each call; the rest are only counted, and the count is printed
//! when the descriptor is closed (or when the command ends): `… 18,230 more recv calls
//! on fd 7`. Counting is per descriptor number, reset by its close, so a number reused
//! by the next connection starts afresh.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd, RawFd};

use nix::sys::wait::WaitStatus;
use socket2::{SockAddr, Socket};

use super::{Event, Level, Mode, TRACER, TraceResult, Tracer, emit, outcome};

/// How many calls of one kind on one descriptor `--explain=io` shows before it only
/// counts them.
pub const SHOWN_PER_FD: u64 = 8;

/// Calls seen per (descriptor, call); `-1` stands for calls on no one descriptor.
#[derive(Debug, Default)]
pub(super) struct Seen(HashMap<(RawFd, String), u64>);

/// Count a call; true while it is still to be shown.
pub(super) fn admit(t: &Tracer, fd: Option<RawFd>, name: &str) -> bool {
    let mut seen = t.seen.lock().unwrap_or_else(|e| e.into_inner());
    let n = seen
        .0
        .entry((fd.unwrap_or(-1), name.to_string()))
        .or_insert(0);
    *n += 1;
    *n <= SHOWN_PER_FD
}

/// Say what the rate limit left out on `fd` (all descriptors for `None`) and forget it.
fn flush(t: &Tracer, fd: Option<RawFd>) {
    let mut left: Vec<((RawFd, String), u64)> = {
        let mut seen = t.seen.lock().unwrap_or_else(|e| e.into_inner());
        let keys: Vec<_> = seen
            .0
            .keys()
            .filter(|(f, _)| fd.is_none_or(|want| *f == want))
            .cloned()
            .collect();
        keys.into_iter()
            .filter_map(|k| seen.0.remove(&k).map(|n| (k, n)))
            .filter(|&(_, n)| n > SHOWN_PER_FD)
            .collect()
    };
    left.sort();
    for ((f, call), n) in left {
        (t.sink)(&Event::Omitted {
            call: &call,
            fd: (f >= 0).then_some(f),
            count: n - SHOWN_PER_FD,
        });
    }
}

pub(super) fn flush_all(t: &Tracer) {
    flush(t, None);
}

/// Make the I/O-path call `f` on `fd`: shown only under `--explain=io`, within the
/// per-descriptor rate limit. `args` are rendered before the call (select's sets are
/// overwritten by it); `note` reads the result (the ready set, `EOF`, a short write).
pub fn io<T: TraceResult>(
    name: &'static str,
    fd: Option<RawFd>,
    args: impl FnOnce() -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
    note: impl FnOnce(&io::Result<T>) -> Option<String>,
) -> io::Result<T> {
    super::noted(Level::Io, name, fd, args, f, note)
}

/// Whether `--explain=io` is on: a driver whose call needs its own bookkeeping to be
/// shown (a selector's ready set) checks this, makes the call, then [`made`]s it.
pub fn io_on() -> bool {
    TRACER.get().is_some_and(|t| t.mode == Mode::ExplainIo)
}

/// Record an I/O-path call already made (see [`io_on`]), within the rate limit.
pub fn made<T: TraceResult>(
    name: &'static str,
    fd: Option<RawFd>,
    args: impl FnOnce() -> Vec<String>,
    result: &io::Result<T>,
    note: impl FnOnce() -> Option<String>,
) {
    if let Some(t) = TRACER.get() {
        if t.mode == Mode::ExplainIo && admit(t, fd, name) {
            emit(t, name, &args(), Some(outcome(result)), note());
        }
    }
}

/// A call whose level depends on how it ended (an accept4 that found the queue empty
/// is I/O, one that returned a connection is lifecycle); `args` are rendered after
/// the call, so they can show what it returned (the peer's address).
fn by_result<T: TraceResult>(
    name: &'static str,
    fd: RawFd,
    level: impl FnOnce(&io::Result<T>) -> Level,
    args: impl FnOnce(&io::Result<T>) -> Vec<String>,
    f: impl FnOnce() -> io::Result<T>,
    note: impl FnOnce(&io::Result<T>) -> Option<String>,
) -> io::Result<T> {
    let Some(t) = TRACER.get() else {
        return f();
    };
    let result = f();
    let level = level(&result);
    if t.mode.shows(level) && (level != Level::Io || admit(t, Some(fd), name)) {
        emit(
            t,
            name,
            &args(&result),
            Some(outcome(&result)),
            note(&result),
        );
    }
    result
}

fn would_block<T>(r: &io::Result<T>) -> bool {
    r.as_ref()
        .is_err_and(|e| e.kind() == io::ErrorKind::WouldBlock)
}

/// `accept4(listener, &addr, SOCK_CLOEXEC)`: a connection taken is lifecycle (its
/// peer shown as the C struct), an empty queue (`EAGAIN`) is I/O. Under `--dry-run`
/// it is not made: the [`super::DryRunStop`] comes back instead.
pub fn accept(
    listener: &Socket,
    f: impl FnOnce() -> io::Result<(Socket, SockAddr)>,
) -> io::Result<(Socket, SockAddr)> {
    let lfd = listener.as_raw_fd();
    if super::dry_run() {
        return super::action(
            "accept4",
            || vec![lfd.to_string(), "&addr".into(), "SOCK_CLOEXEC".into()],
            f,
        );
    }
    by_result(
        "accept4",
        lfd,
        |r| {
            if would_block(r) {
                Level::Io
            } else {
                Level::Lifecycle
            }
        },
        |r| {
            let peer = match r {
                Ok((_, a)) => super::addr(a),
                Err(_) => "&addr".into(),
            };
            vec![lfd.to_string(), peer, "SOCK_CLOEXEC".into()]
        },
        f,
        |_| None,
    )
}

/// `recv(fd, buf, len, flags)` (a `read(2)` on a socket is the same call with no flags).
pub fn recv(
    fd: RawFd,
    len: usize,
    flags: &'static str,
    f: impl FnOnce() -> io::Result<usize>,
) -> io::Result<usize> {
    transfer("recv", fd, len, flags, f, |r| match r {
        Ok(0) => Some("EOF: the peer sent FIN".into()),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
            Some("nothing more to read: the drain ends here".into())
        }
        _ => None,
    })
}

/// `send(fd, buf, len, flags)`; a send that took less than `len` is marked a short write.
pub fn send(
    fd: RawFd,
    len: usize,
    flags: &'static str,
    f: impl FnOnce() -> io::Result<usize>,
) -> io::Result<usize> {
    transfer("send", fd, len, flags, f, |r| match r {
        Ok(n) if *n < len => Some(format!("short write: {n} of {len} bytes taken")),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
            Some("send buffer full: wait for writability".into())
        }
        _ => None,
    })
}

/// `sendto(fd, buf, len, flags, dest_addr)`: a datagram to the address `to` renders.
pub fn sendto(
    fd: RawFd,
    len: usize,
    flags: &'static str,
    to: impl FnOnce() -> String,
    f: impl FnOnce() -> io::Result<usize>,
    note: impl FnOnce(&io::Result<usize>) -> Option<String>,
) -> io::Result<usize> {
    io(
        "sendto",
        Some(fd),
        || {
            vec![
                fd.to_string(),
                "buf".into(),
                len.to_string(),
                flags.into(),
                to(),
            ]
        },
        f,
        note,
    )
}

/// recv/send: `name(fd, buf, len, flags)`.
fn transfer(
    name: &'static str,
    fd: RawFd,
    len: usize,
    flags: &'static str,
    f: impl FnOnce() -> io::Result<usize>,
    note: impl FnOnce(&io::Result<usize>) -> Option<String>,
) -> io::Result<usize> {
    io(
        name,
        Some(fd),
        || vec![fd.to_string(), "buf".into(), len.to_string(), flags.into()],
        f,
        note,
    )
}

/// `shutdown(fd, SHUT_WR)` and friends: our FIN (lifecycle).
pub fn shutdown(sock: &Socket, how: std::net::Shutdown) -> io::Result<()> {
    let name = match how {
        std::net::Shutdown::Read => "SHUT_RD",
        std::net::Shutdown::Write => "SHUT_WR",
        std::net::Shutdown::Both => "SHUT_RDWR",
    };
    super::lifecycle(
        "shutdown",
        || vec![super::fd(sock), name.into()],
        || sock.shutdown(how),
    )
}

/// `close(fd)` (lifecycle): first the count of the I/O calls the rate limit left out
/// on it. Without tracing this is a plain drop.
pub fn close(s: impl IntoRawFd) {
    match TRACER.get() {
        Some(t) if t.mode.shows(Level::Lifecycle) => {
            let fd = s.into_raw_fd();
            flush(t, Some(fd));
            let r = nix::unistd::close(fd).map_err(io::Error::from);
            emit(t, "close", &[fd.to_string()], Some(outcome(&r)), None);
        }
        _ => drop(s),
    }
}

/// A descriptor closed through [`close`] when dropped, so its `close(2)` is shown
/// whichever way its owner lets go of it: the end of a client's session, an error
/// returned with `?`, a failed connect attempt before the next address is tried.
/// [`into_inner`](Self::into_inner) hands it on to an owner that closes it itself.
#[derive(Debug)]
pub struct Closing<T: IntoRawFd>(Option<T>);

impl<T: IntoRawFd> Closing<T> {
    pub fn new(fd: T) -> Self {
        Closing(Some(fd))
    }

    /// The descriptor, no longer closed by this guard.
    pub fn into_inner(mut self) -> T {
        self.0
            .take()
            .expect("a Closing guard holds its descriptor until dropped")
    }
}

impl<T: IntoRawFd> std::ops::Deref for Closing<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0
            .as_ref()
            .expect("a Closing guard holds its descriptor until dropped")
    }
}

impl<T: IntoRawFd> std::ops::DerefMut for Closing<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0
            .as_mut()
            .expect("a Closing guard holds its descriptor until dropped")
    }
}

impl<T: IntoRawFd + AsRawFd> AsRawFd for Closing<T> {
    fn as_raw_fd(&self) -> RawFd {
        (**self).as_raw_fd()
    }
}

impl<T: IntoRawFd + AsFd> AsFd for Closing<T> {
    fn as_fd(&self) -> BorrowedFd<'_> {
        (**self).as_fd()
    }
}

impl<T: IntoRawFd> Drop for Closing<T> {
    fn drop(&mut self) {
        if let Some(fd) = self.0.take() {
            close(fd);
        }
    }
}

impl TraceResult for WaitStatus {
    fn shown(&self) -> String {
        self.pid().map_or("0".into(), |p| p.to_string())
    }
}

/// `waitpid(-1, &status, WNOHANG)`: reaping a child is lifecycle (with the status it
/// left); "none exited yet" and `ECHILD` are I/O.
pub fn waited(f: impl FnOnce() -> nix::Result<WaitStatus>) -> nix::Result<WaitStatus> {
    let r = by_result(
        "waitpid",
        -1,
        |r| match r {
            Ok(WaitStatus::Exited(..) | WaitStatus::Signaled(..)) => Level::Lifecycle,
            _ => Level::Io,
        },
        |_| vec!["-1".into(), "&status".into(), "WNOHANG".into()],
        || f().map_err(io::Error::from),
        |r| match r {
            Ok(WaitStatus::Exited(_, code)) => Some(format!(
                "reaped: WIFEXITED(status) && WEXITSTATUS(status) == {code}"
            )),
            Ok(WaitStatus::Signaled(_, sig, _)) => Some(format!(
                "reaped: WIFSIGNALED(status) && WTERMSIG(status) == {sig}"
            )),
            Ok(WaitStatus::StillAlive) => Some("no child has exited".into()),
            _ => None,
        },
    );
    r.map_err(|e| nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))
}

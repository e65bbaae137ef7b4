//! Signals a socket program must get right.
//!
//! * `SIGPIPE`: writing to a socket whose peer has gone raises it, and its default
//!   action kills the process. A server must survive that, so it is ignored and the
//!   write fails with `EPIPE` for that one connection instead.
//! * `SIGINT`/`SIGTERM`: a server stops cleanly. [`Shutdown`] turns them into a flag
//!   plus a self-pipe: a readable file descriptor that select, poll and epoll loops
//!   watch beside their sockets, so a blocked `wait` wakes up at once.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use signal_hook::SigId;
use signal_hook::consts::{SIGINT, SIGTERM, SIGUSR1};

/// Make sure `SIGPIPE` is ignored for the whole process (the Rust runtime already does
/// this before `main`; saying it again documents that nettool relies on it).
pub fn ignore_sigpipe() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: installing SIG_IGN runs no handler code, so no async-signal-safety
    // requirement applies; nothing else in nettool changes SIGPIPE's disposition.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
}

/// SIGINT/SIGTERM that arrived before any [`Shutdown`] existed, once
/// [`hold_termination`] was called.
static PENDING: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

/// From now on SIGINT/SIGTERM no longer kill the process at once: they are remembered
/// and the next [`Shutdown`] installed sees them. A server calls this before it prints
/// `listening on` (see `Output::listening`), so a script that signals it right after
/// reading that line always gets a clean stop, never the default death — even if the
/// signal lands before the engine has installed its own handler. Every command that
/// prints the line stops through a [`Shutdown`].
pub fn hold_termination() {
    PENDING.get_or_init(|| {
        let pending = Arc::new(AtomicUsize::new(0));
        for sig in [SIGINT, SIGTERM] {
            let _ = signal_hook::flag::register_usize(sig, Arc::clone(&pending), sig as usize);
        }
        pending
    });
}

/// SIGINT/SIGTERM caught as a flag and a wake-up file descriptor.
pub struct Shutdown {
    signal: Arc<AtomicUsize>,
    stats: Arc<std::sync::atomic::AtomicBool>,
    wake_read: UnixStream,
    ids: Vec<SigId>,
}

impl Shutdown {
    /// Catch SIGINT and SIGTERM until this value is dropped.
    pub fn install() -> io::Result<Self> {
        Self::install_with(false)
    }

    /// As [`Shutdown::install`], and also catch SIGUSR1 as a request for statistics
    /// (servers): it wakes the same descriptor; [`Shutdown::take_stats_request`] tells.
    pub fn install_with_stats() -> io::Result<Self> {
        Self::install_with(true)
    }

    fn install_with(stats_on_usr1: bool) -> io::Result<Self> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        let signal = Arc::new(AtomicUsize::new(0));
        let stats = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        for sig in [SIGINT, SIGTERM] {
            ids.push(signal_hook::flag::register_usize(
                sig,
                Arc::clone(&signal),
                sig as usize,
            )?);
            ids.push(signal_hook::low_level::pipe::register(
                sig,
                wake_write.try_clone()?,
            )?);
        }
        if stats_on_usr1 {
            ids.push(signal_hook::flag::register(SIGUSR1, Arc::clone(&stats))?);
            ids.push(signal_hook::low_level::pipe::register(
                SIGUSR1,
                wake_write.try_clone()?,
            )?);
        }
        if let Some(sig) = PENDING
            .get()
            .map(|p| p.load(Ordering::SeqCst))
            .filter(|&s| s != 0)
        {
            // Signalled before we were listening for it: act as if it came now.
            signal.store(sig, Ordering::SeqCst);
            let _ = (&wake_write).write(&[0]);
        }
        Ok(Shutdown {
            signal,
            stats,
            wake_read,
            ids,
        })
    }

    /// Whether SIGUSR1 asked for statistics since the last call.
    pub fn take_stats_request(&self) -> bool {
        self.stats.swap(false, Ordering::SeqCst)
    }

    /// The signal number that asked us to stop, if one has arrived.
    pub fn requested(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n as i32),
        }
    }

    /// Whether the stop came from SIGINT (clients then exit with 130).
    pub fn by_sigint(&self) -> bool {
        self.requested() == Some(SIGINT)
    }

    /// A shareable handle to the flag, for threads that only need to check it.
    pub fn flag(&self) -> ShutdownFlag {
        ShutdownFlag(Arc::clone(&self.signal))
    }

    /// Empty the self-pipe after a wake-up (level-triggered loops would spin otherwise).
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake_read).read(&mut buf), Ok(n) if n > 0) {}
    }

    /// The raw wake-up descriptor, for loops that build fd sets.
    pub fn raw_fd(&self) -> RawFd {
        self.wake_read.as_raw_fd()
    }
}

impl AsFd for Shutdown {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.wake_read.as_fd()
    }
}

impl Drop for Shutdown {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// SIGUSR1 as a readable descriptor: "print your statistics now" (`--stats`), as
/// `dd` does with SIGUSR1. Without this handler SIGUSR1 would kill the process.
pub struct StatsRequest {
    wake_read: UnixStream,
    id: SigId,
}

impl StatsRequest {
    pub fn install() -> io::Result<Self> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        let id = signal_hook::low_level::pipe::register(SIGUSR1, wake_write)?;
        Ok(StatsRequest { wake_read, id })
    }

    /// Empty the pipe after a wake-up.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake_read).read(&mut buf), Ok(n) if n > 0) {}
    }
}

impl AsFd for StatsRequest {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.wake_read.as_fd()
    }
}

impl Drop for StatsRequest {
    fn drop(&mut self) {
        signal_hook::low_level::unregister(self.id);
    }
}

/// A cloneable view of the stop request, for worker threads.
#[derive(Clone)]
pub struct ShutdownFlag(Arc<AtomicUsize>);

impl ShutdownFlag {
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigpipe_is_ignored() {
        ignore_sigpipe();
        let mut old: libc::sigaction = unsafe_zeroed_sigaction();
        // SAFETY: a null new-action pointer only queries the current disposition into `old`.
        let rc = unsafe { libc::sigaction(libc::SIGPIPE, std::ptr::null(), &mut old) };
        assert_eq!(rc, 0);
        assert_eq!(old.sa_sigaction, libc::SIG_IGN);
    }

    fn unsafe_zeroed_sigaction() -> libc::sigaction {
        // SAFETY: sigaction is a plain C struct for which all-zero bytes is a valid value.
        unsafe { std::mem::zeroed() }
    }

    #[test]
    fn sigterm_sets_flag_and_wakes_fd() {
        hold_termination();
        let s = Shutdown::install().unwrap();
        assert_eq!(s.requested(), None);
        signal_hook::low_level::raise(SIGTERM).unwrap();
        assert_eq!(s.requested(), Some(SIGTERM));
        let mut buf = [0u8; 1];
        assert!((&s.wake_read).read(&mut buf).is_ok());
        s.drain();
        // Once termination is held, a Shutdown installed after the signal (an engine's,
        // after the command's) sees it.
        drop(s);
        let later = Shutdown::install().unwrap();
        assert_eq!(later.requested(), Some(SIGTERM));
        assert!((&later.wake_read).read(&mut buf).is_ok());
    }
}

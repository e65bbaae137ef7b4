//! Signals a socket program must get right.
//!
//! * `SIGPIPE`: writing to a socket whose peer has gone raises it, and its default
//!   action kills the process. A server must survive that, so it is ignored and the
//!   write fails with `EPIPE` for that one connection instead.
//! * `SIGINT`/`SIGTERM`: stop. `SIGUSR1`: "print your counters now" (as `dd` does).
//!   [`Shutdown`] catches all three through one self-pipe: a flag per meaning plus a
//!   readable file descriptor that select, poll and epoll loops watch beside their
//!   sockets, so a blocked wait wakes at once. A command creates exactly one, before
//!   its setup, and hands `&Shutdown` to whatever loop it runs; nothing else in nettool
//!   installs a handler for these signals, so no long-running command can die of
//!   SIGUSR1 — a loop that has no counters to print just lets the request go.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::SigId;
use signal_hook::consts::{SIGINT, SIGTERM, SIGUSR1};

use crate::error::Interrupted;

/// Make sure `SIGPIPE` is ignored for the whole process (the Rust runtime already does
/// this before `main`; saying it again documents that nettool relies on it).
pub fn ignore_sigpipe() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: installing SIG_IGN runs no handler code, so no async-signal-safety
    // requirement applies; nothing else in nettool changes SIGPIPE's disposition.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
}

/// SIGINT/SIGTERM (stop) and SIGUSR1 (report) caught as flags and one wake-up descriptor.
///
/// A stop is sticky: once SIGINT or SIGTERM has arrived, [`drain`](Self::drain) leaves
/// the descriptor readable, so every loop watching it (the `--workers` threads, the
/// load generator's threads) wakes and stops, whichever of them emptied it first.
pub struct Shutdown {
    signal: Arc<AtomicUsize>,
    stats: Arc<AtomicBool>,
    wake_read: UnixStream,
    wake_write: UnixStream,
    ids: Vec<SigId>,
}

impl Shutdown {
    /// Catch SIGINT, SIGTERM and SIGUSR1 until this value is dropped.
    pub fn install() -> io::Result<Self> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        wake_write.set_nonblocking(true)?;
        let signal = Arc::new(AtomicUsize::new(0));
        let stats = Arc::new(AtomicBool::new(false));
        let mut ids = Vec::new();
        // The flag first, the wake-up byte second (signal-hook runs a signal's actions
        // in registration order): whoever wakes finds the flag already set.
        for sig in [SIGINT, SIGTERM] {
            ids.push(signal_hook::flag::register_usize(
                sig,
                Arc::clone(&signal),
                sig as usize,
            )?);
        }
        ids.push(signal_hook::flag::register(SIGUSR1, Arc::clone(&stats))?);
        for sig in [SIGINT, SIGTERM, SIGUSR1] {
            ids.push(signal_hook::low_level::pipe::register(
                sig,
                wake_write.try_clone()?,
            )?);
        }
        let shutdown = Shutdown {
            signal,
            stats,
            wake_read,
            wake_write,
            ids,
        };
        // A signal that came between a flag's registration and its pipe's set the flag
        // but wrote no byte: wake whoever waits now, or its request would sit unseen.
        if shutdown.requested().is_some() || shutdown.stats.load(Ordering::SeqCst) {
            let _ = (&shutdown.wake_write).write(&[0]);
        }
        Ok(shutdown)
    }

    /// A shutdown no signal reaches: it stops only through [`Shutdown::request`]. For
    /// loops driven from code (unit tests, which share one process and must not raise
    /// real signals at each other).
    pub fn detached() -> io::Result<Self> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        wake_write.set_nonblocking(true)?;
        Ok(Shutdown {
            signal: Arc::new(AtomicUsize::new(0)),
            stats: Arc::new(AtomicBool::new(false)),
            wake_read,
            wake_write,
            ids: Vec::new(),
        })
    }

    /// Act as if signal `sig` had arrived: SIGUSR1 asks for statistics, anything else
    /// asks to stop. Wakes a loop asleep on [`as_fd`](AsFd::as_fd).
    pub fn request(&self, sig: i32) {
        if sig == SIGUSR1 {
            self.stats.store(true, Ordering::SeqCst);
        } else {
            self.signal.store(sig as usize, Ordering::SeqCst);
        }
        let _ = (&self.wake_write).write(&[0]);
    }

    /// The signal number that asked us to stop (SIGINT or SIGTERM), if one has arrived.
    pub fn requested(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            n => Some(n as i32),
        }
    }

    /// `Err(Interrupted)` once a stop was requested: how clients and receivers end
    /// (exit status 128 + the signal number).
    pub fn check(&self) -> Result<(), Interrupted> {
        match self.requested() {
            Some(signal) => Err(Interrupted { signal }),
            None => Ok(()),
        }
    }

    /// Whether SIGUSR1 asked for statistics since the last call.
    pub fn take_stats_request(&self) -> bool {
        self.stats.swap(false, Ordering::SeqCst)
    }

    /// Empty the self-pipe after a wake-up (level-triggered loops would spin
    /// otherwise). After a stop request it is re-armed with one byte, so other loops
    /// watching the same descriptor still see it.
    pub fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!((&self.wake_read).read(&mut buf), Ok(n) if n > 0) {}
        if self.requested().is_some() {
            let _ = (&self.wake_write).write(&[0]);
        }
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

    fn readable(s: &Shutdown) -> bool {
        let mut buf = [0u8; 1];
        nix::sys::socket::recv(
            std::os::fd::AsRawFd::as_raw_fd(&s.wake_read),
            &mut buf,
            nix::sys::socket::MsgFlags::MSG_PEEK,
        )
        .is_ok_and(|n| n > 0)
    }

    /// One test for every signal: they are process-wide, so tests that raise them
    /// must not run in parallel with each other.
    #[test]
    fn a_detached_shutdown_stops_on_request() {
        let s = Shutdown::detached().unwrap();
        s.request(SIGUSR1);
        assert!(readable(&s) && s.take_stats_request() && s.requested().is_none());
        s.drain();
        s.request(SIGINT);
        assert_eq!(s.check().unwrap_err().signal, SIGINT);
    }

    #[test]
    fn usr1_reports_and_term_stops_stickily() {
        let s = Shutdown::install().unwrap();
        assert_eq!(s.requested(), None);
        assert!(s.check().is_ok());

        // SIGUSR1: a report request, not a stop; the process survives it.
        signal_hook::low_level::raise(SIGUSR1).unwrap();
        assert!(readable(&s));
        s.drain();
        assert!(!readable(&s), "drained");
        assert!(s.take_stats_request());
        assert!(!s.take_stats_request(), "taken once");
        assert_eq!(s.requested(), None);

        // SIGTERM: the stop, and the descriptor stays readable after a drain.
        signal_hook::low_level::raise(SIGTERM).unwrap();
        assert_eq!(s.requested(), Some(SIGTERM));
        assert_eq!(s.check().unwrap_err().signal, SIGTERM);
        s.drain();
        assert!(readable(&s), "a stop re-arms the wake-up");
    }
}

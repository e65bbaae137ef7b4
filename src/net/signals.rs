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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use signal_hook::SigId;
use signal_hook::consts::{SIGINT, SIGTERM};

/// Make sure `SIGPIPE` is ignored for the whole process (the Rust runtime already does
/// this before `main`; saying it again documents that nettool relies on it).
pub fn ignore_sigpipe() {
    use nix::sys::signal::{SigHandler, Signal, signal};
    // SAFETY: installing SIG_IGN runs no handler code, so no async-signal-safety
    // requirement applies; nothing else in nettool changes SIGPIPE's disposition.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigIgn) };
}

/// The first SIGINT/SIGTERM the process caught since any [`Shutdown`] was installed.
/// A command installs its `Shutdown` before printing `listening on` (so a signal sent
/// right after that line cannot kill it with the default action and leave a socket
/// file behind); an engine installs its own a moment later and must still see it.
static CAUGHT: OnceLock<Arc<AtomicUsize>> = OnceLock::new();

fn caught() -> io::Result<&'static Arc<AtomicUsize>> {
    if let Some(c) = CAUGHT.get() {
        return Ok(c);
    }
    let c = Arc::new(AtomicUsize::new(0));
    for sig in [SIGINT, SIGTERM] {
        // Never unregistered: it records, it does not change what the signal does.
        signal_hook::flag::register_usize(sig, Arc::clone(&c), sig as usize)?;
    }
    Ok(CAUGHT.get_or_init(|| c))
}

/// SIGINT/SIGTERM caught as a flag and a wake-up file descriptor.
pub struct Shutdown {
    signal: Arc<AtomicUsize>,
    wake_read: UnixStream,
    ids: Vec<SigId>,
}

impl Shutdown {
    /// Catch SIGINT and SIGTERM until this value is dropped.
    pub fn install() -> io::Result<Self> {
        let (wake_read, wake_write) = UnixStream::pair()?;
        wake_read.set_nonblocking(true)?;
        let signal = Arc::new(AtomicUsize::new(0));
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
        // A signal caught before this Shutdown existed (by an earlier one) counts too.
        let early = caught()?.load(Ordering::SeqCst);
        if early != 0 {
            signal.store(early, Ordering::SeqCst);
            let _ = (&wake_write).write(&[1]);
        }
        Ok(Shutdown {
            signal,
            wake_read,
            ids,
        })
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
        let s = Shutdown::install().unwrap();
        assert_eq!(s.requested(), None);
        signal_hook::low_level::raise(SIGTERM).unwrap();
        assert_eq!(s.requested(), Some(SIGTERM));
        let mut buf = [0u8; 1];
        assert!((&s.wake_read).read(&mut buf).is_ok());
        s.drain();
        // A Shutdown installed after the signal (an engine's, after the command's) sees it.
        drop(s);
        let later = Shutdown::install().unwrap();
        assert_eq!(later.requested(), Some(SIGTERM));
        assert!((&later.wake_read).read(&mut buf).is_ok());
    }
}

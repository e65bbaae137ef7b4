//! Waiting: for descriptors to become ready, for a signal, or for a deadline — the one
//! `poll(2)` every client, receiver and blocking accept loop goes through.
//!
//! A wait always watches the [`Shutdown`] self-pipe beside the caller's descriptors,
//! so SIGINT/SIGTERM end it at once ([`Woke::Stop`]) and SIGUSR1 wakes it
//! ([`Woke::Ready`] with nothing ready: a caller with counters checks
//! [`Shutdown::take_stats_request`]). The pipe is drained here, never by callers.
//!
//! Timeouts follow one rule, [`timeout_millis`]: a deadline becomes whole milliseconds
//! rounded **up**, so a wait never returns before its deadline and a loop around it
//! never spins on a zero timeout for the last fraction of a millisecond. The event
//! loops' selectors use the same function.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::signals::Shutdown;

/// One descriptor to wait for, and after the wait what it is ready for.
#[derive(Debug)]
pub struct Watch<'a> {
    fd: BorrowedFd<'a>,
    events: PollFlags,
    revents: PollFlags,
}

impl<'a> Watch<'a> {
    /// Wait until `fd` can be read (data, end of stream or an error to collect).
    pub fn read(fd: BorrowedFd<'a>) -> Watch<'a> {
        Watch::new(fd, true, false)
    }

    /// Wait for readability and/or writability, as asked.
    pub fn new(fd: BorrowedFd<'a>, read: bool, write: bool) -> Watch<'a> {
        let mut events = PollFlags::empty();
        if read {
            events |= PollFlags::POLLIN;
        }
        if write {
            events |= PollFlags::POLLOUT;
        }
        Watch {
            fd,
            events,
            revents: PollFlags::empty(),
        }
    }

    /// Anything at all was reported (readiness, hang-up, error, a closed descriptor).
    pub fn ready(&self) -> bool {
        !self.revents.is_empty()
    }

    /// A read will not block: data, end of stream, or an error to collect.
    pub fn readable(&self) -> bool {
        self.revents
            .intersects(PollFlags::POLLIN | PollFlags::POLLHUP | PollFlags::POLLERR)
    }

    /// A write will not block (or fails at once with the pending error).
    pub fn writable(&self) -> bool {
        self.revents
            .intersects(PollFlags::POLLOUT | PollFlags::POLLHUP | PollFlags::POLLERR)
    }

    /// The descriptor is not open at all (`POLLNVAL`), e.g. a closed stdin.
    pub fn invalid(&self) -> bool {
        self.revents.contains(PollFlags::POLLNVAL)
    }
}

/// How a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    /// Before the deadline: some watch is ready, or SIGUSR1 woke us (then none may be).
    Ready,
    /// The deadline passed with nothing ready.
    Timeout,
    /// SIGINT or SIGTERM (the signal number): stop.
    Stop(i32),
}

/// `poll([{fd=3, events=POLLIN}, …], n, ms) = 1 ([{fd=3, revents=POLLIN}])` under
/// `--explain=io` (the events asked for survive the call; only revents is written).
fn traced_poll(fds: &[PollFd<'_>], ms: i32, result: &nix::Result<i32>) {
    use crate::net::trace;
    use std::os::fd::AsRawFd;
    let list = |back: bool| -> Vec<(i32, String)> {
        fds.iter()
            .filter_map(|p| {
                let f = if back { p.revents()? } else { p.events() };
                (!back || !f.is_empty()).then(|| (p.as_fd().as_raw_fd(), trace::poll_flags(f)))
            })
            .collect()
    };
    let r = result.map_err(io::Error::from).map(|n| n as usize);
    let shown = |back: bool| {
        let l = list(back);
        let field = if back { "revents" } else { "events" };
        trace::poll_fds(field, l.iter().map(|(f, e)| (*f, e.as_str())))
    };
    trace::made(
        "poll",
        None,
        || vec![shown(false), fds.len().to_string(), ms.to_string()],
        &r,
        || r.is_ok().then(|| shown(true)),
    );
}

/// A timeout in whole milliseconds for poll(2)/epoll_wait(2), rounded **up** so that a
/// wait for 300 µs does not become a zero-timeout busy loop; `None` is "forever" (-1).
pub fn timeout_millis(timeout: Option<Duration>) -> i32 {
    match timeout {
        None => -1,
        Some(d) => d.as_micros().div_ceil(1000).min(i32::MAX as u128) as i32,
    }
}

/// Wait until a watch is ready, a signal arrives, or `deadline` passes (`None`: no
/// deadline). A watch list may be empty: then this is a sleep that signals cut short.
pub fn wait(
    watches: &mut [Watch<'_>],
    shutdown: &Shutdown,
    deadline: Option<Instant>,
) -> io::Result<Woke> {
    wait_on(watches, Some(shutdown), deadline)
}

/// [`wait`] without the signals: for a server that has already been asked to stop
/// and is waiting out a grace period (its stop request would end every wait at once),
/// or a helper thread that its owner wakes through a descriptor of its own.
pub fn wait_unsignalled(watches: &mut [Watch<'_>], deadline: Option<Instant>) -> io::Result<Woke> {
    wait_on(watches, None, deadline)
}

fn wait_on(
    watches: &mut [Watch<'_>],
    shutdown: Option<&Shutdown>,
    deadline: Option<Instant>,
) -> io::Result<Woke> {
    loop {
        if let Some(sig) = shutdown.and_then(Shutdown::requested) {
            return Ok(Woke::Stop(sig));
        }
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let mut fds: Vec<PollFd<'_>> = Vec::with_capacity(watches.len() + 1);
        // The self-pipe, when there is one, comes first.
        fds.extend(shutdown.map(|s| PollFd::new(s.as_fd(), PollFlags::POLLIN)));
        let first = fds.len();
        fds.extend(watches.iter().map(|w| PollFd::new(w.fd, w.events)));
        let ms = timeout_millis(left);
        let timeout = PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX);
        let result = poll(&mut fds, timeout);
        if crate::net::trace::io_on() {
            traced_poll(&fds, ms, &result);
        }
        match result {
            Ok(_) => {}
            // A signal interrupted the call; its byte is in the pipe: look again.
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(io::Error::from(e)),
        }
        let woken = first == 1 && fds[0].revents().is_some_and(|r| !r.is_empty());
        let mut any = false;
        for (w, fd) in watches.iter_mut().zip(&fds[first..]) {
            w.revents = fd.revents().unwrap_or(PollFlags::empty());
            any |= !w.revents.is_empty();
        }
        if let (true, Some(s)) = (woken, shutdown) {
            s.drain();
            if let Some(sig) = s.requested() {
                return Ok(Woke::Stop(sig));
            }
        }
        if any || woken {
            return Ok(Woke::Ready);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(Woke::Timeout);
        }
    }
}

/// Sleep until `deadline` unless SIGINT/SIGTERM arrives first (`Woke::Stop`); a
/// SIGUSR1 wakes it early (`Woke::Ready`) so a caller can report.
pub fn sleep_until(shutdown: &Shutdown, deadline: Instant) -> io::Result<Woke> {
    wait(&mut [], shutdown, Some(deadline))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::unix::net::UnixStream;

    #[test]
    fn timeouts_round_up() {
        assert_eq!(timeout_millis(None), -1);
        assert_eq!(timeout_millis(Some(Duration::ZERO)), 0);
        assert_eq!(timeout_millis(Some(Duration::from_micros(300))), 1);
        assert_eq!(timeout_millis(Some(Duration::from_micros(1001))), 2);
        assert_eq!(timeout_millis(Some(Duration::from_millis(1500))), 1500);
        assert_eq!(timeout_millis(Some(Duration::MAX)), i32::MAX);
    }

    #[test]
    fn ready_timeout_and_never_early() {
        let shutdown = Shutdown::install().unwrap();
        let (mut a, b) = UnixStream::pair().unwrap();
        let start = Instant::now();
        let deadline = start + Duration::from_micros(2500);
        let mut w = [Watch::read(b.as_fd())];
        assert_eq!(
            wait(&mut w, &shutdown, Some(deadline)).unwrap(),
            Woke::Timeout
        );
        assert!(Instant::now() >= deadline, "a wait never ends early");
        assert!(!w[0].ready());
        a.write_all(b"x").unwrap();
        assert_eq!(wait(&mut w, &shutdown, None).unwrap(), Woke::Ready);
        assert!(w[0].readable() && !w[0].writable());
        let mut both = [Watch::new(b.as_fd(), false, true)];
        assert_eq!(wait(&mut both, &shutdown, None).unwrap(), Woke::Ready);
        assert!(both[0].writable());
    }
}

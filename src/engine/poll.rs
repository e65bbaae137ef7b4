//! poll(2): an array of `struct pollfd { fd, events, revents }` instead of bitmaps, so
//! any descriptor number works (no FD_SETSIZE) and the caller's interest (`events`)
//! survives the call (only `revents` is written). Still O(n): the whole array crosses
//! into the kernel and is scanned on every call.
//!
//! nix's `PollFd` borrows its descriptor, so the array is rebuilt from the registry on
//! each turn, which also keeps it in step with registrations made since the last wait.

use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::selector::{Event, Interest, Selector, Token, Trigger, timeout_millis};
use crate::net::trace;

/// A poll(2) selector (always level-triggered).
#[derive(Debug, Default)]
pub struct Poll {
    /// (fd, token, interest), in registration order; the pollfd array mirrors it.
    entries: Vec<(RawFd, Token, Interest)>,
    /// fd → index into `entries`, for O(1) reregister/deregister.
    index: HashMap<RawFd, usize>,
}

impl Poll {
    pub fn new() -> Poll {
        Poll::default()
    }
}

/// The one place interest becomes `pollfd.events`. `POLLHUP`, `POLLERR` and
/// `POLLNVAL` are always reported by the kernel.
fn flags(interest: Interest) -> PollFlags {
    let mut f = PollFlags::empty();
    if interest.read {
        f |= PollFlags::POLLIN | PollFlags::POLLPRI;
    }
    if interest.write {
        f |= PollFlags::POLLOUT;
    }
    f
}

impl Selector for Poll {
    fn trigger(&self) -> Trigger {
        Trigger::Level
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        if self.index.contains_key(&fd) {
            return Err(io::Error::from_raw_os_error(libc::EEXIST));
        }
        self.index.insert(fd, self.entries.len());
        self.entries.push((fd, token, interest));
        Ok(())
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        let i = *self
            .index
            .get(&fd)
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))?;
        self.entries[i] = (fd, token, interest);
        Ok(())
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        let i = self
            .index
            .remove(&fd)
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))?;
        self.entries.swap_remove(i);
        if let Some(&(moved, _, _)) = self.entries.get(i) {
            self.index.insert(moved, i);
        }
        Ok(())
    }

    fn wait(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        events.clear();
        let mut fds: Vec<PollFd<'_>> = self
            .entries
            .iter()
            .map(|&(fd, _, interest)| {
                // SAFETY: the Selector contract keeps every registered descriptor open
                // until it is deregistered; the array lives only for this call.
                let bfd = unsafe { BorrowedFd::borrow_raw(fd) };
                PollFd::new(bfd, flags(interest))
            })
            .collect();
        let ms = timeout_millis(timeout);
        let t = PollTimeout::try_from(ms).unwrap_or(PollTimeout::NONE);
        let asked = trace::io_on().then(|| {
            let evs: Vec<(RawFd, String)> = self
                .entries
                .iter()
                .map(|&(fd, _, i)| (fd, trace::poll_flags(flags(i))))
                .collect();
            evs
        });
        let result = poll(&mut fds, t);
        if let Some(asked) = asked {
            let r = result.map_err(io::Error::from).map(|n| n as usize);
            let back: Vec<(RawFd, String)> = fds
                .iter()
                .zip(&self.entries)
                .filter_map(|(p, &(fd, _, _))| {
                    let rev = p.revents().filter(|r| !r.is_empty())?;
                    Some((fd, trace::poll_flags(rev)))
                })
                .collect();
            trace::made(
                "poll",
                None,
                || {
                    vec![
                        trace::poll_fds("events", asked.iter().map(|(f, e)| (*f, e.as_str()))),
                        asked.len().to_string(),
                        ms.to_string(),
                    ]
                },
                &r,
                || {
                    r.is_ok().then(|| {
                        trace::poll_fds("revents", back.iter().map(|(f, e)| (*f, e.as_str())))
                    })
                },
            );
        }
        match result {
            Ok(0) | Err(nix::errno::Errno::EINTR) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
        let broken = PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL;
        for (pfd, &(_, token, _)) in fds.iter().zip(&self.entries) {
            let Some(rev) = pfd.revents() else { continue };
            if rev.is_empty() {
                continue;
            }
            let gone = rev.intersects(broken);
            events.push(Event {
                token,
                readable: gone || rev.intersects(PollFlags::POLLIN | PollFlags::POLLPRI),
                writable: gone || rev.contains(PollFlags::POLLOUT),
                read_closed: gone,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn write5_read3_is_level_triggered() {
        crate::engine::selector::tests::write5_read3(Poll::new());
    }

    #[test]
    fn deregister_keeps_the_index_consistent() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let (c, _d) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut p = Poll::new();
        p.register(a.as_fd(), Token(1), Interest::READ).unwrap();
        p.register(b.as_fd(), Token(2), Interest::READ).unwrap();
        p.register(c.as_fd(), Token(3), Interest::WRITE).unwrap();
        p.deregister(a.as_fd()).unwrap();
        p.reregister(c.as_fd(), Token(3), Interest::NONE).unwrap();
        assert!(p.deregister(a.as_fd()).is_err());
        let mut ev = Vec::new();
        p.wait(&mut ev, Some(Duration::ZERO)).unwrap();
        assert!(ev.is_empty(), "{ev:?}");
    }
}

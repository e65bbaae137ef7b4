//! epoll(7): the interest list lives in the kernel (a red-black tree keyed by
//! descriptor), changed with `epoll_ctl(ADD/MOD/DEL)`; `epoll_wait` returns only the
//! ready entries, so a wait costs O(ready), not O(registered). That is why epoll holds
//! 10,000 idle connections cheaply where select and poll rescan them all.
//!
//! Each entry carries a 64-bit `data` word: we store the [`Token`] there, mio-style.
//! Level- or edge-triggered is one flag, `EPOLLET`, added in [`flags`] — the only place
//! a [`Trigger`] turns into bits.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

use nix::sys::epoll::{Epoll as NixEpoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use super::selector::{Event, Interest, Selector, Token, Trigger, timeout_millis};

/// How many ready entries one `epoll_wait` returns at most.
const BATCH: usize = 1024;

/// An epoll(7) selector, level- or edge-triggered.
pub struct Epoll {
    epoll: NixEpoll,
    trigger: Trigger,
    ready: Vec<EpollEvent>,
}

impl Epoll {
    pub fn new(trigger: Trigger) -> io::Result<Epoll> {
        Ok(Epoll {
            epoll: NixEpoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?,
            trigger,
            ready: vec![EpollEvent::empty(); BATCH],
        })
    }
}

impl AsFd for Epoll {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.epoll.0.as_fd()
    }
}

/// The one place interest and trigger become `epoll_event.events`. `EPOLLRDHUP`
/// reports a peer's half-close as readable; `EPOLLERR`/`EPOLLHUP` are always reported.
fn flags(interest: Interest, trigger: Trigger) -> EpollFlags {
    let mut f = EpollFlags::empty();
    if interest.read {
        f |= EpollFlags::EPOLLIN | EpollFlags::EPOLLRDHUP | EpollFlags::EPOLLPRI;
    }
    if interest.write {
        f |= EpollFlags::EPOLLOUT;
    }
    if trigger == Trigger::Edge {
        f |= EpollFlags::EPOLLET;
    }
    f
}

impl Selector for Epoll {
    fn trigger(&self) -> Trigger {
        self.trigger
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let ev = EpollEvent::new(flags(interest, self.trigger), token.0 as u64);
        Ok(self.epoll.add(fd, ev)?)
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let mut ev = EpollEvent::new(flags(interest, self.trigger), token.0 as u64);
        Ok(self.epoll.modify(fd, &mut ev)?)
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        Ok(self.epoll.delete(fd)?)
    }

    fn wait(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        events.clear();
        let t = EpollTimeout::try_from(timeout_millis(timeout)).unwrap_or(EpollTimeout::NONE);
        let n = match self.epoll.wait(&mut self.ready, t) {
            Ok(n) => n,
            Err(nix::errno::Errno::EINTR) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let broken = EpollFlags::EPOLLERR | EpollFlags::EPOLLHUP;
        let input = EpollFlags::EPOLLIN | EpollFlags::EPOLLPRI | EpollFlags::EPOLLRDHUP;
        for ev in &self.ready[..n] {
            let f = ev.events();
            let gone = f.intersects(broken);
            events.push(Event {
                token: Token(ev.data() as usize),
                readable: gone || f.intersects(input),
                writable: gone || f.contains(EpollFlags::EPOLLOUT),
                read_closed: gone || f.contains(EpollFlags::EPOLLRDHUP),
            });
        }
        Ok(())
    }
}

impl std::fmt::Debug for Epoll {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Epoll(fd {}, {:?})",
            self.epoll.0.as_raw_fd(),
            self.trigger
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write5_read3_level_reports_again() {
        crate::engine::selector::tests::write5_read3(Epoll::new(Trigger::Level).unwrap());
    }

    #[test]
    fn write5_read3_edge_reports_once() {
        crate::engine::selector::tests::write5_read3(Epoll::new(Trigger::Edge).unwrap());
    }

    #[test]
    fn trigger_becomes_epollet() {
        assert!(flags(Interest::READ, Trigger::Edge).contains(EpollFlags::EPOLLET));
        assert!(!flags(Interest::BOTH, Trigger::Level).contains(EpollFlags::EPOLLET));
        assert!(flags(Interest::WRITE, Trigger::Level).contains(EpollFlags::EPOLLOUT));
    }
}

//! epoll(7): the interest list lives in the kernel (a red-black tree keyed by
//! descriptor), changed with `epoll_ctl(ADD/MOD/DEL)`; `epoll_wait` returns only the
//! ready entries, so a wait costs O(ready), not O(registered). That is why epoll holds
//! 10,000 idle connections cheaply where select and poll rescan them all.
//!
//! Each entry carries a 64-bit `data` word: we store the [`Token`] there, mio-style.
//! Level- or edge-triggered is one flag, `EPOLLET`, added in `flags` — the only place
//! a [`Trigger`] turns into bits.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

use nix::sys::epoll::{Epoll as NixEpoll, EpollCreateFlags, EpollEvent, EpollFlags, EpollTimeout};

use super::selector::{Event, Interest, Selector, Token, Trigger, timeout_millis};
use crate::net::trace;

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
            epoll: trace::call(
                "epoll_create1",
                || vec!["EPOLL_CLOEXEC".into()],
                || Ok(NixEpoll::new(EpollCreateFlags::EPOLL_CLOEXEC)?),
            )?,
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

/// `epoll_ctl` arguments as strace prints them: `4, EPOLL_CTL_ADD, 3, {events=…, data=0}`.
fn ctl_args(
    epoll: &NixEpoll,
    op: &str,
    fd: &BorrowedFd<'_>,
    f: EpollFlags,
    token: Token,
) -> Vec<String> {
    vec![
        trace::fd(&epoll.0),
        op.into(),
        fd.as_raw_fd().to_string(),
        format!("{{events={}, data={}}}", names(f), token.0),
    ]
}

/// `EPOLLIN|EPOLLRDHUP`: the flags of an `epoll_event`, as strace names them.
fn names(f: EpollFlags) -> String {
    crate::net::trace::flag_names(
        [
            (EpollFlags::EPOLLIN, "EPOLLIN"),
            (EpollFlags::EPOLLPRI, "EPOLLPRI"),
            (EpollFlags::EPOLLOUT, "EPOLLOUT"),
            (EpollFlags::EPOLLERR, "EPOLLERR"),
            (EpollFlags::EPOLLHUP, "EPOLLHUP"),
            (EpollFlags::EPOLLRDHUP, "EPOLLRDHUP"),
            (EpollFlags::EPOLLET, "EPOLLET"),
        ]
        .map(|(flag, name)| (f.contains(flag), name)),
    )
}

impl Selector for Epoll {
    fn trigger(&self) -> Trigger {
        self.trigger
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let f = flags(interest, self.trigger);
        trace::call(
            "epoll_ctl",
            || ctl_args(&self.epoll, "EPOLL_CTL_ADD", &fd, f, token),
            || Ok(self.epoll.add(fd, EpollEvent::new(f, token.0 as u64))?),
        )
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let f = flags(interest, self.trigger);
        // A re-arm is the I/O path (one per change of interest): `--explain=io` only.
        trace::io(
            "epoll_ctl",
            Some(self.epoll.0.as_raw_fd()),
            || ctl_args(&self.epoll, "EPOLL_CTL_MOD", &fd, f, token),
            || {
                Ok(self
                    .epoll
                    .modify(fd, &mut EpollEvent::new(f, token.0 as u64))?)
            },
            |_| None,
        )
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        trace::call(
            "epoll_ctl",
            || {
                vec![
                    trace::fd(&self.epoll.0),
                    "EPOLL_CTL_DEL".into(),
                    fd.as_raw_fd().to_string(),
                    "NULL".into(),
                ]
            },
            || Ok(self.epoll.delete(fd)?),
        )
    }

    fn wait(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        events.clear();
        let t = EpollTimeout::try_from(timeout_millis(timeout)).unwrap_or(EpollTimeout::NONE);
        let result = self.epoll.wait(&mut self.ready, t);
        if trace::io_on() {
            let r = result.map_err(io::Error::from);
            let ready = &self.ready;
            trace::made(
                "epoll_wait",
                Some(self.epoll.0.as_raw_fd()),
                || {
                    vec![
                        trace::fd(&self.epoll.0),
                        "events".into(),
                        BATCH.to_string(),
                        timeout_millis(timeout).to_string(),
                    ]
                },
                &r,
                || {
                    let n = *r.as_ref().ok()?;
                    let evs: Vec<String> = ready[..n]
                        .iter()
                        .map(|e| format!("{{events={}, data={}}}", names(e.events()), e.data()))
                        .collect();
                    Some(format!("[{}]", evs.join(", ")))
                },
            );
        }
        let n = match result {
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

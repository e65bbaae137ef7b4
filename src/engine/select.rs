//! select(2): the oldest multiplexer. The caller fills bitmaps (`fd_set`) of the
//! descriptors it cares about, the kernel overwrites them with the ready ones, and the
//! caller scans every registered descriptor to find them — O(n) per wait on both sides.
//!
//! `fd_set` is a fixed array of `FD_SETSIZE` (1024) bits, so a descriptor number of
//! 1024 or more simply does not fit: `FD_SET` on it writes past the array (undefined
//! behaviour in C; nix's `FdSet::insert` panics). [`Selector::can_watch`] says so
//! before registration and the event loop refuses such connections with a log line.
//! The sets are rebuilt from the registry before every call, as the kernel clobbers them.

use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

use nix::sys::select::{FdSet, select};
use nix::sys::time::{TimeVal, TimeValLike};

use super::selector::{Event, Interest, Selector, Token, Trigger};
use crate::net::trace;

/// Descriptors at or above this number cannot be put in an `fd_set`.
pub const FD_SETSIZE: RawFd = libc::FD_SETSIZE as RawFd;

/// A select(2) selector (always level-triggered).
#[derive(Debug, Default)]
pub struct Select {
    /// Registered descriptors in ascending order (the scan order of the result).
    registry: BTreeMap<RawFd, (Token, Interest)>,
}

impl Select {
    pub fn new() -> Select {
        Select::default()
    }

    fn check(&self, fd: RawFd) -> io::Result<()> {
        if self.can_watch(fd) {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("descriptor {fd} does not fit select's FD_SETSIZE ({FD_SETSIZE})"),
            ))
        }
    }
}

impl Selector for Select {
    fn trigger(&self) -> Trigger {
        Trigger::Level
    }

    fn can_watch(&self, fd: RawFd) -> bool {
        (0..FD_SETSIZE).contains(&fd)
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        self.check(fd)?;
        self.registry.insert(fd, (token, interest));
        Ok(())
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        match self.registry.get_mut(&fd.as_raw_fd()) {
            Some(entry) => {
                *entry = (token, interest);
                Ok(())
            }
            None => Err(io::Error::from_raw_os_error(libc::ENOENT)),
        }
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        self.registry
            .remove(&fd.as_raw_fd())
            .map(drop)
            .ok_or_else(|| io::Error::from_raw_os_error(libc::ENOENT))
    }

    fn wait(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()> {
        events.clear();
        let mut reads = FdSet::new();
        let mut writes = FdSet::new();
        let mut highest = -1;
        for (&fd, &(_, interest)) in &self.registry {
            // SAFETY: the Selector contract keeps every registered descriptor open
            // until it is deregistered, and these borrows end with this call.
            let bfd = unsafe { BorrowedFd::borrow_raw(fd) };
            if interest.read {
                reads.insert(bfd);
            }
            if interest.write {
                writes.insert(bfd);
            }
            if interest.read || interest.write {
                highest = fd;
            }
        }
        let mut tv =
            timeout.map(|d| TimeVal::microseconds(d.as_micros().min(i64::MAX as u128) as i64));
        // The sets as passed in: select overwrites them with the ready ones.
        let asked = trace::io_on().then(|| {
            let set = |w: bool| {
                trace::fd_set(
                    self.registry
                        .iter()
                        .filter(|(_, (_, i))| if w { i.write } else { i.read })
                        .map(|(fd, _)| *fd),
                )
            };
            let tv = tv.map_or("NULL".into(), |t| {
                format!("{{tv_sec={}, tv_usec={}}}", t.tv_sec(), t.tv_usec())
            });
            vec![
                (highest + 1).to_string(),
                set(false),
                set(true),
                "NULL".into(),
                tv,
            ]
        });
        let result = select(highest + 1, &mut reads, &mut writes, None, tv.as_mut());
        if let Some(asked) = asked {
            let r = result.map_err(io::Error::from).map(|n| n as usize);
            let ready = |set: &FdSet| {
                trace::fd_set(self.registry.keys().copied().filter(|&fd| {
                    // SAFETY: as below; the descriptor is registered, hence open.
                    set.contains(unsafe { BorrowedFd::borrow_raw(fd) })
                }))
            };
            let note = format!("in {}, out {}", ready(&reads), ready(&writes));
            trace::made("select", None, || asked, &r, || r.is_ok().then_some(note));
        }
        match result {
            Ok(_) => {}
            Err(nix::errno::Errno::EINTR) => return Ok(()),
            Err(e) => return Err(e.into()),
        }
        for (&fd, &(token, _)) in &self.registry {
            // SAFETY: as above; the descriptor is registered, hence open.
            let bfd = unsafe { BorrowedFd::borrow_raw(fd) };
            let readable = reads.contains(bfd);
            let writable = writes.contains(bfd);
            if readable || writable {
                events.push(Event {
                    token,
                    readable,
                    writable,
                    // select cannot tell; only edge-triggered loops need to know.
                    read_closed: false,
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write5_read3_is_level_triggered() {
        crate::engine::selector::tests::write5_read3(Select::new());
    }

    #[test]
    fn refuses_descriptors_beyond_fd_setsize() {
        let sel = Select::new();
        assert!(sel.can_watch(0) && sel.can_watch(1023));
        assert!(!sel.can_watch(1024) && !sel.can_watch(-1));
        assert!(sel.check(4096).is_err());
    }
}

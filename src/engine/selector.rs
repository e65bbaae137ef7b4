//! The readiness-selector abstraction shared by the select, poll and epoll engines.
//!
//! A selector answers one question: "which of these descriptors can I read or write
//! without blocking?". select(2), poll(2) and epoll(7) answer it with different data
//! structures (a bitmap, an array, a kernel red-black tree) but the same shape, so one
//! event loop (`engine::event_loop`) drives all three through this trait, shaped like
//! mio's `Poll`/`Registry`: a descriptor is registered with a [`Token`] (our name for
//! it) and an [`Interest`] (read, write or both); `wait` returns [`Event`]s carrying
//! the token back.
//!
//! [`Trigger`] is smol-rs/polling's `PollMode`: **level-triggered** selectors report a
//! descriptor on every `wait` for as long as it is ready (select and poll can do
//! nothing else); **edge-triggered** ones report it once per change of state
//! (`EPOLLET`), so the caller must read until `EAGAIN` or remember that it stopped
//! early. The trigger becomes flags in exactly one place, inside the selector.

use std::io;
use std::os::fd::{BorrowedFd, RawFd};
use std::time::Duration;

/// The caller's name for a registered descriptor, returned in its events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token(pub usize);

/// Which readiness the caller wants to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interest {
    pub read: bool,
    pub write: bool,
}

impl Interest {
    /// Neither: the descriptor stays registered but only errors and hang-ups report.
    pub const NONE: Interest = Interest {
        read: false,
        write: false,
    };
    pub const READ: Interest = Interest {
        read: true,
        write: false,
    };
    pub const WRITE: Interest = Interest {
        read: false,
        write: true,
    };
    pub const BOTH: Interest = Interest {
        read: true,
        write: true,
    };

    pub fn new(read: bool, write: bool) -> Interest {
        Interest { read, write }
    }
}

/// Level- or edge-triggered readiness (smol-rs/polling's `PollMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Reported on every wait while ready (select, poll, epoll's default).
    Level,
    /// Reported once per readiness change (`EPOLLET`); drain to `EAGAIN`.
    Edge,
}

/// One readiness report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub token: Token,
    /// A read will not block: data, end of stream, or an error to collect.
    pub readable: bool,
    /// A write will not block (or will fail at once with the pending error).
    pub writable: bool,
    /// The peer has closed its side (`EPOLLRDHUP`/`POLLHUP`) or the socket has an
    /// error: reading must go on to end of stream, a short read is not "drained".
    pub read_closed: bool,
}

/// A readiness selector: select(2), poll(2) or epoll(7).
///
/// Contract (as in mio): a registered descriptor stays open until it is deregistered;
/// the event loop deregisters before it drops a socket.
pub trait Selector {
    /// The trigger mode this selector was built with.
    fn trigger(&self) -> Trigger;

    /// Whether `fd` can be watched at all (select(2) cannot watch `fd >= FD_SETSIZE`).
    fn can_watch(&self, _fd: RawFd) -> bool {
        true
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()>;

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()>;

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()>;

    /// Wait up to `timeout` (`None`: forever) and replace `events` with what is ready.
    /// An interrupted wait (`EINTR`) returns `Ok` with no events.
    fn wait(&mut self, events: &mut Vec<Event>, timeout: Option<Duration>) -> io::Result<()>;
}

/// The one rounding rule for timeouts (up to whole milliseconds), shared with
/// every other wait in nettool.
pub use crate::net::wait::timeout_millis;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    /// smol-rs/polling's `tests/other_modes.rs`, per selector: write 5 bytes, see a
    /// readable event, read only 3, wait again. A level-triggered selector reports the
    /// 2 bytes left; an edge-triggered one stays silent until new data arrives.
    pub fn write5_read3<S: Selector>(mut sel: S) {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        b.set_nonblocking(true).unwrap();
        sel.register(b.as_fd(), Token(7), Interest::READ).unwrap();
        let mut events = Vec::new();
        let short = Some(Duration::from_millis(100));
        sel.wait(&mut events, short).unwrap();
        assert!(events.is_empty(), "nothing written yet: {events:?}");

        a.write_all(b"12345").unwrap();
        sel.wait(&mut events, short).unwrap();
        assert_eq!(
            events,
            vec![Event {
                token: Token(7),
                readable: true,
                writable: false,
                read_closed: false,
            }]
        );
        let mut buf = [0u8; 3];
        b.read_exact(&mut buf).unwrap();

        sel.wait(&mut events, short).unwrap();
        match sel.trigger() {
            Trigger::Level => assert_eq!(events.len(), 1, "level: 2 bytes still unread"),
            Trigger::Edge => assert!(events.is_empty(), "edge: no new data, no event"),
        }

        // New data is a new edge for both modes.
        a.write_all(b"6").unwrap();
        sel.wait(&mut events, short).unwrap();
        assert_eq!(events.len(), 1);

        // Write interest: an empty socket buffer is writable at once.
        sel.reregister(b.as_fd(), Token(7), Interest::WRITE)
            .unwrap();
        sel.wait(&mut events, short).unwrap();
        assert!(events.len() == 1 && events[0].writable && !events[0].readable);

        sel.deregister(b.as_fd()).unwrap();
        a.write_all(b"7").unwrap();
        sel.wait(&mut events, short).unwrap();
        assert!(events.is_empty(), "deregistered: {events:?}");
    }
}

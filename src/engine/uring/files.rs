//! Registered files (io_uring_register_files(3)): a table of descriptors the ring holds
//! on to, so a submission can name a socket by its slot ("fixed" or direct descriptor,
//! `IOSQE_FIXED_FILE`) instead of its descriptor number.
//!
//! Every operation on a plain descriptor looks it up in the process's file table and
//! takes a reference to the file for the length of the operation (`fget`/`fput`,
//! atomic counts); bench/profile.sh showed that lookup as ~1% of the server's CPU in
//! a 64-byte ping-pong. With the socket in the ring's own table the lookup is an
//! index and the reference is the table's. The cost moves to the connection's two
//! ends: one `io_uring_register` to put it in, one to take it out.
//!
//! Slot = descriptor number: descriptors are below `RLIMIT_NOFILE`, so the table is
//! sized to it (capped at [`MAX_SLOTS`]) and needs no allocator; a descriptor past the
//! table, a kernel without sparse tables (before 5.19) or a failed update leave the
//! connection on its plain descriptor, which works the same, only without the saving.
//! The table holds a reference to each file, so a slot is emptied before its
//! descriptor is closed — otherwise the socket would outlive `close(2)` (no FIN) — and
//! thereby before the number can be handed out again.

use std::os::fd::RawFd;

use io_uring::IoUring;
use io_uring::squeue::{Entry, Flags};
use io_uring::types::Fd;

use crate::net::trace::{self, TraceResult};

/// At most this many slots (8 bytes of kernel memory each, per ring).
const MAX_SLOTS: u64 = 65_536;

/// How a connection's submissions name its socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The descriptor, which is also its slot when `fixed`.
    fd: RawFd,
    fixed: bool,
}

impl Target {
    /// Build a submission on this socket (`build` gets the number to put in the SQE).
    pub fn entry(self, build: impl FnOnce(Fd) -> Entry) -> Entry {
        let e = build(Fd(self.fd));
        if self.fixed {
            e.flags(Flags::FIXED_FILE)
        } else {
            e
        }
    }

    /// The socket's descriptor (what `--explain=io` counts its calls against).
    pub fn raw(self) -> RawFd {
        self.fd
    }

    /// As `--explain` shows it.
    pub fn shown(self) -> String {
        if self.fixed {
            format!("fixed {}", self.fd)
        } else {
            self.fd.to_string()
        }
    }
}

/// An update of the table, shown as the count the kernel reports.
struct Updated(usize);

impl TraceResult for Updated {
    fn shown(&self) -> String {
        self.0.to_string()
    }
}

/// The ring's table of registered files (empty when the kernel has none).
pub struct FileTable {
    slots: u32,
}

impl FileTable {
    /// Register a sparse table as large as the descriptor limit allows.
    pub fn register(uring: &IoUring) -> FileTable {
        let slots = crate::net::limits::nofile().0.min(MAX_SLOTS) as u32;
        let fd = std::os::fd::AsRawFd::as_raw_fd(uring).to_string();
        let r = trace::call(
            "io_uring_register",
            || {
                vec![
                    fd,
                    "IORING_REGISTER_FILES2".into(),
                    format!("{{nr={slots}, flags=IORING_RSRC_REGISTER_SPARSE}}"),
                ]
            },
            || uring.submitter().register_files_sparse(slots),
        );
        match r {
            Ok(()) => FileTable { slots },
            Err(e) => {
                log::debug!(
                    "io-uring: no registered file table ({}); sockets stay plain descriptors",
                    crate::os_error::describe(&e)
                );
                FileTable { slots: 0 }
            }
        }
    }

    /// Put `fd` in its slot; the plain descriptor if it cannot be.
    pub fn install(&self, uring: &IoUring, fd: RawFd) -> Target {
        let plain = Target { fd, fixed: false };
        if fd < 0 || fd as u32 >= self.slots {
            return plain;
        }
        match self.update(uring, fd as u32, fd) {
            Ok(1) => Target { fd, fixed: true },
            _ => plain,
        }
    }

    /// Empty the slot of `t` (before its descriptor is closed).
    pub fn release(&self, uring: &IoUring, t: Target) {
        if t.fixed {
            if let Err(e) = self.update(uring, t.fd as u32, -1) {
                // The socket would stay open behind the table: say so.
                log::warn!(
                    "io-uring: emptying registered file slot {}: {}",
                    t.fd,
                    crate::os_error::describe(&e)
                );
            }
        }
    }

    fn update(&self, uring: &IoUring, slot: u32, fd: RawFd) -> std::io::Result<usize> {
        // The arguments are rendered only when traced: this runs twice per connection.
        trace::lifecycle(
            "io_uring_register",
            || {
                vec![
                    std::os::fd::AsRawFd::as_raw_fd(uring).to_string(),
                    "IORING_REGISTER_FILES_UPDATE".into(),
                    format!("{{offset={slot}, fds=[{fd}]}}"),
                ]
            },
            || {
                uring
                    .submitter()
                    .register_files_update(slot, &[fd])
                    .map(Updated)
            },
        )
        .map(|u| u.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{ErrorKind, Read};
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::time::Duration;

    /// A small ring, or None (said on stderr) where io_uring is unavailable.
    fn ring() -> Option<IoUring> {
        IoUring::new(8)
            .inspect_err(|e| eprintln!("skipped: no io_uring here ({e})"))
            .ok()
    }

    #[test]
    fn the_table_keeps_a_socket_open_until_its_slot_is_emptied() {
        let Some(uring) = ring() else { return };
        let table = FileTable::register(&uring);
        let (ours, mut peer) = UnixStream::pair().unwrap();
        peer.set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let t = table.install(&uring, ours.as_raw_fd());
        assert!(t.fixed, "a low descriptor gets its slot");
        drop(ours);
        let mut buf = [0u8; 8];
        let still_open = peer.read(&mut buf).unwrap_err().kind();
        assert!(
            matches!(still_open, ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "closed while the table held it: {still_open:?}"
        );
        table.release(&uring, t);
        assert_eq!(peer.read(&mut buf).unwrap(), 0, "end of file once released");
    }

    #[test]
    fn a_descriptor_past_the_table_stays_plain() {
        let Some(uring) = ring() else { return };
        let none = FileTable { slots: 0 };
        let t = none.install(&uring, 3);
        assert_eq!(
            t,
            Target {
                fd: 3,
                fixed: false
            }
        );
        assert_eq!(t.shown(), "3");
        none.release(&uring, t);
    }
}

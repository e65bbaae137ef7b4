//! The ring itself: `io_uring_setup(2)` with its flags, the probe, and one method per
//! kind of submission the engine makes — each the only place that kind is built, so
//! each states once what memory and descriptors the kernel will use after the call
//! returns (the lifetime argument a completion API needs and a readiness API does not).
//!
//! Submissions are only queued here; [`Ring::wait`] sends them all and waits for
//! completions in one `io_uring_enter(2)` per turn of the loop. `--explain` shows the
//! setup calls and the first submission of each opcode, as they are made;
//! `--explain=io` every submission and enter ([`super::explain`], rate-limited).

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::time::Duration;

use io_uring::types::{Fd, SubmitArgs, Timespec};
use io_uring::{IoUring, cqueue, opcode, squeue};

use super::bufring::BufRing;
use super::explain;
use super::files::{FileTable, Target};
use super::support;
use crate::net::trace::{self, TraceResult};

/// Submission queue entries (the completion queue is [`CQ_ENTRIES`]). A full queue is
/// submitted early, so this bounds a batch, not the number of operations in flight.
const SQ_ENTRIES: u32 = 1024;
/// Completion queue entries: room for a burst from many connections in one turn
/// (beyond it the kernel keeps overflowing completions itself: `IORING_FEAT_NODROP`).
const CQ_ENTRIES: u32 = 8192;

/// `IOU_PBUF_RING_INC` (io_uring_register_buf_ring(3)): receives consume provided
/// buffers incrementally.
const PBUF_RING_INC: u16 = 2;

/// One completion, copied out of the ring so the loop can submit while handling it.
#[derive(Debug, Clone, Copy)]
pub struct Completion {
    pub user_data: u64,
    pub result: i32,
    pub flags: u32,
}

impl Completion {
    /// More completions follow from the same (multishot) submission.
    pub fn more(&self) -> bool {
        cqueue::more(self.flags)
    }

    /// Incremental buffer ring: the kernel goes on filling this completion's buffer.
    pub fn buffer_more(&self) -> bool {
        cqueue::buffer_more(self.flags)
    }

    /// The provided buffer this completion filled.
    pub fn buffer(&self) -> Option<u16> {
        cqueue::buffer_select(self.flags)
    }

    /// The result as an I/O result (a negative errno is an error).
    pub fn io(&self) -> io::Result<u32> {
        if self.result < 0 {
            Err(io::Error::from_raw_os_error(-self.result))
        } else {
            Ok(self.result as u32)
        }
    }
}

/// A submission queued for the next `io_uring_enter`, as `--explain` shows it.
struct Queued;

impl TraceResult for Queued {
    fn shown(&self) -> String {
        "queued".into()
    }
}

/// A new ring, shown as its descriptor.
struct NewRing(IoUring);

impl TraceResult for NewRing {
    fn shown(&self) -> String {
        self.0.as_raw_fd().to_string()
    }
}

/// An io_uring instance with the receive buffer ring registered.
pub struct Ring {
    uring: IoUring,
    /// Opcodes already shown by `--explain` (the first submission of each).
    explained: u64,
    /// Completions of the current turn.
    done: Vec<Completion>,
    /// Registered files: where connections' sockets go (see [`files`](super::files)).
    files: FileTable,
}

/// The setup flags tried first: one thread submits (`SINGLE_ISSUER`), completions are
/// run only when that thread asks (`DEFER_TASKRUN`: no interrupting task work between
/// turns), a failing submission does not stop the batch (`SUBMIT_ALL`), and the ring
/// starts disabled so the thread that runs the loop (a `--workers` thread) becomes its
/// one issuer when it enables it.
const FAST: &[&str] = &[
    "IORING_SETUP_R_DISABLED",
    "IORING_SETUP_SINGLE_ISSUER",
    "IORING_SETUP_DEFER_TASKRUN",
    "IORING_SETUP_SUBMIT_ALL",
];

fn flag_names(fast: bool) -> String {
    let mut names: Vec<&str> = vec!["IORING_SETUP_CQSIZE"];
    if fast {
        names.extend(FAST);
    }
    format!("{{flags={}, cq_entries={CQ_ENTRIES}}}", names.join("|"))
}

impl Ring {
    /// Set up a ring (falling back to plain flags on kernels before 6.1), check that
    /// it knows every opcode the engine submits, and register `bufs`. Every failure is
    /// one line naming what is missing.
    pub fn new(bufs: &mut BufRing) -> Result<Ring, String> {
        let sysctl = support::read_sysctl();
        if let Some(why) = support::disabled(sysctl) {
            return Err(why);
        }
        let build = |fast: bool| {
            trace::call(
                "io_uring_setup",
                || vec![SQ_ENTRIES.to_string(), flag_names(fast)],
                || {
                    let mut b = IoUring::builder();
                    b.setup_cqsize(CQ_ENTRIES);
                    if fast {
                        b.setup_r_disabled()
                            .setup_single_issuer()
                            .setup_defer_taskrun()
                            .setup_submit_all();
                    }
                    b.build(SQ_ENTRIES).map(NewRing)
                },
            )
        };
        let uring = match build(true) {
            Ok(r) => r.0,
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                build(false)
                    .map_err(|e| support::setup_failed(&e, sysctl))?
                    .0
            }
            Err(e) => return Err(support::setup_failed(&e, sysctl)),
        };
        if !uring.params().is_feature_ext_arg() {
            return Err(support::NO_EXT_ARG.into());
        }
        let fd = uring.as_raw_fd().to_string();
        let mut probe = io_uring::Probe::new();
        trace::call(
            "io_uring_register",
            || vec![fd.clone(), "IORING_REGISTER_PROBE".into()],
            || uring.submitter().register_probe(&mut probe),
        )
        .map_err(|e| {
            format!(
                "this kernel's io_uring cannot be probed (IORING_REGISTER_PROBE, Linux 5.6): {}",
                crate::os_error::describe(&e)
            )
        })?;
        if let Some(why) = support::first_missing(|code| probe.is_supported(code)) {
            return Err(why);
        }
        // Incremental consumption first (Linux 6.12); the classic ring otherwise.
        let register = |flags: u16| {
            trace::call(
                "io_uring_register",
                || {
                    let f = if flags == PBUF_RING_INC {
                        ", flags=IOU_PBUF_RING_INC"
                    } else {
                        ""
                    };
                    vec![
                        fd.clone(),
                        "IORING_REGISTER_PBUF_RING".into(),
                        format!(
                            "{{bgid={}, ring_entries={}, buffers of {} bytes{f}}}",
                            bufs.bgid,
                            bufs.count(),
                            bufs.size()
                        ),
                    ]
                },
                // SAFETY: the ring memory is `count` entries, page-aligned, owned by
                // `bufs`, which the engine keeps alive until after this ring is closed
                // (see `bufring`): the kernel never sees it freed.
                || unsafe {
                    uring.submitter().register_buf_ring_with_flags(
                        bufs.ring_addr(),
                        bufs.count(),
                        bufs.bgid,
                        flags,
                    )
                },
            )
        };
        match register(PBUF_RING_INC) {
            Ok(()) => bufs.set_incremental(true),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                register(0).map_err(|e| support::buf_ring_failed(&e))?
            }
            Err(e) => return Err(support::buf_ring_failed(&e)),
        }
        let files = FileTable::register(&uring);
        Ok(Ring {
            uring,
            explained: 0,
            done: Vec::with_capacity(CQ_ENTRIES as usize),
            files,
        })
    }

    /// Start a ring that was set up disabled, from the thread that will submit to it.
    pub fn enable(&self) -> io::Result<()> {
        if self.uring.params().is_setup_single_issuer() {
            let fd = self.uring.as_raw_fd().to_string();
            trace::call(
                "io_uring_register",
                || vec![fd, "IORING_REGISTER_ENABLE_RINGS".into()],
                || self.uring.submitter().register_enable_rings(),
            )?;
        }
        Ok(())
    }

    /// Register a connection's socket with the ring: what its submissions name it by.
    pub fn install(&mut self, fd: RawFd) -> Target {
        self.files.install(&self.uring, fd)
    }

    /// Unregister a socket [`install`](Self::install)ed, before it is closed.
    pub fn release(&mut self, t: Target) {
        self.files.release(&self.uring, t)
    }

    /// Queue `entry`, submitting the queue first if it is full.
    ///
    /// # Safety
    /// Whatever memory or descriptor `entry` refers to must stay valid until its last
    /// completion has been reaped.
    unsafe fn push(
        &mut self,
        entry: &squeue::Entry,
        fd: RawFd,
        name: &'static str,
        args: impl FnOnce() -> Vec<String>,
    ) {
        let code = entry.get_opcode();
        if trace::io_on() {
            trace::made(name, Some(fd), args, &Ok(Queued), || None);
        } else if code < 64 && self.explained & (1 << code) == 0 {
            self.explained |= 1 << code;
            let _ = trace::call(name, args, || Ok(Queued));
        }
        loop {
            // SAFETY: passed on to the caller (this function's contract).
            if unsafe { self.uring.submission().push(entry) }.is_ok() {
                return;
            }
            // Full: hand the batch to the kernel now and try again.
            let to_submit = self.uring.submission().len();
            let r = self.uring.submit();
            if trace::io_on() {
                let ready = self.uring.completion().len();
                explain::enter(self.uring.as_raw_fd(), to_submit, 0, None, &r, ready);
            }
            if let Err(e) = r {
                if e.raw_os_error() != Some(libc::EBUSY) {
                    log::warn!("io_uring_enter: {}", crate::os_error::describe(&e));
                }
            }
        }
    }

    /// Poll for `POLLIN` on `fd` (the shutdown self-pipe, the listener's epoll set);
    /// multishot: a completion each time it becomes readable.
    pub fn poll_in(&mut self, fd: RawFd, multi: bool, user_data: u64) {
        let e = opcode::PollAdd::new(Fd(fd), libc::POLLIN as u32)
            .multi(multi)
            .build()
            .user_data(user_data);
        let name = if multi {
            "io_uring_prep_poll_multishot"
        } else {
            "io_uring_prep_poll_add"
        };
        // SAFETY: no memory is referenced; `fd` outlives the loop.
        unsafe { self.push(&e, fd, name, || vec![fd.to_string(), "POLLIN".into()]) }
    }

    /// Multishot receive on `fd` into the buffer ring `bgid`.
    pub fn recv_multi(&mut self, fd: Target, bgid: u16, user_data: u64) {
        let e = fd
            .entry(|t| opcode::RecvMulti::new(t, bgid).build())
            .user_data(user_data);
        // SAFETY: the kernel writes only into buffers of the registered buffer ring,
        // which outlives the ring; `fd` is closed only after this operation's last
        // completion (the connection waits for it).
        unsafe {
            self.push(&e, fd.raw(), "io_uring_prep_recv_multishot", || {
                vec![
                    fd.shown(),
                    "NULL".into(),
                    "0".into(),
                    format!("buf_group={bgid}"),
                ]
            })
        }
    }

    /// Send `len` bytes from `buf` on `fd`.
    ///
    /// # Safety
    /// `buf..buf + len` must stay allocated and unchanged until this send completes.
    pub unsafe fn send(
        &mut self,
        fd: Target,
        buf: *const u8,
        len: u32,
        more: bool,
        user_data: u64,
    ) {
        let flags = libc::MSG_NOSIGNAL | if more { libc::MSG_MORE } else { 0 };
        let e = fd
            .entry(|t| opcode::Send::new(t, buf, len).flags(flags).build())
            .user_data(user_data);
        // SAFETY: the caller keeps the buffer (this function's contract); `fd` is
        // closed only after the send's completion.
        unsafe {
            self.push(&e, fd.raw(), "io_uring_prep_send", || {
                let f = if more {
                    "MSG_NOSIGNAL|MSG_MORE"
                } else {
                    "MSG_NOSIGNAL"
                };
                vec![
                    fd.shown(),
                    crate::text::plural(len.into(), "byte"),
                    f.into(),
                ]
            })
        }
    }

    /// One-shot poll for `POLLOUT` on a connection's socket.
    pub fn poll_out(&mut self, fd: Target, user_data: u64) {
        let e = fd
            .entry(|t| opcode::PollAdd::new(t, libc::POLLOUT as u32).build())
            .user_data(user_data);
        // SAFETY: no memory is referenced; the socket is closed only after this poll's
        // completion (the connection waits for it).
        unsafe {
            self.push(&e, fd.raw(), "io_uring_prep_poll_add", || {
                vec![fd.shown(), "POLLOUT".into()]
            })
        }
    }

    /// Cancel the operation submitted with `target` as its user data (a request on `fd`).
    pub fn cancel(&mut self, fd: RawFd, target: u64, user_data: u64) {
        let e = opcode::AsyncCancel::new(target)
            .build()
            .user_data(user_data);
        // SAFETY: no memory or descriptor is referenced.
        unsafe {
            self.push(&e, fd, "io_uring_prep_cancel", || {
                vec![format!("user_data={target:#x}")]
            })
        }
    }

    /// Submit everything queued and wait for at least one completion, or `timeout`:
    /// one `io_uring_enter(2)`. The completions are then in [`completions`](Self::completions).
    pub fn wait(&mut self, timeout: Option<Duration>) -> io::Result<()> {
        let ts = timeout.map(Timespec::from);
        let to_submit = self.uring.submission().len();
        let r = match &ts {
            Some(ts) => self
                .uring
                .submitter()
                .submit_with_args(1, &SubmitArgs::new().timespec(ts)),
            None => self.uring.submitter().submit_and_wait(1),
        };
        if trace::io_on() {
            let ready = self.uring.completion().len();
            explain::enter(self.uring.as_raw_fd(), to_submit, 1, timeout, &r, ready);
        }
        match r {
            Ok(_) => {}
            // The timeout passed, a signal arrived (its pipe completes too), or the
            // completion queue is full (reaping below makes room).
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::ETIME | libc::EINTR | libc::EBUSY)
                ) => {}
            Err(e) => return Err(e),
        }
        self.done.clear();
        self.done
            .extend(self.uring.completion().map(|c| Completion {
                user_data: c.user_data(),
                result: c.result(),
                flags: c.flags(),
            }));
        Ok(())
    }

    /// The completions the last [`wait`](Self::wait) reaped (taken: the loop pushes
    /// new submissions while it handles them).
    pub fn completions(&mut self) -> Vec<Completion> {
        std::mem::take(&mut self.done)
    }

    /// Give back the vector [`completions`](Self::completions) lent out, to reuse it.
    pub fn recycle(&mut self, mut v: Vec<Completion>) {
        v.clear();
        self.done = v;
    }
}

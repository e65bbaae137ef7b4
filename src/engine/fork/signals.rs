//! The fork engine's signal plumbing. The parent turns SIGCHLD into a readable
//! self-pipe (the handler only `write(2)`s one byte, which is async-signal-safe), so
//! the accept loop's `poll` wakes when a child exits. The child replaces the parent's
//! SIGINT/SIGTERM handlers with one that shuts its connection's read side.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicI32, Ordering};

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

/// The connection fd the child's SIGINT/SIGTERM handler shuts down.
static CHILD_CONN_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn child_stop_reading(_: libc::c_int) {
    let fd = CHILD_CONN_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let saved = Errno::last_raw();
        // SAFETY: shutdown(2) is async-signal-safe (signal-safety(7)); `fd` is the
        // child's connection, open until the child exits.
        unsafe { libc::shutdown(fd, libc::SHUT_RD) };
        Errno::set_raw(saved);
    }
}

/// In the child: SIGINT/SIGTERM end the connection gracefully (read side shut, queued
/// bytes still sent); SIGCHLD goes back to its default (the child has no children);
/// SIGUSR1 is ignored (the parent reports the counters; a child's handler inherited
/// from the parent would only wake the parent's loop through the shared self-pipe).
pub(super) fn child_signals(conn: RawFd) -> nix::Result<()> {
    CHILD_CONN_FD.store(conn, Ordering::Relaxed);
    let stop = SigAction::new(
        SigHandler::Handler(child_stop_reading),
        SaFlags::empty(),
        SigSet::empty(),
    );
    let dfl = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    let ign = SigAction::new(SigHandler::SigIgn, SaFlags::empty(), SigSet::empty());
    for (sig, act) in [
        (Signal::SIGINT, &stop),
        (Signal::SIGTERM, &stop),
        (Signal::SIGCHLD, &dfl),
        (Signal::SIGUSR1, &ign),
    ] {
        // SAFETY: the handler only loads an atomic and calls shutdown(2), both
        // async-signal-safe; SIG_DFL and SIG_IGN run no code.
        unsafe { sigaction(sig, act) }?;
    }
    Ok(())
}

/// The write end of the SIGCHLD self-pipe, read by the handler.
static SIGCHLD_WAKE_FD: AtomicI32 = AtomicI32::new(-1);

extern "C" fn on_sigchld(_: libc::c_int) {
    let fd = SIGCHLD_WAKE_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let saved = Errno::last_raw();
        // SAFETY: write(2) is async-signal-safe; the pipe is non-blocking, so a full
        // pipe (a wake-up already pending) just fails with EAGAIN.
        unsafe { libc::write(fd, [1u8].as_ptr().cast(), 1) };
        Errno::set_raw(saved);
    }
}

/// SIGCHLD turned into a readable descriptor; the old disposition returns on drop.
pub(super) struct SigchldPipe {
    pub(super) read: OwnedFd,
    _write: OwnedFd,
    old: SigAction,
}

impl SigchldPipe {
    pub(super) fn install() -> anyhow::Result<Self> {
        let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC | OFlag::O_NONBLOCK)?;
        SIGCHLD_WAKE_FD.store(write.as_raw_fd(), Ordering::Relaxed);
        let act = SigAction::new(
            SigHandler::Handler(on_sigchld),
            SaFlags::SA_NOCLDSTOP,
            SigSet::empty(),
        );
        // SAFETY: the handler only loads an atomic and calls write(2) on a non-blocking
        // pipe, saving errno around it: async-signal-safe.
        let old = unsafe { sigaction(Signal::SIGCHLD, &act) }?;
        Ok(SigchldPipe {
            read,
            _write: write,
            old,
        })
    }

    pub(super) fn drain(&self) {
        let mut buf = [0u8; 64];
        while matches!(nix::unistd::read(&self.read, &mut buf), Ok(n) if n > 0) {}
    }
}

impl Drop for SigchldPipe {
    fn drop(&mut self) {
        // SAFETY: restores the disposition that was in force before `install`.
        let _ = unsafe { sigaction(Signal::SIGCHLD, &self.old) };
        SIGCHLD_WAKE_FD.store(-1, Ordering::Relaxed);
    }
}

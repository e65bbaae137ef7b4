//! `--exec` / `--sh-exec` (ncat's `-e` / `-c`): a program whose stdin and stdout
//! *are* the connection.
//!
//! The socket itself becomes the child's descriptors 0 and 1 (`dup2(2)` in the child,
//! done by `std::process::Command`), so no byte passes through nettool: the child
//! reads and writes the connection at its own pace in both directions at once, which
//! is why bulk full-duplex traffic cannot deadlock here the way a relay with one
//! buffer per direction can. Every descriptor nettool opens is `O_CLOEXEC`
//! ([`crate::net::socket::new_socket`], `accept4(SOCK_CLOEXEC)`, std's files and
//! pipes); descriptors nettool itself inherited without the flag (a make jobserver's
//! pipe, a shell's extra redirections) get it in the child just before `execve`
//! (`close_range(3, ~0, CLOSE_RANGE_CLOEXEC)`), so the child holds the connection and
//! stderr, nothing else.
//!
//! Each child is watched through a pidfd (`pidfd_open(2)`, Linux 5.3): it becomes
//! readable when the child exits, so one `poll(2)` waits for the listener, the
//! children and the signals alike, and every child is reaped as soon as it ends.

use std::io;
use std::os::fd::{AsFd, BorrowedFd, FromRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use socket2::Socket;

use crate::error::Interrupted;
use crate::net::peer::Peer;
use crate::net::signals::Shutdown;
use crate::net::trace;
use crate::net::wait::{Watch, Woke, wait};

/// The program to run for a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecCmd {
    /// `--exec "PROG ARGS…"`: split at whitespace, run without a shell (as ncat does).
    Direct(Vec<String>),
    /// `--sh-exec "…"`: `/bin/sh -c "…"`.
    Shell(String),
}

impl ExecCmd {
    /// `--exec` text, refused when empty.
    pub fn direct(text: &str) -> anyhow::Result<ExecCmd> {
        let words: Vec<String> = text.split_whitespace().map(String::from).collect();
        if words.is_empty() {
            anyhow::bail!("--exec: empty command");
        }
        Ok(ExecCmd::Direct(words))
    }

    /// How the command is named in logs: the text as given.
    pub fn label(&self) -> String {
        match self {
            ExecCmd::Direct(w) => w.join(" "),
            ExecCmd::Shell(s) => s.clone(),
        }
    }

    fn command(&self) -> Command {
        match self {
            ExecCmd::Direct(w) => {
                let mut c = Command::new(&w[0]);
                c.args(&w[1..]);
                c
            }
            ExecCmd::Shell(s) => {
                let mut c = Command::new("/bin/sh");
                c.arg("-c").arg(s);
                c
            }
        }
    }
}

/// A running child and the descriptor that says when it ended.
#[derive(Debug)]
pub struct ExecChild {
    child: std::process::Child,
    pidfd: OwnedFd,
}

impl ExecChild {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn fd(&self) -> BorrowedFd<'_> {
        self.pidfd.as_fd()
    }

    /// Reap it (it has exited: its pidfd was readable).
    fn reap(mut self) -> io::Result<ExitStatus> {
        self.child.wait()
    }

    /// SIGTERM, then reap: for a command that is stopping.
    fn terminate(mut self) -> io::Result<ExitStatus> {
        // SAFETY: kill(2) on the pid of our own child, not yet reaped (so the pid is
        // still ours and cannot have been reused).
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        self.child.wait()
    }
}

/// How a child ended, in the words of a shell (`status 3`, `signal 15`).
pub fn describe_status(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(c), _) => format!("exited with status {c}"),
        (None, Some(s)) => format!("was killed by signal {s}"),
        _ => "ended".into(),
    }
}

/// `pidfd_open(2)`: a descriptor that polls readable when `pid` exits (close-on-exec).
fn pidfd_open(pid: u32) -> io::Result<OwnedFd> {
    // SAFETY: the syscall takes a pid and flags and returns a new descriptor or -1.
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the kernel just returned this descriptor to us; nobody else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd as i32) })
}

/// The highest descriptor number to mark in the child's fallback loop.
fn open_fd_limit() -> i32 {
    nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE)
        .map_or(1024, |(soft, _)| soft.min(1 << 16) as i32)
}

/// In the child: mark every descriptor from 3 up close-on-exec (`close_range(2)`,
/// Linux 5.11; older kernels get an `fcntl(2)` per descriptor number).
fn cloexec_from_3(limit: i32) {
    // SAFETY: close_range only changes flags of this (child) process's descriptors.
    let r = unsafe {
        libc::syscall(
            libc::SYS_close_range,
            3 as libc::c_uint,
            libc::c_uint::MAX,
            libc::CLOSE_RANGE_CLOEXEC,
        )
    };
    if r == 0 {
        return;
    }
    for fd in 3..limit {
        // SAFETY: F_SETFD on a number that may not be open fails with EBADF, harmlessly.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
}

/// Start `cmd` with `sock` as its stdin and stdout (stderr is ours). Our copies of
/// the socket are closed on return, so the connection ends when the child ends.
pub fn spawn(cmd: &ExecCmd, sock: Socket) -> anyhow::Result<ExecChild> {
    let label = cmd.label();
    let input: OwnedFd = sock.try_clone().context("dup the connection")?.into();
    let output: OwnedFd = sock.into();
    let mut command = cmd.command();
    command
        .stdin(Stdio::from(input))
        .stdout(Stdio::from(output))
        .stderr(Stdio::inherit());
    let fd_limit = open_fd_limit();
    // SAFETY: the closure runs in the forked child before execve and only makes
    // async-signal-safe system calls (close_range, fcntl); it allocates nothing.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut command, move || {
            cloexec_from_3(fd_limit);
            Ok(())
        });
    }
    let child = trace::call(
        "execve",
        || vec![format!("{label:?}"), "stdin=stdout=connection".into()],
        || command.spawn(),
    )
    .map_err(|e| {
        let why = crate::os_error::describe(&e);
        anyhow!("run {label:?}: {why}")
    })?;
    // `command` holds the parent's copies of the socket until it is dropped.
    drop(command);
    let pidfd = match pidfd_open(child.id()) {
        Ok(fd) => fd,
        Err(e) => {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
            return Err(anyhow!(e).context("pidfd_open (needs Linux 5.3)"));
        }
    };
    Ok(ExecChild { child, pidfd })
}

/// Wait for one child to end; SIGINT/SIGTERM stop it (SIGTERM) and return
/// [`Interrupted`].
pub fn wait_child(child: ExecChild, shutdown: &Shutdown) -> anyhow::Result<ExitStatus> {
    loop {
        let mut w = [Watch::read(child.fd())];
        match wait(&mut w, shutdown, None).context("wait for the child")? {
            Woke::Stop(signal) => {
                let _ = child.terminate();
                return Err(Interrupted { signal }.into());
            }
            Woke::Ready if w[0].ready() => return Ok(child.reap()?),
            _ => {}
        }
    }
}

/// What a listener running children reports as it goes.
pub enum ExecEvent<'a> {
    Connection(&'a Peer),
    Started {
        peer: &'a str,
        pid: u32,
    },
    Exited {
        peer: &'a str,
        pid: u32,
        status: ExitStatus,
    },
}

/// A listener that runs `cmd` per connection: one connection (and its child) without
/// `keep_open`; with it, a child per connection, all at once (at most `max` alive;
/// further connections wait in the backlog), each reaped as it ends. `timeout`
/// bounds the wait for a connection while no child runs. Returns the last child's
/// status (for the exit code without `keep_open`).
pub fn serve(
    listener: &Socket,
    cmd: &ExecCmd,
    keep_open: bool,
    max: Option<usize>,
    timeout: Option<Duration>,
    shutdown: &Shutdown,
    report: &mut dyn FnMut(ExecEvent<'_>),
) -> anyhow::Result<Option<ExitStatus>> {
    let mut children: Vec<(ExecChild, String)> = Vec::new();
    let mut accepting = true;
    let mut last = None;
    let mut deadline = timeout.map(|t| Instant::now() + t);
    trace::checkpoint("accept4", || {
        vec![trace::fd(listener), "SOCK_CLOEXEC".into()]
    })?;
    while accepting || !children.is_empty() {
        let take = accepting && max.is_none_or(|m| children.len() < m);
        let mut watches: Vec<Watch<'_>> =
            children.iter().map(|(c, _)| Watch::read(c.fd())).collect();
        if take {
            watches.push(Watch::read(listener.as_fd()));
        }
        let until = if children.is_empty() { deadline } else { None };
        let woke = wait(&mut watches, shutdown, until).context("wait for connections and children");
        let ready: Vec<bool> = watches.iter().map(Watch::ready).collect();
        drop(watches);
        match woke? {
            Woke::Stop(signal) => {
                for (child, peer) in children.drain(..) {
                    let pid = child.pid();
                    if let Ok(status) = child.terminate() {
                        report(ExecEvent::Exited {
                            peer: &peer,
                            pid,
                            status,
                        });
                    }
                }
                return Err(Interrupted { signal }.into());
            }
            Woke::Timeout => anyhow::bail!(
                "no connection within {}",
                crate::text::duration(timeout.unwrap_or_default())
            ),
            Woke::Ready => {}
        }
        // Reap first: a slot freed now may take the waiting connection.
        let mut alive = Vec::with_capacity(children.len());
        for ((child, peer), done) in children.drain(..).zip(&ready) {
            if !*done {
                alive.push((child, peer));
                continue;
            }
            let pid = child.pid();
            let status = child.reap().context("wait for the child")?;
            report(ExecEvent::Exited {
                peer: &peer,
                pid,
                status,
            });
            last = Some(status);
        }
        children = alive;
        if !(take && ready.last().copied().unwrap_or(false)) {
            continue;
        }
        let (sock, peer) = match trace::action(
            "accept4",
            || vec![trace::fd(listener), "SOCK_CLOEXEC".into()],
            || listener.accept(),
        ) {
            Ok((sock, addr)) => {
                let peer = Peer::accepted(&sock, &addr);
                (sock, peer)
            }
            Err(e)
                if matches!(
                    e.raw_os_error(),
                    Some(libc::EAGAIN | libc::EINTR | libc::ECONNABORTED)
                ) =>
            {
                continue;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("accept")),
        };
        report(ExecEvent::Connection(&peer));
        let peer = peer.to_string();
        // The listener's own O_NONBLOCK is not the child's business.
        let _ = sock.set_nonblocking(false);
        let child = spawn(cmd, sock)?;
        report(ExecEvent::Started {
            peer: &peer,
            pid: child.pid(),
        });
        children.push((child, peer));
        accepting = keep_open;
        deadline = timeout.map(|t| Instant::now() + t);
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::os::unix::net::UnixStream;

    #[test]
    fn the_child_talks_on_the_connection_and_its_status_is_kept() {
        let shutdown = Shutdown::install().unwrap();
        let (mine, theirs) = UnixStream::pair().unwrap();
        let child = spawn(
            &ExecCmd::Shell("read line; echo \"got $line\"; exit 3".into()),
            Socket::from(OwnedFd::from(theirs)),
        )
        .unwrap();
        (&mine).write_all(b"hi\n").unwrap();
        let mut got = String::new();
        (&mine).read_to_string(&mut got).unwrap();
        assert_eq!(
            got, "got hi\n",
            "EOF proves we hold no copy of the child's end"
        );
        let status = wait_child(child, &shutdown).unwrap();
        assert_eq!(describe_status(status), "exited with status 3");
    }

    #[test]
    fn direct_commands_split_at_whitespace() {
        assert_eq!(
            ExecCmd::direct(" cat  -v ").unwrap(),
            ExecCmd::Direct(vec!["cat".into(), "-v".into()])
        );
        assert!(ExecCmd::direct("  ").is_err());
    }
}

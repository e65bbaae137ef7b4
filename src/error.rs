//! Errors that decide the exit status.
//!
//! The core returns `anyhow::Error`s with context ("connect to 127.0.0.1:9: Connection
//! refused"). Most are runtime failures (exit 1). The few that mean something else
//! carry a typed cause somewhere in their chain — a [`UsageError`] (exit 2), an
//! [`Interrupted`] client (128 + the signal), [`StdoutClosed`] or a [`DryRunStop`]
//! (a normal end, exit 0) — and [`exit_code`] finds it with one match, so the code
//! that detects a condition does not need to know about process exit codes.
//!
//! "Stdout closed" is raised only where nettool writes to its stdout
//! ([`stdout_error`]); a broken pipe on a socket stays a plain failure of that
//! socket, reported and exited 1.

use std::fmt;
use std::io;

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status for a runtime failure: refused, timed out, peer dead, I/O error.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (clap uses the same code for its own errors).
pub const EXIT_USAGE: u8 = 2;

/// An argument the user gave cannot work; exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// An address argument that does not parse.
    #[error("invalid address {input:?}: {reason}")]
    InvalidAddress { input: String, reason: String },
    /// Any other argument that is well-formed for clap but unusable.
    #[error("{0}")]
    Invalid(String),
}

impl UsageError {
    /// Shorthand for [`UsageError::Invalid`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        UsageError::Invalid(msg.into())
    }
}

/// A client, receiver or listener was stopped by a signal before it finished; exit
/// status 128 + the signal number (130 for SIGINT, 143 for SIGTERM), as shells report
/// a death by that signal. Servers stop cleanly instead and exit 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted by signal {signal}")]
pub struct Interrupted {
    pub signal: i32,
}

/// Whoever read our stdout went away (`nettool … | head`): a normal way to stop.
#[derive(Debug, thiserror::Error)]
#[error("stdout closed")]
pub struct StdoutClosed;

/// The marker error of `--dry-run`: "stopped on purpose before this call".
#[derive(Debug)]
pub struct DryRunStop {
    pub call: String,
}

impl fmt::Display for DryRunStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dry run: stopped before {}", self.call)
    }
}

impl std::error::Error for DryRunStop {}

/// nettool's stdout as a writer whose broken pipe carries [`StdoutClosed`] (inside
/// the `io::Error`), so buffered writers and `?` keep the difference between "our
/// reader went away" and a broken pipe on a socket.
#[derive(Debug)]
pub struct Stdout<W>(pub W);

fn mark_stdout(err: io::Error) -> io::Error {
    if err.kind() == io::ErrorKind::BrokenPipe {
        io::Error::new(io::ErrorKind::BrokenPipe, StdoutClosed)
    } else {
        err
    }
}

impl<W: io::Write> io::Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf).map_err(mark_stdout)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush().map_err(mark_stdout)
    }
}

/// A failed write to stdout, typed: `EPIPE` becomes [`StdoutClosed`] (exit 0, no
/// message), anything else "write to stdout: …" (exit 1).
pub fn stdout_error(err: io::Error) -> anyhow::Error {
    if err.kind() == io::ErrorKind::BrokenPipe {
        StdoutClosed.into()
    } else {
        anyhow::Error::new(err).context("write to stdout")
    }
}

/// What an error means for the process: the one place a cause becomes a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stopped on purpose (stdout closed, `--dry-run`): exit 0, nothing printed.
    Quiet,
    /// Interrupted by a signal: 128 + N, nothing printed.
    Signal(i32),
    /// A usage error: exit 2 with the message.
    Usage,
    /// A runtime failure: exit 1 with the message.
    Failure,
}

/// Whether the binary prints the error before exiting: usage errors and failures
/// are worth a line, normal ends (signals, `| head`, `--dry-run`) are not.
pub fn worth_a_line(err: &anyhow::Error) -> bool {
    matches!(outcome(err), Outcome::Usage | Outcome::Failure)
}

/// Look for a typed cause anywhere in the chain.
pub fn outcome(err: &anyhow::Error) -> Outcome {
    for cause in err.chain() {
        if let Some(i) = cause.downcast_ref::<Interrupted>() {
            return Outcome::Signal(i.signal);
        }
        if carries::<StdoutClosed>(cause) || carries::<DryRunStop>(cause) {
            return Outcome::Quiet;
        }
        if cause.is::<UsageError>() {
            return Outcome::Usage;
        }
    }
    Outcome::Failure
}

/// `cause` is a `T`, directly or as the payload of an `io::Error` (socket builders
/// and writers return io errors).
fn carries<T: std::error::Error + 'static>(cause: &(dyn std::error::Error + 'static)) -> bool {
    cause.is::<T>()
        || cause
            .downcast_ref::<io::Error>()
            .and_then(|e| e.get_ref())
            .is_some_and(|inner| inner.is::<T>())
}

/// The process exit status for an error.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match outcome(err) {
        Outcome::Quiet => EXIT_OK,
        Outcome::Signal(sig) => (128 + sig).clamp(0, 255) as u8,
        Outcome::Usage => EXIT_USAGE,
        Outcome::Failure => EXIT_FAILURE,
    }
}

/// The one line an error is shown as: its context chain joined by ": " (as `{:#}`
/// would), but every OS error in words with its hint ([`crate::os_error`]), never
/// `(os error N)`. Every human line that shows an `anyhow::Error` goes through here.
pub fn render(err: &anyhow::Error) -> String {
    use crate::os_error::{self, OsError};
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let (part, last) = if let Some(os) = cause.downcast_ref::<OsError>() {
            (os.to_string(), true)
        } else if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            (os_error::describe(io), true)
        } else if let Some(errno) = cause.downcast_ref::<nix::errno::Errno>() {
            let io = std::io::Error::from_raw_os_error(*errno as i32);
            (os_error::describe(&io), true)
        } else {
            (cause.to_string(), false)
        };
        if parts.last() != Some(&part) {
            parts.push(part);
        }
        // An OS error's own source is the errno it already put into words.
        if last {
            break;
        }
    }
    parts.join(": ").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_error_anywhere_in_chain_means_2() {
        let err = anyhow::Error::new(UsageError::invalid("bad")).context("outer");
        assert_eq!(exit_code(&err), EXIT_USAGE);
    }

    #[test]
    fn plain_io_error_means_1() {
        let err: anyhow::Error =
            Err::<(), _>(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
                .context("connect")
                .unwrap_err();
        assert_eq!(exit_code(&err), EXIT_FAILURE);
    }

    #[test]
    fn signals_mean_128_plus_n() {
        let int = anyhow::Error::new(Interrupted { signal: 2 }).context("relay");
        assert_eq!(exit_code(&int), 130);
        assert_eq!(exit_code(&Interrupted { signal: 15 }.into()), 143);
    }

    #[test]
    fn only_stdout_epipe_is_a_quiet_end() {
        let stdout = stdout_error(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(outcome(&stdout.context("relay")), Outcome::Quiet);
        // The same errno from a socket is that socket's failure.
        let socket = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe))
            .context("write to socket");
        assert_eq!(exit_code(&socket), EXIT_FAILURE);
        use std::io::Write;
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let through_writer = anyhow::Error::new(Stdout(Closed).write_all(b"x").unwrap_err());
        assert_eq!(outcome(&through_writer), Outcome::Quiet);
        let other = stdout_error(io::Error::from(io::ErrorKind::PermissionDenied));
        assert_eq!(exit_code(&other), EXIT_FAILURE);
        assert!(format!("{other:#}").starts_with("write to stdout: "));
    }

    #[test]
    fn dry_run_stop_is_found_through_io_and_context() {
        let io_err = io::Error::other(DryRunStop {
            call: "connect(3)".into(),
        });
        let err = anyhow::Error::new(io_err).context("connect to x");
        assert_eq!(outcome(&err), Outcome::Quiet);
        assert_eq!(outcome(&anyhow::anyhow!("other")), Outcome::Failure);
    }

    #[test]
    fn render_words_os_errors_without_their_number() {
        let err = anyhow::Error::new(std::io::Error::from_raw_os_error(libc::EMFILE))
            .context("accept")
            .context("serve");
        assert_eq!(
            render(&err),
            "serve: accept: too many open files; this process is out of file descriptors: \
             raise the limit (ulimit -n)"
        );
        let err = anyhow::Error::new(nix::errno::Errno::ECONNRESET).context("read");
        assert_eq!(render(&err), "read: connection reset by peer");
        let worded = crate::os_error::error(
            "connect to /tmp/x",
            crate::os_error::Op::Connect,
            crate::os_error::Target::Unix("/tmp/x"),
            std::io::Error::from_raw_os_error(libc::ENOENT),
        );
        let line = render(&worded.context("unix connect"));
        assert!(
            line.starts_with(
                "unix connect: connect to /tmp/x: no such file or directory; no socket at /tmp/x"
            ),
            "{line}"
        );
        assert!(!line.contains("os error"), "{line}");
    }
}

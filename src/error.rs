//! Errors that decide the exit status.
//!
//! The core returns `anyhow::Error`s with context ("connect to 127.0.0.1:9: Connection
//! refused"). Most are runtime failures (exit 1). The few that mean "the user asked for
//! something impossible" carry a typed [`UsageError`] somewhere in their chain, and
//! [`exit_code`] walks the chain to find it, so the code that detects a bad argument
//! does not need to know about process exit codes.

use std::process::ExitCode;

/// Exit status for success.
pub const EXIT_OK: u8 = 0;
/// Exit status for a runtime failure: refused, timed out, peer dead, I/O error.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (clap uses the same code for its own errors).
pub const EXIT_USAGE: u8 = 2;
/// Exit status of a client interrupted by SIGINT (128 + 2, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

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

/// The process was asked to stop by SIGINT while it was a client; exit status 130.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// Map an error to the process exit status by looking for a typed cause in its chain.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if cause.downcast_ref::<UsageError>().is_some() {
            return EXIT_USAGE;
        }
        if cause.downcast_ref::<Interrupted>().is_some() {
            return EXIT_INTERRUPTED;
        }
    }
    EXIT_FAILURE
}

/// Print `nettool: <context>: <cause>` on one line and return the matching status.
pub fn report(err: &anyhow::Error) -> ExitCode {
    let code = exit_code(err);
    if code != EXIT_INTERRUPTED {
        crate::output::error_line(&render(err));
    }
    ExitCode::from(code)
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

/// True when an I/O error means "the reader went away" (stdout closed by `head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
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
    fn interrupted_means_130() {
        assert_eq!(
            exit_code(&anyhow::Error::new(Interrupted)),
            EXIT_INTERRUPTED
        );
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

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("write stdout");
        assert!(is_broken_pipe(&err));
    }
}

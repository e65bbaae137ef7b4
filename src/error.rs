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
        // `{:#}` joins the context chain with ": " on a single line.
        let line = format!("{err:#}").replace('\n', " ");
        crate::output::error_line(&line);
    }
    ExitCode::from(code)
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
    fn broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("write stdout");
        assert!(is_broken_pipe(&err));
    }
}

//! `nettool unix`: Unix domain sockets, stream and datagram — the echo server on any
//! engine, and netcat's `-U` client and listener. Socket files, stale-file handling,
//! `--mode` and peer credentials live in `net::unix`.

mod client;
mod serve;

use clap::{Args, Subcommand};

use super::Run;
use crate::error::UsageError;
use crate::net::UnixTarget;
use crate::output::Output;

#[derive(Debug, Args)]
#[command(arg_required_else_help = true)]
pub struct UnixArgs {
    #[command(subcommand)]
    pub command: UnixCommand,
}

#[derive(Debug, Subcommand)]
pub enum UnixCommand {
    /// Echo server on a Unix socket (stream on any engine, or --dgram)
    #[command(after_long_help = serve::SERVE_EXAMPLES)]
    Serve(serve::ServeArgs),
    /// Accept a connection on a Unix socket and relay it to stdin/stdout (netcat -lU)
    #[command(after_long_help = client::LISTEN_EXAMPLES)]
    Listen(client::ListenArgs),
    /// Connect to a Unix socket and relay stdin/stdout (netcat -U)
    #[command(after_long_help = client::CONNECT_EXAMPLES)]
    Connect(client::ConnectArgs),
}

impl Run for UnixArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        match self.command {
            UnixCommand::Serve(a) => a.run(out),
            UnixCommand::Listen(a) => a.run(out),
            UnixCommand::Connect(a) => a.run(out),
        }
    }
}

/// Parse `PATH` or `@NAME` (a usage error, exit 2, when it cannot be a Unix address).
fn target(s: &str) -> Result<UnixTarget, UsageError> {
    UnixTarget::parse(s)
}

/// `--mode 0600`: octal permission bits.
fn parse_mode(s: &str) -> Result<u32, String> {
    let digits = s.strip_prefix("0o").unwrap_or(s);
    match u32::from_str_radix(digits, 8) {
        Ok(m) if m <= 0o7777 => Ok(m),
        _ => Err(format!(
            "{s:?} is not an octal file mode such as 0600 or 660"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_are_octal() {
        assert_eq!(parse_mode("0600"), Ok(0o600));
        assert_eq!(parse_mode("660"), Ok(0o660));
        assert_eq!(parse_mode("0o755"), Ok(0o755));
        assert!(parse_mode("0800").is_err());
        assert!(parse_mode("77777").is_err());
    }
}

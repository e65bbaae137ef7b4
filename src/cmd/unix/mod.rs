//! `nettool unix`: Unix domain sockets, stream and datagram — the echo server on any
//! engine, and netcat's `-U` client and listener. Socket files, stale-file handling,
//! `--mode` and peer credentials live in `net::unix`.

mod client;
mod relay;
mod serve;

use clap::Subcommand;

use crate::error::UsageError;
use crate::net::UnixTarget;

super::subcommand_group!(UnixArgs => UnixCommand { Serve, Listen, Connect, Relay });

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
    /// Forward every connection on a Unix socket to TARGET (TCP or Unix)
    #[command(after_long_help = relay::RELAY_EXAMPLES)]
    Relay(relay::RelayArgs),
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

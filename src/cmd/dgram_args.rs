//! Argument groups shared by the datagram subcommands (`udp`, `broadcast`,
//! `multicast`): what to send and how often, how long to receive and how to print.
//! Each is flattened where it applies, so `-n`, `--interval`, `--raw`, `--size`,
//! `--probe` and `--buffer` mean the same in all three.

use std::ffi::OsString;
use std::net::SocketAddr;
use std::os::unix::ffi::OsStringExt;
use std::time::Duration;

use clap::Args;

use crate::cli::parse_duration;
use crate::dgram::recv::{RecvJob, RecvLimits};
use crate::dgram::send::{SendJob, Source};
use crate::error::UsageError;
use crate::net::dgram::socket::MAX_PAYLOAD_V6;
use crate::net::signals::Shutdown;
use crate::net::{HostPort, Transport};
use crate::output::Output;

/// What to send.
#[derive(Debug, Clone, Args)]
pub struct SendOpts {
    #[command(flatten)]
    pub diag: DgramDiagArgs,

    /// Messages to send, one datagram each, exactly as given; none: read stdin
    #[arg(value_name = "MESSAGE")]
    pub messages: Vec<OsString>,

    /// Messages: send them N times; stdin: at most N datagrams; probes: N probes (10)
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = crate::cli::at_least(1u64))]
    pub count: Option<u64>,

    /// Pause this long between datagrams (otherwise they leave in sendmmsg batches)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub interval: Option<Duration>,

    /// Read stdin in chunks of --size bytes instead of one datagram per line
    #[arg(long, conflicts_with = "messages")]
    pub raw: bool,

    /// Bytes per datagram for --raw (1400) and --probe (64)
    #[arg(long, value_name = "BYTES", value_parser = crate::cli::between(1u64, MAX_PAYLOAD_V6 as u64))]
    pub size: Option<u64>,

    /// Send probes (sequence number + send time) for a `recv --probe` to measure loss
    #[arg(long, conflicts_with_all = ["messages", "raw"])]
    pub probe: bool,

    /// Local address to send from (ADDR or ADDR:PORT; netcat's -s)
    #[arg(short = 's', long, visible_alias = "source", value_name = "ADDR")]
    pub bind: Option<String>,
}

impl SendOpts {
    /// Send the job to `to` on an unconnected socket (broadcast, multicast) with the
    /// `-x` and `--stats` every datagram command shares.
    pub fn send_unconnected(
        &self,
        sock: &socket2::Socket,
        to: SocketAddr,
        tap: &crate::dgram::tap::DgramTap,
        shutdown: &Shutdown,
    ) -> anyhow::Result<crate::dgram::send::SendStats> {
        let stats =
            crate::dgram::send::run_sender(sock, to, false, &self.job(None), shutdown, None, tap)?;
        self.diag.finish(tap);
        Ok(stats)
    }

    pub fn job(&self, replies: Option<Duration>) -> SendJob {
        let source = if self.probe {
            Source::Probes(self.size.unwrap_or(64) as usize)
        } else if !self.messages.is_empty() {
            Source::Messages(self.messages.iter().map(|m| m.clone().into_vec()).collect())
        } else if self.raw {
            Source::Chunks(self.size.unwrap_or(1400) as usize)
        } else {
            Source::Lines
        };
        SendJob {
            source,
            count: self.count,
            interval: self.interval,
            replies,
        }
    }

    /// The `--bind` address: `ADDR` (any port) or `ADDR:PORT`.
    pub fn bind_addr(&self) -> anyhow::Result<Option<SocketAddr>> {
        self.bind
            .as_deref()
            .map(crate::cli::source_addr)
            .transpose()
    }
}

/// How a receiver ends and prints.
#[derive(Debug, Clone, Args)]
pub struct RecvOpts {
    #[command(flatten)]
    pub diag: DgramDiagArgs,

    /// Exit (status 0) after N datagrams
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = crate::cli::at_least(1u64))]
    pub count: Option<u64>,

    /// Give up (status 1) after this long without a datagram; a bare number means seconds
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", value_parser = crate::cli::parse_timeout)]
    pub timeout: Option<Duration>,

    /// Receive buffer per datagram; larger datagrams are reported as truncated
    #[arg(long, value_name = "BYTES", default_value_t = 65_536,
          value_parser = crate::cli::between(1u64, 1 << 20))]
    pub buffer: u64,

    /// Expect probes from `send --probe`: report loss, duplicates, reordering, delay per sender
    #[arg(long)]
    pub probe: bool,

    /// Also set SO_REUSEPORT, to share the port with programs that set only that.
    /// Off by default: Linux may then give a multicast datagram to one member of the
    /// reuseport group only, ignoring the members' source filters
    #[arg(long)]
    pub reuse_port: bool,
}

impl RecvOpts {
    pub fn job(&self) -> RecvJob {
        RecvJob {
            limits: RecvLimits {
                count: self.count,
                idle: self.timeout,
            },
            buffer: self.buffer as usize,
            probe: self.probe,
        }
    }
}

/// Parse `GROUP:PORT` / `[V6]:PORT` into an IP socket address (no host names: a group
/// is an address). The IPv6 zone (`[ff02::1%eth0]:PORT`) becomes the scope id.
pub fn ip_port(input: &str, what: &str) -> anyhow::Result<SocketAddr> {
    let hp = HostPort::parse(input, Transport::Udp)?;
    match hp.host {
        crate::net::addr::Host::Ip(_) => hp.resolve_one(crate::net::Family::Any),
        _ => Err(UsageError::InvalidAddress {
            input: input.to_string(),
            reason: format!("{what} must be an IP address with a port, as in 239.0.0.1:8989 or [ff02::1234]:8989"),
        }
        .into()),
    }
}

/// `-x/--hexdump` and `--stats` for the datagram commands.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DgramDiagArgs {
    /// Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)
    #[arg(short = 'x', long, value_name = "FILE")]
    pub hexdump: Option<std::path::PathBuf>,

    /// Print datagrams and bytes in/out at exit (SIGUSR1 prints them at any time)
    #[arg(long)]
    pub stats: bool,
}

impl DgramDiagArgs {
    /// The tap that counts and dumps (`-x`) every datagram; SIGUSR1 prints its counts.
    pub fn tap(&self, out: &Output) -> anyhow::Result<crate::dgram::tap::DgramTap> {
        let hexdump = crate::cli::open_hexdump(self.hexdump.as_deref())?;
        Ok(crate::dgram::tap::DgramTap::new(out, hexdump))
    }

    /// The `--stats` report at exit.
    pub fn finish(&self, tap: &crate::dgram::tap::DgramTap) {
        if self.stats {
            tap.report("summary");
        }
    }
}

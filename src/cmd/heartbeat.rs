//! `nettool heartbeat`: the ping-pong responder (on any engine, or UDP) and the client
//! that detects a dead peer and reconnects. The protocol, the detector and the loops
//! live in `proto::heartbeat`.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;

use super::Run;
use super::dgram_serve::DgramServer;
use crate::cli::{FamilyOpts, TcpServerArgs, TimeoutOpt, TlsClientArgs, parse_duration};
use crate::cmd::server::serve_tcp;
use crate::engine::Ready;
use crate::engine::dgram::udp::Udp;
use crate::net::dgram::socket::{DgramOpts, udp_bind};
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::{Host, HostPort};
use crate::output::{Level, Output};
use crate::proto::heartbeat::client::{Client, ClientOpts, Transport, validate};
use crate::proto::heartbeat::datagram::DatagramResponder;
use crate::proto::heartbeat::{self as hb, ResponderFactory};
use crate::stat::packets::tap::Tap;

/// The default port of the heartbeat responder.
pub const DEFAULT_PORT: u16 = 7009;

const SERVE_EXAMPLES: &str = "\
Examples:
  nettool heartbeat serve                            respond on 127.0.0.1:7009
  nettool heartbeat serve -l 0 --engine epoll-et     a free port, any engine
  nettool heartbeat serve --udp -l [::1]:7009        the same protocol over UDP
  nettool heartbeat serve --udp --idle-timeout 10s   pongs count only peers heard from lately

  nettool heartbeat serve --tls --cert c.pem --key k.pem   beats over TLS";

const CONNECT_EXAMPLES: &str = "\
Examples:
  nettool heartbeat connect 127.0.0.1:7009           a beat a second, dead after 3 misses
  nettool heartbeat connect --interval 200ms --misses 5 -n 100 host:7009
  nettool heartbeat connect --reconnect --backoff 1s..1m host:7009
  nettool heartbeat connect --tcp-keepalive --interval 2s host:7009
  nettool --json heartbeat connect --udp host:7009   JSON lines: beat, missed, dead, summary
  nettool heartbeat connect -s 127.0.0.2 :7009       beat from a chosen local address
  nettool heartbeat connect -x - -n 3 host:7009      hex dump of every ping and pong frame
  sudo nettool heartbeat connect --packets -n 3 :7009   the beats' TCP segments on stderr
  nettool heartbeat connect --tls --pin AB:CD:… --reconnect :7009   TLS; a reconnect resumes the session";

super::subcommand_group!(HeartbeatArgs => HeartbeatCommand { Serve, Connect });

#[derive(Debug, Subcommand)]
pub enum HeartbeatCommand {
    /// Answer every beat with a pong carrying our time, uptime and connection count
    #[command(after_long_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Beat every interval, report replies, declare the peer dead, reconnect
    #[command(after_long_help = CONNECT_EXAMPLES)]
    Connect(ConnectArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    /// Speak the protocol over UDP (one frame per datagram)
    #[arg(long, conflicts_with_all = ["rcvbuf", "sndbuf", "no_reuseaddr", "reuseport", "backlog", "workers", "tls"])]
    pub udp: bool,

    #[command(flatten)]
    pub server: TcpServerArgs,
}

/// `--backoff MIN..MAX`.
fn parse_backoff(s: &str) -> Result<(Duration, Duration), String> {
    let (a, b) = s
        .split_once("..")
        .ok_or_else(|| format!("{s:?} is not MIN..MAX, e.g. 500ms..30s"))?;
    let (min, max) = (parse_duration(a)?, parse_duration(b)?);
    if min.is_zero() || max < min {
        return Err(format!("{s:?}: need 0 < MIN <= MAX"));
    }
    Ok((min, max))
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The responder: HOST:PORT, [V6]:PORT, :PORT or PORT
    #[arg(value_name = "ADDR")]
    pub addr: String,

    /// Dump every frame's bytes sent (>) and received (<) as hex + ASCII to FILE (- for stderr)
    #[arg(short = 'x', long, value_name = "FILE")]
    pub hexdump: Option<std::path::PathBuf>,

    /// Time between beats; a reply must arrive within it
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub interval: Duration,

    /// Consecutive unanswered beats before the peer is declared dead
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = crate::cli::at_least(1u32))]
    pub misses: u32,

    /// After a dead verdict, reconnect (with back-off) instead of exiting 1
    #[arg(long)]
    pub reconnect: bool,

    /// Reconnect delays: exponential from MIN to MAX, with jitter
    #[arg(long, value_name = "MIN..MAX", default_value = "500ms..30s", value_parser = parse_backoff)]
    pub backoff: (Duration, Duration),

    /// Stop after this many beats (and their replies or misses)
    #[arg(short = 'n', long = "count", value_name = "N", conflicts_with = "tcp_keepalive",
          value_parser = crate::cli::at_least(1u64))]
    pub count: Option<u64>,

    /// Beat over UDP instead of TCP
    #[arg(long, conflicts_with_all = ["tcp_keepalive", "tls"])]
    pub udp: bool,

    /// No beats: use the kernel's TCP keepalive (idle/interval/count from --interval and
    /// --misses) and TCP_USER_TIMEOUT, and report when the kernel drops the connection
    #[arg(long, conflicts_with = "tls")]
    pub tcp_keepalive: bool,

    #[command(flatten)]
    pub family: FamilyOpts,

    /// Connect timeout (default: interval × (misses + 1))
    #[command(flatten)]
    pub timeout: TimeoutOpt,

    /// Show the TCP segments (or UDP datagrams) of this client's connections and their
    /// state changes on stderr, reconnects included (as `stat --packets`; needs
    /// CAP_NET_RAW)
    #[arg(long)]
    pub packets: bool,

    #[command(flatten)]
    pub source: crate::cli::SourceOpt,

    #[command(flatten)]
    pub tls: TlsClientArgs,
}

/// The transport whose service names a port may use (`heartbeat connect host:NAME`).
fn port_transport(udp: bool) -> crate::net::Transport {
    if udp {
        crate::net::Transport::Udp
    } else {
        crate::net::Transport::Tcp
    }
}

impl Run for ServeArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        if self.udp {
            return self.serve_udp(out, &shutdown);
        }
        let ready = |addr| Ready::new(addr, json!({"proto": "tcp", "service": "heartbeat"}));
        let factory = Arc::new(ResponderFactory::new(out));
        let state = Arc::clone(&factory.state);
        serve_tcp(
            &self.listen,
            &self.server,
            factory,
            |_| {},
            ready,
            out,
            &shutdown,
        )?;
        report_beats(out, &state, "connection");
        Ok(())
    }
}

impl ServeArgs {
    /// The responder on the datagram engine: one frame per datagram.
    fn serve_udp(&self, out: &Output, shutdown: &Shutdown) -> anyhow::Result<()> {
        let addr = HostPort::parse(&self.listen, port_transport(true))?
            .resolve_one(self.server.family.family())?;
        let server = DgramServer::prepare(&self.server.engine)?;
        let sock = udp_bind(addr, &DgramOpts::default())?;
        let ready = Ready::new(
            local_label(&sock),
            json!({"proto": "udp", "service": "heartbeat"}),
        );
        let transport = Udp::new(sock).context("prepare the UDP socket")?;
        let mut responder = DatagramResponder::new(out);
        server.serve(transport, &mut responder, ready, out, shutdown)?;
        report_beats(out, &responder.state, "datagram");
        Ok(())
    }
}

/// The heartbeat's own counts after the server's summary (`-v`).
fn report_beats(out: &Output, state: &hb::ResponderState, what: &str) {
    out.event(
        Level::Detail,
        "heartbeat_summary",
        json!({"beats": state.beats(), "rejected": state.rejected()}),
        || {
            format!(
                "{} answered, {} rejected",
                crate::text::plural(state.beats(), "beat"),
                crate::text::plural(state.rejected(), what)
            )
        },
    );
}

impl Run for ConnectArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let target = HostPort::parse(&self.addr, port_transport(self.udp))?;
        let addrs = target.resolve(self.family.family())?;
        let transport = match (self.udp, self.tcp_keepalive) {
            (true, _) => Transport::Udp,
            (_, true) => Transport::TcpKeepalive,
            _ => Transport::Tcp,
        };
        // The name TLS verifies: the host as given, or the address it resolved to.
        let host = match &target.host {
            Host::Name(n) => n.clone(),
            Host::Ip(ip) => ip.to_string(),
            Host::Default => addrs[0].ip().to_string(),
        };
        let opts = ClientOpts {
            label: crate::net::addr::display(&addrs[0]),
            addrs,
            transport,
            interval: self.interval,
            misses: self.misses,
            connect_timeout: self
                .timeout
                .timeout
                .unwrap_or(self.interval * (self.misses + 1)),
            reconnect: self.reconnect,
            backoff_min: self.backoff.0,
            backoff_max: self.backoff.1,
            count: self.count,
            hexdump: crate::cli::open_hexdump(self.hexdump.as_deref())?,
            source: self.source.addr()?,
            tls: self.tls.config()?,
            host,
        };
        validate(&opts)?;
        // Dropped after the client has closed its connection: the close shows.
        let _tap = (self
            .packets
            .then(|| Tap::open(&opts.addrs, self.udp, false, out)))
        .transpose()
        .context("--packets")?;
        Client::new(opts, out, &shutdown).run().map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_ranges() {
        assert_eq!(
            parse_backoff("500ms..30s").unwrap(),
            (Duration::from_millis(500), Duration::from_secs(30))
        );
        assert!(parse_backoff("30s..1s").is_err());
        assert!(parse_backoff("1s").is_err());
        assert!(parse_backoff("0..1s").is_err());
    }
}

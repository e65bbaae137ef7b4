//! `nettool udp`: unicast datagrams — an echo server on one unconnected socket that
//! serves many peers at once (`serve`, the echo service on the datagram engine), a
//! sender that can wait for replies (`send`), and a receiver (`recv`, the datagram
//! client code in `crate::dgram`).

use anyhow::Context;
use clap::{Args, Subcommand};
use serde_json::json;

use super::Run;
use super::dgram_args::{RecvOpts, SendOpts};
use super::dgram_serve::DgramServer;
use crate::cli::{EngineOpts, FamilyOpts, ScanArgs};
use crate::dgram::recv::{Printer, run_receiver};
use crate::dgram::send::run_sender;
use crate::engine::Ready;
use crate::engine::dgram::udp::Udp;
use crate::net::dgram::socket::{DEFAULT_RCVBUF, DgramOpts, udp_bind, udp_connect};
use crate::net::signals::Shutdown;
use crate::net::socket::local_label;
use crate::net::trace::Closing;
use crate::net::{HostPort, Transport};
use crate::output::{Level, Output};
use crate::proto::echo::DatagramEcho;

/// The default port of `udp serve` and `udp recv`.
pub const DEFAULT_PORT: u16 = 7007;

const SERVE_EXAMPLES: &str = "\
Examples:
  nettool udp serve                                echo datagrams on 127.0.0.1:7007
  nettool -v udp serve -l 0.0.0.0:9000             echo to anyone, log each sender
  nettool --json udp serve -l 0                    a free port; JSON events
  nettool udp serve --engine poll -n 100           one poll(2) loop; stop after 100 echoes
  nettool udp serve --max-connections 10 --idle-timeout 30s   10 peers, forget silent ones
  nettool udp serve -x - 2>dump.txt                hex dump of every datagram, both ways
  nettool --explain=io udp serve -l 0              each recvmmsg/sendmmsg batch, in C terms
  kill -USR1 $(pidof nettool)                      peers, datagrams and bytes so far";

const SEND_EXAMPLES: &str = "\
Examples:
  nettool udp send 127.0.0.1:7007 hello -w 1       send one datagram, print the echo
  seq 100 | nettool udp send 127.0.0.1:9000        one datagram per line
  nettool udp send :9000 --raw --size 1400 < f     a file in 1400-byte datagrams
  nettool udp send :9000 --probe -n 1000 --interval 1ms   probes for recv --probe
  nettool udp send :9000 hi -x dump.txt --stats    dump what left, count it
  nettool udp send -z 127.0.0.1:5350-5360          closed (ICMP refused) or open|filtered";

const RECV_EXAMPLES: &str = "\
Examples:
  nettool udp recv -l :9000 > out                  write payloads to stdout
  nettool --json udp recv -l 0 -n 5                five JSON records, then exit
  nettool udp recv -l :9000 --probe -w 2           loss/dup/reorder per sender
  nettool udp recv -l :9000 -x - --stats > out     hex dump on stderr, counts at exit";

const LISTEN_EXAMPLES: &str = "\
Examples:
  nettool udp listen -l :9000                      nc -u -l: the first peer's datagrams out,
                                                   stdin lines back to it
  nettool udp listen -k -l :9000                   hear every sender, answer the latest
  nettool udp listen -k --to-all -m 10 -l :9000    stdin to every sender seen (10 at most)
  nettool --json udp listen -l [::1]:9000          datagram records naming the sender
  nettool udp listen -w 5 -l :9000 > out           end after 5 s of silence
  nettool --explain=io udp listen -l :9000         each recvfrom with its sender, in C terms";

super::subcommand_group!(UdpArgs => UdpCommand { Serve, Send, Recv, Listen });

#[derive(Debug, Subcommand)]
pub enum UdpCommand {
    /// Echo every datagram back to its sender (many peers on one socket)
    #[command(after_long_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Send datagrams (MESSAGE arguments or stdin) and optionally print replies
    #[command(after_long_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Receive datagrams and write them to stdout
    #[command(after_long_help = RECV_EXAMPLES)]
    Recv(RecvArgs),
    /// netcat's UDP listener (nc -u -l): datagrams to stdout, stdin lines back to the peer
    #[command(after_long_help = LISTEN_EXAMPLES)]
    Listen(ListenArgs),
}

#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    /// Hear every sender and answer the latest (without -k the first peer is the only
    /// one, as with nc -u -l; others are dropped, logged with -v)
    #[arg(short = 'k', long = "keep-open")]
    pub keep_open: bool,

    /// With -k: send stdin to every sender seen, not only the latest
    #[arg(long, requires = "keep_open")]
    pub to_all: bool,

    /// With -k: track at most N senders; datagrams from more are dropped (-v logs them)
    #[arg(short = 'm', long, value_name = "N", requires = "keep_open",
          value_parser = crate::cli::at_least(1u64))]
    pub max_connections: Option<u64>,

    /// End after this long without a datagram (exit 0 after some, 1 if none came)
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", value_parser = crate::cli::parse_timeout)]
    pub timeout: Option<std::time::Duration>,

    /// Never read stdin: only print what arrives
    #[arg(short = 'd', long = "no-stdin")]
    pub no_stdin: bool,

    /// End this long after stdin ends (without it, receiving goes on, as with nc)
    #[arg(long, value_name = "DURATION", value_parser = crate::cli::parse_duration)]
    pub eof_timeout: Option<std::time::Duration>,

    /// Dump every datagram sent (>) and received (<) as hex + ASCII to FILE (- for stderr)
    #[arg(short = 'x', long, value_name = "FILE")]
    pub hexdump: Option<std::path::PathBuf>,

    #[command(flatten)]
    pub family: FamilyOpts,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    /// Stop after echoing N datagrams
    #[arg(short = 'n', long = "count", value_name = "N", value_parser = crate::cli::at_least(1u64))]
    pub count: Option<u64>,

    #[command(flatten)]
    pub family: FamilyOpts,

    #[command(flatten)]
    pub engine: EngineOpts,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("sends_data").multiple(true)
    .args(["messages", "count", "interval", "raw", "size", "probe", "hexdump", "stats"])
    .conflicts_with("scan")))]
pub struct SendArgs {
    /// Where to send: HOST:PORT, [V6]:PORT, :PORT or PORT (host defaults to
    /// 127.0.0.1); with -z, HOST:PORTS
    #[arg(value_name = "ADDR")]
    pub addr: String,

    #[command(flatten)]
    pub scan: ScanArgs,

    #[command(flatten)]
    pub send: SendOpts,

    /// After sending, wait this long for (more) replies and print them (no reply at
    /// all: exit 1)
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", value_parser = crate::cli::parse_timeout)]
    pub timeout: Option<std::time::Duration>,

    #[command(flatten)]
    pub family: FamilyOpts,
}

#[derive(Debug, Args)]
pub struct RecvArgs {
    /// Address to receive on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    #[command(flatten)]
    pub recv: RecvOpts,

    #[command(flatten)]
    pub family: FamilyOpts,
}

fn receiver_opts() -> DgramOpts {
    DgramOpts {
        rcvbuf: Some(DEFAULT_RCVBUF),
        ..DgramOpts::default()
    }
}

impl Run for ServeArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let addr =
            HostPort::parse(&self.listen, Transport::Udp)?.resolve_one(self.family.family())?;
        let server = DgramServer::prepare(&self.engine)?;
        let sock = udp_bind(addr, &receiver_opts())?;
        let ready = Ready::new(
            local_label(&sock),
            json!({"proto": "udp", "service": "echo"}),
        );
        let transport = Udp::new(sock).context("prepare the UDP socket")?;
        let mut echo = DatagramEcho::new(self.count);
        server.serve(transport, &mut echo, ready, out, &shutdown)?;
        Ok(())
    }
}

impl Run for SendArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        if self.scan.scan {
            return super::scan::Scan {
                target: &self.addr,
                proto: crate::net::scan::ScanProto::Udp,
                args: &self.scan,
                family: &self.family,
                timeout: self.timeout,
                source: self.send.bind_addr()?,
            }
            .run(out, &shutdown);
        }
        let to = HostPort::parse(&self.addr, Transport::Udp)?.resolve_one(self.family.family())?;
        let job = self.send.job(self.timeout);
        let tap = self.send.diag.tap(out)?;
        let sock = Closing::new(udp_connect(to, self.send.bind_addr()?, &receiver_opts())?);
        let mut printer = Printer::new(out, "reply");
        let stats = run_sender(&sock, to, true, &job, &shutdown, Some(&mut printer), &tap)?;
        self.send.diag.finish(&tap);
        out.event(
            Level::Detail,
            "sent",
            json!({"peer": to.to_string(), "datagrams_out": stats.datagrams, "bytes_out": stats.bytes,
                   "replies": stats.replies, "refused": stats.refused}),
            || {
                format!(
                    "sent {} ({}) to {to}, {}",
                    crate::text::plural(stats.datagrams, "datagram"),
                    crate::text::plural(stats.bytes, "byte"),
                    crate::text::plural(stats.replies, "reply")
                )
            },
        );
        // `-w` waited for replies: none at all is a failure, some is a normal end.
        if let (Some(wait), 0, 1..) = (self.timeout, stats.replies, stats.datagrams) {
            anyhow::bail!("no reply within {}", crate::text::duration(wait));
        }
        Ok(())
    }
}

impl Run for ListenArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        use crate::dgram::listen::{ListenMode, listen};
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let addr =
            HostPort::parse(&self.listen, Transport::Udp)?.resolve_one(self.family.family())?;
        let opts = crate::net::relay::RelayOpts {
            no_stdin: self.no_stdin,
            hexdump: crate::cli::open_hexdump(self.hexdump.as_deref())?,
            as_record: out
                .json()
                .then_some(crate::output::received_record as crate::net::relay::RecordFn),
            ..Default::default()
        };
        let mode = ListenMode {
            lock_first: !self.keep_open,
            to_all: self.to_all,
            max_peers: self
                .max_connections
                .map_or(crate::engine::dgram::peers::DEFAULT_CEILING, |n| n as usize),
            raw: false,
            after_eof: self.eof_timeout,
        };
        let sock = udp_bind(addr, &receiver_opts())?;
        out.listening(&local_label(&sock), json!({"proto": "udp"}));
        crate::net::trace::checkpoint("recvfrom", || vec![crate::net::trace::fd(&sock)])?;
        let sock = Closing::new(std::net::UdpSocket::from(sock));
        let st = listen(&*sock, mode, &opts, self.timeout, out, &shutdown, &|st| {
            st.report(out, None, "stats", Level::Info)
        })?;
        st.report(out, None, "close", Level::Detail);
        Ok(())
    }
}

impl Run for RecvArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let addr =
            HostPort::parse(&self.listen, Transport::Udp)?.resolve_one(self.family.family())?;
        let opts = DgramOpts {
            reuse_port: self.recv.reuse_port,
            ..receiver_opts()
        };
        let tap = self.recv.diag.tap(out)?;
        let sock = Closing::new(udp_bind(addr, &opts)?);
        out.listening(&local_label(&sock), json!({"proto": "udp"}));
        let res = run_receiver(&sock, &self.recv.job(), out, &shutdown, &tap);
        self.recv.diag.finish(&tap);
        res
    }
}

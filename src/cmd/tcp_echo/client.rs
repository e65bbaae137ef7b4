//! `tcp-echo connect` and `tcp-echo listen`: the two ends of netcat.

use anyhow::Context;
use clap::Args;
use serde_json::json;

use super::DEFAULT_PORT;
use crate::cli::{
    ExecArgs, FamilyOpts, KeepOpenArgs, RelayArgs, ScanArgs, SourceOpt, TimeoutOpt, TlsClientArgs,
    TlsServerArgs,
};
use crate::cmd::Run;
use crate::cmd::scan::Scan;
use crate::cmd::{listen_hub, session};
use crate::engine::Ready;
use crate::net::scan::ScanProto;
use crate::net::signals::Shutdown;
use crate::net::socket::{ListenOpts, local_label, tcp_connect_from, tcp_listener};
use crate::net::trace::Closing;
use crate::net::{Host, HostPort, Transport};
use crate::output::{Level, Output};
use crate::stat::packets::tap::Tap;

pub const CONNECT_EXAMPLES: &str = "\
Examples:
  nettool tcp-echo connect 127.0.0.1:7007          talk to an echo server
  nettool tcp-echo connect localhost:8080 < req    send a file, print the answer
  nettool tcp-echo connect -w 2 [::1]:22           give up after 2 s of silence
  nettool tcp-echo connect --recv-only host:19     only print what the peer sends
  nettool tcp-echo connect -z 127.0.0.1:20-25,80  which ports take a connection
  nettool -v tcp-echo connect -z -w 500ms [::1]:1-1024   closed and filtered too
  nettool tcp-echo connect -c 'echo hi; cat' :7007  a shell command talks to the peer (ncat -c)
  nettool tcp-echo connect -s 127.0.0.2 :7007      connect from another local address
  nettool tcp-echo connect -C mail.example:25      type SMTP by hand: Enter sends CR LF
  nettool tcp-echo connect -x dump.txt :7007       keep a hex dump of both directions
  nettool tcp-echo connect --stats :7007 < f       bytes and throughput at exit (and on SIGUSR1)
  sudo nettool tcp-echo connect --packets :7007    this connection's segments and TCP states on
                                                   stderr: handshake, data, ACKs, the close

  nettool -v tcp-echo connect --tls example.org:443   TLS, with the handshake and chain explained
  nettool tcp-echo connect --tls --pin AB:CD:… :7007   trust exactly the self-signed cert a server printed
  nettool tcp-echo connect --tls --ca ca.pem --cert me.pem --key me.key host:8443   client certificate
  nettool tcp-echo connect --tls --insecure --alpn h2,http/1.1 :8443   encrypted but unchecked (says so)";

pub const LISTEN_EXAMPLES: &str = "\
Examples:
  nettool tcp-echo listen -l :9000 > out           receive a file on port 9000
  nettool tcp-echo listen -l 0                     pick a free port, print it on stderr
  nettool tcp-echo listen -k -l [::1]:9000         serve clients at once: stdin to all, each to stdout
  nettool tcp-echo listen -k --broker -l :9000     a relay between clients (ncat --broker)
  nettool tcp-echo listen -k --engine poll -l :9000   clients at once in one poll(2) loop
  nettool -v tcp-echo listen -k -m 2 -l :9000      at most two clients; the third is refused, logged
  nettool --json tcp-echo listen -k -l :9000       each client's bytes as data records naming it
  nettool tcp-echo listen -k -e cat -l :9000       an echo server: a cat per client (ncat -e)
  nettool -v tcp-echo listen -c 'date' -l :9000    answer with a shell command; its exit
                                                   status in the summary

  nettool tcp-echo listen --tls -l 0               TLS with a self-signed cert (its SHA-256 is printed)
  nettool tcp-echo listen --tls --cert c.pem --key k.pem --client-ca ca.pem   require client certificates";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("moves_data").multiple(true)
    .args(["no_stdin", "send_only", "recv_only", "no_shutdown", "eof_timeout", "hexdump",
           "stats", "packets", "crlf", "tls"])
    .conflicts_with_all(["scan", "exec", "sh_exec"])))]
pub struct ConnectArgs {
    /// Where to connect: HOST:PORT, [V6]:PORT, :PORT or PORT (host defaults to
    /// 127.0.0.1); with -z, HOST:PORTS
    #[arg(value_name = "ADDR")]
    pub addr: String,

    #[command(flatten)]
    pub scan: ScanArgs,

    #[command(flatten)]
    pub exec: ExecArgs,

    #[command(flatten)]
    pub source: SourceOpt,

    #[command(flatten)]
    pub family: FamilyOpts,

    #[command(flatten)]
    pub timeout: TimeoutOpt,

    #[command(flatten)]
    pub relay: RelayArgs,

    /// Show this connection's TCP segments and state changes on stderr, from the SYN
    /// to TIME-WAIT (as `stat --packets`; needs CAP_NET_RAW)
    #[arg(long)]
    pub packets: bool,

    #[command(flatten)]
    pub tls: TlsClientArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("moves_data").multiple(true)
    .args(["no_stdin", "send_only", "recv_only", "no_shutdown", "eof_timeout", "hexdump",
           "stats", "crlf", "tls"])
    .conflicts_with_all(["exec", "sh_exec"])))]
pub struct ListenArgs {
    /// Address to listen on (port 0 picks a free port)
    #[arg(short, long, value_name = "ADDR", default_value_t = format!("127.0.0.1:{DEFAULT_PORT}"))]
    pub listen: String,

    #[command(flatten)]
    pub keep: KeepOpenArgs,

    #[command(flatten)]
    pub exec: ExecArgs,

    #[command(flatten)]
    pub family: FamilyOpts,

    /// Wait at most this long for a connection, and close one idle this long
    #[command(flatten)]
    pub timeout: TimeoutOpt,

    #[command(flatten)]
    pub relay: RelayArgs,

    #[command(flatten)]
    pub tls: TlsServerArgs,
}

impl Run for ConnectArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        if self.scan.scan {
            return Scan {
                target: &self.addr,
                proto: ScanProto::Tcp,
                args: &self.scan,
                family: &self.family,
                timeout: self.timeout.timeout,
                source: self.source.addr()?,
            }
            .run(out, &shutdown);
        }
        let target = HostPort::parse(&self.addr, Transport::Tcp)?;
        let addrs = target.resolve(self.family.family())?;
        let opts = self.relay.relay_opts(self.timeout.timeout, out)?;
        let tls = self.tls.config()?;
        // Opened before the connect, to catch the SYN; dropped after the socket, to
        // show the close.
        let tap = (self.packets.then(|| Tap::open(&addrs, false, true, out)))
            .transpose()
            .context("--packets")?;
        let sock = tcp_connect_from(&addrs, self.source.addr()?, self.timeout.timeout)?;
        if let Some(t) = &tap {
            t.connected_socket(&sock);
        }
        let connected = sock.peer_addr().ok().and_then(|a| a.as_socket());
        let peer = connected.map_or_else(|| target.to_string(), |a| a.to_string());
        out.event(
            Level::Detail,
            "connect",
            json!({"peer": peer, "local": local_label(&sock)}),
            || format!("connected to {peer}"),
        );
        if let Some(cmd) = self.exec.command()? {
            return session::exec_client(sock, &peer, &cmd, &shutdown, out);
        }
        // The name TLS verifies: the host as given, or the address it came to.
        let host = match &target.host {
            Host::Name(n) => n.clone(),
            Host::Ip(ip) => ip.to_string(),
            Host::Default => connected.map_or_else(|| "localhost".into(), |a| a.ip().to_string()),
        };
        let tls = tls.as_ref().map(|config| session::TlsClient {
            config,
            host: &host,
            deadline: self.timeout.timeout.map(|t| std::time::Instant::now() + t),
        });
        session::client(sock, tls, &peer, &self.relay, &opts, &shutdown, out)
    }
}

impl Run for ListenArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let target = HostPort::parse(&self.listen, Transport::Tcp)?;
        let addr = target.resolve_one(self.family.family())?;
        let opts = self.relay.relay_opts(self.timeout.timeout, out)?;
        let exec = self.exec.command()?;
        let tls = crate::cmd::server::server_tls(&self.tls, Some(&target), Some(addr.ip()))?;
        let hub = self.keep.keep_open && exec.is_none();
        if hub {
            self.keep.engine()?;
            // The engine closes its listener itself (through the trace).
            let listener = tcp_listener(addr, &ListenOpts::default())?;
            let ready = Ready::new(local_label(&listener), json!({"proto": "tcp"}));
            return listen_hub::serve(listener, ready, &self.keep, &opts, tls, &shutdown, out);
        }
        let listener = Closing::new(tcp_listener(addr, &ListenOpts::default())?);
        let (note, fields) = crate::cmd::server::tls_ready(tls.as_ref(), json!({"proto": "tcp"}));
        out.listening_note(&local_label(&listener), note.as_deref(), fields);
        session::Listen {
            keep_open: self.keep.keep_open,
            timeout: self.timeout.timeout,
            args: &self.relay,
            opts: &opts,
            shutdown: &shutdown,
            out,
            exec,
            tls: tls.as_ref(),
        }
        .serve(&listener)
    }
}

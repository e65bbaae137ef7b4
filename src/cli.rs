//! The command line's shared vocabulary, defined once with clap's derive API.
//!
//! Options that every subcommand shares (`--json`, `-q`, `-v`, `--color`) are global
//! ([`GlobalOpts`]); groups that several subcommands share (`-4/-6`, `-w`, the engine
//! options, the listen socket options, the netcat client options) are
//! `#[derive(Args)]` structs flattened where they apply, so a flag is spelled and
//! documented the same way everywhere. The top of the tree (`Cli` and its subcommand
//! enum) lives in [`crate::cmd`], beside the one match that runs them.

use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};

use crate::engine::{EngineKind, ServerConfig};
use crate::net::Family;
use crate::net::relay::RelayOpts;
use crate::output::{ColorWhen, Output, Verbosity};

/// Options accepted by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalOpts {
    /// Print events as JSON, one object per line
    #[arg(long, global = true)]
    pub json: bool,

    /// Say nothing but errors (the `listening on` line stays)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more: connections, senders, limits (-vv adds debug lines: address and service
    /// lookups, every socket call with its result, the engine's limits)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Print every socket call in C terms as it is made: setup (socket, setsockopt,
    /// bind, …) and lifecycle (accept4, shutdown, close, fork, waitpid); --explain=io
    /// adds the I/O path (select/poll/epoll_wait, recv, send, recvmmsg/sendmmsg, io_uring
    /// submissions, enters and completions), a few per descriptor
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "calls"
    )]
    pub explain: Option<ExplainArg>,

    /// Show the setup calls (as --explain) and stop before any traffic
    ///
    /// The rule: every setup call that moves no traffic is made (socket, setsockopt,
    /// bind, listen, epoll setup, and the connect of a datagram socket, which only
    /// records a default peer); calls that would put a packet on a wire or wait for
    /// one are shown marked "(dry run: not made)" — a stream connect (the SYN), any
    /// send, a multicast join or leave (IGMP/MLD reports), accept, the event loop.
    /// The run stops at the first of those that would start traffic and exits 0. Host
    /// names are still looked up (that may ask a DNS server): give numeric addresses
    /// for a run that sends nothing at all.
    #[arg(long, global = true)]
    pub dry_run: bool,

    /// When to use colour: auto (a terminal and no NO_COLOR), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

/// What `--explain` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainArg {
    /// Setup and lifecycle calls (plain --explain)
    Calls,
    /// Those and every call on the I/O path, rate-limited per descriptor
    Io,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl GlobalOpts {
    pub fn verbosity(&self) -> Verbosity {
        match (self.quiet, self.verbose) {
            (true, _) => Verbosity::Quiet,
            (false, 0) => Verbosity::Normal,
            (false, 1) => Verbosity::Verbose,
            (false, _) => Verbosity::Debug,
        }
    }

    pub fn color_when(&self) -> ColorWhen {
        match self.color {
            ColorArg::Auto => ColorWhen::Auto,
            ColorArg::Always => ColorWhen::Always,
            ColorArg::Never => ColorWhen::Never,
        }
    }

    pub fn trace_mode(&self) -> crate::net::trace::Mode {
        use crate::net::trace::Mode;
        match (self.dry_run, self.explain) {
            (true, _) => Mode::DryRun,
            (false, Some(ExplainArg::Calls)) => Mode::Explain,
            (false, Some(ExplainArg::Io)) => Mode::ExplainIo,
            (false, None) => Mode::Off,
        }
    }

    pub fn output(&self) -> Output {
        Output::new(self.json, self.verbosity())
    }
}

/// Parse a duration: humantime (`500ms`, `2s`, `1m30s`), a bare number of seconds
/// (`5`, `0.5`), as netcat's `-w 5`, or a decimal with one unit (`1.5s`, `2.5ms`), the
/// way [`crate::text::duration`] prints them.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    if let Ok(secs) = t.parse::<f64>() {
        if (0.0..1e12).contains(&secs) {
            return Ok(Duration::from_secs_f64(secs));
        }
        return Err(format!("{s:?} is not a usable number of seconds"));
    }
    if let Some(d) = decimal_with_unit(t) {
        return Ok(d);
    }
    humantime::parse_duration(t)
        .map_err(|bad| format!("{s:?} is not a duration ({bad}); try 500ms, 2s or 1m"))
}

/// `1.5s`, `2.5ms`, `0.5m`: one decimal number and one unit (humantime takes only
/// whole numbers).
fn decimal_with_unit(t: &str) -> Option<Duration> {
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = t.split_at(split);
    if !num.contains('.') {
        return None;
    }
    let scale = match unit {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => return None,
    };
    let secs = num.parse::<f64>().ok()? * scale;
    (0.0..1e12)
        .contains(&secs)
        .then(|| Duration::from_secs_f64(secs))
}

/// Parse a `-w/--timeout` bound: a duration as [`parse_duration`], refusing zero (a
/// bound of nothing would time out at once; leave `-w` out to wait without a bound).
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    match parse_duration(s)? {
        d if d.is_zero() => Err("must be above zero (leave -w out to wait without a bound)".into()),
        d => Ok(d),
    }
}

/// clap value parser for a whole number of at least `min` (`--max-connections`,
/// `-n`): refusals read "must be at least 1", not clap's `0 is not in 1..18446744073709551615`.
pub fn at_least<T>(min: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: Into<i128> + TryFrom<i128> + Copy + Send + Sync + 'static,
{
    move |s| number_in(s, min.into(), None)
}

/// clap value parser for a whole number in `min..=max` ("must be between 1 and 4096").
pub fn between<T>(
    min: T,
    max: T,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: Into<i128> + TryFrom<i128> + Copy + Send + Sync + 'static,
{
    move |s| number_in(s, min.into(), Some(max.into()))
}

fn number_in<T: TryFrom<i128>>(s: &str, min: i128, max: Option<i128>) -> Result<T, String> {
    let n: i128 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number"))?;
    let fits = n >= min && max.is_none_or(|m| n <= m);
    match (fits, max) {
        (true, _) => T::try_from(n).map_err(|_| format!("{n} is too large")),
        (false, None) => Err(format!("must be at least {min}")),
        (false, Some(max)) => Err(format!("must be between {min} and {max}")),
    }
}

/// `-4` / `-6`: restrict to one address family.
#[derive(Debug, Clone, Default, Args)]
pub struct FamilyOpts {
    /// Use IPv4 only
    #[arg(short = '4', conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Use IPv6 only
    #[arg(short = '6')]
    pub ipv6: bool,
}

impl FamilyOpts {
    pub fn family(&self) -> Family {
        match (self.ipv4, self.ipv6) {
            (true, _) => Family::V4,
            (_, true) => Family::V6,
            _ => Family::Any,
        }
    }
}

/// `-w/--timeout`.
#[derive(Debug, Clone, Default, Args)]
pub struct TimeoutOpt {
    /// Give up after this long (connect, or no data); a bare number means seconds
    #[arg(short = 'w', long = "timeout", value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
}

/// Parse a byte count: `4096`, `4k`, `64KiB`, `1M`, `1G`, `1T` (the units are binary:
/// 1k = 1024).
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (try 4096, 64k, 1M)"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        other => {
            return Err(format!(
                "unknown size unit {other:?} in {s:?} (use k, M or G)"
            ));
        }
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s:?} is too large"))
}

/// [`parse_bytes`] for sizes held in memory (`SO_RCVBUF`, `SO_SNDBUF`).
pub fn parse_size(s: &str) -> Result<usize, String> {
    usize::try_from(parse_bytes(s)?).map_err(|_| format!("{s:?} is too large"))
}

/// Listening-socket options a learner may want to turn: buffer sizes, port reuse, the
/// accept backlog. Accepted connections inherit the buffer sizes from the listener.
#[derive(Debug, Clone, Args)]
pub struct ListenSockOpts {
    /// SO_RCVBUF for every connection (e.g. 4k, 1M)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub rcvbuf: Option<usize>,

    /// SO_SNDBUF for every connection (e.g. 4k, 1M)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub sndbuf: Option<usize>,

    /// Do not set SO_REUSEADDR: a restart then fails while old connections sit in TIME-WAIT
    /// (the error names the TIME-WAIT socket and its seconds left)
    #[arg(long)]
    pub no_reuseaddr: bool,

    /// Set SO_REUSEPORT: several servers may share the port, the kernel spreads connections
    #[arg(long)]
    pub reuseport: bool,

    /// The listen(2) backlog: connections the kernel completes before we accept them
    #[arg(long, value_name = "N", default_value_t = 4096, value_parser = at_least(0i32))]
    pub backlog: i32,

    /// Run N engine instances, each with its own SO_REUSEPORT listener
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = between(1u16, 256))]
    pub workers: u16,
}

impl ListenSockOpts {
    /// The listener options these flags ask for.
    pub fn listen_opts(&self) -> crate::net::socket::ListenOpts {
        crate::net::socket::ListenOpts {
            rcvbuf: self.rcvbuf,
            sndbuf: self.sndbuf,
            reuse_addr: !self.no_reuseaddr,
            reuse_port: self.reuseport,
            backlog: self.backlog,
            ..Default::default()
        }
    }

    /// The TCP listeners of a stream server on `addr`: one, or one per `--workers`.
    pub fn listeners(&self, addr: std::net::SocketAddr) -> anyhow::Result<Vec<socket2::Socket>> {
        crate::engine::workers::reuseport_listeners(
            addr,
            usize::from(self.workers),
            &self.listen_opts(),
        )
    }
}

/// Everything a TCP stream server takes besides its address: the family, the engine
/// options, the listen socket options and TLS (`tcp-echo serve`, `heartbeat serve`,
/// `serve-http`), so all three bind, tune and serve the same way.
#[derive(Debug, Clone, Args)]
pub struct TcpServerArgs {
    #[command(flatten)]
    pub family: FamilyOpts,

    #[command(flatten)]
    pub engine: EngineOpts,

    #[command(flatten)]
    pub sockopts: ListenSockOpts,

    #[command(flatten)]
    pub tls: TlsServerArgs,
}

/// `--cert FILE --key FILE`: the certificate chain (PEM, leaf first) a TLS server
/// presents, or a client when the server asks for one.
#[derive(Debug, Clone, Default, Args)]
pub struct CertKeyArgs {
    /// Certificate chain to present, PEM, leaf first (with --key)
    #[arg(long, value_name = "FILE", requires_all = ["tls", "key"], help_heading = "TLS")]
    pub cert: Option<std::path::PathBuf>,

    /// Private key of --cert, PEM (PKCS#8, RSA or EC)
    #[arg(long, value_name = "FILE", requires_all = ["tls", "cert"], help_heading = "TLS")]
    pub key: Option<std::path::PathBuf>,
}

/// `--tls` on a server or listener, and the certificates it uses.
#[derive(Debug, Clone, Default, Args)]
pub struct TlsServerArgs {
    /// Speak TLS 1.3/1.2 (rustls) with --cert/--key, or with a self-signed certificate made
    /// for the listen address (its SHA-256 is printed beside `listening on`, for --pin)
    #[arg(long, help_heading = "TLS")]
    pub tls: bool,

    #[command(flatten)]
    pub identity: CertKeyArgs,

    /// Require a client certificate issued by a CA in FILE (PEM)
    #[arg(long, value_name = "FILE", requires = "tls", help_heading = "TLS")]
    pub client_ca: Option<std::path::PathBuf>,

    /// Application protocols to accept (ALPN), most preferred first: h2,http/1.1
    #[arg(
        long,
        value_name = "PROTO[,PROTO]",
        value_delimiter = ',',
        requires = "tls",
        help_heading = "TLS"
    )]
    pub alpn: Vec<String>,

    /// Close a connection whose TLS handshake is not done this long after it opened
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, requires = "tls",
          help_heading = "TLS")]
    pub handshake_timeout: Option<Duration>,

    /// Kernel TLS (set by the commands that offer --ktls).
    #[arg(skip)]
    pub ktls: bool,
}

impl TlsServerArgs {
    /// What the TLS layer is asked to do, `None` without `--tls`.
    pub fn opts(&self) -> Option<crate::tls::ServerTlsOpts> {
        let defaults = crate::tls::ServerTlsOpts::default();
        self.tls.then(|| crate::tls::ServerTlsOpts {
            cert: self.identity.cert.clone(),
            key: self.identity.key.clone(),
            client_ca: self.client_ca.clone(),
            alpn: self.alpn.clone(),
            ktls: self.ktls,
            handshake_timeout: self.handshake_timeout.unwrap_or(defaults.handshake_timeout),
        })
    }
}

/// `--tls` on a client, and how it trusts the server.
#[derive(Debug, Clone, Default, Args)]
pub struct TlsClientArgs {
    /// Speak TLS 1.3/1.2 (rustls), checking the server's certificate against the system roots
    #[arg(long, help_heading = "TLS")]
    pub tls: bool,

    /// Trust the CA certificates in FILE (PEM) instead of the system roots
    #[arg(long, value_name = "FILE", requires = "tls", help_heading = "TLS")]
    pub ca: Option<std::path::PathBuf>,

    /// Trust exactly the certificate with this SHA-256 fingerprint (as a server with a
    /// self-signed certificate prints it); chain, dates and name are then not checked
    #[arg(long, value_name = "SHA256", requires = "tls", conflicts_with = "ca",
          value_parser = parse_pin, help_heading = "TLS")]
    pub pin: Option<crate::tls::Fingerprint>,

    /// Check nothing of the server's certificate (encrypted, but anyone on the path can be
    /// the server); the handshake report says what the check would have found
    #[arg(long, requires = "tls", conflicts_with_all = ["ca", "pin"], help_heading = "TLS")]
    pub insecure: bool,

    /// Server name to send (SNI) and to verify, instead of the host dialled
    #[arg(long, value_name = "NAME", requires = "tls", help_heading = "TLS")]
    pub sni: Option<String>,

    /// Application protocols to offer (ALPN), most preferred first: h2,http/1.1
    #[arg(
        long,
        value_name = "PROTO[,PROTO]",
        value_delimiter = ',',
        requires = "tls",
        help_heading = "TLS"
    )]
    pub alpn: Vec<String>,

    /// The certificate to present when the server asks for one.
    #[command(flatten)]
    pub identity: CertKeyArgs,
}

fn parse_pin(s: &str) -> Result<crate::tls::Fingerprint, String> {
    s.parse()
}

impl TlsClientArgs {
    /// The client's TLS config (every file read now, before any traffic), `None`
    /// without `--tls`.
    pub fn config(&self) -> anyhow::Result<Option<crate::tls::config::ClientTls>> {
        if !self.tls {
            return Ok(None);
        }
        crate::tls::config::client_config(&crate::tls::ClientTlsOpts {
            ca: self.ca.clone(),
            insecure: self.insecure,
            pin: self.pin,
            sni: self.sni.clone(),
            alpn: self.alpn.clone(),
            cert: self.identity.cert.clone(),
            key: self.identity.key.clone(),
        })
        .map(Some)
    }
}

/// The options every server built on an engine takes. Datagram servers (`udp serve`,
/// `unix serve --dgram`, `heartbeat serve --udp`) read "connection" as "peer": a sender
/// tracked from its first datagram until it has been silent for `--idle-timeout`.
#[derive(Debug, Clone, Args)]
pub struct EngineOpts {
    /// Concurrency engine that serves the connections (datagram servers: select, poll,
    /// epoll-lt or epoll-et)
    #[arg(long, value_name = "ENGINE", default_value_t = EngineKind::default_kind(),
          value_parser = PossibleValuesParser::new(EngineKind::ALL.iter().map(|e| PossibleValue::new(e.name()).help(e.about()))).map(|s| s.parse::<EngineKind>().expect("listed engine")))]
    pub engine: EngineKind,

    /// Refuse connections beyond this many at once (datagram servers: drop datagrams
    /// from new peers while this many are tracked)
    #[arg(long, value_name = "N", value_parser = at_least(1u64))]
    pub max_connections: Option<u64>,

    /// Close a connection after this long without traffic (datagram servers: forget a
    /// peer silent this long)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub idle_timeout: Option<Duration>,

    /// Dump every connection's bytes (>) sent and (<) received as hex + ASCII to FILE
    /// (- for stderr); datagram servers dump each datagram, labelled with its peer
    #[arg(short = 'x', long, value_name = "FILE")]
    pub hexdump: Option<std::path::PathBuf>,

    /// A lesson, fork engine only: never waitpid(2) a finished child, so each stays a
    /// zombie (`ps --ppid PID` shows `Z <defunct>`) until the server exits and reaps
    /// them all
    #[arg(long)]
    pub no_reap: bool,
}

impl EngineOpts {
    pub fn server_config(&self) -> anyhow::Result<ServerConfig> {
        if self.no_reap && self.engine != EngineKind::Fork {
            return Err(crate::error::UsageError::invalid(format!(
                "--no-reap leaves the fork engine's children as zombies; --engine {} has \
                 no children (add --engine fork)",
                self.engine
            ))
            .into());
        }
        // Checked before anything is opened (the dump file).
        Ok(ServerConfig {
            max_connections: self.max_connections.map(|n| n as usize),
            idle_timeout: self.idle_timeout,
            hexdump: open_hexdump(self.hexdump.as_deref())?,
            no_reap: self.no_reap,
            hub_limits: Default::default(),
        })
    }
}

/// Open the `-x` target, if one was given.
pub fn open_hexdump(
    path: Option<&std::path::Path>,
) -> anyhow::Result<Option<std::sync::Arc<crate::net::hexdump::Hexdump>>> {
    path.map(|p| {
        crate::net::hexdump::Hexdump::open(p)
            .map(std::sync::Arc::new)
            .map_err(|e| {
                let why = crate::os_error::describe(&e);
                anyhow::anyhow!("open hexdump file {}: {why}", p.display())
            })
    })
    .transpose()
}

/// Parse a local source address: `ADDR` (any port), `ADDR:PORT` or `[V6]:PORT`.
pub fn source_addr(text: &str) -> anyhow::Result<std::net::SocketAddr> {
    use crate::net::{HostPort, Transport};
    let t = text.trim();
    let bare = t
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(t);
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Ok(std::net::SocketAddr::new(ip, 0));
    }
    let hp = HostPort::parse(text, Transport::Tcp)?;
    hp.resolve_one(crate::net::Family::Any)
}

/// `-s ADDR[:PORT]` (netcat's): the local address a client connects from.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceOpt {
    /// Connect from this local address: ADDR or ADDR:PORT (bind before connect)
    #[arg(short = 's', long = "source", value_name = "ADDR[:PORT]")]
    pub source: Option<String>,
}

impl SourceOpt {
    pub fn addr(&self) -> anyhow::Result<Option<std::net::SocketAddr>> {
        self.source.as_deref().map(source_addr).transpose()
    }
}

/// `-z`: probe ports instead of moving data (`tcp-echo connect`, `udp send`).
#[derive(Debug, Clone, Default, Args)]
pub struct ScanArgs {
    /// Scan ports: ADDR is HOST:PORTS (22, 8000-8010, 22,80,443); print `open HOST:PORT`
    /// per port that answers (with -v the others too); -w bounds each probe (default 2s,
    /// UDP 1s); exit 0 when one is open
    #[arg(short = 'z', long = "scan")]
    pub scan: bool,

    /// With -z: how many probes are in flight at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = between(1u16, 4096),
          requires = "scan")]
    pub parallel: u16,
}

/// `-k` on a netcat listener (`tcp-echo listen`, `unix listen`) and how it serves
/// its clients at once, as ncat does.
#[derive(Debug, Clone, Args)]
pub struct KeepOpenArgs {
    /// Keep listening and serve clients at the same time (ncat -k): stdin goes to every
    /// connected client, what each sends to stdout; a client's EOF ends that client
    #[arg(short = 'k', long = "keep-open")]
    pub keep_open: bool,

    /// With -k: pass each client's bytes to every other client instead of stdout
    /// (ncat --broker); stdin still goes to all
    #[arg(long, requires = "keep_open", conflicts_with_all = ["exec", "sh_exec"])]
    pub broker: bool,

    /// With -k: refuse clients beyond N at once (closed at once, logged with -v; ncat -m)
    #[arg(short = 'm', long, value_name = "N", value_parser = at_least(1u64), requires = "keep_open",
          conflicts_with_all = ["exec", "sh_exec"])]
    pub max_connections: Option<u64>,

    /// With -k: the engine serving the clients at once — select, poll, epoll-lt or
    /// epoll-et (the others cannot share stdin and stdout) [default: epoll-et]
    #[arg(long, value_name = "ENGINE", requires = "keep_open", hide_possible_values = true,
          conflicts_with_all = ["exec", "sh_exec"],
          value_parser = PossibleValuesParser::new(EngineKind::ALL.iter().map(|e| e.name())).map(|s| s.parse::<EngineKind>().expect("listed engine")))]
    pub engine: Option<EngineKind>,
}

impl KeepOpenArgs {
    /// The engine `-k` runs on, checked: one that can share stdin and stdout.
    pub fn engine(&self) -> Result<EngineKind, crate::error::UsageError> {
        let kind = self.engine.unwrap_or_else(EngineKind::default_kind);
        kind.hub_support().map(|()| kind)
    }
}

/// `-e/--exec`, `-c/--sh-exec` (ncat's): a program speaks on the connection.
#[derive(Debug, Clone, Default, Args)]
pub struct ExecArgs {
    /// Run CMD (split at spaces, no shell) with the connection as its stdin and stdout;
    /// its exit status ends the command (listen -k: a child per connection)
    #[arg(
        short = 'e',
        long = "exec",
        value_name = "CMD",
        conflicts_with = "sh_exec"
    )]
    pub exec: Option<String>,

    /// As --exec, but CMD is a shell command line (/bin/sh -c CMD)
    #[arg(short = 'c', long = "sh-exec", value_name = "CMD")]
    pub sh_exec: Option<String>,
}

impl ExecArgs {
    /// The program to run per connection, if one was asked for.
    pub fn command(&self) -> anyhow::Result<Option<crate::net::exec::ExecCmd>> {
        use crate::net::exec::ExecCmd;
        match (&self.exec, &self.sh_exec) {
            (Some(e), _) => ExecCmd::direct(e).map(Some),
            (None, Some(s)) => Ok(Some(ExecCmd::Shell(s.clone()))),
            (None, None) => Ok(None),
        }
    }
}

/// How a netcat-style client moves stdin and stdout (shared by the TCP and Unix clients).
#[derive(Debug, Clone, Default, Args)]
pub struct RelayArgs {
    /// Do not read stdin (and do not half-close)
    #[arg(short = 'd', long = "no-stdin", conflicts_with_all = ["send_only"])]
    pub no_stdin: bool,

    /// Only send stdin; ignore what the peer sends and exit at stdin EOF
    #[arg(long, conflicts_with = "recv_only")]
    pub send_only: bool,

    /// Only print what the peer sends; never read stdin
    #[arg(long)]
    pub recv_only: bool,

    /// Keep the write side open at stdin EOF (no shutdown(SHUT_WR))
    #[arg(long)]
    pub no_shutdown: bool,

    /// Exit this long after stdin EOF even if the peer keeps the connection open
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub eof_timeout: Option<Duration>,

    /// Dump every byte sent (>) and received (<) as hex + ASCII to FILE (- for stderr)
    #[arg(short = 'x', long, value_name = "FILE")]
    pub hexdump: Option<std::path::PathBuf>,

    /// Print bytes in/out, duration and throughput at exit and on SIGUSR1
    #[arg(long)]
    pub stats: bool,

    /// Send line ends as CRLF: each LF read from stdin goes out as CR LF (SMTP, HTTP
    /// by hand; ncat's -C)
    #[arg(short = 'C', long)]
    pub crlf: bool,
}

impl RelayArgs {
    /// The relay's options; under `--json` (`out`) received bytes become records.
    pub fn relay_opts(
        &self,
        idle_timeout: Option<Duration>,
        out: &Output,
    ) -> anyhow::Result<RelayOpts> {
        let hexdump = open_hexdump(self.hexdump.as_deref())?;
        Ok(RelayOpts {
            no_stdin: self.no_stdin,
            send_only: self.send_only,
            recv_only: self.recv_only,
            no_shutdown: self.no_shutdown,
            eof_timeout: self.eof_timeout,
            idle_timeout,
            hexdump,
            as_record: out
                .json()
                .then_some(crate::output::received_record as crate::net::relay::RecordFn),
            fin_ends_turn: false,
            crlf: self.crlf,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_accept_bare_seconds_and_humantime() {
        assert_eq!(parse_duration("5").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_duration("0.5").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(
            parse_duration("2.5ms").unwrap(),
            Duration::from_micros(2500)
        );
        assert_eq!(parse_duration("2m30s").unwrap(), Duration::from_secs(150));
        assert!(
            parse_duration("soon")
                .unwrap_err()
                .contains("not a duration")
        );
        assert!(parse_duration("-1").is_err());
        assert!(parse_timeout("0").unwrap_err().contains("above zero"));
        assert!(parse_timeout("0ms").is_err());
        assert_eq!(parse_timeout("1ms").unwrap(), Duration::from_millis(1));
    }

    #[test]
    fn numbers_out_of_range_read_as_sentences() {
        assert_eq!(at_least(1u64)("0").unwrap_err(), "must be at least 1");
        assert_eq!(at_least(1u64)("7").unwrap(), 7);
        assert_eq!(
            between(1u16, 256)("300").unwrap_err(),
            "must be between 1 and 256"
        );
        assert_eq!(between(0u32, 255)("255").unwrap(), 255);
        assert_eq!(
            at_least(1u32)("x").unwrap_err(),
            "\"x\" is not a whole number"
        );
        assert_eq!(
            at_least(1u32)("99999999999").unwrap_err(),
            "99999999999 is too large"
        );
    }

    #[test]
    fn sizes_accept_binary_units() {
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert_eq!(parse_size("4k").unwrap(), 4096);
        assert_eq!(parse_size("1M").unwrap(), 1 << 20);
        assert_eq!(parse_size("2GiB").unwrap(), 2 << 30);
        assert!(parse_size("12q").unwrap_err().contains("unknown size unit"));
        assert!(parse_size("k").is_err());
    }
}

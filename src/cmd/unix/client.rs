//! `unix connect` and `unix listen`: netcat's `-U` client and `-lU` listener, stream
//! (through the shared relay) or datagram (`dgram::unix`).

use anyhow::Context;
use clap::Args;
use serde_json::json;

use crate::cli::{ExecArgs, KeepOpenArgs, RelayArgs, TimeoutOpt, TlsClientArgs, TlsServerArgs};
use crate::cmd::{Run, listen_hub, session};
use crate::dgram::listen::{ListenMode, listen};
use crate::dgram::unix as unix_dgram;
use crate::engine::Ready;
use crate::net::UnixTarget;
use crate::net::signals::Shutdown;
use crate::net::trace::Closing;
use crate::net::unix::{
    UnixBound, UnixKind, UnixListenOpts, dgram_client, unix_bind, unix_connect,
};
use crate::output::{Level, Output};

pub const CONNECT_EXAMPLES: &str = "\
Examples:
  nettool unix connect /tmp/echo.sock                talk to a stream socket
  nettool unix connect @echo < request               an abstract name, send a file
  nettool unix connect --dgram -w 1 /tmp/echo.dgram  a datagram per line; wait 1 s for replies
  nettool unix connect --dgram --raw @log < blob     a datagram per read of stdin
  nettool unix connect --recv-only /run/log.sock     only print what the server sends
  nettool unix connect -e 'sort' /tmp/s.sock         the server talks to sort (ncat -e)

  nettool unix connect --tls --pin AB:CD:… @echo     TLS to a server with a self-signed cert
  nettool unix connect --tls --ca ca.pem --sni api.local /run/api.sock   verify the name api.local";

pub const LISTEN_EXAMPLES: &str = "\
Examples:
  nettool unix listen /tmp/in.sock > out             receive one stream into a file
  nettool unix listen -k @chat                       serve clients at once: stdin to all, each to stdout
  nettool unix listen -k --broker /tmp/chat.sock     clients talk to each other (ncat --broker)
  nettool unix listen -k -c 'wc -l' /tmp/count.sock  a shell command per client (ncat -c)
  nettool unix listen --dgram /tmp/in.dgram          print datagrams, answer the sender

  nettool unix listen --tls @secure                  TLS, self-signed for localhost (SHA-256 printed)";

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("moves_data").multiple(true)
    .args(["dgram", "no_stdin", "send_only", "recv_only", "no_shutdown", "eof_timeout",
           "hexdump", "stats", "crlf", "tls"])
    .conflicts_with_all(["exec", "sh_exec"])))]
pub struct ConnectArgs {
    /// Socket path, or @NAME for the Linux abstract namespace
    #[arg(value_name = "PATH|@NAME", value_parser = super::target)]
    pub path: UnixTarget,

    /// Datagram socket: each stdin line goes out as one datagram (as udp send sends
    /// them); -w bounds the wait for replies (no half-close there, so --no-shutdown
    /// and --eof-timeout do not apply)
    #[arg(long, conflicts_with_all = ["no_shutdown", "eof_timeout", "crlf", "tls"])]
    pub dgram: bool,

    /// With --dgram: each chunk read from stdin is one datagram, not each line
    #[arg(long, requires = "dgram")]
    pub raw: bool,

    #[command(flatten)]
    pub timeout: TimeoutOpt,

    #[command(flatten)]
    pub relay: RelayArgs,

    #[command(flatten)]
    pub exec: ExecArgs,

    #[command(flatten)]
    pub tls: TlsClientArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("moves_data").multiple(true)
    .args(["dgram", "no_stdin", "send_only", "recv_only", "no_shutdown", "eof_timeout",
           "hexdump", "stats", "crlf", "tls"])
    .conflicts_with_all(["exec", "sh_exec"])))]
pub struct ListenArgs {
    /// Socket path, or @NAME for the Linux abstract namespace
    #[arg(value_name = "PATH|@NAME", value_parser = super::target)]
    pub path: UnixTarget,

    #[command(flatten)]
    pub keep: KeepOpenArgs,

    /// Datagram socket: print datagrams, send stdin to the latest sender (every sender
    /// is heard without -k; there is no connection to half-close or send-only on)
    #[arg(long, conflicts_with_all = ["keep_open", "no_shutdown", "eof_timeout", "send_only", "crlf", "tls"])]
    pub dgram: bool,

    /// Permissions of the socket file, octal
    #[arg(long, value_name = "OCTAL", value_parser = super::parse_mode)]
    pub mode: Option<u32>,

    /// Wait at most this long for a connection (or datagram), and close one idle this long
    #[command(flatten)]
    pub timeout: TimeoutOpt,

    #[command(flatten)]
    pub relay: RelayArgs,

    #[command(flatten)]
    pub exec: ExecArgs,

    #[command(flatten)]
    pub tls: TlsServerArgs,
}

impl Run for ConnectArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let opts = self.relay.relay_opts(self.timeout.timeout, out)?;
        if self.dgram {
            let bound = dgram_client(&self.path)?;
            let own = bound.file.as_ref().map(|f| f.path().display().to_string());
            out.event(
                Level::Detail,
                "connect",
                json!({"peer": self.path.to_string(), "local": own}),
                || format!("sending datagrams to {}", self.path),
            );
            // `bound.file` stays alive until here: the temporary path is removed on return.
            let peer = self.path.to_string();
            let on_stats = |st: &unix_dgram::DgramStats| {
                if self.relay.stats {
                    st.report(out, Some(&peer), "stats", Level::Info);
                }
            };
            let stats = unix_dgram::client(
                bound.sock,
                &opts,
                self.timeout.timeout,
                &shutdown,
                self.raw,
                &on_stats,
            )?;
            stats.report(out, Some(&peer), "close", closing_level(&self.relay));
            drop(bound.file);
            return Ok(());
        }
        let tls = self.tls.config()?;
        let sock = unix_connect(&self.path, UnixKind::Stream, self.timeout.timeout)?;
        let peer = self.path.to_string();
        let cred = crate::net::peer::peer_cred(&sock);
        out.event(
            Level::Detail,
            "connect",
            json!({"peer": peer, "server": cred.map(|c| c.json())}),
            || match cred {
                Some(c) => format!("connected to {peer} (server {c})"),
                None => format!("connected to {peer}"),
            },
        );
        if let Some(cmd) = self.exec.command()? {
            return session::exec_client(sock, &peer, &cmd, &shutdown, out);
        }
        // A Unix address has no host name: TLS verifies --sni, or localhost.
        let tls = tls.as_ref().map(|config| session::TlsClient {
            config,
            host: "localhost",
            deadline: self.timeout.timeout.map(|t| std::time::Instant::now() + t),
        });
        session::client(sock, tls, &peer, &self.relay, &opts, &shutdown, out)
    }
}

impl Run for ListenArgs {
    fn run(self, out: &Output) -> anyhow::Result<()> {
        let shutdown = Shutdown::install().context("install signal handlers")?;
        let kind = if self.dgram {
            UnixKind::Datagram
        } else {
            UnixKind::Stream
        };
        let opts = self.relay.relay_opts(self.timeout.timeout, out)?;
        let exec = self.exec.command()?;
        let tls = crate::cmd::server::server_tls(&self.tls, None, None)?;
        let hub = self.keep.keep_open && exec.is_none() && !self.dgram;
        if hub {
            // Checked before the socket file exists: a refused engine leaves none behind.
            self.keep.engine()?;
        }
        let bound = unix_bind(&self.path, kind, &UnixListenOpts { mode: self.mode })?;
        if hub {
            let ready = Ready::new(self.path.to_string(), json!({"proto": kind.name()}));
            let UnixBound { sock, file, .. } = bound;
            let result = listen_hub::serve(sock, ready, &self.keep, &opts, tls, &shutdown, out);
            drop(file);
            return result;
        }
        let (note, fields) =
            crate::cmd::server::tls_ready(tls.as_ref(), json!({"proto": kind.name()}));
        out.listening_note(&self.path.to_string(), note.as_deref(), fields);
        if self.dgram {
            let on_stats = |st: &unix_dgram::DgramStats| {
                if self.relay.stats {
                    st.report(out, None, "stats", Level::Info);
                }
            };
            let sock = Closing::new(unix_dgram::into_datagram(bound.sock));
            // Every sender is heard; stdin goes to the latest, a read at a time.
            let mode = ListenMode {
                lock_first: false,
                to_all: false,
                max_peers: crate::engine::dgram::peers::DEFAULT_CEILING,
                raw: true,
                after_eof: None,
            };
            crate::net::trace::checkpoint("recvfrom", || vec![crate::net::trace::fd(&sock)])?;
            sock.set_write_timeout(Some(unix_dgram::SEND_TIMEOUT))?;
            let result = listen(
                &*sock,
                mode,
                &opts,
                self.timeout.timeout,
                out,
                &shutdown,
                &on_stats,
            );
            drop(bound.file);
            let stats = result?;
            stats.report(out, None, "close", closing_level(&self.relay));
            return Ok(());
        }
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
        .serve(&Closing::new(bound.sock))
    }
}

/// `--stats` shows the closing counts without `-v`.
fn closing_level(relay: &RelayArgs) -> Level {
    if relay.stats {
        Level::Info
    } else {
        Level::Detail
    }
}

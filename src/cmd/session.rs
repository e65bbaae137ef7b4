//! One netcat-style session over an already connected stream socket, shared by the
//! TCP and Unix clients and listeners: run the relay with the signals it needs, then
//! report what moved (`-v`, or always with `--stats`).

use std::time::{Duration, Instant};

use serde_json::json;
use socket2::Socket;

use crate::cli::RelayArgs;
use crate::error::{Outcome, outcome};
use crate::net::exec::{self, ExecCmd, ExecEvent};
use crate::net::relay::{RelayOpts, RelayStats, StdinState, relay};
use crate::net::signals::Shutdown;
use crate::net::socket::accept_wait;
use crate::net::stream::Stream;
use crate::net::trace::Closing;
use crate::output::{Level, Output};
use crate::tls::ServerTls;
use crate::tls::config::ClientTls;

/// Netcat's listen mode on a bound listener: accept one connection (or, with
/// `keep_open`, one after another) and relay each; `timeout` bounds the wait for a
/// connection. A failed connection ends the command unless `keep_open`.
pub struct Listen<'a> {
    pub keep_open: bool,
    pub timeout: Option<std::time::Duration>,
    pub args: &'a RelayArgs,
    pub opts: &'a RelayOpts,
    pub shutdown: &'a Shutdown,
    pub out: &'a Output,
    /// `--exec`/`--sh-exec`: run this per connection instead of relaying.
    pub exec: Option<ExecCmd>,
    /// `--tls`: each connection's handshake comes first.
    pub tls: Option<&'a ServerTls>,
}

impl Listen<'_> {
    pub fn serve(&self, listener: &Socket) -> anyhow::Result<()> {
        if let Some(cmd) = &self.exec {
            return self.serve_exec(listener, cmd);
        }
        let mut stdin = StdinState::default();
        let opts = RelayOpts {
            fin_ends_turn: self.keep_open,
            ..self.opts.clone()
        };
        loop {
            let (sock, peer) = accept_wait(listener, self.timeout, self.shutdown)?;
            self.out
                .event(Level::Detail, "connect", peer.json_fields(), || {
                    format!("connection from {peer}")
                });
            let peer = peer.to_string();
            let session = |sock: &mut dyn Stream, stdin: &mut StdinState| {
                run(
                    sock,
                    &peer,
                    self.args,
                    &opts,
                    stdin,
                    self.shutdown,
                    self.out,
                )
            };
            let result = match self.tls {
                None => session(&mut Closing::new(sock), &mut stdin),
                Some(tls) => crate::tls::stream::accept(sock, tls, &peer, self.shutdown, self.out)
                    .and_then(|mut s| session(&mut s, &mut stdin)),
            };
            match result {
                Ok(_) => {}
                // A signal, or nobody reading our stdout any more, ends the listener.
                Err(e) if !matches!(outcome(&e), Outcome::Failure) => return Err(e),
                Err(e) if self.keep_open => self
                    .out
                    .warn(&format!("{peer}: {}", crate::error::render(&e))),
                Err(e) => return Err(e),
            }
            if !self.keep_open {
                return Ok(());
            }
        }
    }
}

impl Listen<'_> {
    /// A child per connection: reported as each starts and ends; without `-k` the
    /// child's failure is the command's.
    fn serve_exec(&self, listener: &Socket, cmd: &ExecCmd) -> anyhow::Result<()> {
        let out = self.out;
        let last = exec::serve(
            listener,
            cmd,
            self.keep_open,
            None,
            self.timeout,
            self.shutdown,
            &mut |ev| match ev {
                ExecEvent::Connection(peer) => {
                    out.event(Level::Detail, "connect", peer.json_fields(), || {
                        format!("connection from {peer}")
                    })
                }
                ExecEvent::Started { peer, pid } => report_started(out, peer, pid, cmd),
                ExecEvent::Exited { peer, pid, status } => {
                    report_exit(out, peer, pid, cmd, status);
                }
            },
        )?;
        match last {
            Some(status) if !self.keep_open => child_outcome(cmd, status),
            _ => Ok(()),
        }
    }
}

/// `connect --exec`: the connection goes to the child; the command ends with it.
pub fn exec_client(
    sock: Socket,
    peer: &str,
    cmd: &ExecCmd,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<()> {
    let child = exec::spawn(cmd, sock)?;
    let pid = child.pid();
    report_started(out, peer, pid, cmd);
    let status = exec::wait_child(child, shutdown)?;
    report_exit(out, peer, pid, cmd, status);
    child_outcome(cmd, status)
}

fn report_started(out: &Output, peer: &str, pid: u32, cmd: &ExecCmd) {
    out.event(
        Level::Detail,
        "exec",
        json!({"peer": peer, "pid": pid, "command": cmd.label()}),
        || format!("{peer}: running {:?} (pid {pid})", cmd.label()),
    );
}

fn report_exit(
    out: &Output,
    peer: &str,
    pid: u32,
    cmd: &ExecCmd,
    status: std::process::ExitStatus,
) {
    use std::os::unix::process::ExitStatusExt;
    out.event(
        Level::Detail,
        "exit",
        json!({"peer": peer, "pid": pid, "command": cmd.label(),
               "exit_code": status.code(), "signal": status.signal()}),
        || {
            format!(
                "{peer}: {:?} (pid {pid}) {}",
                cmd.label(),
                exec::describe_status(status)
            )
        },
    );
}

/// A child that failed fails a one-connection command (exit 1).
fn child_outcome(cmd: &ExecCmd, status: std::process::ExitStatus) -> anyhow::Result<()> {
    if status.success() {
        return Ok(());
    }
    anyhow::bail!("{:?} {}", cmd.label(), exec::describe_status(status))
}

/// A client's TLS: the config, the host it dialled (the name verified unless
/// `--sni`), and the deadline of the handshake (`-w`).
pub struct TlsClient<'a> {
    pub config: &'a ClientTls,
    pub host: &'a str,
    pub deadline: Option<Instant>,
}

/// A client's one session over `sock`: the TLS handshake first with `tls`, then the
/// relay ↔ stdin/stdout until both directions end.
pub fn client(
    sock: Socket,
    tls: Option<TlsClient<'_>>,
    peer: &str,
    args: &RelayArgs,
    opts: &RelayOpts,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<()> {
    let mut stdin = StdinState::default();
    match tls {
        None => run(
            &mut Closing::new(sock),
            peer,
            args,
            opts,
            &mut stdin,
            shutdown,
            out,
        ),
        Some(t) => {
            let mut s = crate::tls::stream::connect(
                sock, t.config, t.host, peer, shutdown, t.deadline, out,
            )?;
            run(&mut s, peer, args, opts, &mut stdin, shutdown, out)
        }
    }
    .map(drop)
}

/// Relay `sock` ↔ stdin/stdout for one connection to/from `peer`.
pub fn run(
    sock: &mut dyn Stream,
    peer: &str,
    args: &RelayArgs,
    opts: &RelayOpts,
    stdin: &mut StdinState,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<RelayStats> {
    let started = Instant::now();
    let report_now = |s: RelayStats| report(out, peer, s, started.elapsed(), "stats", Level::Info);
    let on_stats = args.stats.then_some(&report_now as &dyn Fn(RelayStats));
    let stats = relay(sock, opts, stdin, shutdown, on_stats)?;
    let level = if args.stats {
        Level::Info
    } else {
        Level::Detail
    };
    report(out, peer, stats, started.elapsed(), "close", level);
    Ok(stats)
}

fn report(out: &Output, peer: &str, s: RelayStats, took: Duration, event: &str, level: Level) {
    let secs = took.as_secs_f64().max(1e-9);
    let rate = (s.sent + s.received) as f64 / secs;
    out.event(
        level,
        event,
        json!({
            "peer": peer, "bytes_out": s.sent, "bytes_in": s.received,
            "duration_ms": took.as_millis() as u64, "bytes_per_sec": rate.round() as u64,
        }),
        || {
            format!(
                "{peer}: {} sent, {} received in {} ({})",
                crate::text::plural(s.sent, "byte"),
                crate::text::plural(s.received, "byte"),
                crate::text::duration(took),
                crate::output::human_rate(rate)
            )
        },
    );
}

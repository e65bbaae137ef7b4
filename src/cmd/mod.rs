//! The command line's tree (`Cli`, one [`Command`] per subcommand), the one match that
//! runs them, and one module per subcommand. Each turns its parsed arguments into
//! calls of the core (`net`, `engine`, `proto`, `dgram`, …) and owns nothing else: no
//! socket syscall appears here. The option groups several subcommands share live
//! below, in [`crate::cli`].

/// A subcommand that only chooses among subcommands of its own (`tcp-echo
/// connect|listen|serve|bench`): the clap struct around its enum, and the `Run` that
/// hands each variant on.
macro_rules! subcommand_group {
    ($args:ident => $enum:ident { $($variant:ident),+ $(,)? }) => {
        #[derive(Debug, clap::Args)]
        #[command(arg_required_else_help = true)]
        pub struct $args {
            #[command(subcommand)]
            pub command: $enum,
        }

        impl $crate::cmd::Run for $args {
            fn run(self, out: &$crate::output::Output) -> anyhow::Result<()> {
                match self.command {
                    $($enum::$variant(a) => $crate::cmd::Run::run(a, out),)+
                }
            }
        }
    };
}
use subcommand_group;

pub mod broadcast;
pub mod completions;
pub mod dgram_args;
pub mod dgram_serve;
pub mod doctor;
pub mod heartbeat;
pub mod json_doc;
pub mod listen_hub;
pub mod multicast;
pub mod relay_targets;
pub mod scan;
pub mod serve_http;
pub mod server;
pub mod session;
pub mod stat;
pub mod tcp_echo;
pub mod udp;
pub mod unix;

use clap::{Parser, Subcommand};

use crate::cli::GlobalOpts;
use crate::output::Output;

/// A netcat-like multitool for sockets.
#[derive(Debug, Parser)]
#[command(
    name = "nettool",
    version,
    about = "A netcat-like multitool for sockets",
    long_about = "A netcat-like multitool for sockets: echo servers on eight concurrency \
                  engines, a netcat-style client, a static HTTP server, UDP, broadcast, \
                  multicast, Unix sockets, heartbeats and socket states.\n\n\
                  Servers print `listening on ADDR` as their first line on stderr; data \
                  goes to stdout, diagnostics to stderr; --json gives one JSON object per line.\n\n\
                  Lessons that teach sockets by running these commands: man 7 nettool-lessons.",
    propagate_version = true,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Listed under their own heading in every --help, so that an option shown among a
    /// subcommand's own (`-4`, `-w`) is never mistaken for one that goes before it.
    #[command(flatten, next_help_heading = "Global options")]
    pub global: GlobalOpts,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// TCP echo server, netcat-style client and listener, load generator
    #[command(name = "tcp-echo")]
    TcpEcho(crate::cmd::tcp_echo::TcpEchoArgs),

    /// UDP: echo server for many peers, sender (with replies), receiver
    Udp(crate::cmd::udp::UdpArgs),

    /// Broadcast datagrams on a link, and receive them
    Broadcast(crate::cmd::broadcast::BroadcastArgs),

    /// Multicast: send to a group, join it and receive (ASM and SSM, IPv4 and IPv6)
    Multicast(crate::cmd::multicast::MulticastArgs),
    /// Sockets and their TCP states (like ss), live --watch of transitions, -g groups,
    /// --packets on the wire
    #[command(long_about = crate::cmd::stat::about(), after_long_help = crate::cmd::stat::EXAMPLES)]
    Stat(crate::cmd::stat::StatArgs),
    /// Static HTTP file server with directory listings
    #[command(name = "serve-http", long_about = crate::cmd::serve_http::ABOUT,
              after_long_help = crate::cmd::serve_http::EXAMPLES)]
    ServeHttp(crate::cmd::serve_http::ServeHttpArgs),

    /// Unix domain sockets: echo server, netcat-style client and listener
    Unix(crate::cmd::unix::UnixArgs),

    /// Application heartbeats: ping-pong responder, dead-peer detection, reconnect
    #[command(long_about = crate::proto::heartbeat::PROTOCOL_HELP)]
    Heartbeat(crate::cmd::heartbeat::HeartbeatArgs),

    /// Print a shell completion script
    Completions(crate::cmd::completions::CompletionsArgs),

    /// Write the man pages into a directory (used to refresh man/)
    #[command(hide = true)]
    Man(crate::cmd::completions::ManArgs),
}

/// What every subcommand's argument struct does.
pub trait Run {
    fn run(self, out: &Output) -> anyhow::Result<()>;
}

/// How `--explain`/`--dry-run` records are shown: a human line on stderr as strace
/// writes it, or one `syscall` record each on stdout with the other records; what the
/// I/O path's rate limit left out is a `syscalls_omitted` line or record; a layer's
/// steps (TLS records, the handshake) are indented `tls: …` lines or `step` records
/// between them.
pub fn trace_sink(out: &Output) -> crate::net::trace::Sink {
    use crate::net::trace::Event;
    let out = out.clone();
    Box::new(move |e: &Event<'_>| match e {
        Event::Call(r) => {
            let call = format!("{}({})", r.call, r.args.join(", "));
            let note = r
                .note
                .as_deref()
                .map_or(String::new(), |n| format!(" ({n})"));
            let (mut fields, human) = match &r.result {
                Some((shown, value)) => (
                    serde_json::json!({"call": r.call, "args": r.args, "result": value}),
                    format!("{call} = {shown}{note}"),
                ),
                None => (
                    serde_json::json!({"call": r.call, "args": r.args, "result": null, "dry_run": true}),
                    format!("{call}   (dry run: not made)"),
                ),
            };
            if let Some(n) = &r.note {
                fields["note"] = n.as_str().into();
            }
            out.event(crate::output::Level::Info, "syscall", fields, || human);
        }
        Event::Omitted { call, fd, count } => {
            let on = fd.map_or(String::new(), |fd| format!(" on fd {fd}"));
            out.event(
                crate::output::Level::Info,
                "syscalls_omitted",
                serde_json::json!({"call": call, "fd": fd, "count": count}),
                || {
                    // A completion is no call: the io_uring engine's are counted as such.
                    let calls = match (*call == "io_uring_cqe", *count == 1) {
                        (true, true) => "completion",
                        (true, false) => "completions",
                        (false, true) => "call",
                        (false, false) => "calls",
                    };
                    format!(
                        "… {} more {call} {calls}{on}",
                        crate::text::thousands(*count)
                    )
                },
            );
        }
        Event::Step { layer, what } => {
            let fields = serde_json::json!({"layer": layer, "step": what});
            let human = format!("  {layer}: {what}");
            out.event(crate::output::Level::Info, "step", fields, || human);
        }
    })
}

/// The one match over subcommands. A bind refused with `EADDRINUSE` — by any server,
/// listener or client source — is reworded with who holds the address
/// ([`crate::stat::holder`]) on its way out.
pub fn dispatch(command: Command, out: &Output) -> anyhow::Result<()> {
    run_one(command, out).map_err(crate::stat::holder::diagnose)
}

fn run_one(command: Command, out: &Output) -> anyhow::Result<()> {
    match command {
        Command::TcpEcho(args) => args.run(out),
        Command::Udp(args) => args.run(out),
        Command::Broadcast(args) => args.run(out),
        Command::Multicast(args) => args.run(out),
        Command::Stat(args) => args.run(out),
        Command::ServeHttp(args) => args.run(out),
        Command::Unix(args) => args.run(out),
        Command::Heartbeat(args) => args.run(out),
        Command::Completions(args) => args.run(out),
        Command::Man(args) => args.run(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Verbosity;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn verbosity_from_flags() {
        let cli = Cli::try_parse_from(["nettool", "-vv", "completions", "bash"]).unwrap();
        assert_eq!(cli.global.verbosity(), Verbosity::Debug);
        assert!(Cli::try_parse_from(["nettool", "-q", "-v", "completions", "bash"]).is_err());
    }
}

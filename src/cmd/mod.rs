//! One module per subcommand. Each turns its parsed arguments into calls of the core
//! (`net`, `engine`, `proto`, …) and owns nothing else: no socket syscall appears here.

pub mod broadcast;
pub mod completions;
pub mod dgram_args;
pub mod doctor;
pub mod heartbeat;
pub mod multicast;
pub mod serve_http;
pub mod session;
pub mod stat;
pub mod tcp_echo;
pub mod udp;
pub mod unix;

use crate::cli::Command;
use crate::output::Output;

/// What every subcommand's argument struct does.
pub trait Run {
    fn run(self, out: &Output) -> anyhow::Result<()>;
}

/// The one match over subcommands.
pub fn dispatch(command: Command, out: &Output) -> anyhow::Result<()> {
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

//! `nettool tcp-echo`: TCP in its simplest forms — a netcat-style client and listener
//! (`client`), the echo server on every engine (`serve`), and the load generator
//! that measures them (`bench`), and the relay that forwards connections (`relay`).

mod bench;
mod client;
mod relay;
mod serve;

use clap::Subcommand;

/// The default port of the TCP echo tools (echo itself is port 7, which needs root).
pub const DEFAULT_PORT: u16 = 7007;

super::subcommand_group!(TcpEchoArgs => TcpEchoCommand { Connect, Listen, Serve, Relay, Bench });

#[derive(Debug, Subcommand)]
pub enum TcpEchoCommand {
    /// Connect to ADDR and copy stdin to it and it to stdout (netcat's client mode)
    #[command(after_long_help = client::CONNECT_EXAMPLES)]
    Connect(client::ConnectArgs),
    /// Accept a connection and copy it to stdout and stdin to it (netcat's -l)
    #[command(after_long_help = client::LISTEN_EXAMPLES)]
    Listen(client::ListenArgs),
    /// Echo every byte back, on the concurrency engine of your choice
    #[command(after_long_help = serve::SERVE_EXAMPLES)]
    Serve(serve::ServeArgs),
    /// Forward every connection to TARGET (TCP or Unix), on the engine of your choice
    #[command(after_long_help = relay::RELAY_EXAMPLES)]
    Relay(relay::RelayArgs),
    /// Load an echo server and measure it, or compare every engine (--compare)
    #[command(after_long_help = bench::BENCH_EXAMPLES)]
    Bench(bench::BenchArgs),
}

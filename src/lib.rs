//! nettool: a netcat-like multitool for sockets, as a library so that tests and
//! benchmarks reach the core directly. The binary (`src/main.rs`) only parses the
//! command line and maps errors to exit codes.
//!
//! The map with the layers and the one core is `docs/ARCHITECTURE.md`.
//!
//! * [`net`] — sockets and syscalls only: addresses, socket builders, byte moving,
//!   limits, signals and the one wait, the relay.
//! * [`engine`] — how connections are multiplexed (fork … epoll reactor).
//! * [`proto`] — what is said on a connection (echo, HTTP, heartbeat).
//! * [`tls`] — TLS as a layer: around any service on any engine, and under the
//!   clients' relay (rustls, certificates, the readable handshake report).
//! * [`dgram`] — the datagram commands' loops: send, receive, print, probe, count.
//! * [`bench`](mod@bench) — the echo load generator and the engine comparison.
//! * [`cli`] / [`cmd`] — the command line and one thin module per subcommand.
//! * [`stat`] — socket tables from netlink sock_diag or /proc (`nettool stat`).
//! * [`output`] / [`error`] — what the user sees: events, colour, JSON, exit codes.
//! * [`os_error`] / [`text`] — leaves every layer may use: OS errors in words with
//!   their likely fix; counts and durations as human lines print them.

pub mod bench;
pub mod cli;
pub mod cmd;
pub mod dgram;
pub mod diag;
pub mod engine;
pub mod error;
pub mod net;
pub mod os_error;
pub mod output;
pub mod proto;
pub mod stat;
pub mod text;
pub mod tls;

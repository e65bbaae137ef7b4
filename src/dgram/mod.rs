//! The datagram commands' loops, above the socket layer ([`crate::net::dgram`]):
//!
//! * [`recv`] — the receive loop (`-n`, `-w`, signals) and the printer (raw / JSON);
//! * [`send`] — the send loop (MESSAGE, stdin lines, `--raw` chunks, probes; `-n`,
//!   `--interval`; replies);
//! * [`probe`] — sequence/timestamp payloads and per-sender loss statistics;
//! * [`tap`] — what every datagram command counts (SIGUSR1, `--stats`) and dumps (`-x`);
//! * [`listen`] — netcat's datagram listener, UDP or Unix (`nc -u -l`);
//! * [`unix`] — Unix datagram sockets: netcat's client.
//!
//! The datagram *servers* (`udp serve`, `unix serve --dgram`, `heartbeat serve --udp`)
//! are services on the datagram engine, [`crate::engine::dgram`].
//!
//! Every loop waits in [`crate::net::wait`] and stops on the command's
//! [`Shutdown`](crate::net::signals::Shutdown).

pub mod listen;
pub mod probe;
pub mod recv;
pub mod send;
pub mod tap;
pub mod unix;

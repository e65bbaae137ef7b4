//! The datagram commands' loops, above the socket layer ([`crate::net::dgram`]):
//!
//! * [`recv`] — the receive loop (`-n`, `-w`, signals) and the printer (raw / JSON);
//! * [`send`] — the send loop (MESSAGE, stdin lines, `--raw` chunks, probes; `-n`,
//!   `--interval`; replies);
//! * [`probe`] — sequence/timestamp payloads and per-sender loss statistics;
//! * [`tap`] — what every datagram command counts (SIGUSR1, `--stats`) and dumps (`-x`);
//! * [`serve`] — the UDP echo server on one unconnected socket;
//! * [`unix`] — Unix datagram sockets: the echo server, netcat's client and listener.
//!
//! Every loop waits in [`crate::net::wait`] and stops on the command's
//! [`Shutdown`](crate::net::signals::Shutdown).

pub mod probe;
pub mod recv;
pub mod send;
pub mod serve;
pub mod tap;
pub mod unix;

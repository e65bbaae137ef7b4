//! Datagrams: the one core under `udp`, `broadcast` and `multicast`.
//!
//! UDP keeps message boundaries (one `send` is one `recv`), promises nothing about
//! delivery or order, and needs no connection: one socket can talk to many peers.
//! Unicast, broadcast and multicast differ only in the socket options and the
//! destination address, so the three subcommands share everything else here:
//!
//! * [`socket`] — building sockets and setting options (`SO_BROADCAST`,
//!   `SO_REUSEADDR/SO_REUSEPORT`, `SO_BINDTODEVICE`) and the payload limits;
//! * [`multicast`] — joins (any-source and source-specific) and sender options;
//! * [`batch`] — `recvmmsg(2)`/`sendmmsg(2)` and truncation (`MSG_TRUNC`);
//! * [`recv`] — the receive loop (`-n`, `-w`, signals) and the printer (raw / JSON);
//! * [`send`] — the send loop (MESSAGE, stdin lines, `--raw` chunks, probes; `-n`,
//!   `--interval`; replies);
//! * [`serve`] — the echo server on one unconnected socket;
//! * [`probe`] — sequence/timestamp payloads and per-sender loss statistics.

pub mod batch;
pub mod multicast;
pub mod probe;
pub mod recv;
pub mod send;
pub mod serve;
pub mod socket;
pub mod tap;

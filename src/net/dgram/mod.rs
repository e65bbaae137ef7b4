//! Datagram sockets: the syscall layer under `udp`, `broadcast`, `multicast` and the
//! datagram engine.
//!
//! UDP keeps message boundaries (one `send` is one `recv`), promises nothing about
//! delivery or order, and needs no connection: one socket can talk to many peers.
//! Unicast, broadcast and multicast differ only in the socket options and the
//! destination address:
//!
//! * [`socket`] — building sockets and setting options (`SO_BROADCAST`,
//!   `SO_REUSEADDR/SO_REUSEPORT`, `SO_BINDTODEVICE`) and the payload limits;
//! * [`multicast`] — joins (any-source and source-specific) and sender options;
//! * [`batch`] — `recvmmsg(2)`/`sendmmsg(2)` and truncation (`MSG_TRUNC`).
//!
//! What the datagram commands do with these sockets (send, receive, print, probe,
//! count) lives above, in [`crate::dgram`].

pub mod batch;
pub mod multicast;
pub mod socket;

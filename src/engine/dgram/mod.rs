//! The datagram engine: the half of the core that serves datagrams, as the stream
//! engines serve connections.
//!
//! A datagram server has one unconnected socket and no connections: every peer's
//! datagrams arrive on it, each labelled with its sender, and every reply names its
//! destination. So the datagram engine is one loop over one socket — generic over the
//! [`Selector`](crate::engine::selector::Selector) (select, poll, epoll level- and
//! edge-triggered: `--engine` means the same as on a stream server), over the
//! [`Transport`] (UDP v4/v6 with `recvmmsg`/`sendmmsg` batches, Unix datagrams with
//! `recvmsg` and sender credentials) and over the [`DatagramService`] (echo, the
//! heartbeat responder), which is sans-IO like the stream `Service`.
//!
//! * [`service`] — the service contract: [`Incoming`] datagram in, [`Replies`] out.
//! * [`peers`] — the peer table: what `--max-connections` and `--idle-timeout` bound.
//! * [`event_loop`] — the loop: wait, receive a batch, serve it, send the replies.
//! * [`udp`], [`unix`] — the two transports.
//! * [`report`] — the log lines, the SIGUSR1 report and the summary.
//!
//! fork, thread and the reactor do not serve datagrams: they are ways of giving each
//! *connection* a process, a thread or a handler record, and a datagram socket has
//! none to give (see [`EngineKind::datagram_support`](crate::engine::EngineKind)).

pub mod event_loop;
pub mod peers;
pub mod report;
pub mod service;
pub mod udp;
pub mod unix;

#[cfg(test)]
mod tests;

use std::io;

use socket2::Socket;

pub use report::DgramSummary;
pub use service::{DatagramService, Flow, Incoming, Replies};

/// Told of each reply a transport sent or failed to send: (index of the datagram it
/// answers, its bytes, the outcome).
pub type SendReport<'a> = dyn FnMut(usize, &[u8], io::Result<()>) + 'a;

/// How datagrams of one socket family come in and go out, without blocking.
///
/// A transport owns the socket and the buffers of one batch: [`recv`](Self::recv)
/// fills the batch, [`datagram`](Self::datagram) reads it back, and
/// [`send`](Self::send) answers datagrams of the same batch by their index, so the
/// sender's address never has to be converted to a [`Peer`](crate::net::peer::Peer)
/// and back.
pub trait Transport {
    /// The receive call, as `--dry-run` names the point it stops before.
    const RECV_CALL: &'static str;

    /// The socket the loop waits on.
    fn socket(&self) -> &Socket;

    /// Receive what is waiting, up to one batch; `Ok(0)` when nothing was.
    fn recv(&mut self) -> io::Result<usize>;

    /// The most datagrams one [`recv`](Self::recv) returns: a shorter batch means the
    /// queue is empty.
    fn batch(&self) -> usize;

    /// Datagram `i` of the last batch: its sender, the bytes kept, its real length.
    fn datagram(&self, i: usize) -> (crate::net::peer::Peer, &[u8], usize);

    /// Send every reply to the sender of the datagram it answers, never blocking;
    /// `done(i, bytes, result)` reports each one, in order.
    fn send(&mut self, replies: &Replies, done: &mut SendReport<'_>);

    /// Datagrams the kernel dropped so far for a full receive queue (`SO_RXQ_OVFL`).
    fn kernel_drops(&self) -> u32 {
        0
    }
}

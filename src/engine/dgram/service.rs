//! The contract between the datagram loop and a datagram service: the datagram twin
//! of [`crate::engine::service`].
//!
//! A datagram server has no connections to hand out, only one socket on which every
//! peer's datagrams arrive, each labelled with its sender. The loop receives them (in
//! batches), tracks the peers, and hands each datagram to the service as an
//! [`Incoming`]; the service appends its answers to [`Replies`] and says whether to
//! go on ([`Flow`]). It never touches the socket, so echo and the heartbeat responder
//! run unchanged over UDP (v4, v6) and Unix datagram sockets, on every selector, and
//! unit tests call them with plain values.

use std::ops::Range;

use crate::net::peer::Peer;

/// One datagram as the service sees it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    /// The sender (for Unix sockets with its credentials).
    pub peer: &'a Peer,
    /// The bytes that fit the receive buffer.
    pub data: &'a [u8],
    /// The datagram's real size on the wire (`> data.len()`: the kernel cut it).
    pub len: usize,
    /// Peers the server tracks at this moment, this one included (the heartbeat pong
    /// reports it as its "connections").
    pub peers: usize,
}

impl Incoming<'_> {
    /// The datagram did not fit the buffer: `data` is only its beginning.
    pub fn truncated(&self) -> bool {
        self.data.len() < self.len
    }
}

/// Whether the server goes on after a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Send the replies queued so far, then stop as on SIGTERM (`udp serve -n N`).
    Stop,
}

/// Answers queued during one batch, each to the sender of the datagram that caused
/// it. One buffer for the whole batch, reused turn after turn: no allocation per reply.
#[derive(Debug, Default)]
pub struct Replies {
    buf: Vec<u8>,
    /// (index of the datagram in the batch, its bytes in `buf`).
    items: Vec<(usize, Range<usize>)>,
    current: usize,
}

impl Replies {
    /// Queue one datagram back to the sender of the datagram being handled.
    pub fn reply(&mut self, bytes: &[u8]) {
        let start = self.buf.len();
        self.buf.extend_from_slice(bytes);
        self.items.push((self.current, start..self.buf.len()));
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The queued replies in order: (index of the datagram answered, bytes).
    pub fn iter(&self) -> impl Iterator<Item = (usize, &[u8])> {
        self.items.iter().map(|(i, r)| (*i, &self.buf[r.clone()]))
    }

    /// Replies from now on answer datagram `i` of the batch.
    pub(super) fn answering(&mut self, i: usize) {
        self.current = i;
    }

    pub(super) fn clear(&mut self) {
        self.buf.clear();
        self.items.clear();
        self.current = 0;
    }
}

/// What a datagram server says. One value serves every peer (there is no per-peer
/// object to open: a peer may send one datagram and never another).
pub trait DatagramService {
    /// A datagram arrived from `d.peer`: queue the answers in `out`.
    fn on_datagram(&mut self, d: &Incoming<'_>, out: &mut Replies) -> Flow;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_remember_whom_they_answer() {
        let mut r = Replies::default();
        r.answering(0);
        r.reply(b"one");
        r.reply(b"");
        r.answering(3);
        r.reply(b"three");
        let got: Vec<(usize, &[u8])> = r.iter().collect();
        assert_eq!(
            got,
            vec![(0, &b"one"[..]), (0, &b""[..]), (3, &b"three"[..])]
        );
        assert_eq!(r.len(), 3);
        r.clear();
        assert!(r.is_empty() && r.iter().next().is_none());
    }

    #[test]
    fn truncation_is_data_shorter_than_len() {
        let p = Peer::Inet("127.0.0.1:9".parse().unwrap());
        let whole = Incoming {
            peer: &p,
            data: b"abc",
            len: 3,
            peers: 1,
        };
        assert!(!whole.truncated());
        assert!(Incoming { len: 9, ..whole }.truncated());
    }
}

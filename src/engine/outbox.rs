//! What waits to go out on one connection: an [`Outbox`] of byte buffers and file
//! ranges ([`OutItem`]), which a service fills and a driver drains — with `write`,
//! `sendfile(2)`, or an io_uring send that reads a pinned buffer after the call.

use std::collections::VecDeque;
use std::fs::File;
use std::sync::Arc;

/// One thing to send.
#[derive(Debug)]
pub enum OutItem {
    Bytes(Vec<u8>),
    /// `len` bytes of `file` starting at `offset` (sent with `sendfile(2)` where possible).
    File {
        file: Arc<File>,
        offset: u64,
        len: u64,
    },
}

impl OutItem {
    pub fn len(&self) -> u64 {
        match self {
            OutItem::Bytes(b) => b.len() as u64,
            OutItem::File { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The queue of bytes and file ranges waiting to go out on one connection.
#[derive(Debug, Default)]
pub struct Outbox {
    items: VecDeque<OutItem>,
    queued: u64,
    /// Bytes handed to the kernel since the connection opened (a service finds out
    /// from it which of its responses are complete: HTTP's access log).
    sent: u64,
    /// The front buffer is being read by the kernel from where it lies (an io_uring
    /// send in flight): it must not grow (and so move) until the send completes.
    pinned: bool,
}

impl Outbox {
    /// Queue bytes; small writes are coalesced into the last buffer.
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.queued += bytes.len() as u64;
        let back_pinned = self.pinned && self.items.len() == 1;
        if let (Some(OutItem::Bytes(last)), false) = (self.items.back_mut(), back_pinned) {
            last.extend_from_slice(bytes);
        } else {
            self.items.push_back(OutItem::Bytes(bytes.to_vec()));
        }
    }

    /// Queue an owned buffer without copying it.
    pub fn push_vec(&mut self, bytes: Vec<u8>) {
        if bytes.is_empty() {
            return;
        }
        self.queued += bytes.len() as u64;
        self.items.push_back(OutItem::Bytes(bytes));
    }

    /// Queue a file range.
    pub fn push_file(&mut self, file: Arc<File>, offset: u64, len: u64) {
        if len == 0 {
            return;
        }
        self.queued += len;
        self.items.push_back(OutItem::File { file, offset, len });
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes still to send (engines stop reading above a high-water mark).
    pub fn queued_bytes(&self) -> u64 {
        self.queued
    }

    /// Bytes sent so far on this connection.
    pub fn sent_total(&self) -> u64 {
        self.sent
    }

    /// Bytes ever queued on this connection (sent or still waiting): the position in
    /// the output stream where the next item will start.
    pub fn pushed_total(&self) -> u64 {
        self.sent + self.queued
    }

    /// Whether another item follows the front one (the sender may cork: `MSG_MORE`).
    pub fn more_after_front(&self) -> bool {
        self.items.len() > 1
    }

    /// Whether a file range is queued (a completion driver sends such an outbox the
    /// readiness way, with `sendfile(2)`).
    pub fn has_file(&self) -> bool {
        self.items.iter().any(|i| matches!(i, OutItem::File { .. }))
    }

    /// The item to send next.
    pub fn front(&self) -> Option<&OutItem> {
        self.items.front()
    }

    /// A completion driver hands the front item's memory to the kernel (io_uring's
    /// send reads it after the call returns): until the next [`consume`](Self::consume)
    /// new bytes go into a buffer of their own, so the front one never reallocates.
    pub fn pin_front(&mut self) {
        self.pinned = true;
    }

    /// Record that `n` bytes of the front item went out (this also ends a
    /// [`pin_front`](Self::pin_front): the kernel is done with the memory).
    pub fn consume(&mut self, n: u64) {
        self.pinned = false;
        let Some(front) = self.items.front_mut() else {
            return;
        };
        let n = n.min(front.len());
        self.queued -= n;
        self.sent += n;
        match front {
            OutItem::Bytes(b) => {
                if n as usize == b.len() {
                    self.items.pop_front();
                } else {
                    b.drain(..n as usize);
                }
            }
            OutItem::File { offset, len, .. } => {
                *offset += n;
                *len -= n;
                if *len == 0 {
                    self.items.pop_front();
                }
            }
        }
    }

    /// Drop everything queued (the connection is being torn down; what was sent
    /// stays counted).
    pub fn clear(&mut self) {
        self.items.clear();
        self.queued = 0;
    }
}

/// Above this many queued bytes an engine stops reading from the connection until the
/// peer has taken some: a client that sends but never reads cannot grow our memory.
pub const OUTBOX_HIGH_WATER: u64 = 1 << 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_coalesces_and_consumes() {
        let mut o = Outbox::default();
        o.push_bytes(b"ab");
        o.push_bytes(b"cd");
        assert_eq!(o.queued_bytes(), 4);
        o.consume(3);
        match o.front() {
            Some(OutItem::Bytes(b)) => assert_eq!(b, b"d"),
            other => panic!("{other:?}"),
        }
        o.consume(1);
        assert!(o.is_empty());
        assert_eq!(o.queued_bytes(), 0);
        assert_eq!((o.sent_total(), o.pushed_total()), (4, 4));
        o.push_bytes(b"xyz");
        o.consume(1);
        o.clear();
        assert_eq!((o.sent_total(), o.pushed_total()), (5, 5));
    }

    #[test]
    fn outbox_file_ranges_advance() {
        let f = Arc::new(tempfile::tempfile().unwrap());
        let mut o = Outbox::default();
        o.push_file(f, 10, 5);
        o.push_bytes(b"x");
        o.consume(2);
        match o.front() {
            Some(OutItem::File { offset, len, .. }) => assert_eq!((*offset, *len), (12, 3)),
            other => panic!("{other:?}"),
        }
        o.consume(3);
        assert_eq!(o.queued_bytes(), 1);
    }

    #[test]
    fn a_pinned_front_buffer_never_moves() {
        let mut o = Outbox::default();
        o.push_bytes(b"ab");
        let Some(OutItem::Bytes(b)) = o.front() else {
            panic!()
        };
        let at = b.as_ptr();
        o.pin_front();
        o.push_bytes(&[7u8; 4096]);
        let Some(OutItem::Bytes(b)) = o.front() else {
            panic!()
        };
        assert_eq!((b.as_ptr(), b.len()), (at, 2), "grown while pinned");
        assert_eq!(o.queued_bytes(), 4098);
        o.consume(2);
        // Unpinned again: small writes coalesce as before.
        o.push_bytes(b"c");
        assert_eq!(o.front().map(OutItem::len), Some(4097));
    }
}

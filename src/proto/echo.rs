//! Echo (RFC 862): every byte received is sent back, in order. After the client
//! half-closes, what is queued still goes out, then the server closes — so
//! `printf data | nettool tcp-echo connect` prints `data` and exits.
//!
//! Over datagrams (UDP, Unix `SOCK_DGRAM`) each datagram goes back whole, as one
//! datagram, to its sender ([`DatagramEcho`]).

use crate::engine::dgram::{DatagramService, Flow, Incoming, Replies};
use crate::engine::service::{ConnInfo, Outbox, Service, ServiceFactory, Verdict};

/// One echo connection: no state at all beyond the engine's outbox.
#[derive(Debug, Default)]
pub struct Echo;

impl Service for Echo {
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        out.push_bytes(data);
        Verdict::Keep
    }
}

/// Makes an [`Echo`] per connection.
#[derive(Debug, Default)]
pub struct EchoFactory;

impl ServiceFactory for EchoFactory {
    type Service = Echo;

    fn open(&self, _info: &ConnInfo) -> Echo {
        Echo
    }
}

/// Datagram echo: each datagram back to its sender, optionally for `limit` datagrams
/// only (`udp serve -n N`). A datagram cut by the receive buffer is not echoed: the
/// answer would be a different, shorter datagram (the engine counts and reports it).
#[derive(Debug, Default)]
pub struct DatagramEcho {
    pub limit: Option<u64>,
    pub echoed: u64,
}

impl DatagramEcho {
    pub fn new(limit: Option<u64>) -> DatagramEcho {
        DatagramEcho { limit, echoed: 0 }
    }
}

impl DatagramService for DatagramEcho {
    fn on_datagram(&mut self, d: &Incoming<'_>, out: &mut Replies) -> Flow {
        if d.truncated() {
            return Flow::Continue;
        }
        out.reply(d.data);
        self.echoed += 1;
        match self.limit {
            Some(n) if self.echoed >= n => Flow::Stop,
            _ => Flow::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::peer::Peer;

    fn incoming<'a>(peer: &'a Peer, data: &'a [u8], len: usize) -> Incoming<'a> {
        Incoming {
            peer,
            data,
            len,
            peers: 1,
        }
    }

    #[test]
    fn datagrams_come_back_whole_until_the_limit() {
        let p = Peer::Inet("127.0.0.1:5".parse().unwrap());
        let mut e = DatagramEcho::new(Some(2));
        let mut out = Replies::default();
        assert_eq!(
            e.on_datagram(&incoming(&p, b"", 0), &mut out),
            Flow::Continue
        );
        // Cut by the buffer: not echoed, not counted towards -n.
        assert_eq!(
            e.on_datagram(&incoming(&p, b"ab", 9), &mut out),
            Flow::Continue
        );
        assert_eq!(
            e.on_datagram(&incoming(&p, b"xyz", 3), &mut out),
            Flow::Stop
        );
        let got: Vec<&[u8]> = out.iter().map(|(_, b)| b).collect();
        assert_eq!(got, vec![&b""[..], &b"xyz"[..]]);
        assert_eq!(e.echoed, 2);
    }

    #[test]
    fn echoes_and_closes_after_eof() {
        let mut e = Echo;
        let mut out = Outbox::default();
        assert_eq!(e.on_data(b"hi", &mut out), Verdict::Keep);
        assert_eq!(out.queued_bytes(), 2);
        assert_eq!(e.on_eof(&mut out), Verdict::Close);
    }
}

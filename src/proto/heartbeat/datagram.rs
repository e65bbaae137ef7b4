//! The heartbeat responder over UDP: one frame per datagram, each ping answered with a
//! pong to its sender, as a [`DatagramService`] on the datagram engine (so `-x`,
//! `--max-connections`, `--idle-timeout` and SIGUSR1 mean what they mean on every
//! server). A bad datagram is logged and dropped: there is no connection to close,
//! and the sender's next valid ping is answered as if nothing had happened.
//!
//! The pong's `connections` field is the number of peers the engine tracks: with
//! `--idle-timeout` a client that went silent stops counting.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde_json::Value;

use super::ResponderState;
use super::wire::{self, Frame};
use crate::engine::dgram::{DatagramService, Flow, Incoming, Replies};
use crate::net::peer::Peer;
use crate::output::{Level, Output};

/// Answers pings arriving as datagrams.
pub struct DatagramResponder {
    pub state: Arc<ResponderState>,
    out: Output,
}

impl DatagramResponder {
    pub fn new(out: &Output) -> Self {
        DatagramResponder {
            state: Arc::default(),
            out: out.clone(),
        }
    }

    fn reject(&self, peer: &Peer, why: &dyn std::fmt::Display) {
        self.state.rejected.fetch_add(1, Ordering::Relaxed);
        let mut fields = peer.json_fields();
        fields["reason"] = Value::from(why.to_string());
        self.out.event(Level::Info, "rejected", fields, || {
            format!("heartbeat: dropped a datagram from {peer}: {why}")
        });
    }
}

impl DatagramService for DatagramResponder {
    fn on_datagram(&mut self, d: &Incoming<'_>, out: &mut Replies) -> Flow {
        // A cut datagram is not one frame, even when its beginning decodes as one.
        if d.truncated() {
            self.reject(
                d.peer,
                &format_args!("{} bytes, cut by the receive buffer", d.len),
            );
            return Flow::Continue;
        }
        match wire::decode_datagram(d.data) {
            Ok(Frame::Ping(p)) => {
                let peers = u32::try_from(d.peers).unwrap_or(u32::MAX);
                self.state.connections.store(peers, Ordering::Relaxed);
                out.reply(&wire::to_bytes(&self.state.pong(p)));
            }
            Ok(Frame::Pong(_)) => self.reject(d.peer, &"unexpected pong"),
            Err(e) => self.reject(d.peer, &e),
        }
        Flow::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Verbosity;

    #[test]
    fn pings_get_pongs_and_anything_else_is_dropped() {
        let mut r = DatagramResponder::new(&Output::new(false, Verbosity::Quiet));
        let peer = Peer::Inet("127.0.0.1:9".parse().unwrap());
        let ping = wire::to_bytes(&Frame::Ping(wire::Ping {
            seq: 7,
            sent_us: 11,
        }));
        let mut out = Replies::default();
        let mut feed = |data: &[u8], peers| {
            let d = Incoming {
                peer: &peer,
                data,
                len: data.len(),
                peers,
            };
            assert_eq!(r.on_datagram(&d, &mut out), Flow::Continue);
        };
        feed(&ping, 3);
        feed(b"GET / HTTP/1.1\r\n", 3);
        let mut two = ping.clone();
        two.extend_from_slice(&ping);
        feed(&two, 3);
        // The beginning of a longer datagram, cut by the buffer: not a ping.
        r.on_datagram(
            &Incoming {
                peer: &peer,
                data: &ping,
                len: ping.len() + 1,
                peers: 3,
            },
            &mut out,
        );
        let pongs: Vec<Frame> = out
            .iter()
            .map(|(_, b)| wire::decode_datagram(b).unwrap())
            .collect();
        match pongs.as_slice() {
            [Frame::Pong(p)] => {
                assert_eq!((p.seq, p.sent_us, p.connections), (7, 11, 3));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((r.state.beats(), r.state.rejected()), (1, 3));
    }
}

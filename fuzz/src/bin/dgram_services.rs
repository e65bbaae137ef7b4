//! The datagram services (`proto::echo::DatagramEcho`, the heartbeat
//! `DatagramResponder`) fed any datagrams from a handful of peers, some cut short by
//! the receive buffer, the way the datagram engine hands them over.
//!
//! Invariants: echo answers every whole datagram with exactly its bytes and no cut
//! one, and says `Stop` on exactly the datagram that reaches its `-n` limit; the
//! responder answers exactly the whole datagrams that decode as one ping, each with one pong
//! echoing that ping and counting the peers the engine tracks, and counts every other
//! datagram as rejected; neither ever answers twice or panics.
//!
//! Input: the echo limit (0 = none), then datagrams, each a header byte (peer in the
//! low 2 bits, bit 2 = cut short, the rest the tracked-peer count) and a length byte
//! followed by that many bytes.

use nettool::engine::dgram::{DatagramService, Flow, Incoming, Replies};
use nettool::net::peer::Peer;
use nettool::output::{Output, Verbosity};
use nettool::proto::echo::DatagramEcho;
use nettool::proto::heartbeat::datagram::DatagramResponder;
use nettool::proto::heartbeat::wire::{Frame, decode_datagram};
use nettool_fuzz::input::Input;

/// Feed one datagram: the replies it caused.
fn feed<S: DatagramService>(svc: &mut S, d: &Incoming<'_>) -> (Flow, Vec<Vec<u8>>) {
    let mut out = Replies::default();
    let flow = svc.on_datagram(d, &mut out);
    (flow, out.iter().map(|(_, b)| b.to_vec()).collect())
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let limit = match input.byte() {
        0 => None,
        n => Some(u64::from(n % 8)),
    };
    let peers: Vec<Peer> = (0..4u16)
        .map(|i| Peer::Inet(std::net::SocketAddr::from(([127, 0, 0, 1], 40000 + i))))
        .collect();
    let mut echo = DatagramEcho::new(limit);
    let mut responder = DatagramResponder::new(&Output::new(false, Verbosity::Quiet));
    let (mut whole, mut pings, mut others) = (0u64, 0u64, 0u64);
    let mut stopped = false;
    while !input.is_empty() {
        let header = input.byte();
        let len = usize::from(input.byte());
        let bytes = input.bytes(len);
        let cut = header & 4 != 0;
        let d = Incoming {
            peer: &peers[usize::from(header & 3)],
            data: bytes,
            len: bytes.len() + usize::from(cut),
            peers: usize::from(header >> 3) + 1,
        };

        if !stopped {
            let (flow, replies) = feed(&mut echo, &d);
            if cut {
                assert!(replies.is_empty(), "a cut datagram was echoed");
                assert_eq!(flow, Flow::Continue);
            } else {
                whole += 1;
                assert_eq!(replies, vec![bytes.to_vec()], "echo changed the datagram");
                let at_limit = limit.is_some_and(|n| whole >= n);
                assert_eq!(flow == Flow::Stop, at_limit, "stop after {whole}");
                stopped = at_limit;
            }
        }

        let (flow, replies) = feed(&mut responder, &d);
        assert_eq!(flow, Flow::Continue, "the responder never stops the server");
        match decode_datagram(bytes) {
            Ok(Frame::Ping(p)) if !cut => {
                pings += 1;
                let [reply] = replies.as_slice() else {
                    panic!("{} replies to one ping", replies.len());
                };
                match decode_datagram(reply) {
                    Ok(Frame::Pong(pong)) => {
                        assert_eq!((pong.seq, pong.sent_us), (p.seq, p.sent_us));
                        assert_eq!(pong.connections as usize, d.peers);
                    }
                    other => panic!("a ping answered with {other:?}"),
                }
            }
            _ => {
                others += 1;
                assert!(replies.is_empty(), "a non-ping was answered");
            }
        }
    }
    assert_eq!(echo.echoed, whole);
    assert_eq!(
        (responder.state.beats(), responder.state.rejected()),
        (pings, others)
    );
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}

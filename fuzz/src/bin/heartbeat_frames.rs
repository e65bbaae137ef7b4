//! Heartbeat frames (`proto::heartbeat::wire`) and the responder service that
//! answers them, fed any bytes in any pieces.
//!
//! Invariants: a decoded frame re-encodes to exactly the bytes it came from; "need
//! more bytes" is said only of a prefix of a valid frame (each shorter prefix says it
//! too); an error is final (more bytes give the same error); a datagram decodes iff it
//! is exactly one frame. The responder answers exactly the pings a sequential decoder
//! finds before the first bad frame, in order, each pong echoing its ping and counting
//! one connection; it closes iff the stream holds a bad frame or ends inside one.
//!
//! Input: a count of cut bytes and the cuts (`input::pieces`), then the stream.

use nettool::output::{Output, Verbosity};
use nettool::proto::heartbeat::ResponderFactory;
use nettool::proto::heartbeat::wire::{
    Frame, HEADER_LEN, MAX_BODY, decode, decode_datagram, to_bytes,
};
use nettool_fuzz::drive::{self, Delivery};
use nettool_fuzz::input::{Input, pieces};

fn frame_properties(b: &[u8]) {
    match decode(b) {
        Ok(Some((f, used))) => {
            assert!(used <= b.len() && used <= HEADER_LEN + MAX_BODY);
            assert_eq!(to_bytes(&f), &b[..used], "re-encoding");
            assert_eq!(decode_datagram(&b[..used]), Ok(f));
            if used < b.len() {
                assert!(decode_datagram(b).is_err(), "trailing bytes accepted");
            }
        }
        Ok(None) => {
            assert!(
                b.len() < HEADER_LEN + MAX_BODY,
                "{} bytes and still partial",
                b.len()
            );
            for n in 0..b.len() {
                assert_eq!(decode(&b[..n]), Ok(None), "prefix {n} of a partial frame");
            }
            assert!(decode_datagram(b).is_err());
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
            let mut longer = b.to_vec();
            longer.extend_from_slice(&[0; HEADER_LEN + MAX_BODY]);
            assert_eq!(
                decode(&longer),
                Err(e.clone()),
                "an error changed with more bytes"
            );
            assert!(decode_datagram(b).is_err());
        }
    }
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let ncuts = usize::from(input.byte() % 16);
    let cuts = input.bytes(ncuts);
    let stream = input.rest();
    frame_properties(stream);

    // The reference: decode sequentially.
    let (mut pings, mut at, mut bad) = (Vec::new(), 0, false);
    loop {
        match decode(&stream[at..]) {
            Ok(Some((Frame::Ping(p), n))) => {
                pings.push(p);
                at += n;
                frame_properties(&stream[at..]);
            }
            Ok(Some((Frame::Pong(_), _))) | Err(_) => {
                bad = true;
                break;
            }
            Ok(None) => break,
        }
    }
    let ends_inside = !bad && at < stream.len();

    let factory = ResponderFactory::new(&Output::new(false, Verbosity::Quiet));
    let how = Delivery {
        batched: false,
        flush: true,
    };
    let t = drive::run(&factory, pieces(stream, cuts).map(|p| (p, how)), true);
    assert_eq!(t.closed_early, bad, "closed early iff a bad frame");
    let mut pongs = Vec::new();
    let mut rest = &t.wire[..];
    while !rest.is_empty() {
        match decode(rest) {
            Ok(Some((Frame::Pong(p), n))) => {
                pongs.push(p);
                rest = &rest[n..];
            }
            other => panic!("the responder sent {other:?}"),
        }
    }
    assert_eq!(pongs.len(), pings.len(), "one pong per ping");
    for (ping, pong) in pings.iter().zip(&pongs) {
        assert_eq!((pong.seq, pong.sent_us), (ping.seq, ping.sent_us));
        assert_eq!(pong.connections, 1);
    }
    assert_eq!(factory.state.rejected(), u64::from(bad || ends_inside));
    assert_eq!(factory.state.beats(), pings.len() as u64);
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}

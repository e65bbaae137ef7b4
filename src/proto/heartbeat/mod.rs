//! Application-level heartbeats: a ping-pong protocol that tells a live peer from a
//! dead one faster and more honestly than TCP does on its own (a silent partition
//! leaves a TCP connection "established" for many minutes).
//!
//! * [`wire`] — the frame format (documented there and in `nettool heartbeat --help`).
//! * [`detector`] — when a peer is dead, and how long to wait before reconnecting.
//! * this file — the responder as a sans-IO [`Service`], so `heartbeat serve` runs on
//!   every engine;
//! * [`datagram`] — the same responder over UDP, a service on the datagram engine.
//! * [`client`] — `heartbeat connect`: beat, measure, declare dead, reconnect.

pub mod client;
pub mod datagram;
pub mod detector;
pub mod stats;
pub mod transport;
pub mod wire;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

use crate::engine::service::{ConnInfo, Outbox, Service, ServiceFactory, Verdict};
use crate::output::Output;
use wire::{Frame, FrameError, Pong};

/// The protocol description shown in `nettool heartbeat --help` and the man page.
pub const PROTOCOL_HELP: &str = "\
Application heartbeats: ping-pong responder, dead-peer detection, reconnect.

Wire protocol (version 1, integers big-endian):
  header   'H' 'B', version u8 = 1, kind u8, body length u16
  ping     kind 1, body 16 bytes: seq u64, sender time u64 (µs since the epoch)
  pong     kind 2, body 36 bytes: seq u64, sender time u64 (echoed),
           responder time u64 (µs), responder uptime u64 (ms), connections u32
A beat whose pong has not arrived when the next beat is due is missed; after
--misses consecutive misses the peer is dead, at most interval × (misses + 1)
after its last reply. Any malformed or oversized frame closes that connection.";

/// What the responder knows about itself, shared by all its connections.
#[derive(Debug)]
pub struct ResponderState {
    started: Instant,
    connections: AtomicU32,
    beats: AtomicU64,
    rejected: AtomicU64,
}

impl Default for ResponderState {
    fn default() -> Self {
        ResponderState {
            started: Instant::now(),
            connections: AtomicU32::new(0),
            beats: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }
}

impl ResponderState {
    /// The pong for `ping`, stamped with our clock, uptime and connection count.
    pub fn pong(&self, ping: wire::Ping) -> Frame {
        self.beats.fetch_add(1, Ordering::Relaxed);
        Frame::Pong(Pong {
            seq: ping.seq,
            sent_us: ping.sent_us,
            responder_us: wire::now_us(),
            uptime_ms: self.started.elapsed().as_millis() as u64,
            connections: self.connections.load(Ordering::Relaxed),
        })
    }

    pub fn beats(&self) -> u64 {
        self.beats.load(Ordering::Relaxed)
    }

    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }
}

/// Makes a [`Responder`] per connection.
pub struct ResponderFactory {
    pub state: Arc<ResponderState>,
    out: Output,
}

impl ResponderFactory {
    pub fn new(out: &Output) -> Self {
        ResponderFactory {
            state: Arc::default(),
            out: out.clone(),
        }
    }
}

impl ServiceFactory for ResponderFactory {
    type Service = Responder;

    fn open(&self, info: &ConnInfo) -> Responder {
        self.state.connections.fetch_add(1, Ordering::Relaxed);
        Responder {
            state: Arc::clone(&self.state),
            out: self.out.clone(),
            peer: info.peer.to_string(),
            buf: Vec::new(),
        }
    }
}

/// One connection of the responder: reassembles frames across reads, answers pings.
pub struct Responder {
    state: Arc<ResponderState>,
    out: Output,
    peer: String,
    buf: Vec<u8>,
}

impl Responder {
    fn reject(&mut self, why: &dyn std::fmt::Display) -> Verdict {
        self.state.rejected.fetch_add(1, Ordering::Relaxed);
        self.out
            .warn(&format!("heartbeat: disconnecting {}: {why}", self.peer));
        self.buf.clear();
        Verdict::Close
    }
}

impl Service for Responder {
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.buf.extend_from_slice(data);
        let mut used = 0;
        loop {
            match wire::decode(&self.buf[used..]) {
                Ok(Some((Frame::Ping(p), n))) => {
                    used += n;
                    let mut bytes = Vec::with_capacity(48);
                    wire::encode(&self.state.pong(p), &mut bytes);
                    out.push_vec(bytes);
                }
                Ok(Some((Frame::Pong(_), _))) => {
                    return self.reject(&"sent a pong to the responder (protocol violation)");
                }
                Ok(None) => break,
                Err(e) => return self.reject(&e),
            }
        }
        self.buf.drain(..used);
        Verdict::Keep
    }

    fn on_eof(&mut self, _out: &mut Outbox) -> Verdict {
        if !self.buf.is_empty() {
            let n = self.buf.len();
            return self.reject(&format!("closed in the middle of a frame ({n} bytes)"));
        }
        Verdict::Close
    }

    fn on_close(&mut self, _out: &Outbox) {
        self.state.connections.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Error type re-exported for callers that classify frames.
pub type WireError = FrameError;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Verbosity;

    fn responder() -> Responder {
        let f = ResponderFactory::new(&Output::new(false, Verbosity::Quiet));
        f.open(&ConnInfo::loopback(1))
    }

    fn pings(seqs: std::ops::Range<u64>) -> Vec<u8> {
        let mut v = Vec::new();
        for seq in seqs {
            wire::encode(&Frame::Ping(wire::Ping { seq, sent_us: 9 }), &mut v);
        }
        v
    }

    fn drain(out: &mut Outbox) -> Vec<u8> {
        let mut v = Vec::new();
        while let Some(crate::engine::service::OutItem::Bytes(b)) = out.front() {
            v.extend_from_slice(b);
            let n = b.len() as u64;
            out.consume(n);
        }
        v
    }

    #[test]
    fn answers_pings_fed_one_byte_at_a_time() {
        let mut r = responder();
        let mut out = Outbox::default();
        for b in pings(0..3) {
            assert_eq!(r.on_data(&[b], &mut out), Verdict::Keep);
        }
        let bytes = drain(&mut out);
        let mut seqs = Vec::new();
        let mut at = 0;
        while let Some((Frame::Pong(p), n)) = wire::decode(&bytes[at..]).unwrap() {
            assert_eq!(p.sent_us, 9);
            assert_eq!(p.connections, 1);
            seqs.push(p.seq);
            at += n;
        }
        assert_eq!(seqs, vec![0, 1, 2]);
    }

    #[test]
    fn garbage_and_oversized_frames_close() {
        let mut out = Outbox::default();
        assert_eq!(
            responder().on_data(b"GET / HTTP/1.1\r\n", &mut out),
            Verdict::Close
        );
        assert_eq!(
            responder().on_data(b"HB\x01\x01\x10\x00", &mut out),
            Verdict::Close
        );
        let mut r = responder();
        let mut valid_then_bad = pings(0..1);
        valid_then_bad.extend_from_slice(b"xx");
        assert_eq!(r.on_data(&valid_then_bad, &mut out), Verdict::Close);
        let mut r = responder();
        assert_eq!(r.on_data(&pings(0..1)[..5], &mut out), Verdict::Keep);
        assert_eq!(r.on_eof(&mut out), Verdict::Close);
        assert_eq!(r.state.rejected(), 1);
    }

    /// Seeds from the hostile-input suite: garbage, an oversized and a malformed frame,
    /// a wrong version, a pong sent to the responder.
    const SEEDS: &[&[u8]] = &[
        b"GET / HTTP/1.1\r\n\r\n",
        b"HB\x01\x01\xff\xff",
        b"HB\x01\x01\x00\x08",
        b"HB\x02\x01\x00\x10",
        b"\x00\x00\x00\x00\x00\x00",
    ];

    proptest::proptest! {
        /// A connection fed valid pings, then anything, in arbitrary pieces: the
        /// responder answers exactly the pings a sequential decoder accepts, closes iff
        /// the decoder finds an error, never buffers more than one frame, never panics.
        #[test]
        fn responder_matches_the_decoder_on_any_stream(
            pings_before in 0u64..4,
            seed in 0usize..6,
            tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            cuts in proptest::collection::vec(1usize..9, 1..40),
        ) {
            let mut stream = pings(0..pings_before);
            if seed < SEEDS.len() {
                stream.extend_from_slice(SEEDS[seed]);
            }
            stream.extend_from_slice(&tail);
            // The reference: decode sequentially.
            let (mut expected, mut at, mut bad) = (Vec::new(), 0, false);
            loop {
                match wire::decode(&stream[at..]) {
                    Ok(Some((Frame::Ping(p), n))) => { expected.push(p.seq); at += n; }
                    Ok(Some((Frame::Pong(_), _))) | Err(_) => { bad = true; break; }
                    Ok(None) => break,
                }
            }
            let mut r = responder();
            let mut out = Outbox::default();
            let (mut rest, mut i, mut closed) = (&stream[..], 0, false);
            while !rest.is_empty() {
                let n = cuts[i % cuts.len()].min(rest.len());
                i += 1;
                if r.on_data(&rest[..n], &mut out) == Verdict::Close {
                    closed = true;
                    break;
                }
                proptest::prop_assert!(r.buf.len() <= wire::HEADER_LEN + wire::MAX_BODY);
                rest = &rest[n..];
            }
            proptest::prop_assert_eq!(closed, bad);
            let bytes = drain(&mut out);
            let mut got = Vec::new();
            let mut at = 0;
            while let Ok(Some((Frame::Pong(p), n))) = wire::decode(&bytes[at..]) {
                got.push(p.seq);
                at += n;
            }
            proptest::prop_assert_eq!(at, bytes.len());
            proptest::prop_assert_eq!(got, expected);
        }
    }
}

//! The TLS layer a hostile peer meets: the record framing (`tls::records::Scanner`),
//! the server side every engine drives (`tls::Tls<S>` around a service, through its
//! `TlsFactory`), and a client session that has sent its ClientHello
//! (`tls::session::fuzz_client`), each fed any bytes in any pieces.
//!
//! Invariants (besides no panic and no hang):
//! * the scanner, fed in pieces, reports exactly the records an independent reading
//!   of the whole stream finds (type, version, length, the first handshake message
//!   while in the clear), says "broken" exactly when a header cannot be TLS, counts
//!   the finished records and is at a boundary exactly where one ends;
//! * the server layer sends only whole, well-formed records (every byte it ever
//!   sends parses as records, ending at a record's end), never the inner service's
//!   plaintext in the clear, and hands the inner service nothing: no handshake can
//!   finish here (the fuzzer cannot answer the server's ephemeral key share), so
//!   nothing decrypted may reach it.
//!
//! Input: a byte choosing the chunking, a count of cut bytes and the cuts
//! (`input::pieces`), then the stream — the client's bytes to the server layer, and
//! the same bytes as the server's to the client session and to the scanner.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use nettool::engine::service::{ConnInfo, Outbox, Service, ServiceFactory, Verdict};
use nettool::output::{Output, Verbosity};
use nettool::tls::records::{MAX_BODY, Record, Scanner};
use nettool::tls::selfsigned::generate;
use nettool::tls::{ServerTls, ServerTlsOpts, TlsFactory};
use nettool_fuzz::drive::{self, Delivery};
use nettool_fuzz::input::{Input, pieces};

/// What the inner service says first; it must never cross the wire in the clear.
const GREETING: &[u8] = b"inner plaintext greeting 7c1e";

/// An echo that counts what reaches it and greets on open.
struct Spy(Arc<AtomicUsize>);

impl Service for Spy {
    fn on_open(&mut self, out: &mut Outbox) -> Verdict {
        out.push_bytes(GREETING);
        Verdict::Keep
    }

    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.0.fetch_add(data.len(), Ordering::Relaxed);
        out.push_bytes(data);
        Verdict::Keep
    }
}

struct SpyFactory(Arc<AtomicUsize>);

impl ServiceFactory for SpyFactory {
    type Service = Spy;

    fn open(&self, _: &ConnInfo) -> Spy {
        Spy(Arc::clone(&self.0))
    }
}

/// The server's identity, made once (key generation is slow).
fn server_tls() -> &'static ServerTls {
    static TLS: OnceLock<ServerTls> = OnceLock::new();
    TLS.get_or_init(|| {
        let id = generate(&["localhost".into()]).expect("a self-signed certificate");
        ServerTls::from_identity(id, &ServerTlsOpts::default()).expect("a server config")
    })
}

/// The record headers of `stream` read in one piece: each record (with the first
/// handshake byte while no change_cipher_spec went by), whether a header could not
/// be TLS, how many records ended, and whether the stream ends where one does.
fn reference(stream: &[u8]) -> (Vec<Record>, bool, u64, bool) {
    let (mut records, mut done, mut at) = (Vec::new(), 0u64, 0usize);
    let mut encrypted = false;
    while at + 5 <= stream.len() {
        let h = &stream[at..at + 5];
        let len = u16::from_be_bytes([h[3], h[4]]);
        let mut rec = Record {
            content_type: h[0],
            version: u16::from_be_bytes([h[1], h[2]]),
            len,
            handshake: None,
        };
        if !(20..=24).contains(&h[0]) || h[1] != 3 || usize::from(len) > MAX_BODY {
            records.push(rec);
            return (records, true, done, false);
        }
        encrypted |= h[0] == 20;
        let body = at + 5;
        if h[0] == 22 && !encrypted && len > 0 {
            match stream.get(body) {
                Some(&t) => rec.handshake = Some(t),
                // The header alone does not name the message: not reported yet.
                None => return (records, false, done, false),
            }
        }
        records.push(rec);
        if body + usize::from(len) > stream.len() {
            return (records, false, done, false);
        }
        at = body + usize::from(len);
        done += 1;
    }
    (records, false, done, at == stream.len())
}

fn scanner_agrees(stream: &[u8], cut: &[&[u8]]) {
    let mut s = Scanner::default();
    let mut seen = Vec::new();
    for piece in cut {
        s.scan(piece, |r| seen.push(r));
    }
    let (want, broken, done, boundary) = reference(stream);
    assert_eq!(seen, want, "records found in pieces");
    assert_eq!(s.broken(), broken, "broken");
    assert_eq!(s.records, done, "records finished");
    assert_eq!(s.at_boundary(), boundary, "at a boundary");
}

/// Every byte the server sent is whole records.
fn whole_records(wire: &[u8]) {
    let (records, broken, done, boundary) = reference(wire);
    assert!(
        !broken,
        "the layer sent something that is not a record: {records:?}"
    );
    assert!(
        boundary,
        "the layer's output stops inside a record ({done} whole)"
    );
    assert!(
        !wire.windows(GREETING.len()).any(|w| w == GREETING),
        "the inner service's plaintext went out in the clear"
    );
}

fn check(data: &[u8]) {
    let mut input = Input::new(data);
    let how = input.byte();
    let ncuts = usize::from(input.byte() % 16);
    let cuts = input.bytes(ncuts);
    let stream = input.rest();
    let cut: Vec<&[u8]> = pieces(stream, cuts).collect();
    scanner_agrees(stream, &cut);

    let reached = Arc::new(AtomicUsize::new(0));
    let factory = TlsFactory::new(
        Arc::new(SpyFactory(Arc::clone(&reached))),
        server_tls().clone(),
        &Output::new(false, Verbosity::Quiet),
        None,
    );
    let delivery = |i: usize| Delivery {
        batched: how & 1 != 0 && i.is_multiple_of(2),
        flush: how & 2 != 0 || i.is_multiple_of(3),
    };
    let t = drive::run(
        &factory,
        cut.iter().enumerate().map(|(i, p)| (*p, delivery(i))),
        how & 4 != 0,
    );
    whole_records(&t.wire);
    assert_eq!(
        reached.load(Ordering::Relaxed),
        0,
        "plaintext reached the inner service without a finished handshake"
    );

    // The same bytes as a hostile server's answer to our ClientHello.
    let mut chunked = vec![how];
    chunked.extend_from_slice(stream);
    nettool::tls::session::fuzz_client(&chunked);
}

fn main() {
    afl::fuzz!(|data: &[u8]| check(data));
}

//! The layer driven through a connection core in memory, against a rustls client.

use std::fs::File;
use std::io::Write;
use std::sync::atomic::Ordering;

use super::*;
use crate::engine::conn::Flush;
use crate::engine::core::ConnCore;
use crate::engine::service::OutItem;
use crate::output::{Output, Verbosity};
use crate::proto::echo::Echo;
use crate::tls::ServerTls;
use crate::tls::session::Plain;
use crate::tls::session::tests::pair;

fn shared() -> Arc<TlsShared> {
    let (server, _) = pair();
    drop(server);
    let tls = ServerTls::new(&crate::tls::ServerTlsOpts::default(), &["localhost".into()]).unwrap();
    Arc::new(TlsShared {
        tls,
        out: Output::new(false, Verbosity::Quiet),
        hexdump: None,
        counters: TlsCounters::default(),
    })
}

fn client() -> Session {
    let c = crate::tls::config::client_config(&crate::tls::ClientTlsOpts {
        insecure: true,
        ..Default::default()
    })
    .unwrap();
    let name = c.server_name("localhost").unwrap();
    Session::client(c.config, name).unwrap()
}

/// A driver in memory: everything the core queues is "sent" to `wire`.
fn drive<S: Service>(core: &mut ConnCore<S>, wire: &mut Vec<u8>) -> Flush {
    core.flush(
        |out| {
            while let Some(item) = out.front() {
                match item {
                    OutItem::Bytes(b) => wire.extend_from_slice(b),
                    OutItem::File { .. } => panic!("TLS never hands the driver a file"),
                }
                let n = item.len();
                out.consume(n);
            }
            Ok(Flush::Done)
        },
        || {},
    )
}

/// Run a handshake between `c` and the layer in `core`.
fn handshake<S: Service>(c: &mut Session, core: &mut ConnCore<S>) {
    for _ in 0..10 {
        let hello = c.take_records();
        if !hello.is_empty() {
            core.on_data(&hello);
        }
        let mut wire = Vec::new();
        drive(core, &mut wire);
        if !wire.is_empty() {
            assert_eq!(c.feed(&wire).unwrap(), wire.len());
        }
        if !c.is_handshaking() && !c.wants_write() {
            return;
        }
    }
    panic!("no handshake");
}

fn read_all(c: &mut Session, wire: &[u8]) -> (Vec<u8>, Plain) {
    let mut got = Vec::new();
    let mut rest = wire;
    let mut end = Plain::Empty;
    loop {
        let n = c.feed(rest).unwrap();
        rest = &rest[n..];
        end = match c.read_plain(|b| got.extend_from_slice(b)) {
            Plain::Data => end,
            other => other,
        };
        if rest.is_empty() {
            // The status behind the last data (close_notify after it).
            return match c.read_plain(|b| got.extend_from_slice(b)) {
                Plain::Empty | Plain::Data => (got, end),
                other => (got, other),
            };
        }
    }
}

#[test]
fn echo_through_the_layer_then_close_notify() {
    let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(1), shared()));
    let mut c = client();
    handshake(&mut c, &mut core);
    c.write_plain(b"hello tls");
    core.on_data(&c.take_records());
    let mut wire = Vec::new();
    drive(&mut core, &mut wire);
    let (got, _) = read_all(&mut c, &wire);
    assert_eq!(got, b"hello tls");
    // Our half-close: close_notify. Echo closes; the layer answers with its own.
    c.close();
    core.on_data(&c.take_records());
    let mut wire = Vec::new();
    drive(&mut core, &mut wire);
    let (_, end) = read_all(&mut c, &wire);
    assert_eq!(end, Plain::Closed, "close_notify came back");
    assert!(core.finished().is_some());
}

/// Sends a file range and then closes (as HTTP/1.0 does).
struct FileThenClose(Arc<File>, u64);

impl Service for FileThenClose {
    fn on_data(&mut self, _: &[u8], out: &mut Outbox) -> Verdict {
        out.push_bytes(b"head:");
        out.push_file(Arc::clone(&self.0), 0, self.1);
        Verdict::Close
    }
}

#[test]
fn a_file_goes_out_in_bounded_chunks_before_the_close() {
    let size = 3 * 1024 * 1024 + 17;
    let mut f = tempfile::tempfile().unwrap();
    let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    f.write_all(&body).unwrap();
    let svc = FileThenClose(Arc::new(f), size as u64);
    let mut core = ConnCore::open(Tls::new(svc, &ConnInfo::loopback(2), shared()));
    let mut c = client();
    handshake(&mut c, &mut core);
    c.write_plain(b"GET");
    core.on_data(&c.take_records());
    // A driver whose socket takes at most 100 KiB per flush: the layer never
    // queues more than its mark plus one chunk's records.
    let mut wire = Vec::new();
    let mut peak = 0u64;
    for _ in 0..10_000 {
        if core.finished().is_some() {
            break;
        }
        core.flush(
            |out| {
                peak = peak.max(out.queued_bytes());
                let mut budget = 100 * 1024u64;
                while let Some(OutItem::Bytes(b)) = out.front() {
                    let n = (b.len() as u64).min(budget);
                    wire.extend_from_slice(&b[..n as usize]);
                    out.consume(n);
                    budget -= n;
                    if budget == 0 {
                        return Ok(Flush::WouldBlock);
                    }
                }
                Ok(Flush::Done)
            },
            || {},
        );
    }
    assert!(
        core.finished().is_some(),
        "the connection closed after the file"
    );
    assert!(peak < FILE_MARK + 2 * FILE_CHUNK as u64, "peak {peak}");
    let (got, end) = read_all(&mut c, &wire);
    assert_eq!(end, Plain::Closed);
    assert_eq!(&got[..5], b"head:");
    assert!(got[5..] == body[..], "the file arrived whole");
}

#[test]
fn garbage_fails_the_handshake_with_an_alert() {
    let sh = shared();
    let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(3), Arc::clone(&sh)));
    core.on_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut wire = Vec::new();
    drive(&mut core, &mut wire);
    assert_eq!(wire.first(), Some(&21), "an alert");
    assert!(core.finished().is_some());
    core.close();
    // A handshake record too large to be one: closed at once (rustls sends no
    // alert for it).
    let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(5), Arc::clone(&sh)));
    core.on_data(b"\x16\x03\x01\x00\x05hello-not-a-client-hello");
    drive(&mut core, &mut Vec::new());
    assert!(core.finished().is_some());
    core.close();
    assert_eq!(sh.counters.failed.load(Ordering::Relaxed), 2);
}

#[test]
fn the_handshake_has_a_deadline_and_is_counted_unfinished() {
    let sh = shared();
    let t = Tls::new(Echo, &ConnInfo::loopback(4), Arc::clone(&sh));
    let d = t.deadline().expect("a handshake deadline");
    assert!(d <= Instant::now() + sh.tls.opts.handshake_timeout);
    let mut core = ConnCore::open(t);
    core.close();
    assert_eq!(sh.counters.unfinished.load(Ordering::Relaxed), 1);
}

mod relay;

//! The layer in front of a relay: the real `proto::relay::Relay` inside, the core's
//! two outboxes driven in memory, a rustls client on the TLS side.

use std::net::SocketAddr;

use super::*;
use crate::engine::service::{OUTBOX_HIGH_WATER, ServiceFactory};
use crate::net::upstream::Endpoint;
use crate::proto::relay::{Balance, Relay, RelayFactory};

fn target() -> Endpoint {
    Endpoint::Inet(SocketAddr::from(([127, 0, 0, 1], 9)))
}

/// A TLS layer around a relay to [`target`], its upstream "connected".
fn relay(sh: Arc<TlsShared>) -> ConnCore<Tls<Relay>> {
    let f = RelayFactory {
        targets: vec![target()],
        balance: Balance::First,
        connect_timeout: None,
        out: Output::new(false, Verbosity::Quiet),
    };
    let mut core = ConnCore::open(Tls::new(
        f.open(&ConnInfo::loopback(7)),
        &ConnInfo::loopback(7),
        sh,
    ));
    let plan = core
        .take_upstream()
        .expect("the relay's upstream is delegated");
    assert_eq!(plan.targets, [target()]);
    core.upstream_connected(&target());
    core
}

/// Everything queued for one end, as bytes.
fn take_all(out: &mut Outbox, wire: &mut Vec<u8>) -> std::io::Result<Flush> {
    while let Some(OutItem::Bytes(b)) = out.front() {
        wire.extend_from_slice(b);
        let n = b.len() as u64;
        out.consume(n);
    }
    Ok(Flush::Done)
}

/// The two ends of a relayed connection as an in-memory driver sees them.
#[derive(Default)]
struct Ends {
    client: Vec<u8>,
    upstream: Vec<u8>,
    client_shut: u32,
    upstream_shut: u32,
}

impl Ends {
    fn flush<S: Service>(&mut self, core: &mut ConnCore<S>) {
        let (wire, shuts) = (&mut self.client, &mut self.client_shut);
        core.flush(|out| take_all(out, wire), || *shuts += 1);
        let (wire, shuts) = (&mut self.upstream, &mut self.upstream_shut);
        core.flush_upstream(|out| take_all(out, wire), || *shuts += 1);
    }
}

#[test]
fn plaintext_both_ways_and_the_upstream_waits_for_the_handshake() {
    let mut core = relay(shared());
    let mut c = client();
    assert!(
        !core.upstream_wants_read(),
        "nothing from the upstream can be encrypted before the handshake"
    );
    handshake(&mut c, &mut core);
    assert!(core.upstream_wants_read() && core.wants_read());
    let mut ends = Ends::default();
    c.write_plain(b"to the target");
    core.on_data(&c.take_records());
    ends.flush(&mut core);
    assert_eq!(ends.upstream, b"to the target", "decrypted on the way up");
    core.on_upstream_data(b"from the target");
    ends.flush(&mut core);
    let (got, _) = read_all(&mut c, &ends.client);
    assert_eq!(got, b"from the target", "encrypted on the way back");
    assert!(
        !ends.client.windows(6).any(|w| w == b"target"),
        "never in the clear"
    );
    assert_eq!(
        (ends.client_shut, ends.upstream_shut, core.finished()),
        (0, 0, None)
    );
}

#[test]
fn close_notify_shuts_the_upstream_and_its_fin_comes_back_as_close_notify() {
    let mut core = relay(shared());
    let mut c = client();
    handshake(&mut c, &mut core);
    let mut ends = Ends::default();
    // The client's request, then its half-close: close_notify, the socket still open.
    c.write_plain(b"request");
    c.close();
    core.on_data(&c.take_records());
    assert!(
        !core.wants_read(),
        "the client's stream ended at its close_notify"
    );
    ends.flush(&mut core);
    assert_eq!(
        (ends.upstream.as_slice(), ends.upstream_shut),
        (&b"request"[..], 1)
    );
    // The answer still comes back, then the upstream's FIN: close_notify, then ours.
    core.on_upstream_data(b"answer");
    core.on_upstream_eof();
    ends.flush(&mut core);
    let (got, end) = read_all(&mut c, &ends.client);
    assert_eq!((got.as_slice(), end), (&b"answer"[..], Plain::Closed));
    assert_eq!(ends.client_shut, 1, "our FIN after the close_notify");
    assert_eq!(core.finished(), Some(crate::engine::CloseReason::Done));
}

#[test]
fn the_upstreams_fin_first_then_the_clients_plain_fin() {
    let mut core = relay(shared());
    let mut c = client();
    handshake(&mut c, &mut core);
    let mut ends = Ends::default();
    core.on_upstream_data(b"greeting");
    core.on_upstream_eof();
    ends.flush(&mut core);
    let (got, end) = read_all(&mut c, &ends.client);
    assert_eq!(
        (got.as_slice(), end, ends.client_shut),
        (&b"greeting"[..], Plain::Closed, 1)
    );
    assert!(
        core.wants_read(),
        "the client may still send after our half-close"
    );
    c.write_plain(b"late words");
    core.on_data(&c.take_records());
    // A FIN without close_notify (socat's shut-down) ends the client's stream too.
    core.on_eof();
    ends.flush(&mut core);
    assert_eq!(
        (ends.upstream.as_slice(), ends.upstream_shut),
        (&b"late words"[..], 1)
    );
    assert_eq!(core.finished(), Some(crate::engine::CloseReason::Done));
}

#[test]
fn a_failed_handshake_ends_both_and_relays_nothing() {
    let sh = shared();
    let mut core = relay(Arc::clone(&sh));
    let mut ends = Ends::default();
    core.on_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ends.flush(&mut core);
    assert_eq!(ends.client.first(), Some(&21), "an alert to the client");
    assert!(ends.upstream.is_empty() && core.finished().is_some());
    core.close();
    // A FIN in the middle of the handshake: closed, counted unfinished.
    let mut core = relay(Arc::clone(&sh));
    let mut c = client();
    core.on_data(&c.take_records());
    core.on_eof();
    ends.flush(&mut core);
    assert!(core.finished().is_some() && ends.upstream_shut == 0);
    core.close();
    assert_eq!(sh.counters.failed.load(Ordering::Relaxed), 1);
    assert_eq!(sh.counters.unfinished.load(Ordering::Relaxed), 1);
}

#[test]
fn a_slow_side_stops_reading_the_other() {
    let mut core = relay(shared());
    let mut c = client();
    handshake(&mut c, &mut core);
    // The upstream takes nothing: the client is read up to the mark, then not.
    let chunk = vec![0x42u8; 16 * 1024];
    let mut fed = 0u64;
    while core.wants_read() && fed < 4 * OUTBOX_HIGH_WATER {
        c.write_plain(&chunk);
        core.on_data(&c.take_records());
        fed += chunk.len() as u64;
    }
    assert!(!core.wants_read(), "still reading after {fed} bytes");
    assert!(fed < OUTBOX_HIGH_WATER + 2 * chunk.len() as u64, "{fed}");
    // The client takes nothing: the upstream is read up to the mark, then not.
    let mut fed = 0u64;
    while core.upstream_wants_read() && fed < 4 * OUTBOX_HIGH_WATER {
        core.on_upstream_data(&chunk);
        fed += chunk.len() as u64;
    }
    assert!(
        !core.upstream_wants_read(),
        "still reading after {fed} bytes"
    );
    assert!(fed < OUTBOX_HIGH_WATER + 2 * chunk.len() as u64, "{fed}");
    // Draining one side opens the other again.
    let mut ends = Ends::default();
    ends.flush(&mut core);
    assert!(core.wants_read() && core.upstream_wants_read());
}

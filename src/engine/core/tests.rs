//! The connection core's rules, driven by hand with in-memory sends.

use super::*;
use crate::net::upstream::Endpoint;
use crate::proto::echo::Echo;

/// A driver's `send` that takes everything.
fn all(sent: &mut Vec<u8>) -> impl FnMut(&mut Outbox) -> io::Result<Flush> + '_ {
    move |out: &mut Outbox| {
        while let Some(crate::engine::service::OutItem::Bytes(b)) = out.front() {
            sent.extend_from_slice(b);
            let n = b.len() as u64;
            out.consume(n);
        }
        Ok(Flush::Done)
    }
}

#[test]
fn verdicts_combine_one_way() {
    use Verdict::*;
    assert_eq!(combine(Keep, HalfClose), HalfClose);
    assert_eq!(combine(HalfClose, Keep), HalfClose);
    assert_eq!(combine(HalfClose, Close), Close);
    assert_eq!(combine(Close, Keep), Close);
    assert_eq!(combine(Keep, Keep), Keep);
}

#[test]
fn echo_then_eof_closes_after_the_flush() {
    let mut c = ConnCore::open(Echo);
    c.on_data(b"hi");
    assert!(c.wants_write());
    let mut sent = Vec::new();
    assert_eq!(
        c.flush(all(&mut sent), || panic!("no half-close")),
        Flush::Done
    );
    assert_eq!(sent, b"hi");
    assert!(c.wants_read() && c.finished().is_none());
    c.on_eof();
    assert!(!c.wants_read());
    c.flush(all(&mut sent), || panic!("no half-close"));
    assert_eq!(c.finished(), Some(CloseReason::Done));
}

#[test]
fn a_blocked_send_keeps_the_verdict_for_later() {
    let mut c = ConnCore::open(Echo);
    c.on_data(b"x");
    c.on_eof();
    assert_eq!(c.flush(|_| Ok(Flush::WouldBlock), || {}), Flush::WouldBlock);
    assert_eq!(c.finished(), None, "not closed before the outbox is sent");
    assert!(c.wants_write());
    let mut sent = Vec::new();
    c.flush(all(&mut sent), || {});
    assert_eq!(c.finished(), Some(CloseReason::Done));
}

#[test]
fn send_errors_are_classified() {
    let mut c = ConnCore::open(Echo);
    c.on_data(b"x");
    c.flush(|_| Err(io::ErrorKind::BrokenPipe.into()), || {});
    assert_eq!(c.finished(), Some(CloseReason::Reset));
    assert_eq!(
        classify(&io::ErrorKind::WouldBlock.into()),
        CloseReason::IdleTimeout
    );
    assert_eq!(
        classify(&io::ErrorKind::PermissionDenied.into()),
        CloseReason::Error
    );
}

/// Greets, half-closes after the greeting, keeps reading until the peer's FIN
/// (and stays half-closed then: the default `on_eof` would say Close).
struct Greeter {
    flushed: u32,
}

impl Service for Greeter {
    fn on_open(&mut self, out: &mut Outbox) -> Verdict {
        out.push_bytes(b"hello\n");
        Verdict::Keep
    }
    fn on_data(&mut self, _: &[u8], _: &mut Outbox) -> Verdict {
        Verdict::Keep
    }
    fn on_eof(&mut self, _: &mut Outbox) -> Verdict {
        Verdict::HalfClose
    }
    fn on_flushed(&mut self, out: &mut Outbox) -> Verdict {
        self.flushed += 1;
        if self.flushed == 1 {
            out.push_bytes(b"more\n");
            Verdict::Keep
        } else {
            Verdict::HalfClose
        }
    }
}

#[test]
fn on_flushed_queues_more_then_half_closes_once() {
    let mut c = ConnCore::open(Greeter { flushed: 0 });
    let mut sent = Vec::new();
    let mut shuts = 0;
    c.flush(all(&mut sent), || shuts += 1);
    assert_eq!(sent, b"hello\nmore\n");
    assert_eq!(shuts, 1);
    assert!(c.wants_read(), "a half-close still reads");
    // Data after the half-close keeps it a half-close…
    c.on_data(b"ignored");
    c.flush(all(&mut sent), || shuts += 1);
    assert_eq!((shuts, c.finished()), (1, None));
    // …and the peer's FIN ends it as "peer closed" (our FIN is already out).
    c.on_eof();
    c.flush(all(&mut sent), || shuts += 1);
    assert_eq!((shuts, c.finished()), (1, Some(CloseReason::PeerClosed)));
    assert_eq!(c.close(), CloseReason::PeerClosed);
}

#[test]
fn a_read_error_a_layer_calls_the_end_still_flushes() {
    /// Echo that takes EIO for the peer's end (as kernel TLS reports close_notify).
    struct EioIsEof;
    impl Service for EioIsEof {
        fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
            out.push_bytes(data);
            Verdict::Keep
        }
        fn read_error_is_eof(&self, e: &io::Error) -> bool {
            e.raw_os_error() == Some(libc::EIO)
        }
    }
    let mut c = ConnCore::open(EioIsEof);
    c.on_data(b"answer");
    c.on_read_error(&io::Error::from_raw_os_error(libc::EIO));
    assert_eq!(c.finished(), None, "not ended before the answer is out");
    assert!(!c.wants_read());
    let mut sent = Vec::new();
    c.flush(all(&mut sent), || {});
    assert_eq!(
        (sent.as_slice(), c.finished()),
        (&b"answer"[..], Some(CloseReason::Done))
    );
    // Any other error still ends the connection at once.
    let mut c = ConnCore::open(EioIsEof);
    c.on_data(b"lost");
    c.on_read_error(&io::ErrorKind::ConnectionReset.into());
    assert_eq!(c.finished(), Some(CloseReason::Reset));
}

#[test]
fn keep_at_eof_is_a_close() {
    struct KeepAtEof;
    impl Service for KeepAtEof {
        fn on_data(&mut self, _: &[u8], _: &mut Outbox) -> Verdict {
            Verdict::Keep
        }
        fn on_eof(&mut self, _: &mut Outbox) -> Verdict {
            Verdict::Keep
        }
    }
    let mut sent = Vec::new();
    let mut k = ConnCore::open(KeepAtEof);
    k.on_eof();
    assert!(!k.wants_read());
    k.flush(all(&mut sent), || {
        panic!("Keep at EOF is a close, not a half-close")
    });
    assert_eq!(k.finished(), Some(CloseReason::Done));
}

#[test]
fn reading_pauses_above_the_high_water_mark() {
    let mut c = ConnCore::open(Echo);
    c.on_data(&vec![0u8; OUTBOX_HIGH_WATER as usize]);
    assert!(!c.wants_read() && c.wants_write());
    let mut sent = Vec::new();
    c.flush(all(&mut sent), || {});
    assert!(c.wants_read());
}

/// A relay that answers the client in its own outbox, keeps the upstream paused
/// until the client has spoken, ends the client's stream at a `.` and counts the
/// ends of stream it hears.
#[derive(Default)]
struct Gate {
    spoke: bool,
    ended: bool,
    eofs: Vec<End>,
}

impl Service for Gate {
    fn upstream(&mut self) -> Option<Upstream> {
        Some(Upstream {
            targets: Vec::new(),
            connect_timeout: None,
        })
    }
    fn on_data(&mut self, _: &[u8], _: &mut Outbox) -> Verdict {
        unreachable!("with an upstream, bytes are forwarded")
    }
    fn forward(&mut self, from: End, data: &[u8], to: &mut Outbox, back: &mut Outbox) -> Verdict {
        if from == End::Client {
            self.spoke = true;
            self.ended |= data.ends_with(b".");
            back.push_bytes(b"ack;");
        }
        to.push_bytes(data);
        Verdict::Keep
    }
    fn forward_eof(&mut self, from: End, to: &mut Outbox, _: &mut Outbox) -> Verdict {
        self.eofs.push(from);
        to.push_bytes(b"bye");
        Verdict::Keep
    }
    fn intake(&self, from: End) -> Intake {
        match from {
            End::Client if self.ended => Intake::Ended,
            End::Upstream if !self.spoke => Intake::Paused,
            _ => Intake::Open,
        }
    }
}

#[test]
fn a_relay_answers_back_pauses_and_ends_an_intake() {
    let ep = Endpoint::Inet(std::net::SocketAddr::from(([127, 0, 0, 1], 9)));
    let mut c = ConnCore::open(Gate::default());
    assert!(c.take_upstream().is_some());
    c.upstream_connected(&ep);
    assert!(!c.upstream_wants_read(), "paused by the service");
    c.on_data(b"hi");
    assert!(c.upstream_wants_read() && c.wants_read());
    let (mut client, mut up, mut shuts) = (Vec::new(), Vec::new(), (0, 0));
    c.flush(all(&mut client), || shuts.0 += 1);
    c.flush_upstream(all(&mut up), || shuts.1 += 1);
    assert_eq!(
        (client.as_slice(), up.as_slice()),
        (&b"ack;"[..], &b"hi"[..])
    );
    // The stream ends inside the bytes: no more reads, the upstream's FIN after them.
    c.on_data(b"then.");
    assert!(!c.wants_read());
    c.flush_upstream(all(&mut up), || shuts.1 += 1);
    assert_eq!((up.as_slice(), shuts.1), (&b"hithen."[..], 1));
    // The upstream's FIN: the service's last words, then ours; then both are done.
    c.on_upstream_data(b"answer;");
    c.on_upstream_eof();
    c.flush(all(&mut client), || shuts.0 += 1);
    assert_eq!(client, b"ack;ack;answer;bye");
    assert_eq!(shuts, (1, 1));
    assert_eq!(c.finished(), Some(CloseReason::Done));
    // The client's end was the service's own, not heard again as a FIN.
    assert_eq!(c.svc.eofs, [End::Upstream]);
}

//! Driving a connection [`Service`] the way an engine does, without a socket: bytes
//! arrive in pieces, each either answered at once (`on_data`) or in a batching turn
//! (`on_data_batched`, the factory's `before_answers`, `on_turn_end`); the outbox is
//! sent — read out, file ranges included — and `on_flushed` called whenever it
//! empties; end of input is `on_eof`. A `Close` or `HalfClose` verdict stops the
//! reading, as the engines do.

use std::os::unix::fs::FileExt;

use nettool::engine::service::{ConnInfo, OutItem, Outbox, Service, ServiceFactory, Verdict};

/// The one place the targets make a [`ConnInfo`] (its fields are the engine's to change).
pub fn conn_info() -> ConnInfo {
    ConnInfo {
        id: 1,
        peer: std::net::SocketAddr::from(([127, 0, 0, 1], 40000)).into(),
        local: "127.0.0.1:8080".into(),
        fd: None,
    }
}

/// Append everything queued in `out` to `wire` (file ranges read from their files) and
/// leave the outbox empty.
pub fn send(out: &mut Outbox, wire: &mut Vec<u8>) {
    while let Some(item) = out.front() {
        let n = item.len();
        match item {
            OutItem::Bytes(b) => wire.extend_from_slice(b),
            OutItem::File { file, offset, len } => {
                let start = wire.len();
                wire.resize(start + *len as usize, 0);
                file.read_exact_at(&mut wire[start..], *offset)
                    .unwrap_or_else(|e| panic!("queued file range {offset}+{len} unreadable: {e}"));
            }
        }
        out.consume(n);
    }
    assert_eq!(out.queued_bytes(), 0, "an empty outbox counts queued bytes");
}

/// How one piece of input is delivered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivery {
    /// In a batching turn (`on_data_batched` … `on_turn_end`).
    pub batched: bool,
    /// Send the outbox (and call `on_flushed` until it stays empty) afterwards.
    pub flush: bool,
}

/// What the peer saw.
#[derive(Debug, Default)]
pub struct Transcript {
    pub wire: Vec<u8>,
    /// The service ended the connection before the input did.
    pub closed_early: bool,
}

/// At most this many `on_flushed` rounds in a row: a service that keeps queuing
/// without new input is looping.
const MAX_FLUSH_ROUNDS: usize = 100_000;

/// Send and call `on_flushed` until the outbox stays empty; `false` if the service
/// said to close.
fn flush<S: Service>(svc: &mut S, out: &mut Outbox, wire: &mut Vec<u8>) -> bool {
    for _ in 0..MAX_FLUSH_ROUNDS {
        if out.is_empty() {
            return true;
        }
        send(out, wire);
        if svc.on_flushed(out) != Verdict::Keep {
            send(out, wire);
            return false;
        }
    }
    panic!("the service queued output {MAX_FLUSH_ROUNDS} times without new input");
}

/// Run one connection of `factory` over `pieces` (each with its delivery); at the end
/// the outbox is flushed when `drain_before_eof`, then the peer half-closes.
pub fn run<'a, F: ServiceFactory>(
    factory: &F,
    pieces: impl IntoIterator<Item = (&'a [u8], Delivery)>,
    drain_before_eof: bool,
) -> Transcript {
    let mut svc = factory.open(&conn_info());
    let mut out = Outbox::default();
    let mut t = Transcript::default();
    let finish = |svc: &mut F::Service, out: &mut Outbox, mut t: Transcript| {
        send(out, &mut t.wire);
        svc.on_close(out);
        t
    };
    if svc.on_open(&mut out) != Verdict::Keep {
        t.closed_early = true;
        return finish(&mut svc, &mut out, t);
    }
    for (piece, how) in pieces {
        if piece.is_empty() {
            continue;
        }
        let mut v = if how.batched {
            svc.on_data_batched(piece, &mut out)
        } else {
            svc.on_data(piece, &mut out)
        };
        if how.batched && v == Verdict::Keep {
            factory.before_answers();
            v = svc.on_turn_end(&mut out);
        }
        if v != Verdict::Keep {
            t.closed_early = true;
            return finish(&mut svc, &mut out, t);
        }
        // An engine stops reading above the high-water mark until the peer catches up.
        if (how.flush || out.queued_bytes() > nettool::engine::service::OUTBOX_HIGH_WATER)
            && !flush(&mut svc, &mut out, &mut t.wire)
        {
            t.closed_early = true;
            return finish(&mut svc, &mut out, t);
        }
    }
    if drain_before_eof && !flush(&mut svc, &mut out, &mut t.wire) {
        t.closed_early = true;
        return finish(&mut svc, &mut out, t);
    }
    if svc.on_eof(&mut out) == Verdict::Keep {
        flush(&mut svc, &mut out, &mut t.wire);
    }
    finish(&mut svc, &mut out, t)
}

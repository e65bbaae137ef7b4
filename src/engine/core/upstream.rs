//! The upstream half of the connection core (a service that owns an upstream: a
//! relay): its outbox and end of stream, what the driver reports of the upstream
//! socket, and when reading or sending it makes sense. The rules are the module's
//! (see [`super`]); the socket itself is [`crate::engine::upstream`]'s.

use std::io;

use super::{ConnCore, classify, combine};
use crate::engine::CloseReason;
use crate::engine::conn::Flush;
use crate::engine::service::{
    End, Intake, OUTBOX_HIGH_WATER, Outbox, Service, Upstream, UpstreamEvent, Verdict,
};
use crate::net::upstream::Endpoint;

/// The upstream end of a connection: what waits to be sent to it and how far its
/// stream has got.
#[derive(Debug, Default)]
pub(super) struct UpHalf {
    pub(super) out: Outbox,
    pub(super) connected: bool,
    /// The upstream's end of stream was read.
    pub(super) eof: bool,
    /// Our `shutdown(SHUT_WR)` on the upstream was done.
    pub(super) write_shut: bool,
}

impl<S: Service> ConnCore<S> {
    /// The upstream the service asked for, taken once by the driver to connect it.
    pub fn take_upstream(&mut self) -> Option<Upstream> {
        self.plan.take()
    }

    /// Whether the service owns an upstream connection.
    pub fn has_upstream(&self) -> bool {
        self.up.is_some()
    }

    /// The driver connected the upstream to `to`.
    pub fn upstream_connected(&mut self, to: &Endpoint) {
        if let Some(up) = &mut self.up {
            up.connected = true;
            self.svc.on_upstream(UpstreamEvent::Connected(to));
        }
    }

    /// Connecting to `to` failed; with no `next` endpoint to try the connection ends
    /// at once (the client is not kept waiting for an upstream that will not come).
    pub fn upstream_failed(&mut self, to: &Endpoint, err: &io::Error, next: bool) {
        self.svc
            .on_upstream(UpstreamEvent::Failed { to, err, next });
        if !next {
            self.end(CloseReason::Upstream);
        }
    }

    /// Bytes arrived from the upstream (at least one).
    pub fn on_upstream_data(&mut self, data: &[u8]) {
        let Some(up) = &mut self.up else {
            return;
        };
        let v = self
            .svc
            .forward(End::Upstream, data, &mut self.out, &mut up.out);
        if self.svc.intake(End::Upstream) == Intake::Ended {
            up.eof = true;
        }
        self.verdict = combine(self.verdict, v);
    }

    /// The upstream half-closed: passed on to the client once its outbox is sent
    /// (behind what the service queues for it now).
    pub fn on_upstream_eof(&mut self) {
        if let Some(up) = self.up.as_mut().filter(|up| !up.eof) {
            up.eof = true;
            let v = self
                .svc
                .forward_eof(End::Upstream, &mut self.out, &mut up.out);
            self.verdict = combine(self.verdict, v);
        }
    }

    /// Whether reading the upstream makes sense now: connected, not at its end of
    /// stream, not closing, the client's outbox below the high-water mark, the
    /// service taking its bytes.
    pub fn upstream_wants_read(&self) -> bool {
        self.up.as_ref().is_some_and(|up| up.connected && !up.eof)
            && self.done.is_none()
            && self.verdict != Verdict::Close
            && self.out.queued_bytes() < OUTBOX_HIGH_WATER
            && self.svc.intake(End::Upstream) == Intake::Open
    }

    /// Whether output is waiting to be sent to the connected upstream.
    pub fn upstream_wants_write(&self) -> bool {
        self.done.is_none()
            && self
                .up
                .as_ref()
                .is_some_and(|up| up.connected && !up.out.is_empty())
    }

    /// Send the upstream's outbox with `send`, as [`flush`](Self::flush) does the
    /// client's; once it is empty after the client's end of stream, `shut_write` (the
    /// upstream's `shutdown(SHUT_WR)`) is called, once.
    pub fn flush_upstream(
        &mut self,
        send: impl FnOnce(&mut Outbox) -> io::Result<Flush>,
        shut_write: impl FnOnce(),
    ) -> Flush {
        let Some(up) = self.up.as_mut().filter(|up| up.connected) else {
            return Flush::Done;
        };
        if self.done.is_some() {
            return Flush::Done;
        }
        match send(&mut up.out) {
            Ok(Flush::Done) => {}
            Ok(Flush::WouldBlock) => return Flush::WouldBlock,
            Err(e) => {
                self.end(classify(&e));
                return Flush::Done;
            }
        }
        if self.peer_eof && !up.write_shut {
            up.write_shut = true;
            shut_write();
        }
        self.end_if_both_done();
        Flush::Done
    }

    /// With an upstream: both directions have ended (each end's FIN read and passed on).
    pub(super) fn end_if_both_done(&mut self) {
        if let Some(up) = &self.up {
            if self.peer_eof && up.eof && self.write_shut && up.write_shut {
                self.end(CloseReason::Done);
            }
        }
    }
}

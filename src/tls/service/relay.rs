//! The layer in front of a relay (`tcp-echo relay --tls`, socat's
//! `OPENSSL-LISTEN:…,fork TCP:…`): the client speaks TLS, the upstream plain bytes.
//! The inner service's upstream half is delegated, with the records kept on the
//! client's side:
//!
//! * **Client → upstream.** Records are fed to the session; the handshake's answers
//!   and alerts go back into the client's outbox, the plaintext through the inner
//!   service's `forward(End::Client, …)` into the upstream's. rustls's plaintext is
//!   drained after every record fed, so nothing decrypted waits inside it: the
//!   core's back-pressure on the upstream's outbox bounds that direction.
//! * **Upstream → client.** Plaintext goes through the inner `forward(End::Upstream,
//!   …)` and is encrypted into the client's outbox at once. Until the handshake is
//!   done nothing can be encrypted, so the upstream is not read before then
//!   ([`Intake::Paused`]) instead of its bytes piling up here.
//! * **Half-close.** The client's `close_notify` ends its stream inside the bytes
//!   forwarded ([`Intake::Ended`]), its FIN without one likewise (a truncation,
//!   logged with `-vv`); either becomes the upstream's `shutdown(SHUT_WR)`. The
//!   upstream's FIN becomes our `close_notify` behind the last record, then the
//!   core's FIN to the client.
//! * **Failures.** A failed handshake ends the connection after rustls's alert,
//!   and the upstream with it; so does a FIN before the handshake is done. An
//!   upstream that cannot be reached ends the connection at once (the core's rule):
//!   rustls offers no alert for it other than `close_notify`, which would read as
//!   a clean, empty answer.

use super::{Sink, Tls};
use crate::engine::core::combine;
use crate::engine::service::{End, Intake, Outbox, Service, Upstream, Verdict};

impl<S: Service> Tls<S> {
    /// The inner service's upstream, if it asks for one: then this layer relays.
    pub(super) fn take_upstream(&mut self) -> Option<Upstream> {
        let plan = self.inner.upstream();
        self.relay = plan.is_some();
        plan
    }

    /// Records from the client; `upstream`, `client`: the two outboxes.
    pub(super) fn client_records(
        &mut self,
        data: &[u8],
        upstream: &mut Outbox,
        client: &mut Outbox,
    ) -> Verdict {
        self.receive(data, client, &mut Sink::Forward(upstream));
        self.finish(client)
    }

    /// Plaintext from the upstream, encrypted for the client.
    pub(super) fn upstream_bytes(
        &mut self,
        data: &[u8],
        client: &mut Outbox,
        upstream: &mut Outbox,
    ) -> Verdict {
        if self.failed {
            return Verdict::Close;
        }
        let v = self
            .inner
            .forward(End::Upstream, data, &mut self.plain, upstream);
        self.verdict = combine(self.verdict, v);
        self.finish(client)
    }

    /// The client's FIN (its `close_notify` may or may not have come first).
    pub(super) fn client_eof(&mut self, upstream: &mut Outbox, client: &mut Outbox) -> Verdict {
        if !self.socket_eof(&mut Sink::Forward(upstream)) {
            // A FIN before the handshake is done: nothing was relayed.
            return Verdict::Close;
        }
        self.finish(client)
    }

    /// The upstream's FIN: `close_notify` once what it sent is encrypted.
    pub(super) fn upstream_eof(&mut self, client: &mut Outbox, upstream: &mut Outbox) -> Verdict {
        if self.failed {
            return Verdict::Close;
        }
        let v = self
            .inner
            .forward_eof(End::Upstream, &mut self.plain, upstream);
        self.verdict = combine(self.verdict, v);
        self.upstream_ended = true;
        self.finish(client)
    }

    /// The client's stream ends at its `close_notify`; the upstream waits for the
    /// handshake. Otherwise the inner service decides.
    pub(super) fn relay_intake(&self, from: End) -> Intake {
        let handshaken = self.kernel || self.session.as_ref().is_some_and(|s| !s.is_handshaking());
        match from {
            End::Client if self.inner_eof => Intake::Ended,
            End::Upstream if !handshaken => Intake::Paused,
            _ => self.inner.intake(from),
        }
    }
}

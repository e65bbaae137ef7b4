//! [`Tls`] as a [`Service`]: what each driver call becomes in the layer (the upstream
//! half, for a relay behind it, is [`super::relay`]'s).

use std::time::Instant;

use super::counters::TlsCounters;
use super::{Sink, Tls};
use crate::engine::core::combine;
use crate::engine::service::{End, Intake, Outbox, Service, Upstream, UpstreamEvent, Verdict};
use crate::tls::session::Session;

impl<S: Service> Service for Tls<S> {
    fn upstream(&mut self) -> Option<Upstream> {
        self.take_upstream()
    }

    fn forward(&mut self, from: End, data: &[u8], to: &mut Outbox, back: &mut Outbox) -> Verdict {
        match from {
            End::Client => self.client_records(data, to, back),
            End::Upstream => self.upstream_bytes(data, to, back),
        }
    }

    fn forward_eof(&mut self, from: End, to: &mut Outbox, back: &mut Outbox) -> Verdict {
        match from {
            End::Client => self.client_eof(to, back),
            End::Upstream => self.upstream_eof(to, back),
        }
    }

    fn intake(&self, from: End) -> Intake {
        if self.relay {
            self.relay_intake(from)
        } else {
            // The client's close_notify is the inner service's end of stream here,
            // not a FIN to pass on: the socket is still read to its own.
            self.inner.intake(from)
        }
    }

    fn on_upstream(&mut self, event: UpstreamEvent<'_>) {
        self.inner.on_upstream(event)
    }

    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.receive(data, out, &mut Sink::Data { batched: false });
        self.finish(out)
    }

    fn on_data_batched(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.receive(data, out, &mut Sink::Data { batched: true });
        // The handshake's own records may go at once; the answer waits for the turn.
        if let Some(s) = self.session.as_mut() {
            out.push_vec(s.take_records());
        }
        if self.failed {
            Verdict::Close
        } else {
            Verdict::Keep
        }
    }

    fn on_turn_end(&mut self, out: &mut Outbox) -> Verdict {
        if !self.failed
            && (self.kernel || self.session.as_ref().is_some_and(|s| !s.is_handshaking()))
        {
            let v = self.inner.on_turn_end(&mut self.plain);
            self.verdict = combine(self.verdict, v);
        }
        self.finish(out)
    }

    /// Hub messages are plaintext for the inner service; what it queues is encrypted
    /// like its answers (held back until the handshake is done).
    fn on_message(&mut self, msg: crate::engine::hub::HubMsg<'_>, out: &mut Outbox) -> Verdict {
        if self.failed {
            return Verdict::Close;
        }
        let v = self.inner.on_message(msg, &mut self.plain);
        self.verdict = combine(self.verdict, v);
        self.finish(out)
    }

    fn on_eof(&mut self, out: &mut Outbox) -> Verdict {
        if !self.socket_eof(&mut Sink::Data { batched: false }) {
            return Verdict::Close;
        }
        match self.finish(out) {
            Verdict::HalfClose => Verdict::HalfClose,
            _ => Verdict::Close,
        }
    }

    fn on_flushed(&mut self, out: &mut Outbox) -> Verdict {
        if self.want_kernel {
            self.go_kernel();
        }
        if self.inner_wrote
            && self.plain.is_empty()
            && self.verdict == Verdict::Keep
            && !self.failed
        {
            self.inner_wrote = false;
            self.verdict = self.inner.on_flushed(&mut self.plain);
        }
        self.finish(out)
    }

    /// With the kernel holding the keys, a record it does not decrypt for us (the
    /// peer's `close_notify`; also a TLS 1.3 KeyUpdate, which then ends the
    /// connection's input too) makes `read(2)` fail with `EIO`.
    fn read_error_is_eof(&self, err: &std::io::Error) -> bool {
        self.kernel && err.raw_os_error() == Some(libc::EIO)
    }

    fn holds_output(&self) -> bool {
        !self.failed
            && !self.kernel
            && !self.plain.is_empty()
            && self
                .session
                .as_ref()
                .is_some_and(|s| !s.is_handshaking() && !s.close_sent())
    }

    fn deadline(&self) -> Option<Instant> {
        match (self.deadline, self.inner.deadline()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The inner service learns what it handed over: the plaintext taken from its
    /// outbox into records (what reached the peer of those is the kernel's to know).
    fn on_close(&mut self, _out: &Outbox) {
        let unfinished = !self.failed
            && !self.kernel
            && self.session.as_ref().is_some_and(Session::is_handshaking);
        if unfinished {
            TlsCounters::bump(&self.shared.counters.unfinished);
            let timeout = self.shared.tls.opts.handshake_timeout;
            let why = if self.deadline.is_some_and(|d| d <= Instant::now()) {
                format!(
                    "TLS handshake not done within {} (handshake timeout)",
                    humantime::format_duration(timeout)
                )
            } else {
                "closed before the TLS handshake was done".to_string()
            };
            self.log("tls_error", "error", why);
        }
        self.inner.on_close(&self.plain);
    }
}

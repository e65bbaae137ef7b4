//! [`Tls`] as a [`Service`]: what each driver call becomes in the layer.

use std::time::Instant;

use super::Tls;
use super::counters::TlsCounters;
use crate::engine::core::combine;
use crate::engine::service::{Outbox, Service, Verdict};
use crate::tls::session::Session;

impl<S: Service> Service for Tls<S> {
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.receive(data, out, false);
        self.finish(out)
    }

    fn on_data_batched(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.receive(data, out, true);
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

    fn on_eof(&mut self, out: &mut Outbox) -> Verdict {
        if self.failed {
            return Verdict::Close;
        }
        if let Some(s) = self.session.as_mut() {
            s.feed_eof();
            if s.is_handshaking() {
                return Verdict::Close;
            }
            if !s.close_seen() {
                log::debug!(
                    "tls: connection {} ended without close_notify (a truncation could go unnoticed)",
                    self.id
                );
            }
            self.deliver(false);
        }
        self.inner_end();
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

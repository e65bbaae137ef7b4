//! Handing the record layer to the kernel (`--ktls`) once the handshake is done, the
//! driver's outbox has drained and the input ends at a record boundary — or saying
//! why it stays in user space.

use serde_json::json;

use super::Tls;
use super::counters::TlsCounters;
use crate::engine::service::Service;
use crate::net::trace;
use crate::output::Level;

impl<S: Service> Tls<S> {
    /// Kernel TLS, if it can take over now (the driver's outbox has just drained).
    pub(super) fn go_kernel(&mut self) {
        self.want_kernel = false;
        let c = &self.shared.counters;
        let tls13 = self
            .session
            .as_ref()
            .is_some_and(|s| s.conn().protocol_version() == Some(rustls::ProtocolVersion::TLSv1_3));
        let ready = self
            .session
            .as_mut()
            .map(|s| s.fed_to_boundary() && !s.wants_write() && !s.close_sent() && !s.has_plain());
        let why_not = match (self.fd, ready) {
            (None, _) => Some("the engine offers no socket descriptor".to_string()),
            // TLS 1.2's AES-GCM nonces: rustls XORs the sequence number into them, the
            // kernel counts them up from the extracted IV; mixing the two could repeat
            // one. TLS 1.3 derives them the same way on both sides.
            _ if !tls13 => Some("kernel TLS is used for TLS 1.3 only".into()),
            (_, Some(false)) => Some("records were in flight when the handshake ended".into()),
            (_, None) => Some("no session".into()),
            // The peer may have closed already: then nothing is lost by staying here.
            (Some(fd), Some(true)) => crate::tls::ktls::attach_ulp(fd).err(),
        };
        if let Some(why) = why_not {
            TlsCounters::bump(&c.kernel_declined);
            let who = self.who();
            self.shared.out.event(
                Level::Detail,
                "ktls",
                json!({"id": self.id, "ktls": false, "reason": why}),
                || format!("{who}: kernel TLS declined ({why}); staying in user space"),
            );
            return;
        }
        let (Some(fd), Some(s)) = (self.fd, self.session.take()) else {
            return;
        };
        match crate::tls::ktls::install(fd, s.into_conn()) {
            Ok(()) => {
                self.kernel = true;
                TlsCounters::bump(&c.kernel);
                trace::step("tls", || {
                    "records now encrypted by the kernel (kTLS)".into()
                });
            }
            Err(why) => {
                self.failed = true;
                self.log("tls_error", "error", format!("kernel TLS: {why}"));
            }
        }
    }
}

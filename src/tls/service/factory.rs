//! The factory side of the TLS layer: what every connection's layer shares (the
//! server's config, the log, `-x`, the counters) and [`TlsFactory`], which wraps a
//! service factory so that each connection it opens is a [`Tls`] around its service.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::Tls;
use super::counters::TlsCounters;
use crate::engine::service::{ConnInfo, ServiceFactory};
use crate::net::hexdump::Hexdump;
use crate::output::Output;
use crate::tls::config::ServerTls;

/// What every connection's layer shares.
pub struct TlsShared {
    pub tls: ServerTls,
    pub(super) out: Output,
    pub(super) hexdump: Option<Arc<Hexdump>>,
    pub counters: TlsCounters,
}

/// Wraps a service factory: every connection it opens speaks TLS.
pub struct TlsFactory<F> {
    inner: Arc<F>,
    shared: Arc<TlsShared>,
}

impl<F: ServiceFactory> TlsFactory<F> {
    /// `hexdump` is `-x`: the layer dumps plaintext (take it from the engine's config
    /// so the driver does not dump the records as well).
    pub fn new(
        inner: Arc<F>,
        tls: ServerTls,
        out: &Output,
        hexdump: Option<Arc<Hexdump>>,
    ) -> TlsFactory<F> {
        TlsFactory {
            inner,
            shared: Arc::new(TlsShared {
                tls,
                out: out.clone(),
                hexdump,
                counters: TlsCounters::default(),
            }),
        }
    }

    /// The shared state, for the counters once the server stopped.
    pub fn shared(&self) -> Arc<TlsShared> {
        Arc::clone(&self.shared)
    }
}

impl<F: ServiceFactory> ServiceFactory for TlsFactory<F> {
    type Service = Tls<F::Service>;

    fn open(&self, info: &ConnInfo) -> Tls<F::Service> {
        Tls::new(self.inner.open(info), info, Arc::clone(&self.shared))
    }

    /// A refusal is plaintext (HTTP's 503); before a handshake nothing can be said,
    /// so a refused TLS connection is just closed.
    fn refusal(&self) -> Option<&[u8]> {
        None
    }

    fn owns_upstream(&self) -> bool {
        self.inner.owns_upstream()
    }

    fn batches(&self) -> bool {
        self.inner.batches()
    }

    fn before_answers(&self) {
        self.inner.before_answers()
    }

    fn hub(&self) -> Option<&Arc<crate::engine::hub::Hub>> {
        self.inner.hub()
    }

    fn adapt(&self, caps: &crate::engine::Capabilities) {
        self.shared
            .counters
            .shared_memory
            .store(caps.shared_memory, Ordering::Relaxed);
        self.inner.adapt(caps)
    }
}

//! What the TLS layer of a server counts (handshakes, resumptions, failures, kernel
//! TLS), shared by every connection, and the `tls_summary` it reports at shutdown.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde_json::json;

use crate::output::{Level, Output};

/// What the TLS layer of a server counted.
#[derive(Debug)]
pub struct TlsCounters {
    /// The engine's connections live in this process (not so under fork).
    pub(super) shared_memory: AtomicBool,
    pub handshakes: AtomicU64,
    pub resumed: AtomicU64,
    pub failed: AtomicU64,
    pub unfinished: AtomicU64,
    pub kernel: AtomicU64,
    pub kernel_declined: AtomicU64,
}

impl Default for TlsCounters {
    fn default() -> Self {
        TlsCounters {
            shared_memory: true.into(),
            handshakes: AtomicU64::default(),
            resumed: AtomicU64::default(),
            failed: AtomicU64::default(),
            unfinished: AtomicU64::default(),
            kernel: AtomicU64::default(),
            kernel_declined: AtomicU64::default(),
        }
    }
}

impl TlsCounters {
    pub(super) fn bump(c: &AtomicU64) {
        c.fetch_add(1, Ordering::Relaxed);
    }

    /// Report the counts at shutdown (`tls_summary`) — where connections shared this
    /// process's memory: under fork each child counted into its own copy.
    pub fn report(&self, out: &Output, ktls: bool) {
        if !self.shared_memory.load(Ordering::Relaxed) {
            return;
        }
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let (hs, res, failed, unfinished) = (
            get(&self.handshakes),
            get(&self.resumed),
            get(&self.failed),
            get(&self.unfinished),
        );
        let (kernel, declined) = (get(&self.kernel), get(&self.kernel_declined));
        out.event(
            Level::Info,
            "tls_summary",
            json!({"handshakes": hs, "resumed": res, "failed": failed, "unfinished": unfinished,
                   "ktls": kernel, "ktls_declined": declined}),
            || {
                let mut s = format!(
                    "TLS: {hs} handshakes ({res} resumed), {failed} failed, {unfinished} unfinished"
                );
                if ktls {
                    s.push_str(&format!(
                        "; kernel TLS on {kernel}, {declined} stayed in user space"
                    ));
                }
                s
            },
        );
    }
}

//! What a datagram server reports: per-datagram and per-peer log lines (`-v`), the
//! SIGUSR1 `stats` and the shutdown `summary`.
//!
//! The summary is a stream server's summary plus the datagram counts, with the same
//! JSON keys for the same things: `connections`, `refused`, `peak_connections` (and
//! `open` while running) count *peers* — what `--max-connections` bounds — and
//! `bytes_in`/`bytes_out` the payload bytes; `datagrams_in`, `datagrams_out`,
//! `unanswered`, `truncated`, `kernel_drops` and `untracked` are datagram-only. On a
//! datagram server `refused` counts datagrams dropped from peers over the limit.

use serde_json::Value;

use super::peers::PeerEntry;
use crate::engine::stats::{ServerSummary, summary_fields};
use crate::engine::{CloseReason, EngineCtx};
use crate::net::peer::Peer;
use crate::output::{Level, Output};
use crate::text::{duration, plural};

/// What a datagram server did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DgramSummary {
    /// Peers (as connections), refusals and payload bytes, as a stream server counts them.
    pub server: ServerSummary,
    pub datagrams_in: u64,
    pub datagrams_out: u64,
    /// Replies that could not be sent (unnamed sender, full receiver, unreachable).
    pub unanswered: u64,
    /// Datagrams larger than the receive buffer (only their beginning was seen).
    pub truncated: u64,
    /// Datagrams the kernel dropped for a full receive queue (`SO_RXQ_OVFL`).
    pub kernel_drops: u64,
    /// Datagrams served beyond the peer table's default ceiling, without a table entry.
    pub untracked: u64,
}

impl DgramSummary {
    fn fields(&self, live: bool) -> Value {
        let mut m = summary_fields(&self.server, live);
        for (k, v) in [
            ("datagrams_in", self.datagrams_in),
            ("datagrams_out", self.datagrams_out),
            ("unanswered", self.unanswered),
            ("truncated", self.truncated),
            ("kernel_drops", self.kernel_drops),
            ("untracked", self.untracked),
        ] {
            m.insert(k.into(), v.into());
        }
        Value::Object(m)
    }

    /// `10 datagrams (640 bytes) in, 1 datagram (64 bytes) out, 0 unanswered`, plus
    /// the rarer counts when they are not zero.
    fn traffic(&self) -> String {
        let s = &self.server;
        let mut t = format!(
            "{} ({}) in, {} ({}) out, {} unanswered",
            plural(self.datagrams_in, "datagram"),
            plural(s.bytes_in, "byte"),
            plural(self.datagrams_out, "datagram"),
            plural(s.bytes_out, "byte"),
            self.unanswered
        );
        for (n, what) in [
            (self.truncated, "truncated"),
            (self.kernel_drops, "dropped by the kernel"),
            (self.untracked, "from untracked peers"),
        ] {
            if n > 0 {
                t.push_str(&format!(", {n} {what}"));
            }
        }
        t
    }
}

/// The shutdown summary (unless `-q`).
pub fn report_summary(out: &Output, s: &DgramSummary) {
    out.event(Level::Info, "summary", s.fields(false), || {
        let v = &s.server;
        format!(
            "{} (peak {}, {} refused), {}, in {}",
            plural(v.accepted, "peer"),
            v.peak_connections,
            plural(v.refused, "datagram"),
            s.traffic(),
            duration(v.duration)
        )
    });
}

/// The SIGUSR1 report: the summary's fields so far, and the peers tracked now.
pub fn report_live(out: &Output, s: &DgramSummary) {
    out.event(Level::Info, "stats", s.fields(true), || {
        let v = &s.server;
        format!(
            "stats: {} ({} tracked, peak {}, {} refused), {}, after {}",
            plural(v.accepted, "peer"),
            v.open,
            v.peak_connections,
            plural(v.refused, "datagram"),
            s.traffic(),
            duration(v.duration)
        )
    });
}

/// `-v`: one line per datagram.
pub fn log_datagram(out: &Output, peer: &Peer, len: usize) {
    if out.verbose() {
        let mut fields = peer.json_fields();
        fields["len"] = len.into();
        out.event(Level::Detail, "datagram", fields, || {
            format!("datagram from {peer}, {}", plural(len as u64, "byte"))
        });
    }
}

/// `-v`: a peer's first datagram.
pub fn log_new_peer(ctx: &EngineCtx<'_>, e: &PeerEntry) {
    if ctx.out.verbose() {
        let mut fields = e.peer.json_fields();
        fields["id"] = e.id().into();
        ctx.out.event(Level::Detail, "connect", fields, || {
            format!("peer {}: {} (first datagram)", e.id(), e.peer)
        });
    }
}

/// `-v`: a peer forgotten (idle, or the server stops), with what it did.
pub fn log_forget(ctx: &EngineCtx<'_>, e: &PeerEntry, reason: CloseReason) {
    if ctx.out.verbose() {
        let mut fields = e.peer.json_fields();
        for (k, v) in [
            ("id", e.id()),
            ("datagrams_in", e.datagrams_in),
            ("bytes_in", e.bytes_in),
            ("datagrams_out", e.datagrams_out),
            ("bytes_out", e.bytes_out),
            ("unanswered", e.unanswered),
        ] {
            fields[k] = v.into();
        }
        fields["reason"] = reason.as_str().into();
        ctx.out.event(Level::Detail, "close", fields, || {
            format!(
                "peer {} {} forgotten ({}): {} ({}) in, {} ({}) out, {} unanswered",
                e.id(),
                e.peer,
                reason.as_str(),
                plural(e.datagrams_in, "datagram"),
                plural(e.bytes_in, "byte"),
                plural(e.datagrams_out, "datagram"),
                plural(e.bytes_out, "byte"),
                e.unanswered
            )
        });
    }
}

/// `-v`: a reply that could not be sent.
pub fn log_unanswered(out: &Output, peer: &Peer, err: &std::io::Error) {
    if out.verbose() {
        use crate::os_error::{Op, Target, explain};
        let label = peer.to_string();
        let target = peer.inet().map_or(Target::Unix(&label), Target::Inet);
        let why = explain(Op::Send, target, err);
        let mut fields = peer.json_fields();
        fields["reason"] = why.clone().into();
        out.event(Level::Detail, "unanswered", fields, || {
            format!("cannot reply to {label}: {why}")
        });
    }
}

/// The datagram cut by the receive buffer (warned about once; the summary counts all).
pub fn warn_truncated(out: &Output, peer: &Peer, len: usize, kept: usize) {
    out.warn(&format!(
        "datagram from {peer} truncated: {} sent, only {kept} fit the buffer \
         (further ones are only counted)",
        plural(len as u64, "byte")
    ));
}

/// The peer table reached its default ceiling (warned about once).
pub fn warn_table_full(out: &Output, ceiling: usize) {
    out.warn(&format!(
        "{ceiling} peers tracked: new peers are served but not tracked; \
         --idle-timeout forgets silent peers, --max-connections refuses new ones"
    ));
}

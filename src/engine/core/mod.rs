//! The connection core every driver shares: one service, its outbox, and the rules
//! that turn the service's [`Verdict`]s into "keep reading", "half-close once the
//! outbox is sent" or "close". It does no I/O itself (sans-IO, like the service):
//! a driver — blocking (fork, thread) or readiness-based (select, poll, epoll, the
//! reactor) — reads the socket, feeds the bytes here, and sends the outbox with a
//! function it passes in. So both kinds of driver obey the same rules:
//!
//! * **Verdicts combine** one way ([`combine`]): a close, once asked for, stays a
//!   close; a half-close stays a half-close unless a close follows; otherwise the
//!   newest verdict counts.
//! * **End of stream**: after the peer's FIN nothing more arrives, so the connection
//!   closes once its outbox is sent — unless the service half-closes, which then
//!   ends as "peer closed" once our FIN is out.
//! * **Flush**: when the outbox empties, a service that held work back
//!   (`on_flushed`, pipelined HTTP behind a large file) may queue more at once; the
//!   half-close (`shutdown(SHUT_WR)`) happens once, after the last queued byte.
//! * **Back-pressure**: reading pauses while the outbox is above
//!   [`OUTBOX_HIGH_WATER`].
//! * **Output held back**: a layer that produces its output piecewise as the outbox
//!   drains ([`Service::holds_output`]: TLS encrypts a file range a chunk at a time)
//!   keeps being asked for more (`on_flushed`) even after a close or half-close was
//!   decided; the verdict is applied once it holds nothing more.
//!
//! * **Upstream**: a service that owns an upstream connection ([`Service::upstream`])
//!   gets a second outbox and a second end of stream here. Each direction ends on its
//!   own — a FIN read on one end becomes our `shutdown(SHUT_WR)` on the other once
//!   everything before it is sent — and the connection is done when both have ended.
//!   Back-pressure crosses over: the client is not read while the upstream's outbox
//!   is above the mark, the upstream not while the client's is, and neither while
//!   the service pauses its intake ([`Service::intake`]: TLS before its handshake).
//!   A service answers each end in that end's own outbox too ([`Service::forward`]),
//!   and may end a stream before its socket does ([`Intake::Ended`]: TLS's
//!   `close_notify`), which then counts as that end's FIN. The driver owns the
//!   upstream socket (connect, reads, sends) and reports to [`ConnCore::upstream_connected`],
//!   [`ConnCore::on_upstream_data`] and [`ConnCore::flush_upstream`].
//!
//! * **Hub**: a message from the hub ([`ConnCore::on_message`]) is one more input
//!   whose verdict combines as any other; a service whose reads have nowhere to go
//!   pauses its intake ([`Intake::Paused`]) and is not read, as with a full outbox.
//!
//! A layer between driver and service (TLS, `crate::tls`) is itself a [`Service`]
//! wrapping the real one, so it runs here unchanged on every driver: the core sees
//! records in and an outbox of records out.

use std::io;
use std::time::Instant;

use self::upstream::UpHalf;
use super::CloseReason;
use super::conn::Flush;
use super::service::{End, Intake, OUTBOX_HIGH_WATER, Outbox, Service, Upstream, Verdict};
use crate::net::io::peer_gone;

/// How two verdicts combine: the one rule for every driver.
pub fn combine(old: Verdict, new: Verdict) -> Verdict {
    match (old, new) {
        (Verdict::Close, _) | (_, Verdict::Close) => Verdict::Close,
        (Verdict::HalfClose, _) => Verdict::HalfClose,
        (_, v) => v,
    }
}

/// Why a socket error ended a connection: the peer went away (reset, closed pipe),
/// a blocking socket's timeout expired (`SO_RCVTIMEO`/`SO_SNDTIMEO` report
/// `EAGAIN`), or something else went wrong.
pub fn classify(e: &io::Error) -> CloseReason {
    if peer_gone(e) {
        CloseReason::Reset
    } else if e.kind() == io::ErrorKind::WouldBlock {
        CloseReason::IdleTimeout
    } else {
        CloseReason::Error
    }
}

/// One connection's protocol state, driven by any engine.
#[derive(Debug)]
pub struct ConnCore<S: Service> {
    svc: S,
    out: Outbox,
    verdict: Verdict,
    /// The peer's end of stream was read.
    peer_eof: bool,
    /// Our `shutdown(SHUT_WR)` was done.
    write_shut: bool,
    /// Why the connection ended, once it has.
    done: Option<CloseReason>,
    /// The upstream the service asked for, until the driver takes it to connect.
    plan: Option<Upstream>,
    /// The upstream direction, when the service owns one.
    up: Option<UpHalf>,
    /// A completion driver finished sending output since the last flush
    /// ([`sent`](Self::sent)): the next flush counts as one that emptied the outbox.
    sent_since_flush: bool,
}

impl<S: Service> ConnCore<S> {
    /// A new connection: the service may greet (its `on_open` output is queued).
    pub fn open(mut svc: S) -> ConnCore<S> {
        let plan = svc.upstream();
        let up = plan.as_ref().map(|_| UpHalf::default());
        let mut out = Outbox::default();
        let verdict = svc.on_open(&mut out);
        ConnCore {
            svc,
            out,
            verdict,
            peer_eof: false,
            write_shut: false,
            done: None,
            sent_since_flush: false,
            plan,
            up,
        }
    }

    /// Bytes arrived (at least one).
    pub fn on_data(&mut self, data: &[u8]) {
        let v = match &mut self.up {
            Some(up) => {
                let v = self
                    .svc
                    .forward(End::Client, data, &mut up.out, &mut self.out);
                if self.svc.intake(End::Client) == Intake::Ended {
                    // Passed on like a FIN; the socket is not read any more.
                    self.peer_eof = true;
                }
                v
            }
            None => self.svc.on_data(data, &mut self.out),
        };
        self.verdict = combine(self.verdict, v);
    }

    /// Bytes arrived in a batching turn ([`ServiceFactory::batches`]); the answer
    /// comes in [`on_turn_end`](Self::on_turn_end).
    ///
    /// [`ServiceFactory::batches`]: super::service::ServiceFactory::batches
    pub fn on_data_batched(&mut self, data: &[u8]) {
        if self.up.is_some() {
            return self.on_data(data);
        }
        let v = self.svc.on_data_batched(data, &mut self.out);
        self.verdict = combine(self.verdict, v);
    }

    /// A message through the hub (see [`Service::on_message`]).
    pub fn on_message(&mut self, msg: super::hub::HubMsg<'_>) {
        if self.done.is_none() {
            let v = self.svc.on_message(msg, &mut self.out);
            self.verdict = combine(self.verdict, v);
        }
    }

    /// Bytes waiting to be sent to the client.
    pub fn queued_bytes(&self) -> u64 {
        self.out.queued_bytes()
    }

    /// The batching turn's reads are done: let the service answer.
    pub fn on_turn_end(&mut self) {
        if self.done.is_none() {
            let v = self.svc.on_turn_end(&mut self.out);
            self.verdict = combine(self.verdict, v);
        }
    }

    /// The peer half-closed (a read returned 0). Nothing more will arrive, so the
    /// connection closes once the outbox is sent, or half-closes if the service asks.
    pub fn on_eof(&mut self) {
        if let Some(up) = &mut self.up {
            // Passed on: the upstream gets our FIN once its outbox is sent.
            if !self.peer_eof {
                self.peer_eof = true;
                let v = self
                    .svc
                    .forward_eof(End::Client, &mut up.out, &mut self.out);
                self.verdict = combine(self.verdict, v);
            }
            return;
        }
        self.peer_eof = true;
        let v = match self.svc.on_eof(&mut self.out) {
            Verdict::HalfClose => Verdict::HalfClose,
            _ => Verdict::Close,
        };
        self.verdict = combine(self.verdict, v);
    }

    /// Reading the socket failed with `e`. Usually that ends the connection (see
    /// [`classify`]); a layer may know the error to mean the peer's end of stream
    /// ([`Service::read_error_is_eof`]: kernel TLS reports a `close_notify` as `EIO`),
    /// and then what is queued is still sent.
    pub fn on_read_error(&mut self, e: &io::Error) {
        if self.svc.read_error_is_eof(e) {
            self.on_eof();
        } else {
            self.end(classify(e));
        }
    }

    /// Send the outbox with `send` (the driver's I/O: it returns when everything is
    /// handed to the kernel or the socket would block), let the service queue more
    /// when it empties, and apply the verdict: `shut_write` is called once, for a
    /// half-close. A send error ends the connection (see [`classify`]).
    pub fn flush(
        &mut self,
        mut send: impl FnMut(&mut Outbox) -> io::Result<Flush>,
        shut_write: impl FnOnce(),
    ) -> Flush {
        loop {
            if self.done.is_some() {
                return Flush::Done;
            }
            let had_output = !self.out.is_empty() || std::mem::take(&mut self.sent_since_flush);
            match send(&mut self.out) {
                Ok(Flush::Done) => {}
                Ok(Flush::WouldBlock) => return Flush::WouldBlock,
                Err(e) => {
                    self.end(classify(&e));
                    return Flush::Done;
                }
            }
            if had_output && self.verdict == Verdict::Keep {
                self.verdict = self.svc.on_flushed(&mut self.out);
                if !self.out.is_empty() {
                    continue;
                }
            } else if had_output && self.svc.holds_output() {
                // A layer producing its output piecewise (TLS encrypting a file range)
                // goes on after a close or half-close was asked for: the verdict
                // waits until it has queued the last piece.
                let v = self.svc.on_flushed(&mut self.out);
                self.verdict = combine(self.verdict, v);
                if !self.out.is_empty() {
                    continue;
                }
            }
            break;
        }
        match self.verdict {
            Verdict::Keep => {
                if self.up.as_ref().is_some_and(|up| up.eof) && !self.write_shut {
                    // The upstream ended and all it sent is out: pass its FIN on.
                    self.write_shut = true;
                    shut_write();
                }
                self.end_if_both_done();
            }
            Verdict::Close => self.end(CloseReason::Done),
            Verdict::HalfClose => {
                if !self.write_shut {
                    self.write_shut = true;
                    shut_write();
                }
                if self.peer_eof {
                    self.end(CloseReason::PeerClosed);
                }
            }
        }
        Flush::Done
    }

    /// The item a completion driver is sending (its bytes go to the tap once sent).
    pub fn front(&self) -> Option<&super::service::OutItem> {
        self.out.front()
    }

    /// A completion driver's send finished (io_uring: its completion arrived): `n`
    /// bytes of the front item are out. A readiness driver's `send` consumes inside
    /// [`flush`](Self::flush) instead; this one runs between flushes, so the next
    /// flush is told that output left (`on_flushed` runs once the outbox is empty).
    pub fn sent(&mut self, n: u64) {
        self.out.consume(n);
        self.sent_since_flush = true;
    }

    /// Whether reading makes sense now: open, not at end of stream, not closing,
    /// the outbox the bytes read go to (the upstream's, if there is one) below the
    /// high-water mark.
    pub fn wants_read(&self) -> bool {
        let fed = self.up.as_ref().map_or(&self.out, |up| &up.out);
        self.done.is_none()
            && !self.peer_eof
            && self.verdict != Verdict::Close
            && fed.queued_bytes() < OUTBOX_HIGH_WATER
            && self.svc.intake(End::Client) == Intake::Open
    }

    /// Whether output is waiting to be sent.
    pub fn wants_write(&self) -> bool {
        self.done.is_none() && !self.out.is_empty()
    }

    /// The service's deadline independent of traffic (HTTP's header timeout).
    pub fn deadline(&self) -> Option<Instant> {
        self.svc.deadline()
    }

    /// End the connection if its time is up at `now`: the service's deadline passed,
    /// or nothing moved either way since `last_active` for `idle` (`--idle-timeout`).
    /// Returns whether the connection is over.
    pub fn check_timers(
        &mut self,
        now: Instant,
        last_active: Instant,
        idle: Option<std::time::Duration>,
    ) -> bool {
        if self.done.is_none() {
            if self.deadline().is_some_and(|d| d <= now) {
                self.end(CloseReason::Deadline);
            } else if idle.is_some_and(|idle| now.duration_since(last_active) >= idle) {
                self.end(CloseReason::IdleTimeout);
            }
        }
        self.done.is_some()
    }

    /// End the connection for `reason`, unless it has already ended.
    pub fn end(&mut self, reason: CloseReason) {
        self.done.get_or_insert(reason);
    }

    /// `Some(reason)` once the connection is over.
    pub fn finished(&self) -> Option<CloseReason> {
        self.done
    }

    /// Tear down: drop what is still queued, tell the service; returns why it ended.
    pub fn close(&mut self) -> CloseReason {
        self.out.clear();
        self.svc.on_close(&self.out);
        self.done.unwrap_or(CloseReason::Done)
    }
}
#[cfg(test)]
mod tests;
mod upstream;

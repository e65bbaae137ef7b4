//! TLS as a layer between any engine and any service: [`Tls<S>`] is itself a
//! [`Service`] that wraps the real one. The driver hands it the records that arrived
//! and sends the records it queues; it decrypts into the inner service and encrypts
//! the inner service's own [`Outbox`]. Drivers — fork, thread, select, poll, epoll,
//! the reactor, a completion driver — know nothing of TLS.
//!
//! The rules it keeps:
//! * **Bounded file bodies.** A file range in the inner outbox is read with `pread`
//!   in chunks of [`FILE_CHUNK`] and encrypted only while fewer than [`FILE_MARK`]
//!   bytes of records wait in the driver's outbox (below its high-water mark), and
//!   more each time it drains ([`Service::holds_output`]): a 10 GiB file costs one
//!   chunk of memory, not 10 GiB.
//! * **Verdicts wait for the records.** What the inner service decides (close,
//!   half-close) is passed on once its output is encrypted, behind a `close_notify`;
//!   then the core half-closes or closes the socket.
//! * **End of stream** is the peer's `close_notify` (or its FIN, without one: a
//!   truncation, logged with `-vv`); either becomes the inner service's `on_eof`.
//! * **Hostile peers**: bytes that are not TLS, or a failed handshake, end the
//!   connection after the alert rustls queued; a handshake not done within the
//!   handshake timeout ends it too ([`Service::deadline`]). Renegotiation is refused
//!   by rustls itself.
//! * **Kernel TLS** (`--ktls`): after the handshake, once the outbox has drained and
//!   the input ends at a record boundary, the keys go to the kernel ([`super::ktls`])
//!   and the layer steps aside: plaintext in, the inner outbox passed through as it
//!   is, so file ranges go out with `sendfile(2)` again.
//! * **Relays** (`tcp-echo relay --tls`): the inner service's upstream half is
//!   delegated — plaintext from the client forwarded, the upstream's encrypted for
//!   it, each end's end of stream passed on — with the records kept on the client's
//!   side ([`relay`]). Kernel TLS stays off there.
//! * `-x` shows the plaintext (the dump is taken from the driver, which would only
//!   see records).

mod counters;
mod describe;
mod factory;
mod kernel;
mod layer;
mod pump;
mod relay;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Instant;

use super::report::{Handshake, level};
use super::session::Session;
use super::verify::Outcome;
use crate::engine::core::combine;
use crate::engine::service::{ConnInfo, End, Outbox, Service, Verdict};
use crate::net::hexdump::Direction;
use crate::net::peer::Peer;
pub use counters::TlsCounters;
pub use describe::describe;
pub use factory::{TlsFactory, TlsShared};
pub use pump::{FILE_CHUNK, FILE_MARK};

/// One connection's TLS layer around its service `S`.
pub struct Tls<S: Service> {
    inner: S,
    /// What the inner service queued, not yet encrypted (bytes and file ranges).
    plain: Outbox,
    /// The inner service's verdicts, combined; passed on once `plain` is encrypted.
    verdict: Verdict,
    /// `None` once the kernel has the keys.
    session: Option<Session>,
    kernel: bool,
    /// Try kernel TLS at the next drained outbox.
    want_kernel: bool,
    failed: bool,
    /// The handshake must be done by then.
    deadline: Option<Instant>,
    /// The inner service's output was taken since its last `on_flushed`.
    inner_wrote: bool,
    /// The inner service has been told of the end of stream (on a relay: the
    /// client's, which the core then passes on to the upstream).
    inner_eof: bool,
    /// The inner service owns an upstream: the layer relays ([`relay`]).
    relay: bool,
    /// On a relay, the upstream's FIN arrived: `close_notify` follows its last byte.
    upstream_ended: bool,
    /// A file chunk's buffer, only while a file range is being sent.
    file_buf: Vec<u8>,
    id: u64,
    peer: Peer,
    fd: Option<std::os::fd::RawFd>,
    shared: Arc<TlsShared>,
}

impl<S: Service> Tls<S> {
    pub(super) fn new(mut inner: S, info: &ConnInfo, shared: Arc<TlsShared>) -> Tls<S> {
        let mut plain = Outbox::default();
        let verdict = inner.on_open(&mut plain);
        let session = Session::server(Arc::clone(&shared.tls.config));
        let failed = session.is_err();
        if let Err(bad) = &session {
            shared
                .out
                .warn(&format!("connection {}: cannot start TLS: {bad}", info.id));
        }
        Tls {
            inner,
            plain,
            verdict,
            session: session.ok(),
            kernel: false,
            want_kernel: false,
            failed,
            deadline: Some(Instant::now() + shared.tls.opts.handshake_timeout),
            inner_wrote: false,
            inner_eof: false,
            relay: false,
            upstream_ended: false,
            file_buf: Vec::new(),
            id: info.id,
            peer: info.peer.clone(),
            fd: info.fd,
            shared,
        }
    }

    pub(super) fn dump(&self, dir: Direction, bytes: &[u8]) {
        if let Some(d) = &self.shared.hexdump {
            d.record_conn(self.id, dir, bytes);
        }
    }

    pub(super) fn who(&self) -> String {
        format!("connection {} from {}", self.id, self.peer)
    }

    pub(super) fn log(&self, event: &str, what: &str, words: String) {
        let mut fields = self.peer.json_fields();
        fields["id"] = self.id.into();
        fields[what] = words.clone().into();
        let who = self.who();
        self.shared
            .out
            .event(level(&self.shared.out), event, fields, || {
                format!("{who}: {words}")
            });
    }

    /// Records arrived: decrypt them into the inner service (through `sink`); what
    /// the record layer answers (handshake, alerts) goes to `out`, the client's outbox.
    pub(super) fn receive(&mut self, data: &[u8], out: &mut Outbox, sink: &mut Sink<'_>) {
        if self.failed {
            return;
        }
        if self.kernel {
            self.dump(Direction::Received, data);
            let v = sink.hand(&mut self.inner, data, &mut self.plain);
            self.verdict = combine(self.verdict, v);
            return;
        }
        let mut rest = data;
        while !rest.is_empty() {
            let Some(s) = self.session.as_mut() else {
                return;
            };
            match s.feed(rest) {
                Ok(n) => rest = &rest[n..],
                Err(e) => return self.fail(&e, out),
            }
            if s.handshake_finished() {
                self.on_handshake();
            }
            self.deliver(sink);
        }
    }

    /// Hand every decrypted chunk to the inner service; the peer's `close_notify` is
    /// its end of stream.
    pub(super) fn deliver(&mut self, sink: &mut Sink<'_>) {
        let Tls {
            inner,
            plain,
            verdict,
            session,
            shared,
            id,
            ..
        } = self;
        let Some(s) = session.as_mut() else {
            return;
        };
        let dump = shared.hexdump.as_deref();
        s.read_plain(|chunk| {
            if let Some(d) = dump {
                d.record_conn(*id, Direction::Received, chunk);
            }
            let v = sink.hand(inner, chunk, plain);
            *verdict = combine(*verdict, v);
        });
        // The session saw the close_notify (`read_plain` says `Closed` only when no
        // data came before it in the same feed); the data before it went first.
        if s.close_seen() {
            self.inner_end(sink);
        }
    }

    /// The socket's end of stream (a FIN, with or without `close_notify` before it):
    /// what rustls still held goes to the inner service (through `sink`), then the
    /// end itself. False when it ends the connection instead: the layer had failed,
    /// or the handshake was not done (the close counts it unfinished).
    pub(super) fn socket_eof(&mut self, sink: &mut Sink<'_>) -> bool {
        if self.failed {
            return false;
        }
        if let Some(s) = self.session.as_mut() {
            s.feed_eof();
            if s.is_handshaking() {
                return false;
            }
            if !s.close_seen() {
                log::debug!(
                    "tls: connection {} ended without close_notify (a truncation could go unnoticed)",
                    self.id
                );
            }
            self.deliver(sink);
        }
        self.inner_end(sink);
        true
    }

    /// Tell the inner service, once, that nothing more will arrive.
    pub(super) fn inner_end(&mut self, sink: &mut Sink<'_>) {
        if !self.inner_eof {
            self.inner_eof = true;
            let v = sink.end(&mut self.inner, &mut self.plain);
            self.verdict = combine(self.verdict, v);
        }
    }

    fn on_handshake(&mut self) {
        self.deadline = None;
        let c = &self.shared.counters;
        TlsCounters::bump(&c.handshakes);
        let Some(s) = self.session.as_ref() else {
            return;
        };
        let verification = self.shared.tls.client_auth.then(|| {
            Outcome::Trusted(format!(
                "client certificate chain trusted by --client-ca {}",
                self.shared
                    .tls
                    .opts
                    .client_ca
                    .as_deref()
                    .unwrap_or(std::path::Path::new("?"))
                    .display()
            ))
        });
        let h = Handshake::of(s.conn(), &[], verification);
        if h.kind == "resumed" {
            TlsCounters::bump(&c.resumed);
        }
        let mut extra = self.peer.json_fields();
        extra["id"] = self.id.into();
        h.report(&self.shared.out, &self.who(), extra);
        // Not on a relay: the upstream's FIN must reach the client behind a
        // `close_notify`, which the layer writes as a record of its own — with the
        // kernel holding the keys it would take a `sendmsg` with a record-type control
        // message the drivers do not send. (The relay offers no --ktls either.)
        self.want_kernel = self.shared.tls.opts.ktls && !self.relay;
    }

    /// A fatal TLS error: queue rustls's alert, close after it.
    pub(super) fn fail(&mut self, err: &rustls::Error, out: &mut Outbox) {
        self.failed = true;
        TlsCounters::bump(&self.shared.counters.failed);
        let during = self.session.as_ref().is_some_and(Session::is_handshaking);
        if let Some(s) = self.session.as_mut() {
            out.push_vec(s.take_records());
        }
        self.plain.clear();
        let what = if during {
            "TLS handshake failed"
        } else {
            "TLS error"
        };
        self.log("tls_error", "error", format!("{what}: {}", describe(err)));
    }

    /// Encrypt, then pass the inner verdict on once nothing of its output is left —
    /// behind our `close_notify` when it closes or half-closes, or (a relay) when the
    /// upstream has ended.
    pub(super) fn finish(&mut self, out: &mut Outbox) -> Verdict {
        self.pump(out);
        if self.failed {
            return Verdict::Close;
        }
        if self.kernel {
            return self.verdict;
        }
        let Some(s) = self.session.as_mut() else {
            return Verdict::Close;
        };
        if s.is_handshaking() {
            return Verdict::Keep;
        }
        let ending = self.verdict != Verdict::Keep || self.upstream_ended;
        if self.plain.is_empty() && ending && !s.close_sent() {
            s.close();
            out.push_vec(s.take_records());
        }
        self.verdict
    }
}

/// Where decrypted bytes go in the inner service.
pub(super) enum Sink<'a> {
    /// Its `on_data` (`on_data_batched` in a batching turn), answering into the layer.
    Data { batched: bool },
    /// A relay: its `forward` from the client, toward the upstream's outbox.
    Forward(&'a mut Outbox),
}

impl Sink<'_> {
    fn hand<S: Service>(&mut self, inner: &mut S, chunk: &[u8], plain: &mut Outbox) -> Verdict {
        match self {
            Sink::Data { batched: false } => inner.on_data(chunk, plain),
            Sink::Data { batched: true } => inner.on_data_batched(chunk, plain),
            Sink::Forward(up) => inner.forward(End::Client, chunk, up, plain),
        }
    }

    /// The client's end of stream: a close or half-close for a service of its own,
    /// passed on (as the service says) on a relay.
    fn end<S: Service>(&mut self, inner: &mut S, plain: &mut Outbox) -> Verdict {
        match self {
            Sink::Data { .. } => match inner.on_eof(plain) {
                Verdict::HalfClose => Verdict::HalfClose,
                _ => Verdict::Close,
            },
            Sink::Forward(up) => inner.forward_eof(End::Client, up, plain),
        }
    }
}

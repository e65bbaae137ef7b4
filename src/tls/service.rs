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
//! * `-x` shows the plaintext (the dump is taken from the driver, which would only
//!   see records).

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde_json::json;

use super::config::ServerTls;
use super::report::{Handshake, level};
use super::session::{Plain, Session};
use super::verify::Outcome;
use crate::engine::core::combine;
use crate::engine::service::{ConnInfo, OutItem, Outbox, Service, ServiceFactory, Verdict};
use crate::net::hexdump::{Direction, Hexdump};
use crate::net::peer::Peer;
use crate::net::trace;
use crate::output::{Level, Output};

/// Bytes of a file read (and encrypted) at a time.
pub const FILE_CHUNK: usize = 64 * 1024;
/// File bodies are encrypted only while fewer record bytes than this wait to be sent.
pub const FILE_MARK: u64 = 256 * 1024;

/// What the TLS layer of a server counted.
#[derive(Debug)]
pub struct TlsCounters {
    /// The engine's connections live in this process (not so under fork).
    shared_memory: std::sync::atomic::AtomicBool,
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
    fn bump(c: &AtomicU64) {
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

/// What every connection's layer shares.
pub struct TlsShared {
    pub tls: ServerTls,
    out: Output,
    hexdump: Option<Arc<Hexdump>>,
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

    fn batches(&self) -> bool {
        self.inner.batches()
    }

    fn before_answers(&self) {
        self.inner.before_answers()
    }

    fn adapt(&self, caps: &crate::engine::Capabilities) {
        self.shared
            .counters
            .shared_memory
            .store(caps.shared_memory, Ordering::Relaxed);
        self.inner.adapt(caps)
    }
}

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
    /// The inner service has been told of the end of stream.
    inner_eof: bool,
    /// A file chunk's buffer, only while a file range is being sent.
    file_buf: Vec<u8>,
    id: u64,
    peer: Peer,
    fd: Option<std::os::fd::RawFd>,
    shared: Arc<TlsShared>,
}

impl<S: Service> Tls<S> {
    fn new(mut inner: S, info: &ConnInfo, shared: Arc<TlsShared>) -> Tls<S> {
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
            file_buf: Vec::new(),
            id: info.id,
            peer: info.peer.clone(),
            fd: info.fd,
            shared,
        }
    }

    fn dump(&self, dir: Direction, bytes: &[u8]) {
        if let Some(d) = &self.shared.hexdump {
            d.record_conn(self.id, dir, bytes);
        }
    }

    fn who(&self) -> String {
        format!("connection {} from {}", self.id, self.peer)
    }

    fn log(&self, event: &str, what: &str, words: String) {
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

    /// Records arrived: decrypt them into the inner service.
    fn receive(&mut self, data: &[u8], out: &mut Outbox, batched: bool) {
        if self.failed {
            return;
        }
        if self.kernel {
            self.dump(Direction::Received, data);
            let v = if batched {
                self.inner.on_data_batched(data, &mut self.plain)
            } else {
                self.inner.on_data(data, &mut self.plain)
            };
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
            self.deliver(batched);
        }
    }

    /// Hand every decrypted chunk to the inner service; the peer's `close_notify` is
    /// its end of stream.
    fn deliver(&mut self, batched: bool) {
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
        let end = s.read_plain(|chunk| {
            if let Some(d) = dump {
                d.record_conn(*id, Direction::Received, chunk);
            }
            let v = if batched {
                inner.on_data_batched(chunk, plain)
            } else {
                inner.on_data(chunk, plain)
            };
            *verdict = combine(*verdict, v);
        });
        if end == Plain::Closed {
            self.inner_end();
        }
    }

    /// Tell the inner service, once, that nothing more will arrive.
    fn inner_end(&mut self) {
        if !self.inner_eof {
            self.inner_eof = true;
            let v = match self.inner.on_eof(&mut self.plain) {
                Verdict::HalfClose => Verdict::HalfClose,
                _ => Verdict::Close,
            };
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
        self.want_kernel = self.shared.tls.opts.ktls;
    }

    /// A fatal TLS error: queue rustls's alert, close after it.
    fn fail(&mut self, err: &rustls::Error, out: &mut Outbox) {
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

    /// Encrypt what the inner service queued: all of its bytes, and file ranges a
    /// chunk at a time while the driver's outbox is below [`FILE_MARK`].
    fn pump(&mut self, out: &mut Outbox) {
        if self.failed {
            self.plain.clear();
            return;
        }
        if self.kernel {
            return self.pass_through(out);
        }
        let Some(s) = self.session.as_mut() else {
            return;
        };
        if s.is_handshaking() {
            out.push_vec(s.take_records());
            return;
        }
        if s.close_sent() {
            // Nothing can follow our close_notify.
            self.plain.clear();
        }
        loop {
            let taken = match self.plain.front() {
                None => break,
                Some(OutItem::Bytes(b)) => {
                    let n = s.write_plain(b);
                    if let Some(d) = &self.shared.hexdump {
                        d.record_conn(self.id, Direction::Sent, &b[..n]);
                    }
                    n as u64
                }
                Some(OutItem::File { file, offset, len }) => {
                    if out.queued_bytes() >= FILE_MARK {
                        break;
                    }
                    let want = (*len).min(FILE_CHUNK as u64) as usize;
                    match encrypt_file_chunk(s, file, *offset, want, &mut self.file_buf, out) {
                        Ok(n) => {
                            if let Some(d) = &self.shared.hexdump {
                                let note = format!("{n} bytes of a file, encrypted, not dumped");
                                d.note_conn(self.id, Direction::Sent, &note);
                            }
                            n as u64
                        }
                        Err(e) => {
                            // The file shrank or failed under us: what was promised
                            // cannot be sent; end the connection.
                            self.failed = true;
                            self.log(
                                "tls_error",
                                "error",
                                format!("sending a file: {}", crate::os_error::describe(&e)),
                            );
                            self.plain.clear();
                            return;
                        }
                    }
                }
            };
            out.push_vec(s.take_records());
            if taken == 0 {
                break;
            }
            self.plain.consume(taken);
            self.inner_wrote = true;
        }
        out.push_vec(s.take_records());
        if self.plain.is_empty() {
            self.file_buf = Vec::new();
        }
    }

    /// Kernel TLS: the inner outbox goes to the driver as it is.
    fn pass_through(&mut self, out: &mut Outbox) {
        while let Some(item) = self.plain.front() {
            let n = item.len();
            match item {
                OutItem::Bytes(b) => {
                    self.dump(Direction::Sent, b);
                    out.push_bytes(b);
                }
                OutItem::File { file, offset, len } => {
                    out.push_file(Arc::clone(file), *offset, *len);
                }
            }
            self.plain.consume(n);
            self.inner_wrote = true;
        }
    }

    /// Encrypt, then pass the inner verdict on once nothing of its output is left —
    /// behind our `close_notify` when it closes or half-closes.
    fn finish(&mut self, out: &mut Outbox) -> Verdict {
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
        if self.plain.is_empty() && self.verdict != Verdict::Keep && !s.close_sent() {
            s.close();
            out.push_vec(s.take_records());
        }
        self.verdict
    }

    /// Kernel TLS, if it can take over now (the driver's outbox has just drained).
    fn go_kernel(&mut self) {
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
            (Some(fd), Some(true)) => super::ktls::attach_ulp(fd).err(),
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
        match super::ktls::install(fd, s.into_conn()) {
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

/// `pread` up to `want` bytes of `file` at `offset` into `buf` and encrypt them,
/// moving records into `out` as rustls's buffer fills. Returns the bytes read.
fn encrypt_file_chunk(
    s: &mut Session,
    file: &File,
    offset: u64,
    want: usize,
    buf: &mut Vec<u8>,
    out: &mut Outbox,
) -> std::io::Result<usize> {
    buf.resize(want, 0);
    let n = loop {
        match file.read_at(&mut buf[..want], offset) {
            Ok(0) => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "file truncated while sending",
                ));
            }
            Ok(n) => break n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    let mut done = 0;
    while done < n {
        let w = s.write_plain(&buf[done..n]);
        out.push_vec(s.take_records());
        if w == 0 {
            return Err(std::io::Error::other("TLS refused more data"));
        }
        done += w;
    }
    Ok(n)
}

/// A rustls error in words for the server's log.
pub fn describe(err: &rustls::Error) -> String {
    use rustls::{Error, InvalidMessage};
    match err {
        Error::InvalidMessage(InvalidMessage::InvalidContentType)
        | Error::InvalidMessage(InvalidMessage::UnknownProtocolVersion) => {
            "the peer's bytes are not TLS records (plain text sent to a TLS port?)".into()
        }
        Error::NoCertificatesPresented => {
            "the client sent no certificate, and --client-ca requires one".into()
        }
        Error::InvalidCertificate(bad) => {
            format!("the peer's certificate is not acceptable: {bad:?}")
        }
        Error::AlertReceived(a) => format!("the peer sent the fatal alert {a:?}"),
        Error::PeerIncompatible(p) => format!("nothing in common with the peer: {p:?}"),
        Error::NoApplicationProtocol => {
            "no application protocol in common (ALPN: see --alpn)".into()
        }
        Error::InappropriateHandshakeMessage { got_type, .. } => {
            format!("unexpected handshake message {got_type:?} (renegotiation is not supported)")
        }
        other => other.to_string(),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::conn::Flush;
    use crate::engine::core::ConnCore;
    use crate::output::Verbosity;
    use crate::proto::echo::Echo;
    use crate::tls::session::tests::pair;
    use std::io::Write;

    fn shared() -> Arc<TlsShared> {
        let (server, _) = pair();
        drop(server);
        let tls =
            ServerTls::new(&crate::tls::ServerTlsOpts::default(), &["localhost".into()]).unwrap();
        Arc::new(TlsShared {
            tls,
            out: Output::new(false, Verbosity::Quiet),
            hexdump: None,
            counters: TlsCounters::default(),
        })
    }

    fn client() -> Session {
        let c = crate::tls::config::client_config(&crate::tls::ClientTlsOpts {
            insecure: true,
            ..Default::default()
        })
        .unwrap();
        let name = c.server_name("localhost").unwrap();
        Session::client(c.config, name).unwrap()
    }

    /// A driver in memory: everything the core queues is "sent" to `wire`.
    fn drive<S: Service>(core: &mut ConnCore<S>, wire: &mut Vec<u8>) -> Flush {
        core.flush(
            |out| {
                while let Some(item) = out.front() {
                    match item {
                        OutItem::Bytes(b) => wire.extend_from_slice(b),
                        OutItem::File { .. } => panic!("TLS never hands the driver a file"),
                    }
                    let n = item.len();
                    out.consume(n);
                }
                Ok(Flush::Done)
            },
            || {},
        )
    }

    /// Run a handshake between `c` and the layer in `core`.
    fn handshake<S: Service>(c: &mut Session, core: &mut ConnCore<S>) {
        for _ in 0..10 {
            let hello = c.take_records();
            if !hello.is_empty() {
                core.on_data(&hello);
            }
            let mut wire = Vec::new();
            drive(core, &mut wire);
            if !wire.is_empty() {
                assert_eq!(c.feed(&wire).unwrap(), wire.len());
            }
            if !c.is_handshaking() && !c.wants_write() {
                return;
            }
        }
        panic!("no handshake");
    }

    fn read_all(c: &mut Session, wire: &[u8]) -> (Vec<u8>, Plain) {
        let mut got = Vec::new();
        let mut rest = wire;
        let mut end = Plain::Empty;
        loop {
            let n = c.feed(rest).unwrap();
            rest = &rest[n..];
            end = match c.read_plain(|b| got.extend_from_slice(b)) {
                Plain::Data => end,
                other => other,
            };
            if rest.is_empty() {
                // The status behind the last data (close_notify after it).
                return match c.read_plain(|b| got.extend_from_slice(b)) {
                    Plain::Empty | Plain::Data => (got, end),
                    other => (got, other),
                };
            }
        }
    }

    #[test]
    fn echo_through_the_layer_then_close_notify() {
        let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(1), shared()));
        let mut c = client();
        handshake(&mut c, &mut core);
        c.write_plain(b"hello tls");
        core.on_data(&c.take_records());
        let mut wire = Vec::new();
        drive(&mut core, &mut wire);
        let (got, _) = read_all(&mut c, &wire);
        assert_eq!(got, b"hello tls");
        // Our half-close: close_notify. Echo closes; the layer answers with its own.
        c.close();
        core.on_data(&c.take_records());
        let mut wire = Vec::new();
        drive(&mut core, &mut wire);
        let (_, end) = read_all(&mut c, &wire);
        assert_eq!(end, Plain::Closed, "close_notify came back");
        assert!(core.finished().is_some());
    }

    /// Sends a file range and then closes (as HTTP/1.0 does).
    struct FileThenClose(Arc<File>, u64);

    impl Service for FileThenClose {
        fn on_data(&mut self, _: &[u8], out: &mut Outbox) -> Verdict {
            out.push_bytes(b"head:");
            out.push_file(Arc::clone(&self.0), 0, self.1);
            Verdict::Close
        }
    }

    #[test]
    fn a_file_goes_out_in_bounded_chunks_before_the_close() {
        let size = 3 * 1024 * 1024 + 17;
        let mut f = tempfile::tempfile().unwrap();
        let body: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        f.write_all(&body).unwrap();
        let svc = FileThenClose(Arc::new(f), size as u64);
        let mut core = ConnCore::open(Tls::new(svc, &ConnInfo::loopback(2), shared()));
        let mut c = client();
        handshake(&mut c, &mut core);
        c.write_plain(b"GET");
        core.on_data(&c.take_records());
        // A driver whose socket takes at most 100 KiB per flush: the layer never
        // queues more than its mark plus one chunk's records.
        let mut wire = Vec::new();
        let mut peak = 0u64;
        for _ in 0..10_000 {
            if core.finished().is_some() {
                break;
            }
            core.flush(
                |out| {
                    peak = peak.max(out.queued_bytes());
                    let mut budget = 100 * 1024u64;
                    while let Some(OutItem::Bytes(b)) = out.front() {
                        let n = (b.len() as u64).min(budget);
                        wire.extend_from_slice(&b[..n as usize]);
                        out.consume(n);
                        budget -= n;
                        if budget == 0 {
                            return Ok(Flush::WouldBlock);
                        }
                    }
                    Ok(Flush::Done)
                },
                || {},
            );
        }
        assert!(
            core.finished().is_some(),
            "the connection closed after the file"
        );
        assert!(peak < FILE_MARK + 2 * FILE_CHUNK as u64, "peak {peak}");
        let (got, end) = read_all(&mut c, &wire);
        assert_eq!(end, Plain::Closed);
        assert_eq!(&got[..5], b"head:");
        assert!(got[5..] == body[..], "the file arrived whole");
    }

    #[test]
    fn garbage_fails_the_handshake_with_an_alert() {
        let sh = shared();
        let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(3), Arc::clone(&sh)));
        core.on_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut wire = Vec::new();
        drive(&mut core, &mut wire);
        assert_eq!(wire.first(), Some(&21), "an alert");
        assert!(core.finished().is_some());
        core.close();
        // A handshake record too large to be one: closed at once (rustls sends no
        // alert for it).
        let mut core = ConnCore::open(Tls::new(Echo, &ConnInfo::loopback(5), Arc::clone(&sh)));
        core.on_data(b"\x16\x03\x01\x00\x05hello-not-a-client-hello");
        drive(&mut core, &mut Vec::new());
        assert!(core.finished().is_some());
        core.close();
        assert_eq!(sh.counters.failed.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn the_handshake_has_a_deadline_and_is_counted_unfinished() {
        let sh = shared();
        let t = Tls::new(Echo, &ConnInfo::loopback(4), Arc::clone(&sh));
        let d = t.deadline().expect("a handshake deadline");
        assert!(d <= Instant::now() + sh.tls.opts.handshake_timeout);
        let mut core = ConnCore::open(t);
        core.close();
        assert_eq!(sh.counters.unfinished.load(Ordering::Relaxed), 1);
    }
}

//! TLS over one socket for the clients and listeners that relay stdin and stdout
//! (`tcp-echo connect|listen --tls`, `unix connect|listen --tls`) and for the
//! heartbeat client: the handshake first, bounded by a deadline and cut short by
//! SIGINT/SIGTERM ([`crate::net::wait`]), its report, then a non-blocking
//! [`Stream`] the relay drives like a plain socket.
//!
//! The half-close rules of the plain client hold: at stdin EOF we send
//! `close_notify`, then `shutdown(SHUT_WR)` once it is out, and keep reading until
//! the peer closes — TLS 1.3 lets the other side go on sending after our
//! `close_notify`, as TCP does after our FIN.

use std::io;
use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{anyhow, bail};
use serde_json::json;
use socket2::Socket;

use crate::net::trace::Closing;

use super::config::{ClientTls, ServerTls};
use super::report::Handshake;
use super::service::describe;
use super::session::{Plain, Session};
use super::verify::Outcome;
use crate::error::Interrupted;
use crate::net::io::read_retry;
use crate::net::signals::Shutdown;
use crate::net::stream::Stream;
use crate::net::wait::{Watch, Woke, wait};
use crate::output::Output;

/// Bytes read from the socket at a time: one full record.
const READ_CHUNK: usize = 16 * 1024 + 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shut {
    Open,
    /// `close_notify` queued; `shutdown(SHUT_WR)` follows once it is out.
    Pending,
    Done,
}

/// A TLS session on a non-blocking socket.
pub struct TlsStream {
    /// Closed through the trace layer, like the plain sessions' sockets.
    sock: Closing<Socket>,
    session: Session,
    /// Records read from the socket and not fed yet.
    inbuf: Vec<u8>,
    inpos: usize,
    eof: bool,
    shut: Shut,
    /// The stream ended without the peer's `close_notify`.
    truncated: bool,
}

/// A socket that writes through `&Socket`.
struct SockWriter<'a>(&'a Socket);

impl io::Write for SockWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::net::io::write_retry(&mut &*self.0, buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn tls_error(e: rustls::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl TlsStream {
    fn new(sock: Socket, session: Session) -> io::Result<TlsStream> {
        let sock = Closing::new(sock);
        Socket::set_nonblocking(&sock, true)?;
        Ok(TlsStream {
            sock,
            session,
            inbuf: Vec::new(),
            inpos: 0,
            eof: false,
            shut: Shut::Open,
            truncated: false,
        })
    }

    /// The session (what was negotiated).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The socket underneath.
    pub fn socket(&self) -> &Socket {
        &self.sock
    }

    /// The peer ended without `close_notify`.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Send waiting records; `WouldBlock` leaves the rest for later. Completes a
    /// pending half-close once they are out.
    fn push_records(&mut self) -> io::Result<()> {
        self.session.write_records(&mut SockWriter(&self.sock))?;
        if self.shut == Shut::Pending && !self.session.wants_write() {
            self.shut = Shut::Done;
            crate::net::trace::call(
                "shutdown",
                || vec![crate::net::trace::fd(&self.sock), "SHUT_WR".into()],
                || self.sock.shutdown(std::net::Shutdown::Write),
            )?;
        }
        Ok(())
    }

    /// Feed what the socket has (reading it once if nothing is kept); `Ok(false)`
    /// when the socket would block.
    fn take_in(&mut self) -> io::Result<bool> {
        if self.inpos < self.inbuf.len() {
            let n = match self.session.feed(&self.inbuf[self.inpos..]) {
                Ok(n) => n,
                Err(e) => {
                    let _ = self.push_records();
                    return Err(tls_error(e));
                }
            };
            self.inpos += n;
            if self.inpos == self.inbuf.len() {
                self.inbuf.clear();
                self.inpos = 0;
            }
            // Post-handshake messages may want an answer (a TLS 1.3 KeyUpdate).
            match self.push_records() {
                Err(e) if e.kind() != io::ErrorKind::WouldBlock => return Err(e),
                _ => {}
            }
            return Ok(true);
        }
        if self.eof {
            self.session.feed_eof();
            return Ok(true);
        }
        self.inbuf.resize(READ_CHUNK, 0);
        match read_retry(&mut &*self.sock, &mut self.inbuf) {
            Ok(0) => {
                self.inbuf.clear();
                self.eof = true;
                Ok(true)
            }
            Ok(n) => {
                self.inbuf.truncate(n);
                self.inpos = 0;
                Ok(true)
            }
            Err(e) => {
                self.inbuf.clear();
                if e.kind() == io::ErrorKind::WouldBlock {
                    Ok(false)
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Drive the handshake until it is done, `deadline` passes or a signal arrives.
    fn handshake(&mut self, shutdown: &Shutdown, deadline: Option<Instant>) -> anyhow::Result<()> {
        let started = Instant::now();
        loop {
            match self.push_records() {
                Err(e) if e.kind() != io::ErrorKind::WouldBlock => {
                    bail!("send: {}", crate::os_error::describe(&e))
                }
                _ => {}
            }
            let handshaking = self.session.is_handshaking();
            if !handshaking && !self.session.wants_write() {
                self.session.handshake_finished();
                return Ok(());
            }
            if handshaking && (self.inpos < self.inbuf.len() || self.eof) {
                self.take_in().map_err(in_words)?;
                if self.eof && self.session.is_handshaking() {
                    bail!("the peer closed the connection during the handshake");
                }
                continue;
            }
            let mut watch = [Watch::new(
                self.sock.as_fd(),
                handshaking,
                self.session.wants_write(),
            )];
            match wait(&mut watch, shutdown, deadline)? {
                Woke::Stop(signal) => return Err(Interrupted { signal }.into()),
                // The limit as given (to the millisecond), not how late the wakeup was.
                Woke::Timeout => bail!(
                    "no handshake within {}",
                    humantime::format_duration(std::time::Duration::from_millis(
                        (deadline
                            .map_or(started, |d| d)
                            .saturating_duration_since(started)
                            .as_micros()
                            .div_ceil(1000)) as u64
                    ))
                ),
                Woke::Ready => {}
            }
            if handshaking && watch[0].readable() {
                self.take_in().map_err(in_words)?;
            }
        }
    }
}

/// A failed read of records: a TLS error in the words the servers' log uses (the
/// same refusal reads the same from `listen --tls` and `serve --tls`).
fn in_words(e: io::Error) -> anyhow::Error {
    match e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        Some(tls) => anyhow!(describe(tls)),
        None => anyhow!(e),
    }
}

/// Connect TLS over `sock` as a client to `host` (what was dialled; `--sni`
/// overrides it), reporting the handshake as `peer` with `-v` / `--json`. A refused
/// certificate is an error in plain words (`certificate expired 3 days ago`).
pub fn connect(
    sock: Socket,
    tls: &ClientTls,
    host: &str,
    peer: &str,
    shutdown: &Shutdown,
    deadline: Option<Instant>,
    out: &Output,
) -> anyhow::Result<TlsStream> {
    let name = tls.server_name(host)?;
    let shown = name.to_str().into_owned();
    // rustls names a host in the SNI extension, never an address (RFC 6066 §3).
    let sni = matches!(name, rustls::pki_types::ServerName::DnsName(_)).then(|| shown.clone());
    crate::net::trace::step("tls", || {
        let alpn: Vec<String> = tls
            .config
            .alpn_protocols
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        format!(
            "ClientHello for {shown} (TLS 1.3 and 1.2{})",
            if alpn.is_empty() {
                String::new()
            } else {
                format!(", ALPN {}", alpn.join(","))
            }
        )
    });
    let session = Session::client(Arc::clone(&tls.config), name)
        .map_err(|bad| anyhow!("start TLS: {bad}"))?;
    let mut stream = TlsStream::new(sock, session)?;
    let result = stream.handshake(shutdown, deadline);
    let seen = tls.verifier.take_seen();
    if let Err(e) = result {
        if e.downcast_ref::<Interrupted>().is_some() {
            return Err(e);
        }
        let words = match &seen.outcome {
            Some(Outcome::Refused(w)) => w.clone(),
            _ => crate::error::render(&e),
        };
        if !seen.chain.is_empty() {
            // With -v, the chain that was refused is worth seeing.
            let mut hs = Handshake::of(stream.session.conn(), &seen.chain, seen.outcome);
            hs.sni = sni;
            hs.report(out, peer, json!({"peer": peer, "ok": false}));
        }
        bail!("TLS handshake with {peer}: {words}");
    }
    if let Some(Outcome::Accepted(w)) = &seen.outcome {
        out.warn(&format!("{peer}: {w}"));
    }
    let mut hs = Handshake::of(stream.session.conn(), &seen.chain, seen.outcome);
    hs.sni = sni;
    hs.report(out, peer, json!({"peer": peer, "ok": true}));
    Ok(stream)
}

/// Accept TLS over `sock` as a server (`listen --tls`), the handshake bounded by
/// the handshake timeout.
pub fn accept(
    sock: Socket,
    tls: &ServerTls,
    peer: &str,
    shutdown: &Shutdown,
    out: &Output,
) -> anyhow::Result<TlsStream> {
    let session =
        Session::server(Arc::clone(&tls.config)).map_err(|bad| anyhow!("start TLS: {bad}"))?;
    let mut stream = TlsStream::new(sock, session)?;
    let deadline = Instant::now() + tls.opts.handshake_timeout;
    if let Err(e) = stream.handshake(shutdown, Some(deadline)) {
        if e.downcast_ref::<Interrupted>().is_some() {
            return Err(e);
        }
        bail!("TLS handshake with {peer}: {}", crate::error::render(&e));
    }
    let verification = tls
        .client_auth
        .then(|| Outcome::Trusted("client certificate chain trusted by --client-ca".into()));
    Handshake::of(stream.session.conn(), &[], verification).report(
        out,
        peer,
        json!({"peer": peer, "ok": true}),
    );
    Ok(stream)
}

impl Stream for TlsStream {
    fn fd(&self) -> BorrowedFd<'_> {
        self.sock.as_fd()
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.session.read_plain_into(buf) {
                (n, Plain::Data) => return Ok(n),
                (_, Plain::Closed) => return Ok(0),
                (_, Plain::Truncated) => {
                    if !self.truncated {
                        log::info!(
                            "tls: the peer closed without close_notify (a cut could go unnoticed)"
                        );
                    }
                    self.truncated = true;
                    return Ok(0);
                }
                (_, Plain::Empty) => {}
            }
            if !self.take_in()? {
                return Err(io::ErrorKind::WouldBlock.into());
            }
        }
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.shut != Shut::Open {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        let mut n = self.session.write_plain(buf);
        if n == 0 && !buf.is_empty() {
            // rustls's record buffer is full: make room, then try once more.
            self.push_records()?;
            n = self.session.write_plain(buf);
        }
        match self.push_records() {
            Err(e) if e.kind() != io::ErrorKind::WouldBlock => return Err(e),
            _ => {}
        }
        if n == 0 && !buf.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.push_records()?;
        if self.wants_write() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        Ok(())
    }

    fn wants_write(&self) -> bool {
        self.session.wants_write() || self.shut == Shut::Pending
    }

    fn buffered(&mut self) -> bool {
        self.inpos < self.inbuf.len() || self.session.has_plain()
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        if self.shut == Shut::Open {
            self.session.close();
            self.shut = Shut::Pending;
        }
        match self.push_records() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            other => other,
        }
    }
}

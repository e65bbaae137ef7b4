//! The record layer both ends share: one rustls connection (client or server) with
//! the four moves of sans-IO TLS, and nothing else — no socket, no clock:
//!
//! * [`feed`](Session::feed) bytes that arrived (records; a handshake in progress
//!   advances, application data is decrypted) and [`read_plain`](Session::read_plain)
//!   what they decrypted to;
//! * [`write_plain`](Session::write_plain) plaintext to send, and
//!   [`write_records`](Session::write_records) the records to put on the wire (the
//!   handshake's own, alerts, `close_notify`, encrypted data).
//!
//! rustls bounds both of its buffers (16 KiB of decrypted plaintext waiting to be read,
//! 64 KiB of records waiting to be sent), so a caller that drains between moves never
//! holds more than that per connection.
//!
//! With `--explain`, every batch of records that goes in or out is shown as a `tls`
//! step beside the socket calls ([`crate::net::trace::step`]), named from their headers
//! ([`super::records`]); so are the handshake's end and `close_notify`.
//!
//! [`fuzz_server`] and [`fuzz_client`] feed arbitrary bytes to a fresh session: the
//! entry points for the fuzzers (and this module's property tests).

use std::io::{self, BufRead};
use std::sync::Arc;

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, Connection, ServerConfig, ServerConnection};

use super::records::{Record, Scanner, summarize};
use crate::net::trace;

/// What reading plaintext found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {
    /// Some plaintext was handed over.
    Data,
    /// Nothing decrypted is waiting; feed more.
    Empty,
    /// The peer sent `close_notify`: it will send nothing more (its half-close).
    Closed,
    /// The connection ended without `close_notify` (a TCP FIN, or a reset): whatever
    /// arrived may have been cut short by someone on the path.
    Truncated,
}

/// One TLS connection's state machine.
pub struct Session {
    conn: Connection,
    inbound: Scanner,
    outbound: Scanner,
    /// The handshake was still going at the last look (to see it finish once).
    handshaking: bool,
    close_sent: bool,
    close_seen: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("handshaking", &self.handshaking)
            .field("close_sent", &self.close_sent)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A client session for `name` (sent as SNI when it is a DNS name, and verified).
    pub fn client(
        config: Arc<ClientConfig>,
        name: ServerName<'static>,
    ) -> Result<Session, rustls::Error> {
        Ok(Session::new(ClientConnection::new(config, name)?.into()))
    }

    /// A server session waiting for a ClientHello.
    pub fn server(config: Arc<ServerConfig>) -> Result<Session, rustls::Error> {
        Ok(Session::new(ServerConnection::new(config)?.into()))
    }

    fn new(conn: Connection) -> Session {
        Session {
            handshaking: conn.is_handshaking(),
            conn,
            inbound: Scanner::default(),
            outbound: Scanner::default(),
            close_sent: false,
            close_seen: false,
        }
    }

    /// The rustls connection, for what was negotiated.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Give up the session for its secrets (kernel TLS).
    pub fn into_conn(self) -> Connection {
        self.conn
    }

    /// Feed bytes read from the socket; returns how many were taken. Fewer than
    /// offered (perhaps none) means decrypted plaintext is waiting: read it
    /// ([`read_plain`](Self::read_plain)), then feed the rest. After the peer's
    /// `close_notify` everything is taken and ignored. An error is fatal: send the
    /// alert rustls queued ([`write_records`](Self::write_records)), then close.
    pub fn feed(&mut self, data: &[u8]) -> Result<usize, rustls::Error> {
        let mut taken = 0;
        while taken < data.len() {
            let mut rest = &data[taken..];
            let n = match self.conn.read_tls(&mut rest) {
                Ok(0) => {
                    // Only after close_notify: nothing more counts.
                    taken = data.len();
                    break;
                }
                Ok(n) => n,
                // The plaintext buffer is full: the caller must read it first.
                Err(_) if self.has_plain() => break,
                // A handshake message beyond rustls's 64 KiB limit.
                Err(e) => return Err(rustls::Error::General(crate::os_error::describe(&e))),
            };
            if trace::enabled() {
                self.show(Direction::In, &data[taken..taken + n]);
            }
            taken += n;
            let state = self.conn.process_new_packets()?;
            if state.peer_has_closed() && !self.close_seen {
                self.close_seen = true;
                trace::step("tls", || {
                    "<- close_notify: the peer will send nothing more".into()
                });
            }
            if state.plaintext_bytes_to_read() > 0 {
                break;
            }
        }
        Ok(taken)
    }

    /// The socket reached end of stream.
    pub fn feed_eof(&mut self) {
        let _ = self.conn.read_tls(&mut io::empty());
    }

    /// Hand every decrypted chunk waiting to `each`.
    pub fn read_plain(&mut self, mut each: impl FnMut(&[u8])) -> Plain {
        let mut got = false;
        loop {
            let mut reader = self.conn.reader();
            match reader.fill_buf() {
                Ok([]) => return if got { Plain::Data } else { Plain::Closed },
                Ok(chunk) => {
                    let n = chunk.len();
                    each(chunk);
                    reader.consume(n);
                    got = true;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    return if got { Plain::Data } else { Plain::Empty };
                }
                Err(_) => return if got { Plain::Data } else { Plain::Truncated },
            }
        }
    }

    /// Copy waiting plaintext into `buf` (at most its length).
    pub fn read_plain_into(&mut self, buf: &mut [u8]) -> (usize, Plain) {
        match io::Read::read(&mut self.conn.reader(), buf) {
            Ok(0) if !buf.is_empty() => (0, Plain::Closed),
            Ok(n) => (n, Plain::Data),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => (0, Plain::Empty),
            Err(_) => (0, Plain::Truncated),
        }
    }

    /// Decrypted bytes are waiting to be read.
    pub fn has_plain(&mut self) -> bool {
        self.conn
            .reader()
            .fill_buf()
            .is_ok_and(|chunk| !chunk.is_empty())
    }

    /// Encrypt as much of `data` as rustls takes now (its 64 KiB record buffer
    /// permitting); before the handshake is done it is held back in rustls.
    pub fn write_plain(&mut self, data: &[u8]) -> usize {
        io::Write::write(&mut self.conn.writer(), data).unwrap_or(0)
    }

    /// Records are waiting to go out.
    pub fn wants_write(&self) -> bool {
        self.conn.wants_write()
    }

    /// Write the waiting records to `wr` (a socket, or an outbox's buffer); returns
    /// the bytes written. `WouldBlock` from a socket leaves the rest waiting.
    pub fn write_records(&mut self, wr: &mut dyn io::Write) -> io::Result<usize> {
        let mut total = 0;
        while self.conn.wants_write() {
            let n = if trace::enabled() {
                let mut seen = Vec::new();
                let n = self.conn.write_tls(&mut Tee {
                    inner: wr,
                    seen: &mut seen,
                })?;
                self.show(Direction::Out, &seen);
                n
            } else {
                self.conn.write_tls(wr)?
            };
            if n == 0 {
                break;
            }
            total += n;
        }
        Ok(total)
    }

    /// All waiting records, as one buffer.
    pub fn take_records(&mut self) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing to a Vec cannot fail.
        let _ = self.write_records(&mut v);
        v
    }

    /// The handshake is still going.
    pub fn is_handshaking(&self) -> bool {
        self.conn.is_handshaking()
    }

    /// True exactly once: the first time it is asked after the handshake finished.
    pub fn handshake_finished(&mut self) -> bool {
        if self.handshaking && !self.conn.is_handshaking() {
            self.handshaking = false;
            trace::step("tls", || {
                format!(
                    "handshake done: {}",
                    super::report::summary_line(&self.conn)
                )
            });
            return true;
        }
        false
    }

    /// Queue `close_notify` (our half-close), once.
    pub fn close(&mut self) {
        if !self.close_sent {
            self.close_sent = true;
            self.conn.send_close_notify();
            trace::step("tls", || {
                "-> close_notify: we will send nothing more".into()
            });
        }
    }

    /// `close_notify` has been queued.
    pub fn close_sent(&self) -> bool {
        self.close_sent
    }

    /// The peer's `close_notify` has arrived.
    pub fn close_seen(&self) -> bool {
        self.close_seen
    }

    /// Everything fed so far ends at a record boundary (kernel TLS may take over).
    pub fn fed_to_boundary(&self) -> bool {
        self.inbound.at_boundary()
    }

    fn show(&mut self, dir: Direction, bytes: &[u8]) {
        let scanner = match dir {
            Direction::In => &mut self.inbound,
            Direction::Out => &mut self.outbound,
        };
        let mut seen: Vec<Record> = Vec::new();
        scanner.scan(bytes, |r| seen.push(r));
        if seen.is_empty() {
            return;
        }
        let arrow = match dir {
            Direction::In => "<-",
            Direction::Out => "->",
        };
        let hidden = if self.conn.is_handshaking() && seen.iter().any(|r| r.content_type == 23) {
            " (the handshake, encrypted)"
        } else {
            ""
        };
        trace::step("tls", || {
            format!(
                "{arrow} {}{hidden}, {} bytes",
                summarize(&seen),
                bytes.len()
            )
        });
    }
}

#[derive(Clone, Copy)]
enum Direction {
    In,
    Out,
}

/// A writer that keeps a copy of what went through (for `--explain`).
struct Tee<'a> {
    inner: &'a mut dyn io::Write,
    seen: &'a mut Vec<u8>,
}

impl io::Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.seen.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The record layer of a fresh server session on arbitrary bytes: feed them in the
/// chunk sizes the first byte picks, read whatever decrypts, take whatever would be
/// sent. Must never panic, hang or grow without bound — the fuzzing entry point.
pub fn fuzz_server(data: &[u8]) {
    let Ok(s) = Session::server(fuzz_configs().0.clone()) else {
        return;
    };
    fuzz_feed(s, data);
}

/// [`fuzz_server`] for a client session that has sent its ClientHello: the bytes
/// play a hostile server.
pub fn fuzz_client(data: &[u8]) {
    let name = ServerName::try_from("localhost").expect("a valid name");
    let Ok(mut s) = Session::client(fuzz_configs().1.clone(), name) else {
        return;
    };
    let _ = s.take_records();
    fuzz_feed(s, data);
}

fn fuzz_feed(mut s: Session, data: &[u8]) {
    let chunk = data.first().map_or(1, |b| usize::from(*b % 64) + 1);
    for piece in data.get(1..).unwrap_or_default().chunks(chunk) {
        let mut rest = piece;
        while !rest.is_empty() {
            match s.feed(rest) {
                Ok(n) => rest = &rest[n..],
                Err(_) => {
                    let _ = s.take_records();
                    return;
                }
            }
            s.read_plain(|_| {});
        }
        let _ = s.take_records();
    }
    s.feed_eof();
    s.read_plain(|_| {});
}

/// Configs for the fuzz entry points, made once (key generation is slow).
fn fuzz_configs() -> &'static (Arc<ServerConfig>, Arc<ClientConfig>) {
    static CONFIGS: std::sync::OnceLock<(Arc<ServerConfig>, Arc<ClientConfig>)> =
        std::sync::OnceLock::new();
    CONFIGS.get_or_init(|| {
        let id = super::selfsigned::generate(&["localhost".into()]).expect("a certificate");
        let server = super::config::ServerTls::from_identity(id, &super::ServerTlsOpts::default())
            .expect("a server config");
        let client = super::config::client_config(&super::ClientTlsOpts {
            insecure: true,
            ..Default::default()
        })
        .expect("a client config");
        (server.config, client.config)
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A client and a server session talking through memory.
    pub(crate) fn pair() -> (Session, Session) {
        let (server, client) = fuzz_configs();
        let name = ServerName::try_from("localhost").unwrap();
        (
            Session::client(client.clone(), name).unwrap(),
            Session::server(server.clone()).unwrap(),
        )
    }

    /// Move records both ways until neither side has any to send.
    pub(crate) fn exchange(a: &mut Session, b: &mut Session) {
        for _ in 0..20 {
            let ab = a.take_records();
            let ba = b.take_records();
            if ab.is_empty() && ba.is_empty() {
                return;
            }
            assert_eq!(b.feed(&ab).unwrap(), ab.len());
            assert_eq!(a.feed(&ba).unwrap(), ba.len());
        }
    }

    #[test]
    fn handshake_then_data_both_ways_then_close_notify() {
        let (mut c, mut s) = pair();
        assert!(c.is_handshaking() && s.is_handshaking());
        exchange(&mut c, &mut s);
        assert!(c.handshake_finished() && s.handshake_finished());
        assert!(!c.handshake_finished(), "reported once");
        assert_eq!(c.write_plain(b"ping"), 4);
        exchange(&mut c, &mut s);
        let mut got = Vec::new();
        assert_eq!(s.read_plain(|b| got.extend_from_slice(b)), Plain::Data);
        assert_eq!(got, b"ping");
        assert_eq!(s.read_plain(|_| {}), Plain::Empty);
        c.close();
        exchange(&mut c, &mut s);
        assert!(s.close_seen());
        assert_eq!(s.read_plain(|_| {}), Plain::Closed);
        // Half-closed: the server may still answer.
        s.write_plain(b"pong");
        exchange(&mut c, &mut s);
        let mut buf = [0u8; 8];
        assert_eq!(c.read_plain_into(&mut buf), (4, Plain::Data));
        assert_eq!(&buf[..4], b"pong");
    }

    #[test]
    fn eof_without_close_notify_is_truncation() {
        let (mut c, mut s) = pair();
        exchange(&mut c, &mut s);
        s.feed_eof();
        assert_eq!(s.read_plain(|_| {}), Plain::Truncated);
    }

    #[test]
    fn plaintext_is_fed_in_bounded_steps() {
        let (mut c, mut s) = pair();
        exchange(&mut c, &mut s);
        let data = vec![7u8; 200_000];
        let mut sent = 0;
        let mut wire = Vec::new();
        while sent < data.len() {
            sent += c.write_plain(&data[sent..]);
            wire.extend(c.take_records());
        }
        let mut got = 0usize;
        let mut rest = &wire[..];
        while !rest.is_empty() {
            let n = s.feed(rest).unwrap();
            rest = &rest[n..];
            s.read_plain(|b| got += b.len());
        }
        assert_eq!(got, data.len());
        assert!(s.fed_to_boundary());
    }

    #[test]
    fn garbage_before_client_hello_is_an_error_with_an_alert() {
        let (_, mut s) = pair();
        let err = s.feed(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap_err();
        assert!(matches!(err, rustls::Error::InvalidMessage(_)), "{err:?}");
        let alert = s.take_records();
        assert_eq!(alert.first(), Some(&21), "an alert record goes back");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn hostile_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            fuzz_server(&data);
            fuzz_client(&data);
        }

        #[test]
        fn a_real_client_hello_with_noise_never_panics(cut in 0usize..600, noise in proptest::collection::vec(any::<u8>(), 0..64)) {
            let (mut c, _) = pair();
            let mut hello = c.take_records();
            hello.truncate(cut.min(hello.len()));
            hello.extend(noise);
            let mut input = vec![7u8];
            input.extend(hello);
            fuzz_server(&input);
        }
    }
}

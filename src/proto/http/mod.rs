//! A static file server as a sans-IO service: bytes in, an outbox of response heads
//! and file ranges out (the engines send file bodies with `sendfile(2)`, so a file is
//! never read into memory).
//!
//! One [`HttpConn`] per connection holds the input buffer and the pipelining state.
//! Requests are answered in order; while responses are still queued beyond a small
//! window ([`PIPELINE_RESPONSES`], [`PIPELINE_BYTES`]), further pipelined requests
//! wait in the buffer until the engine reports the outbox flushed (`on_flushed`), so
//! a client cannot make us open hundreds of files at once. The input buffer itself is
//! capped ([`MAX_BUFFERED`]).
//!
//! The header timeout is a deadline independent of traffic: it starts when the
//! server begins waiting for a request (connection open, or the previous response
//! fully sent) and closes the connection if a whole head has not arrived by then —
//! a client sending one byte per second (slowloris) cannot hold a connection. It
//! doubles as the keep-alive timeout.

pub mod cache;
pub mod fs;
pub mod handler;
pub mod listing;
#[cfg(test)]
mod proptests;
pub mod request;
pub mod response;

use std::sync::Arc;
use std::time::{Duration, Instant};

use colored::Color;
use serde_json::json;

use crate::engine::service::{ConnInfo, Outbox, Service, ServiceFactory, Verdict};
use crate::output::{Level, Output, paint_stderr};
use request::{Parsed, Request};

/// At most this many responses queued before pipelined requests wait for a flush.
pub const PIPELINE_RESPONSES: usize = 16;
/// At most this many queued bytes before pipelined requests wait for a flush.
pub const PIPELINE_BYTES: u64 = 64 * 1024;
/// Largest request body (by `Content-Length`) skipped to keep the connection open;
/// a larger or chunked one closes it after the response.
pub const MAX_SKIPPED_BODY: u64 = 64 * 1024;
/// The pipelining window while the connection is open.
const WINDOW: (usize, u64) = (PIPELINE_RESPONSES, PIPELINE_BYTES);
/// The window for requests still buffered when the client half-closes.
const EOF_WINDOW: (usize, u64) = (4 * PIPELINE_RESPONSES, 16 * PIPELINE_BYTES);
/// Most unanswered input a connection may buffer; beyond it, it is closed.
pub const MAX_BUFFERED: usize = 256 * 1024;

/// The server's settings (from the command line).
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// File served for a directory when present (`--index`, default `index.html`).
    pub index: Option<String>,
    /// Render listings for directories without an index (off: 403).
    pub listing: bool,
    /// A request head must be complete this long after the server starts waiting.
    pub header_timeout: Duration,
    /// One access-log line per request.
    pub access_log: bool,
    /// Remember resolutions and listings between requests (`cache.rs`).
    pub cache: bool,
}

/// What every connection shares.
#[derive(Debug)]
pub struct Shared {
    pub root: fs::Root,
    pub opts: HttpOptions,
    pub cache: cache::FsCache,
    pub out: Output,
}

impl Shared {
    /// What `path` names, through the cache (`refreshed`: see [`HttpConn`]).
    fn lookup(&self, path: &fs::CleanPath, refreshed: bool) -> cache::Outcome {
        if refreshed {
            self.cache.resolve_refreshed(&self.root, path)
        } else {
            self.cache.resolve(&self.root, path)
        }
    }
}

/// Makes one [`HttpConn`] per connection.
#[derive(Debug, Clone)]
pub struct HttpFactory {
    shared: Arc<Shared>,
}

impl HttpFactory {
    pub fn new(root: fs::Root, opts: HttpOptions, out: Output) -> HttpFactory {
        HttpFactory {
            shared: Arc::new(Shared {
                cache: cache::FsCache::new(opts.cache, cache::MAX_ENTRIES),
                root,
                opts,
                out,
            }),
        }
    }
}

impl ServiceFactory for HttpFactory {
    type Service = HttpConn;

    fn open(&self, info: &ConnInfo) -> HttpConn {
        HttpConn {
            sh: Arc::clone(&self.shared),
            peer: info.peer.to_string(),
            buf: Vec::new(),
            in_window: 0,
            deadline: Some(Instant::now() + self.shared.opts.header_timeout),
            closing: false,
            skip: 0,
            partial: false,
            new_line: false,
            kept: false,
            refreshed: false,
        }
    }

    fn refusal(&self) -> Option<&[u8]> {
        Some(response::REFUSAL)
    }

    fn batches(&self) -> bool {
        self.shared.cache.is_enabled()
    }

    fn before_answers(&self) {
        self.shared.cache.refresh();
    }

    fn adapt(&self, caps: &crate::engine::Capabilities) {
        if !caps.shared_memory {
            self.shared.cache.disable();
        }
    }
}

/// One HTTP connection's state.
#[derive(Debug)]
pub struct HttpConn {
    sh: Arc<Shared>,
    peer: String,
    /// Bytes received and not yet parsed.
    buf: Vec<u8>,
    /// Responses queued since the outbox was last empty.
    in_window: usize,
    /// When the request being waited for must be complete (None while sending).
    deadline: Option<Instant>,
    /// A response with `Connection: close` is queued; nothing more is read.
    closing: bool,
    /// Bytes of a request body still to discard.
    skip: u64,
    /// The buffer ends in an incomplete request head.
    partial: bool,
    /// A newline arrived since the buffer was last parsed.
    new_line: bool,
    /// Bytes were kept by `on_data_batched` for `on_turn_end`.
    kept: bool,
    /// The requests being answered were read before the cache's latest refresh.
    refreshed: bool,
}

impl HttpConn {
    /// Answer every complete request in the buffer that the window allows. Consumed
    /// bytes are removed once per call, not once per request (no quadratic copying
    /// of a long pipelined buffer).
    fn pump(&mut self, out: &mut Outbox, window: (usize, u64)) -> Verdict {
        let mut pos = 0;
        self.partial = false;
        let v = self.pump_from(&mut pos, out, window);
        self.buf.drain(..pos);
        v
    }

    fn pump_from(
        &mut self,
        pos: &mut usize,
        out: &mut Outbox,
        (max_responses, max_bytes): (usize, u64),
    ) -> Verdict {
        loop {
            if self.closing {
                return Verdict::Close;
            }
            if self.skip > 0 {
                let n = self.skip.min((self.buf.len() - *pos) as u64);
                *pos += n as usize;
                self.skip -= n;
            }
            if *pos == self.buf.len() || self.skip > 0 {
                return Verdict::Keep;
            }
            if self.in_window >= max_responses || out.queued_bytes() >= max_bytes {
                return Verdict::Keep;
            }
            // The clock is read only for the access log.
            let started = self.sh.opts.access_log.then(Instant::now);
            match request::parse(&self.buf[*pos..]) {
                Ok(Parsed::Partial) => {
                    self.partial = true;
                    if self.buf.len() - *pos > MAX_BUFFERED {
                        self.closing = true;
                        return Verdict::Close;
                    }
                    return Verdict::Keep;
                }
                Err(rej) => {
                    let (bytes, len) =
                        response::error_response(rej.status, response::Persist::Close, true, &[]);
                    out.push_vec(bytes);
                    self.log_line("-", b"-", rej.status, len, started);
                    self.closing = true;
                }
                Ok(Parsed::Complete(req)) => {
                    *pos += req.head_len;
                    self.answer(&req, out, started);
                }
            }
        }
    }

    fn answer(&mut self, req: &Request, out: &mut Outbox, started: Option<Instant>) {
        // A request body is never used. One of known, modest length is skipped so the
        // connection can go on; otherwise closing keeps the framing honest.
        let skippable = !req.chunked && req.content_length <= MAX_SKIPPED_BODY;
        let keep = req.keep_alive && (!req.has_body || skippable);
        if keep {
            self.skip = req.content_length;
        }
        let a = handler::respond(&self.sh, req, keep, self.refreshed, out);
        self.in_window += 1;
        self.deadline = None;
        self.log_line(&req.method_name, &req.target, a.status, a.body, started);
        if !keep {
            self.closing = true;
        }
    }

    fn log_line(
        &self,
        method: &str,
        target: &[u8],
        status: u16,
        bytes: u64,
        started: Option<Instant>,
    ) {
        let Some(started) = started else {
            return;
        };
        let path = escape_log(target);
        let micros = started.elapsed().as_micros() as u64;
        self.sh.out.event(
            Level::Info,
            "request",
            json!({"client": self.peer, "method": method, "path": path, "status": status, "bytes": bytes, "time_us": micros}),
            || {
                let color = match status {
                    200..=299 => Color::Green,
                    300..=399 => Color::Cyan,
                    400..=499 => Color::Yellow,
                    _ => Color::Red,
                };
                let status = paint_stderr(&status.to_string(), color);
                format!(
                    "{} {} {path} {status} {bytes} {:.1}ms",
                    self.peer,
                    escape_log(method.as_bytes()),
                    micros as f64 / 1000.0
                )
            },
        );
    }

    /// Start the header clock if nothing is being sent (we are waiting for the client).
    fn arm_deadline(&mut self, out: &Outbox) {
        if out.is_empty() && self.deadline.is_none() {
            self.deadline = Some(Instant::now() + self.sh.opts.header_timeout);
        }
    }
}

/// A request path for the log: printable ASCII kept, everything else (controls such
/// as ESC or newline, non-ASCII, backslash) as `\xNN`, so no terminal control byte
/// reaches the log.
pub fn escape_log(raw: &[u8]) -> String {
    let mut s = String::with_capacity(raw.len());
    for &b in raw {
        if (0x21..0x7f).contains(&b) && b != b'\\' && b != b'"' {
            s.push(b as char);
        } else {
            s.push_str(&format!("\\x{b:02x}"));
        }
    }
    s
}

impl HttpConn {
    /// Buffer arriving bytes; `false` if the connection is closing and takes none.
    fn take(&mut self, data: &[u8]) -> bool {
        if self.closing {
            return false;
        }
        self.buf.extend_from_slice(data);
        // Only an incomplete head waits for a newline (see answer_buffered).
        if self.partial {
            self.new_line |= data.contains(&b'\n');
        }
        true
    }

    /// Answer what the buffer holds. `refreshed`: it was all read before the cache's
    /// latest refresh (the batching turn's end), so lookups need not read the queue.
    fn answer_buffered(&mut self, out: &mut Outbox, refreshed: bool) -> Verdict {
        // A head can only complete with a newline: while an incomplete head is below
        // every limit, bytes without one need no re-parse (a client trickling single
        // bytes costs us a copy each, not a parse of the whole head each).
        let new_line = std::mem::take(&mut self.new_line);
        if self.partial && !new_line && self.buf.len() <= request::MAX_REQUEST_LINE {
            return Verdict::Keep;
        }
        self.refreshed = refreshed;
        let v = self.pump(out, WINDOW);
        self.refreshed = false;
        if v == Verdict::Keep && self.buf.len() > MAX_BUFFERED {
            self.closing = true;
            return Verdict::Close;
        }
        self.arm_deadline(out);
        v
    }
}

impl Service for HttpConn {
    fn on_data(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        if !self.take(data) {
            return Verdict::Close;
        }
        self.answer_buffered(out, false)
    }

    fn on_data_batched(&mut self, data: &[u8], _out: &mut Outbox) -> Verdict {
        if !self.take(data) {
            return Verdict::Close;
        }
        if self.buf.len() > MAX_BUFFERED {
            self.closing = true;
            return Verdict::Close;
        }
        self.kept = true;
        Verdict::Keep
    }

    fn on_turn_end(&mut self, out: &mut Outbox) -> Verdict {
        if !std::mem::take(&mut self.kept) {
            return Verdict::Keep;
        }
        self.answer_buffered(out, true)
    }

    fn on_flushed(&mut self, out: &mut Outbox) -> Verdict {
        self.in_window = 0;
        let v = self.pump(out, WINDOW);
        self.arm_deadline(out);
        v
    }

    fn on_eof(&mut self, out: &mut Outbox) -> Verdict {
        // The client half-closed after its requests: answer them, then close. The
        // engine calls nothing after this, so the window is wider here, but still
        // bounded (open files, listing copies); requests beyond it go unanswered.
        if !self.closing {
            self.pump(out, EOF_WINDOW);
        }
        Verdict::Close
    }

    fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::service::OutItem;
    use crate::output::Verbosity;

    fn conn(dir: &std::path::Path) -> HttpConn {
        let root = fs::Root::new(dir, false, false).unwrap();
        let f = HttpFactory::new(
            root,
            HttpOptions {
                index: Some("index.html".into()),
                listing: true,
                header_timeout: Duration::from_secs(5),
                access_log: false,
                cache: true,
            },
            Output::new(false, Verbosity::Quiet),
        );
        f.open(&ConnInfo::loopback(1))
    }

    fn text(out: &Outbox) -> String {
        match out.front() {
            Some(OutItem::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pipelined_requests_wait_for_the_window() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), "x").unwrap();
        let mut c = conn(d.path());
        let mut out = Outbox::default();
        let one = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";
        let many = one.repeat(PIPELINE_RESPONSES + 4);
        assert_eq!(c.on_data(many.as_bytes(), &mut out), Verdict::Keep);
        assert_eq!(c.in_window, PIPELINE_RESPONSES);
        assert!(c.deadline().is_none(), "sending: no header clock");
        out.clear();
        assert_eq!(c.on_flushed(&mut out), Verdict::Keep);
        assert_eq!(c.in_window, 4);
        out.clear();
        assert_eq!(c.on_flushed(&mut out), Verdict::Keep);
        assert!(out.is_empty() && c.deadline().is_some());
    }

    #[test]
    fn half_close_after_a_flood_is_bounded() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), "x").unwrap();
        let mut c = conn(d.path());
        let mut out = Outbox::default();
        let flood = "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".repeat(1000);
        c.on_data(flood.as_bytes(), &mut out);
        out.clear();
        c.in_window = 0;
        assert_eq!(c.on_eof(&mut out), Verdict::Close);
        assert_eq!(c.in_window, EOF_WINDOW.0);
    }

    #[test]
    fn a_small_body_is_skipped_and_the_connection_kept() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a"), "x").unwrap();
        let mut c = conn(d.path());
        let mut out = Outbox::default();
        let v = c.on_data(
            b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234",
            &mut out,
        );
        assert_eq!(v, Verdict::Keep);
        assert!(text(&out).starts_with("HTTP/1.1 405 "));
        out.clear();
        c.on_flushed(&mut out);
        let v = c.on_data(b"56789GET /a HTTP/1.1\r\nHost: x\r\n\r\n", &mut out);
        assert_eq!(v, Verdict::Keep);
        assert!(text(&out).starts_with("HTTP/1.1 200 "), "{}", text(&out));
        let mut out = Outbox::default();
        let big = format!(
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            MAX_SKIPPED_BODY + 1
        );
        assert_eq!(c.on_data(big.as_bytes(), &mut out), Verdict::Close);
        assert!(text(&out).contains("Connection: close"));
    }

    #[test]
    fn bad_request_closes() {
        let d = tempfile::tempdir().unwrap();
        let mut c = conn(d.path());
        let mut out = Outbox::default();
        assert_eq!(
            c.on_data(b"GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", &mut out),
            Verdict::Keep
        );
        assert!(text(&out).starts_with("HTTP/1.1 400 "), "{}", text(&out));
        let mut out = Outbox::default();
        assert_eq!(c.on_data(b"GARBAGE\0\r\n\r\n", &mut out), Verdict::Close);
        assert!(text(&out).contains("Connection: close"));
    }

    #[test]
    fn log_escaping_removes_control_bytes() {
        assert_eq!(escape_log(b"/a\x1b[2J\n b"), "/a\\x1b[2J\\x0a\\x20b");
    }
}

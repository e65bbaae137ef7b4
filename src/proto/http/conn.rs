//! One HTTP connection: the input buffer, pipelining, request bodies and the header
//! timeout.
//!
//! Requests are answered in order; while responses are still queued beyond a small
//! window ([`PIPELINE_RESPONSES`], [`PIPELINE_BYTES`]), further pipelined requests
//! wait in the buffer until the engine reports the outbox flushed (`on_flushed`), so
//! a client cannot make us open hundreds of files at once. The input buffer itself is
//! capped ([`MAX_BUFFERED`]).
//!
//! A request body is read as it arrives (`body.rs`), so the request after it is found
//! where it starts: a body we do not want (a GET with content, a refused upload) is
//! discarded up to [`MAX_SKIPPED_BODY`] and the connection goes on; beyond that it
//! closes after the response. An accepted upload streams its body to `upload.rs` and
//! is answered when the body is complete.
//!
//! The header timeout is a deadline independent of traffic: it starts when the
//! server begins waiting for a request head (connection open, or the previous
//! response fully sent) and closes the connection if a whole head has not arrived by
//! then — a client sending one byte per second (slowloris) cannot hold a connection.
//! It doubles as the keep-alive timeout. While a body is read only the idle timeout
//! applies.

use std::sync::Arc;
use std::time::Instant;

use super::Shared;
use super::body::Body;
use super::handler;
use super::log::AccessLog;
use super::request::{self, Framing, Parsed, Request};
use super::response::{self, Persist};
use super::upload::{Done, Refusal, Upload};
use crate::engine::service::{Outbox, Service, Verdict};

/// At most this many responses queued before pipelined requests wait for a flush.
pub const PIPELINE_RESPONSES: usize = 16;
/// At most this many queued bytes before pipelined requests wait for a flush.
pub const PIPELINE_BYTES: u64 = 64 * 1024;
/// Most body bytes of an unwanted request discarded to keep the connection open;
/// a larger body closes it after the response.
pub const MAX_SKIPPED_BODY: u64 = 64 * 1024;
/// The pipelining window while the connection is open.
const WINDOW: (usize, u64) = (PIPELINE_RESPONSES, PIPELINE_BYTES);
/// The window for requests still buffered when the client half-closes.
const EOF_WINDOW: (usize, u64) = (4 * PIPELINE_RESPONSES, 16 * PIPELINE_BYTES);
/// Most unanswered input a connection may buffer; beyond it, it is closed.
pub const MAX_BUFFERED: usize = 256 * 1024;

/// An upload whose body is arriving.
#[derive(Debug)]
struct Receiving {
    upload: Upload,
    body: Body,
    persist: Persist,
    /// Method, target and start, for the access log.
    log: Option<(Vec<u8>, Vec<u8>, Instant)>,
}

/// What the bytes at the front of the buffer are.
#[derive(Debug)]
enum Reading {
    /// A request head.
    Head,
    /// The body of a request already answered, discarded: `budget` more content
    /// bytes at most, then the connection closes.
    Discard { body: Body, budget: u64 },
    /// The body of an upload.
    Upload(Box<Receiving>),
}

/// One HTTP connection's state.
#[derive(Debug)]
pub struct HttpConn {
    sh: Arc<Shared>,
    peer: String,
    /// Bytes received and not yet parsed.
    buf: Vec<u8>,
    reading: Reading,
    /// Responses queued since the outbox was last empty.
    in_window: usize,
    /// When the request being waited for must be complete (None while sending).
    deadline: Option<Instant>,
    /// A response with `Connection: close` is queued; nothing more is read.
    closing: bool,
    /// The buffer ends in an incomplete request head.
    partial: bool,
    /// A newline arrived since the buffer was last parsed.
    new_line: bool,
    /// Bytes were kept by `on_data_batched` for `on_turn_end`.
    kept: bool,
    /// The requests being answered were read before the cache's latest refresh.
    refreshed: bool,
    log: AccessLog,
}

impl HttpConn {
    pub fn new(sh: Arc<Shared>, peer: String, now: Instant) -> HttpConn {
        let deadline = Some(now + sh.opts.header_timeout);
        HttpConn {
            sh,
            peer,
            buf: Vec::new(),
            reading: Reading::Head,
            in_window: 0,
            deadline,
            closing: false,
            partial: false,
            new_line: false,
            kept: false,
            refreshed: false,
            log: AccessLog::default(),
        }
    }

    /// Answer every complete request in the buffer that the window allows. Consumed
    /// bytes are removed once per call, not once per request (no quadratic copying
    /// of a long pipelined buffer).
    fn pump(&mut self, out: &mut Outbox, window: (usize, u64)) -> Verdict {
        let mut pos = 0;
        self.partial = false;
        let buf = std::mem::take(&mut self.buf);
        let v = self.pump_from(&buf, &mut pos, out, window);
        self.buf = buf;
        self.buf.drain(..pos);
        v
    }

    fn pump_from(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        out: &mut Outbox,
        window: (usize, u64),
    ) -> Verdict {
        loop {
            if self.closing {
                return Verdict::Close;
            }
            if !matches!(self.reading, Reading::Head) {
                if *pos == buf.len() {
                    return Verdict::Keep;
                }
                self.read_body(buf, pos, out);
                continue;
            }
            if *pos == buf.len() {
                return Verdict::Keep;
            }
            let (max_responses, max_bytes) = window;
            if self.in_window >= max_responses || out.queued_bytes() >= max_bytes {
                return Verdict::Keep;
            }
            // The clock is read only for the access log.
            let started = self.sh.opts.access_log.then(Instant::now);
            match request::parse(&buf[*pos..]) {
                Ok(Parsed::Partial) => {
                    self.partial = true;
                    if buf.len() - *pos > MAX_BUFFERED {
                        self.closing = true;
                        return Verdict::Close;
                    }
                    return Verdict::Keep;
                }
                Err(rej) => {
                    self.fail(out, rej.status, b"-", b"-", started);
                }
                Ok(Parsed::Complete(req)) => {
                    *pos += req.head_len;
                    self.answer(&req, out, started);
                }
            }
        }
    }

    /// Queue an error page that closes the connection.
    fn fail(
        &mut self,
        out: &mut Outbox,
        status: u16,
        method: &[u8],
        target: &[u8],
        started: Option<Instant>,
    ) {
        let (bytes, len) =
            response::error_response(status, Persist::Close, true, &[], &self.sh.extra);
        out.push_vec(bytes);
        if let Some(t) = started {
            let end = out.pushed_total();
            self.log.push(method, target, status, t, (end - len, end));
        }
        self.closing = true;
    }

    fn answer(&mut self, req: &Request, out: &mut Outbox, started: Option<Instant>) {
        let has_body = !matches!(req.framing, Framing::None | Framing::Length(0));
        let discardable = match req.framing {
            Framing::Length(n) => n <= MAX_SKIPPED_BODY,
            Framing::None | Framing::Chunked => true,
        };
        // After a final answer to `Expect: 100-continue` the client may or may not
        // send the body: only closing keeps the framing certain.
        let keep = req.keep_alive && discardable && !(req.expect_continue && has_body);
        let a = handler::respond(&self.sh, req, keep, self.refreshed, out);
        self.deadline = None;
        let body = match req.framing {
            Framing::Length(n) => Body::Length(n),
            Framing::Chunked => Body::chunked(),
            Framing::None => Body::Length(0),
        };
        if let Some(upload) = a.upload {
            let log = started.map(|t| (req.method_raw.to_vec(), req.target.to_vec(), t));
            self.reading = Reading::Upload(Box::new(Receiving {
                upload: *upload,
                body,
                persist: Persist::new(req.keep_alive, req.minor),
                log,
            }));
            return;
        }
        self.in_window += 1;
        if let Some(t) = started {
            let end = out.pushed_total();
            self.log
                .push(req.method_raw, req.target, a.status, t, (end - a.body, end));
        }
        if !keep {
            self.closing = true;
        } else if has_body {
            self.reading = Reading::Discard {
                body,
                budget: MAX_SKIPPED_BODY,
            };
        }
    }

    /// Consume body bytes at `buf[*pos..]` for the body being read.
    fn read_body(&mut self, buf: &[u8], pos: &mut usize, out: &mut Outbox) {
        let reading = std::mem::replace(&mut self.reading, Reading::Head);
        self.reading = match reading {
            Reading::Head => Reading::Head,
            Reading::Discard {
                mut body,
                mut budget,
            } => {
                let step = match body.step(&buf[*pos..]) {
                    Ok(s) => s,
                    Err(_) => return self.fail(out, 400, b"-", b"-", None),
                };
                *pos += step.consumed;
                let n = (step.data.1 - step.data.0) as u64;
                if n > budget {
                    // Too much to throw away: close once the answer is out.
                    self.closing = true;
                    return;
                }
                budget -= n;
                if step.done {
                    Reading::Head
                } else {
                    Reading::Discard { body, budget }
                }
            }
            Reading::Upload(mut r) => {
                let step = match r.body.step(&buf[*pos..]) {
                    Ok(s) => s,
                    Err(e) => {
                        let bad = Refusal {
                            status: 400,
                            why: format!("The body is malformed: {}.", e.0),
                        };
                        self.upload_answer(out, Persist::Close, r.log.as_ref(), Err(bad));
                        return;
                    }
                };
                let data = &buf[*pos + step.data.0..*pos + step.data.1];
                *pos += step.consumed;
                if let Err(refusal) = r.upload.write(data) {
                    self.upload_answer(out, Persist::Close, r.log.as_ref(), Err(refusal));
                    return;
                }
                if !step.done {
                    Reading::Upload(r)
                } else {
                    let Receiving {
                        upload,
                        persist,
                        log,
                        ..
                    } = *r;
                    let result = upload.finish();
                    let persist = if result.is_ok() {
                        persist
                    } else {
                        Persist::Close
                    };
                    self.upload_answer(out, persist, log.as_ref(), result);
                    Reading::Head
                }
            }
        };
    }

    /// Queue the answer to an upload (the temporary file is gone or in place by now).
    fn upload_answer(
        &mut self,
        out: &mut Outbox,
        persist: Persist,
        log: Option<&(Vec<u8>, Vec<u8>, Instant)>,
        result: Result<Done, Refusal>,
    ) {
        let a = handler::upload_answer(&self.sh, result, persist, out);
        if let Some((m, t, started)) = log {
            let end = out.pushed_total();
            self.log.push(m, t, a.status, *started, (end - a.body, end));
        }
        self.in_window += 1;
        if !persist.keeps_open() {
            self.closing = true;
        }
    }

    /// Start the header clock if nothing is being sent (we are waiting for the
    /// client) and a head is what comes next.
    fn arm_deadline(&mut self, out: &Outbox) {
        if out.is_empty() && self.deadline.is_none() && matches!(self.reading, Reading::Head) {
            self.deadline = Some(Instant::now() + self.sh.opts.header_timeout);
        }
    }

    /// Log the responses whose last byte has gone out.
    fn log_sent(&mut self, out: &Outbox) {
        if self.sh.opts.access_log {
            self.log.flush(&self.sh.out, &self.peer, out, false);
        }
    }

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
        self.log_sent(out);
        if !self.take(data) {
            return Verdict::Close;
        }
        self.answer_buffered(out, false)
    }

    fn on_data_batched(&mut self, data: &[u8], out: &mut Outbox) -> Verdict {
        self.log_sent(out);
        if !self.take(data) {
            return Verdict::Close;
        }
        // A completion driver may deliver several reads in one turn (io_uring: one per
        // received buffer, up to the whole buffer ring), so a turn's bytes can pass the
        // cap: answer them now, as on_data does, instead of holding more (or closing a
        // connection whose head announces an upload, before its body is taken).
        if self.buf.len() > MAX_BUFFERED {
            self.kept = false;
            return self.answer_buffered(out, false);
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
        self.log_sent(out);
        self.in_window = 0;
        let v = self.pump(out, WINDOW);
        self.arm_deadline(out);
        v
    }

    fn on_eof(&mut self, out: &mut Outbox) -> Verdict {
        // The client half-closed after its requests: answer them, then close. The
        // engine calls nothing after this, so the window is wider here, but still
        // bounded (open files, listing copies); requests beyond it go unanswered. A
        // body cut short ends here too (an upload's temporary file is removed).
        if !self.closing && matches!(self.reading, Reading::Head) {
            self.pump(out, EOF_WINDOW);
        }
        self.reading = Reading::Head;
        Verdict::Close
    }

    fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    fn on_close(&mut self, out: &Outbox) {
        if self.sh.opts.access_log {
            self.log.flush(&self.sh.out, &self.peer, out, true);
        }
    }
}

#[cfg(test)]
#[path = "conn_tests.rs"]
mod tests;

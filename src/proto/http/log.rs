//! The access log: one line per request, written when its last byte has gone to the
//! kernel (or when the connection ended before that), with the body bytes really
//! sent and the time from reading the request to that moment — what nginx logs as
//! `$body_bytes_sent` and `$request_time`, not what was promised in `Content-Length`.
//!
//! A response is known by where its body starts and ends in the connection's output
//! stream (the outbox counts every byte queued and sent); the connection asks after
//! every service call which responses are finished. Off (`-q`), nothing is copied
//! and no clock is read.

use std::collections::VecDeque;
use std::time::Instant;

use colored::Color;
use serde_json::json;

use crate::engine::service::Outbox;
use crate::output::{Level, Output, paint_stderr};

/// A request whose response is still being sent.
#[derive(Debug)]
struct Pending {
    method: String,
    path: String,
    status: u16,
    started: Instant,
    /// The body's first and last-plus-one byte in the output stream.
    body: (u64, u64),
}

/// The responses of one connection not yet logged.
#[derive(Debug, Default)]
pub struct AccessLog {
    pending: VecDeque<Pending>,
}

impl AccessLog {
    /// Remember a response whose body occupies `body` in the output stream.
    pub fn push(
        &mut self,
        method: &[u8],
        target: &[u8],
        status: u16,
        started: Instant,
        body: (u64, u64),
    ) {
        self.pending.push_back(Pending {
            method: escape_log(method),
            path: escape_log(target),
            status,
            started,
            body,
        });
    }

    /// Log every response whose last byte has been sent; with `closing`, log the rest
    /// too with what they got.
    pub fn flush(&mut self, out: &Output, peer: &str, outbox: &Outbox, closing: bool) {
        let sent = outbox.sent_total();
        while let Some(p) = self.pending.front() {
            if sent < p.body.1 && !closing {
                break;
            }
            let p = self.pending.pop_front().expect("front exists");
            let bytes = sent.clamp(p.body.0, p.body.1) - p.body.0;
            line(out, peer, &p, bytes);
        }
    }
}

fn line(out: &Output, peer: &str, p: &Pending, bytes: u64) {
    let micros = p.started.elapsed().as_micros() as u64;
    let (method, path, status) = (&p.method, &p.path, p.status);
    out.event(
        Level::Info,
        "request",
        json!({"peer": peer, "method": method, "path": path, "status": status, "bytes_out": bytes, "time_us": micros}),
        || {
            let color = match status {
                200..=299 => Color::Green,
                300..=399 => Color::Cyan,
                400..=499 => Color::Yellow,
                _ => Color::Red,
            };
            let status = paint_stderr(&status.to_string(), color);
            format!(
                "{peer} {method} {path} {status} {bytes} {:.1}ms",
                micros as f64 / 1000.0
            )
        },
    );
}

/// A request path for the log: printable ASCII kept, everything else (controls such
/// as ESC or newline, non-ASCII, backslash, quote) as `\xNN`, so no terminal control
/// byte reaches the log.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_escaping_removes_control_bytes() {
        assert_eq!(escape_log(b"/a\x1b[2J\n b"), "/a\\x1b[2J\\x0a\\x20b");
    }
}

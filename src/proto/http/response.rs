//! Writing response heads, and the header logic that decides a static file's status:
//! conditional requests (`If-None-Match`, `If-Modified-Since` → 304), byte ranges
//! (`Range` → 206 / 416) and the validators they rest on (`ETag`, `Last-Modified`).
//!
//! Multi-range requests (`bytes=0-1,5-6`) are answered 200 with the whole file, which
//! RFC 9110 §14.2 allows; it spares the multipart machinery and is the defence nginx
//! added after CVE-2017-7529 (many overlapping ranges amplifying one request).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The reason phrase for the statuses this server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Last second HTTP dates can express (9999-12-31T23:59:59Z).
const MAX_HTTP_DATE: u64 = 253_402_300_799;

/// `t` clamped into what an HTTP date can say (1970 … 9999): a file dated 1969 or
/// 10000 must not crash the formatter (darkhttpd CVE-2020-25691's class).
pub fn clamp_time(t: SystemTime) -> SystemTime {
    match t.duration_since(UNIX_EPOCH) {
        Err(_) => UNIX_EPOCH,
        Ok(d) if d.as_secs() > MAX_HTTP_DATE => UNIX_EPOCH + Duration::from_secs(MAX_HTTP_DATE),
        Ok(d) => UNIX_EPOCH + Duration::from_secs(d.as_secs()),
    }
}

/// IMF-fixdate of `t` (`Sun, 06 Nov 1994 08:49:37 GMT`), safe for any `t`.
pub fn http_date(t: SystemTime) -> String {
    httpdate::fmt_http_date(clamp_time(t))
}

/// A file's modification time (clamped), whatever the filesystem says.
pub fn mtime_of(meta: &std::fs::Metadata) -> SystemTime {
    let secs = meta.mtime();
    if secs < 0 {
        UNIX_EPOCH
    } else {
        clamp_time(UNIX_EPOCH + Duration::from_secs(secs as u64))
    }
}

thread_local! {
    static DATE: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// Append the `Date` header value, formatted at most once per second per thread.
pub fn push_now_date(buf: &mut String) {
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DATE.with(|c| {
        let mut c = c.borrow_mut();
        if c.0 != secs {
            *c = (secs, http_date(now));
        }
        buf.push_str(&c.1);
    })
}

/// A strong validator from inode, size and modification time (with nanoseconds).
pub fn etag(meta: &std::fs::Metadata) -> String {
    format!(
        "\"{:x}-{:x}-{:x}.{:x}\"",
        meta.ino(),
        meta.size(),
        meta.mtime(),
        meta.mtime_nsec()
    )
}

/// Whether a conditional GET is answered 304 (RFC 9110 §13.2.2: `If-None-Match`
/// wins over `If-Modified-Since`; weak comparison; `*` matches any).
pub fn not_modified(
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
    etag: &str,
    mtime: SystemTime,
) -> bool {
    if let Some(inm) = if_none_match {
        let ours = etag.trim_start_matches("W/");
        return inm
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == ours);
    }
    if let Some(ims) = if_modified_since {
        if let Ok(since) = httpdate::parse_http_date(ims) {
            return mtime <= since;
        }
    }
    false
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeAnswer {
    /// No usable single range: send the whole file with 200.
    Full,
    /// Send bytes `start..=end` with 206.
    Partial { start: u64, end: u64 },
    /// 416 with `Content-Range: bytes */size`.
    Unsatisfiable,
}

/// Digits as a saturating u64 (`-9223372036854775808` must not overflow anything).
fn digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(s.bytes().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// Interpret `Range: bytes=…` for a file of `size` bytes. Malformed headers are
/// ignored (200), as RFC 9110 §14.2 says; several ranges give 200 (module doc).
pub fn range(header: &str, size: u64) -> RangeAnswer {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return RangeAnswer::Full;
    };
    if spec.contains(',') {
        return RangeAnswer::Full;
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return RangeAnswer::Full;
    };
    let (a, b) = (a.trim(), b.trim());
    if a.is_empty() {
        // Suffix: the last N bytes.
        let Some(n) = digits(b) else {
            return RangeAnswer::Full;
        };
        if n == 0 || size == 0 {
            return RangeAnswer::Unsatisfiable;
        }
        return RangeAnswer::Partial {
            start: size - n.min(size),
            end: size - 1,
        };
    }
    let Some(start) = digits(a) else {
        return RangeAnswer::Full;
    };
    let end = if b.is_empty() {
        u64::MAX
    } else {
        match digits(b) {
            Some(e) if e >= start => e,
            _ => return RangeAnswer::Full,
        }
    };
    if start >= size {
        return RangeAnswer::Unsatisfiable;
    }
    RangeAnswer::Partial {
        start,
        end: end.min(size - 1),
    }
}

/// Whether `If-Range` allows the range (it must name the current validator exactly).
pub fn if_range_holds(if_range: Option<&str>, etag: &str, last_modified: &str) -> bool {
    match if_range {
        None => true,
        Some(v) => v == etag || v == last_modified,
    }
}

/// What a response says about the connection after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persist {
    /// `Connection: close`, and the server closes.
    Close,
    /// The connection stays open. HTTP/1.1 says so by default; an HTTP/1.0 client
    /// that asked for keep-alive must be told `Connection: keep-alive`.
    KeepAlive { http10: bool },
}

impl Persist {
    /// For a request of HTTP/1.`minor` whose connection does (`keep`) or does not stay open.
    pub fn new(keep: bool, minor: u8) -> Persist {
        if keep {
            Persist::KeepAlive { http10: minor == 0 }
        } else {
            Persist::Close
        }
    }

    pub fn keeps_open(self) -> bool {
        self != Persist::Close
    }
}

/// Builds a response head.
pub struct Head {
    buf: String,
}

impl Head {
    pub fn new(status: u16) -> Head {
        let mut buf = String::with_capacity(256);
        buf.push_str("HTTP/1.1 ");
        let _ = write!(buf, "{status}");
        buf.push(' ');
        buf.push_str(reason(status));
        buf.push_str("\r\nServer: nettool\r\nDate: ");
        push_now_date(&mut buf);
        buf.push_str("\r\n");
        Head { buf }
    }

    /// A header whose value is text (no formatting machinery on the hot path).
    pub fn text(mut self, name: &str, value: &str) -> Head {
        self.buf.push_str(name);
        self.buf.push_str(": ");
        self.buf.push_str(value);
        self.buf.push_str("\r\n");
        self
    }

    pub fn header(mut self, name: &str, value: impl std::fmt::Display) -> Head {
        let _ = write!(self.buf, "{name}: {value}\r\n");
        self
    }

    /// End the head with the `Connection` header `persist` needs (none for HTTP/1.1
    /// keep-alive, the default).
    pub fn finish(mut self, persist: Persist) -> Vec<u8> {
        self.buf.push_str(match persist {
            Persist::Close => "Connection: close\r\n\r\n",
            Persist::KeepAlive { http10: true } => "Connection: keep-alive\r\n\r\n",
            Persist::KeepAlive { http10: false } => "\r\n",
        });
        self.buf.into_bytes()
    }
}

/// A small text/plain response for an error status (`body` false for HEAD), and
/// the length of the body it carries.
pub fn error_response(
    status: u16,
    persist: Persist,
    body: bool,
    extra: &[(&str, &str)],
) -> (Vec<u8>, u64) {
    let text = format!("{status} {}\n", reason(status));
    let mut h = Head::new(status)
        .header("Content-Type", "text/plain; charset=utf-8")
        .header("Content-Length", text.len());
    for (n, v) in extra {
        h = h.header(n, v);
    }
    let mut out = h.finish(persist);
    if !body {
        return (out, 0);
    }
    out.extend_from_slice(text.as_bytes());
    (out, text.len() as u64)
}

/// The answer to a connection over `--max-connections`.
pub const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nServer: nettool\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\nRetry-After: 1\r\n\
Connection: close\r\n\r\n503 Service Unavailable\n";

/// The Content-Type for a file name: from the extension; text types say UTF-8.
pub fn content_type(name: &std::path::Path) -> String {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let essence = mime.essence_str();
    let texty = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            essence,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        );
    if texty && mime.get_param("charset").is_none() {
        format!("{essence}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use RangeAnswer::*;
        assert_eq!(range("bytes=0-3", 10), Partial { start: 0, end: 3 });
        assert_eq!(range("bytes=5-", 10), Partial { start: 5, end: 9 });
        assert_eq!(range("bytes=-3", 10), Partial { start: 7, end: 9 });
        assert_eq!(range("bytes=-30", 10), Partial { start: 0, end: 9 });
        assert_eq!(range("bytes=8-100", 10), Partial { start: 8, end: 9 });
        assert_eq!(range("bytes=10-", 10), Unsatisfiable);
        assert_eq!(range("bytes=-0", 10), Unsatisfiable);
        assert_eq!(range("bytes=0-0", 0), Unsatisfiable);
        assert_eq!(range("bytes=0-1,3-4", 10), Full);
        assert_eq!(range("bytes=5-2", 10), Full);
        assert_eq!(range("items=0-1", 10), Full);
        assert_eq!(
            range("bytes=-9223372036854775808", 10),
            Partial { start: 0, end: 9 }
        );
        assert_eq!(range("bytes=99999999999999999999999-", 10), Unsatisfiable);
        let big = 5u64 << 30;
        assert_eq!(
            range("bytes=4294967297-4294967297", big),
            Partial {
                start: (1 << 32) + 1,
                end: (1 << 32) + 1
            }
        );
    }

    #[test]
    fn dates_outside_1970_9999_are_clamped() {
        let before = UNIX_EPOCH - Duration::from_secs(86400 * 365);
        assert_eq!(http_date(before), "Thu, 01 Jan 1970 00:00:00 GMT");
        let after = UNIX_EPOCH + Duration::from_secs(MAX_HTTP_DATE + 86400 * 400);
        assert_eq!(http_date(after), "Fri, 31 Dec 9999 23:59:59 GMT");
    }

    #[test]
    fn conditionals() {
        let t = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let lm = http_date(t);
        assert!(not_modified(Some("\"x\", \"e\""), None, "\"e\"", t));
        assert!(not_modified(Some("W/\"e\""), None, "\"e\"", t));
        assert!(not_modified(Some("*"), None, "\"e\"", t));
        assert!(!not_modified(Some("\"x\""), Some(&lm), "\"e\"", t));
        assert!(not_modified(None, Some(&lm), "\"e\"", t));
        assert!(!not_modified(None, Some("garbage"), "\"e\"", t));
        assert!(!not_modified(
            None,
            Some(&http_date(t - Duration::from_secs(5))),
            "\"e\"",
            t
        ));
    }

    #[test]
    fn text_types_carry_a_charset() {
        use std::path::Path;
        assert_eq!(
            content_type(Path::new("a.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("a.txt")),
            "text/plain; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("a.png")), "image/png");
        assert_eq!(content_type(Path::new("a")), "application/octet-stream");
    }

    #[test]
    fn connection_header_only_where_needed() {
        let head = |p| String::from_utf8(Head::new(200).finish(p)).unwrap();
        let eleven = head(Persist::new(true, 1));
        assert!(eleven.starts_with("HTTP/1.1 200 OK\r\nServer: nettool\r\nDate: "));
        assert!(eleven.ends_with(" GMT\r\n\r\n") && !eleven.contains("Connection"));
        assert!(head(Persist::new(true, 0)).ends_with("\r\nConnection: keep-alive\r\n\r\n"));
        assert!(head(Persist::new(false, 1)).ends_with("\r\nConnection: close\r\n\r\n"));
        let t = Head::new(404)
            .text("A", "b")
            .header("N", 5)
            .finish(Persist::Close);
        assert!(String::from_utf8(t).unwrap().contains("404 Not Found\r\n"));
    }

    #[test]
    fn refusal_length_is_right() {
        let s = std::str::from_utf8(REFUSAL).unwrap();
        let (_, body) = s.split_once("\r\n\r\n").unwrap();
        assert_eq!(body.len(), 24);
    }
}

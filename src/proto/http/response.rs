//! Writing response heads, and the small pages every error status gets.
//!
//! A head is built into one buffer with no formatting machinery on the hot path
//! (numbers by `itoa`-style digits, the `Date` formatted once a second per thread).
//! Headers every response carries (`--header`, `--cors`) are formatted once at start
//! and appended as one string. A `Last-Modified` is never later than the `Date` it
//! goes out with (RFC 9110 §8.8.2.1).

use std::fmt::Write as _;

use super::date;

/// The reason phrase for the statuses this server sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        _ => "Unknown",
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

/// Append the decimal digits of `n`.
pub fn push_num(buf: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        buf.push(char::from(d));
    }
}

/// Builds a response head.
pub struct Head {
    buf: String,
    date: i64,
}

impl Head {
    pub fn new(status: u16) -> Head {
        let mut buf = String::with_capacity(320);
        buf.push_str("HTTP/1.1 ");
        push_num(&mut buf, u64::from(status));
        buf.push(' ');
        buf.push_str(reason(status));
        buf.push_str("\r\nServer: nettool\r\nDate: ");
        let date = date::push_now(&mut buf);
        buf.push_str("\r\n");
        Head { buf, date }
    }

    /// The second the `Date` header says.
    pub fn date(&self) -> i64 {
        self.date
    }

    /// A header whose value is text.
    pub fn text(mut self, name: &str, value: &str) -> Head {
        self.buf.push_str(name);
        self.buf.push_str(": ");
        self.buf.push_str(value);
        self.buf.push_str("\r\n");
        self
    }

    /// A header whose value is a number.
    pub fn num(mut self, name: &str, n: u64) -> Head {
        self.buf.push_str(name);
        self.buf.push_str(": ");
        push_num(&mut self.buf, n);
        self.buf.push_str("\r\n");
        self
    }

    /// A header formatted with `Display` (off the hot path).
    pub fn header(mut self, name: &str, value: impl std::fmt::Display) -> Head {
        let _ = write!(self.buf, "{name}: {value}\r\n");
        self
    }

    /// `Last-Modified`, given as its preformatted value and its second: the `Date`
    /// instead when the file claims a time still to come.
    pub fn last_modified(self, formatted: &str, secs: i64) -> Head {
        if secs > self.date {
            let mut s = String::with_capacity(29);
            date::push_imf(&mut s, self.date);
            self.text("Last-Modified", &s)
        } else {
            self.text("Last-Modified", formatted)
        }
    }

    /// End the head: the server-wide `extra` header lines, then the `Connection`
    /// header `persist` needs (none for HTTP/1.1 keep-alive, the default).
    pub fn finish(mut self, persist: Persist, extra: &str) -> Vec<u8> {
        self.buf.push_str(extra);
        self.buf.push_str(match persist {
            Persist::Close => "Connection: close\r\n\r\n",
            Persist::KeepAlive { http10: true } => "Connection: keep-alive\r\n\r\n",
            Persist::KeepAlive { http10: false } => "\r\n",
        });
        self.buf.into_bytes()
    }
}

/// What a person is told for each error status.
fn explanation(status: u16) -> &'static str {
    match status {
        400 => "The request could not be understood.",
        401 => "This server needs a user name and password.",
        403 => "You may not see this.",
        404 => "Nothing is here.",
        405 => "That method is not allowed here.",
        409 => "That conflicts with what is already there.",
        411 => "An upload needs a Content-Length or chunked body.",
        412 => "A precondition of the request does not hold.",
        413 => "The upload is larger than this server accepts.",
        414 => "The address is too long.",
        415 => "That kind of upload is not accepted here.",
        416 => "None of the requested ranges is in the file.",
        417 => "That expectation cannot be met.",
        431 => "The request headers are too large.",
        500 => "Something went wrong on the server.",
        501 => "This server does not know that method.",
        503 => "The server is busy; try again in a moment.",
        505 => "This server speaks HTTP/1.0 and HTTP/1.1.",
        507 => "The server has no room for the upload.",
        _ => "",
    }
}

/// A small HTML page: a heading, a sentence, a link, light or dark as the reader's
/// system prefers. `message` (already HTML) replaces the standard sentence.
pub fn page(status: u16, message: Option<&str>) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{title}</title><style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;\
color:#222;background:#fff}}a{{color:#0b57d0}}@media(prefers-color-scheme:dark)\
{{body{{color:#ddd;background:#15171a}}a{{color:#8ab4f8}}}}</style></head>\n\
<body><h1>{title}</h1>\n<p>{}</p>\n<p><a href=\"/\">Home</a></p></body></html>\n",
        message.unwrap_or(explanation(status))
    )
}

/// An error response with its small HTML page (`body` false for HEAD), and the
/// length of the body it carries. `headers`: extra header lines for this response.
pub fn error_response(
    status: u16,
    persist: Persist,
    body: bool,
    headers: &[(&str, &str)],
    extra: &str,
) -> (Vec<u8>, u64) {
    let text = page(status, None);
    let mut h = Head::new(status)
        .text("Content-Type", "text/html; charset=utf-8")
        .num("Content-Length", text.len() as u64);
    for (n, v) in headers {
        h = h.text(n, v);
    }
    let mut out = h.finish(persist, extra);
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

/// The interim response that invites a client to send the body it announced with
/// `Expect: 100-continue`.
pub const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_header_only_where_needed() {
        let head = |p| String::from_utf8(Head::new(200).finish(p, "")).unwrap();
        let eleven = head(Persist::new(true, 1));
        assert!(eleven.starts_with("HTTP/1.1 200 OK\r\nServer: nettool\r\nDate: "));
        assert!(eleven.ends_with(" GMT\r\n\r\n") && !eleven.contains("Connection"));
        assert!(head(Persist::new(true, 0)).ends_with("\r\nConnection: keep-alive\r\n\r\n"));
        assert!(head(Persist::new(false, 1)).ends_with("\r\nConnection: close\r\n\r\n"));
        let t = Head::new(404)
            .text("A", "b")
            .num("N", 5)
            .finish(Persist::Close, "X-Extra: 1\r\n");
        let t = String::from_utf8(t).unwrap();
        assert!(
            t.contains("404 Not Found\r\n")
                && t.contains("N: 5\r\nX-Extra: 1\r\nConnection: close\r\n\r\n")
        );
    }

    #[test]
    fn numbers_and_future_dates() {
        let mut s = String::new();
        for n in [0, 7, 10, 1234567890, u64::MAX] {
            s.clear();
            push_num(&mut s, n);
            assert_eq!(s, n.to_string());
        }
        let h = Head::new(200);
        let now = h.date();
        let text = String::from_utf8(
            h.last_modified("FUTURE", now + 100)
                .finish(Persist::Close, ""),
        )
        .unwrap();
        assert!(
            text.contains(&format!("Last-Modified: {}\r\n", date::imf(now))),
            "{text}"
        );
        let h = Head::new(200).last_modified("PAST", now - 100);
        assert!(
            String::from_utf8(h.finish(Persist::Close, ""))
                .unwrap()
                .contains("Last-Modified: PAST\r\n")
        );
    }

    #[test]
    fn error_pages_are_small_html() {
        let (bytes, len) = error_response(404, Persist::Close, true, &[], "");
        let text = String::from_utf8(bytes).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("Content-Type: text/html; charset=utf-8"));
        assert_eq!(body.len() as u64, len);
        assert!(head.contains(&format!("Content-Length: {len}")));
        assert!(body.contains("<title>404 Not Found</title>") && len < 1024);
        let (bytes, len) = error_response(404, Persist::Close, false, &[], "");
        assert_eq!(len, 0);
        assert!(bytes.ends_with(b"\r\n\r\n"));
    }

    #[test]
    fn refusal_length_is_right() {
        let s = std::str::from_utf8(REFUSAL).unwrap();
        let (_, body) = s.split_once("\r\n\r\n").unwrap();
        assert_eq!(body.len(), 24);
    }
}

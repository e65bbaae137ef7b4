//! Whether bytes a server sent are a well-framed sequence of HTTP/1.1 responses:
//! each head parses (httparse, strictly), carries a status nettool has a reason phrase
//! for, one `Date`, at most one of each framing header; its body is exactly what
//! `Content-Length` or chunked coding says; nothing follows `Connection: close`.
//! Any violation panics (a crash for AFL).
//!
//! A response to HEAD carries `Content-Length` but no body. The checker tells the two
//! apart by what follows the head: another status line, or the end, means no body —
//! exact because no body nettool can send starts with `HTTP/` (error bodies start
//! with their status digits, listings with `<!DOCTYPE` or `{`, and the fixture's
//! files are chosen so, see [`crate::fixture`]).

/// One response as the peer reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    /// In order, names as sent.
    pub headers: Vec<(String, String)>,
    /// `None`: a response without a body (HEAD, 304, 1xx).
    pub body: Option<Vec<u8>>,
}

impl Response {
    /// The value of the only header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The response without the headers that change with the clock (`Date`).
    pub fn timeless(&self) -> Response {
        let mut r = self.clone();
        r.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("date"));
        r
    }
}

/// Headers a response may carry at most once.
const SINGLE: &[&str] = &[
    "content-length",
    "transfer-encoding",
    "content-type",
    "content-range",
    "content-encoding",
    "location",
    "etag",
    "last-modified",
    "connection",
    "date",
    "server",
    "vary",
];

const STATUS_LINE: &[u8] = b"HTTP/1.1 ";

/// Split `wire` into responses, panicking unless every one is well framed.
pub fn responses(wire: &[u8]) -> Vec<Response> {
    let mut all = Vec::new();
    let mut rest = wire;
    while !rest.is_empty() {
        if let Some(last) = all.last() {
            let last: &Response = last;
            assert!(
                !last
                    .header("connection")
                    .is_some_and(|c| c.eq_ignore_ascii_case("close")),
                "bytes after a `Connection: close` response: {:?}",
                shown(rest)
            );
        }
        let (r, used) = one(rest);
        all.push(r);
        rest = &rest[used..];
    }
    all
}

/// At most 200 bytes, as text, for messages.
pub fn shown(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(200)]).into_owned()
}

fn one(wire: &[u8]) -> (Response, usize) {
    assert!(
        wire.starts_with(STATUS_LINE),
        "not a status line: {:?}",
        shown(wire)
    );
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut parsed = httparse::Response::new(&mut headers);
    let head_len = match parsed.parse(wire) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => panic!("truncated response head: {:?}", shown(wire)),
        Err(e) => panic!("malformed response head ({e}): {:?}", shown(wire)),
    };
    assert!(
        wire[..head_len].ends_with(b"\r\n\r\n"),
        "head not ended by CRLF CRLF"
    );
    let status = parsed.code.expect("complete head has a code");
    let reason = parsed.reason.unwrap_or("");
    assert_eq!(
        reason,
        nettool::proto::http::response::reason(status),
        "reason phrase of {status}"
    );
    assert_ne!(reason, "Unknown", "status {status} has no reason phrase");
    let headers: Vec<(String, String)> = parsed
        .headers
        .iter()
        .map(|h| {
            let v = std::str::from_utf8(h.value)
                .unwrap_or_else(|_| panic!("header {} is not UTF-8", h.name));
            (h.name.to_string(), v.to_string())
        })
        .collect();
    for name in SINGLE {
        let n = headers
            .iter()
            .filter(|(h, _)| h.eq_ignore_ascii_case(name))
            .count();
        assert!(n <= 1, "{n} `{name}` headers in a {status}");
    }
    let mut r = Response {
        status,
        headers,
        body: None,
    };
    let date = r.header("date").expect("every response has a Date");
    httpdate::parse_http_date(date).unwrap_or_else(|e| panic!("Date {date:?}: {e}"));
    let after = &wire[head_len..];
    let bodiless = (100..200).contains(&status) || status == 204 || status == 304;
    let chunked = r
        .header("transfer-encoding")
        .map(|te| te.eq_ignore_ascii_case("chunked"));
    let length = r.header("content-length").map(|v| {
        assert!(
            !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()),
            "Content-Length {v:?}"
        );
        v.parse::<u64>().expect("Content-Length fits u64")
    });
    if bodiless {
        assert!(
            chunked.is_none(),
            "a {status} has no body to frame, yet says Transfer-Encoding"
        );
        assert!(
            length.is_none_or(|n| status == 304 || n == 0),
            "a {status} with a Content-Length"
        );
        return (r, head_len);
    }
    match (chunked, length) {
        (Some(_), Some(_)) => panic!("Content-Length and Transfer-Encoding in a {status}"),
        (Some(false), None) => panic!("a {status} with an unknown Transfer-Encoding"),
        (Some(true), None) => {
            let (body, used) = dechunk(after);
            r.body = Some(body);
            (r, head_len + used)
        }
        (None, None) => panic!("a {status} with neither Content-Length nor chunking"),
        (None, Some(n)) => {
            if n > 0 && (after.is_empty() || after.starts_with(STATUS_LINE)) {
                return (r, head_len); // HEAD
            }
            let n = usize::try_from(n).expect("length fits usize");
            assert!(
                after.len() >= n,
                "a {status} promises {n} body bytes, {} follow",
                after.len()
            );
            let next = &after[n..];
            assert!(
                next.is_empty() || next.starts_with(STATUS_LINE),
                "a {status} with Content-Length {n} is followed by {:?}",
                shown(next)
            );
            r.body = Some(after[..n].to_vec());
            (r, head_len + n)
        }
    }
}

/// Decode a chunked body strictly (hex sizes, CRLFs, the last chunk, no trailers).
fn dechunk(mut b: &[u8]) -> (Vec<u8>, usize) {
    let start = b.len();
    let mut body = Vec::new();
    loop {
        let line_end = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .unwrap_or_else(|| panic!("chunk size line not ended: {:?}", shown(b)));
        let size = std::str::from_utf8(&b[..line_end])
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit()))
            .and_then(|s| usize::from_str_radix(s, 16).ok())
            .unwrap_or_else(|| panic!("bad chunk size line {:?}", shown(&b[..line_end])));
        b = &b[line_end + 2..];
        if size == 0 {
            assert!(b.starts_with(b"\r\n"), "no CRLF after the last chunk");
            return (body, start - b.len() + 2);
        }
        assert!(b.len() >= size + 2, "chunk of {size} truncated");
        body.extend_from_slice(&b[..size]);
        assert_eq!(&b[size..size + 2], b"\r\n", "chunk data not ended by CRLF");
        b = &b[size + 2..];
    }
}

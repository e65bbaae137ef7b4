//! Parsing one HTTP/1.x request head, strictly, without copying it.
//!
//! The request line is read here (RFC 9112 §3): `method SP target SP HTTP/d.d`, one
//! space each, a `tchar` method, a target of visible bytes. A version `1.x` above
//! 1.1 is served as 1.1 (RFC 9110 §2.5), another major version is 505. The header
//! fields are tokenised by httparse, which returns `Partial` until the blank line —
//! what an event loop that gets bytes in pieces needs. On top of it this module
//! enforces the limits (request line → 414, head size or field count → 431) and the
//! framing rules whose lax handling gave other servers request-smuggling bugs:
//! `Content-Length` must be plain digits and agree with itself; `Transfer-Encoding`
//! must be exactly `chunked` (another coding is 501), never beside `Content-Length`,
//! never in HTTP/1.0 (§6.1); obsolete line folding and stray CR/NUL are refused
//! (httparse does); an HTTP/1.1 request needs exactly one `Host`, and a valid one
//! (§3.2). Field values are opaque bytes: obs-text (0x80–0xFF) is allowed (RFC 9110
//! §5.5).
//!
//! The [`Request`] borrows from the input buffer; the only allocation is for a list
//! field sent on several lines, joined as §5.3 says.

use std::borrow::Cow;

use super::syntax::{Line, request_line};
pub use super::syntax::{is_tchar, valid_host};

/// Longest request line (method, target, version) before answering 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Largest request head (request line + headers + blank line) before answering 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header fields in one request before answering 431.
pub const MAX_HEADERS: usize = 64;

/// The request method: the ones RFC 9110 (and RFC 5789's PATCH) define, and any
/// other token (501, §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Options,
    Put,
    Post,
    Delete,
    Patch,
    Trace,
    Connect,
    /// A token no method of ours or RFC 9110's.
    Unknown,
}

impl Method {
    fn of(token: &[u8]) -> Method {
        match token {
            b"GET" => Method::Get,
            b"HEAD" => Method::Head,
            b"OPTIONS" => Method::Options,
            b"PUT" => Method::Put,
            b"POST" => Method::Post,
            b"DELETE" => Method::Delete,
            b"PATCH" => Method::Patch,
            b"TRACE" => Method::Trace,
            b"CONNECT" => Method::Connect,
            _ => Method::Unknown,
        }
    }

    /// GET or HEAD: the methods conditional GET and ranges apply to.
    pub fn is_get_or_head(self) -> bool {
        matches!(self, Method::Get | Method::Head)
    }
}

/// How the request body is delimited (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body.
    None,
    /// `Content-Length: n` bytes (n > 0).
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// What a request says, borrowed from the buffer it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    pub method: Method,
    /// The method as sent (for the access log).
    pub method_raw: &'a [u8],
    /// The request target exactly as sent (still percent-encoded).
    pub target: &'a [u8],
    /// 0 for HTTP/1.0, 1 for HTTP/1.1 (and 1.2 and above).
    pub minor: u8,
    /// The client allows the connection to stay open after this response.
    pub keep_alive: bool,
    pub framing: Framing,
    /// `Expect: 100-continue`.
    pub expect_continue: bool,
    /// Another expectation (417).
    pub expect_other: bool,
    pub if_match: Option<Cow<'a, [u8]>>,
    pub if_none_match: Option<Cow<'a, [u8]>>,
    /// `None` also when sent twice (a recipient ignores it then, §13.1.3).
    pub if_modified_since: Option<&'a [u8]>,
    pub if_unmodified_since: Option<&'a [u8]>,
    pub range: Option<&'a [u8]>,
    pub if_range: Option<&'a [u8]>,
    /// `If-Range` was sent more than once: the `Range` is then ignored.
    pub if_range_repeated: bool,
    pub accept: Option<Cow<'a, [u8]>>,
    pub accept_encoding: Option<Cow<'a, [u8]>>,
    pub authorization: Option<&'a [u8]>,
    pub content_type: Option<&'a [u8]>,
    pub origin: Option<&'a [u8]>,
    pub host: Option<&'a [u8]>,
    /// `Sec-Fetch-Site` (browsers say whether a request is cross-site).
    pub fetch_site: Option<&'a [u8]>,
    /// `Access-Control-Request-Method` (a CORS preflight).
    pub cors_request_method: Option<&'a [u8]>,
    /// Bytes of the head, to remove from the input buffer.
    pub head_len: usize,
}

/// A request that cannot be served, with the status that says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reject {
    pub status: u16,
    pub why: &'static str,
}

pub(super) fn reject(status: u16, why: &'static str) -> Reject {
    Reject { status, why }
}

/// The outcome of looking at the input buffer. (It lives on the stack for one
/// request; boxing the large variant would cost an allocation per request.)
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Parsed<'a> {
    /// More bytes are needed.
    Partial,
    Complete(Request<'a>),
}

/// Header fields looked at with a small array first: most requests have a handful,
/// and httparse wants the array initialised (64 empty fields are 2 KiB to clear per
/// request). More than this, and the head is parsed again with [`MAX_HEADERS`].
const FEW_HEADERS: usize = 24;

/// What httparse made of the header section.
enum Scan {
    Partial,
    /// Its length and the number of fields.
    Done(usize, usize),
    /// More fields than the array holds.
    TooMany,
}

/// Tokenise the header fields at `fields` into `dst`; `buffered` is all there is
/// of the head so far (431 once it is too large to complete).
fn scan_fields<'b>(
    fields: &'b [u8],
    dst: &mut [httparse::Header<'b>],
    buffered: usize,
) -> Result<Scan, Reject> {
    match httparse::parse_headers(fields, dst) {
        Ok(httparse::Status::Complete((n, hs))) => Ok(Scan::Done(n, hs.len())),
        Ok(httparse::Status::Partial) if buffered > MAX_HEAD => {
            Err(reject(431, "request head too large"))
        }
        Ok(httparse::Status::Partial) => Ok(Scan::Partial),
        Err(httparse::Error::TooManyHeaders) => Ok(Scan::TooMany),
        Err(_) => Err(reject(400, "malformed header field")),
    }
}

/// Join a list field sent on several lines (RFC 9110 §5.3).
fn join<'a>(slot: &mut Option<Cow<'a, [u8]>>, value: &'a [u8]) {
    *slot = Some(match slot.take() {
        None => Cow::Borrowed(value),
        Some(prev) => {
            let mut v = prev.into_owned();
            v.extend_from_slice(b", ");
            v.extend_from_slice(value);
            Cow::Owned(v)
        }
    });
}

/// A singleton field: the first value, and `*repeated` set when it comes again.
fn single<'a>(slot: &mut Option<&'a [u8]>, value: &'a [u8], repeated: &mut bool) {
    if slot.is_some() {
        *repeated = true;
    } else {
        *slot = Some(value);
    }
}

/// Parse the request head at the start of `buf`. Up to a few empty lines before the
/// request line are skipped (RFC 9112 §2.2); `head_len` counts them.
pub fn parse(buf: &[u8]) -> Result<Parsed<'_>, Reject> {
    let mut skipped = 0;
    while skipped < 8 {
        match &buf[skipped..] {
            [b'\r', b'\n', ..] => skipped += 2,
            [b'\n', ..] => skipped += 1,
            [b'\r'] => return Ok(Parsed::Partial),
            _ => break,
        }
    }
    let buf = &buf[skipped..];
    let Some(Line {
        method: method_raw,
        target,
        minor,
        len: line_len,
    }) = request_line(buf)?
    else {
        return Ok(Parsed::Partial);
    };
    let fields = &buf[line_len..];
    let mut few = [httparse::EMPTY_HEADER; FEW_HEADERS];
    let mut many;
    let (head_len, headers) = match scan_fields(fields, &mut few, buf.len())? {
        Scan::Partial => return Ok(Parsed::Partial),
        Scan::Done(n, count) => (line_len + n, &few[..count]),
        Scan::TooMany => {
            many = [httparse::EMPTY_HEADER; MAX_HEADERS];
            match scan_fields(fields, &mut many, buf.len())? {
                Scan::Partial => return Ok(Parsed::Partial),
                Scan::Done(n, count) => (line_len + n, &many[..count]),
                Scan::TooMany => return Err(reject(431, "too many header fields")),
            }
        }
    };
    if head_len > MAX_HEAD {
        return Err(reject(431, "request head too large"));
    }
    let mut r = Request {
        method: Method::of(method_raw),
        method_raw,
        target,
        minor,
        keep_alive: minor == 1,
        framing: Framing::None,
        expect_continue: false,
        expect_other: false,
        if_match: None,
        if_none_match: None,
        if_modified_since: None,
        if_unmodified_since: None,
        range: None,
        if_range: None,
        if_range_repeated: false,
        accept: None,
        accept_encoding: None,
        authorization: None,
        content_type: None,
        origin: None,
        host: None,
        fetch_site: None,
        cors_request_method: None,
        head_len: skipped + head_len,
    };
    let mut hosts = 0;
    let mut content_length: Option<u64> = None;
    let mut transfer_encoding = false;
    let (mut ims_twice, mut ius_twice, mut ignored) = (false, false, false);
    for h in headers {
        let value = h.value.trim_ascii();
        let name = h.name.as_bytes();
        // Dispatch on length first: most fields are compared against one name only.
        match name.len() {
            4 if name.eq_ignore_ascii_case(b"host") => {
                hosts += 1;
                r.host = Some(value);
            }
            5 if name.eq_ignore_ascii_case(b"range") => {
                if r.range.is_some() {
                    return Err(reject(400, "repeated Range"));
                }
                r.range = Some(value);
            }
            6 if name.eq_ignore_ascii_case(b"accept") => join(&mut r.accept, value),
            6 if name.eq_ignore_ascii_case(b"origin") => single(&mut r.origin, value, &mut ignored),
            6 if name.eq_ignore_ascii_case(b"expect") => {
                for token in value.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
                    if token.eq_ignore_ascii_case(b"100-continue") {
                        r.expect_continue = true;
                    } else if !token.is_empty() {
                        r.expect_other = true;
                    }
                }
            }
            8 if name.eq_ignore_ascii_case(b"if-match") => join(&mut r.if_match, value),
            8 if name.eq_ignore_ascii_case(b"if-range") => {
                single(&mut r.if_range, value, &mut r.if_range_repeated);
            }
            10 if name.eq_ignore_ascii_case(b"connection") => {
                for token in value.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
                    if token.eq_ignore_ascii_case(b"close") {
                        r.keep_alive = false;
                    } else if token.eq_ignore_ascii_case(b"keep-alive") && minor == 0 {
                        r.keep_alive = true;
                    }
                }
            }
            12 if name.eq_ignore_ascii_case(b"content-type") => {
                if r.content_type.is_some() {
                    return Err(reject(400, "repeated Content-Type"));
                }
                r.content_type = Some(value);
            }
            13 if name.eq_ignore_ascii_case(b"if-none-match") => join(&mut r.if_none_match, value),
            13 if name.eq_ignore_ascii_case(b"authorization") => {
                if r.authorization.is_some() {
                    return Err(reject(400, "repeated Authorization"));
                }
                r.authorization = Some(value);
            }
            14 if name.eq_ignore_ascii_case(b"content-length") => {
                let n = parse_content_length(value)?;
                if content_length.is_some_and(|c| c != n) {
                    return Err(reject(400, "conflicting Content-Length"));
                }
                content_length = Some(n);
            }
            14 if name.eq_ignore_ascii_case(b"sec-fetch-site") => {
                single(&mut r.fetch_site, value, &mut ignored);
            }
            15 if name.eq_ignore_ascii_case(b"accept-encoding") => {
                join(&mut r.accept_encoding, value);
            }
            17 if name.eq_ignore_ascii_case(b"if-modified-since") => {
                single(&mut r.if_modified_since, value, &mut ims_twice);
            }
            17 if name.eq_ignore_ascii_case(b"transfer-encoding") => {
                if transfer_encoding {
                    return Err(reject(400, "repeated Transfer-Encoding"));
                }
                transfer_encoding = true;
                transfer_coding(value)?;
            }
            19 if name.eq_ignore_ascii_case(b"if-unmodified-since") => {
                single(&mut r.if_unmodified_since, value, &mut ius_twice);
            }
            29 if name.eq_ignore_ascii_case(b"access-control-request-method") => {
                single(&mut r.cors_request_method, value, &mut ignored);
            }
            _ => {}
        }
    }
    if ims_twice {
        r.if_modified_since = None;
    }
    if ius_twice {
        r.if_unmodified_since = None;
    }
    if transfer_encoding && content_length.is_some() {
        return Err(reject(400, "both Content-Length and Transfer-Encoding"));
    }
    if transfer_encoding && minor == 0 {
        return Err(reject(400, "Transfer-Encoding in HTTP/1.0"));
    }
    if minor == 1 && hosts != 1 {
        return Err(reject(400, "HTTP/1.1 needs exactly one Host"));
    }
    if hosts > 1 {
        return Err(reject(400, "repeated Host"));
    }
    if r.host.is_some_and(|h| !valid_host(h)) {
        return Err(reject(400, "invalid Host"));
    }
    r.framing = match (transfer_encoding, content_length) {
        (true, _) => Framing::Chunked,
        (false, Some(n)) if n > 0 => Framing::Length(n),
        _ => Framing::None,
    };
    Ok(Parsed::Complete(r))
}

/// `Transfer-Encoding`: exactly `chunked` is served; a list of known codings ending in
/// chunked is 501 (we decode none of them); anything else is malformed framing.
fn transfer_coding(v: &[u8]) -> Result<(), Reject> {
    if v.eq_ignore_ascii_case(b"chunked") {
        return Ok(());
    }
    let codings: Vec<&[u8]> = v.split(|&b| b == b',').map(<[u8]>::trim_ascii).collect();
    let known = |c: &[u8]| {
        [
            &b"gzip"[..],
            b"x-gzip",
            b"deflate",
            b"compress",
            b"x-compress",
        ]
        .iter()
        .any(|k| c.eq_ignore_ascii_case(k))
    };
    match codings.split_last() {
        Some((last, rest))
            if last.eq_ignore_ascii_case(b"chunked")
                && !rest.is_empty()
                && rest.iter().all(|c| known(c)) =>
        {
            Err(reject(501, "unsupported Transfer-Encoding"))
        }
        _ => Err(reject(400, "malformed Transfer-Encoding")),
    }
}

/// `Content-Length = 1*DIGIT` (RFC 9110 §8.6): no sign, no spaces, no lists, no overflow.
fn parse_content_length(v: &[u8]) -> Result<u64, Reject> {
    if v.is_empty() || !v.iter().all(u8::is_ascii_digit) || v.len() > 19 {
        return Err(reject(400, "malformed Content-Length"));
    }
    Ok(v.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')))
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;

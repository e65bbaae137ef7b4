//! Parsing one HTTP/1.x request head, strictly.
//!
//! httparse does the tokenising: it returns `Partial` until the blank line arrives,
//! which suits an event loop that gets bytes in pieces. On top of it this module
//! enforces the limits (request line → 414, head size or header count → 431) and
//! the framing rules whose lax handling gave other servers request smuggling bugs:
//! `Content-Length` must be plain digits and agree with itself, `Transfer-Encoding`
//! is not accepted beside it, obsolete line folding and stray CR/NUL are rejected
//! (httparse already refuses those), an HTTP/1.1 request needs exactly one `Host`.

/// Longest request line (method, target, version) before answering 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// Largest request head (request line + headers + blank line) before answering 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// Most header fields in one request before answering 431.
pub const MAX_HEADERS: usize = 64;

/// The methods this server implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    /// Any other valid token: answered 405 with `Allow: GET, HEAD`.
    Other,
}

/// What a request asks for, reduced to what a static file server needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The method as sent (for the access log).
    pub method_name: String,
    /// The request target exactly as sent (still percent-encoded).
    pub target: Vec<u8>,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    /// The client allows the connection to stay open after this response.
    pub keep_alive: bool,
    /// A request body follows (never used; skipped or the connection closes).
    pub has_body: bool,
    /// The body's length when framed by `Content-Length` (0 otherwise).
    pub content_length: u64,
    /// The body is chunked (its end is not known without decoding it).
    pub chunked: bool,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub range: Option<String>,
    pub if_range: Option<String>,
    /// `Accept` names `application/json` (directory listings answer in JSON).
    pub wants_json: bool,
    /// Bytes of the head, to remove from the input buffer.
    pub head_len: usize,
}

/// A request that cannot be served, with the status that says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reject {
    pub status: u16,
    pub why: &'static str,
}

fn reject(status: u16, why: &'static str) -> Reject {
    Reject { status, why }
}

/// The outcome of looking at the input buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// More bytes are needed.
    Partial,
    Complete(Request),
}

/// Parse the request head at the start of `buf`.
pub fn parse(buf: &[u8]) -> Result<Parsed, Reject> {
    // 414 before anything else: a request line that does not end in time.
    let line_end = buf.iter().position(|&b| b == b'\n');
    match line_end {
        None if buf.len() > MAX_REQUEST_LINE => return Err(reject(414, "request line too long")),
        Some(n) if n > MAX_REQUEST_LINE => return Err(reject(414, "request line too long")),
        _ => {}
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    let status = match req.parse(buf) {
        Ok(s) => s,
        Err(httparse::Error::TooManyHeaders) => return Err(reject(431, "too many header fields")),
        Err(httparse::Error::Version) => return Err(reject(400, "unsupported HTTP version")),
        Err(_) => return Err(reject(400, "malformed request")),
    };
    let head_len = match status {
        httparse::Status::Partial if buf.len() > MAX_HEAD => {
            return Err(reject(431, "request head too large"));
        }
        httparse::Status::Partial => return Ok(Parsed::Partial),
        httparse::Status::Complete(n) if n > MAX_HEAD => {
            return Err(reject(431, "request head too large"));
        }
        httparse::Status::Complete(n) => n,
    };
    let method_name = req.method.unwrap_or("").to_string();
    let method = match method_name.as_str() {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => Method::Other,
    };
    let target = req.path.unwrap_or("").as_bytes().to_vec();
    let minor = req.version.unwrap_or(1);

    let mut r = Request {
        method,
        method_name,
        target,
        minor,
        keep_alive: minor == 1,
        has_body: false,
        content_length: 0,
        chunked: false,
        if_none_match: None,
        if_modified_since: None,
        range: None,
        if_range: None,
        wants_json: false,
        head_len,
    };
    let mut hosts = 0;
    let mut content_length: Option<u64> = None;
    let mut transfer_encoding = false;
    let mut accept: Vec<&str> = Vec::new();
    for h in req.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| reject(400, "non-UTF-8 header"))?;
        let value = value.trim_matches([' ', '\t']);
        let name = h.name;
        if name.eq_ignore_ascii_case("host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case("content-length") {
            let n = parse_content_length(value)?;
            if content_length.is_some_and(|c| c != n) {
                return Err(reject(400, "conflicting Content-Length"));
            }
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            if transfer_encoding {
                return Err(reject(400, "repeated Transfer-Encoding"));
            }
            transfer_encoding = true;
            if !value.eq_ignore_ascii_case("chunked") {
                return Err(reject(400, "unsupported Transfer-Encoding"));
            }
        } else if name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    r.keep_alive = false;
                } else if token.eq_ignore_ascii_case("keep-alive") && minor == 0 {
                    r.keep_alive = true;
                }
            }
        } else if name.eq_ignore_ascii_case("if-none-match") {
            r.if_none_match = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("if-modified-since") {
            r.if_modified_since = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("range") {
            if r.range.is_some() {
                return Err(reject(400, "repeated Range"));
            }
            r.range = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("if-range") {
            r.if_range = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("accept") {
            accept.push(value);
        }
    }
    if transfer_encoding && content_length.is_some() {
        return Err(reject(400, "both Content-Length and Transfer-Encoding"));
    }
    if minor == 1 && hosts != 1 {
        return Err(reject(400, "HTTP/1.1 needs exactly one Host"));
    }
    if hosts > 1 {
        return Err(reject(400, "repeated Host"));
    }
    r.wants_json = !accept.is_empty() && prefers_json(&accept.join(","));
    r.has_body = transfer_encoding || content_length.is_some_and(|n| n > 0);
    r.content_length = content_length.unwrap_or(0);
    r.chunked = transfer_encoding;
    Ok(Parsed::Complete(r))
}

/// Whether `Accept` prefers the JSON listing to the HTML one (RFC 9110 §12.5.1: the
/// most specific matching range gives a type its weight; `q=0` means "not this").
/// JSON wins with a higher weight, or an equal one where the client named it exactly.
fn prefers_json(accept: &str) -> bool {
    let (json, named) = weight(accept, "application", "json");
    let (html, _) = weight(accept, "text", "html");
    json > html || (json == html && json > 0 && named)
}

/// The weight in thousandths `accept` gives `ty/sub`, and whether a range named it
/// exactly. Elements with a malformed weight are dropped.
fn weight(accept: &str, ty: &str, sub: &str) -> (u16, bool) {
    let mut best: Option<(u8, u16)> = None; // (specificity, weight)
    for element in accept.split(',') {
        let mut parts = element.split(';').map(|p| p.trim_matches([' ', '\t']));
        let Some((rt, rs)) = parts.next().and_then(|r| r.split_once('/')) else {
            continue;
        };
        let specificity = match (rt.eq_ignore_ascii_case(ty), rs) {
            (true, rs) if rs.eq_ignore_ascii_case(sub) => 3,
            (true, "*") => 2,
            (false, "*") if rt == "*" => 1,
            _ => continue,
        };
        let mut q = Some(1000);
        for p in parts {
            if let Some((k, v)) = p.split_once('=')
                && k.eq_ignore_ascii_case("q")
            {
                q = qvalue(v);
            }
        }
        if let Some(q) = q
            && best.is_none_or(|(s, _)| specificity > s)
        {
            best = Some((specificity, q));
        }
    }
    best.map_or((0, false), |(s, q)| (q, s == 3))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` in thousandths.
fn qvalue(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = frac
        .bytes()
        .chain("000".bytes())
        .take(3)
        .fold(0u16, |n, d| n * 10 + u16::from(d - b'0'));
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// `Content-Length = 1*DIGIT` (RFC 9110 §8.6): no sign, no spaces, no lists, no overflow.
fn parse_content_length(v: &str) -> Result<u64, Reject> {
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(reject(400, "malformed Content-Length"));
    }
    v.parse::<u64>()
        .map_err(|_| reject(400, "Content-Length out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Request {
        match parse(raw.as_bytes()) {
            Ok(Parsed::Complete(r)) => r,
            other => panic!("{raw:?}: {other:?}"),
        }
    }

    fn status(raw: &[u8]) -> u16 {
        match parse(raw) {
            Err(r) => r.status,
            Ok(p) => panic!("{:?} parsed: {p:?}", String::from_utf8_lossy(raw)),
        }
    }

    #[test]
    fn simple_get_and_keep_alive_rules() {
        let r = ok("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(
            (r.method, r.target.as_slice(), r.keep_alive),
            (Method::Get, &b"/a?b"[..], true)
        );
        assert!(!ok("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!ok("GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(ok("HEAD / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert_eq!(ok("DELETE / HTTP/1.0\r\n\r\n").method, Method::Other);
        let wants = |accept: &str| {
            ok(&format!(
                "GET / HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\n\r\n"
            ))
            .wants_json
        };
        assert!(wants("text/html;q=0.9, application/json"));
        assert!(!wants("text/html, application/json;q=0.9"));
        assert!(!wants("application/json;q=0, */*"));
        assert!(wants("*/*;q=0.1, application/*;q=0.2"));
        assert!(!wants("*/*") && !wants("application/json;q=2"));
    }

    #[test]
    fn partial_until_the_blank_line() {
        assert_eq!(parse(b"GET / HTTP/1.1\r\nHost: x\r\n"), Ok(Parsed::Partial));
        assert_eq!(parse(b"GE"), Ok(Parsed::Partial));
    }

    #[test]
    fn limits_give_414_and_431() {
        let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(status(long.as_bytes()), 414);
        assert_eq!(status("a".repeat(MAX_REQUEST_LINE + 1).as_bytes()), 414);
        let mut many = String::from("GET / HTTP/1.1\r\nHost: x\r\n");
        for i in 0..MAX_HEADERS {
            many.push_str(&format!("X-{i}: y\r\n"));
        }
        many.push_str("\r\n");
        assert_eq!(status(many.as_bytes()), 431);
        let big = format!(
            "GET / HTTP/1.1\r\nHost: x\r\nX: {}\r\n",
            "b".repeat(MAX_HEAD)
        );
        assert_eq!(status(big.as_bytes()), 431);
    }

    #[test]
    fn framing_attacks_are_400() {
        for raw in [
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -48\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: +1_0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1Z\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: \r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ,chunked\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nName : v\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n  folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /\x02 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / / HTTP/1.1\r\nHost: x\r\n\r\n",
        ] {
            assert_eq!(status(raw.as_bytes()), 400, "{raw:?}");
        }
    }

    #[test]
    fn a_body_is_noticed() {
        assert!(ok("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").has_body);
        assert!(!ok("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").has_body);
        assert!(ok("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n").has_body);
    }
}
